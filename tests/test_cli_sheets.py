"""``caregraph template`` and ``caregraph import`` on the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import rdflib
from click.testing import CliRunner

from caregraph.cli import cli

SHEETS = Path(__file__).parent / "data" / "sheets"
DD = "https://w3id.org/caregraph/dresden/"


def test_template_writes_a_workbook(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "actors.xlsx"
    result = runner.invoke(cli, ["--lang", "en", "template", "actors", "-o", str(path), "--filled"])
    assert result.exit_code == 0, result.output
    assert "with 20 rows from the graph" in result.output
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Explanation", "Actors", "Examples", "Lists"]
    assert book["Actors"].max_row == 21


def test_template_needs_a_known_kind_and_extension(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["template", "people", "-o", str(tmp_path / "p.xlsx")])
    assert result.exit_code == 2 and "actors" in result.output
    result = runner.invoke(cli, ["template", "goals", "-o", str(tmp_path / "p.pdf")])
    assert result.exit_code == 2
    assert result.output.startswith("Error: ") and "Traceback" not in result.output


def test_import_writes_turtle_that_validates(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "neu.ttl"
    result = runner.invoke(cli, ["import", str(SHEETS / "akteure-neu.csv"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 of 2 rows imported into" in result.output
    graph = rdflib.Graph().parse(out)
    assert (rdflib.URIRef(DD + "seniorentreff-cotta"), None, None) in graph
    checked = runner.invoke(
        cli, ["validate", "--with-bundled", "--no-reasoner", str(out), "--format", "json"]
    )
    assert checked.exit_code == 0, checked.output
    assert json.loads(checked.output)["counts"]["error"] == 0


def test_import_without_output_prints_turtle(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["import", str(SHEETS / "akteure-neu.csv"), "--no-validate"])
    assert result.exit_code == 0
    graph = rdflib.Graph().parse(data=result.stdout, format="turtle")
    assert len(set(graph.subjects(rdflib.RDF.type, None))) == 5  # 2 actors, 2 rows, 1 file


def test_a_bad_sheet_writes_nothing_and_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "neu.ttl"
    result = runner.invoke(
        cli,
        ["--lang", "en", "import", str(SHEETS / "akteure-cp1252.csv"), "-o", str(out)],
    )
    assert result.exit_code == 1
    assert "„Löbtau-Süd“ names nothing suitable in the graph" in result.output
    assert "0 of 1 rows imported; nothing written." in result.output
    assert not out.exists()


def test_import_reports_in_the_validation_formats(runner: CliRunner, tmp_path: Path) -> None:
    bad = str(SHEETS / "aufgaben-deutsches-datum.csv")
    sarif = runner.invoke(cli, ["import", bad, "--format", "sarif", "-o", str(tmp_path / "x.ttl")])
    assert sarif.exit_code == 1
    log = json.loads(sarif.stdout)
    (found,) = log["runs"][0]["results"]
    assert found["ruleId"] == "import/german-date"
    assert found["locations"][0]["physicalLocation"]["region"] == {"startLine": 2, "startColumn": 5}
    github = runner.invoke(
        cli, ["import", bad, "--format", "github", "--report", str(tmp_path / "r.txt")]
    )
    assert github.exit_code == 1
    assert (tmp_path / "r.txt").read_text(encoding="utf-8").startswith("::error file=")
    junit = runner.invoke(cli, ["import", bad, "--format", "junit", "--no-validate"])
    assert '<testsuite name="caregraph.import" tests="1" failures="1"' in junit.output


def test_import_output_must_be_turtle(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        cli, ["import", str(SHEETS / "akteure-neu.csv"), "-o", str(tmp_path / "x.nt")]
    )
    assert result.exit_code == 2 and "*.ttl" in result.output
    assert not (tmp_path / "x.nt").exists()


def test_partial_writes_valid_rows(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "neu.ttl"
    result = runner.invoke(
        cli,
        [
            "import",
            str(SHEETS / "akteure-doppelt.csv"),
            "--partial",
            "-o",
            str(out),
            "--no-validate",
        ],
    )
    assert result.exit_code == 1
    assert "1 of 2 rows imported" in result.output
    assert (rdflib.URIRef(DD + "seniorentreff-prohlis"), None, None) in rdflib.Graph().parse(out)


def test_hostile_and_unreadable_files_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    fake = tmp_path / "akteure.xlsx"
    fake.write_bytes(b"PK\x03\x04 not really")
    result = runner.invoke(cli, ["import", str(fake)])
    assert result.exit_code == 2 and result.output.startswith("Error: ")
    big = runner.invoke(
        cli, ["import", str(SHEETS / "akteure-neu.csv"), "--max-file-size", "0.0001"]
    )
    assert big.exit_code == 2 and "more than the limit" in big.output
    missing = runner.invoke(cli, ["import", str(tmp_path / "none.csv")])
    assert missing.exit_code == 2


def test_round_trip_in_a_real_process(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "caregraph", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            check=False,
        )

    made = run("template", "responsibilities", "--filled", "-o", "z.xlsx")
    assert made.returncode == 0, made.stderr
    imported = run("import", "z.xlsx", "-o", "z.ttl")
    assert imported.returncode == 0, imported.stdout + imported.stderr
    from caregraph.resources import data_dir

    diff = run(
        "diff",
        str(data_dir()),
        "z.ttl",
        "--only-new-resources",
        "--ignore-import-provenance",
        "--exit-code",
    )
    assert diff.returncode == 0 and diff.stdout == "Keine Unterschiede.\n", (
        diff.stdout + diff.stderr
    )
