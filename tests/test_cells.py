"""Formula-injection protection of cells that spreadsheet programs open."""

from __future__ import annotations

import csv
import io

import pytest
from rdflib import Literal, URIRef

from caregraph.cells import protect
from caregraph.output import format_result
from caregraph.results import ResultTable


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (
            '=HYPERLINK("http://evil.example","klick")',
            '\'=HYPERLINK("http://evil.example","klick")',
        ),
        ("+49 351 123", "'+49 351 123"),
        ("-Sozialamt", "'-Sozialamt"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("-5", "-5"),
        ("+3.25", "+3.25"),
        ("Sozialamt", "Sozialamt"),
        ("", ""),
    ],
)
def test_protect(text: str, shown: str) -> None:
    assert protect(text) == shown


@pytest.mark.parametrize("fmt", ["excel", "csv"])
def test_excel_and_csv_results_never_carry_a_formula(fmt: str) -> None:
    table = ResultTable(
        ["actor", "label", "count"],
        [(URIRef("https://w3id.org/caregraph/dresden/x"), Literal("=1+2"), Literal(-3))],
    )
    text = format_result(table, fmt, None, "de")
    delimiter = ";" if fmt == "excel" else ","
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter))
    assert rows[1] == ["https://w3id.org/caregraph/dresden/x", "'=1+2", "-3"]


def test_other_formats_keep_the_text() -> None:
    table = ResultTable(["label"], [(Literal("=1+2"),)])
    assert '"=1+2"' in format_result(table, "json", None, "de")
    assert format_result(table, "tsv", None, "de") == "label\n=1+2\n"
