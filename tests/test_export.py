"""Exports: every syntax read back by another parser than its writer, deterministic bytes,
compacted JSON-LD with the shipped context, ontology and inferred triples as named graphs."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from rdflib import DCAT, DCTERMS, RDF, BNode, Literal, URIRef
from rdflib.compare import isomorphic, to_isomorphic
from support import require_program

from caregraph.cli import cli
from caregraph.errors import InputError, UsageError
from caregraph.export import (
    EXPORT_FORMATS,
    EXPORT_PREFIXES,
    INFERRED_GRAPH,
    ONTOLOGY_GRAPH,
    ExportGraph,
    collect,
    context_document,
    context_path,
    export_format,
    serialize,
)
from caregraph.loading import load_graph, load_ontology
from caregraph.namespaces import CG, DD
from caregraph.store import open_store

BLANKS = Path(__file__).parent / "data" / "export" / "blank-nodes.ttl"
REPO = Path(__file__).parent.parent

Quads = dict[URIRef | None, rdflib.Graph]


def _plain(term: rdflib.term.Node) -> rdflib.term.Node:
    if isinstance(term, Literal) and term.datatype == rdflib.XSD.string:
        return Literal(str(term))
    return term


def _from_oxigraph(term: object) -> rdflib.term.Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    assert isinstance(term, ox.Literal)
    if term.language:
        return Literal(term.value, lang=term.language)
    return _plain(Literal(term.value, datatype=URIRef(term.datatype.value)))


def read_with_oxigraph(text: str, key: str) -> Quads:
    """Parse an export with pyoxigraph, graph by graph."""
    syntax = ox.RdfFormat.from_extension(EXPORT_FORMATS[key].extension.lstrip("."))
    graphs: Quads = {}
    for quad in ox.parse(text.encode("utf-8"), format=syntax):
        name = (
            None if isinstance(quad.graph_name, ox.DefaultGraph) else URIRef(quad.graph_name.value)
        )
        triple = tuple(_from_oxigraph(t) for t in (quad.subject, quad.predicate, quad.object))
        graphs.setdefault(name, rdflib.Graph()).add(triple)  # type: ignore[arg-type]
    return graphs


def read_with_rdflib(text: str, key: str) -> Quads:
    """Parse an export with rdflib, graph by graph."""
    rdflib_format = {"ttl": "turtle", "nt": "nt", "nq": "nquads", "trig": "trig",
                     "jsonld": "json-ld", "xml": "xml"}[key]  # fmt: skip
    dataset = rdflib.Dataset()
    dataset.parse(data=text, format=rdflib_format)
    graphs: Quads = {}
    for s, p, o, g in dataset.quads((None, None, None, None)):
        name = None if g is None or g == rdflib.graph.DATASET_DEFAULT_GRAPH_ID else URIRef(g)
        graphs.setdefault(name, rdflib.Graph()).add((s, p, _plain(o)))
    return graphs


def read_with_other_parser(text: str, key: str) -> Quads:
    """Read with pyoxigraph what rdflib wrote, and with rdflib what pyoxigraph wrote."""
    if EXPORT_FORMATS[key].writer == "rdflib":
        return read_with_oxigraph(text, key)
    return read_with_rdflib(text, key)


def expected(parts: ExportGraph, key: str) -> Quads:
    if EXPORT_FORMATS[key].quads:
        return {name: graph for name, graph in parts.parts()}
    return {None: parts.merged()}


def assert_same(found: Quads, wanted: Quads) -> None:
    assert set(found) == set(wanted)
    for name, graph in wanted.items():
        assert len(found[name]) == len(graph), name
        assert isomorphic(found[name], graph), name


@pytest.fixture(scope="module")
def dresden_parts() -> ExportGraph:
    return collect(load_graph(), with_ontology=True)


@pytest.fixture(scope="module")
def blank_parts() -> ExportGraph:
    return collect(load_graph([BLANKS]))


@pytest.mark.parametrize("key", list(EXPORT_FORMATS))
def test_dresden_with_ontology_round_trips_through_the_other_parser(
    dresden_parts: ExportGraph, key: str
) -> None:
    text = serialize(dresden_parts, key)
    assert_same(read_with_other_parser(text, key), expected(dresden_parts, key))


@pytest.mark.parametrize("key", list(EXPORT_FORMATS))
def test_blank_nodes_lists_and_literals_round_trip(blank_parts: ExportGraph, key: str) -> None:
    text = serialize(blank_parts, key)
    found = read_with_other_parser(text, key)
    assert_same(found, expected(blank_parts, key))
    # the multi-line German label with quotes survived exactly
    labels = {str(o) for o in found[None].objects(DD["measure-x"], rdflib.RDFS.label)}
    assert 'Maßnahme „X“ mit "Anführung"\nund Zeilenumbruch' in labels


_RAPPER = {"ttl": "turtle", "nt": "ntriples", "nq": "nquads", "trig": "trig", "xml": "rdfxml"}


@pytest.mark.parametrize("key", list(_RAPPER))
def test_rapper_reads_every_export_it_knows(
    dresden_parts: ExportGraph, blank_parts: ExportGraph, key: str, tmp_path: Path
) -> None:
    rapper = require_program("rapper")
    for parts in (dresden_parts, blank_parts):
        path = tmp_path / f"export{EXPORT_FORMATS[key].extension}"
        path.write_text(serialize(parts, key), encoding="utf-8")
        quads = EXPORT_FORMATS[key].quads
        done = subprocess.run(
            [rapper, "-q", "-i", _RAPPER[key], "-o", "nquads" if quads else "ntriples",
             str(path), "http://example.org/base"],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert_same(read_with_rdflib(done.stdout, "nq"), expected(parts, key))


def test_turtle_export_is_deterministic_across_processes(tmp_path: Path) -> None:
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"dresden-{seed}.ttl"
        subprocess.run(
            [sys.executable, "-m", "caregraph", "export", "--with-ontology", "-o", str(out)],
            env={**os.environ, "PYTHONHASHSEED": seed}, check=True, capture_output=True,
        )  # fmt: skip
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize("key", list(EXPORT_FORMATS))
def test_every_format_ignores_the_order_triples_were_read_in(key: str) -> None:
    graph = load_graph([BLANKS])
    reordered = rdflib.Graph()
    for triple in sorted(graph, key=lambda t: t[2].n3(), reverse=True):
        reordered.add(triple)
    first = serialize(ExportGraph(graph, load_ontology()), key)
    assert serialize(ExportGraph(reordered, load_ontology()), key) == first


def test_reexporting_the_turtle_export_changes_nothing(tmp_path: Path) -> None:
    """Exporting the export again gives the same bytes: a clean git diff."""
    first = serialize(collect(load_graph()), "ttl")
    path = tmp_path / "dresden.ttl"
    path.write_text(first, encoding="utf-8")
    assert serialize(collect(load_graph([path])), "ttl") == first


def test_turtle_uses_caregraphs_fixed_prefixes() -> None:
    text = serialize(collect(load_graph()), "ttl")
    prefixes = [line for line in text.splitlines() if line.startswith("@prefix")]
    assert "@prefix cg: <https://w3id.org/caregraph/ontology#> ." in prefixes
    assert "@prefix dd: <https://w3id.org/caregraph/dresden/> ." in prefixes
    assert prefixes == sorted(prefixes)
    assert "@prefix cat: <https://w3id.org/caregraph/catalog#> ." in prefixes
    body = [line for line in text.splitlines() if not line.startswith("@prefix")]
    assert not [line for line in body if "ns1:" in line]
    # every caregraph resource has a prefixed name (the catalogue's too: cat:dresden); the
    # only caregraph IRIs written in full are documents: the ontology the dataset conforms
    # to and the data files it offers for download (data/catalog.ttl)
    graph = load_graph()
    documents = {
        str(o)
        for p in (DCAT.downloadURL, DCTERMS.conformsTo)
        for o in graph.objects(None, p)
        if isinstance(o, URIRef)
    }
    full = set(re.findall(r"<(https://w3id\.org/caregraph/[^>]*)>", "\n".join(body)))
    assert full <= documents
    assert not [iri for iri in full for ns in EXPORT_PREFIXES.values() if iri.startswith(ns)]
    assert "cat:dresden a dcat:Dataset ;" in body
    # resources come in sorted order
    subjects = [line.split()[0] for line in text.splitlines() if line.startswith("dd:")]
    assert subjects == sorted(subjects)


def test_json_ld_is_compacted_with_readable_keys() -> None:
    text = serialize(collect(load_graph()), "jsonld")
    document = json.loads(text)
    assert document["@context"] == json.loads(context_path().read_text())["@context"]
    nodes = {node["id"]: node for node in document["@graph"]}
    resp = nodes["dd:resp-vorstellen-idee-beauftragte"]
    assert resp["type"] == "cg:Responsibility"
    assert resp["responsibleActor"] == "dd:beauftragte-menschen-mit-behinderungen-senioren"
    assert resp["responsibilityRole"] == "cgv:role-lead"
    assert resp["label"]["en"].startswith("Lead for presenting the idea")
    meeting = nodes["dd:meeting-2021-07-13"]
    assert meeting["date"] == "2021-07-13"
    assert nodes["dd:workshops-phase-2"]["sourceSlide"] == "7"  # xsd:integer
    # no key falls back to a full IRI
    assert not [key for node in nodes.values() for key in node if key.startswith("http")]


def test_shipped_context_is_built_from_the_ontology() -> None:
    """ontology/context.jsonld is regenerated from the ontology (see build_context)."""
    assert context_path().read_text(encoding="utf-8") == context_document(load_ontology())
    context = json.loads(context_path().read_text())["@context"]
    assert context["responsibleActor"] == {"@id": "cg:responsibleActor", "@type": "@id"}
    assert context["label"] == {"@id": "rdfs:label", "@container": "@language"}
    assert context["memberOf"]["@id"] == "cg:memberOf"  # caregraph's own wins over org:


def test_quad_formats_put_ontology_and_inferred_triples_in_named_graphs() -> None:
    data = load_graph([BLANKS])
    inferred = rdflib.Graph()
    inferred.add((DD["measure-x"], RDF.type, CG.Activity))
    parts = ExportGraph(data, load_ontology(), inferred)
    for key in ("nq", "trig"):
        graphs = read_with_other_parser(serialize(parts, key), key)
        assert set(graphs) == {None, ONTOLOGY_GRAPH, INFERRED_GRAPH}
        assert (URIRef(str(ONTOLOGY_GRAPH)), RDF.type, rdflib.OWL.Ontology) in graphs[
            ONTOLOGY_GRAPH
        ]
        assert len(graphs[INFERRED_GRAPH]) == 1
    merged = read_with_other_parser(serialize(parts, "nt"), "nt")
    assert len(merged[None]) == len(parts.merged())


def test_collect_writes_the_ontology_once_when_the_store_has_it() -> None:
    """A store (or endpoint) holding the ontology: its blank nodes have other names there."""
    parts = collect(open_store(ontology=True), with_ontology=True)
    assert parts.ontology is not None
    assert not set(parts.data) & set(parts.ontology)
    assert len(parts.data) == len(load_graph())  # also the ontology's blank-node triples left
    # (Oxigraph keeps xsd:positiveInteger as xsd:integer, so compare the shape only)
    assert to_isomorphic(parts.ontology) == to_isomorphic(load_ontology())
    # the data's own blank nodes stay
    parts = collect(open_store([BLANKS], ontology=True), with_ontology=True)
    assert len(parts.data) == len(load_graph([BLANKS]))


@pytest.mark.reasoner
def test_inferred_triples_come_from_hermit() -> None:
    parts = collect(load_graph(), inferred=True)
    assert parts.inferred is not None and len(parts.inferred) > 0
    # a Stadtbezirk is an area by the class hierarchy, which the data does not state
    assert (DD.prohlis, RDF.type, CG.Area) in parts.inferred
    assert (DD.prohlis, RDF.type, CG.Area) not in parts.data


def test_unknown_format_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="choose one of: ttl, nt, nq, trig, jsonld, xml"):
        export_format("n3")


def test_cli_export_takes_the_format_from_the_file_name(tmp_path: Path) -> None:
    out = tmp_path / "dresden.jsonld"
    result = CliRunner().invoke(cli, ["export", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "triples written to" in result.stderr and "(JSON-LD)" in result.stderr
    assert json.loads(out.read_text())["@graph"]
    result = CliRunner().invoke(cli, ["export", "--format", "nt"])
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == len(load_graph())


def test_cli_export_of_other_data_and_bad_format(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--data", str(BLANKS), "export", "--format", "ttl"])
    assert result.exit_code == 0
    assert result.stdout == serialize(collect(load_graph([BLANKS])), "ttl")
    result = CliRunner().invoke(cli, ["export", "--format", "n3"])
    assert result.exit_code == 2


def test_export_runs_as_a_real_command(tmp_path: Path) -> None:
    out = tmp_path / "dresden.rdf"
    done = subprocess.run(
        [sys.executable, "-m", "caregraph", "export", "--with-ontology", "-o", str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "(RDF/XML)" in done.stderr
    graph = rdflib.Graph().parse(out, format="xml")
    assert len(graph) == len(load_graph()) + len(load_ontology())
    assert REPO.joinpath("ontology", "context.jsonld").is_file()


def test_the_cli_offers_every_export_syntax() -> None:
    from caregraph.choices import EXPORT_SYNTAXES
    from caregraph.export import EXPORT_FORMATS

    assert tuple(EXPORT_FORMATS) == EXPORT_SYNTAXES


SPACE_IRI = "https://w3id.org/caregraph/dresden/with space"


@pytest.mark.parametrize("key", ["ttl", "nt", "nq", "trig", "jsonld", "xml"])
def test_an_iri_no_syntax_can_write_is_named_not_a_crash(key: str) -> None:
    graph = rdflib.Graph()
    graph.add((URIRef(SPACE_IRI), RDF.type, CG.Organisation))
    with pytest.raises(InputError, match=re.escape(f"<{SPACE_IRI}>, which no RDF syntax")):
        serialize(graph, key)


def test_cli_export_of_an_unwritable_iri_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data.ttl"
    data.write_text(f"<{SPACE_IRI}> a <{CG.Organisation}> .\n", encoding="utf-8")
    out = tmp_path / "out.ttl"
    result = CliRunner().invoke(cli, ["--data", str(data), "export", "-o", str(out)])
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: The graph holds the IRI <{SPACE_IRI}>")
    assert "`caregraph validate` shows the file and line" in result.output
    assert not out.exists() and list(tmp_path.iterdir()) == [data]
