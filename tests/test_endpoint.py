"""Stored queries on a real SPARQL server: Oxigraph's, started on a free loopback port."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from caregraph import resources
from caregraph.cli import cli
from caregraph.endpoint import EndpointStore
from caregraph.errors import InputError, QueryError
from caregraph.loading import find_data_files
from caregraph.queries import example_failures, load_catalogue

pytestmark = pytest.mark.server

CATALOGUE = load_catalogue()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _oxigraph() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(found).exists():
        pytest.fail("The Oxigraph server is not installed: pip install -e '.[test]' brings it.")
    return found


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An Oxigraph server holding the ontology and the Dresden data; yields its query URL."""
    port = _free_port()
    process = subprocess.Popen(
        [_oxigraph(), "serve", "--location", str(tmp_path_factory.mktemp("oxigraph")), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail(
                "Oxigraph did not start: " + process.stderr.read().decode()
                if process.stderr
                else ""
            )
        for path in [resources.ontology_path(), *find_data_files()]:
            request = urllib.request.Request(
                base + "/store?default", data=path.read_bytes(), method="POST",
                headers={"Content-Type": "text/turtle"},
            )  # fmt: skip
            urllib.request.urlopen(request, timeout=10).read()
        yield base + "/query"
    finally:
        process.terminate()
        process.wait(timeout=10)


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
        EndpointStore(f"http://127.0.0.1:{_free_port()}/query", timeout=2).query("ASK {}")


def test_only_http_urls() -> None:
    with pytest.raises(InputError, match="is not an http\\(s\\) URL"):
        EndpointStore("file:///etc/passwd")
