"""Parameter values become a VALUES row of escaped RDF terms in the outer WHERE group."""

from __future__ import annotations

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery

from caregraph.binding import bind, where_position
from caregraph.errors import QueryError

SELECT = """PREFIX ex: <http://ex.org/ns#>
# a comment with { a brace
SELECT ?s (CONCAT("{", STR(?o)) AS ?x) WHERE {
  ?s ex:p ?_v . ?s ex:q ?o .
}"""


def test_values_go_after_the_where_brace_not_into_strings_or_comments() -> None:
    at = where_position(SELECT)
    assert SELECT[at - 1] == "{"
    assert SELECT[:at].rstrip().endswith("WHERE {")


def test_construct_template_is_skipped() -> None:
    query = "CONSTRUCT { ?s <http://ex.org/p> ?o } WHERE { ?s ?p ?o }"
    assert query[: where_position(query)].endswith("WHERE {")


def test_construct_where_short_form() -> None:
    query = "CONSTRUCT WHERE { ?s ?p ?o }"
    assert where_position(query) == query.index("{") + 1


@pytest.mark.parametrize(
    "value",
    [
        'Prohlis" } ; DROP ALL ; {',
        "a } UNION { ?s ?p ?o",
        "x # comment",
        "line one\nline two } }",
        "back\\slash '''",
    ],
)
def test_hostile_literals_stay_one_value(value: str) -> None:
    bound = bind(SELECT, {"_v": Literal(value)})
    parsed = prepareQuery(bound)
    assert parsed.algebra.name == "SelectQuery"
    # The literal round-trips exactly: it is one term, not query syntax.
    assert str(Literal(value)) in {str(t) for t in _literals(parsed.algebra)}


def _literals(node):
    found = []
    if isinstance(node, Literal):
        return [node]
    if isinstance(node, dict):
        for value in node.values():
            found += _literals(value)
    elif isinstance(node, list | tuple):
        for value in node:
            found += _literals(value)
    return found


def test_unsafe_iri_is_refused() -> None:
    with pytest.raises(QueryError, match="not a valid IRI"):
        bind(SELECT, {"_v": URIRef("http://ex.org/a> . ?s ?p <x")})


def test_blank_node_is_refused() -> None:
    with pytest.raises(QueryError, match="blank node"):
        bind(SELECT, {"_v": BNode()})


def test_no_bindings_leaves_query_unchanged() -> None:
    assert bind(SELECT, {}) == SELECT
