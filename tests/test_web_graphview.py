"""What the pages show, as data: resource views, search, the summary, page paths, escaping."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from caregraph import resources
from caregraph.store import OxigraphStore, open_store
from caregraph.web.graphview import (
    Cell,
    LabelCache,
    cells,
    cells_html,
    describe,
    ontology_terms,
    page_path,
    resource_graph,
    search,
    summary,
)

HOSTILE = Path(__file__).parent / "data" / "web" / "hostile.ttl"
DD = "https://w3id.org/caregraph/dresden/"


@pytest.fixture(scope="module")
def store() -> OxigraphStore:
    return open_store([resources.data_dir(), HOSTILE])  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("iri", "path"),
    [
        (DD + "prohlis", "/dresden/prohlis"),
        ("https://w3id.org/caregraph/vocab/sector-state", "/vocab/sector-state"),
        ("https://w3id.org/caregraph/ontology#Measure",
         "/resource?iri=https%3A%2F%2Fw3id.org%2Fcaregraph%2Fontology%23Measure"),
        (DD + "a/b", "/resource?iri=https%3A%2F%2Fw3id.org%2Fcaregraph%2Fdresden%2Fa%2Fb"),
        (DD, "/resource?iri=https%3A%2F%2Fw3id.org%2Fcaregraph%2Fdresden%2F"),
    ],
)  # fmt: skip
def test_page_path(iri: str, path: str) -> None:
    assert page_path(iri) == path


def test_describe_a_resource(store: OxigraphStore) -> None:
    view = describe(store, DD + "sozialamt", "en")
    assert view is not None
    assert view.label == "Social Welfare Office"
    assert [c.text for c in view.types] == ["administrative unit"]
    assert [c.text for c in view.source_fields["quote"]] == ["Aufgabe Sozialamt"]
    assert [c.text for c in view.source_fields["slide"]] == ["6"]
    properties = {s.property.text: [v.text for v in s.values] for s in view.statements}
    assert properties["sub-organisation of"] == ["State Capital Dresden (city administration)"]
    assert view.incoming and view.incoming_total == len(view.incoming)
    german = describe(store, DD + "sozialamt", "de")
    assert german is not None and german.types[0].text == "Verwaltungseinheit"


def test_describe_counts_incoming_links_beyond_the_limit(store: OxigraphStore) -> None:
    full = describe(store, DD + "report-2021-07-13", "en")
    limited = describe(store, DD + "report-2021-07-13", "en", incoming_limit=3)
    assert full is not None and limited is not None
    assert len(limited.incoming) == 3
    assert limited.incoming_total == full.incoming_total > 3


def test_describe_certainty_and_unknown(store: OxigraphStore) -> None:
    view = describe(store, DD + "gb-arbeit-soziales-gesundheit-wohnen", "en")
    assert view is not None and [c.text for c in view.certainty] == ["unconfirmed"]
    assert describe(store, DD + "nothing-here", "en") is None


def test_resource_graph_has_both_directions(store: OxigraphStore) -> None:
    graph = resource_graph(store, DD + "prohlis")
    prohlis = URIRef(DD + "prohlis")
    assert (prohlis, None, None) in graph and (None, None, prohlis) in graph


def test_search_binds_the_text(store: OxigraphStore) -> None:
    hits = [c.href for c in search(store, "PROHLIS", "en")]
    assert hits[0] == "/dresden/prohlis" and "/dresden/task-pilot-prohlis" in hits
    assert search(store, '") } DELETE WHERE { ?s ?p ?o } #', "en") == []
    assert search(store, "   ", "en") == []
    assert len(store) > 2000  # nothing was removed


def test_summary_and_ontology_terms(store: OxigraphStore) -> None:
    info = summary(store, "en")
    counts = {c.text: n for c, n in info.classes}
    assert counts["urban district"] == 10
    assert "owl:Class" not in counts and "owl:ObjectProperty" not in counts
    assert any(s.href == "/dresden/report-2021-07-13" for s in info.sources)
    terms = {local: kind.text for local, _, kind in ontology_terms(store, "en")}
    assert "Measure" in terms and "servesGoal" in terms


def test_label_cache_asks_once(store: OxigraphStore) -> None:
    asked: list[str] = []

    class Counting(OxigraphStore):
        def query(self, sparql, bindings=None):  # type: ignore[no-untyped-def]
            asked.append(sparql)
            return store.query(sparql, bindings)

    cache = LabelCache(Counting())
    iri = URIRef(DD + "prohlis")
    assert cache([iri, Literal("x")], "en") == {iri: "Prohlis"}
    assert cache([iri], "en") == {iri: "Prohlis"}
    assert len(asked) == 1
    cache([URIRef(DD + "no-label")], "en")
    cache([URIRef(DD + "no-label")], "en")
    assert len(asked) == 2  # a missing label is remembered too


def test_cells_html_escapes_everything(store: OxigraphStore) -> None:
    rows = cells([[URIRef(DD + "hostile-initiative"), Literal("<b>x</b>", lang="en")]], store, "de")
    html = cells_html(rows, "de", "/root")
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&#39;de&#39;)&lt;/script&gt; Initiative &amp; Co" in html
    assert 'href="/root/dresden/hostile-initiative?lang=de"' in html
    assert '&lt;b&gt;x&lt;/b&gt; <span class="tag">@en</span>' in html
    assert cells_html([[Cell('"quoted"', "/x?a=1", 'urn:"x"')]], "en") == (
        '<tr><td><a href="/x?a=1&amp;lang=en" title="urn:&#34;x&#34;">&#34;quoted&#34;</a></td></tr>\n'
    )


def test_statement_marks_on_their_values() -> None:
    store = open_store([resources.data_dir(), HOSTILE, HOSTILE.parent / "marks.ttl"])
    view = describe(store, DD + "hostile-initiative", "en")
    assert view is not None
    active = next(s for s in view.statements if s.property.text == "active in")
    assert [v.text for v in active.values] == ["Prohlis"]
    (mark,) = active.marks[0]
    assert mark.text == "unconfirmed"
    assert mark.href == "/dresden/mark-hostile-active-in-prohlis"
    labels = next(s for s in view.statements if s.property.text == "rdfs:label")
    assert labels.marks == {}
