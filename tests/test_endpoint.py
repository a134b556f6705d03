"""Stored queries on a real SPARQL server: Oxigraph's, started on a free loopback port."""

from __future__ import annotations

import http.server
import json
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

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


class _Recorder(http.server.BaseHTTPRequestHandler):
    """Answers every query with one empty result and remembers how it was sent."""

    seen: ClassVar[list[tuple[str, str, dict[str, list[str]], dict[str, list[str]], str]]] = []
    server_version = "Recorder/1.0"
    sys_version = ""

    def _answer(self, body: bytes) -> None:
        url = urllib.parse.urlsplit(self.path)
        form = urllib.parse.parse_qs(body.decode()) if body else {}
        kind = self.headers.get("Content-Type", "")
        self.seen.append((self.command, url.path, urllib.parse.parse_qs(url.query), form, kind))
        answer = b'{"head": {"vars": ["x"]}, "results": {"bindings": []}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def do_GET(self) -> None:
        self._answer(b"")

    def do_POST(self) -> None:
        self._answer(self.rfile.read(int(self.headers["Content-Length"])))

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def recorder() -> Iterator[str]:
    _Recorder.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()


@pytest.mark.server
def test_short_query_is_a_get_keeping_url_parameters(recorder: str) -> None:
    store = EndpointStore(
        recorder + "?default-graph-uri=urn:g1&timeout=5000",
        default_graph_uris=["urn:g2"],
        named_graph_uris=["urn:n"],
    )
    store.query("SELECT ?x WHERE { ?x ?p ?o }")
    [(method, path, url, form, _)] = _Recorder.seen
    assert (method, path, form) == ("GET", "/sparql", {})
    assert url == {
        "query": ["SELECT ?x WHERE { ?x ?p ?o }"],
        "timeout": ["5000"],
        "default-graph-uri": ["urn:g1", "urn:g2"],
        "named-graph-uri": ["urn:n"],
    }
    assert store.default_graphs == ["urn:g1", "urn:g2"]
    assert store.server.startswith("Recorder/1.0")
    assert not store.is_virtuoso()


@pytest.mark.server
def test_long_query_is_a_form_post_with_the_dataset_in_the_body(recorder: str) -> None:
    long_query = "SELECT ?x WHERE { ?x ?p ?o } # " + "x" * 3000
    EndpointStore(recorder + "?default-graph-uri=urn:g1&timeout=5000").query(long_query)
    [(method, path, url, form, kind)] = _Recorder.seen
    assert (method, path, kind) == ("POST", "/sparql", "application/x-www-form-urlencoded")
    assert url == {"timeout": ["5000"]}  # not a dataset parameter: stays in the URL
    assert form == {"query": [long_query], "default-graph-uri": ["urn:g1"]}


def test_graphs_must_be_absolute_iris() -> None:
    with pytest.raises(InputError, match="not an absolute IRI"):
        EndpointStore("http://127.0.0.1:1/sparql", default_graph_uris=["dresden"])


def test_graph_options_need_an_endpoint(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--default-graph-uri", "urn:g", "info"])
    assert result.exit_code == 2
    assert "give them together with --endpoint" in result.output


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
