"""Human-readable labels for IRIs, in a chosen language."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

import rdflib
from rdflib import RDFS, SKOS, Literal, URIRef
from rdflib.term import Node

from caregraph.binding import term_syntax
from caregraph.store import GraphStore, select

_LABELS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?resource ?label WHERE {
  VALUES ?resource { %s }
  ?resource rdfs:label|skos:prefLabel ?label .
}
"""


def labels_for(store: GraphStore, iris: Iterable[Node], lang: str) -> dict[URIRef, str]:
    """Map each IRI that has a label to its label in ``lang`` (else English, German, any)."""
    wanted = sorted({i for i in iris if isinstance(i, URIRef)})
    if not wanted:
        return {}
    rows = select(store, _LABELS % " ".join(term_syntax(i) for i in wanted))
    ranked: dict[URIRef, tuple[int, str]] = {}
    order = [lang, "en", "de", None]
    for resource, label in rows:
        if not isinstance(resource, URIRef) or not isinstance(label, Literal):
            continue
        rank = order.index(label.language) if label.language in order else len(order)
        if resource not in ranked or rank < ranked[resource][0]:
            ranked[resource] = (rank, str(label))
    return {iri: text for iri, (_, text) in ranked.items()}


def pick_text(values: list[Node], lang: str) -> str:
    """The literal in ``lang`` among ``values`` (else English, German, untagged, any)."""
    # Sorted, so that the same graph gives the same pick whichever store it is read from.
    literals = sorted((v for v in values if isinstance(v, Literal)), key=str)
    for wanted in (lang, "en", "de", None):
        for literal in literals:
            if literal.language == wanted:
                return str(literal)
    return str(literals[0]) if literals else ""


class Triples(Protocol):
    """What labels and focus descriptions read: an ``rdflib.Graph`` or a store view."""

    def objects(self, subject: Node, predicate: Node) -> Iterable[Node]:
        """The objects of ``subject predicate ?o``."""
        ...

    def subject_predicates(self, obj: Node) -> Iterable[tuple[Node, Node]]:
        """The subjects and predicates of ``?s ?p obj``."""
        ...


def label_of(graph: rdflib.Graph | Triples, node: Node, lang: str) -> str | None:
    """The label of ``node`` in ``lang`` (else English, German, any), if it has one."""
    labels = list(graph.objects(node, RDFS.label)) + list(graph.objects(node, SKOS.prefLabel))
    return pick_text(labels, lang) or None
