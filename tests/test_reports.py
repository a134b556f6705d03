"""Report formats: JUnit, SARIF and SHACL parse with real parsers; text and GitHub are exact."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

import jsonschema
import rdflib
from click.testing import CliRunner
from rdflib.namespace import RDF, SH

from caregraph.cli import cli
from caregraph.validation import validate
from caregraph.validation.findings import Finding, ValidationReport
from caregraph.validation.reports import render, to_github

DATA = Path(__file__).parent / "data"
INVALID = DATA / "invalid"
FILES = [INVALID / "measure-without-status.ttl", INVALID / "vocab-typo-property.ttl"]


@cache
def report() -> ValidationReport:
    # Two files at once: the union of their findings, each placed in its own file.
    return validate(FILES, lang="en", layers=("syntax", "vocabulary", "shapes", "rules"))


def test_junit_parses_with_a_test_case_per_file_and_check() -> None:
    root = ET.fromstring(render(report(), "junit"))
    assert root.tag == "testsuites"
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert "caregraph.shapes" in suites and "caregraph.rules.end_before_start" in suites
    shapes = suites["caregraph.shapes"]
    cases = {c.get("name"): c for c in shapes.iter("testcase")}
    assert set(cases) == {f"{p.relative_to(Path.cwd()).as_posix()} [shapes]" for p in FILES}
    failing = cases["tests/data/invalid/measure-without-status.ttl [shapes]"]
    failures = failing.findall("failure")
    assert [f.get("type") for f in failures] == ["error:shapes/MinCount", "error:shapes/Datatype"]
    assert failures[0].text.startswith("tests/data/invalid/measure-without-status.ttl:13:1: error:")
    assert int(root.get("failures")) == 2  # shapes in one file, vocabulary in the other
    assert int(root.get("tests")) == len(FILES) * (3 + len(report().checks))


def test_sarif_is_valid_against_the_schema_and_has_locations() -> None:
    document = json.loads(render(report(), "sarif"))
    schema = json.loads((DATA / "sarif-schema-2.1.0-reduced.json").read_text(encoding="utf-8"))
    jsonschema.validate(document, schema)
    results = document["runs"][0]["results"]
    typo = next(r for r in results if r["ruleId"] == "vocabulary/unknown-term")
    assert typo["level"] == "error"
    assert typo["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "tests/data/invalid/vocab-typo-property.ttl"},
        "region": {"startLine": 26, "startColumn": 5},
    }
    assert "Did you mean cg:responsibleActor?" in typo["message"]["text"]
    rules = document["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules][typo["ruleIndex"]] == "vocabulary/unknown-term"


def test_shacl_report_parses_as_a_w3c_validation_report() -> None:
    graph = rdflib.Graph().parse(data=render(report(), "shacl"), format="turtle")
    root = next(graph.subjects(RDF.type, SH.ValidationReport))
    assert graph.value(root, SH.conforms).toPython() is False
    results = list(graph.objects(root, SH.result))
    assert len(results) == len(report().findings)
    for result in results:
        assert graph.value(result, SH.resultSeverity) in (SH.Violation, SH.Warning, SH.Info)
        assert graph.value(result, SH.focusNode) is not None
        assert graph.value(result, SH.sourceConstraintComponent) is not None


def test_json_report() -> None:
    document = json.loads(render(report(), "json"))
    assert document["exit_code"] == 1
    assert document["counts"] == report().counts()
    first = document["findings"][0]
    assert first["file"] == "tests/data/invalid/measure-without-status.ttl"
    assert first["line"] == 13


def test_github_annotations_escape_and_place() -> None:
    finding = Finding(
        severity="warning",
        focus="https://w3id.org/caregraph/dresden/x",
        focus_label="X, 100%",
        path=None,
        value=None,
        message="two\nlines",
        shape="s",
        layer="shapes",
        file=Path("data/a,b.ttl"),
        line=3,
        column=2,
        hint="",
        rule="shapes/MinCount",
    )
    text = to_github(ValidationReport(files=[Path("data/a,b.ttl")], findings=[finding]))
    assert text == (
        "::warning file=data/a%2Cb.ttl,line=3,col=2,title=caregraph shapes/MinCount::"
        "X, 100%25 <https://w3id.org/caregraph/dresden/x>: two%0Alines\n"
        "1 file checked: 0 errors, 1 warning, 0 infos. Valid.\n"
    )


def test_cli_formats(runner: CliRunner) -> None:
    args = ["--lang", "en", "validate", "--no-reasoner", *map(str, FILES)]
    for fmt in ("json", "junit", "sarif", "github", "shacl"):
        result = runner.invoke(cli, [*args, "--format", fmt])
        assert result.exit_code == 1, (fmt, result.output)
    github = runner.invoke(cli, [*args, "--format", "github"]).output
    assert (
        "::error file=tests/data/invalid/vocab-typo-property.ttl,line=26,col=5,"
        "title=caregraph vocabulary/unknown-term::" in github
    )


def test_shacl_report_does_not_conform_with_only_warnings_and_infos() -> None:
    """SHACL: any result, whatever its severity, makes sh:conforms false."""
    bundled = validate(layers=("syntax", "vocabulary", "shapes", "rules"))
    assert bundled.conforms and bundled.exit_code() == 0  # caregraph's verdict: valid
    assert {f.severity for f in bundled.findings} == {"warning", "info"}
    graph = rdflib.Graph().parse(data=render(bundled, "shacl"), format="turtle")
    root = next(graph.subjects(RDF.type, SH.ValidationReport))
    assert graph.value(root, SH.conforms).toPython() is False
    assert len(list(graph.objects(root, SH.result))) == len(bundled.findings)


def test_shacl_report_conforms_without_findings() -> None:
    clean = ValidationReport(files=[Path("x.ttl")], findings=[], layers=["syntax"])
    graph = rdflib.Graph().parse(data=render(clean, "shacl"), format="turtle")
    root = next(graph.subjects(RDF.type, SH.ValidationReport))
    assert graph.value(root, SH.conforms).toPython() is True
    assert not list(graph.objects(root, SH.result))


def test_the_text_report_speaks_the_language_of_its_messages() -> None:
    finding = Finding(
        severity="warning",
        focus="https://w3id.org/caregraph/dresden/x",
        focus_label="X",
        path="https://w3id.org/caregraph/ontology#status",
        value="v",
        message="Nachricht",
        shape="s",
        hint="Tipp zum Beheben",
        file=Path("a.ttl"),
        line=3,
    )
    report = ValidationReport(files=[Path("a.ttl"), Path("b.ttl")], findings=[finding])
    german = render(report, "text", lang="de").splitlines()
    assert german[1].split()[:3] == ["3:1", "WARNUNG", "[shapes]"]
    assert german[2].strip() == "Pfad: <https://w3id.org/caregraph/ontology#status>"
    assert german[3].strip() == "Wert: v"
    assert german[5].strip() == "Tipp: Tipp zum Beheben"
    assert german[-1] == "2 Dateien geprüft: 0 Fehler, 1 Warnung, 0 Infos. Gültig."
    english = render(report, "text", lang="en").splitlines()
    assert english[1].split()[1] == "WARNING" and english[5].strip().startswith("hint: ")
    assert english[-1] == "2 files checked: 0 errors, 1 warning, 0 infos. Valid."
    assert "\nTipp: Tipp zum Beheben" in render(report, "github", lang="de").replace("%0A", "\n")


def test_shacl_report_tags_each_message_with_its_language() -> None:
    """The syntax layer's messages are the parsers' English ones, tagged @en in a German
    report; the other layers' are in the report's language."""
    broken = DATA / "invalid" / "syntax-missing-dot.ttl"
    report = validate([broken, FILES[0]], lang="de", layers=("syntax", "shapes"))
    graph = rdflib.Graph().parse(data=render(report, "shacl", lang="de"), format="turtle")
    tags = {
        str(message).split(":")[0][:40]: message.language
        for message in graph.objects(None, SH.resultMessage)
    }
    assert any(t.startswith("cannot parse") for t in tags)
    assert {lang for text, lang in tags.items() if text.startswith("cannot parse")} == {"en"}
    assert "de" in set(tags.values())
