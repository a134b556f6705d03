"""Stored queries on a real SPARQL server: Oxigraph's, started on a free loopback port."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

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
DATA = Path(__file__).parent / "data"


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


@pytest.fixture(scope="module")
def broken_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server holding the ontology and one measure without a status (a shapes error)."""
    files = [resources.ontology_path(), DATA / "invalid" / "measure-without-status.ttl"]
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph-broken"), files) as base:
        yield base + "/query"


def test_validate_checks_the_endpoints_graph(broken_server: str) -> None:
    result = CliRunner().invoke(
        cli,
        ["--lang", "en", "--endpoint", broken_server, "validate", "--no-reasoner",
         "--format", "json"],
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    document = json.loads(result.output)
    rules = {(f["rule"], f["focus"]) for f in document["findings"]}
    # the endpoint's measure, not the bundled graph (which is valid)
    assert ("shapes/MinCount", "https://w3id.org/caregraph/dresden/measure-orphan") in rules
    text = CliRunner().invoke(
        cli, ["--lang", "en", "--endpoint", broken_server, "validate", "--no-reasoner"]
    )
    assert "The graph checked: " in text.output


def test_validate_endpoint_and_files_is_a_usage_error(server: str) -> None:
    result = CliRunner().invoke(cli, ["--endpoint", server, "validate", "data/actors.ttl"])
    assert result.exit_code == 2
    assert "Give either --endpoint or files to check (data/actors.ttl), not both" in result.output


@pytest.mark.reasoner
def test_consistency_and_reason_read_the_endpoint(broken_server: str, tmp_path: Path) -> None:
    clash = DATA / "invalid" / "actor-is-measure.ttl"
    with oxigraph_server(tmp_path / "db", [resources.ontology_path(), clash]) as base:
        inconsistent = CliRunner().invoke(cli, ["--endpoint", base + "/query", "consistency"])
    assert inconsistent.exit_code == 1, inconsistent.output
    assert inconsistent.output.startswith("Inconsistent:")
    reasoned = CliRunner().invoke(cli, ["--endpoint", broken_server, "reason"])
    assert reasoned.exit_code == 0, reasoned.output
    # an inferred class membership of the endpoint's measure (not of the bundled graph)
    assert "measure-orphan" in reasoned.output
    assert "sozialamt" not in reasoned.output


def test_consistency_endpoint_and_files_is_a_usage_error(server: str) -> None:
    for command in ("consistency", "reason"):
        result = CliRunner().invoke(cli, ["--endpoint", server, command, "data/"])
        assert result.exit_code == 2
        assert "not both" in result.output
