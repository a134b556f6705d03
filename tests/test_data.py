"""The Dresden graph: every fact traced to a source, uncertainty kept, vocabulary known."""

from __future__ import annotations

import pytest
from rdflib import RDF, RDFS, BNode, Literal, URIRef
from rdflib.namespace import DCTERMS

from caregraph import resources
from caregraph.loading import load_graph, load_ontology, parse_file
from caregraph.namespaces import CG, CGV, DD

DATA = load_graph()
ONTOLOGY = load_ontology()
REPORT = DD["report-2021-07-13"]
SUBJECTS = sorted(
    {s for s in DATA.subjects() if isinstance(s, URIRef) and str(s).startswith(str(DD))}
)


def test_no_blank_nodes() -> None:
    assert not any(isinstance(t, BNode) for triple in DATA for t in triple)


@pytest.mark.parametrize("resource", SUBJECTS, ids=lambda r: r.removeprefix(str(DD)))
def test_every_resource_is_labelled_and_sourced(resource: URIRef) -> None:
    langs = {o.language for o in DATA.objects(resource, RDFS.label) if isinstance(o, Literal)}
    assert {"de", "en"} <= langs
    sources = set(DATA.objects(resource, DCTERMS.source))
    assert sources, f"{resource} has no dcterms:source"
    for source in sources:
        assert (source, RDF.type, CG.Source) in DATA


def test_report_facts_name_their_slide() -> None:
    from_report = {r for r in DATA.subjects(DCTERMS.source, REPORT) if str(r).startswith(str(DD))}
    assert len(from_report) > 30
    for resource in from_report:
        slide = DATA.value(resource, CG.sourceSlide)
        assert slide is not None and 1 <= int(slide) <= 7, resource


def test_background_facts_do_not_cite_the_report() -> None:
    background = parse_file(resources.data_dir() / "background.ttl")
    cited = {o for o in background.objects(None, DCTERMS.source)}
    assert cited and REPORT not in cited


def test_every_class_and_property_used_is_in_the_ontology() -> None:
    known = set(ONTOLOGY.subjects())
    used = {p for p in DATA.predicates() if str(p).startswith(str(CG))}
    used |= {o for o in DATA.objects(None, RDF.type) if str(o).startswith(str(CG))}
    used |= {o for o in DATA.objects() if isinstance(o, URIRef) and str(o).startswith(str(CGV))}
    assert used - known == set()


def test_gb5_question_mark_stays_an_unconfirmed_responsibility() -> None:
    unconfirmed = set(DATA.subjects(CG.certainty, CGV["certainty-unconfirmed"]))
    responsibilities = {r for r in unconfirmed if (r, RDF.type, CG.Responsibility) in DATA}
    assert responsibilities, "the report's 'GB 5?' must be an unconfirmed responsibility"
    quotes = {str(q) for r in responsibilities for q in DATA.objects(r, CG.sourceQuote)}
    assert any("GB 5?" in q for q in quotes)


def test_pruefung_is_a_review_status_not_a_fact() -> None:
    in_review = set(DATA.subjects(CG.status, CGV["status-in-review"]))
    assert in_review
    assert not set(DATA.subjects(CG.status, CGV["status-done"])) & {
        s for s in DATA.subjects(DCTERMS.source, REPORT)
    }


def test_all_ten_stadtbezirke_and_nine_ortschaften() -> None:
    districts = {str(DATA.value(s, RDFS.label)) for s in DATA.subjects(RDF.type, CG.UrbanDistrict)}
    localities = {str(DATA.value(s, RDFS.label)) for s in DATA.subjects(RDF.type, CG.Locality)}
    assert districts == {
        "Altstadt",
        "Neustadt",
        "Pieschen",
        "Klotzsche",
        "Loschwitz",
        "Blasewitz",
        "Leuben",
        "Prohlis",
        "Plauen",
        "Cotta",
    }
    assert localities == {
        "Altfranken",
        "Cossebaude",
        "Gompitz",
        "Langebrück",
        "Mobschatz",
        "Oberwartha",
        "Schönborn",
        "Schönfeld-Weißig",
        "Weixdorf",
    }


def test_the_meeting_of_13_july_2021() -> None:
    meetings = [
        m for m in DATA.subjects(RDF.type, CG.Meeting) if DATA.value(m, CG.date) is not None
    ]
    dated = {str(DATA.value(m, CG.date)) for m in meetings}
    assert "2021-07-13" in dated
    meeting = next(m for m in meetings if str(DATA.value(m, CG.date)) == "2021-07-13")
    assert len(set(DATA.objects(meeting, CG.participant))) >= 4


def test_only_dresden_has_a_wikidata_link() -> None:
    links = set(DATA.subject_objects(CG.wikidata))
    assert links == {(DD.dresden, URIRef("http://www.wikidata.org/entity/Q1731"))}
