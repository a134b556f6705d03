"""Pushing through the Graph Store Protocol: a real Oxigraph server, counts verified, every
stored query answered alike; credentials only from the environment; clear server errors."""

from __future__ import annotations

import base64
import http.server
import os
import socket
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner
from support import free_port, oxigraph_server

from caregraph.cli import cli
from caregraph.endpoint import EndpointStore
from caregraph.errors import ServerError, UsageError, VerificationFailed
from caregraph.export import collect, serialize
from caregraph.loading import load_graph, load_ontology
from caregraph.push import auth_header, graph_url, push_graph
from caregraph.queries import load_catalogue, run_stored
from caregraph.store import open_store

pytestmark = pytest.mark.server

DATA = Path(__file__).parent / "data"
TINY = DATA / "tiny.ttl"
GRAPH = "https://w3id.org/caregraph/graph/dresden"
PARAMS = {"actor_profile": {"actor": "Sozialamt"}}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as base:
        yield base


def server_count(base: str, graph: str | None = None) -> int:
    where = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    query = urllib.parse.urlencode({"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"})
    request = urllib.request.Request(f"{base}/query?{query}", headers={"Accept": "text/csv"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(response.read().decode().split()[1])


def test_push_dresden_then_every_stored_query_answers_as_locally(server: str) -> None:
    local = open_store()
    result = push_graph(collect(open_store(ontology=False), with_ontology=True), server + "/store")
    expected = len(load_graph()) + len(load_ontology())
    assert (result.sent, result.on_server) == (expected, expected)
    assert server_count(server) == expected
    remote = EndpointStore(server + "/query")
    for query in load_catalogue():
        params = PARAMS.get(query.id, {})
        want = run_stored(query, local, params)
        got = run_stored(query, remote, params)
        assert got.columns == want.columns, query.id
        assert got.to_csv() == want.to_csv(), query.id


def test_export_reads_what_the_endpoint_holds(server: str) -> None:
    pushed = collect(open_store(ontology=False), with_ontology=True)
    push_graph(pushed, server + "/store")
    result = CliRunner().invoke(
        cli, ["--endpoint", server + "/query", "export", "--format", "nt", "--with-ontology"]
    )
    assert result.exit_code == 0, result.output
    # the same bytes: the ontology (blank nodes renamed by the server) is written once
    assert result.stdout == serialize(pushed, "nt")


def test_put_replaces_and_append_adds_to_a_named_graph(server: str) -> None:
    tiny = collect(open_store([TINY], ontology=False))
    default_before = server_count(server)
    push_graph(collect(open_store(ontology=False)), server + "/store", graph_iri=GRAPH)
    assert server_count(server, GRAPH) == len(load_graph())
    # PUT replaces the graph's content
    result = push_graph(tiny, server + "/store", graph_iri=GRAPH)
    assert result.on_server == server_count(server, GRAPH) == len(tiny)
    # POST adds; the same triples again add nothing
    blanks = collect(open_store([DATA / "export" / "blank-nodes.ttl"], ontology=False))
    result = push_graph(blanks, server + "/store", graph_iri=GRAPH, append=True)
    both = len(set(tiny.merged()) | set(blanks.merged()))  # two triples are in both
    assert result.before == len(tiny)
    assert result.on_server == both
    result = push_graph(tiny, server + "/store", graph_iri=GRAPH, append=True)
    assert result.on_server == both
    assert "added to graph <https://w3id.org/caregraph/graph/dresden>" in result.summary()
    assert server_count(server) == default_before  # the default graph was not touched


def test_cli_push_and_a_real_subprocess(server: str) -> None:
    result = CliRunner().invoke(
        cli, ["--data", str(TINY), "push", "--endpoint", server + "/store", "--without-ontology",
              "--graph", GRAPH + "-cli"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"{len(load_graph([TINY]))} triples replaced graph <{GRAPH}-cli> at {server}/store; "
        f"the server now holds {len(load_graph([TINY]))} triples there.\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "caregraph", "--data", str(TINY), "push", "--endpoint",
         server + "/store", "--graph", GRAPH + "-sub"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert server_count(server, GRAPH + "-sub") == len(load_graph([TINY])) + len(load_ontology())


def test_wrong_address_is_exit_2_with_a_hint(server: str) -> None:
    result = CliRunner().invoke(cli, ["--data", str(TINY), "push", "--endpoint", server + "/query"])
    assert result.exit_code == 2
    assert "refused the PUT request (HTTP" in result.stderr
    assert "Graph Store Protocol" in result.stderr and "Traceback" not in result.output


def test_unreachable_server_is_exit_2() -> None:
    url = f"http://127.0.0.1:{free_port()}/store"
    result = CliRunner().invoke(cli, ["--data", str(TINY), "push", "--endpoint", url])
    assert result.exit_code == 2
    assert f"Cannot reach the server {url}" in result.stderr


def test_a_silent_server_times_out_with_exit_2() -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/store"
        result = CliRunner().invoke(
            cli, ["--timeout", "0.5", "--data", str(TINY), "push", "--endpoint", url]
        )
    assert result.exit_code == 2
    assert "did not answer within 0.5 s" in result.stderr and "--timeout" in result.stderr


class _GraphStore(http.server.BaseHTTPRequestHandler):
    """A minimal Graph Store Protocol service with basic authentication.

    Oxigraph's server has no authentication, so this stands in to see which header
    arrives. ``lose`` drops a triple on the way, as a faulty server might.
    """

    body = b""
    headers_seen: ClassVar[list[str | None]] = []
    lose = False

    def log_message(self, *args: object) -> None:
        pass

    def _authorized(self) -> bool:
        header = self.headers.get("Authorization")
        type(self).headers_seen.append(header)
        if header == "Basic " + base64.b64encode(b"city:s3cret!").decode():
            return True
        self.send_response(401, "Unauthorized")
        self.send_header("WWW-Authenticate", 'Basic realm="store"')
        self.end_headers()
        return False

    def do_PUT(self) -> None:
        if self._authorized():
            body = self.rfile.read(int(self.headers["Content-Length"]))
            type(self).body = b"\n".join(body.splitlines()[1:]) if type(self).lose else body
            self.send_response(204)
            self.end_headers()

    def do_GET(self) -> None:
        if self._authorized():
            self.send_response(200)
            self.send_header("Content-Type", "application/n-triples")
            self.end_headers()
            self.wfile.write(type(self).body)


@contextmanager
def guarded_store(lose: bool = False) -> Iterator[str]:
    _GraphStore.body, _GraphStore.headers_seen, _GraphStore.lose = b"", [], lose
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _GraphStore)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/store"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_credentials_come_from_the_environment_and_are_never_shown() -> None:
    args = ["--data", str(TINY), "push", "--without-ontology", "--endpoint"]
    with guarded_store() as url:
        result = CliRunner().invoke(cli, [*args, url])
        assert result.exit_code == 2
        assert "HTTP 401" in result.stderr and "CAREGRAPH_USER" in result.stderr
        env = {"CAREGRAPH_USER": "city", "CAREGRAPH_PASSWORD": "s3cret!"}
        result = CliRunner().invoke(cli, [*args, url], env=env)
        assert result.exit_code == 0, result.output
        assert _GraphStore.headers_seen[-1] == "Basic Y2l0eTpzM2NyZXQh"
        wrong = {"CAREGRAPH_USER": "city", "CAREGRAPH_PASSWORD": "wrong-pw"}
        failed = CliRunner().invoke(cli, [*args, url], env=wrong)
        assert failed.exit_code == 2
    for output in (result.output, failed.output):
        assert "s3cret" not in output and "wrong-pw" not in output and "Y2l0e" not in output


def test_a_count_that_differs_fails_with_exit_1() -> None:
    env = {"CAREGRAPH_USER": "city", "CAREGRAPH_PASSWORD": "s3cret!"}
    with guarded_store(lose=True) as url:
        with pytest.raises(
            VerificationFailed, match="holds 14 triples in the default graph where 15 were"
        ):
            push_graph(collect(open_store([TINY], ontology=False)), url, env=env)
        result = CliRunner().invoke(
            cli, ["--data", str(TINY), "push", "--without-ontology", "--endpoint", url], env=env
        )
    assert result.exit_code == 1


def test_bearer_token_and_incomplete_credentials() -> None:
    assert auth_header({"CAREGRAPH_TOKEN": "abc"}) == "Bearer abc"
    assert auth_header({}) is None
    with pytest.raises(UsageError, match="Set both CAREGRAPH_USER and CAREGRAPH_PASSWORD"):
        auth_header({"CAREGRAPH_USER": "city"})


def test_urls_are_checked_and_credentials_in_them_refused() -> None:
    assert graph_url("http://h/store", None) == "http://h/store?default"
    assert graph_url("http://h/ds?x=1", "https://ex.org/g#1") == (
        "http://h/ds?x=1&graph=https%3A%2F%2Fex.org%2Fg%231"
    )
    with pytest.raises(UsageError) as caught:
        graph_url("http://city:s3cret@h/store", None)
    assert "s3cret" not in str(caught.value) and "CAREGRAPH_PASSWORD" in str(caught.value)
    with pytest.raises(UsageError, match="absolute IRI"):
        graph_url("http://h/store", "not an iri")
    with pytest.raises(UsageError, match="not an http"):
        graph_url("ftp://h/store", None)
    with pytest.raises(ServerError):
        push_graph(collect(open_store([TINY], ontology=False)), f"http://127.0.0.1:{free_port()}/s")
    assert os.environ.get("CAREGRAPH_PASSWORD") is None
