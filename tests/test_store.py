"""Both backends answer the same queries the same way, with parameters bound as terms."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib import Literal, URIRef

from caregraph.errors import QueryError, UsageError
from caregraph.results import ResultTable
from caregraph.store import BACKENDS, open_store, select

DD = "https://w3id.org/caregraph/dresden/"
ACTIVE = """
PREFIX cg: <https://w3id.org/caregraph/ontology#>
SELECT ?actor WHERE { ?actor cg:activeIn ?_district } ORDER BY ?actor
"""


@pytest.fixture(params=BACKENDS)
def tiny(request: pytest.FixtureRequest, data_dir: Path):
    return open_store([data_dir / "tiny.ttl"], request.param, ontology=False)


def test_select_with_bound_iri(tiny) -> None:
    table = select(tiny, ACTIVE, {"_district": URIRef(DD + "leuben")})
    assert table.columns == ["actor"]
    assert [row[0] for row in table] == [URIRef(DD + "nachbarschaftshilfe")]


def test_unbound_parameter_matches_everything(tiny) -> None:
    table = select(tiny, ACTIVE)
    assert len(table) == 3


def test_literal_binding_with_quotes_and_braces_stays_a_value(tiny) -> None:
    query = """
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT ?s WHERE { ?s rdfs:label ?_label }
    """
    label = Literal('Nachbarschaftshilfe "Süd" {#1}', lang="de")
    assert [row[0] for row in select(tiny, query, {"_label": label})] == [
        URIRef(DD + "nachbarschaftshilfe")
    ]


def test_ask_and_construct(tiny) -> None:
    prefix = "PREFIX cg: <https://w3id.org/caregraph/ontology#>\n"
    assert tiny.query(prefix + "ASK { ?a cg:activeIn ?d }") is True
    graph = tiny.query(prefix + "CONSTRUCT { ?d cg:hasActor ?a } WHERE { ?a cg:activeIn ?d }")
    assert isinstance(graph, rdflib.Graph)
    assert len(graph) == 3


def test_triple_count(tiny) -> None:
    assert len(tiny) == 15


def test_bad_sparql_is_a_query_error(tiny) -> None:
    with pytest.raises(QueryError, match="SPARQL"):
        tiny.query("SELEC ?x WHERE { ?x ?y ?z }")


def test_select_refuses_ask(tiny) -> None:
    with pytest.raises(QueryError, match="not a SELECT"):
        select(tiny, "ASK { ?s ?p ?o }")


def test_results_convert_to_plain_values(tiny) -> None:
    query = """
    PREFIX cg: <https://w3id.org/caregraph/ontology#>
    SELECT ?district (COUNT(?a) AS ?n) WHERE { ?a cg:activeIn ?district }
    GROUP BY ?district ORDER BY ?district
    """
    table = select(tiny, query)
    assert isinstance(table, ResultTable)
    assert table.to_dicts() == [
        {"district": DD + "leuben", "n": 1},
        {"district": DD + "prohlis", "n": 2},
    ]
    assert table.to_csv() == f"district,n\n{DD}leuben,1\n{DD}prohlis,2\n"


def test_unknown_backend_is_a_usage_error(data_dir: Path) -> None:
    with pytest.raises(UsageError, match="Unknown backend 'jena'"):
        open_store([data_dir / "tiny.ttl"], "jena")
