"""Smoke test: the web benchmark runs end to end on a tiny graph (no timing is asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).parent.parent / "benchmarks" / "web.py"


def test_web_benchmark_runs_on_a_tiny_graph() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--triples", "2000", "--repeat", "1",
         "--cases", "actors_in_district,network_edges?actor=dd:b-actor-1",
         "--resources", "prohlis,b-actor-1"],
        capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    cases = {
        line.split()[0]: line.split() for line in lines if line.startswith(("actors_", "network_"))
    }
    assert set(cases) == {"actors_in_district", "network_edges?actor=dd:b-actor-1"}
    for words in cases.values():
        assert int(words[1]) > 0  # the page showed rows
        assert len(words) == 8  # rows, query s, cpu, page s, cpu, two ratios
    pages = {
        line.split()[0]: line.split() for line in lines if line.startswith(("prohlis", "b-actor-1"))
    }
    assert set(pages) == {"prohlis", "b-actor-1"}
    assert all(int(words[3]) > 1000 for words in pages.values())  # bytes of a real page
