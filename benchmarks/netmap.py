"""Measure the network map and the gap matrix on generated city-scale graphs.

Usage: python benchmarks/netmap.py [--triples N[,N...]] [--static]

Uses the graph generator of ``benchmarks/run.py`` (Dresden's areas, actors of all sectors
cooperating and responsible for measures and tasks, meetings). For each size it loads the
graph into Oxigraph, then times reading the network (``load_network``), the gap matrix
(``matrix_of``), the page (``map_html``) and, with ``--static``, the Graphviz map; it prints
wall time and CPU time (user + system of this process and its children, e.g. Graphviz),
the number of nodes and edges and the page size. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from run import generate  # the generator of the query benchmark

from caregraph.netmap import load_network, map_html, matrix_of, render_static
from caregraph.store import open_store


def timed(step: Callable[[], Any]) -> tuple[Any, float, float]:
    """Run ``step``; return its result, wall seconds and CPU seconds (user + system)."""
    before, start = os.times(), time.perf_counter()
    result = step()
    after, wall = os.times(), time.perf_counter() - start
    cpu = sum(after[:4]) - sum(before[:4])
    return result, wall, cpu


def main(argv: list[str] | None = None) -> int:
    """Generate each size, run the steps, print one line per step."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", default="20000,100000")
    parser.add_argument("--static", action="store_true", help="also draw the Graphviz map")
    args = parser.parse_args(argv)
    print(f"{'triples':>9} {'step':<14} {'wall s':>8} {'cpu s':>8}  result")
    for size in (int(n) for n in args.triples.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "graph.ttl"
            triples = generate(path, size)
            store, wall, cpu = timed(lambda p=path: open_store([p]))
            print(f"{triples:>9} {'load':<14} {wall:>8.2f} {cpu:>8.2f}  {len(store)} triples")
            network, wall, cpu = timed(lambda s=store: load_network(s, "en"))
            shown = f"{len(network.nodes)} nodes, {len(network.edges)} edges"
            print(f"{triples:>9} {'network':<14} {wall:>8.2f} {cpu:>8.2f}  {shown}")
            matrix, wall, cpu = timed(lambda n=network: matrix_of(n, fields=True))
            print(
                f"{triples:>9} {'gap matrix':<14} {wall:>8.2f} {cpu:>8.2f}  {len(matrix.rows)} rows"
            )
            page, wall, cpu = timed(lambda n=network, m=matrix: map_html(n, matrix=m))
            print(f"{triples:>9} {'page':<14} {wall:>8.2f} {cpu:>8.2f}  {len(page) // 1024} KiB")
            if args.static:
                svg, wall, cpu = timed(lambda n=network: render_static(n, "svg"))
                size_kib = len(svg) // 1024
                print(f"{triples:>9} {'static svg':<14} {wall:>8.2f} {cpu:>8.2f}  {size_kib} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
