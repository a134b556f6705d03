"""Summary figures of a graph: triples and resources per class."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Literal

from caregraph.store import GraphStore, select

_PER_CLASS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?class (COUNT(DISTINCT ?resource) AS ?count) WHERE {
  ?resource a ?class .
} GROUP BY ?class ORDER BY DESC(?count) ?class
"""


@dataclass(frozen=True)
class GraphInfo:
    """Triples in a graph and how many resources each class has."""

    triples: int
    classes: list[tuple[str, int]]

    @property
    def resources(self) -> int:
        """The number of typed resources (counted once per class)."""
        return sum(count for _, count in self.classes)


def graph_info(store: GraphStore) -> GraphInfo:
    """Count triples and the resources of each class (asserted types only)."""
    rows = select(store, _PER_CLASS)
    classes = [
        (str(cls), int(count.toPython()) if isinstance(count, Literal) else 0)
        for cls, count in rows
    ]
    return GraphInfo(triples=len(store), classes=classes)
