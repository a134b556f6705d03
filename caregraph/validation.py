"""SHACL validation of data files with pySHACL, as a report of plain findings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from pyshacl import validate as shacl_validate
from rdflib import RDFS, URIRef
from rdflib.namespace import SH, SKOS
from rdflib.term import Node

from caregraph.loading import PathLike, find_data_files, load_ontology, load_shapes, parse_file

SEVERITIES = ("error", "warning", "info")
_SEVERITY_OF = {SH.Violation: "error", SH.Warning: "warning", SH.Info: "info"}


@dataclass(frozen=True)
class Finding:
    """One thing wrong (or worth a look) in the data.

    Attributes:
        severity: ``error``, ``warning`` or ``info``.
        focus: the IRI (or blank node id) of the resource the finding is about.
        focus_label: its label, where it has one.
        path: the property concerned, as IRI text, if any.
        value: the offending value, if any.
        message: what is wrong, in the requested language.
        shape: the shape (or check) that found it.
    """

    severity: str
    focus: str
    focus_label: str | None
    path: str | None
    value: str | None
    message: str
    shape: str


@dataclass
class ValidationReport:
    """The result of validating some data files."""

    files: list[Path]
    findings: list[Finding] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        """True when there is no finding of severity ``error``."""
        return not any(f.severity == "error" for f in self.findings)

    def counts(self) -> dict[str, int]:
        """How many findings there are of each severity."""
        return {s: sum(f.severity == s for f in self.findings) for s in SEVERITIES}


def _pick_text(values: list[Node], lang: str) -> str:
    literals = [v for v in values if isinstance(v, rdflib.Literal)]
    for wanted in (lang, "en", "de", None):
        for literal in literals:
            if literal.language == wanted:
                return str(literal)
    return str(literals[0]) if literals else ""


def _label(graph: rdflib.Graph, node: Node, lang: str) -> str | None:
    labels = list(graph.objects(node, RDFS.label)) + list(graph.objects(node, SKOS.prefLabel))
    return _pick_text(labels, lang) or None


def validate(
    paths: Iterable[PathLike] | None = None,
    *,
    lang: str = "en",
    data_graph: rdflib.Graph | None = None,
) -> ValidationReport:
    """Validate data files (default: the bundled Dresden graph) against caregraph's shapes.

    The ontology serves as pySHACL's ontology graph with RDFS inference, so
    subclasses are checked by their superclasses' shapes.

    Args:
        paths: files or folders to validate.
        lang: language of the messages, ``de`` or ``en``.
        data_graph: an already parsed graph to validate instead of ``paths``.

    Raises:
        InputError: a file cannot be read or parsed.
    """
    files = find_data_files(paths) if data_graph is None else []
    if data_graph is None:
        data_graph = rdflib.Graph()
        for path in files:
            parse_file(path, data_graph)
    _, results, _ = shacl_validate(
        data_graph,
        shacl_graph=load_shapes(),
        ont_graph=load_ontology(),
        inference="rdfs",
        advanced=True,
        allow_warnings=True,
    )
    return ValidationReport(files=files, findings=_findings(results, data_graph, lang))


def _findings(results: rdflib.Graph, data_graph: rdflib.Graph, lang: str) -> list[Finding]:
    """Read pySHACL's report graph into findings, most severe first."""
    findings = []
    for result in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        shape = results.value(result, SH.sourceShape)
        severity = _SEVERITY_OF.get(results.value(result, SH.resultSeverity), "error")  # type: ignore[call-overload]
        message = _pick_text(list(results.objects(result, SH.resultMessage)), lang)
        findings.append(
            Finding(
                severity=severity,
                focus=str(focus),
                focus_label=_label(data_graph, focus, lang) if focus is not None else None,
                path=str(path) if isinstance(path, URIRef) else None,
                value=None if value is None else str(value),
                message=message or "constraint violated",
                shape=str(shape),
            )
        )
    findings.sort(key=lambda f: (SEVERITIES.index(f.severity), f.focus, f.path or ""))
    return findings


def check_shapes(shapes: rdflib.Graph | None = None, *, lang: str = "en") -> list[Finding]:
    """Validate a shapes graph (default: caregraph's) against the W3C SHACL-for-SHACL shapes.

    Returns:
        The findings; an empty list means the shapes graph is valid SHACL.
    """
    from importlib.resources import files

    meta = rdflib.Graph().parse(
        data=files("pyshacl").joinpath("assets/shacl-shacl.ttl").read_text(encoding="utf-8"),
        format="turtle",
    )
    graph = shapes if shapes is not None else load_shapes()
    return _findings(shacl_validate(graph, shacl_graph=meta, advanced=True)[1], graph, lang)
