"""Summary figures of a graph: triples and resources per class."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Literal

from caregraph.endpoint import EndpointStore
from caregraph.errors import QueryError
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

    Raises:
        QueryError: an endpoint answers the counts in an unexpected shape.
    """
    graphs: list[str] = []
    if isinstance(store, EndpointStore):
        store = store.scoped()
        graphs = store.default_graphs
    table = select(store, _PER_CLASS)
    classes = []
    for row in table.rows:
        value = row[1].toPython() if len(row) == 2 and isinstance(row[1], Literal) else None
        if not isinstance(value, int) or isinstance(value, bool):
            raise QueryError(
                f"The graph store answered the count of a class with {row!r}, not a class and "
                "a whole number; check that it is a SPARQL 1.1 query endpoint."
            )
        classes.append((str(row[0]), value))
    ontology = store.query(_ONTOLOGY_PROBE) is True
    return GraphInfo(triples=len(store), classes=classes, graphs=graphs, ontology=ontology)
