"""The corpus of broken fixtures in tests/data/invalid: each gives exactly its findings, in place.

Every fixture is validated on its own (without the reasoner, which has its own tests in
test_reasoning.py). For each, the table lists every error and warning it must give:
severity, rule, line and the exact message. Nothing else of those severities may appear,
and every finding names the fixture as its file.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from caregraph.validation import validate
from caregraph.validation.findings import ValidationReport

INVALID = Path(__file__).parent / "data" / "invalid"
FAST_LAYERS = ("syntax", "vocabulary", "shapes", "rules")

EXPECTED: dict[str, list[tuple[str, str, int | None, str]]] = {
    "actor-is-measure.ttl": [
        (
            "error",
            "shapes/Not",
            6,
            "A measure cannot also be an actor, task, goal, phase, area or source.",
        ),
        (
            "error",
            "shapes/Not",
            6,
            "An actor cannot also be a measure, task, goal, phase, area or source (check the types, and the values of properties whose range is actor).",
        ),
        (
            "error",
            "shapes/MinCount",
            6,
            "The source (dcterms:source) is missing; every resource needs at least one.",
        ),
        ("error", "shapes/MinCount", 6, "A measure or task has exactly one status (cg:status)."),
        (
            "warning",
            "shapes/MinCount",
            6,
            "No responsibility is given for this measure, neither on itself nor on any of its tasks.",
        ),
    ],
    "measure-without-status.ttl": [
        ("error", "shapes/MinCount", 13, "A measure or task has exactly one status (cg:status)."),
        (
            "warning",
            "shapes/MinCount",
            13,
            "No responsibility is given for this measure, neither on itself nor on any of its tasks.",
        ),
        (
            "error",
            "shapes/Datatype",
            15,
            'The start date (cg:startDate) is at most one date of type xsd:date, e.g. "2022-01-01"^^xsd:date.',
        ),
    ],
    "network-context-import.jsonld": [
        (
            "error",
            "syntax/network",
            3,
            'cannot parse this JSON-LD file: the file uses the remote JSON-LD context http://example.org/imported-context.jsonld, which caregraph does not read unless --allow-network is given. Put the context inline ("@context": {...}) or in a file beside the data, or pass --allow-network',
        ),
    ],
    "network-external-dtd.rdf": [
        (
            "error",
            "syntax/network",
            2,
            "cannot parse this RDF/XML file: the file declares an external DTD (SYSTEM), which would make the parser read another file or the network; caregraph refuses that unless --allow-network is given. Remove the declaration or write the text in place",
        ),
    ],
    "network-external-entity.rdf": [
        (
            "error",
            "syntax/network",
            3,
            "cannot parse this RDF/XML file: the file declares an external entity (SYSTEM), which would make the parser read another file or the network; caregraph refuses that unless --allow-network is given. Remove the declaration or write the text in place",
        ),
    ],
    "network-remote-context.jsonld": [
        (
            "error",
            "syntax/network",
            2,
            'cannot parse this JSON-LD file: the file uses the remote JSON-LD context https://example.org/remote-context.jsonld, which caregraph does not read unless --allow-network is given. Put the context inline ("@context": {...}) or in a file beside the data, or pass --allow-network',
        ),
    ],
    "ontology-range-clash.ttl": [
        (
            "error",
            "shapes/Not",
            13,
            "A goal cannot also be an actor, measure, task, phase, area or source.",
        ),
        (
            "error",
            "shapes/Not",
            13,
            "An actor cannot also be a measure, task, goal, phase, area or source (check the types, and the values of properties whose range is actor).",
        ),
        (
            "error",
            "rules/responsible_actor_not_actor",
            21,
            "The responsible actor is not typed as an actor (cg:Actor).",
        ),
    ],
    "rule-cooperates-with-itself.ttl": [
        (
            "warning",
            "rules/cooperates_with_itself",
            15,
            "This actor cooperates with itself according to cg:cooperatesWith.",
        ),
    ],
    "rule-date-outside-phase.ttl": [
        (
            "warning",
            "shapes/MinCount",
            23,
            "No responsibility is given for this measure, neither on itself nor on any of its tasks.",
        ),
        (
            "error",
            "rules/dates_outside_phase",
            28,
            "A date lies outside the phase the resource belongs to.",
        ),
    ],
    "rule-district-outside-city.ttl": [
        (
            "error",
            "rules/district_outside_city",
            17,
            "This district or locality lies within no city (cg:withinArea is missing or leads to no cg:City).",
        ),
        (
            "warning",
            "shapes/QualifiedMinCount",
            17,
            "An urban district should say which city it lies in (cg:withinArea).",
        ),
    ],
    "rule-end-before-start.ttl": [
        ("error", "rules/end_before_start", 16, "The end lies before the start."),
    ],
    "rule-meeting-participant-untyped.ttl": [
        (
            "error",
            "rules/meeting_participant_not_agent",
            18,
            "A participant of this meeting is not an agent (prov:Agent or cg:Actor).",
        ),
    ],
    "rule-responsible-actor-untyped.ttl": [
        (
            "error",
            "rules/responsible_actor_not_actor",
            20,
            "The responsible actor is not typed as an actor (cg:Actor).",
        ),
    ],
    "shape-blank-node-responsibility.ttl": [
        (
            "error",
            "shapes/MinCount",
            21,
            "The source (dcterms:source) is missing; every resource needs at least one.",
        ),
        (
            "error",
            "shapes/QualifiedMinCount",
            21,
            "A German label (rdfs:label with @de) is missing.",
        ),
        (
            "error",
            "shapes/QualifiedMinCount",
            21,
            "An English label (rdfs:label with @en) is missing.",
        ),
        (
            "error",
            "shapes/MinCount",
            21,
            "A responsibility has exactly one role (cg:responsibilityRole).",
        ),
    ],
    "shape-label-without-language.ttl": [
        (
            "error",
            "shapes/Datatype",
            14,
            'Every label (rdfs:label) must be a text with a language tag, e.g. "Prohlis"@de.',
        ),
    ],
    "shape-missing-german-label.ttl": [
        (
            "error",
            "shapes/QualifiedMinCount",
            14,
            "A German label (rdfs:label with @de) is missing.",
        ),
    ],
    "shape-no-source.ttl": [
        (
            "error",
            "shapes/MinCount",
            13,
            "The source (dcterms:source) is missing; every resource needs at least one.",
        ),
    ],
    "shape-quote-in-english.ttl": [
        (
            "error",
            "shapes/LanguageIn",
            15,
            "A quote from the report (cg:sourceQuote) must be German text tagged @de.",
        ),
    ],
    "shape-responsibility-two-actors.ttl": [
        (
            "error",
            "shapes/MaxCount",
            34,
            "A responsibility has exactly one responsible actor (cg:responsibleActor).",
        ),
    ],
    "shape-slide-not-positive.ttl": [
        (
            "error",
            "shapes/Datatype",
            15,
            "The slide number (cg:sourceSlide) must be a positive integer (xsd:positiveInteger, 1 = title slide).",
        ),
    ],
    "shape-source-not-a-source.ttl": [
        ("error", "shapes/Class", 15, "A source (dcterms:source) must be a cg:Source."),
    ],
    "shape-status-not-in-scheme.ttl": [
        (
            "warning",
            "shapes/MinCount",
            13,
            "No responsibility is given for this measure, neither on itself nor on any of its tasks.",
        ),
        (
            "error",
            "shapes/In",
            15,
            "The status (cg:status) must be a concept of cgv:StatusScheme (planned, in-review, in-progress, done, unclear).",
        ),
    ],
    "shape-status-on-actor.ttl": [
        ("error", "shapes/Or", 13, "Only measures and tasks have a status (cg:status)."),
    ],
    "shape-two-english-labels.ttl": [
        (
            "warning",
            "shapes/UniqueLang",
            14,
            "There should be at most one label (rdfs:label) per language; further names belong in skos:altLabel.",
        ),
    ],
    "shape-wikidata-not-an-item.ttl": [
        (
            "error",
            "shapes/Pattern",
            15,
            "A Wikidata link (cg:wikidata) must be an IRI of the form http://www.wikidata.org/entity/Q….",
        ),
    ],
    "syntax-mismatched-tag.rdf": [
        ("error", "syntax/parse", 5, "cannot parse this RDF/XML file: mismatched tag"),
    ],
    "syntax-missing-dot.ttl": [
        (
            "error",
            "syntax/parse",
            16,
            "cannot parse this Turtle file: expected '.' or '}' or ']' at end of statement",
        ),
    ],
    "syntax-no-dot.nt": [
        ("error", "syntax/parse", 2, "cannot parse this N-Triples file: Invalid line:"),
    ],
    "syntax-prefixed-name.nq": [
        (
            "error",
            "syntax/parse",
            2,
            "cannot parse this N-Quads file: Invalid line (Unrecognised object type): '<https://w3id.org/caregraph/dresden/x> <http://www.w3.org/2000/01/rdf-schema#label> dd:y <https://w3id.org/caregraph/dresden/g> .'",
        ),
    ],
    "syntax-trailing-comma.jsonld": [
        (
            "error",
            "syntax/parse",
            5,
            "cannot parse this JSON-LD file: Expecting property name enclosed in double quotes",
        ),
    ],
    "syntax-unclosed-graph.trig": [
        ("error", "syntax/parse", 4, "cannot parse this TriG file: needed '}', found end"),
    ],
    "syntax-unterminated-string.ttl": [
        (
            "error",
            "syntax/parse",
            14,
            "cannot parse this Turtle file: newline found in string literal",
        ),
    ],
    "vocab-class-as-property.ttl": [
        (
            "error",
            "vocabulary/not-a-property",
            15,
            "cg:Area is used as a property, but the ontology defines it as a class or concept.",
        ),
    ],
    "vocab-iri-with-space.ttl": [
        (
            "error",
            "vocabulary/invalid-iri",
            13,
            "The IRI <https://w3id.org/caregraph/dresden/mein verein> contains spaces or characters not allowed in IRIs.",
        ),
    ],
    "vocab-relative-iri.ttl": [
        (
            "error",
            "vocabulary/relative-iri",
            13,
            "The IRI <verein> is not absolute; the parser resolved it against the file's location.",
        ),
    ],
    "vocab-typo-class.ttl": [
        (
            "error",
            "vocabulary/unknown-term",
            13,
            "The class cg:Organsation is not defined in the caregraph ontology.",
        ),
    ],
    "vocab-typo-property.ttl": [
        (
            "error",
            "vocabulary/unknown-term",
            26,
            "The property cg:responsibleFr is not defined in the caregraph ontology.",
        ),
    ],
    "vocab-unknown-concept.ttl": [
        (
            "error",
            "shapes/In",
            15,
            "The sector (cg:sector) must be a concept of cgv:SectorScheme (citizens, state, civil-society, professional-services).",
        ),
        (
            "error",
            "vocabulary/unknown-term",
            15,
            "The term cgv:sector-civilsociety is not defined in the caregraph ontology.",
        ),
    ],
}


@cache
def report_for(name: str) -> ValidationReport:
    return validate([INVALID / name], lang="en", layers=FAST_LAYERS)


def test_corpus_is_complete() -> None:
    assert sorted(p.name for p in INVALID.iterdir()) == sorted(EXPECTED)
    assert len(EXPECTED) >= 25


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_gives_exactly_its_findings(name: str) -> None:
    report = report_for(name)
    found = [
        (f.severity, f.rule, f.line, f.message) for f in report.findings if f.severity != "info"
    ]
    assert found == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_finding_names_the_file_and_a_line(name: str) -> None:
    for finding in report_for(name).findings:
        assert finding.file == INVALID / name
        assert finding.line is not None and finding.line >= 1
        assert finding.hint


def test_layers_covered() -> None:
    rules = {f.rule for name in EXPECTED for f in report_for(name).findings}
    for wanted in (
        "syntax/parse",
        "syntax/network",
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
    from caregraph.validation.rules import load_checks

    for check in load_checks():
        assert f"rules/{check.id}" in rules, check.id
