"""Statement-level provenance: every statement on a report resource is quoted, structure or marked."""

from __future__ import annotations

import pytest
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCTERMS, XSD

from caregraph.loading import load_graph
from caregraph.namespaces import CG, CGV, DD
from caregraph.statements import REPORT, Statement, marked, unaccounted_statements

DATA = load_graph()
MARKS = marked(DATA)
CONFIRMED, UNCONFIRMED = CGV["certainty-confirmed"], CGV["certainty-unconfirmed"]


def mark_of(s: str, p: URIRef, o: URIRef | Literal) -> URIRef:
    return MARKS[Statement(DD[s], p, o)]


def test_every_statement_on_a_report_resource_is_accounted_for() -> None:
    assert unaccounted_statements(DATA) == []


def test_an_unmarked_interpretation_is_found() -> None:
    graph = load_graph()
    graph.add((DD["task-workshops"], CG.fieldOfAction, CGV["field-housing"]))
    assert unaccounted_statements(graph) == [
        Statement(DD["task-workshops"], CG.fieldOfAction, CGV["field-housing"])
    ]


def test_removing_a_mark_uncovers_its_statement() -> None:
    graph = load_graph()
    mark = mark_of("seniorenbeirat", CG.sector, CGV["sector-civil-society"])
    graph.remove((mark, None, None))
    assert unaccounted_statements(graph) == [
        Statement(DD.seniorenbeirat, CG.sector, CGV["sector-civil-society"])
    ]


def test_every_mark_names_a_statement_of_the_graph_with_certainty_source_and_rationale() -> None:
    marks = set(DATA.subjects(RDF.type, RDF.Statement))
    assert len(marks) >= 100
    assert set(MARKS.values()) == marks
    for mark in marks:
        assert DATA.value(mark, CG.certainty) in {CONFIRMED, UNCONFIRMED}
        assert (DATA.value(mark, DCTERMS.source), RDF.type, CG.Source) in DATA
        assert {r.language for r in DATA.objects(mark, CG.rationale)} == {"de", "en"}


@pytest.mark.parametrize("prop", [CG.sector, CG.fieldOfAction])
def test_every_sector_and_field_of_action_is_marked(prop: URIRef) -> None:
    for s, o in DATA.subject_objects(prop):
        assert Statement(s, prop, o) in MARKS, (s, o)  # type: ignore[arg-type]


def test_the_23_field_of_action_classifications_are_marked() -> None:
    assert len(list(DATA.subject_objects(CG.fieldOfAction))) == 23


def test_districts_read_from_in_den_stadtbezirken_are_marked() -> None:
    for step in ("measure-vorstellen-idee-stadtbezirke", "task-definitionen-stadtbezirke"):
        areas = set(DATA.objects(DD[step], CG.targetsArea))
        assert len(areas) == 10
        assert all(Statement(DD[step], CG.targetsArea, a) in MARKS for a in areas)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("subject", "prop", "value", "certainty"),
    [
        # the review findings
        ("resp-nwid-einbeziehen", CG.responsibilityRole, CGV["role-consulted"], UNCONFIRMED),
        (
            "resp-fachplan-beschluss-umsetzung-sozialamt",
            CG.responsibilityRole,
            CGV["role-lead"],
            UNCONFIRMED,
        ),
        ("nwid", RDF.type, CG.Network, UNCONFIRMED),
        ("nwid", CG.sector, CGV["sector-civil-society"], UNCONFIRMED),
        ("pflegenetz", CG.sector, CGV["sector-professional-services"], UNCONFIRMED),
        ("initiative-buurtzorg", CG.sector, CGV["sector-professional-services"], UNCONFIRMED),
        (
            "measure-vorstellen-idee-stadtbezirke",
            CG.servesGoal,
            DD["goal-fuer-idee-begeistern"],
            UNCONFIRMED,
        ),
        (
            "task-generationenbegegnung-schnittstelle",
            CG.servesGoal,
            DD["goal-generationenuebergreifende-begegnung"],
            UNCONFIRMED,
        ),
        (
            "task-definitionen-stadtbezirke",
            CG.servesGoal,
            DD["goal-eigene-definitionen-ortschaften"],
            UNCONFIRMED,
        ),
        ("task-pruefung-foerderrichtlinie", CG.status, CGV["status-in-review"], CONFIRMED),
        ("meeting-2021-07-13", CG.date, Literal("2021-07-13", datatype=XSD.date), UNCONFIRMED),
        ("resp-foerderrichtlinie-gb-5", CG.responsibleActor, DD["gb-5"], UNCONFIRMED),
    ],
)
def test_interpretations_are_marked_with_their_certainty(
    subject: str, prop: URIRef, value: URIRef | Literal, certainty: URIRef
) -> None:
    assert DATA.value(mark_of(subject, prop, value), CG.certainty) == certainty


def test_background_readings_cite_the_background() -> None:
    for subject, prop, value in [
        ("nwid", RDF.type, CG.Network),
        ("pflegenetz", CG.sector, CGV["sector-professional-services"]),
    ]:
        assert DATA.value(mark_of(subject, prop, value), DCTERMS.source) == DD["domain-notes"]


def test_sectors_agree_with_the_scheme_definitions() -> None:
    # the scheme counts advisory councils and welfare providers as representatives as civil society
    assert set(DATA.objects(DD.seniorenbeirat, CG.sector)) == {CGV["sector-civil-society"]}
    assert set(DATA.objects(DD["stakeholders-freie-traeger"], CG.sector)) == {
        CGV["sector-civil-society"]
    }


def test_nwid_labels_agree() -> None:
    labels = {
        lit.language: str(lit)
        for lit in DATA.objects(
            DD["resp-nwid-einbeziehen"], URIRef("http://www.w3.org/2000/01/rdf-schema#label")
        )
    }
    assert "consulted" in labels["en"] and "konsultiert" in labels["de"]


@pytest.mark.parametrize(
    ("resource", "slides"),
    [
        ("seniorenbeirat", {2, 5}),
        ("bmfsfj", {2, 3}),
        ("beauftragte-menschen-mit-behinderungen-senioren", {1, 5}),
    ],
)
def test_resources_point_to_every_slide_that_names_them(resource: str, slides: set[int]) -> None:
    assert {int(s) for s in DATA.objects(DD[resource], CG.sourceSlide)} == slides


def test_every_slide_resource_is_used() -> None:
    for n in range(1, 8):
        slide = DD[f"report-2021-07-13-slide-{n}"]
        assert (None, DCTERMS.source, slide) in DATA, slide


def test_the_report_carries_its_date_and_language_as_data() -> None:
    assert DATA.value(REPORT, DCTERMS.created) == Literal("2021-07-13", datatype=XSD.date)
    assert DATA.value(REPORT, DCTERMS.language) == URIRef(
        "http://id.loc.gov/vocabulary/iso639-1/de"
    )


@pytest.mark.parametrize(
    ("task", "measure"),
    [
        ("task-information-seniorenbeirat", "measure-foerderrichtlinie-soziale-orte"),
        ("task-zusammenarbeit-buurtzorg", "measure-pflege-im-quartier"),
    ],
)
def test_steps_that_were_only_responsibilities_are_steps_with_a_status(
    task: str, measure: str
) -> None:
    assert DATA.value(DD[task], CG.partOfMeasure) == DD[measure]
    assert DATA.value(DD[task], CG.status) == CGV["status-planned"]
    assert DATA.value(DD[task], CG.hasResponsibility) is not None


def test_bmfsfj_label_keeps_to_the_sources() -> None:
    labels = {
        str(lit)
        for lit in DATA.objects(DD.bmfsfj, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
    }
    assert not any("Senioren, Frauen und Jugend" in label for label in labels)
