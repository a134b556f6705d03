"""The ontology and shapes: labelled in two languages, consistent, valid SHACL."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, Literal, URIRef
from rdflib.namespace import SKOS

from caregraph.loading import load_ontology, load_shapes
from caregraph.namespaces import CG, CGV
from caregraph.reasoning import check_consistency
from caregraph.validation import check_shapes

ONTOLOGY = load_ontology()
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, SKOS.Concept, SKOS.ConceptScheme)
OUR_TERMS = sorted(
    {
        s
        for t in TERM_TYPES
        for s in ONTOLOGY.subjects(RDF.type, t)
        if isinstance(s, URIRef) and (str(s).startswith(str(CG)) or str(s).startswith(str(CGV)))
    }
)


def test_header_has_version() -> None:
    ontology = URIRef("https://w3id.org/caregraph/ontology")
    assert (ontology, RDF.type, OWL.Ontology) in ONTOLOGY
    assert ONTOLOGY.value(ontology, OWL.versionIRI) is not None
    assert ONTOLOGY.value(ontology, OWL.versionInfo) is not None


def test_there_are_many_terms() -> None:
    assert len(OUR_TERMS) > 60


@pytest.mark.parametrize("term", OUR_TERMS, ids=lambda t: t.split("/")[-1].split("#")[-1])
def test_every_term_has_label_and_definition_in_german_and_english(term: URIRef) -> None:
    for prop in (RDFS.label, SKOS.definition):
        langs = {o.language for o in ONTOLOGY.objects(term, prop) if isinstance(o, Literal)}
        assert {"de", "en"} <= langs, f"{term} lacks {prop} in { ({'de', 'en'} - langs) }"


@pytest.mark.parametrize(
    ("cls", "expected"),
    [
        (CG.Organisation, URIRef("http://www.w3.org/ns/org#Organization")),
        (CG.Actor, URIRef("http://www.w3.org/ns/prov#Agent")),
        (CG.Meeting, URIRef("https://schema.org/Event")),
        (CG.Area, URIRef("http://www.opengis.net/ont/geosparql#Feature")),
        (CG.Responsibility, URIRef("http://www.w3.org/ns/prov#Association")),
    ],
)
def test_classes_reuse_standard_vocabularies(cls: URIRef, expected: URIRef) -> None:
    assert expected in set(ONTOLOGY.transitive_objects(cls, RDFS.subClassOf))


@pytest.mark.parametrize(
    ("scheme", "size"),
    [
        (CGV.SectorScheme, 4),
        (CGV.StatusScheme, 5),
        (CGV.ResponsibilityRoleScheme, 4),
        (CGV.CertaintyScheme, 2),
    ],
)
def test_concept_schemes(scheme: URIRef, size: int) -> None:
    assert len(set(ONTOLOGY.subjects(SKOS.inScheme, scheme))) == size


def test_no_owl_imports_so_nothing_is_fetched() -> None:
    assert list(ONTOLOGY.objects(None, OWL.imports)) == []


def test_shapes_are_valid_shacl() -> None:
    assert check_shapes() == []


def test_shapes_check_finds_broken_shapes() -> None:
    broken = load_shapes()
    shape = next(broken.subjects(RDF.type, URIRef("http://www.w3.org/ns/shacl#NodeShape")))
    broken.add((shape, URIRef("http://www.w3.org/ns/shacl#minCount"), Literal("many")))
    assert check_shapes(broken) != []


@pytest.mark.reasoner
def test_hermit_finds_ontology_and_data_consistent() -> None:
    result = check_consistency()
    assert result.consistent, result.explanation
