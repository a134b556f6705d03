"""What the web pages show, as data: resource descriptions, search hits, the home summary.

Everything here runs SPARQL through the ``GraphStore`` interface with user values bound
as RDF terms, so it works on every backend (Oxigraph, rdflib, a remote endpoint) and
returns plain dataclasses that templates only print.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from urllib.parse import quote

import rdflib
from markupsafe import Markup, escape
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from caregraph.binding import bind
from caregraph.info import graph_info
from caregraph.labels import labels_for, pick_text
from caregraph.namespaces import CG, CGV, DD, compact
from caregraph.store import GraphStore, select

#: Namespaces whose IRIs have a page at the same path as under https://w3id.org/caregraph/.
W3ID = "https://w3id.org/caregraph/"
_PAGE_NAMESPACES = {str(DD): "/dresden/", str(CGV): "/vocab/"}
_SOURCE = URIRef("http://purl.org/dc/terms/source")
_SOURCE_FIELDS = {CG.sourceSlide: "slide", CG.sourceHeading: "heading", CG.sourceQuote: "quote"}
_CERTAINTY = CG.certainty


def page_path(iri: str) -> str:
    """The local path of an IRI's page: the w3id path for dd:/cgv:, else ``/resource?iri=``."""
    for namespace, prefix in _PAGE_NAMESPACES.items():
        local = iri[len(namespace) :]
        if iri.startswith(namespace) and local and "/" not in local and "#" not in local:
            return prefix + quote(local, safe="")
    return "/resource?iri=" + quote(iri, safe="")


@dataclass(frozen=True)
class Cell:
    """One value to show: its text, and a link when it is an IRI.

    Attributes:
        text: what the reader sees (a label, or the literal's text).
        href: the page of the IRI, if the value is one.
        iri: the IRI itself (shown as a tooltip and in data links).
        lang: the language tag of a literal, if any.
        datatype: the compact datatype of a typed literal, if any.
    """

    text: str
    href: str | None = None
    iri: str | None = None
    lang: str | None = None
    datatype: str | None = None


def cell(term: Node | None, labels: dict[URIRef, str], blank: str = "_:") -> Cell:
    """A term as a ``Cell``: IRIs by their label with a link, literals as text."""
    if term is None:
        return Cell("")
    if isinstance(term, URIRef):
        iri = str(term)
        return Cell(labels.get(term) or compact(iri), page_path(iri), iri)
    if isinstance(term, BNode):
        return Cell(blank)
    if isinstance(term, Literal):
        datatype = compact(str(term.datatype)) if term.datatype is not None else None
        return Cell(str(term), lang=term.language, datatype=datatype)
    return Cell(str(term))


def property_cell(term: Node | None, labels: dict[URIRef, str]) -> Cell:
    """A property as a ``Cell``: caregraph's own terms link to their page here; another
    vocabulary's (``rdfs:label``, ``dcterms:source``) to its own IRI, as the graph does not
    describe them."""
    shown = cell(term, labels)
    if isinstance(term, URIRef) and not str(term).startswith(W3ID):
        return replace(shown, href=str(term))
    return shown


class LabelCache:
    """Labels of IRIs per language, looked up once: a served graph never changes.

    Holds at most ``size`` entries (then starts afresh), so memory stays bounded on
    graphs with millions of IRIs.
    """

    def __init__(self, store: GraphStore, size: int = 500_000) -> None:
        self.store = store
        self.size = size
        self._known: dict[tuple[URIRef, str], str | None] = {}
        self._lock = threading.Lock()

    def __call__(self, terms: Iterable[Node | None], lang: str) -> dict[URIRef, str]:
        """The label in ``lang`` (else English, German, any) of each IRI among ``terms``."""
        wanted = {t for t in terms if isinstance(t, URIRef)}
        missing = [t for t in wanted if (t, lang) not in self._known]
        if missing:
            found = labels_for(self.store, missing, lang)
            with self._lock:
                if len(self._known) + len(missing) > self.size:
                    self._known.clear()
                for iri in missing:
                    self._known[(iri, lang)] = found.get(iri)
            return {t: label for t in wanted if (label := self._label(t, lang, found)) is not None}
        return {t: label for t in wanted if (label := self._known.get((t, lang))) is not None}

    def _label(self, iri: URIRef, lang: str, found: dict[URIRef, str]) -> str | None:
        return found[iri] if iri in found else self._known.get((iri, lang))


def cells(
    rows: Iterable[Iterable[Node | None]],
    store: GraphStore,
    lang: str,
    labels: LabelCache | None = None,
) -> list[list[Cell]]:
    """Rows of terms as rows of cells, IRIs labelled in ``lang`` (one label query for all)."""
    rows = [list(row) for row in rows]
    terms = [t for row in rows for t in row if t is not None]
    known = labels(terms, lang) if labels is not None else labels_for(store, terms, lang)
    return [[cell(term, known) for term in row] for row in rows]


def cells_html(rows: list[list[Cell]], lang: str, root: str = "") -> Markup:
    """Table rows (``<tr>`` elements) for cells, escaped: the result table of a page.

    Written in Python rather than a template macro: a result page has thousands of cells.
    """
    suffix = f"lang={lang}"
    out = []
    for row in rows:
        out.append("<tr>")
        for c in row:
            if c.href:
                joiner = "&" if "?" in c.href else "?"
                out.append(
                    f'<td><a href="{escape(root + c.href + joiner + suffix)}" '
                    f'title="{escape(c.iri or "")}">{escape(c.text)}</a></td>'
                )
            elif c.lang:
                out.append(f'<td>{escape(c.text)} <span class="tag">@{escape(c.lang)}</span></td>')
            else:
                out.append(f"<td>{escape(c.text)}</td>")
        out.append("</tr>\n")
    return Markup("".join(out))


@dataclass
class Statement:
    """One property of a resource with its values, and the certainty marks of each value.

    Attributes:
        property: the property.
        values: its values, by label.
        marks: for a value's index, the marks on that one statement (``rdf:Statement``
            with ``cg:certainty``), each linking to the statement's own page.
    """

    property: Cell
    values: list[Cell]
    marks: dict[int, list[Cell]] = field(default_factory=dict)


@dataclass
class ResourceView:
    """What a resource page shows."""

    iri: str
    label: str
    types: list[Cell]
    statements: list[Statement]
    incoming: list[tuple[Cell, Cell]]
    incoming_total: int
    sources: list[Cell]
    source_fields: dict[str, list[Cell]]
    certainty: list[Cell]


_OUT = "SELECT ?p ?o WHERE { ?_s ?p ?o }"
# No ORDER BY: a district or the report has tens of thousands of incoming links, and
# sorting them all to show 200 would cost more than the rest of the page.
_IN = "SELECT ?s ?p WHERE { ?s ?p ?_s } LIMIT %d"
#: Incoming links are counted up to this many (a page says "more than" beyond).
COUNT_CAP = 10_000
_IN_LIMITED = f"SELECT ?s WHERE {{ ?s ?p ?_s }} LIMIT {COUNT_CAP + 1}"
# Statement-level marks (docs/model.md): an rdf:Statement about one triple, with its certainty.
_MARKS = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?p ?o ?mark ?statement WHERE {
  ?statement rdf:subject ?_s ; rdf:predicate ?p ; rdf:object ?o ;
             <https://w3id.org/caregraph/ontology#certainty> ?mark .
}"""
_RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_LABEL_PROPS = {
    URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
    URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"),
}


def describe(
    store: GraphStore,
    iri: str,
    lang: str,
    incoming_limit: int = 200,
    labels: LabelCache | None = None,
) -> ResourceView | None:
    """Everything a page about ``iri`` shows, or None when the graph does not mention it.

    Args:
        store: the graph.
        iri: the resource.
        lang: the language of labels.
        incoming_limit: at most this many incoming links are listed (all are counted).
        labels: a label cache to use (else labels are looked up).
    """
    subject = URIRef(iri)
    bound = {"_s": subject}
    out = select(store, _OUT, bound).rows
    incoming = select(store, _IN % (incoming_limit + 1), bound).rows
    if not out and not incoming:
        return None
    total = len(incoming)
    if total > incoming_limit:
        # The resource is bound inside the subquery, so that its LIMIT counts only its links.
        counting = "SELECT (COUNT(*) AS ?n) WHERE { { " + bind(_IN_LIMITED, bound) + " } }"
        counted = select(store, counting).rows[0][0]
        total = int(counted.toPython()) if isinstance(counted, Literal) else total
        incoming = incoming[:incoming_limit]
    marks = select(store, _MARKS, bound).rows
    terms: list[Node] = [subject]
    for row in (*out, *incoming, *marks):
        terms.extend(t for t in row if t is not None)
    known = (labels if labels is not None else LabelCache(store))(terms, lang)
    label_values: list[Node] = [o for p, o in out if p in _LABEL_PROPS and isinstance(o, Literal)]

    def show(term: Node | None) -> Cell:
        return cell(term, known)

    def show_property(term: Node | None) -> Cell:
        return property_cell(term, known)

    def sort_key(term: Node) -> tuple[str, str]:
        text = known.get(term, str(term)) if isinstance(term, URIRef) else str(term)
        return text.casefold(), str(term)

    view = ResourceView(
        iri=iri,
        label=pick_text(label_values, lang) or compact(iri),
        types=[show(o) for p, o in out if p == _RDF_TYPE],
        statements=[],
        incoming=sorted(
            ((show(s), show_property(p)) for s, p in incoming),
            key=lambda pair: (pair[1].text.casefold(), pair[0].text.casefold()),
        ),
        incoming_total=total,
        sources=[show(o) for p, o in out if p == _SOURCE],
        source_fields={
            name: [show(o) for p, o in out if p == prop] for prop, name in _SOURCE_FIELDS.items()
        },
        certainty=[show(o) for p, o in out if p == _CERTAINTY],
    )
    grouped: dict[Node, list[Node]] = {}
    for p, o in out:
        if p is not None and o is not None:
            grouped.setdefault(p, []).append(o)
    for prop in sorted(grouped, key=sort_key):
        values = sorted(grouped[prop], key=sort_key)
        statement = Statement(show_property(prop), [show(v) for v in values])
        for index, value in enumerate(values):
            # The mark shows the certainty and leads to the statement (its source, rationale).
            found = [
                Cell(show(m).text, page_path(str(st)), str(st))
                for p, o, m, st in marks
                if p == prop and o == value and isinstance(st, URIRef)
            ]
            if found:
                statement.marks[index] = found
        view.statements.append(statement)
    return view


def resource_graph(store: GraphStore, iri: str) -> rdflib.Graph:
    """The triples about ``iri`` (it as subject or object), for content negotiation."""
    graph = store.query(
        "CONSTRUCT { ?_s ?p ?o . ?s ?q ?_s } WHERE { { ?_s ?p ?o } UNION { ?s ?q ?_s } }",
        {"_s": URIRef(iri)},
    )
    assert isinstance(graph, rdflib.Graph)
    return graph


_SEARCH = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?resource WHERE {
  ?resource rdfs:label|skos:prefLabel|skos:altLabel ?name .
  FILTER(isIRI(?resource) && CONTAINS(LCASE(STR(?name)), LCASE(STR(?_text))))
} ORDER BY ?resource LIMIT %d"""


def search(
    store: GraphStore, text: str, lang: str, limit: int = 100, labels: LabelCache | None = None
) -> list[Cell]:
    """Resources whose label (German or English, any case) contains ``text``.

    Exact matches come first, then labels starting with ``text``, then the others.
    """
    text = text.strip()
    if not text:
        return []
    rows = select(store, _SEARCH % limit, {"_text": Literal(text)}).rows
    found = [cell for row in cells(rows, store, lang, labels) for cell in row]
    needle = text.casefold()
    # Exact names first, then names that start with the text, then the rest; each by name.
    return sorted(
        found,
        key=lambda c: (
            c.text.casefold() != needle,
            not c.text.casefold().startswith(needle),
            c.text.casefold(),
        ),
    )


@dataclass
class Summary:
    """What the home page shows about the graph."""

    triples: int
    classes: list[tuple[Cell, int]]
    sources: list[Cell]


_META = (
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
)
_SOURCES = """
SELECT DISTINCT ?source WHERE {
  ?source a <https://w3id.org/caregraph/ontology#Source> .
} ORDER BY ?source LIMIT 100"""


def summary(store: GraphStore, lang: str, labels: LabelCache | None = None) -> Summary:
    """Triples, resources per class and the sources, labelled in ``lang``.

    Classes of the ontology language itself (``owl:Class``, ``rdf:Property`` ...) are left
    out: they count the ontology's terms, not what the graph says about the city.
    """
    info = graph_info(store)
    counted = [(URIRef(c), n) for c, n in info.classes if not c.startswith(_META)]
    sources = [row[0] for row in select(store, _SOURCES).rows]
    labels_of = labels if labels is not None else LabelCache(store)
    known = labels_of([*(c for c, _ in counted), *sources], lang)
    return Summary(
        triples=info.triples,
        classes=[(cell(c, known), n) for c, n in counted],
        sources=sorted((cell(s, known) for s in sources), key=lambda c: c.text.casefold()),
    )


_ONTOLOGY_TERMS = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT DISTINCT ?term ?kind WHERE {
  VALUES ?kind { owl:Class owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty }
  ?term a ?kind .
  FILTER(STRSTARTS(STR(?term), "https://w3id.org/caregraph/ontology#"))
} ORDER BY ?kind ?term"""


def ontology_terms(
    store: GraphStore, lang: str, labels: LabelCache | None = None
) -> list[tuple[str, Cell, Cell]]:
    """The ``cg:`` classes and properties: (local name, term, kind), for the /ontology page."""
    rows = select(store, _ONTOLOGY_TERMS).rows
    labelled = cells(rows, store, lang, labels)
    return [
        (str(term)[len(str(CG)) :], term_cell, kind_cell)
        for (term, _), (term_cell, kind_cell) in zip(rows, labelled, strict=True)
    ]
