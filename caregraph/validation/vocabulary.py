"""Validation layer 2, vocabulary: every caregraph term used exists, and every IRI is sound.

A typo such as ``cg:responsibleFr`` is valid Turtle and, to SHACL, merely an unknown
property that no shape looks at; only a check against the ontology's own terms catches it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib import OWL, RDF, RDFS, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node

from caregraph.labels import label_of
from caregraph.loading import oxigraph_format
from caregraph.namespaces import CG, CGV, is_safe_iri, short
from caregraph.positions import PositionIndex
from caregraph.store import to_rdflib
from caregraph.validation.findings import Finding

_OURS = (str(CG), str(CGV))
_PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)
_CLASS_TYPES = (OWL.Class, RDFS.Class)

_KINDS = {
    "en": {"property": "The property", "class": "The class", "term": "The term"},
    "de": {"property": "Die Eigenschaft", "class": "Die Klasse", "term": "Der Begriff"},
}
_TEXT: dict[str, dict[str, str]] = {
    "unknown": {
        "en": "{kind} {term} is not defined in the caregraph ontology.",
        "de": "{kind} {term} ist in der caregraph-Ontologie nicht definiert.",
    },
    "did-you-mean": {"en": "Did you mean {term}?", "de": "Meinten Sie {term}?"},
    "unknown-hint": {
        "en": "Use a term of ontology/caregraph.ttl, or propose the new term there first.",
        "de": "Verwende einen Begriff aus ontology/caregraph.ttl oder "
        "schlage den neuen dort zuerst vor.",
    },
    "not-property": {
        "en": "{term} is used as a property, but the ontology defines it as a class or concept.",
        "de": "{term} steht als Eigenschaft, ist in der Ontologie aber "
        "eine Klasse oder ein Begriff.",
    },
    "not-class": {
        "en": "{term} is used as a class (rdf:type), but the ontology does not define it as one.",
        "de": "{term} steht als Klasse (rdf:type), ist in der Ontologie aber keine Klasse.",
    },
    "spaces": {
        "en": "The IRI <{iri}> contains spaces or characters not allowed in IRIs.",
        "de": "Die IRI <{iri}> enthält Leerzeichen oder in IRIs unzulässige Zeichen.",
    },
    "spaces-hint": {
        "en": "Write the IRI without spaces (e.g. kebab-case: "
        "dd:my-resource) or percent-encode them.",
        "de": "Schreibe die IRI ohne Leerzeichen (z. B. "
        "dd:meine-ressource) oder kodiere sie mit %20.",
    },
    "relative": {
        "en": "The IRI <{raw}> is not absolute; the parser resolved it "
        "against the file's location.",
        "de": "Die IRI <{raw}> ist nicht absolut; der Parser hat sie gegen "
        "den Speicherort der Datei aufgelöst.",
    },
    "relative-hint": {
        "en": "Use a prefixed name (dd:...) or a full IRI "
        "(https://w3id.org/caregraph/dresden/...).",
        "de": "Verwende einen Präfixnamen (dd:...) oder eine vollständige "
        "IRI (https://w3id.org/caregraph/dresden/...).",
    },
    "imports": {
        "en": "owl:imports <{iri}> is not followed: caregraph never loads imported ontologies.",
        "de": "owl:imports <{iri}> wird nicht verfolgt: caregraph lädt "
        "keine importierten Ontologien.",
    },
    "imports-hint": {
        "en": "Remove the owl:imports statement, or pass the imported file as data.",
        "de": "Entferne die owl:imports-Aussage oder gib die importierte Datei als Daten an.",
    },
}


def _t(key: str, lang: str, **values: str) -> str:
    return _TEXT[key].get(lang, _TEXT[key]["en"]).format(**values)


class Vocabulary:
    """The caregraph terms the ontology defines, by kind."""

    def __init__(self, ontology: rdflib.Graph) -> None:
        ours = {
            s for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(_OURS)
        }
        self.terms = ours
        self.properties = {
            s for t in _PROPERTY_TYPES for s in ontology.subjects(RDF.type, t)
        } & ours
        self.classes = {s for t in _CLASS_TYPES for s in ontology.subjects(RDF.type, t)} & ours
        self.concepts = set(ontology.subjects(RDF.type, SKOS.Concept)) & ours

    def closest(self, term: URIRef, among: set[Node] | set[URIRef]) -> Node | None:
        """The known term whose name is most like ``term``'s, if any is close."""
        by_text: dict[str, Node] = {str(t): t for t in among}
        match = difflib.get_close_matches(str(term), list(by_text), n=1, cutoff=0.75)
        return by_text[match[0]] if match else None


def check_vocabulary(
    graphs: Mapping[Path, rdflib.Graph | Mapping[str, set[str]]],
    indexes: dict[Path, PositionIndex],
    ontology: rdflib.Graph,
    lang: str = "en",
) -> list[Finding]:
    """Findings for unknown caregraph terms, misused terms and unsound IRIs, file by file.

    Args:
        graphs: each file's graph; for a large file, which the syntax layer does not hold in
            rdflib, the IRIs it uses by role instead (``term``, ``property``, ``class``, as
            that layer gathers them). Only if one of them can give a finding is the file read
            again, and only the triples that can give a finding become an rdflib graph.
        indexes: where resources stand in each file.
        ontology: the ontology whose terms are known.
        lang: language of messages and hints.
    """
    vocabulary = Vocabulary(ontology)
    findings: list[Finding] = []
    for path, given in graphs.items():
        graph = given if isinstance(given, rdflib.Graph) else _sparse_graph(path, vocabulary, given)
        index = indexes.get(path, PositionIndex())
        seen: set[tuple[str, str]] = set()
        for s, p, o in sorted(graph):  # sorted: the same triple is reported on every run
            for finding in _check_triple(s, p, o, path, index, vocabulary, lang):
                key = (finding.rule, finding.value or "")
                if key not in seen:  # one finding per term and file, at its first use
                    seen.add(key)
                    findings.append(replace(finding, focus_label=label_of(graph, s, lang)))
    return findings


def _suspicious(text: str, role: str, base_dir: str, vocabulary: Vocabulary) -> bool:
    """Whether the IRI ``text`` in ``role`` can give a finding in ``_check_triple``."""
    if text.startswith((base_dir, "file:")) or not is_safe_iri(text):
        return True
    if not text.startswith(_OURS):
        return False
    term = URIRef(text)
    if term not in vocabulary.terms:
        return True
    if role == "property":
        return term not in vocabulary.properties
    return role == "class" and term not in vocabulary.classes


def _sparse_graph(
    path: Path, vocabulary: Vocabulary, roles: Mapping[str, set[str]]
) -> rdflib.Graph:
    """The triples of a large file that can give a finding, and their subjects' labels."""
    base_dir = path.resolve().parent.as_uri() + "/"

    def quads() -> Iterator[ox.Quad]:
        return ox.parse(
            path=str(path), format=oxigraph_format(path), base_iri=path.resolve().as_uri()
        )

    bad = {
        t
        for role, terms in roles.items()
        for t in terms
        if _suspicious(t, role, base_dir, vocabulary)
    }
    graph = rdflib.Graph()
    if not bad and str(OWL.imports) not in roles["property"]:
        return graph
    bad.add(str(OWL.imports))
    named = ox.NamedNode
    for quad in quads():
        terms = (quad.subject, quad.predicate, quad.object)
        if any(isinstance(t, named) and t.value in bad for t in terms):
            graph.add(tuple(to_rdflib(t) for t in terms))  # type: ignore[arg-type]
    subjects = {str(s) for s in graph.subjects() if isinstance(s, URIRef)}
    labels = {str(RDFS.label), str(SKOS.prefLabel)}
    for quad in quads():
        if quad.predicate.value in labels and getattr(quad.subject, "value", None) in subjects:
            graph.add(tuple(to_rdflib(t) for t in (quad.subject, quad.predicate, quad.object)))  # type: ignore[arg-type]
    return graph


def _check_triple(
    s: Node, p: Node, o: Node, path: Path, index: PositionIndex, vocabulary: Vocabulary, lang: str
) -> Iterator[Finding]:
    base_dir = path.resolve().parent.as_uri() + "/"
    if p == OWL.imports and isinstance(o, URIRef):
        yield _make(
            path,
            index,
            s,
            p,
            str(o),
            "info",
            "vocabulary/imports",
            _t("imports", lang, iri=str(o)),
            _t("imports-hint", lang),
        )
    for term, role in ((s, "subject"), (p, "property"), (o, "object")):
        if not isinstance(term, URIRef):
            continue
        text = str(term)
        if text.startswith(base_dir) or text.startswith("file:"):
            raw = text[len(base_dir) :] if text.startswith(base_dir) else text
            yield _make(
                path,
                index,
                s,
                p,
                text,
                "error",
                "vocabulary/relative-iri",
                _t("relative", lang, raw=raw),
                _t("relative-hint", lang),
                term,
            )
        elif not is_safe_iri(text):
            yield _make(
                path,
                index,
                s,
                p,
                text,
                "error",
                "vocabulary/invalid-iri",
                _t("spaces", lang, iri=text),
                _t("spaces-hint", lang),
                term,
            )
        if not text.startswith(_OURS):
            continue
        if term not in vocabulary.terms:
            kind = (
                "property"
                if role == "property"
                else ("class" if p == RDF.type and role == "object" else "term")
            )
            among = {"property": vocabulary.properties, "class": vocabulary.classes}.get(
                kind, vocabulary.terms
            )
            message = _t(
                "unknown", lang, kind=_KINDS.get(lang, _KINDS["en"])[kind], term=short(text)
            )
            guess = vocabulary.closest(term, among)
            hint = _t("did-you-mean", lang, term=short(str(guess))) + " " if guess else ""
            yield _make(
                path,
                index,
                s,
                p,
                text,
                "error",
                "vocabulary/unknown-term",
                message,
                hint + _t("unknown-hint", lang),
                term,
            )
        elif role == "property" and term not in vocabulary.properties:
            yield _make(
                path,
                index,
                s,
                p,
                text,
                "error",
                "vocabulary/not-a-property",
                _t("not-property", lang, term=short(text)),
                _t("unknown-hint", lang),
                term,
            )
        elif role == "object" and p == RDF.type and term not in vocabulary.classes:
            yield _make(
                path,
                index,
                s,
                p,
                text,
                "error",
                "vocabulary/not-a-class",
                _t("not-class", lang, term=short(text)),
                _t("unknown-hint", lang),
                term,
            )


def _make(
    path: Path,
    index: PositionIndex,
    s: Node,
    p: Node,
    value: str,
    severity: str,
    rule: str,
    message: str,
    hint: str,
    term: Node | None = None,
) -> Finding:
    """A finding about ``value`` used in the statement ``s p ...``, placed where it stands."""
    focus = str(s) if isinstance(s, URIRef) else ""
    # The term's first mention in the file is where the reader must look; else the statement.
    where = index.mentions.get(str(term)) if term is not None else None
    if where is None and focus:
        where = index.statements.get((focus, str(p))) or index.locate(focus)
    return Finding(
        severity=severity,
        focus=focus,
        focus_label=None,
        path=str(p),
        value=value,
        message=message,
        shape=rule,
        layer="vocabulary",
        file=path,
        line=where.line if where else None,
        column=where.column if where else None,
        hint=hint,
        rule=rule,
    )
