"""``caregraph map`` and ``caregraph gaps`` (caregraph/cli/netmap.py)."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from click.testing import CliRunner
from support import require_program

from caregraph.cli import cli
from caregraph.namespaces import DD

SVG = "{http://www.w3.org/2000/svg}"


def test_map_writes_the_page(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    result = runner.invoke(cli, ["map", "--lang", "en", "--district", "Prohlis", "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in page and "Network map: caring communities" in page
    assert f'"district": "{DD.prohlis}"' in page
    assert not list(tmp_path.glob(".map.html.*"))  # no temporary file left behind


def test_map_in_german_from_the_global_option(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--lang", "de", "map"])
    assert result.exit_code == 0, result.output
    assert "Netzwerkkarte Sorgende Gemeinschaften" in result.output
    assert "Sozialamt" in result.output


def test_map_static_svg_and_png(runner: CliRunner, tmp_path: Path) -> None:
    require_program("dot")
    result = runner.invoke(
        cli, ["map", "--format", "svg", "--sector", "Organisationen der Zivilgesellschaft"]
    )
    assert result.exit_code == 0, result.output
    svg = ET.fromstring(result.output)
    labels = {
        " ".join(t.text or "" for t in g.iter(f"{SVG}text"))
        for g in svg.iter(f"{SVG}g")
        if g.get("class") == "node"
    }
    assert "Seniorenbeirat" in labels and "Sozialamt" not in labels
    png = tmp_path / "map.png"
    result = runner.invoke(cli, ["map", "-o", str(png), "--field", "care"])
    assert result.exit_code == 0, result.output
    assert png.read_bytes().startswith(b"\x89PNG")


def test_map_errors_are_one_paragraph_with_exit_code_2(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["map", "--district", "Prohlitz"])
    assert result.exit_code == 2
    assert "No district is called 'Prohlitz'. Closest: Prohlis" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(cli, ["map", "--format", "png"])
    assert result.exit_code == 2 and "give -o FILE.png" in result.output
    result = runner.invoke(cli, ["map", "-o", str(tmp_path / "map.pdf")])
    assert result.exit_code == 2 and "'.pdf'" in result.output
    result = runner.invoke(cli, ["map", "--resource-url", "https://example.org/"])
    assert result.exit_code == 2 and "{iri}" in result.output
    result = runner.invoke(cli, ["map", "-o", str(tmp_path / "missing" / "map.html")])
    assert result.exit_code == 2 and "cannot write the file" in result.output


def test_gaps_table_csv_svg_html(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["--lang", "en", "gaps"], env={"COLUMNS": "140"})
    assert result.exit_code == 0, result.output
    assert "Gap matrix" in result.output and "Weixdorf" in result.output
    prohlis = next(line for line in result.output.splitlines() if "Prohlis" in line)
    assert [c.strip() for c in prohlis.strip("│ ").split("│")][1:] == ["–", "4", "1", "1"]
    result = runner.invoke(cli, ["gaps", "--format", "csv", "--fields"])
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == 21
    assert {"Staat", "Pflege und Sorge", "missing"} <= set(rows[0])
    for suffix in ("svg", "html", "csv"):
        out = tmp_path / f"gaps.{suffix}"
        result = runner.invoke(cli, ["gaps", "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert "Prohlis" in out.read_text(encoding="utf-8")
    ET.parse(tmp_path / "gaps.svg")
    result = runner.invoke(cli, ["gaps", "-o", str(tmp_path / "gaps.txt"), "--format", "table"])
    assert result.exit_code == 2


def test_map_runs_as_a_program(tmp_path: Path) -> None:
    out = tmp_path / "gaps.csv"
    done = subprocess.run(
        [sys.executable, "-m", "caregraph", "gaps", "-o", str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8").splitlines()[0].startswith("area,area_label,area_type")
    done = subprocess.run(
        [sys.executable, "-m", "caregraph", "map", "--sector", "nobody"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.startswith("Error: No sector is called 'nobody'.")
