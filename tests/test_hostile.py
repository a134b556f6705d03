"""The hostile-input corpus (tests/data/hostile): every command, both backends, no harm done.

For each attack the tests check the exit code, that the message names the input, that a
local listener saw no request, that no file outside the output path changed, and (in a
child process with a memory limit) that memory stays bounded.
"""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from caregraph.cli import cli
from caregraph.store import BACKENDS

HOSTILE = Path(__file__).parent / "data" / "hostile"
CAREGRAPH = [sys.executable, "-c", "from caregraph.cli import main; main()"]

#: Files every command refuses, and a piece of the reason it gives.
REFUSED = {
    "billion-laughs.rdf": "billion laughs",
    "parameter-entity.rdf": "refers to other entities",
    "external-entity.rdf": "external entity",
    "remote-context.jsonld": "remote JSON-LD context",
    "context-chain.jsonld": "named by a context file",
    "context-other-host.jsonld": "on another host",
    "context-absolute-path.jsonld": "outside the data's folder",
    "deep-nesting.ttl": "levels deep",
    "deep-list.ttl": "levels deep",
    "deep.jsonld": "levels deep",
}

#: Files the parsers once disagreed on: every command and backend reads them alike.
ACCEPTED = {"byte-order-mark.ttl": 1, "byte-order-mark.jsonld": 1, "empty.rdf": 0}

QUERY_COMMANDS = {
    "info": ["info"],
    "query": ["query", "goals_without_measures", "--format", "csv"],
    "sparql": ["sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv"],
    "map": ["map"],
    "gaps": ["gaps", "--format", "csv"],
}


class Listener:
    """A TCP server on a free loopback port that records every connection it gets."""

    def __init__(self, drip: bool = False) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.address = f"127.0.0.1:{self.sock.getsockname()[1]}"
        self.hits: list[bytes] = []
        self.drip = drip
        self.closed = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.closed.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            conn.settimeout(2)
            try:
                self.hits.append(conn.recv(4096))
                if self.drip:  # an answer that never ends: one byte every half second
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n")
                    while not self.closed.wait(0.5):
                        conn.sendall(b" ")
            except OSError:
                pass
            finally:
                conn.close()

    def close(self) -> None:
        self.closed.set()
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


@pytest.fixture
def corpus(tmp_path: Path, listener: Listener) -> Path:
    """A copy of the corpus in which LISTENER names the listener's address."""
    folder = tmp_path / "hostile"
    shutil.copytree(HOSTILE, folder)
    for path in folder.rglob("*"):
        if path.is_file() and path.suffix != ".md":
            data = path.read_bytes().replace(b"LISTENER", listener.address.encode())
            path.write_bytes(data)
    return folder


def snapshot(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` with the hash of its content."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("command", sorted(QUERY_COMMANDS))
@pytest.mark.parametrize("name", sorted(REFUSED))
def test_query_commands_refuse_hostile_files(
    corpus: Path, listener: Listener, name: str, command: str, backend: str
) -> None:
    before = snapshot(corpus.parent)
    result = invoke("--backend", backend, "--data", str(corpus / name), *QUERY_COMMANDS[command])
    assert result.exit_code == 2, result.output
    assert name in result.output
    assert REFUSED[name] in result.output
    assert listener.hits == []
    assert snapshot(corpus.parent) == before


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_validate_reports_hostile_files_and_still_checks_the_others(
    corpus: Path, listener: Listener, name: str
) -> None:
    before = snapshot(corpus.parent)
    good = corpus / "byte-order-mark.ttl"
    result = invoke("--lang", "en", "validate", "--no-reasoner", str(corpus / name), str(good))
    assert result.exit_code == 2, result.output
    assert name in result.output
    assert REFUSED[name] in " ".join(result.output.split())
    assert listener.hits == []
    assert snapshot(corpus.parent) == before


@pytest.mark.parametrize("command", ["consistency", "reason"])
@pytest.mark.parametrize("name", sorted(REFUSED))
def test_reasoner_commands_refuse_hostile_files(
    corpus: Path, listener: Listener, tmp_path: Path, name: str, command: str
) -> None:
    out = tmp_path / "inferred.ttl"
    before = snapshot(corpus.parent)
    args = [command, str(corpus / name)] + (["-o", str(out)] if command == "reason" else [])
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert name in result.output
    assert listener.hits == []
    assert not out.exists()
    assert snapshot(corpus.parent) == before


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_every_command_and_backend_reads_edge_cases_alike(
    corpus: Path, name: str, backend: str
) -> None:
    sparql = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    counted = invoke("--backend", backend, "--data", str(corpus / name), "sparql", sparql)
    assert counted.exit_code == 0, counted.output
    ontology = invoke("--backend", backend, "--data", str(corpus / "empty.rdf"), "sparql", sparql)
    extra = int(counted.output.split()[-5]) - int(ontology.output.split()[-5])
    assert extra == ACCEPTED[name]
    checked = invoke("validate", "--no-reasoner", str(corpus / name))
    assert checked.exit_code == 0, checked.output


def test_rule_checks_may_not_call_remote_endpoints(corpus: Path, listener: Listener) -> None:
    result = invoke(
        "validate", "--no-reasoner", "--checks", str(corpus / "checks"), str(corpus / "empty.rdf")
    )
    assert result.exit_code == 2, result.output
    assert "SERVICE" in result.output
    assert listener.hits == []


def test_reading_a_query_with_service_never_calls_it(listener: Listener) -> None:
    from caregraph.queries.catalogue import projection

    text = f"SELECT ?s ?o WHERE {{ SERVICE <http://{listener.address}/sparql> {{ ?s ?p ?o }} }}"
    assert projection(Path("service.rq"), text, 1) == ["s", "o"]  # Oxigraph would call it
    assert listener.hits == []


@pytest.mark.parametrize(
    "text",
    [
        "PREFIX select: <urn:x#> INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "\\u0044ROP ALL",
        "PREFIX ask: <urn:x#>\nDELETE WHERE { ?s ?p ?o }",
        "LOAD <http://LISTENER/data.ttl>",
    ],
)
def test_an_update_never_runs_and_never_leaves(listener: Listener, text: str) -> None:
    text = text.replace("LISTENER", listener.address)
    local = invoke("sparql", text)
    assert local.exit_code == 2
    assert "SPARQL Update" in local.output
    remote = invoke("--endpoint", f"http://{listener.address}/sparql", "sparql", text)
    assert remote.exit_code == 2
    assert "SPARQL Update" in remote.output
    assert listener.hits == []


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", None),
        ("PREFIX insert: <urn:x#> SELECT * WHERE { ?s insert:p 'DELETE' }", None),
        ("SELECT * WHERE { ?s ?p ?o } # DROP ALL", None),
        ("SELECT * WHERE { \\u0053ERVICE <urn:x> { ?s ?p ?o } }", "SERVICE"),
        ("SELECT * WHERE { service <urn:x> { ?s ?p ?o } }", "SERVICE"),
        ("\\u0044ROP ALL", "SPARQL Update"),
        ("WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "SPARQL Update"),
    ],
)
def test_the_guard_decides_by_keywords_and_parses_only_possible_updates(
    text: str, refused: str | None
) -> None:
    script = (
        "import sys\n"
        "from caregraph.guard import check_query\n"
        "from caregraph.errors import CaregraphError\n"
        "try:\n"
        f"    check_query({text!r})\n"
        "    print('ok')\n"
        "except CaregraphError as exc:\n"
        "    print(exc)\n"
        "print('parser' if 'rdflib.plugins.sparql.parser' in sys.modules else 'no parser')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    verdict, parser = done.stdout.strip().splitlines()
    assert (verdict == "ok") if refused is None else (refused in verdict), done.stdout
    # rdflib's parser (a quarter of a second to import) only for texts with update words
    assert parser == ("parser" if refused == "SPARQL Update" else "no parser")


@pytest.mark.parametrize("backend", BACKENDS)
def test_deeply_nested_queries_are_refused_before_the_engine(backend: str) -> None:
    for text in [
        "SELECT * WHERE { FILTER(" + "(" * 10_000 + "1" + ")" * 10_000 + ") }",
        "SELECT * WHERE " + "{" * 3_000 + "?s ?p ?o" + "}" * 3_000,
    ]:
        done = subprocess.run(
            [*CAREGRAPH, "--backend", backend, "sparql", text],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 2, done.stderr  # not 139, a segmentation fault
        assert "levels deep" in done.stderr


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_runaway_query_stops_at_the_time_limit(backend: str) -> None:
    cartesian = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    started = time.monotonic()
    result = invoke("--backend", backend, "--timeout", "1", "sparql", cartesian)
    assert result.exit_code == 2
    assert "did not finish within 1 s" in result.output
    assert time.monotonic() - started < 60  # it did stop; the figure is no benchmark


def test_ctrl_c_stops_a_query_with_exit_130() -> None:
    cartesian = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    process = subprocess.Popen(
        [*CAREGRAPH, "sparql", cartesian], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    # Wait until the query runs: it runs on a second thread of the process.
    deadline = time.monotonic() + 120
    while len(os.listdir(f"/proc/{process.pid}/task")) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "Interrupted" in err


def test_an_endpoint_that_drips_bytes_meets_the_deadline() -> None:
    dripper = Listener(drip=True)
    try:
        result = invoke(
            "--endpoint", f"http://{dripper.address}/sparql", "--timeout", "2", "sparql", "ASK {}"
        )
    finally:
        dripper.close()
    assert result.exit_code == 2
    assert "did not finish within 2 s" in result.output


def test_long_adhoc_queries_are_not_taken_for_file_names() -> None:
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }" + " " * 400 + "# " + "x" * 3000
    result = invoke("sparql", text, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("n\n")


def test_control_characters_never_reach_a_terminal_or_an_xml_document(
    corpus: Path, tmp_path: Path
) -> None:
    data = str(corpus / "control-characters.ttl")
    table = invoke("--data", data, "sparql", "SELECT ?l WHERE { ?s rdfs:label ?l }")
    assert table.exit_code == 0
    assert "red" in table.output
    assert not any(c in table.output for c in "\x1b\x07\r")
    assert "ERROR forged line" not in "\n".join(
        line.strip("│ ") for line in table.output.splitlines()
    ).split("\n")
    srx = invoke(
        "--data", data, "sparql", "SELECT ?l WHERE { ?s rdfs:label ?l }", "--format", "srx"
    )
    ET.fromstring(srx.output)
    rdfxml = invoke("--data", data, "sparql", "CONSTRUCT WHERE { ?s ?p ?o }", "--format", "rdfxml")
    ET.fromstring(rdfxml.output)
    checks = tmp_path / "checks"
    checks.mkdir()
    (checks / "labelled.rq").write_text(
        (HOSTILE / "checks" / "service.rq")
        .read_text()
        .replace(
            "SELECT ?focus WHERE { SERVICE <http://LISTENER/sparql> { ?focus ?p ?o } }",
            "SELECT ?focus ?message WHERE { ?focus rdfs:label ?message }",
        )
        .replace("SELECT", "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nSELECT", 1)
    )
    for fmt in ("text", "github"):
        report = invoke("validate", "--no-reasoner", "--checks", str(checks), data, "--format", fmt)
        assert "red" in report.output
        assert not any(c in report.output for c in "\x1b\x07\r")
    junit = invoke("validate", "--no-reasoner", "--checks", str(checks), data, "--format", "junit")
    assert "red" in junit.output
    ET.fromstring(junit.output.split("\n", 1)[1])


def test_ill_typed_literals_do_not_stop_the_reasoner(corpus: Path) -> None:
    result = invoke("consistency", str(corpus / "ill-typed.ttl"))
    assert result.exit_code == 0, result.output
    assert "Consistent" in result.output


def test_output_onto_an_input_file_is_refused(corpus: Path) -> None:
    data = corpus / "byte-order-mark.ttl"
    before = data.read_bytes()
    result = invoke("--data", str(data), "query", "goals_without_measures", "-o", str(data))
    assert result.exit_code == 2
    assert "one of the input files" in result.output
    assert data.read_bytes() == before


@pytest.mark.parametrize(
    ("params", "why"),
    [
        (["district=dd:sozialamt"], "dd:sozialamt ist kein cg:Area im Graphen"),
        (["district=Prohlis", "district=Leuben"], "given twice"),
        (["=Prohlis"], "no name before the '='"),
    ],
)
def test_parameter_mistakes_are_named(params: list[str], why: str) -> None:
    args = [a for p in params for a in ("--param", p)]
    result = invoke("query", "actors_in_district", *args)
    assert result.exit_code == 2
    assert why in result.output


def test_a_terminal_that_is_not_utf8_gets_what_it_can_show() -> None:
    done = subprocess.run(
        [*CAREGRAPH, "--lang", "de", "query", "goals_without_measures"],
        capture_output=True, timeout=120, env={**os.environ, "PYTHONIOENCODING": "latin-1"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Verknüpfung".encode("latin-1") in done.stdout  # what latin-1 can show
    assert b"?" in done.stdout and "━".encode() not in done.stdout  # the rest replaced


def _limited(megabytes: int):  # pragma: no cover - runs in the child
    def apply() -> None:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


@pytest.mark.parametrize("backend", BACKENDS)
def test_memory_stays_bounded_on_hostile_files(corpus: Path, tmp_path: Path, backend: str) -> None:
    big = tmp_path / "one-huge-literal.ttl"
    big.write_text('<urn:x:a> <urn:x:p> "' + "x" * 20_000_000 + '" .\n')
    cases = [
        (["--backend", backend, "--data", str(corpus / "billion-laughs.rdf"), "info"], 2),
        (["--backend", backend, "--data", str(corpus / "deep-list.ttl"), "info"], 2),
        (["--backend", backend, "--data", str(big), "info"], 0),
        (["validate", "--no-reasoner", str(big)], 0),
    ]
    for args, code in cases:
        done = subprocess.run(
            [*CAREGRAPH, *args], capture_output=True, text=True, timeout=300,
            preexec_fn=_limited(3000),
        )  # fmt: skip
        assert done.returncode == code, (args, done.stderr[-2000:])


class _OddEndpoint(Listener):
    """An endpoint whose results have an unexpected shape (a count that is no number)."""

    def _serve(self) -> None:
        body = (
            b'{"head": {"vars": ["class", "count"]}, "results": {"bindings": [{"class": '
            b'{"type": "uri", "value": "urn:x:C"}, "count": {"type": "literal", "value": "x"}}]}}'
        )
        while not self.closed.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                    + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                    + body
                )


def test_info_on_an_endpoint_with_odd_results_is_a_clear_error() -> None:
    odd = _OddEndpoint()
    try:
        result = invoke("--endpoint", f"http://{odd.address}/sparql", "info")
    finally:
        odd.close()
    assert result.exit_code == 2, result.output
    assert "not a class and a whole number" in result.output
