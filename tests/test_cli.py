"""The CLI: exact output through CliRunner, exit codes, and one real subprocess run."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from caregraph.cli import cli

DATA = Path(__file__).parent / "data"
TINY = ["--data", str(DATA / "tiny.ttl"), "--queries", str(DATA / "queries" / "good")]
DD = "https://w3id.org/caregraph/dresden/"


def invoke(runner: CliRunner, *args: str):
    return runner.invoke(cli, list(args), catch_exceptions=False)


def test_query_csv_exact(runner: CliRunner) -> None:
    result = invoke(
        runner, *TINY, "query", "district_actors", "-p", "district=Leuben", "--format", "csv"
    )
    assert result.exit_code == 0
    assert (
        result.output
        == f'actor,label\n{DD}nachbarschaftshilfe,"Nachbarschaftshilfe ""Süd"" {{#1}}"\n'
    )


def test_query_json_parses(runner: CliRunner) -> None:
    result = invoke(runner, *TINY, "query", "district_actors", "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert [r["label"] for r in rows] == [
        'Nachbarschaftshilfe "Süd" {#1}',
        'Nachbarschaftshilfe "Süd" {#1}',
        "Sozialamt",
    ]


def test_query_tsv_parses(runner: CliRunner) -> None:
    result = invoke(
        runner, *TINY, "query", "district_actors", "-p", "district=Prohlis", "--format", "tsv"
    )
    rows = list(csv.DictReader(io.StringIO(result.output), delimiter="\t"))
    assert {r["actor"] for r in rows} == {DD + "nachbarschaftshilfe", DD + "sozialamt"}


def test_query_table_shows_labels_and_row_count(runner: CliRunner) -> None:
    result = invoke(
        runner, "--lang", "en", *TINY, "query", "district_actors", "-p", "district=Leuben"
    )
    assert result.exit_code == 0
    assert "Neighbourhood help" in result.output  # the actor IRI shown by its English label
    assert result.output.rstrip().endswith("1 row")


def test_output_file_is_written(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    result = invoke(runner, *TINY, "query", "district_actors", "--format", "csv", "-o", str(target))
    assert result.exit_code == 0
    assert result.output == ""
    assert target.read_text(encoding="utf-8").startswith("actor,label\n")
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_unknown_parameter_is_exit_2_with_one_paragraph(runner: CliRunner) -> None:
    result = invoke(runner, *TINY, "query", "district_actors", "-p", "distrikt=Leuben")
    assert result.exit_code == 2
    assert result.output == (
        "Error: Query 'district_actors' has no parameter 'distrikt' (its parameters: district).\n"
    )


def test_param_without_equals_is_a_usage_error(runner: CliRunner) -> None:
    result = invoke(runner, *TINY, "query", "district_actors", "-p", "Leuben")
    assert result.exit_code == 2
    assert "--param takes NAME=VALUE; 'Leuben' has no '='." in result.output


def test_unknown_query_is_exit_2(runner: CliRunner) -> None:
    result = invoke(runner, *TINY, "query", "district_actor")
    assert result.exit_code == 2
    assert (
        "There is no stored query 'district_actor'. Did you mean: district_actors?" in result.output
    )


def test_explain_shows_header_and_sparql(runner: CliRunner) -> None:
    result = invoke(runner, "--lang", "en", *TINY, "query", "district_actors", "--explain")
    assert result.exit_code == 0
    assert result.output.startswith(
        "Actors in a district\n\nWhich actors are active in the district?\n"
    )
    assert "  district (iri): district" in result.output
    assert "SELECT ?actor ?label WHERE {" in result.output


def test_broken_turtle_is_exit_2_with_file_and_line(runner: CliRunner) -> None:
    bad = DATA / "broken" / "unterminated.ttl"
    result = invoke(runner, "validate", str(bad))
    assert result.exit_code == 2
    assert result.output.startswith(
        f"Error: {bad}, line 5, column 33: cannot parse this Turtle file"
    )
    assert "Traceback" not in result.output


def test_missing_data_path_is_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    result = invoke(runner, "--data", str(tmp_path / "none"), "info")
    assert result.exit_code == 2
    assert "no such file or folder" in result.output


def test_help_everywhere(runner: CliRunner) -> None:
    for command in ([], ["queries"], ["query"], ["validate"], ["info"], ["consistency"]):
        result = invoke(runner, *command, "--help")
        assert result.exit_code == 0, command
        assert "Usage: " in result.output


def test_subprocess_python_m_caregraph(tmp_path: Path) -> None:
    env = {**os.environ, "COLUMNS": "100"}
    done = subprocess.run(
        [sys.executable, "-m", "caregraph", *TINY, "query", "district_actors", "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)) == 3
    broken = subprocess.run(
        [sys.executable, "-m", "caregraph", "validate", str(DATA / "broken" / "unterminated.ttl")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert broken.returncode == 2
    assert broken.stdout == ""
    assert "line 5, column 33" in broken.stderr
    assert "Traceback" not in broken.stderr
