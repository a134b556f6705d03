"""Measure caregraph serve on a generated city-scale graph: stored-query pages and resource pages.

Usage: python benchmarks/web.py [--triples N] [--repeat R] [--cases CASE,...] [--resources IRI,...]

The graph is the one ``benchmarks/run.py`` generates. One process loads it into Oxigraph and
serves it with uvicorn on a free loopback port (in a thread); the same process measures

- each stored query's own time: ``run_stored`` on the store (binding, the query, every row
  read from the engine; rows become rdflib terms only when read, see
  ``caregraph.results.LazyRows``), the best of R runs;
- the page of that query: ``GET /queries/NAME?params`` over HTTP (the query, labels for the
  shown rows, the HTML), the best of R runs, after one warm-up request (which fills the
  parameter choices, computed once per server);
- resource pages: ``GET /dresden/NAME`` (label, types, properties, incoming links, source).

Wall time is the best run; CPU time (user+sys of the whole process, server and client) is
given for the same run, since other processes may share the machine. The ratio page / query
is printed per case. Nothing here asserts a time. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from functools import partial
from pathlib import Path

import uvicorn

sys.path.insert(0, str(Path(__file__).parent))
from run import default_cases, generate, parse_case

from caregraph.queries import load_catalogue, run_stored
from caregraph.store import open_store
from caregraph.web.app import ServeConfig, create_app
from caregraph.web.limits import Limits

RESOURCES = ["dd:prohlis", "dd:b-actor-1", "dd:b-measure-1", "dd:sozialamt", "dd:report-2021-07-13"]


def _cpu() -> float:
    return time.process_time()


def best_of(repeat: int, action: Callable[[], object]) -> tuple[float, float]:
    """The fastest wall time of ``repeat`` calls and the CPU time of that call."""
    best = (float("inf"), 0.0)
    for _ in range(repeat):
        cpu, wall = _cpu(), time.perf_counter()
        action()
        elapsed = (time.perf_counter() - wall, _cpu() - cpu)
        best = min(best, elapsed)
    return best


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=600) as response:
        if response.status != 200:
            raise RuntimeError(f"{url}: HTTP {response.status}")
        return bytes(response.read())


def _server(app: object) -> tuple[uvicorn.Server, str]:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))  # type: ignore[arg-type]
    threading.Thread(target=server.run, daemon=True).start()
    deadline = time.monotonic() + 60
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


def page_url(base: str, iri: str) -> str:
    local = iri.split(":", 1)[-1]
    return f"{base}/dresden/{urllib.parse.quote(local, safe='')}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cases", help="comma-separated query cases (default: as run.py)")
    parser.add_argument("--resources", help="comma-separated dd: names of resource pages")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    cases = args.cases.split(",") if args.cases else default_cases()
    iris = args.resources.split(",") if args.resources else RESOURCES
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "graph.ttl"
        generate(path, args.triples, args.seed)
        start = time.perf_counter()
        store = open_store([path])
        print(f"loaded {len(store)} triples in {time.perf_counter() - start:.1f} s")
    catalogue = load_catalogue()
    # Generous limits: the benchmark measures speed, not refusals.
    limits = Limits(timeout=600, max_rows=10_000_000)
    app = create_app(store, ServeConfig(catalogue=catalogue, limits=limits))
    server, base = _server(app)
    print(f"{'case':58} {'rows':>7} {'query s':>9} {'cpu':>7} {'page s':>9} {'cpu':>7} "
          f"{'ratio wall':>10} {'ratio cpu':>9}")  # fmt: skip
    for case in cases:
        name, params = parse_case(case)
        query = catalogue.get(name)
        url = f"{base}/queries/{name}?" + urllib.parse.urlencode(params)
        # Warm-up (parameter choices are computed once per server); it also gives the rows.
        found = re.search(rb'<span id="row-count">(\d+)</span>', get(url))
        rows = int(found.group(1)) if found else -1
        query_wall, query_cpu = best_of(args.repeat, partial(run_stored, query, store, params))
        page_wall, page_cpu = best_of(args.repeat, partial(get, url))
        ratio = page_wall / query_wall if query_wall else float("nan")
        ratio_cpu = page_cpu / query_cpu if query_cpu else float("nan")
        print(f"{case[:58]:58} {rows:7d} {query_wall:9.3f} {query_cpu:7.3f} {page_wall:9.3f} "
              f"{page_cpu:7.3f} {ratio:10.2f} {ratio_cpu:9.2f}")  # fmt: skip
    print(f"\n{'resource page':40} {'page ms':>9} {'cpu ms':>8} {'bytes':>8}")
    for iri in iris:
        url = page_url(base, iri)
        size = len(get(url))
        wall, cpu = best_of(args.repeat, partial(get, url))
        print(f"{iri:40} {wall * 1000:9.1f} {cpu * 1000:8.1f} {size:8d}")
    server.should_exit = True
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
