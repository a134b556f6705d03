"""Validation reports its progress: to a callback in the library, on a terminal in the CLI.

The terminal is real: ``caregraph validate`` runs in a subprocess whose stderr is a
pseudo-terminal, as in a person's shell; the display must be there, and gone when stderr
is a pipe, when ``CI`` is set, and under CliRunner.
"""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from caregraph import validate
from caregraph.cli import cli
from caregraph.datafiles import find_data_files
from caregraph.validation.progress import Progress

#: What the display writes while the files are read (caregraph.cli.progress).
READING = "Reading the files"
#: ... and while each later step runs (each drawn at once, not at the next refresh).
STEPS = (
    "Checking the vocabulary",
    "Loading the data into Oxigraph",
    "Checking the SHACL shapes",
    "Running the rule checks",
)
CAREGRAPH = [sys.executable, "-m", "caregraph"]
ARGS = ["validate", "--no-reasoner", "--format", "json"]


def test_the_callback_gets_each_layer_and_each_file() -> None:
    steps: list[Progress] = []
    report = validate(layers=("syntax", "vocabulary", "shapes", "rules"), progress=steps.append)
    files = find_data_files()
    assert steps[0] == Progress("syntax", "start", total=len(files))
    reads = [s for s in steps if s.event == "file"]
    assert [(s.file, s.done, s.total) for s in reads] == [
        (f, n, len(files)) for n, f in enumerate(files, start=1)
    ]
    order = [(s.layer, s.event) for s in steps if s.event != "file"]
    assert order == [
        ("syntax", "start"),
        ("syntax", "done"),
        ("vocabulary", "start"),
        ("vocabulary", "done"),
        ("shapes", "start"),
        ("load", "start"),  # the shared store is loaded when the shapes layer first needs it
        ("load", "done"),
        ("shapes", "done"),
        ("rules", "start"),
        ("rules", "done"),
    ]
    done = {s.layer: s.findings for s in steps if s.event == "done" and s.layer != "load"}
    assert sum(done.values()) == len(report.findings)
    assert done["shapes"] == sum(f.layer == "shapes" for f in report.findings) > 0


def test_the_rules_alone_load_the_shared_store_too() -> None:
    steps: list[Progress] = []
    validate(layers=("syntax", "rules"), progress=steps.append)
    order = [(s.layer, s.event) for s in steps if s.event != "file"]
    assert order[2:] == [("rules", "start"), ("load", "start"), ("load", "done"), ("rules", "done")]


def _on_a_terminal(env: dict[str, str]) -> tuple[str, bytes]:
    """Run caregraph validate with stderr on a pseudo-terminal: what it showed, the report."""
    main, side = pty.openpty()
    process = subprocess.Popen([*CAREGRAPH, *ARGS], stdout=subprocess.PIPE, stderr=side, env=env)
    os.close(side)
    shown = []
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the terminal closed when the process ended
            break
        if not chunk:
            break
        shown.append(chunk)
    os.close(main)
    assert process.stdout is not None
    report = process.stdout.read()
    assert process.wait(timeout=120) == 0
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", b"".join(shown).decode("utf-8", "replace")), report


@pytest.fixture
def env() -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if k != "CI"}
    return {**clean, "TERM": "xterm", "COLUMNS": "120"}


def test_a_terminal_shows_the_progress_and_the_report_stays_clean(env: dict[str, str]) -> None:
    shown, report = _on_a_terminal(env)
    files = find_data_files()
    assert f"{READING} ({len(files)}/{len(files)}): {files[-1].name}" in shown
    assert all(step in shown for step in STEPS), shown
    assert json.loads(report)["findings"]  # the report on stdout has no progress in it


@pytest.mark.parametrize("value", ["true", "1"])
def test_ci_shows_nothing(env: dict[str, str], value: str) -> None:
    shown, report = _on_a_terminal({**env, "CI": value})
    assert shown == ""
    assert json.loads(report)["findings"]


def test_a_pipe_shows_nothing(env: dict[str, str]) -> None:
    done = subprocess.run([*CAREGRAPH, *ARGS], capture_output=True, env=env, check=False)
    assert done.returncode == 0
    assert done.stderr == b""


def test_clirunner_output_has_no_progress(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", "--no-reasoner"])
    assert result.exit_code == 0, result.output
    assert READING not in result.output
    assert "━" not in result.output
