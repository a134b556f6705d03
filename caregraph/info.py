"""Summary figures of a graph: triples and resources per class."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Literal

from caregraph.endpoint import EndpointStore
from caregraph.store import GraphStore, select

_PER_CLASS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?class (COUNT(DISTINCT ?resource) AS ?count) WHERE {
  ?resource a ?class .
  # the resources of the data: not the ontology's terms, concepts, declarations and axioms
  FILTER(!STRSTARTS(STR(?resource), "https://w3id.org/caregraph/ontology")
         && !STRSTARTS(STR(?resource), "https://w3id.org/caregraph/vocab/")
         && !STRSTARTS(STR(?class), "http://www.w3.org/2002/07/owl#")
         && !STRSTARTS(STR(?class), "http://www.w3.org/2000/01/rdf-schema#"))
} GROUP BY ?class ORDER BY DESC(?count) ?class
"""


@dataclass(frozen=True)
class GraphInfo:
    """Triples in a graph and how many resources each class has."""

    triples: int
    classes: list[tuple[str, int]]
    #: On a SPARQL endpoint: the graphs counted (empty: the server's default graph).
    graphs: list[str] = field(default_factory=list)
    #: Whether caregraph's ontology is part of the graph (its triples are counted).
    ontology: bool = True

    @property
    def resources(self) -> int:
        """The number of typed resources (counted once per class)."""
        return sum(count for _, count in self.classes)


_ONTOLOGY_PROBE = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
ASK { <https://w3id.org/caregraph/ontology> a owl:Ontology }
"""


def graph_info(store: GraphStore) -> GraphInfo:
    """Count triples and the data's resources of each class (asserted types only).

    The scope is the graph the stored queries see, the same on every engine: locally the
    data files plus the ontology (as ``open_store`` loads them), on an endpoint its default
    graph (or the graphs named with ``default-graph-uri``). Virtuoso's own system graphs,
    which its default graph includes, are never counted. The classes count the resources of
    the data, not the ontology's own classes, properties and concepts.
    """
    graphs: list[str] = []
    if isinstance(store, EndpointStore):
        store = store.scoped()
        graphs = store.default_graphs
    rows = select(store, _PER_CLASS)
    classes = [
        (str(cls), int(count.toPython()) if isinstance(count, Literal) else 0)
        for cls, count in rows
    ]
    ontology = store.query(_ONTOLOGY_PROBE) is True
    return GraphInfo(triples=len(store), classes=classes, graphs=graphs, ontology=ontology)
