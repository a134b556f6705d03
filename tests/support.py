"""Helpers the tests share: free loopback ports, system programs, a real Oxigraph server.

Import as ``from support import ...`` (pytest puts ``tests/`` on ``sys.path``).
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
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


_VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 4
CheckpointInterval = 0
CaseMode = 2
DirsAllowed = ., {dir}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
MaxClientConnections = 4
ServerThreads = 4
EnabledDavVSP = 0
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


def _die_with_parent() -> None:
    """In the child: be sent SIGTERM when the test process dies, however it dies (Linux)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: the finally block below still stops the server


@contextmanager
def virtuoso_server(location: Path, graphs: Mapping[str, Iterable[Path]]) -> Iterator[str]:
    """A real Virtuoso (Debian's ``virtuoso-t``) with its own database in ``location``.

    It runs in the foreground (no system service) from a private ``virtuoso.ini`` with
    free loopback ports; the Turtle files of each entry of ``graphs`` are loaded into
    that named graph by Virtuoso's bulk loader. Yields the SPARQL URL
    (``http://127.0.0.1:PORT/sparql``); the server is stopped when the block ends.
    """
    program = require_program("virtuoso-t")
    isql = require_program("isql-vt")
    sql_port, http_port = free_port(), free_port()
    calls = []
    for number, (graph, files) in enumerate(graphs.items()):
        load_dir = location / f"load-{number}"  # Virtuoso reads only under DirsAllowed
        load_dir.mkdir(parents=True)
        for path in files:
            shutil.copyfile(path, load_dir / path.name)
        calls.append(f"ld_dir('{load_dir}', '*.ttl', '{graph}');")
    ini = location / "virtuoso.ini"
    ini.write_text(
        _VIRTUOSO_INI.format(dir=location, sql_port=sql_port, http_port=http_port),
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [program, "+foreground", "+configfile", str(ini)],
        cwd=location, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        preexec_fn=_die_with_parent,
    )  # fmt: skip
    url = f"http://127.0.0.1:{http_port}/sparql"
    try:
        # A new database takes Virtuoso 15-30 s to initialise on a busy machine.
        wait_for_http(url + "?query=ASK%7B%7D", process, seconds=180)
        script = (
            " ".join(calls) + " rdf_loader_run(); checkpoint; "
            "SELECT ll_file, ll_error FROM DB.DBA.LOAD_LIST WHERE ll_error IS NOT NULL;"
        )
        done = subprocess.run(
            [isql, f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={script}"],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        if done.returncode != 0 or "0 Rows." not in done.stdout:
            pytest.fail(f"Virtuoso's bulk loader failed: {done.stdout}{done.stderr}")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
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
