"""Validation layer 4, ontology: OWL consistency of ontology plus data, as findings.

The methods live in ``caregraph.reasoning`` (HermiT, or the rules of ``caregraph.owlrules``,
chosen by ``--reasoner``; usable alone); this layer names each resource in two disjoint
classes, or with two values of a functional property, with the place where it is stated.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib import RDF, URIRef

from caregraph.errors import GraphTooBig, UnreasonableGraph
from caregraph.labels import labels_for
from caregraph.namespaces import short
from caregraph.owlrules import Clash, describe, file_store, graph_store
from caregraph.positions import Location, PositionIndex
from caregraph.reasoning import UNNAMED, decide
from caregraph.store import UnionOxigraphStore
from caregraph.validation.findings import Finding

_CLASH_HINT = {
    "en": "Remove one of the two types, or fix the property that gives the other one.",
    "de": "Entferne einen der beiden Typen oder korrigiere die "
    "Eigenschaft, die den anderen ergibt.",
}
_VALUE_HINT = {
    "en": "Keep one of the two values.",
    "de": "Behalte einen der beiden Werte.",
}


def consistency_findings(
    data: Callable[[], rdflib.Graph],
    index: PositionIndex,
    lang: str = "en",
    follow_imports: bool = False,
    *,
    reasoner: str = "auto",
    files: Sequence[Path] | None = None,
    store: ox.Store | None = None,
    with_ontology: bool = False,
) -> list[Finding]:
    """One finding per contradiction of ontology plus data (see ``reasoning.decide``).

    Args:
        data: builds the data as an rdflib graph (called only if HermiT runs, or if
            neither ``store`` nor ``files`` is given).
        index: where resources stand in the files.
        lang: language of messages and hints.
        follow_imports: let HermiT load what ``owl:imports`` names.
        reasoner: ``auto``, ``hermit`` or ``rules``.
        files: the data's files, read into an Oxigraph store for the rules.
        store: the data already in an Oxigraph store (``files`` is then not read).
        with_ontology: ``store`` holds the whole ontology too, each statement once
            (validation's shared store, ``SharedData.whole_store``).

    A graph too big for HermiT gives a warning instead of a crash; a missing Java runtime
    raises ``ReasonerError`` (the user can pass ``--no-reasoner`` or ``--reasoner rules``).
    """
    if store is None and files is not None:
        # the files passed the syntax layer, which applied the network policy
        store = file_store(files, allow_network=True)
    elif store is None:
        store = graph_store(data())
    try:
        result = decide(
            store,
            data,
            reasoner=reasoner,
            follow_imports=follow_imports,
            with_ontology=with_ontology,
        )
    except UnreasonableGraph as exc:  # --reasoner hermit on a graph it cannot be given
        return [_ontology_finding("warning", "", None, str(exc), "ontology/unreadable", None, "")]
    except GraphTooBig as exc:
        return [_ontology_finding("warning", "", None, str(exc), "ontology/too-big", None, "")]
    if result.consistent:
        return []
    if not result.clashes:
        said = UNNAMED.get(lang, UNNAMED["en"])
        return [_ontology_finding("error", "", None, said, "ontology/inconsistent", None, "")]
    names = labels_for(UnionOxigraphStore(store), [c.resource for c in result.clashes], lang)
    findings = []
    for found in result.clashes:
        focus = str(found.resource) if isinstance(found.resource, URIRef) else ""
        label = names.get(found.resource) if isinstance(found.resource, URIRef) else None
        if isinstance(found, Clash):
            where = index.locate(focus, str(RDF.type)) if focus else None
            value = f"{short_ref(found.first)}, {short_ref(found.second)}"
            rule, hint = "ontology/disjoint-classes", _CLASH_HINT
        else:
            where = index.locate(focus, str(found.prop)) if focus else None
            value = ", ".join(_value_text(v) for v in found.values)
            rule, hint = "ontology/functional-property", _VALUE_HINT
        findings.append(
            _ontology_finding(
                "error",
                focus,
                label,
                describe(found, label, lang),
                rule,
                where,
                hint.get(lang, hint["en"]),
                value=value,
                shape=found.axiom,
                path=None if isinstance(found, Clash) else str(found.prop),
            )
        )
    return findings


def short_ref(ref: object) -> str:
    """A class or union of classes, shortened (``cg:Measure | cg:Task``)."""
    if isinstance(ref, tuple):
        return " | ".join(short(str(c)) for c in ref)
    return short(str(ref))


def _value_text(value: object) -> str:
    return short(str(value)) if isinstance(value, URIRef) else str(value)


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
    path: str | None = None,
) -> Finding:
    place = where if isinstance(where, Location) else None
    return Finding(
        severity=severity,
        focus=focus,
        focus_label=label,
        path=path,
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
