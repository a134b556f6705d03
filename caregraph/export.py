"""Writing the graph in the RDF syntaxes other linked-data tools read.

Six syntaxes (``EXPORT_FORMATS``): Turtle, N-Triples, N-Quads, TriG, JSON-LD and RDF/XML.
Every output is deterministic: the same graph gives the same bytes, whatever the order
the triples were read in, so an export kept under version control changes only where the
data did. Turtle uses caregraph's fixed prefixes (``cg:``, ``dd:``, ...) and sorts resources
and properties; blank nodes get canonical names (``rdflib.compare``). N-Triples and N-Quads
are written by pyoxigraph (canonical N-Triples, one statement a line, sorted), the others by
rdflib. JSON-LD is compacted with the context shipped in ``ontology/context.jsonld``, so its
keys read like ``label``, ``responsibleActor`` or ``targetsArea``.

In the quad syntaxes (N-Quads, TriG) the data is the default graph; the ontology and the
inferred triples, when asked for, are the named graphs ``ONTOLOGY_GRAPH`` and
``INFERRED_GRAPH``. The triple syntaxes merge everything into one graph.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

import pyoxigraph as ox
import rdflib
from rdflib import OWL, RDF, RDFS, XSD, BNode, URIRef
from rdflib.compare import isomorphic, to_canonical_graph
from rdflib.plugins.serializers.turtle import TurtleSerializer
from rdflib.term import Node

from caregraph import resources
from caregraph.errors import InputError, UsageError
from caregraph.loading import load_ontology
from caregraph.namespaces import (
    CG,
    DEFAULT_PREFIXES,
    ONTOLOGY_GRAPH,
    OTHER_PREFIXES,
    bind_prefixes,
    is_safe_iri,
)
from caregraph.reasoning import infer
from caregraph.store import GraphStore, to_oxigraph

#: Named graph of the triples HermiT infers, in N-Quads and TriG exports.
INFERRED_GRAPH = URIRef("https://w3id.org/caregraph/graph/inferred")

Writer = Literal["rdflib", "oxigraph"]


@dataclass(frozen=True)
class ExportFormat:
    """One RDF syntax caregraph writes."""

    key: str
    name: str
    extension: str
    media_type: str
    writer: Writer
    quads: bool = False


#: The syntaxes of ``caregraph export --format``, by their usual file extension.
EXPORT_FORMATS: dict[str, ExportFormat] = {
    "ttl": ExportFormat("ttl", "Turtle", ".ttl", "text/turtle", "rdflib"),
    "nt": ExportFormat("nt", "N-Triples", ".nt", "application/n-triples", "oxigraph"),
    "nq": ExportFormat("nq", "N-Quads", ".nq", "application/n-quads", "oxigraph", quads=True),
    "trig": ExportFormat("trig", "TriG", ".trig", "application/trig", "rdflib", quads=True),
    "jsonld": ExportFormat("jsonld", "JSON-LD", ".jsonld", "application/ld+json", "rdflib"),
    "xml": ExportFormat("xml", "RDF/XML", ".rdf", "application/rdf+xml", "oxigraph"),
}


#: Properties whose values are texts in German and English: a language map in JSON-LD.
_LANGUAGE_MAPPED = (
    RDFS.label,
    RDFS.comment,
    URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"),
    URIRef("http://www.w3.org/2004/02/skos/core#altLabel"),
    URIRef("http://www.w3.org/2004/02/skos/core#hiddenLabel"),
    URIRef("http://www.w3.org/2004/02/skos/core#definition"),
    URIRef("http://www.w3.org/2004/02/skos/core#note"),
    URIRef("http://www.w3.org/2004/02/skos/core#scopeNote"),
    URIRef("http://www.w3.org/2004/02/skos/core#example"),
    URIRef("http://purl.org/dc/terms/title"),
    URIRef("http://purl.org/dc/terms/description"),
    CG.rationale,
)

#: Ranges of texts with a language tag: ``rdf:langString``, and OWL 2's ``rdf:PlainLiteral``
#: (the ontology uses the latter to stay in OWL 2 DL).
_LANGUAGE_RANGES = (RDF.langString, URIRef(str(RDF) + "PlainLiteral"))

#: The namespace of the DCAT description of the data (``data/catalog.ttl``).
CATALOG = "https://w3id.org/caregraph/catalog#"

#: Prefixes of the vocabularies the catalogue and the ontology's header use besides
#: ``DEFAULT_PREFIXES``: the catalogue's own ``cat:``, DCAT, FOAF and VANN.
_MORE_PREFIXES: dict[str, str] = {"cat": CATALOG, **OTHER_PREFIXES}

#: The prefixes of every export (and of the JSON-LD context).
EXPORT_PREFIXES: dict[str, str] = {**DEFAULT_PREFIXES, **_MORE_PREFIXES}


def _bind_export_prefixes(graph: rdflib.Graph) -> rdflib.Graph:
    """caregraph's prefixes and those of ``_MORE_PREFIXES`` bound on ``graph``."""
    bind_prefixes(graph)
    for prefix, namespace in _MORE_PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


@dataclass
class ExportGraph:
    """What an export writes: the data, and optionally the ontology and inferred triples."""

    data: rdflib.Graph
    ontology: rdflib.Graph | None = None
    inferred: rdflib.Graph | None = None

    def parts(self) -> list[tuple[URIRef | None, rdflib.Graph]]:
        """(graph name, triples) pairs; ``None`` names the default graph."""
        named = [(ONTOLOGY_GRAPH, self.ontology), (INFERRED_GRAPH, self.inferred)]
        return [(None, self.data)] + [(name, g) for name, g in named if g is not None]

    def merged(self) -> rdflib.Graph:
        """All parts in one graph."""
        graph = rdflib.Graph()
        for _, part in self.parts():
            for triple in part:
                graph.add(triple)
        return graph

    def __len__(self) -> int:
        return sum(len(part) for _, part in self.parts())


def export_format(name: str) -> ExportFormat:
    """The export syntax called ``name`` (an extension such as ``ttl``, with or without dot).

    Raises:
        UsageError: caregraph does not write that syntax.
    """
    fmt = EXPORT_FORMATS.get(name.lower().lstrip("."))
    if fmt is None:
        raise UsageError(
            f"caregraph cannot export to '{name}'; choose one of: {', '.join(EXPORT_FORMATS)}."
        )
    return fmt


_ALL_TRIPLES = "CONSTRUCT WHERE { ?s ?p ?o }"


def collect(
    store: GraphStore | rdflib.Graph,
    *,
    with_ontology: bool = False,
    inferred: bool = False,
    allow_network: bool = False,
) -> ExportGraph:
    """Gather what to export from a store holding the data (without the ontology).

    Args:
        store: the data: a graph parsed by rdflib (exact: Oxigraph stores integer
            subtypes such as ``xsd:positiveInteger`` as ``xsd:integer``), a store of
            loaded files, a persistent store or an endpoint.
        with_ontology: add caregraph's OWL ontology.
        inferred: add the triples the reasoner HermiT infers (needs Java; slow on big graphs).
        allow_network: let the reasoner follow ``owl:imports``.

    Raises:
        QueryError: the store (e.g. an endpoint) could not give its triples.
        ReasonerError: ``inferred`` was asked for and HermiT could not run.
    """
    found = store if isinstance(store, rdflib.Graph) else store.query(_ALL_TRIPLES)
    if not isinstance(found, rdflib.Graph):  # pragma: no cover - CONSTRUCT always gives a graph
        raise InputError("The store did not return a graph for its triples.")
    data = rdf11(found)
    result = ExportGraph(data)
    if with_ontology:
        result.ontology = load_ontology()
        _remove_ontology(data, result.ontology)
    if inferred:
        result.inferred = infer(data_graph=data, allow_network=allow_network)
    return result


def serialize(graph: ExportGraph | rdflib.Graph, fmt: str) -> str:
    """Write ``graph`` in the export syntax ``fmt`` (a key of ``EXPORT_FORMATS``).

    Raises:
        UsageError: the syntax is unknown.
        InputError: the graph holds an IRI that no RDF syntax can write (e.g. with a space).
    """
    syntax = export_format(fmt)
    parts = graph if isinstance(graph, ExportGraph) else ExportGraph(graph)
    try:
        return _serialize(parts, syntax)
    except Exception as exc:  # the writers fail in their own ways on such an IRI
        bad = _unwritable_iri(parts)
        if bad is None:
            raise
        raise InputError(
            f"The graph holds the IRI <{bad}>, which no RDF syntax can write (it contains a "
            'space or one of <>"{}|^`\\). Fix it in the data; `caregraph validate` shows the '
            "file and line."
        ) from exc


def _unwritable_iri(parts: ExportGraph) -> URIRef | None:
    for _, part in parts.parts():
        for triple in part:
            for term in triple:
                if isinstance(term, URIRef) and not is_safe_iri(str(term)):
                    return term
    return None


def _serialize(parts: ExportGraph, syntax: ExportFormat) -> str:
    key = syntax.key
    if syntax.writer == "oxigraph":
        return _write_oxigraph(parts, key)
    if key == "trig":
        dataset = rdflib.Dataset()
        _bind_export_prefixes(dataset)
        for name, part in parts.parts():
            target = dataset.default_graph if name is None else dataset.graph(name)
            for triple in _sorted_triples(part):
                target.add(triple)
        return dataset.serialize(format="trig")
    ordered = _bind_export_prefixes(rdflib.Graph())
    for triple in _sorted_triples(parts.merged()):
        ordered.add(triple)
    if key == "jsonld":
        return _json_ld(ordered)
    stream = io.BytesIO()
    _SortedTurtle(ordered).serialize(stream, encoding="utf-8")
    return stream.getvalue().decode("utf-8")


class _SortedTurtle(TurtleSerializer):
    """rdflib's Turtle, with resources in the order of their IRIs.

    rdflib puts classes first and orders the rest by how often they are referenced, so
    one new reference would move a whole block; sorted IRIs keep a diff local. Blank
    nodes that are not written inline come last.
    """

    def orderSubjects(self) -> list[Any]:
        subjects = list(self._subjects)
        named = sorted((s for s in subjects if not isinstance(s, BNode)), key=str)
        blank = sorted(
            (s for s in subjects if isinstance(s, BNode)),
            key=lambda s: (self._references[s], str(s)),
        )
        return named + blank


#: Stand-in IRIs for blank nodes while rdflib writes JSON-LD (see ``_json_ld``).
_BNODE_IRI = "urn:x-caregraph-bnode:"


def _json_ld(graph: rdflib.Graph) -> str:
    """JSON-LD compacted with caregraph's context, every resource a top-level node.

    rdflib drops a blank node that is the value of an ``@id``-typed key (it writes the
    reference but not the node), so blank nodes are written as stand-in IRIs and turned
    back into ``_:`` identifiers afterwards. Nodes are sorted (rdflib's order follows a set).
    """
    named = rdflib.Graph()
    for triple in graph:
        named.add(tuple(URIRef(_BNODE_IRI + t) if isinstance(t, BNode) else t for t in triple))  # type: ignore[arg-type]
    text = named.serialize(format="json-ld", context=json_ld_context(), auto_compact=True)
    document = _restore_blank_nodes(json.loads(text))
    if isinstance(document, dict) and isinstance(document.get("@graph"), list):
        document["@graph"].sort(key=lambda node: json.dumps(node, sort_keys=True))
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _restore_blank_nodes(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_BNODE_IRI):
        return "_:" + value[len(_BNODE_IRI) :]
    if isinstance(value, list):
        return [_restore_blank_nodes(v) for v in value]
    if isinstance(value, dict):
        return {k: _restore_blank_nodes(v) for k, v in value.items()}
    return value


def _remove_ontology(data: rdflib.Graph, ontology: rdflib.Graph) -> None:
    """Remove the ontology's triples from ``data`` (an endpoint may hold it too): write it once.

    Its blank nodes (class unions, restrictions, lists, disjointness axioms) have other
    names on a server, so they are found by where they hang: below an ontology term, by a
    property the ontology uses there with a blank node; or, for a blank node nothing points
    to, by the shape of all that hangs below it.
    """
    for triple in ontology:
        if not any(isinstance(t, BNode) for t in triple):
            data.remove(triple)
    anchors = {(s, p) for s, p, o in ontology if isinstance(o, BNode) and isinstance(s, URIRef)}
    hanging = [(s, p, o) for s, p, o in data if (s, p) in anchors and isinstance(o, BNode)]
    roots = [_below(data, r) for r in _root_blank_nodes(data)]
    known = [_below(ontology, r) for r in _root_blank_nodes(ontology)]
    for triple in hanging:
        data.remove(triple)
        for below in _below(data, triple[2]):
            data.remove(below)
    for closure in roots:
        graph = _graph_of(closure)
        if any(len(k) == len(closure) and isomorphic(graph, _graph_of(k)) for k in known):
            for triple in closure:
                data.remove(triple)


def _root_blank_nodes(graph: rdflib.Graph) -> list[BNode]:
    objects = {o for o in graph.objects() if isinstance(o, BNode)}
    return [s for s in set(graph.subjects()) if isinstance(s, BNode) and s not in objects]


def _below(graph: rdflib.Graph, node: Node) -> list[tuple[Node, Node, Node]]:
    """The triples of ``node`` and of every blank node below it."""
    found: list[tuple[Node, Node, Node]] = []
    todo, seen = [node], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for p, o in graph.predicate_objects(current):
            found.append((current, p, o))
            if isinstance(o, BNode):
                todo.append(o)
    return found


def _graph_of(triples: list[tuple[Node, Node, Node]]) -> rdflib.Graph:
    graph = rdflib.Graph()
    for triple in triples:
        graph.add(triple)
    return graph


def rdf11(graph: rdflib.Graph) -> rdflib.Graph:
    """The graph with ``"x"^^xsd:string`` written ``"x"``: the same literal since RDF 1.1.

    Oxigraph gives every simple literal its ``xsd:string`` datatype, rdflib keeps none;
    without this the same data would be two different graphs to rdflib.
    """
    out = rdflib.Graph()
    for s, p, o in graph:
        if isinstance(o, rdflib.Literal) and o.datatype == XSD.string:
            o = rdflib.Literal(str(o))
        out.add((s, p, o))
    return out


def _canonical(graph: rdflib.Graph) -> rdflib.Graph:
    """The graph with blank nodes named by their content, so the names never change."""
    if not any(isinstance(t, BNode) for triple in graph for t in triple):
        return graph
    return to_canonical_graph(graph)


def _sorted_triples(graph: rdflib.Graph) -> list[tuple[Node, Node, Node]]:
    """Triples, blank nodes named canonically, in a fixed order (rdflib keeps insertion order)."""
    return sorted(_canonical(graph), key=lambda t: tuple(_sort_key(x) for x in t))


def _sort_key(term: Node) -> tuple[str, str]:
    return (type(term).__name__, term.n3())


def _write_oxigraph(parts: ExportGraph, key: str) -> str:
    """N-Triples, N-Quads (sorted lines) or RDF/XML (sorted triples) written by pyoxigraph."""
    if key == "nq":
        quads = [
            ox.Quad(
                to_oxigraph(s),  # type: ignore[arg-type]
                to_oxigraph(p),  # type: ignore[arg-type]
                to_oxigraph(o),
                ox.DefaultGraph() if name is None else ox.NamedNode(str(name)),
            )
            for name, part in parts.parts()
            for s, p, o in _canonical(part)
        ]
        return _sorted_lines(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
    triples = [
        ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]
        for s, p, o in _sorted_triples(parts.merged())
    ]
    if key == "nt":
        return _sorted_lines(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
    used = {t.predicate.value for t in triples}
    prefixes = {
        prefix: namespace
        for prefix, namespace in EXPORT_PREFIXES.items()
        if any(iri.startswith(namespace) for iri in used)
    }
    data = ox.serialize(triples, format=ox.RdfFormat.RDF_XML, prefixes=prefixes)
    return (data or b"").decode("utf-8")


def _sorted_lines(data: bytes | None) -> str:
    lines = sorted(set((data or b"").decode("utf-8").splitlines()))
    return "\n".join(lines) + ("\n" if lines else "")


def context_path() -> Any:
    """The JSON-LD context shipped with caregraph (``ontology/context.jsonld``)."""
    return resources.ontology_dir() / "context.jsonld"


@cache
def _shipped_context() -> str:
    return context_path().read_text(encoding="utf-8")


def json_ld_context() -> dict[str, Any]:
    """The ``@context`` object of ``ontology/context.jsonld``."""
    return dict(json.loads(_shipped_context())["@context"])


def build_context(ontology: rdflib.Graph) -> dict[str, Any]:
    """The JSON-LD context caregraph ships, built from the ontology.

    Every property the ontology declares gets a key named like its local name
    (``responsibleActor``, ``targetsArea``); caregraph's own properties win where two
    vocabularies use the same local name, the other stays a prefixed name
    (``org:memberOf``). Links to resources are ``@id``-typed, dates and numbers carry
    their datatype, and texts in German and English are language maps
    (``"label": {"de": ..., "en": ...}``).
    """
    context: dict[str, Any] = {"@version": 1.1, "id": "@id", "type": "@type"}
    context.update(EXPORT_PREFIXES)
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    declared = {p for kind in kinds for p in ontology.subjects(RDF.type, kind)}
    declared |= {RDFS.label, RDFS.comment, RDFS.seeAlso}
    properties = sorted(
        (p for p in declared if isinstance(p, URIRef)),
        key=lambda p: (not str(p).startswith(str(CG)), str(p)),
    )
    for prop in properties:
        local = _local_name(prop)
        if not local or local in context:
            continue
        term: dict[str, Any] = {"@id": _prefixed(prop)}
        ranges = set(ontology.objects(prop, RDFS.range))
        if prop in _LANGUAGE_MAPPED or any(r in ranges for r in _LANGUAGE_RANGES):
            term["@container"] = "@language"
        elif (prop, RDF.type, OWL.ObjectProperty) in ontology or prop == RDFS.seeAlso:
            term["@type"] = "@id"
        else:
            typed = [r for r in ranges if isinstance(r, URIRef) and str(r).startswith(str(XSD))]
            if len(typed) == 1 and typed[0] != XSD.string:
                term["@type"] = _prefixed(typed[0])
        context[local] = term
    return context


def context_document(ontology: rdflib.Graph) -> str:
    """The text of ``ontology/context.jsonld`` for this ontology."""
    return json.dumps({"@context": build_context(ontology)}, indent=2, ensure_ascii=False) + "\n"


def _local_name(iri: URIRef) -> str:
    text = str(iri)
    for separator in ("#", "/"):
        if separator in text:
            text = text.rsplit(separator, 1)[1]
    return text if text.isidentifier() else ""


def _prefixed(iri: URIRef) -> str:
    for prefix, namespace in EXPORT_PREFIXES.items():
        if str(iri).startswith(namespace):
            return f"{prefix}:{str(iri)[len(namespace) :]}"
    return str(iri)


def export_graph(
    store: GraphStore,
    fmt: str = "ttl",
    *,
    with_ontology: bool = False,
    inferred: bool = False,
    allow_network: bool = False,
) -> str:
    """The graph in ``store`` written in the export syntax ``fmt``; see ``collect``."""
    syntax = export_format(fmt)
    parts = collect(
        store, with_ontology=with_ontology, inferred=inferred, allow_network=allow_network
    )
    return serialize(parts, syntax.key)
