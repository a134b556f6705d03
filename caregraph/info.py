"""Summary figures of a graph: triples and resources per class."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Literal

from caregraph.errors import QueryError
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
    return GraphInfo(triples=len(store), classes=classes)
