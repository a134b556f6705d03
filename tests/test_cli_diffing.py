"""``caregraph diff`` on the command line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from caregraph.cli import cli

OLD = """@prefix cg: <https://w3id.org/caregraph/ontology#> .
@prefix cgv: <https://w3id.org/caregraph/vocab/> .
@prefix dd: <https://w3id.org/caregraph/dresden/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
dd:task-x a cg:Task ; rdfs:label "Aufgabe X"@de , "Task X"@en ; cg:status cgv:status-planned .
"""


def _files(tmp_path: Path) -> tuple[str, str]:
    old, new = tmp_path / "old.ttl", tmp_path / "new.ttl"
    old.write_text(OLD, encoding="utf-8")
    new.write_text(OLD.replace("status-planned", "status-done"), encoding="utf-8")
    return str(old), str(new)


def test_diff_text_and_exit_code(runner: CliRunner, tmp_path: Path) -> None:
    old, new = _files(tmp_path)
    result = runner.invoke(cli, ["--lang", "de", "diff", old, new])
    assert result.exit_code == 0
    assert (
        result.output
        == "Aufgabe Aufgabe X: Status geplant → erledigt\n\n0 neu, 1 geändert, 0 entfernt.\n"
    )
    assert runner.invoke(cli, ["diff", old, new, "--exit-code"]).exit_code == 1
    assert runner.invoke(cli, ["diff", old, old, "--exit-code"]).exit_code == 0


def test_diff_formats_and_output_file(runner: CliRunner, tmp_path: Path) -> None:
    old, new = _files(tmp_path)
    markdown = runner.invoke(cli, ["--lang", "en", "diff", old, new, "--format", "markdown"])
    assert markdown.output.startswith("- **Task Task X**: status planned → done")
    out = tmp_path / "diff.json"
    assert runner.invoke(cli, ["diff", old, new, "--format", "json", "-o", str(out)]).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["resources"][0]["status"] == "changed"
    ttl = runner.invoke(cli, ["diff", old, new, "--format", "ttl"])
    assert "<urn:caregraph:diff:added> {" in ttl.output


def test_the_ci_example_diff_runs_in_this_checkout() -> None:
    root = Path(__file__).parent.parent
    if shutil.which("git") is None or not (root / ".git").exists():
        pytest.skip("not a git checkout")
    done = subprocess.run(
        [sys.executable, "-m", "caregraph", "diff", "HEAD:data/", "data/", "--format", "markdown"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    workflow = yaml.safe_load((root / "docs" / "ci-example.yml").read_text(encoding="utf-8"))
    steps = " ".join(str(s.get("run", "")) for s in workflow["jobs"]["diff"]["steps"])
    assert 'caregraph --lang de diff "origin/${{ github.base_ref }}:data/" data/' in steps


def test_diff_of_a_missing_side_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["diff", str(tmp_path / "nope.ttl"), str(tmp_path)])
    assert result.exit_code == 2 and result.output.startswith("Error: ")
