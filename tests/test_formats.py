"""The format registries: every writer exists, names are unique, unknown names are refused."""

from __future__ import annotations

import inspect
import json

import pytest
import rdflib

from caregraph.errors import UsageError
from caregraph.formats import (
    BOOLEAN_FORMATS,
    GRAPH_FORMATS,
    REPORT_FORMATS,
    RESULT_FORMATS,
    Format,
    Registry,
    _resolve,
)
from caregraph.results import ResultTable

REGISTRIES = [RESULT_FORMATS, BOOLEAN_FORMATS, GRAPH_FORMATS, REPORT_FORMATS]


@pytest.mark.parametrize("registry", REGISTRIES, ids=lambda r: r.kind)
def test_every_format_names_a_writer_that_exists(registry: Registry) -> None:
    for fmt in registry:
        writer = _resolve(fmt.writer)
        assert callable(writer), fmt.writer
        assert inspect.getdoc(writer), f"{fmt.writer} has no docstring"
        assert fmt.extension.startswith("."), fmt.name
        assert fmt.description and fmt.name == fmt.name.lower()


def test_an_unknown_format_is_a_usage_error_listing_the_known_ones() -> None:
    with pytest.raises(UsageError, match=r"Unknown RDF format 'n3'; use one of: turtle, ntriples"):
        GRAPH_FORMATS.get("n3")


def test_the_writers_write() -> None:
    table = ResultTable(["n"], [(rdflib.Literal(1),)])
    assert RESULT_FORMATS.get("csv").write(table, None, "en") == "n\n1\n"
    assert json.loads(BOOLEAN_FORMATS.get("json").write(True)) == {"boolean": True}
    graph = rdflib.Graph()
    graph.add((rdflib.URIRef("urn:a"), rdflib.URIRef("urn:b"), rdflib.Literal("c")))
    assert GRAPH_FORMATS.get("ntriples").write(graph).strip() == '<urn:a> <urn:b> "c" .'


def test_a_registered_format_is_offered_and_written() -> None:
    registry = Registry.of("test", [Format("upper", "capitalised words", "string:capwords")])
    assert registry.names() == ("upper",) and "upper" in registry
    assert registry.help() == "upper (capitalised words)"
    assert registry.get("upper").write("abc def") == "Abc Def"


def test_a_file_name_chooses_the_first_format_of_its_extension() -> None:
    from caregraph.formats import REPORT_FORMATS, RESULT_FORMATS

    assert RESULT_FORMATS.for_path("out/rows.CSV") == "csv"  # not excel or sparql-csv
    assert RESULT_FORMATS.for_path("rows.srj") == "srj"
    assert REPORT_FORMATS.for_path("r.sarif") == "sarif"
    assert REPORT_FORMATS.for_path("r.ttl") == "shacl"
    assert RESULT_FORMATS.for_path("rows") is None
    assert RESULT_FORMATS.for_path("-") is None
    assert RESULT_FORMATS.for_path(None) is None
    assert RESULT_FORMATS.for_path("rows.xlsx") is None
