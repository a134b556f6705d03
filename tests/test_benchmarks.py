"""Smoke test: the benchmark runs end to end on a tiny graph (no timing is asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
