"""Labels: the one place that looks names up in a graph, in either direction.

``labels_for`` gives IRIs their label in a chosen language (for tables and messages);
``named`` and ``all_names`` find resources by what they are called (for parameters given
by name). ``label_of`` and ``pick_text`` do the same for an rdflib graph in hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

import rdflib
from rdflib import RDFS, SKOS, Literal, URIRef
from rdflib.term import Node

from caregraph.binding import term_syntax
from caregraph.namespaces import is_safe_iri
from caregraph.store import GraphStore, select

#: The one label query: ``values`` limits the resources, ``names`` says which properties
#: count as a name, ``restriction`` adds a graph pattern (with its variables bound).
_NAMES = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?resource ?label WHERE {{
  {values}
  ?resource {names} ?label .
  {restriction}
}}
"""
#: What a resource is shown by.
LABEL = "rdfs:label|skos:prefLabel"
#: What a resource may be found by: also its alternative names.
ANY_NAME = "rdfs:label|skos:prefLabel|skos:altLabel"


def labels_for(store: GraphStore, iris: Iterable[Node], lang: str) -> dict[URIRef, str]:
    """Map each IRI that has a label to its label in ``lang`` (else English, German, any).

    An IRI that SPARQL cannot write (one with a space, which validation reports) has none.
    """
    wanted = sorted({i for i in iris if isinstance(i, URIRef) and is_safe_iri(str(i))})
    if not wanted:
        return {}
    values = "VALUES ?resource { " + " ".join(term_syntax(i) for i in wanted) + " }"
    rows = select(store, _NAMES.format(values=values, names=LABEL, restriction=""))
    ranked: dict[URIRef, tuple[int, str]] = {}
    order = [lang, "en", "de", None]
    for resource, label in rows:
        if not isinstance(resource, URIRef) or not isinstance(label, Literal):
            continue
        rank = order.index(label.language) if label.language in order else len(order)
        if resource not in ranked or rank < ranked[resource][0]:
            ranked[resource] = (rank, str(label))
    return {iri: text for iri, (_, text) in ranked.items()}


def named(
    store: GraphStore, name: str, restriction: str = "", bindings: Mapping[str, Node] | None = None
) -> list[URIRef]:
    """The resources called ``name`` (label or alternative name, any case), sorted.

    Args:
        store: where to look.
        name: the name as the user typed it (bound as a literal, never pasted in).
        restriction: a graph pattern on ``?resource`` the resources must match.
        bindings: the values of the variables ``restriction`` uses.
    """
    # LCASE on both sides: Python's casefold() would turn ß into ss, SPARQL's LCASE does not.
    sparql = _NAMES.format(
        values="",
        names=ANY_NAME,
        restriction=restriction + " FILTER(LCASE(STR(?label)) = LCASE(STR(?_name)))",
    )
    rows = select(store, sparql, {**(bindings or {}), "_name": Literal(name)})
    return sorted({row[0] for row in rows if isinstance(row[0], URIRef)})


def all_names(
    store: GraphStore, restriction: str = "", bindings: Mapping[str, Node] | None = None
) -> list[str]:
    """Every name (label or alternative name) of the resources matching ``restriction``."""
    sparql = _NAMES.format(values="", names=ANY_NAME, restriction=restriction)
    return sorted({str(row[1]) for row in select(store, sparql, bindings)}, key=str.casefold)


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
