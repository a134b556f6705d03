"""Every result format parses with a real parser and carries the same rows."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF, Literal, URIRef
from rdflib.query import Result

from caregraph.outfile import write_atomic
from caregraph.output import format_boolean, format_graph, format_result
from caregraph.results import ResultTable
from caregraph.store import open_store

DD = "https://w3id.org/caregraph/dresden/"
XSD_INT = URIRef("http://www.w3.org/2001/XMLSchema#integer")
TABLE = ResultTable(
    ["actor", "name", "count", "note"],
    [
        (URIRef(DD + "a"), Literal('Verein "Süd", Prohlis | {#1}', lang="de"), Literal(2), None),
        (URIRef(DD + "b"), Literal("Zeile eins\nZeile zwei"), Literal(0), Literal("x")),
    ],
)


@pytest.fixture(scope="module")
def store(data_dir: Path):
    return open_store([data_dir / "tiny.ttl"], "oxigraph", ontology=False)


def test_csv(store) -> None:
    rows = list(csv.DictReader(io.StringIO(format_result(TABLE, "csv", store, "de"))))
    assert rows[0] == {
        "actor": DD + "a",
        "name": 'Verein "Süd", Prohlis | {#1}',
        "count": "2",
        "note": "",
    }
    assert rows[1]["name"] == "Zeile eins\nZeile zwei"


def test_tsv(store) -> None:
    text = format_result(TABLE, "tsv", store, "de")
    rows = list(csv.DictReader(io.StringIO(text), delimiter="\t"))
    assert [r["count"] for r in rows] == ["2", "0"]


def test_json(store) -> None:
    rows = json.loads(format_result(TABLE, "json", store, "de"))
    assert rows == [
        {"actor": DD + "a", "name": 'Verein "Süd", Prohlis | {#1}', "count": 2, "note": None},
        {"actor": DD + "b", "name": "Zeile eins\nZeile zwei", "count": 0, "note": "x"},
    ]


@pytest.mark.parametrize(
    ("fmt", "parser"), [("srj", "json"), ("srx", "xml"), ("sparql-tsv", "tsv")]
)
def test_w3c_formats_round_trip_terms(store, fmt: str, parser: str) -> None:
    text = format_result(TABLE, fmt, store, "de")
    parsed = Result.parse(io.StringIO(text), format=parser)
    assert [str(v) for v in parsed.vars] == TABLE.columns
    rows = [tuple(b.get(rdflib.Variable(c)) for c in TABLE.columns) for b in parsed.bindings]
    assert rows == TABLE.rows
    assert rows[0][1].language == "de"
    assert rows[0][2].datatype == XSD_INT


def test_w3c_csv_uses_crlf_and_plain_values(store) -> None:
    text = format_result(TABLE, "sparql-csv", store, "de")
    parsed = Result.parse(io.StringIO(text), format="csv")
    assert len(parsed.bindings) == 2
    assert text.split("\r\n")[0] == "actor,name,count,note"


def test_markdown_escapes_pipes_and_newlines(store) -> None:
    text = format_result(TABLE, "markdown", store, "de")
    lines = text.splitlines()
    assert lines[0] == "| actor | name | count | note |"
    assert lines[1] == "|---|---|---|---|"
    # an IRI without a label by its prefixed name
    assert lines[2] == '| dd:a | Verein "Süd", Prohlis \\| {#1} | 2 |  |'
    assert lines[3] == "| dd:b | Zeile eins<br>Zeile zwei | 0 | x |"
    assert len(lines) == 4


def test_table_shows_labels(store) -> None:
    table = ResultTable(["d"], [(URIRef(DD + "sozialamt"),)])
    assert "Social Welfare Office" in format_result(table, "table", store, "en")
    assert "Sozialamt" in format_result(table, "table", store, "de")


def test_ask_formats() -> None:
    assert format_boolean(True, "table") == "true\n"
    assert json.loads(format_boolean(False, "srj"))["boolean"] is False
    assert Result.parse(io.StringIO(format_boolean(True, "srx")), format="xml").askAnswer is True


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "jsonld", "rdfxml", "trig"])
def test_graph_formats_parse_back(fmt: str) -> None:
    graph = rdflib.Graph()
    graph.add((URIRef(DD + "a"), URIRef(DD + "p"), Literal('ä "q"', lang="de")))
    text = format_graph(graph, fmt)
    rdflib_format = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml",
                     "trig": "trig", "nquads": "nquads"}[fmt]  # fmt: skip
    back = rdflib.Dataset() if fmt in ("trig", "nquads") else rdflib.Graph()
    back.parse(data=text, format=rdflib_format)
    assert len(back) == 1 or len(list(back.quads())) == 1


def test_excel_csv_has_bom_semicolons_and_crlf(store, tmp_path: Path) -> None:
    target = tmp_path / "x.csv"
    write_atomic(target, format_result(TABLE, "excel", store, "de"))
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfactor;name;count;note\r\n")
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert rows[0]["name"] == 'Verein "Süd", Prohlis | {#1}'
    assert rows[1]["name"] == "Zeile eins\nZeile zwei"


def test_a_term_without_a_label_is_shown_by_its_prefixed_name(store) -> None:
    table = ResultTable(["p"], [(RDF.type,), (URIRef("https://example.org/x"),)])
    text = format_result(table, "markdown", store, "en")
    assert text.splitlines()[2:] == ["| rdf:type |", "| https://example.org/x |"]


def test_the_row_count_under_a_table_is_in_the_readers_language(store) -> None:
    one = ResultTable(["d"], [(URIRef(DD + "sozialamt"),)])
    assert format_result(one, "table", store, "en").rstrip().endswith("1 row")
    assert format_result(one, "table", store, "de").rstrip().endswith("1 Zeile")
    two = ResultTable(["d"], [(URIRef(DD + "sozialamt"),), (URIRef(DD + "prohlis"),)])
    assert format_result(two, "table", store, "de").rstrip().endswith("2 Zeilen")
