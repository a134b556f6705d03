"""Stored queries on a real SPARQL server: Oxigraph's, started on a free loopback port."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from support import free_port, oxigraph_server

from caregraph import resources
from caregraph.cli import cli
from caregraph.endpoint import EndpointStore
from caregraph.errors import InputError, QueryError
from caregraph.loading import find_data_files
from caregraph.queries import example_failures, load_catalogue

pytestmark = pytest.mark.server

CATALOGUE = load_catalogue()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An Oxigraph server holding the ontology and the Dresden data; yields its query URL."""
    files = [resources.ontology_path(), *find_data_files()]
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph"), files) as base:
        yield base + "/query"


@pytest.mark.parametrize("query_id", sorted(CATALOGUE.queries))
def test_stored_queries_give_the_same_rows_on_a_server(server: str, query_id: str) -> None:
    assert example_failures(CATALOGUE.get(query_id), EndpointStore(server)) == []


def test_cli_runs_on_the_endpoint(server: str) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "--endpoint",
            server,
            "query",
            "actors_in_district",
            "-p",
            "district=Prohlis",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert any(row["actor_label"] == "Sozialamt" for row in json.loads(result.output))


def test_ask_construct_and_count(server: str) -> None:
    store = EndpointStore(server)
    assert store.query("ASK { ?s ?p ?o }") is True
    graph = store.query(
        "PREFIX cg: <https://w3id.org/caregraph/ontology#> "
        "CONSTRUCT { ?a cg:activeIn ?d } WHERE { ?a cg:activeIn ?d }"
    )
    assert len(graph) > 10  # type: ignore[arg-type]
    assert len(store) > 1000


def test_server_refusing_a_query_is_a_query_error(server: str) -> None:
    with pytest.raises(QueryError, match="refused the query \\(HTTP 400\\)"):
        EndpointStore(server).query("SELECT ?x WHERE { ?x ?y }")


def test_unreachable_endpoint_is_an_input_error() -> None:
    with pytest.raises(InputError, match="Cannot reach the SPARQL endpoint"):
        EndpointStore(f"http://127.0.0.1:{free_port()}/query", timeout=2).query("ASK {}")


def test_only_http_urls() -> None:
    with pytest.raises(InputError, match="is not an http\\(s\\) URL"):
        EndpointStore("file:///etc/passwd")


TYPED_VALUES = """
PREFIX cg: <https://w3id.org/caregraph/ontology#>
SELECT ?s ?p ?value WHERE {
  VALUES ?p { cg:sourceSlide cg:date cg:startYear cg:endYear cg:sourceQuote }
  ?s ?p ?value .
}
"""


def test_every_store_returns_identical_terms(server: str) -> None:
    """Slides, dates, years and quotes come back as the same RDF terms on all three backends
    (Oxigraph kept "5"^^xsd:positiveInteger only as xsd:integer; the data now uses that)."""
    from rdflib import XSD, Literal

    from caregraph.store import open_store, select

    results = {
        name: set(select(store, TYPED_VALUES).rows)
        for name, store in [
            ("oxigraph", open_store(None, "oxigraph")),
            ("rdflib", open_store(None, "rdflib")),
            ("server", EndpointStore(server)),
        ]
    }
    assert len(results["oxigraph"]) > 100
    assert results["oxigraph"] == results["rdflib"] == results["server"]
    slides = {row[2] for row in results["server"] if str(row[1]).endswith("sourceSlide")}
    assert slides == {Literal(str(n), datatype=XSD.integer) for n in range(1, 8)}
