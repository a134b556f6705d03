"""A real ``caregraph serve`` (uvicorn) on a free loopback port, for the web tests."""

from __future__ import annotations

import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from support import free_port, wait_for_http


def caregraph_program() -> str:
    """The ``caregraph`` console script of this environment."""
    beside = Path(sys.executable).parent / "caregraph"
    return str(beside) if beside.exists() else (shutil.which("caregraph") or "caregraph")


@contextmanager
def running_server(*args: str, serve_args: tuple[str, ...] = ()) -> Iterator[str]:
    """``caregraph ARGS serve --port P SERVE_ARGS`` in a subprocess; yields its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [caregraph_program(), *args, "serve", "--port", str(port), *serve_args],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(base + "/openapi.json", process, seconds=60)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@dataclass
class Reply:
    """An HTTP response, read whole."""

    status: int
    headers: dict[str, str]
    body: bytes = field(repr=False)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def fetch(
    url: str,
    *,
    headers: dict[str, str] | None = None,
    data: bytes | None = None,
    method: str | None = None,
) -> Reply:
    """One HTTP request; error statuses are returned, not raised."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return Reply(response.status, {k.lower(): v for k, v in response.headers.items()},
                         response.read())  # fmt: skip
    except urllib.error.HTTPError as exc:
        return Reply(exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read())
