"""Smoke test: the benchmark runs end to end on a tiny graph (no timing is asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
    rows = [line for line in done.stdout.splitlines() if "responsibilities rows" in line]
    assert len(rows) == 2 and rows[0].split()[-1] == rows[1].split()[-1]  # both backends agree
