"""Statement-level provenance: marks on single statements, and what the report itself says.

A *mark* is an ``rdf:Statement`` that names one statement of the graph (``rdf:subject``,
``rdf:predicate``, ``rdf:object``) and says how certain it is (``cg:certainty``), where the
reading comes from (``dcterms:source``) and why (``cg:rationale``); see docs/model.md.

:func:`unaccounted_statements` walks every statement on a resource whose source is the report and
returns those that are neither quoted by the resource's own words, nor documented structure, nor
marked. On the bundled graph it returns nothing; a new interpreting statement without a mark shows
up there (and in the test suite).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import rdflib
from rdflib import RDF, RDFS, SKOS, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, XSD
from rdflib.term import Node

from caregraph.namespaces import CG, CGV, DD

REPORT = DD["report-2021-07-13"]

#: Properties that describe a resource or its provenance rather than state a fact of the report:
#: what it is, what it is called, where it comes from and how certain it is.
STRUCTURAL: frozenset[URIRef] = frozenset(
    {
        RDF.type,
        RDFS.label,
        SKOS.altLabel,
        SKOS.note,
        DCTERMS.source,
        DCTERMS.title,
        DCTERMS.language,
        DCTERMS.created,
        CG.sourceSlide,
        CG.sourceHeading,
        CG.sourceQuote,
        CG.certainty,
    }
)

#: Links that the report states through its outline: one item listed under another on the same
#: slide (a task under its measure, "Aufgabe …" under a step, the "Ziel:" line under phase 2).
#: Such a link counts as stated when both ends are named on a common slide.
OUTLINE: frozenset[URIRef] = frozenset(
    {
        CG.hasTask,
        CG.partOfMeasure,
        CG.hasResponsibility,
        CG.inPhase,
        CG.servesGoal,
        CG.resultOf,
        CG.participant,
        CG.usesFunding,
        CG.implementsPlan,
        CG.definedBy,
        CG.postIn,
        DCTERMS.isPartOf,
        PROV.wasDerivedFrom,
    }
)

#: Headings under which the report lists next steps: what stands there has status "planned".
NEXT_STEPS_HEADING = "Wie geht's weiter?"


@dataclass(frozen=True)
class Statement:
    """One statement of the graph."""

    subject: URIRef
    predicate: URIRef
    object: Node


def marked(graph: rdflib.Graph) -> dict[Statement, URIRef]:
    """Map every marked statement that is in ``graph`` to its mark."""
    found: dict[Statement, URIRef] = {}
    for mark in graph.subjects(RDF.type, RDF.Statement):
        s = graph.value(mark, RDF.subject)
        p = graph.value(mark, RDF.predicate)
        o = graph.value(mark, RDF.object)
        if o is None or not (isinstance(s, URIRef) and isinstance(p, URIRef)):
            continue
        if isinstance(mark, URIRef) and (s, p, o) in graph:
            found[Statement(s, p, o)] = mark
    return found


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _texts(graph: rdflib.Graph, node: Node) -> set[str]:
    """The words a value goes by: a literal's text, an IRI's German names and quotes.

    An IRI without names (a web address, say) goes by the IRI itself.
    """
    if isinstance(node, Literal):
        return {_norm(str(node))}
    texts = set()
    for prop in (RDFS.label, SKOS.altLabel, SKOS.prefLabel, CG.sourceQuote):
        for value in graph.objects(node, prop):
            if isinstance(value, Literal) and value.language in (None, "de"):
                texts.add(_norm(str(value)))
    if not texts and isinstance(node, URIRef) and not str(node).startswith(str(DD)):
        texts.add(_norm(str(node)))
    return {t for t in texts if len(t) >= 3}


def is_quoted(graph: rdflib.Graph, statement: Statement) -> bool:
    """Whether the subject's own words (``cg:sourceQuote``) carry the statement's value.

    A value is quoted when one of its names or quotes occurs in one of the subject's quotes, or
    one of the subject's quotes occurs in one of the value's (the two stand for the same words).
    A year (``xsd:gYear``) is quoted when the quote contains it.
    """
    quotes = _texts_of(graph, statement.subject, CG.sourceQuote)
    if not quotes:
        return False
    value = statement.object
    if isinstance(value, Literal) and value.datatype == XSD.gYear:
        return any(str(value) in q for q in quotes)
    return any(t in q or q in t for t in _texts(graph, value) for q in quotes)


def _texts_of(graph: rdflib.Graph, node: Node, prop: URIRef) -> set[str]:
    return {_norm(str(v)) for v in graph.objects(node, prop) if isinstance(v, Literal)}


def is_outlined(graph: rdflib.Graph, statement: Statement) -> bool:
    """Whether an outline link joins two things named on a common slide of the report."""
    if statement.predicate not in OUTLINE:
        return False
    slides = set(graph.objects(statement.subject, CG.sourceSlide))
    return bool(slides & set(graph.objects(statement.object, CG.sourceSlide)))


def is_next_step_status(graph: rdflib.Graph, statement: Statement) -> bool:
    """Status "planned" on a step that stands under the heading "Wie geht's weiter?"."""
    return (
        statement.predicate == CG.status
        and statement.object == CGV["status-planned"]
        and any(
            str(h) == NEXT_STEPS_HEADING for h in graph.objects(statement.subject, CG.sourceHeading)
        )
    )


def report_resources(graph: rdflib.Graph) -> list[URIRef]:
    """The data's resources whose source is the report (not marks, which cite single slides,
    nor the DCAT description of the dataset, which is not a fact of the report)."""
    return sorted(
        r
        for r in graph.subjects(DCTERMS.source, REPORT)
        if isinstance(r, URIRef)
        and str(r).startswith(str(DD))
        and (r, RDF.type, RDF.Statement) not in graph
    )


def unaccounted_statements(graph: rdflib.Graph) -> list[Statement]:
    """Statements on report resources that are neither quoted, structural, outlined nor marked.

    Args:
        graph: the data graph (the ontology is not needed).

    Returns:
        The statements, sorted; empty when every statement is accounted for.
    """
    marks = marked(graph)
    open_statements = []
    for subject in report_resources(graph):
        for predicate, value in graph.predicate_objects(subject):
            statement = Statement(subject, predicate, value)  # type: ignore[arg-type]
            if (
                predicate in STRUCTURAL
                or (predicate == DCTERMS.isPartOf and value == REPORT)  # a slide of the report
                or statement in marks
                or is_quoted(graph, statement)
                or is_outlined(graph, statement)
                or is_next_step_status(graph, statement)
            ):
                continue
            open_statements.append(statement)
    return sorted(open_statements, key=lambda s: (str(s.subject), str(s.predicate), str(s.object)))
