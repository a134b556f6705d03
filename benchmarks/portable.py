"""Compare the stored queries before and after the portable-SPARQL rewrites, on one graph.

Usage: python benchmarks/portable.py [--triples N] [--repeat R] [--before REV] [--queries CASE,...]

Both versions of each query run on the same generated graph in the same Oxigraph store (one
process), so the figures compare the query texts and nothing else. ``--before`` is a folder
of stored queries, or a git revision whose ``queries/`` folder holds the old texts (default:
2c7a16f, the last commit before the rewrites). Wall time and CPU time (user+sys of this
process; Oxigraph evaluates a query on the calling thread) are the lowest of ``--repeat``
rounds, in which the old and the new text take turns. Nothing is asserted; see
benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).parent))

from run import default_cases, generate, parse_case

from caregraph.queries import Catalogue, load_catalogue, run_stored
from caregraph.store import GraphStore, open_store

ROOT = Path(__file__).resolve().parent.parent


class Run(NamedTuple):
    """The lowest wall and CPU seconds of a query case, and its number of rows."""

    wall: float
    cpu: float
    rows: int


def old_catalogue(revision: str, folder: Path) -> Catalogue:
    """The stored queries as they were at ``revision`` (written into ``folder``)."""
    names = subprocess.run(
        ["git", "ls-tree", "--name-only", f"{revision}:queries/"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    for name in names:
        if name.endswith(".rq"):
            text = subprocess.run(
                ["git", "show", f"{revision}:queries/{name}"],
                cwd=ROOT, capture_output=True, text=True, check=True,
            ).stdout  # fmt: skip
            (folder / name).write_text(text, encoding="utf-8")
    return load_catalogue([folder], bundled=False)


def measure(store: GraphStore, catalogues: list[Catalogue], case: str, repeat: int) -> list[Run]:
    """Each catalogue's lowest wall time, lowest CPU time and row count for ``case``.

    The catalogues take turns, ``repeat`` rounds, so that a burst of load from other
    processes falls on both; the lowest figures are the least disturbed.
    """
    name, params = parse_case(case)
    best = [Run(float("inf"), float("inf"), 0) for _ in catalogues]
    for _ in range(repeat):
        for at, catalogue in enumerate(catalogues):
            wall, cpu = time.perf_counter(), time.process_time()
            rows = len(run_stored(catalogue.get(name), store, params))
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            best[at] = Run(min(best[at].wall, wall), min(best[at].cpu, cpu), rows)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--before", default="2c7a16f")
    parser.add_argument("--queries", default="")
    args = parser.parse_args(argv)
    cases = [q for q in args.queries.split(",") if q] or default_cases()
    with tempfile.TemporaryDirectory() as tmp:
        if Path(args.before).is_dir():
            before = load_catalogue([args.before], bundled=False)
        else:
            before = old_catalogue(args.before, Path(tmp))
        after = load_catalogue()
        path = Path(tmp) / "bench.ttl"
        count = generate(path, args.triples)
        store = open_store([path], "oxigraph")
        print(
            f"graph: about {count} generated triples; Oxigraph; lowest of {args.repeat}", flush=True
        )
        print(
            "| query case | before wall s | before CPU s | after wall s | after CPU s "
            "| rows before | rows after |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|")
        for case in cases:
            old, new = measure(store, [before, after], case, args.repeat)
            print(
                f"| `{case}` | {old.wall:.3f} | {old.cpu:.3f} | {new.wall:.3f} | {new.cpu:.3f} "
                f"| {old.rows} | {new.rows} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
