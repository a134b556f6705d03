"""Stored queries: every example holds, headers are checked, parameters are bound safely."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef

from caregraph import resources
from caregraph.errors import ParameterError, QueryDefinitionError, UsageError
from caregraph.queries import (
    example_failures,
    find_query,
    load_catalogue,
    load_query,
    run_query,
    run_stored,
)
from caregraph.store import BACKENDS, open_store, select

DATA = Path(__file__).parent / "data"
GOOD = DATA / "queries" / "good"
BAD = DATA / "queries" / "bad"
DD = "https://w3id.org/caregraph/dresden/"

CATALOGUE = load_catalogue()


def test_catalogue_has_the_questions_of_the_city() -> None:
    assert sorted(q.id for q in CATALOGUE) == sorted(
        p.stem for p in resources.queries_dir().glob("*.rq")
    )
    assert len(CATALOGUE) >= 22  # the questions of the report; none may get lost
    assert {q.theme for q in CATALOGUE} == {
        "responsibility",
        "districts",
        "network",
        "goals",
        "quality",
    }


@pytest.mark.parametrize("query_id", sorted(CATALOGUE.queries))
def test_every_stored_query_gives_its_examples(dresden, query_id: str) -> None:
    query = CATALOGUE.get(query_id)
    assert query.examples, f"{query_id} has no examples"
    assert example_failures(query, dresden) == []


@pytest.fixture(scope="module", params=BACKENDS)
def tiny(request: pytest.FixtureRequest):
    return open_store([DATA / "tiny.ttl"], request.param)


@pytest.mark.parametrize("name", ["district_actors", "since", "label_search"])
def test_fixture_queries_give_their_examples(tiny, name: str) -> None:
    assert example_failures(load_query(GOOD / f"{name}.rq"), tiny) == []


def test_example_failures_report_wrong_expectations(tiny) -> None:
    query = load_query(GOOD / "district_actors.rq")
    query.examples[0].rows[0]["label"] = "Somebody else"  # type: ignore[index]
    failures = example_failures(query, tiny)
    assert len(failures) == 1
    assert "district_actors example 1: rows differ" in failures[0]


BAD_HEADERS = {
    "typo_key": "typo_key.rq, line 2: unknown key 'descripton' in 'header'. Did you mean 'description'?",
    "bad_yaml": "bad_yaml.rq, line 6: the '#+' header is not valid YAML",
    "missing_english": "missing_english.rq, line 1: 'title' lacks 'en'.",
    "late_header": "late_header.rq, line 6: a '#+' header line stands after the query has begun.",
    "column_mismatch": "column_mismatch.rq, line 4: 'columns' lists ['subject'] but the query selects ['s']",
    "undeclared_param": "undeclared_param.rq, line 6: the query uses ?_district, but 'params' does not declare it.",
    "unused_param": "unused_param.rq, line 4: parameter 'district' is declared but the query never uses",
    "update": "update.rq, line 6: this is a SPARQL Update",
    "no_examples": "no_examples.rq, line 5: 'examples' needs at least 1 entry.",
    "wrong_id": "wrong_id.rq, line 1: 'id' is 'something_else' but the file is named 'wrong_id.rq'",
    "unknown_theme": "unknown_theme.rq, line 3: 'theme' is 'weather'; use one of: responsibility,",
    "bad_param_type": "bad_param_type.rq, line 4: 'params[1].type' is 'date'; use one of: iri, xsd:string,",
    "no_header": "no_header.rq, line 1: the file has no '#+' header.",
    "bad_sparql": "bad_sparql.rq, line 6: the SPARQL query does not parse",
}


def test_every_bad_fixture_has_an_expected_error() -> None:
    assert {p.stem for p in BAD.glob("*.rq")} == set(BAD_HEADERS)


@pytest.mark.parametrize(("name", "message"), sorted(BAD_HEADERS.items()))
def test_malformed_query_files_are_errors_naming_file_and_line(name: str, message: str) -> None:
    with pytest.raises(QueryDefinitionError) as caught:
        load_query(BAD / f"{name}.rq")
    assert message in str(caught.value)


def test_a_folder_with_a_bad_query_fails_to_load_rather_than_hiding_it() -> None:
    with pytest.raises(QueryDefinitionError, match=r"bad_param_type\.rq"):
        load_catalogue([BAD], bundled=False)


def test_duplicate_ids_across_folders_are_refused(tmp_path: Path) -> None:
    (tmp_path / "since.rq").write_text((GOOD / "since.rq").read_text())
    with pytest.raises(QueryDefinitionError, match="a query with id 'since' exists already"):
        load_catalogue([GOOD, tmp_path], bundled=False)


def test_unknown_query_name_suggests_close_ones() -> None:
    with pytest.raises(UsageError, match=r"no stored query 'sinse'\. Did you mean: since\?"):
        load_catalogue([GOOD], bundled=False).get("sinse")


def test_find_query_reads_only_the_query_asked_for(tmp_path: Path) -> None:
    (tmp_path / "since.rq").write_text((GOOD / "since.rq").read_text())
    (tmp_path / "broken.rq").write_text((BAD / "bad_param_type.rq").read_text())
    found = find_query("since", [tmp_path], bundled=False)
    assert found.id == "since"
    assert found.path == tmp_path / "since.rq"
    assert found.sparql == load_query(GOOD / "since.rq").sparql
    with pytest.raises(QueryDefinitionError, match=r"broken\.rq"):
        find_query("broken", [tmp_path], bundled=False)
    assert (
        find_query("actors_in_district").path == resources.queries_dir() / "actors_in_district.rq"
    )


def test_find_query_refuses_duplicates_and_suggests_like_the_catalogue(tmp_path: Path) -> None:
    (tmp_path / "since.rq").write_text((GOOD / "since.rq").read_text())
    with pytest.raises(QueryDefinitionError, match="a query with id 'since' exists already"):
        find_query("since", [GOOD, tmp_path], bundled=False)
    with pytest.raises(UsageError, match=r"no stored query 'sinse'\. Did you mean: since\?"):
        find_query("sinse", [GOOD], bundled=False)
    for name in ["../good/since", "/etc/passwd", ""]:  # never read as a path
        with pytest.raises(UsageError, match="no stored query"):
            find_query(name, [GOOD], bundled=False)


class TestParameters:
    query = load_query(GOOD / "district_actors.rq")
    typed = load_query(GOOD / "since.rq")
    search = load_query(GOOD / "label_search.rq")

    def test_label_in_any_case_names_the_resource(self, tiny) -> None:
        rows = run_stored(self.query, tiny, {"district": "LEUBEN"})
        assert [r[0] for r in rows] == [URIRef(DD + "nachbarschaftshilfe")]

    def test_full_iri_and_prefixed_name(self, tiny) -> None:
        by_iri = run_stored(self.query, tiny, {"district": DD + "prohlis"})
        by_curie = run_stored(self.query, tiny, {"district": "dd:prohlis"})
        assert by_iri.rows == by_curie.rows
        assert len(by_iri) == 2

    def test_unknown_label_names_the_closest_candidates(self, tiny) -> None:
        with pytest.raises(
            ParameterError,
            match=r"nothing in the graph is called 'Prohlitz'\. Closest labels: Prohlis",
        ):
            run_stored(self.query, tiny, {"district": "Prohlitz"})

    def test_unknown_parameter(self, tiny) -> None:
        with pytest.raises(
            ParameterError, match=r"has no parameter 'distrikt' \(its parameters: district\)"
        ):
            run_stored(self.query, tiny, {"distrikt": "Prohlis"})

    def test_missing_required_parameter(self, tiny) -> None:
        with pytest.raises(ParameterError, match="needs the parameter 'text'"):
            run_stored(self.search, tiny, {})

    def test_mistyped_value(self, tiny) -> None:
        with pytest.raises(
            ParameterError,
            match=r"'year' of query 'since' must be a xsd:gYear \(a year, e.g. 2021\); 'last year'",
        ):
            run_stored(self.typed, tiny, {"year": "last year"})

    def test_value_outside_the_allowed_list(self, tiny) -> None:
        with pytest.raises(ParameterError, match="takes one of 1, 2; '3' is not"):
            run_stored(self.typed, tiny, {"limit": "3"})

    def test_defaults_apply(self, tiny) -> None:
        rows = run_stored(self.typed, tiny, {})
        assert [tuple(str(c) for c in r) for r in rows] == [("2021", "1")]

    @pytest.mark.parametrize(
        ("value", "rows"),
        [
            ('"Süd"', 1),  # quotes
            ("{#1}", 1),  # braces and a hash
            ("#", 1),
            ('Süd" {', 1),
            ("x\n} UNION { ?resource ?p ?o", 0),  # a newline and an attempted injection
            ('") || true || ("', 0),
        ],
    )
    def test_hostile_text_is_one_value(self, tiny, value: str, rows: int) -> None:
        assert len(run_stored(self.search, tiny, {"text": value})) == rows

    @pytest.mark.parametrize("value", ['Prohlis" } UNION { ?a ?b ?c', "Prohlis\n#", "{Leuben}"])
    def test_hostile_iri_parameter_is_refused_not_run(self, tiny, value: str) -> None:
        with pytest.raises(ParameterError, match="nothing in the graph is called"):
            run_stored(self.query, tiny, {"district": value})


def test_run_query_is_one_call(data_dir: Path) -> None:
    table = run_query(
        "district_actors", data=[data_dir / "tiny.ttl"], queries=[GOOD], district="Leuben"
    )
    assert table.to_dicts() == [
        {"actor": DD + "nachbarschaftshilfe", "label": 'Nachbarschaftshilfe "Süd" {#1}'}
    ]


def test_readme_lists_every_stored_query() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    missing = [q.id for q in CATALOGUE if f"`{q.id}`" not in readme]
    assert missing == []


def test_results_convert_to_a_dataframe(data_dir: Path) -> None:
    table = run_query("district_actors", data=[data_dir / "tiny.ttl"], queries=[GOOD])
    frame = table.to_dataframe()
    assert list(frame.columns) == ["actor", "label"]
    assert len(frame) == 3
    assert frame["label"].tolist()[-1] == "Sozialamt"


def test_labels_with_sharp_s_match_exactly(dresden) -> None:
    query = CATALOGUE.get("actors_in_district")
    rows = run_stored(query, dresden, {"district": "schönfeld-weißig"})
    assert len(rows) > 0


def test_suggestions_include_labels_containing_the_text(dresden) -> None:
    query = CATALOGUE.get("actor_profile")
    with pytest.raises(ParameterError, match=r"Closest labels: GB 5 \("):
        run_stored(query, dresden, {"actor": "GB 5"})


def test_service_is_refused_unless_the_network_is_allowed(tiny) -> None:
    from caregraph.queries import run_sparql

    with pytest.raises(UsageError, match="SERVICE; caregraph does not reach the network"):
        run_sparql("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", tiny)


def test_adhoc_queries_may_use_the_usual_prefixes_undeclared(tiny) -> None:
    from caregraph.queries import run_sparql

    table = run_sparql("SELECT ?a WHERE { ?a cg:activeIn dd:leuben ; rdfs:label ?l }", tiny)
    assert {row[0] for row in table} == {URIRef(DD + "nachbarschaftshilfe")}  # type: ignore[union-attr]


SECTOR_NAMES = {
    "citizens": "Bürger*innen",
    "state": "Staat",
    "civil-society": "Zivilgesellschaft",
    "professional-services": "professionelle Dienstleister",
}


@pytest.mark.parametrize("district", ["dd:prohlis", "dd:weixdorf", "dd:gorbitz", "dd:dresden"])
def test_sector_coverage_counts_the_actors_that_actors_in_district_lists(district: str) -> None:
    """City-wide actors count for a district in both queries (issue 9's finding)."""
    store = open_store()
    actors = {
        str(row[0]) for row in run_query("actors_in_district", store=store, district=district).rows
    }
    sectors = set()
    for actor in actors:
        rows = select(
            store,
            "SELECT ?s WHERE { ?a <https://w3id.org/caregraph/ontology#sector> ?s }",
            {"a": URIRef(actor)},
        ).rows
        sectors |= {SECTOR_NAMES[str(r[0]).rsplit("sector-", 1)[1]] for r in rows}
    [row] = run_query("sector_coverage_per_district", store=store, district=district).to_dicts()
    present = {s for s in row["sectors_present"].split(", ") if s}
    assert present == sectors
    assert int(row["sector_count"]) == len(sectors)


@pytest.mark.parametrize(
    "name",
    ["goals_without_measures", "cgq:goals_without_measures",
     "https://w3id.org/caregraph/queries/goals_without_measures"],
)  # fmt: skip
def test_a_query_is_found_by_its_id_or_its_iri_in_the_catalogue(name: str) -> None:
    """The exported catalogue names each query by an IRI (cgq:ID); that name runs it too."""
    from caregraph.queries import find_query, load_catalogue

    assert find_query(name).id == "goals_without_measures"
    assert load_catalogue().get(name).id == "goals_without_measures"
