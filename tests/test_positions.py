"""The position index: every subject rdflib reads is found at the right line."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib import URIRef

from caregraph.loading import parse_file
from caregraph.positions import RDF_TYPE, index_file
from caregraph.resources import data_dir

DATA = Path(__file__).parent / "data"
DD = "https://w3id.org/caregraph/dresden/"


@pytest.mark.parametrize("path", sorted(data_dir().glob("*.ttl")), ids=lambda p: p.name)
def test_every_named_subject_of_the_shipped_data_is_indexed(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    index = index_file(path, text)
    graph = parse_file(path)
    lines = text.splitlines()
    for subject in {s for s in graph.subjects() if isinstance(s, URIRef)}:
        where = index.subjects[str(subject)]
        # The line holds the subject's prefixed name (dd:slug, cat:name) at the column found.
        name = graph.namespace_manager.normalizeUri(subject)
        assert lines[where.line - 1][where.column - 1 :].startswith(name)
    for s, p, _ in graph:
        if isinstance(s, URIRef):
            assert (str(s), str(p)) in index.statements


def test_turtle_details(tmp_path: Path) -> None:
    path = tmp_path / "t.ttl"
    path.write_text(
        "@base <https://example.org/> .\n"
        "PREFIX ex: <https://example.org/ns#>\n"
        '<a> a ex:C ; ex:p "x;y." , """long\n'
        'string""" ;\n'
        "  ex:q [ ex:r <b> ] .\n"
        "ex:b\\.c ex:p ( 1 2 ) .\n"
        '# <c> ex:p "comment" .\n',
        encoding="utf-8",
    )
    index = index_file(path, path.read_text(encoding="utf-8"))
    assert (
        index.subjects["https://example.org/a"].line,
        index.subjects["https://example.org/a"].column,
    ) == (3, 1)
    assert index.statements[("https://example.org/a", RDF_TYPE)].line == 3
    assert index.statements[("https://example.org/a", "https://example.org/ns#q")].line == 5
    assert index.subjects["https://example.org/ns#b.c"].line == 6
    assert "https://example.org/c" not in index.subjects
    assert index.mentions["https://example.org/b"].line == 5
    graph = rdflib.Graph().parse(path)
    assert len(graph) == 10


def test_trig_graph_names_are_not_subjects() -> None:
    index = index_file(DATA / "tiny.trig", (DATA / "tiny.trig").read_text(encoding="utf-8"))
    assert DD + "g" not in index.subjects
    assert index.subjects[DD + "prohlis"].line == 3


@pytest.mark.parametrize("name", ["tiny.nt", "tiny.rdf", "tiny.jsonld"])
def test_other_syntaxes_find_the_subject_line(name: str) -> None:
    path = DATA / name
    text = path.read_text(encoding="utf-8")
    where = index_file(path, text).subjects[DD + "prohlis"]
    assert "prohlis" in text.splitlines()[where.line - 1]


def test_quick_index_agrees_with_the_full_scan(tmp_path: Path) -> None:
    """The on-demand index of large files finds what the full scan finds, on the bundled
    graph and on a generated one (subjects, statements and the mentions of our terms)."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
    from run import generate

    from caregraph.positions import QuickIndex, index_file
    from caregraph.resources import data_dir

    generate(tmp_path / "graph.ttl", 2_000)
    for path in [tmp_path / "graph.ttl", *sorted(data_dir().glob("*.ttl"))]:
        text = path.read_text(encoding="utf-8")
        full, quick = index_file(path, text), QuickIndex(path, text)
        assert full.subjects and full.statements
        assert {k: quick.subjects.get(k) for k in full.subjects} == full.subjects
        assert {k: quick.statements.get(k) for k in full.statements} == full.statements
        ours = {k: v for k, v in full.mentions.items() if "caregraph" in k}
        assert {k: quick.mentions.get(k) for k in ours} == ours
        assert quick.locate("https://example.org/nowhere") is None
