"""Validation reports for people and for CI: text, JSON, JUnit XML, SARIF, GitHub, SHACL.

Each writer takes the report, ``fail_on``, ``lang`` and ``colour`` (using what it needs);
``caregraph.formats.REPORT_FORMATS`` names them, ``render`` picks one by name.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path
from typing import Any

import rdflib
from click import style
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD

from caregraph.formats import REPORT_FORMATS
from caregraph.resources import package_version
from caregraph.textsafe import for_terminal, for_xml
from caregraph.validation.findings import SEVERITIES, Finding, ValidationReport, at_or_above

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
CHECKS = rdflib.Namespace("https://w3id.org/caregraph/checks#")
_COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}
_NO_FILE = "(graph)"


def _relative(path: Path | None) -> str:
    """A path relative to the working folder where possible (what CI tools match on)."""
    if path is None:
        return _NO_FILE
    try:
        return Path(os.path.relpath(path)).as_posix() if path.is_absolute() else path.as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()


#: The words of the text report around the findings' own (translated) messages: the
#: singular and plural of each counted thing, the verdicts, the severities and the labels.
_WORDS = {
    "en": {
        "file": ("file", "files"),
        "error": ("error", "errors"),
        "warning": ("warning", "warnings"),
        "info": ("info", "infos"),
        "graph": "The graph",
        "checked": "checked",
        "verdict": ("Valid.", "Not valid.", "Not readable."),
        "severity": {"error": "ERROR", "warning": "WARNING", "info": "INFO"},
        "path": "path",
        "value": "value",
        "hint": "hint",
    },
    "de": {
        "file": ("Datei", "Dateien"),
        "error": ("Fehler", "Fehler"),
        "warning": ("Warnung", "Warnungen"),
        "info": ("Info", "Infos"),
        "graph": "Graph",
        "checked": "geprüft",
        "verdict": ("Gültig.", "Nicht gültig.", "Nicht lesbar."),
        "severity": {"error": "FEHLER", "warning": "WARNUNG", "info": "INFO"},
        "path": "Pfad",
        "value": "Wert",
        "hint": "Tipp",
    },
}


def _words(lang: str) -> dict[str, Any]:
    return _WORDS.get(lang, _WORDS["en"])


def _plural(count: int, forms: tuple[str, str]) -> str:
    return f"{count} {forms[0] if count == 1 else forms[1]}"


def summary(report: ValidationReport, fail_on: str = "error", lang: str = "en") -> str:
    """One line: files, counts per severity and the verdict, in ``lang``."""
    words = _words(lang)
    counts = report.counts()
    verdict = words["verdict"][report.exit_code(fail_on)]
    checked = _plural(len(report.files), words["file"]) if report.files else words["graph"]
    return (
        f"{checked} {words['checked']}: {_plural(counts['error'], words['error'])}, "
        f"{_plural(counts['warning'], words['warning'])}, "
        f"{_plural(counts['info'], words['info'])}. {verdict}"
    )


def to_text(
    report: ValidationReport, fail_on: str = "error", *, lang: str = "en", colour: bool = False
) -> str:
    """Findings grouped by file, each with place, severity, focus, message and hint."""

    words = _words(lang)

    def paint(text: str, severity: str) -> str:
        return style(text, fg=_COLOURS[severity], bold=True) if colour else text

    by_file: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        by_file[_relative(finding.file)].append(finding)
    lines: list[str] = []
    for name in sorted(by_file, key=lambda n: (n == _NO_FILE, n)):
        shown = for_terminal(name)
        lines.append(style(shown, bold=True) if colour else shown)
        for f in by_file[name]:
            place = f"{f.line}:{f.column or 1}" if f.line else "-"
            severity = words["severity"][f.severity]
            head = f"  {place:<8} {paint(severity, f.severity):<7} [{f.layer}]"
            if f.subject():
                head += f" {for_terminal(f.subject())}"
            lines.append(head)
            if f.path:
                lines.append(f"           {words['path']}: <{for_terminal(f.path)}>")
            if f.value is not None:
                lines.append(f"           {words['value']}: {for_terminal(f.value)}")
            lines.append(f"           {for_terminal(f.message)}")
            if f.hint:
                lines.append(f"           {words['hint']}: {for_terminal(f.hint)}")
        lines.append("")
    lines.append(summary(report, fail_on, lang))
    return "\n".join(lines) + "\n"


def _finding_dict(f: Finding) -> dict[str, object]:
    return {
        "severity": f.severity,
        "layer": f.layer,
        "rule": f.rule,
        "file": None if f.file is None else _relative(f.file),
        "line": f.line,
        "column": f.column,
        "focus": f.focus or None,
        "focus_label": f.focus_label,
        "path": f.path,
        "value": f.value,
        "message": f.message,
        "hint": f.hint,
        "source": f.shape,
    }


def to_json(
    report: ValidationReport, fail_on: str = "error", *, lang: str = "en", colour: bool = False
) -> str:
    """The whole report as one JSON object."""
    document = {
        "conforms": report.conforms,
        "exit_code": report.exit_code(fail_on),
        "fail_on": fail_on,
        "files": [_relative(p) for p in report.files],
        "layers": report.layers,
        "checks": report.checks,
        "counts": report.counts(),
        "findings": [_finding_dict(f) for f in report.findings],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _check_of(f: Finding) -> str:
    return f.rule if f.layer == "rules" else f.layer


def to_junit(
    report: ValidationReport, fail_on: str = "error", *, lang: str = "en", colour: bool = False
) -> str:
    """JUnit XML: a test suite per layer, a test case per file and check.

    Findings at or above ``fail_on`` are ``<failure>``s; those below go to ``system-out``.
    """
    checks = [
        layer if layer != "rules" else f"rules/{check}"
        for layer in report.layers
        for check in (report.checks if layer == "rules" else [""])
    ]
    files = [_relative(p) for p in report.files]
    grouped: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in report.findings:
        key = (_check_of(f), _relative(f.file))
        grouped[key].append(f)
        if key[1] not in files:
            files.append(key[1])
    root = ET.Element("testsuites", name="caregraph validate")
    total_tests = total_failures = 0
    for check in checks:
        layer = check.split("/")[0]
        suite = ET.SubElement(root, "testsuite", name=f"caregraph.{check.replace('/', '.')}")
        tests = failures = 0
        for name in files:
            found = grouped.get((check, name), [])
            if name == _NO_FILE and not found:
                continue
            tests += 1
            case = ET.SubElement(
                suite, "testcase", classname=f"caregraph.{layer}", name=f"{name} [{check}]"
            )
            case.set("file", name)
            failing = [f for f in found if at_or_above(f.severity, fail_on)]
            for f in failing:
                failure = ET.SubElement(
                    case, "failure", message=f.message, type=f"{f.severity}:{f.rule}"
                )
                failure.text = _plain(f)
            if failing:
                failures += 1
            rest = [f for f in found if f not in failing]
            if rest:
                ET.SubElement(case, "system-out").text = "\n".join(_plain(f) for f in rest)
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        total_tests += tests
        total_failures += failures
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    root.set("errors", "0")
    ET.indent(root)
    document = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + for_xml(document) + "\n"


def _plain(f: Finding) -> str:
    place = _relative(f.file) + (f":{f.line}:{f.column or 1}" if f.line else "")
    parts = [f"{place}: {f.severity}: {f.message}"]
    if f.subject():
        parts.append(f"focus: {f.subject()}")
    if f.path:
        parts.append(f"path: <{f.path}>")
    if f.value is not None:
        parts.append(f"value: {f.value}")
    if f.hint:
        parts.append(f"hint: {f.hint}")
    return "\n".join(parts)


_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def to_sarif(
    report: ValidationReport, fail_on: str = "error", *, lang: str = "en", colour: bool = False
) -> str:
    """SARIF 2.1.0, one result per finding, with a rule per kind of finding."""
    rule_ids = sorted({f.rule or f.layer for f in report.findings})
    rules = [
        {
            "id": rule,
            "name": rule.replace("/", "-"),
            "shortDescription": {"text": rule},
            "properties": {"layer": rule.split("/")[0]},
        }
        for rule in rule_ids
    ]
    results = []
    for f in report.findings:
        text = f.message if not f.subject() else f"{f.subject()}: {f.message}"
        if f.hint:
            text += f" Hint: {f.hint}"
        result: dict[str, object] = {
            "ruleId": f.rule or f.layer,
            "ruleIndex": rule_ids.index(f.rule or f.layer),
            "level": _SARIF_LEVEL[f.severity],
            "message": {"text": text},
            "properties": {"layer": f.layer, "focus": f.focus, "path": f.path, "value": f.value},
        }
        if f.file is not None:
            location: dict[str, object] = {"artifactLocation": {"uri": _relative(f.file)}}
            if f.line:
                location["region"] = {"startLine": f.line, "startColumn": f.column or 1}
            result["locations"] = [{"physicalLocation": location}]
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "caregraph",
                        "version": package_version(),
                        "informationUri": "https://w3id.org/caregraph",
                        "rules": rules,
                    }
                },
                "artifacts": [{"location": {"uri": _relative(p)}} for p in report.files],
                "invocations": [{"executionSuccessful": not report.unreadable}],
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return for_terminal(escaped)  # CI logs are terminals: no escape sequences from data


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def to_github(
    report: ValidationReport, fail_on: str = "error", *, lang: str = "en", colour: bool = False
) -> str:
    """GitHub Actions workflow commands: one annotation per finding, then the summary."""
    command = {"error": "error", "warning": "warning", "info": "notice"}
    lines = []
    for f in report.findings:
        props = []
        if f.file is not None:
            props.append(f"file={_escape_property(_relative(f.file))}")
            if f.line:
                props.append(f"line={f.line}")
                props.append(f"col={f.column or 1}")
        props.append(f"title={_escape_property(f'caregraph {f.rule or f.layer}')}")
        text = f.message if not f.subject() else f"{f.subject()}: {f.message}"
        if f.hint:
            text += f"\n{_words(lang)['hint'].capitalize()}: {f.hint}"
        lines.append(f"::{command[f.severity]} {','.join(props)}::{_escape_data(text)}")
    lines.append(summary(report, fail_on, lang))
    return "\n".join(lines) + "\n"


_SHACL_SEVERITY = {"error": SH.Violation, "warning": SH.Warning, "info": SH.Info}


def to_shacl(
    report: ValidationReport, fail_on: str = "error", *, lang: str = "en", colour: bool = False
) -> str:
    """The W3C SHACL validation report in Turtle, every layer's findings as sh:ValidationResult.

    Findings of other layers than shapes name a caregraph check as their constraint
    component (``https://w3id.org/caregraph/checks#<layer>``). ``sh:conforms`` is true
    only when there is no finding at all, as SHACL defines it; warnings and infos make it
    false even when the run passes ``--fail-on``.
    """
    graph = rdflib.Graph()
    graph.bind("sh", SH)
    graph.bind("cgc", CHECKS)
    root = BNode()
    graph.add((root, RDF.type, SH.ValidationReport))
    # SHACL: a report conforms only when it has no result at all, whatever the severities
    # (caregraph's own verdict, by --fail-on, is the exit code).
    graph.add((root, SH.conforms, Literal(not report.findings, datatype=XSD.boolean)))
    for f in report.findings:
        result = BNode()
        graph.add((root, SH.result, result))
        graph.add((result, RDF.type, SH.ValidationResult))
        graph.add((result, SH.resultSeverity, _SHACL_SEVERITY[f.severity]))
        if f.focus:
            graph.add((result, SH.focusNode, URIRef(f.focus)))
        elif f.file is not None:
            graph.add((result, SH.focusNode, URIRef(f.file.resolve().as_uri())))
        if f.path:
            graph.add((result, SH.resultPath, URIRef(f.path)))
        if f.value is not None:
            graph.add((result, SH.value, Literal(f.value)))
        # the syntax layer speaks English only (its messages are the parsers')
        said = "en" if f.layer == "syntax" else lang
        graph.add((result, SH.resultMessage, Literal(f.message, lang=said)))
        if f.layer == "shapes":
            component = f.rule.split("/", 1)[1] + "ConstraintComponent"
            graph.add((result, SH.sourceConstraintComponent, SH[component]))
            if f.shape.startswith(("http://", "https://")):
                graph.add((result, SH.sourceShape, URIRef(f.shape)))
        else:
            graph.add((result, SH.sourceConstraintComponent, CHECKS[f.rule.replace("/", "-")]))
        if f.where():
            graph.add((result, CHECKS.location, Literal(f.where())))
        if f.hint:
            graph.add((result, CHECKS.hint, Literal(f.hint, lang=lang)))
    return graph.serialize(format="turtle")


def render(
    report: ValidationReport,
    fmt: str,
    *,
    fail_on: str = "error",
    lang: str = "en",
    colour: bool = False,
) -> str:
    """The report in one of ``REPORT_FORMATS`` (``caregraph.formats``).

    Raises:
        UsageError: the format is unknown.
    """
    return REPORT_FORMATS.get(fmt).write(report, fail_on, lang=lang, colour=colour)


__all__ = ["REPORT_FORMATS", "SEVERITIES", "render", "summary"]
