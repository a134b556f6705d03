"""Parsing never touches the network or other files unless allowed; sizes are bounded."""

from __future__ import annotations

import socket
import urllib.request
from pathlib import Path

import pytest
import rdflib

from caregraph.safety import network_problem
from caregraph.validation import validate

INVALID = Path(__file__).parent / "data" / "invalid"


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a connection or URL fails the test loudly."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)


@pytest.mark.parametrize(
    ("name", "line", "why"),
    [
        (
            "network-remote-context.jsonld",
            2,
            "remote JSON-LD context https://example.org/remote-context.jsonld",
        ),
        (
            "network-context-import.jsonld",
            3,
            "remote JSON-LD context http://example.org/imported-context.jsonld",
        ),
        ("network-external-entity.rdf", 3, "declares an external entity (SYSTEM)"),
        ("network-external-dtd.rdf", 2, "declares an external DTD (SYSTEM)"),
    ],
)
def test_remote_references_are_refused(no_network: None, name: str, line: int, why: str) -> None:
    report = validate([INVALID / name], layers=("syntax",))
    [finding] = report.findings
    assert finding.rule == "syntax/network"
    assert (finding.file, finding.line) == (INVALID / name, line)
    assert why in finding.message
    assert "--allow-network" in finding.message
    assert report.exit_code() == 2


def test_external_entity_is_not_expanded_even_when_allowed(tmp_path: Path) -> None:
    # With --allow-network the pre-check is off; the XML parser itself must still not read
    # /etc/passwd into the graph (Python's SAX parser leaves external entities unresolved).
    report = validate(
        [INVALID / "network-external-entity.rdf"], layers=("syntax",), allow_network=True
    )
    assert not report.findings
    graph = rdflib.Graph().parse(INVALID / "network-external-entity.rdf", format="xml")
    assert not any("root:" in str(o) for o in graph.objects())


def test_inline_and_local_contexts_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonld"
    path.write_text('{"@context": "ctx.jsonld", "@id": "https://example.org/x"}', encoding="utf-8")
    assert network_problem(path, path.read_text(encoding="utf-8")) is None
    inline = INVALID.parent / "tiny.jsonld"
    assert network_problem(inline, inline.read_text(encoding="utf-8")) is None


def test_owl_imports_is_reported_not_followed(no_network: None, tmp_path: Path) -> None:
    path = tmp_path / "imports.ttl"
    path.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "<https://w3id.org/caregraph/dresden/ext> a owl:Ontology ;\n"
        "    owl:imports <http://example.org/remote.owl> .\n",
        encoding="utf-8",
    )
    report = validate([path], layers=("syntax", "vocabulary"))
    [finding] = report.findings
    assert (finding.severity, finding.rule, finding.line) == ("info", "vocabulary/imports", 3)


def test_too_large_file_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "big.ttl"
    path.write_text("# " + "x" * 2000 + "\n", encoding="utf-8")
    report = validate([path], max_file_bytes=1000)
    [finding] = report.findings
    assert finding.rule == "syntax/too-large"
    assert "more than the limit of 0.0 MB" in finding.message
    assert "--max-file-size" in finding.message


@pytest.mark.parametrize("backend", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("name", ["network-remote-context.jsonld", "network-external-entity.rdf"])
def test_query_stores_refuse_the_network_too(no_network: None, backend: str, name: str) -> None:
    from caregraph.errors import InputError
    from caregraph.store import open_store

    with pytest.raises(InputError, match=rf"{name}, line \d+: .*unless --allow-network"):
        open_store([INVALID / name], backend)


def test_cli_query_commands_refuse_the_network(no_network: None) -> None:
    from click.testing import CliRunner

    from caregraph.cli import cli

    result = CliRunner().invoke(
        cli, ["--data", str(INVALID / "network-remote-context.jsonld"), "info"]
    )
    assert result.exit_code == 2
    assert "remote JSON-LD context https://example.org/remote-context.jsonld" in result.output
