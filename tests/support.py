"""Helpers the tests share: free loopback ports, system programs, a real Oxigraph server.

Import as ``from support import ...`` (pytest puts ``tests/`` on ``sys.path``).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def require_program(name: str) -> str:
    """The path of a system program a test needs.

    Skips the test where the program is missing, except in CI (``CI`` set), where
    ``.ci/run`` installs it and a missing program is a failure, never a silent skip.
    """
    found = shutil.which(name)
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail(f"{name} is not installed; .ci/run should have installed it.")
    pytest.skip(f"{name} is not installed (.ci/run installs it).")


def oxigraph_program() -> str:
    """Oxigraph's server binary from the ``oxigraph`` test dependency."""
    found = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(found).exists():
        pytest.fail("The Oxigraph server is not installed: pip install -e '.[test]' brings it.")
    return found


def wait_for_http(url: str, process: subprocess.Popen[bytes], seconds: float = 20) -> None:
    """Wait until ``url`` answers, or fail with what the server printed."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.1)
    process.terminate()
    err = process.stderr.read().decode(errors="replace") if process.stderr else ""
    pytest.fail(f"The server at {url} did not start: {err}")


@contextmanager
def oxigraph_server(location: Path, files: Iterable[Path] = ()) -> Iterator[str]:
    """A real Oxigraph server on a free loopback port, loaded with ``files`` (Turtle).

    Yields its base URL (``http://127.0.0.1:PORT``; queries go to ``/query``,
    the Graph Store Protocol to ``/store``).
    """
    port = free_port()
    process = subprocess.Popen(
        [oxigraph_program(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(base + "/query?query=ASK%7B%7D", process)
        for path in files:
            request = urllib.request.Request(
                base + "/store?default", data=path.read_bytes(), method="POST",
                headers={"Content-Type": "text/turtle"},
            )  # fmt: skip
            urllib.request.urlopen(request, timeout=30).read()
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


#: Flags for Debian's chromium in tests: headless, and quiet (no background traffic of its own).
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def chromium_driver(profile: Path, window: str = "1400,900") -> Any:
    """A Selenium driver for headless Debian chromium with a fresh profile in ``profile``.

    Chrome's performance log is on, so tests can read which requests a page made
    (``driver.get_log("performance")``). Skips (fails in CI) without chromium or chromedriver.
    """
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = require_program("chromium")
    for flag in (*CHROMIUM_FLAGS, f"--window-size={window}", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    return webdriver.Chrome(service=Service(require_program("chromedriver")), options=options)
