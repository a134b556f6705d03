"""SHACL validation: the shipped graph conforms, broken data is reported readably."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from caregraph.cli import cli
from caregraph.namespaces import CG, DD
from caregraph.validation import validate

INVALID = Path(__file__).parent / "data" / "invalid" / "measure-without-status.ttl"


def test_shipped_graph_has_no_errors() -> None:
    report = validate()
    errors = [f for f in report.findings if f.severity == "error"]
    assert errors == []
    assert report.conforms
    assert len(report.files) >= 6


def test_violations_name_focus_path_and_message() -> None:
    report = validate([INVALID], lang="en")
    assert not report.conforms
    errors = {(f.focus, f.path) for f in report.findings if f.severity == "error"}
    assert (str(DD["measure-orphan"]), str(CG.status)) in errors
    assert (str(DD["measure-orphan"]), str(CG.startDate)) in errors
    finding = next(f for f in report.findings if f.path == str(CG.status))
    assert finding.focus_label == "Orphan measure"
    assert finding.message


def test_messages_come_in_german_too() -> None:
    english = {f.message for f in validate([INVALID], lang="en").findings}
    german = {f.message for f in validate([INVALID], lang="de").findings}
    assert english != german


def test_cli_exit_codes(runner: CliRunner) -> None:
    ok = runner.invoke(cli, ["validate"])
    assert ok.exit_code == 0, ok.output
    assert "0 errors" in ok.output
    bad = runner.invoke(cli, ["--lang", "en", "validate", str(INVALID)])
    assert bad.exit_code == 1
    assert "ERROR: Orphan measure <https://w3id.org/caregraph/dresden/measure-orphan>" in bad.output
    assert "  path: <https://w3id.org/caregraph/ontology#status>" in bad.output
    assert bad.output.rstrip().endswith("Not valid.")
