"""Measure the persistent store: `caregraph --store DIR query` against Oxigraph's own CLI.

Usage: python benchmarks/store.py [--triples N] [--repeat R] [--queries ID,...] [--dir DIR]
                                  [--reuse-store]

Generates the city-scale graph of ``benchmarks/run.py``, builds a store with
``caregraph load --store DIR`` and then, for each query, runs end to end (new processes):

- ``caregraph --store DIR query ID --format sparql-csv -o FILE``
- ``oxigraph query --location DIR/current --union-default-graph --query-file Q.rq
  --results-format csv --results-file FILE`` with the same SPARQL text (the reserved
  ``?_lang`` replaced by caregraph's default answer language and parameters bound, as
  caregraph does before it runs a stored query) and the same output format (W3C SPARQL CSV);

and reports, best of R, wall-clock and CPU seconds (user + system of the child) of both,
their ratio, and whether both wrote the same rows. With ``--floor`` it also times the least
any Python program can do for the same answer: a bare ``python`` process that imports
pyoxigraph, opens the store, runs the same text and writes the same CSV (no caregraph, no
checks), and reports its ratio to Oxigraph's command line: the floor of caregraph's ratio.
It also times opening the store in Python (``caregraph.open_store(store_dir=DIR)`` plus
the stale-file check every command does). Nothing here asserts a time; see
benchmarks/README.md for recorded figures.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from run import generate

from caregraph.binding import bind
from caregraph.persist import CURRENT, open_store
from caregraph.queries import StoredQuery, bind_parameters, load_catalogue
from caregraph.queries.language import apply_lang, split_lang
from caregraph.store import GraphStore

DEFAULT_QUERIES = [
    "responsibilities",
    "timeline",
    "districts_without_definition",
    "goals_without_measures",
    "multi_district_actors",
    "sector_coverage_per_district",
]


#: The least a Python program does for the answer: open the store, run the text, write CSV.
FLOOR_SCRIPT = """
import sys
import pyoxigraph as ox
store = ox.Store.read_only(sys.argv[1])
with open(sys.argv[2], encoding="utf-8") as handle:
    text = handle.read()
answer = store.query(text, use_default_graph_as_union=True)
rows = answer.serialize(format=ox.QueryResultsFormat.CSV)  # as caregraph does
with open(sys.argv[3], "wb") as handle:
    handle.write(rows)
"""


def oxigraph_program() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(found).exists():
        raise SystemExit("The oxigraph command is missing: pip install oxigraph")
    return found


def caregraph_program() -> list[str]:
    """The ``caregraph`` command beside this Python (what users run), else ``python -m``."""
    found = Path(sys.executable).parent / "caregraph"
    return [str(found)] if found.exists() else [sys.executable, "-m", "caregraph"]


def run_once(command: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system of the child) of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {done.stderr}")
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def timed(commands: dict[str, list[str]], repeat: int) -> dict[str, tuple[float, float]]:
    """Best wall-clock and best CPU seconds of each command over ``repeat`` rounds.

    Each round runs every command once, in turn, so a machine that is slower for a while
    (a shared VM) slows all of them alike instead of the one measured at that moment.
    """
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            runs[name].append(run_once(command))
    return {
        name: (min(w for w, _ in times), min(c for _, c in times)) for name, times in runs.items()
    }


def rows_of(path: Path) -> list[tuple[str, ...]]:
    """The rows of a SPARQL CSV file, sorted (blank node labels are compared as equal)."""
    reader = csv.reader(io.StringIO(path.read_text(encoding="utf-8")))
    header = next(reader, [])
    rows = [tuple("_:" if c.startswith("_:") else c for c in row) for row in reader]
    return [tuple(header), *sorted(rows)]


def caregraphs_text(query: StoredQuery, store: GraphStore) -> str:
    """The SPARQL text ``caregraph query ID`` runs (as ``run_stored``/``stored_sparql_csv``):
    ``?_lang`` replaced by the default answer language, then the parameters bound."""
    own, lang = split_lang({}, None)
    return bind(apply_lang(query.sparql, lang), bind_parameters(query, own, store))


def open_seconds(store_dir: Path, repeat: int) -> float:
    """Best time to open the store and check its files, as every command does."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        store = open_store(store_dir=store_dir)
        store.staleness()  # type: ignore[attr-defined]
        best = min(best, time.perf_counter() - start)
        del store
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--queries", default=",".join(DEFAULT_QUERIES))
    parser.add_argument("--dir", help="work folder (default: a temporary one, removed after)")
    parser.add_argument(
        "--reuse-store", action="store_true", help="use the store already in --dir (no load)"
    )
    parser.add_argument(
        "--floor",
        action="store_true",
        help="also time a bare Python process with pyoxigraph (the floor of caregraph's ratio)",
    )
    args = parser.parse_args(argv)
    work = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="caregraph-store-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        return _run(work, args)
    finally:
        if not args.dir:
            shutil.rmtree(work, ignore_errors=True)


def _run(work: Path, args: argparse.Namespace) -> int:
    graph = work / f"city-{args.triples}.ttl"
    if not graph.exists():
        generate(graph, args.triples)
    store_dir = work / "store"
    caregraph = caregraph_program()
    if args.reuse_store and (store_dir / CURRENT).exists():
        load_wall = load_cpu = float("nan")
    else:
        load_wall, load_cpu = run_once([*caregraph, "load", "--store", str(store_dir), str(graph)])
    store = open_store(store_dir=store_dir)
    print(f"triples in store  {len(store)}")
    print(f"load              wall {load_wall:.2f} s  cpu {load_cpu:.2f} s")
    print(f"open + check      {open_seconds(store_dir, args.repeat):.3f} s")
    catalogue = load_catalogue()
    floor_head = f" {'floor wall/cpu':>16} {'floor ratio':>11}" if args.floor else ""
    print(f"{'query':32} {'caregraph wall/cpu':>20} {'oxigraph wall/cpu':>20} "
          f"{'ratio wall':>10} {'ratio cpu':>10}{floor_head} {'rows':>8} same")  # fmt: skip
    for name in args.queries.split(","):
        query = catalogue.get(name)
        sparql = caregraphs_text(query, store)
        query_file = work / f"{name}.rq"
        query_file.write_text(sparql, encoding="utf-8")
        ours, theirs = work / f"{name}.caregraph.csv", work / f"{name}.oxigraph.csv"
        bare = work / f"{name}.floor.csv"
        commands = {
            "caregraph": [*caregraph, "--store", str(store_dir), "query", name, "--format",
                          "sparql-csv", "-o", str(ours)],
            "oxigraph": [oxigraph_program(), "query", "--location", str(store_dir / CURRENT),
                         "--union-default-graph", "--query-file", str(query_file),
                         "--results-format", "csv", "--results-file", str(theirs)],
        }  # fmt: skip
        if args.floor:
            commands["floor"] = [sys.executable, "-c", FLOOR_SCRIPT, str(store_dir / CURRENT),
                                 str(query_file), str(bare)]  # fmt: skip
        times = timed(commands, args.repeat)
        ours_time, theirs_time = times["caregraph"], times["oxigraph"]
        same = rows_of(ours) == rows_of(theirs)
        floor = ""
        if args.floor:
            same = same and rows_of(bare) == rows_of(theirs)
            floor = (
                f" {times['floor'][0]:>7.2f} / {times['floor'][1]:<6.2f} "
                f"{times['floor'][0] / theirs_time[0]:>11.2f}"
            )
        rows = len(rows_of(ours)) - 1
        print(
            f"{name:32} {ours_time[0]:>9.2f} / {ours_time[1]:<8.2f} "
            f"{theirs_time[0]:>9.2f} / {theirs_time[1]:<8.2f} "
            f"{ours_time[0] / theirs_time[0]:>10.2f} "
            f"{ours_time[1] / max(theirs_time[1], 1e-3):>10.2f}{floor} "
            f"{rows:>8} {'yes' if same else 'NO'}"
        )
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    raise SystemExit(main())
