"""Measure loading and stored-query speed of both backends on generated city-scale graphs.

Usage: python benchmarks/run.py [--triples N] [--repeat R] [--backends oxigraph,rdflib]

The generated graph follows caregraph's model (actors active in districts, measures with
tasks, responsibilities, goals), so stored queries do real work on it. Figures are printed,
with the ratio rdflib/Oxigraph; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from caregraph.queries import load_catalogue, run_stored
from caregraph.store import open_store

PREFIXES = """@prefix cg: <https://w3id.org/caregraph/ontology#> .
@prefix cgv: <https://w3id.org/caregraph/vocab/> .
@prefix dd: <https://w3id.org/caregraph/dresden/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""
DISTRICTS = ["altstadt", "neustadt", "pieschen", "klotzsche", "loschwitz",
             "blasewitz", "leuben", "prohlis", "plauen", "cotta"]  # fmt: skip
STATUSES = ["planned", "in-review", "in-progress", "done", "unclear"]
SECTORS = ["citizens", "state", "civil-society", "professional-services"]


def generate(path: Path, triples: int, seed: int = 7) -> int:
    """Write a synthetic graph of about ``triples`` triples to ``path``; return the count."""
    rng = random.Random(seed)
    written = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(PREFIXES)
        out.write('dd:bench-source a cg:Source ; rdfs:label "Benchmark"@en .\n')
        i = 0
        while written < triples:
            district = rng.choice(DISTRICTS)
            actor, measure, task, resp = (f"dd:b-actor-{i}", f"dd:b-measure-{i}",
                                          f"dd:b-task-{i}", f"dd:b-resp-{i}")  # fmt: skip
            out.write(
                f'{actor} a cg:Organisation ; rdfs:label "Akteur {i}"@de, "Actor {i}"@en ;\n'
                f"  cg:sector cgv:sector-{rng.choice(SECTORS)} ; cg:activeIn dd:{district} ;\n"
                f"  dcterms:source dd:bench-source .\n"
                f'{measure} a cg:Measure ; rdfs:label "Maßnahme {i}"@de, "Measure {i}"@en ;\n'
                f"  cg:status cgv:status-{rng.choice(STATUSES)} ; cg:targetsArea dd:{district} ;\n"
                f"  cg:hasResponsibility {resp} ; dcterms:source dd:bench-source .\n"
                f'{task} a cg:Task ; rdfs:label "Aufgabe {i}"@de, "Task {i}"@en ;\n'
                f"  cg:partOfMeasure {measure} ; cg:status cgv:status-planned ;\n"
                f"  dcterms:source dd:bench-source .\n"
                f"{resp} a cg:Responsibility ; cg:responsibleActor {actor} ;\n"
                f"  cg:responsibilityRole cgv:role-lead ; cg:certainty cgv:certainty-"
                f"{'confirmed' if rng.random() < 0.8 else 'unconfirmed'} .\n"
            )
            written += 25
            i += 1
    return written


def worker(backend: str, path: Path, queries: list[str], repeat: int) -> dict[str, float]:
    """Load and query in this process; report seconds and the peak resident memory."""
    catalogue = load_catalogue()
    start = time.perf_counter()
    store = open_store([path], backend)
    figures = {"load s": time.perf_counter() - start, "triples": float(len(store))}
    for name in queries:
        best = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            rows = run_stored(catalogue.get(name), store)
            best = min(best, time.perf_counter() - start)
        figures[f"{name} s"] = best
        figures[f"{name} rows"] = float(len(rows))
    figures["peak RSS MiB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--backends", default="oxigraph,rdflib")
    parser.add_argument("--queries", default="responsibilities,actors_in_district")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--graph", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    queries = [q for q in args.queries.split(",") if q]
    if args.worker:  # one backend, in its own process, so its memory is its own
        print(json.dumps(worker(args.worker, Path(args.graph), queries, args.repeat)))
        return 0
    unknown = set(queries) - set(load_catalogue().queries)
    if unknown:
        parser.error(f"unknown queries: {', '.join(sorted(unknown))}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.ttl"
        count = generate(path, args.triples)
        print(
            f"graph: about {count} generated triples ({path.stat().st_size / 2**20:.1f} MiB Turtle)"
        )
        results: dict[str, dict[str, float]] = {}
        for backend in args.backends.split(","):
            done = subprocess.run(
                [sys.executable, __file__, "--worker", backend, "--graph", str(path),
                 "--queries", ",".join(queries), "--repeat", str(args.repeat)],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            results[backend] = json.loads(done.stdout)
            for key, value in results[backend].items():
                print(f"{backend:9} {key:40} {value:12.3f}")
        if "oxigraph" in results and "rdflib" in results:
            print("ratio rdflib / oxigraph (higher = Oxigraph better):")
            for key, ox_value in results["oxigraph"].items():
                if key.endswith((" s", "MiB")) and ox_value > 0:
                    print(f"  {key:40} {results['rdflib'][key] / ox_value:8.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
