"""Validation layer 4, ontology: HermiT's verdict on ontology plus data, as findings.

The reasoner itself lives in ``caregraph.reasoning`` (usable alone); this layer names each
resource in two disjoint classes, with the place where its type is stated.
"""

from __future__ import annotations

import rdflib
from rdflib import RDF

from caregraph.errors import ReasonerError
from caregraph.labels import label_of
from caregraph.namespaces import short
from caregraph.positions import Location, PositionIndex
from caregraph.reasoning import check_consistency, describe_clash
from caregraph.validation.findings import Finding

_CLASH_HINT = {
    "en": "Remove one of the two types, or fix the property that gives the other one.",
    "de": "Entferne einen der beiden Typen oder korrigiere die "
    "Eigenschaft, die den anderen ergibt.",
}


def consistency_findings(
    data: rdflib.Graph, index: PositionIndex, lang: str = "en", allow_network: bool = False
) -> list[Finding]:
    """One finding per disjointness clash when HermiT finds the graph inconsistent.

    A graph too big for HermiT gives a warning instead of a crash; a missing Java runtime
    raises ``ReasonerError`` (the user can pass ``--no-reasoner``).
    """

    try:
        result = check_consistency(data_graph=data, allow_network=allow_network)
    except ReasonerError as exc:
        if "triples" not in str(exc):
            raise
        return [_ontology_finding("warning", "", None, str(exc), "ontology/too-big", None, "")]
    if result.consistent:
        return []
    if not result.clashes:
        return [
            _ontology_finding(
                "error", "", None, result.explanation, "ontology/inconsistent", None, ""
            )
        ]
    findings = []
    for clash in result.clashes:
        where = index.locate(str(clash.resource), str(RDF.type))
        findings.append(
            _ontology_finding(
                "error",
                str(clash.resource),
                label_of(data, clash.resource, lang),
                describe_clash(clash, data, lang),
                "ontology/disjoint-classes",
                where,
                _CLASH_HINT.get(lang, _CLASH_HINT["en"]),
                value=f"{short(str(clash.first))}, {short(str(clash.second))}",
                shape=clash.axiom,
            )
        )
    return findings


def _ontology_finding(
    severity: str,
    focus: str,
    label: str | None,
    message: str,
    rule: str,
    where: object,
    hint: str,
    value: str | None = None,
    shape: str | None = None,
) -> Finding:
    place = where if isinstance(where, Location) else None
    return Finding(
        severity=severity,
        focus=focus,
        focus_label=label,
        path=None,
        value=value,
        message=message,
        shape=shape or rule,
        layer="ontology",
        file=place.file if place else None,
        line=place.line if place else None,
        column=place.column if place else None,
        hint=hint,
        rule=rule,
    )
