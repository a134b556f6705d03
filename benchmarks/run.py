"""Measure loading and stored-query speed of both backends on generated city-scale graphs.

Usage: python benchmarks/run.py [--triples N] [--repeat R] [--backends oxigraph,rdflib]
                                [--queries CASE,...] [--timeout S]

The generated graph follows caregraph's model (docs/model.md, ontology/shapes.ttl): Dresden
with its 10 Stadtbezirke and 9 Ortschaften, actors of all sectors active in them and cooperating,
measures and tasks with statuses, due dates, phases, goals, responsibilities (confirmed and
unconfirmed, all four roles) and participants, meetings, definitions and background facts, so
that every stored query does real work on it. Each backend loads the graph and runs the queries
in a process of its own (so its peak memory is its own); the times, row counts and the ratio
rdflib / Oxigraph are printed. Nothing here asserts a time. See benchmarks/README.md.

A query case is a stored query id, optionally with parameters: ``id?name=value&name=value``
(values as for ``caregraph query``, e.g. ``responsibilities?district=dd:prohlis``).
The default cases are every stored query (with its defaults; a required parameter gets a
generated resource) and the parameterised variants in ``VARIANTS``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO

from caregraph.queries import load_catalogue, run_stored
from caregraph.store import open_store

PREFIXES = """@prefix cg: <https://w3id.org/caregraph/ontology#> .
@prefix cgv: <https://w3id.org/caregraph/vocab/> .
@prefix dd: <https://w3id.org/caregraph/dresden/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
DISTRICTS = ["altstadt", "neustadt", "pieschen", "klotzsche", "loschwitz",
             "blasewitz", "leuben", "prohlis", "plauen", "cotta"]  # fmt: skip
LOCALITIES = ["altfranken", "cossebaude", "gompitz", "langebrueck", "mobschatz",
              "oberwartha", "schoenborn", "schoenfeld-weissig", "weixdorf"]  # fmt: skip
STATUSES = ["planned", "in-review", "in-progress", "done", "unclear"]
STATUS_WEIGHTS = [5, 1, 3, 2, 1]
SECTORS = ["citizens", "state", "civil-society", "professional-services"]
FIELDS = ["housing", "care", "intergenerational-encounter", "participation",
          "volunteering", "networking", "funding", "social-planning"]  # fmt: skip
ACTOR_CLASSES = ["WelfareProvider", "Initiative", "AdministrativeUnit", "Body",
                 "Network", "RoundTable", "StakeholderGroup", "Organisation"]  # fmt: skip
ROLES = ["lead", "cooperating", "consulted", "informed"]
PHASES = 4
REPORT = "dd:report-2021-07-13"
MEETING = "dd:meeting-2021-07-13"

# Parameterised variants run in addition to every stored query with its defaults.
REQUIRED = {"actor_profile": "actor_profile?actor=dd:b-actor-1"}
VARIANTS = [
    "actors_in_district?district=dd:dresden",
    "districts_per_actor?actor=dd:b-actor-1",
    "fields_per_district?district=dd:prohlis",
    "goal_contributions?goal=dd:b-goal-0",
    "informed_or_involved?task=dd:b-task-1-0",
    "network_edges?actor=dd:b-actor-1",
    "provenance?source=dd:report-2021-07-13",
    "responsibilities?district=dd:prohlis",
    "responsibilities?status=cgv:status-planned",
    "sector_coverage_per_district?district=dd:prohlis",
    "timeline?phase=dd:b-phase-1",
    "undated_steps?today=2024-06-30",
]


class Turtle:
    """Writes resources as Turtle, one at a time (the graph is never held in memory)."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.count = 0

    def resource(self, subject: str, *pairs: tuple[str, str | list[str]]) -> None:
        """Write ``subject`` with (predicate, object or objects) pairs; skip empty lists."""
        lines = []
        for predicate, objects in pairs:
            values = [objects] if isinstance(objects, str) else objects
            if values:
                lines.append(f"{predicate} {', '.join(values)}")
                self.count += len(values)
        self.out.write(f"{subject} " + " ;\n    ".join(lines) + " .\n")


def labels(de: str, en: str) -> tuple[str, list[str]]:
    return ("rdfs:label", [f'"{de}"@de', f'"{en}"@en'])


def date(day: datetime.date) -> str:
    return f'"{day.isoformat()}"^^xsd:date'


def year(value: int) -> str:
    return f'"{value}"^^xsd:gYear'


def cited(report: bool, slide: int, heading: str) -> list[tuple[str, str | list[str]]]:
    """The source of a resource; report facts carry the slide and its heading."""
    if not report:
        return [("dcterms:source", "dd:bench-source")]
    return [
        ("dcterms:source", REPORT),
        ("cg:sourceSlide", f'"{slide}"^^xsd:integer'),
        ("cg:sourceHeading", f'"{heading}"'),
    ]


def _fixed(w: Turtle) -> None:
    """Sources, the city and its areas, phases and the meeting of 13 July 2021."""
    source = ("dcterms:source", "dd:bench-source")
    w.resource("dd:bench-source", ("a", "cg:Source"), labels("Benchmark", "Benchmark"), source)
    w.resource(REPORT, ("a", "cg:Source"), labels("Bericht", "Report"), source)
    w.resource("dd:bench-background", ("a", "cg:Source"),
               labels("Hintergrund", "Background"), source)  # fmt: skip
    w.resource("dd:dresden", ("a", "cg:City"), labels("Dresden", "Dresden"), source)
    for area, kind in [(d, "cg:UrbanDistrict") for d in DISTRICTS] + [
        (loc, "cg:Locality") for loc in LOCALITIES
    ]:
        name = area.replace("-", " ").title()
        w.resource(f"dd:{area}", ("a", kind), labels(name, name),
                   ("cg:withinArea", "dd:dresden"), source)  # fmt: skip
    for k in range(1, PHASES + 1):
        w.resource(
            f"dd:b-phase-{k}", ("a", "cg:Phase"), labels(f"Phase {k}", f"Phase {k}"),
            ("cg:startYear", year(2019 + 2 * k)), ("cg:endYear", year(2020 + 2 * k)),
            *cited(True, 7, "Wie geht's weiter?"),
        )  # fmt: skip
    w.resource(
        MEETING, ("a", "cg:Meeting"), labels("Treffen am 13. Juli 2021", "Meeting on 13 July 2021"),
        ("cg:date", date(datetime.date(2021, 7, 13))), ("cg:targetsArea", "dd:dresden"),
        *cited(True, 2, "Bericht 13. Juli 2021"),
    )  # fmt: skip


def _definitions(w: Turtle) -> None:
    """The federal definition and local ones for some areas (the rest have none)."""
    w.resource(
        "dd:b-definition-federal", ("a", "cg:Definition"),
        labels("Definition des Bundes", "Federal definition"),
        ("cg:definitionText", '"Sorgende Gemeinschaften sind ..."@de'),
        ("cg:definedBy", "dd:b-actor-0"), *cited(True, 3, "Definition"),
    )  # fmt: skip
    for area, prop in [("prohlis", "cg:definitionOf"), ("weixdorf", "cg:definitionOf"),
                       ("altstadt", "cg:targetsArea")]:  # fmt: skip
        w.resource(
            f"dd:b-definition-{area}", ("a", "cg:Definition"),
            labels(f"Definition {area}", f"Definition {area}"), (prop, f"dd:{area}"),
            ("cg:definedBy", "dd:b-actor-1"), ("dcterms:source", "dd:bench-source"),
        )  # fmt: skip


def _responsibility(w: Turtle, rng: random.Random, iri: str, actor: str, role: str) -> None:
    certainty = "confirmed" if rng.random() < 0.7 else "unconfirmed"
    w.resource(
        iri, ("a", "cg:Responsibility"),
        labels(f"Zuständigkeit {iri[3:]}", f"Responsibility {iri[3:]}"),
        ("cg:responsibleActor", actor), ("cg:responsibilityRole", f"cgv:role-{role}"),
        ("cg:certainty", f"cgv:certainty-{certainty}"), ("dcterms:source", "dd:bench-source"),
    )  # fmt: skip


def _block(w: Turtle, rng: random.Random, i: int) -> None:
    """One actor, one measure with one to three tasks, their responsibilities, and now and
    then a goal, a background fact or a workshop; ``i`` picks the rarer features, so that
    even a tiny graph has each of them."""
    earlier = (lambda: f"dd:b-actor-{rng.randrange(i)}") if i else (lambda: "dd:b-actor-0")
    district = f"dd:{DISTRICTS[i * 7 % len(DISTRICTS)]}"  # Prohlis in block 1

    # the actor
    actor = f"dd:b-actor-{i}"
    areas = [district]
    if i % 5 == 1:
        areas.append(f"dd:{rng.choice(LOCALITIES)}")
    elif i % 5 == 3:
        areas.append(f"dd:{rng.choice(DISTRICTS)}")
    if i % 20 == 7:
        areas = ["dd:dresden"]
    w.resource(
        actor, ("a", f"cg:{ACTOR_CLASSES[i % len(ACTOR_CLASSES)]}"),
        labels(f"Akteur {i}", f"Actor {i}"), ("cg:sector", f"cgv:sector-{rng.choice(SECTORS)}"),
        ("cg:activeIn", sorted(set(areas))),
        ("cg:cooperatesWith", [earlier()] if i and rng.random() < 0.3 else []),
        ("cg:memberOf", [f"dd:b-actor-{rng.randrange(4, i, 8)}"] if i > 4 and i % 10 == 1 else []),
        ("cg:participatesIn", [MEETING] if i % 25 == 2 else []),
        ("cg:certainty", ["cgv:certainty-unconfirmed"] if i % 30 == 11 else []),
        *cited(i % 4 == 0, 2, "Bericht 13. Juli 2021"),
    )  # fmt: skip
    if i % 25 == 12:
        w.resource(MEETING, ("cg:participant", actor))
    if i == 1:
        _definitions(w)

    # a goal now and then; every fourth is served by no measure (by a task or a phase, or
    # by nothing)
    goals = i // 5 + 1
    if i % 5 == 0:
        goal = f"dd:b-goal-{i // 5}"
        w.resource(goal, ("a", "cg:Goal"), labels(f"Ziel {i // 5}", f"Goal {i // 5}"),
                   ("cg:fieldOfAction", f"cgv:field-{rng.choice(FIELDS)}"),
                   *cited(True, 4, "Ziele"))  # fmt: skip
        if i // 5 % 8 == 3 and i // 5 < 16 * PHASES:  # a phase serves a few goals
            w.resource(f"dd:b-phase-{rng.randint(1, PHASES)}", ("cg:servesGoal", goal))

    # the measure, its responsibilities and tasks
    measure = f"dd:b-measure-{i}"
    n_tasks = 1 + i % 3
    tasks = [f"dd:b-task-{i}-{k}" for k in range(n_tasks)]
    served = rng.randrange(goals)
    if served % 4 == 3:
        served -= 1
    resps: list[tuple[str, str, str]] = []
    if i % 6 != 5:  # most measures have a lead, the actor of the block or an earlier one
        resps.append((f"dd:b-resp-{i}", actor if rng.random() < 0.6 else earlier(), "lead"))
    if rng.random() < 0.25:
        resps.append((f"dd:b-resp-{i}-c", earlier(), "cooperating"))
    # phase k runs 2019 + 2k to 2020 + 2k; a measure's years lie in its phase
    phase = rng.randint(1, PHASES) if rng.random() < 0.6 else 0
    start = 2019 + 2 * phase if phase else 2021 + rng.randrange(4)
    status: str | list[str] = (
        [] if i % 97 == 50 else f"cgv:status-{rng.choices(STATUSES, STATUS_WEIGHTS)[0]}"
    )
    w.resource(
        measure, ("a", "cg:Measure"), labels(f"Maßnahme {i}", f"Measure {i}"),
        ("cg:status", status),
        ("cg:targetsArea", [] if i % 50 == 17 else
            [f"dd:{LOCALITIES[i % 9]}"] if i % 10 == 9 else [district]),
        ("cg:inPhase", [f"dd:b-phase-{phase}"] if phase else []),
        ("cg:servesGoal", [f"dd:b-goal-{served}"] if rng.random() < 0.5 else []),
        ("cg:fieldOfAction", f"cgv:field-{rng.choice(FIELDS)}"),
        ("cg:startYear", [year(start)] if i % 5 < 2 else []),
        ("cg:endYear", [year(start + (1 if phase else 1 + i % 3))] if i % 5 < 2 else []),
        ("cg:hasResponsibility", [r[0] for r in resps]),
        ("cg:participant", [earlier()] if rng.random() < 0.25 else []),
        ("cg:hasTask", [t for k, t in enumerate(tasks) if (i + k) % 10 in (4, 5)]),
        *cited(i % 3 == 0, 5, "Nächste Schritte"),
    )  # fmt: skip
    if i % 3 == 0 and i % 10 != 9 and i % 50 != 17:  # a report measure's area, read, is marked
        w.resource(
            f"dd:b-mark-{i}", ("a", "rdf:Statement"), labels(f"Deutung {i}", f"Reading {i}"),
            ("rdf:subject", measure), ("rdf:predicate", "cg:targetsArea"), ("rdf:object", district),
            ("cg:certainty", "cgv:certainty-unconfirmed"), ("dcterms:source", "dd:bench-source"),
            ("cg:rationale", ['"Gelesen aus dem Wortlaut."@de', '"Read from the wording."@en']),
        )  # fmt: skip
    for iri, who, role in resps:
        _responsibility(w, rng, iri, who, role)
    for k, task in enumerate(tasks):
        resp = f"dd:b-resp-{i}-{k}"
        has_resp = rng.random() < 0.5
        due = datetime.date(2021, 3, 1) + datetime.timedelta(days=rng.randrange(6 * 365))
        begin = due - datetime.timedelta(days=50)
        english = [] if (i + k) % 97 == 3 else [f'"Task {i}.{k}"@en']  # now and then missing
        has_due = rng.random() < 0.4
        w.resource(
            task, ("a", "cg:Task"),
            ("rdfs:label", [f'"Aufgabe {i}.{k}"@de', *english]),
            ("cg:partOfMeasure", [] if (i + k) % 10 == 4 else measure),
            ("cg:status", f"cgv:status-{rng.choices(STATUSES, STATUS_WEIGHTS)[0]}"),
            ("cg:dueDate", [date(due)] if has_due else []),
            ("cg:startDate", [date(begin)] if (i + k) % 7 == 0 and begin.year == due.year else []),
            ("cg:hasResponsibility", [resp] if has_resp else []),
            ("cg:participant", [earlier()] if rng.random() < 0.2 else []),
            ("cg:fieldOfAction", [f"cgv:field-{rng.choice(FIELDS)}"] if rng.random() < 0.3 else []),
            ("cg:servesGoal", [f"dd:b-goal-{rng.randrange(goals)}"] if rng.random() < 0.08 else []),
            ("cg:inPhase", [f"dd:b-phase-{(due.year - 2019) // 2}"] if has_due and k == 1 else []),
            ("cg:targetsArea", [f"dd:{rng.choice(DISTRICTS)}"] if rng.random() < 0.1 else []),
            *cited(i % 3 == 0, 6, "Nächste Schritte"),
        )  # fmt: skip
        if has_resp:
            _responsibility(w, rng, resp, earlier() if k else actor, rng.choice(ROLES))

    # a background fact about an actor from the report, and a workshop
    if i % 40 == 2:
        w.resource(
            f"dd:b-background-{i}", ("a", "cg:AdministrativeUnit"),
            labels(f"Hintergrund {i}", f"Background {i}"), ("cg:sector", "cgv:sector-state"),
            ("cg:certainty", "cgv:certainty-unconfirmed"),
            ("rdfs:seeAlso", f"dd:b-actor-{i - i % 4}"),
            ("dcterms:source", "dd:bench-background"),
        )  # fmt: skip
    if i % 50 == 5:
        w.resource(
            f"dd:b-workshop-{i}", ("a", "cg:Workshop"), labels(f"Werkstatt {i}", f"Workshop {i}"),
            ("cg:inPhase", f"dd:b-phase-{rng.randint(1, PHASES)}"), ("cg:targetsArea", district),
            ("cg:participant", sorted({earlier() for _ in range(3)})),
            ("dcterms:source", "dd:bench-source"),
        )  # fmt: skip


def generate(path: Path, triples: int, seed: int = 7) -> int:
    """Write a synthetic graph of about ``triples`` triples to ``path``; return the count.

    The same ``triples`` and ``seed`` always give the same graph.
    """
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        out.write(PREFIXES)
        w = Turtle(out)
        _fixed(w)
        i = 0
        while w.count < triples:
            _block(w, rng, i)
            i += 1
    return w.count


def default_cases() -> list[str]:
    """Every stored query (a required parameter gets a generated resource), then the variants."""
    cases = []
    for query in load_catalogue():
        if any(p.required and p.default is None for p in query.params):
            if query.id not in REQUIRED:
                continue  # a new query with a required parameter: add it to REQUIRED
            cases.append(REQUIRED[query.id])
        else:
            cases.append(query.id)
    return cases + VARIANTS


def parse_case(case: str) -> tuple[str, dict[str, str]]:
    """``id?name=value&name=value`` -> (id, params)."""
    name, _, query = case.partition("?")
    params = dict(part.split("=", 1) for part in query.split("&") if part)
    return name, params


class Timeout(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise Timeout


def worker(
    backend: str, path: Path, cases: list[str], repeat: int, timeout: int = 0
) -> dict[str, float | None]:
    """Load and query in this process; report seconds and the peak resident memory.

    A query that takes longer than ``timeout`` seconds (0: no limit) is reported as None.
    The limit interrupts Python code only, so for Oxigraph it acts when control comes back.
    """
    catalogue = load_catalogue()
    start = time.perf_counter()
    store = open_store([path], backend)
    figures: dict[str, float | None] = {
        "load s": time.perf_counter() - start,
        "triples": float(len(store)),
    }
    signal.signal(signal.SIGALRM, _alarm)
    for case in cases:
        name, params = parse_case(case)
        best: float | None = float("inf")
        rows: float | None = None
        for _ in range(repeat):
            signal.alarm(timeout)
            try:
                start = time.perf_counter()
                rows = float(len(run_stored(catalogue.get(name), store, params)))
                best = min(best, time.perf_counter() - start)  # type: ignore[type-var]
            except Timeout:
                best = rows = None
                break
            finally:
                signal.alarm(0)
        figures[f"{case} s"] = best
        figures[f"{case} rows"] = rows
    figures["peak RSS MiB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return figures


def _show(value: float | None, width: int = 12) -> str:
    return f"{'timeout':>{width}}" if value is None else f"{value:{width}.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--backends", default="oxigraph,rdflib")
    parser.add_argument(
        "--queries", default="", help="comma-separated cases (id or id?name=value&...); "
        "default: every stored query and some parameterised variants",
    )  # fmt: skip
    parser.add_argument("--timeout", type=int, default=0, help="seconds per query, 0 = none")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--graph", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    cases = [q for q in args.queries.split(",") if q] or default_cases()
    if args.worker:  # one backend, in its own process, so its memory is its own
        figures = worker(args.worker, Path(args.graph), cases, args.repeat, args.timeout)
        print(json.dumps(figures))
        return 0
    unknown = {parse_case(case)[0] for case in cases} - set(load_catalogue().queries)
    if unknown:
        parser.error(f"unknown queries: {', '.join(sorted(unknown))}")
    backends = [b for b in args.backends.split(",") if b]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.ttl"
        count = generate(path, args.triples, args.seed)
        size = path.stat().st_size / 2**20
        print(f"graph: about {count} generated triples ({size:.1f} MiB Turtle)", flush=True)
        results: dict[str, dict[str, float | None]] = {}
        for backend in backends:
            done = subprocess.run(
                [sys.executable, __file__, "--worker", backend, "--graph", str(path),
                 "--queries", ",".join(cases), "--repeat", str(args.repeat),
                 "--timeout", str(args.timeout)],
                capture_output=True, text=True, check=False,
            )  # fmt: skip
            if done.returncode != 0:
                print(done.stderr, file=sys.stderr)
                return done.returncode
            results[backend] = json.loads(done.stdout)
            for key, value in results[backend].items():
                print(f"{backend:9} {key:56} {_show(value)}", flush=True)
        if "oxigraph" in results and "rdflib" in results:
            ox, rl = results["oxigraph"], results["rdflib"]
            print("ratio rdflib / oxigraph (higher = Oxigraph better):")
            for key, ox_value in ox.items():
                rl_value = rl.get(key)
                if key.endswith((" s", "MiB")) and ox_value and rl_value is not None:
                    print(f"  {key:56} {rl_value / ox_value:8.1f}x")
        both = "oxigraph" in results and "rdflib" in results
        print(f"\n{'case':56} " + " ".join(f"{b + ' s':>12}" for b in backends)
              + ("    ratio" if both else "") + "        rows")  # fmt: skip
        for case in cases:
            times = [results[b].get(f"{case} s") for b in backends]
            line = f"{case:56} " + " ".join(_show(t) for t in times)
            if both:
                ox_s = results["oxigraph"].get(f"{case} s")
                rl_s = results["rdflib"].get(f"{case} s")
                line += f" {rl_s / ox_s:8.1f}x" if ox_s and rl_s is not None else f"{'-':>9}"
            counts = {int(c) for b in backends if (c := results[b].get(f"{case} rows")) is not None}
            line += f" {'/'.join(str(c) for c in sorted(counts)):>11}"
            print(line + ("  (backends disagree)" if len(counts) > 1 else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
