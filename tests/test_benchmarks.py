"""Smoke test: the benchmark runs end to end on a tiny graph (no timing is asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from caregraph import resources
from caregraph.queries import load_catalogue

SCRIPT = Path(__file__).parent.parent / "benchmarks" / "run.py"


def test_benchmark_runs_on_a_tiny_graph() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--triples", "500", "--repeat", "1"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "oxigraph  triples" in done.stdout
    assert "ratio rdflib / oxigraph" in done.stdout
    rows: dict[str, dict[str, float]] = {}
    for line in done.stdout.splitlines():
        words = line.split()
        if len(words) == 4 and words[0] in ("oxigraph", "rdflib") and words[2] == "rows":
            rows.setdefault(words[1], {})[words[0]] = float(words[3])
    # every stored query ran (a required parameter gets a generated resource) ...
    ran = {case.split("?")[0] for case in rows}
    assert ran == {query.id for query in load_catalogue()}
    for case, counts in rows.items():
        # ... on both backends, with the same number of rows ...
        assert counts["oxigraph"] == counts["rdflib"], case
        # ... and the generated graph gives each of them something to find
        assert counts["oxigraph"] > 0, case


def test_portable_comparison_runs_on_a_tiny_graph(tmp_path: Path) -> None:
    """benchmarks/portable.py, with the bundled queries as 'before': same rows both sides."""
    done = subprocess.run(
        [sys.executable, str(SCRIPT.with_name("portable.py")), "--triples", "500", "--repeat",
         "1", "--before", str(resources.queries_dir()),
         "--queries", "actors_in_district,sector_coverage_per_district?district=dd:prohlis"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = [line.split("|") for line in done.stdout.splitlines() if line.startswith("| `")]
    assert [r[1].strip() for r in rows] == [
        "`actors_in_district`",
        "`sector_coverage_per_district?district=dd:prohlis`",
    ]
    assert all(r[6].strip() == r[7].strip() and int(r[6]) > 0 for r in rows)


VALIDATE = Path(__file__).parent.parent / "benchmarks" / "validate.py"


def test_validation_benchmark_runs_on_a_tiny_graph() -> None:
    """Both engines give the same number of findings on the generated graph with planted errors."""
    done = subprocess.run(
        [sys.executable, str(VALIDATE), "--triples", "500", "--planted", "1",
         "--engines", "shacl,pyshacl", "--layers", "shapes", "--steps"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    counts: dict[str, set[int]] = {}
    for line in done.stdout.splitlines():
        words = line.split()
        if words and words[0] in ("shacl", "pyshacl"):
            assert "findings" in words, line
            name = " ".join(words[1 : words.index("s")])
            counts.setdefault(name.rsplit(" ", 1)[0], set()).add(
                int(words[words.index("findings") - 1])
            )
    assert set(counts) == {"validate --no-reasoner", "syntax + shapes"}
    steps = [line.split()[1] for line in done.stdout.splitlines() if line.split()[:1] == ["step"]]
    assert steps == ["syntax", "vocabulary", "load", "shapes", "rules"]
    for figures in counts.values():
        assert len(figures) == 1 and figures.pop() > 13  # the same on both engines, every kind


@pytest.mark.reasoner
def test_ontology_benchmark_gives_the_same_findings_with_both_methods() -> None:
    done = subprocess.run(
        [sys.executable, str(VALIDATE), "--triples", "500", "--planted", "1",
         "--layers", "", "--ontology"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    found = {
        line.split("ontology ")[1].split()[0]: int(line.split()[-2])
        for line in done.stdout.splitlines()
        if "syntax + ontology" in line
    }
    assert set(found) == {"hermit", "rules"} and found["hermit"] == found["rules"] > 3


def test_netmap_benchmark_runs_on_a_tiny_graph() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT.parent / "netmap.py"), "--triples", "500"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    steps = [line.split()[1] for line in done.stdout.splitlines()[1:]]
    assert steps == ["load", "network", "gap", "page"]
    assert "20 rows" in done.stdout  # the city, 10 Stadtbezirke, 9 Ortschaften


def test_spreadsheet_benchmark_runs_and_round_trips() -> None:
    script = Path(__file__).parent.parent / "benchmarks" / "sheets.py"
    done = subprocess.run(
        [sys.executable, str(script), "--rows", "5", "--formats", "csv", "--no-validate"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "rows imported                      5 of 5" in done.stdout
    assert "round trip equal (csv)             True" in done.stdout


STARTUP = SCRIPT.parent / "startup.py"


def test_startup_benchmark_times_a_command_in_a_fresh_process() -> None:
    done = subprocess.run(
        [sys.executable, str(STARTUP), "--repeat", "1", "--command=--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    header, row = done.stdout.splitlines()
    assert header.split() == ["command", "wall", "s", "cpu", "s", "exit"]
    command, wall, cpu, exit_code = row.split()
    assert command == "--help" and exit_code == "0"
    assert float(wall) > 0 and float(cpu) > 0


def test_benchmark_commands_work_in_any_checkout() -> None:
    readme = (SCRIPT.parent / "README.md").read_text(encoding="utf-8")
    commands = [line for line in readme.splitlines() if "benchmarks/" in line and ".py" in line]
    assert commands
    for line in commands:
        assert "/work/" not in line and "/home/" not in line, line


STORE_SCRIPT = Path(__file__).parent.parent / "benchmarks" / "store.py"


def test_store_benchmark_runs_on_a_tiny_graph(tmp_path: Path) -> None:
    """caregraph --store and Oxigraph's own CLI give the same rows (no time is asserted)."""
    done = subprocess.run(
        [sys.executable, str(STORE_SCRIPT), "--triples", "500", "--repeat", "1",
         "--queries", "timeline,goals_without_measures", "--dir", str(tmp_path), "--floor"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "open + check" in done.stdout
    lines = [line.split() for line in done.stdout.splitlines()]
    cases = {
        words[0]: words
        for words in lines
        if words and words[0] in ("timeline", "goals_without_measures")
    }
    assert set(cases) == {"timeline", "goals_without_measures"}
    for words in cases.values():
        assert words[-1] == "yes"  # both wrote the same rows
        assert int(words[-2]) > 0
