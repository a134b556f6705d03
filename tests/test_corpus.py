"""The corpus of broken fixtures in tests/data/invalid: each gives exactly its findings, in place.

Every fixture is validated on its own (without the reasoner, which has its own tests in
test_reasoning.py). Beside each fixture ``X`` stands its manifest ``X.expected.yaml``: every
error and warning it must give (severity, rule, line, exact message), in report order.
Nothing else of those severities may appear, and every finding names the fixture as its file.
A new fixture comes with its manifest; a fixture without one (or a manifest without its
fixture) fails the suite.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import yaml

from caregraph.datafiles import FORMATS
from caregraph.validation import validate
from caregraph.validation.findings import ValidationReport
from caregraph.validation.rules import load_checks

INVALID = Path(__file__).parent / "data" / "invalid"
FAST_LAYERS = ("syntax", "vocabulary", "shapes", "rules")
MANIFEST = ".expected.yaml"
FIXTURES = sorted(p.name for p in INVALID.iterdir() if p.suffix in FORMATS)


def expected(name: str) -> list[tuple[str, str, int | None, str]]:
    """The findings the manifest beside fixture ``name`` lists."""
    entries = yaml.safe_load((INVALID / f"{name}{MANIFEST}").read_text(encoding="utf-8")) or []
    return [(e["severity"], e["rule"], e["line"], e["message"]) for e in entries]


@cache
def report_for(name: str) -> ValidationReport:
    return validate([INVALID / name], lang="en", layers=FAST_LAYERS)


def test_every_fixture_has_a_manifest_and_every_manifest_a_fixture() -> None:
    manifests = sorted(p.name.removesuffix(MANIFEST) for p in INVALID.glob(f"*{MANIFEST}"))
    assert manifests == FIXTURES
    others = [p.name for p in INVALID.iterdir() if p.name not in FIXTURES]
    assert sorted(others) == sorted(f"{name}{MANIFEST}" for name in FIXTURES)
    assert len(FIXTURES) >= 38


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_gives_exactly_its_findings(name: str) -> None:
    report = report_for(name)
    found = [
        (f.severity, f.rule, f.line, f.message) for f in report.findings if f.severity != "info"
    ]
    assert found == expected(name)


@pytest.mark.parametrize("name", FIXTURES)
def test_every_finding_names_the_file_and_a_line(name: str) -> None:
    for finding in report_for(name).findings:
        assert finding.file == INVALID / name
        assert finding.line is not None and finding.line >= 1
        assert finding.hint


def test_layers_covered() -> None:
    rules = {f.rule for name in FIXTURES for f in report_for(name).findings}
    for wanted in (
        "syntax/parse",
        "syntax/network",
        "syntax/ill-typed",
        "vocabulary/unknown-term",
        "vocabulary/relative-iri",
        "vocabulary/invalid-iri",
        "vocabulary/not-a-property",
        "shapes/MinCount",
        "shapes/MaxCount",
        "shapes/Class",
        "shapes/Datatype",
        "shapes/In",
        "shapes/Pattern",
        "shapes/LanguageIn",
        "shapes/UniqueLang",
        "shapes/QualifiedMinCount",
        "shapes/Not",
        "shapes/Or",
    ):
        assert wanted in rules
    for check in load_checks():
        assert f"rules/{check.id}" in rules, check.id
