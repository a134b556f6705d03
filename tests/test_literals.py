"""Ill-typed literals: the lexical checks, and their findings in the syntax layer."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from caregraph.cli import cli
from caregraph.validation import validate
from caregraph.validation.literals import XSD, ill_typed

FIXTURE = Path(__file__).parent / "data" / "invalid" / "syntax-ill-typed-literal.ttl"


@pytest.mark.parametrize(
    ("lexical", "datatype"),
    [
        ("2021-07-13", "date"),
        ("2024-02-29", "date"),
        ("2021-07-13Z", "date"),
        ("2021-07-13T16:00:00", "dateTime"),
        ("2021-07-13T24:00:00", "dateTime"),
        ("2021", "gYear"),
        ("2021-07", "gYearMonth"),
        ("42", "integer"),
        ("+1", "positiveInteger"),
        ("0", "nonNegativeInteger"),
        ("3.25", "decimal"),
        ("1.5E3", "double"),
        ("INF", "double"),
        ("true", "boolean"),
        ("0", "boolean"),
        ("16:00:00", "time"),
        ("anything", "string"),  # not judged
    ],
)
def test_well_typed(lexical: str, datatype: str) -> None:
    assert ill_typed(lexical, XSD + datatype) is None


@pytest.mark.parametrize(
    ("lexical", "datatype"),
    [
        ("13.07.2021", "date"),
        ("2023-02-29", "date"),
        ("2021-13-01", "date"),
        ("2021-07-13 16:00", "dateTime"),
        ("21", "gYear"),
        ("2021-13", "gYearMonth"),
        ("twelve", "integer"),
        ("0", "positiveInteger"),
        ("-1", "nonNegativeInteger"),
        ("300", "byte"),
        ("3,25", "decimal"),
        ("yes", "boolean"),
        ("25:00:00", "time"),
    ],
)
def test_ill_typed(lexical: str, datatype: str) -> None:
    assert ill_typed(lexical, XSD + datatype)


def test_ill_typed_literals_are_syntax_findings_with_file_and_line() -> None:
    report = validate([FIXTURE], layers=("syntax", "vocabulary", "shapes", "rules"))
    found = [(f.layer, f.rule, f.file, f.line, f.value) for f in report.findings]
    assert found == [
        ("syntax", "syntax/ill-typed", FIXTURE, 5, "13.07.2021"),
        ("syntax", "syntax/ill-typed", FIXTURE, 9, "twelve"),
    ]
    # the file parsed: the later layers ran, and it is invalid data (1), not unreadable (2)
    assert report.layers == ["syntax", "vocabulary", "shapes", "rules"]
    assert not report.unreadable
    assert report.exit_code() == 1


def test_cli_reports_an_ill_typed_literal() -> None:
    result = CliRunner().invoke(cli, ["--lang", "en", "validate", "--no-reasoner", str(FIXTURE)])
    assert result.exit_code == 1
    assert "[syntax]" in result.output
    assert '"13.07.2021" is not a valid xsd:date' in result.output
    assert "hint: Write the value as YYYY-MM-DD" in result.output
    assert "Failed to convert" not in result.output  # rdflib's log stays quiet
