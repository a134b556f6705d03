"""Measure ``caregraph validate`` on generated city-scale graphs: whole run and each layer.

Usage: python benchmarks/validate.py [--triples N,...] [--engines shacl,pyshacl]
                                     [--layers syntax,vocabulary,shapes,rules] [--planted K]
                                     [--steps]

For each size a graph is generated (``run.generate``) with ``K`` copies of the planted errors
of every constraint kind (``planted.plant``), and for each engine one process runs
``caregraph validate --no-reasoner --format json`` on it (the real command, parsing included),
then one process per layer runs that layer alone on top of the syntax layer. Each figure is
wall seconds, CPU seconds (user + system, of the process and its children) and peak resident
memory; CPU time is the fairer figure on a shared machine. ``--ontology`` also measures the
ontology layer with each of ``--reasoners`` (``hermit``, ``rules``), with ``--timeout``
seconds at most (HermiT's own size limit is lifted for the measurement). ``--steps`` also
runs the four fast layers once in one process and prints each step's CPU and wall seconds, as
``validate``'s progress callback reports them (``load`` is loading the shared store, inside
the shapes layer; the shapes figure is without it). Nothing here asserts a time; see
benchmarks/README.md for recorded figures.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from planted import plant
from run import generate

FAST_LAYERS = ("syntax", "vocabulary", "shapes", "rules")


def child(peak_file: str, arguments: list[str]) -> None:
    """Run the caregraph command in this process and write its peak RSS (KiB) at exit."""
    import atexit

    def record() -> None:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        Path(peak_file).write_text(str(peak), encoding="utf-8")

    atexit.register(record)
    sys.argv = ["caregraph", *arguments]
    from caregraph.cli import main

    main()


def steps_child(folder: str, engine: str) -> None:
    """Validate ``folder`` in this process; print each step's start and end times (JSON)."""
    from caregraph.validation import validate
    from caregraph.validation.progress import Progress

    marks: list[tuple[str, str, float, float]] = []

    def note(step: Progress) -> None:
        if step.event != "file":
            marks.append((step.layer, step.event, time.process_time(), time.perf_counter()))

    validate([folder], layers=FAST_LAYERS, engine=engine, progress=note)
    print(json.dumps(marks))


def step_figures(folder: Path, engine: str) -> list[tuple[str, float, float]]:
    """Each step's CPU and wall seconds in one in-process run (``load`` taken out of shapes)."""
    command = [sys.executable, __file__, "--steps-child", str(folder), "--engines", engine]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    marks = json.loads(done.stdout.strip().splitlines()[-1])
    began: dict[str, tuple[float, float]] = {}
    figures: dict[str, list[float]] = {}
    for layer, event, cpu, wall in marks:
        if event == "start":
            began[layer] = (cpu, wall)
        else:
            figures[layer] = [cpu - began[layer][0], wall - began[layer][1]]
    if "load" in figures and "shapes" in figures:
        figures["shapes"] = [a - b for a, b in zip(figures["shapes"], figures["load"], strict=True)]
    return [(layer, cpu, wall) for layer, (cpu, wall) in figures.items()]


def measure(arguments: list[str], timeout: float) -> dict[str, float | str]:
    """Run caregraph with ``arguments`` in a child; wall and CPU seconds, its peak RSS."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.NamedTemporaryFile(suffix=".peak") as peak:
        command = [sys.executable, __file__, "--child", peak.name, "--", *arguments]
        start = time.perf_counter()
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout or None)
        except subprocess.TimeoutExpired:
            return {"status": f"timeout after {timeout:.0f} s"}
        wall = time.perf_counter() - start
        text = Path(peak.name).read_text(encoding="utf-8")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    figures: dict[str, float | str] = {
        "wall s": wall,
        "cpu s": cpu,
        "peak RSS MiB": int(text) / 1024 if text else 0.0,
        "exit": float(done.returncode),
    }
    if done.returncode in (0, 1):
        try:
            report = json.loads(done.stdout)
            figures["findings"] = float(len(report["findings"]))
        except (ValueError, KeyError):
            pass
    else:
        figures["status"] = done.stderr.strip().splitlines()[-1] if done.stderr else "failed"
    return figures


def validate_command(
    folder: Path, engine: str, skip: list[str], reasoner: str = "auto"
) -> list[str]:
    command = ["--lang", "en", "validate", "--format", "json", "--engine", engine, str(folder)]
    command += ["--reasoner", reasoner]
    return command + [arg for layer in skip for arg in ("--skip", layer)]


def _show(figures: dict[str, float | str]) -> str:
    if "wall s" not in figures:
        return str(figures.get("status", "?"))
    text = (
        f"{figures['wall s']:8.2f} s wall {figures['cpu s']:8.2f} s CPU "
        f"{figures['peak RSS MiB']:7.0f} MiB"
    )
    if "findings" in figures:
        text += f" {int(figures['findings']):7d} findings"
    if "status" in figures:
        text += f"  ({figures['status']})"
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", default="20000,100000")
    parser.add_argument("--engines", default="shacl")
    parser.add_argument("--layers", default=",".join(FAST_LAYERS[1:]))
    parser.add_argument("--planted", type=int, default=5)
    parser.add_argument("--ontology", action="store_true", help="also time the ontology layer")
    parser.add_argument("--reasoners", default="hermit,rules", help="methods of --ontology")
    parser.add_argument("--timeout", type=float, default=0, help="seconds per run, 0 = none")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--steps", action="store_true", help="also time each step in-process")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--steps-child", help=argparse.SUPPRESS)
    parser.add_argument("arguments", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.arguments)
    if args.steps_child:
        steps_child(args.steps_child, args.engines.split(",")[0])
        return 0
    layers = [layer for layer in args.layers.split(",") if layer]
    for size in (int(n) for n in args.triples.split(",") if n):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            count = generate(folder / "graph.ttl", size, args.seed)
            plant(folder / "planted.ttl", args.planted)
            megabytes = sum(p.stat().st_size for p in folder.iterdir()) / 2**20
            print(f"graph: {count} generated triples + planted errors ({megabytes:.1f} MiB)")
            for engine in (e for e in args.engines.split(",") if e):
                every = [*FAST_LAYERS[1:], "ontology"]
                whole = measure(validate_command(folder, engine, ["ontology"]), args.timeout)
                print(f"  {engine:8} {'validate --no-reasoner':23} {_show(whole)}", flush=True)
                for layer in layers:
                    if layer == "shapes" or engine == args.engines.split(",")[0]:
                        skip = [other for other in every if other != layer]
                        alone = measure(validate_command(folder, engine, skip), args.timeout)
                        name = "syntax alone" if layer == "syntax" else f"syntax + {layer}"
                        print(f"  {engine:8} {name:23} {_show(alone)}", flush=True)
                if args.steps and engine == args.engines.split(",")[0]:
                    for layer, cpu, wall in step_figures(folder, engine):
                        print(f"  step     {layer:23} {wall:8.2f} s wall {cpu:8.2f} s CPU")
                if args.ontology and engine == args.engines.split(",")[0]:
                    os.environ["CAREGRAPH_MAX_REASONER_TRIPLES"] = str(10**9)
                    if args.timeout:  # HermiT's Java is stopped by caregraph itself
                        os.environ["CAREGRAPH_REASONER_TIMEOUT"] = str(max(args.timeout - 60, 1))
                    skip = [other for other in every if other != "ontology"]
                    for reasoner in (r for r in args.reasoners.split(",") if r):
                        command = validate_command(folder, engine, skip, reasoner)
                        alone = measure(command, args.timeout)
                        name = f"syntax + ontology {reasoner}"
                        print(f"  {engine:8} {name:23} {_show(alone)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
