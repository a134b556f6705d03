"""Answers in the reader's language: the reserved ?_lang of every stored query."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from caregraph.cli import cli
from caregraph.errors import ParameterError, QueryDefinitionError
from caregraph.queries import load_catalogue, run_query
from caregraph.queries.catalogue import load_query
from caregraph.queries.language import apply_lang, split_lang, uses_lang

CATALOGUE = load_catalogue()


@pytest.mark.parametrize("query_id", sorted(CATALOGUE.queries))
def test_every_query_with_label_columns_follows_the_language(query_id: str) -> None:
    query = CATALOGUE.get(query_id)
    if any(c.name.endswith("_label") for c in query.columns):
        assert uses_lang(query.sparql), f"{query_id} has label columns but ignores ?_lang"
    if query_id != "data_quality_gaps":  # it checks for a German and an English label
        assert not re.search(r'LANG\(\?\w+\)\s*=\s*"(de|en)"', query.sparql), query_id


def test_lang_is_put_in_as_a_fixed_literal_everywhere() -> None:
    sparql = "SELECT ?x WHERE { { ?x ?p ?o FILTER(LANG(?o) = ?_lang) } UNION { ?x ?q $_lang } }"
    assert apply_lang(sparql, "en") == (
        'SELECT ?x WHERE { { ?x ?p ?o FILTER(LANG(?o) = "en") } UNION { ?x ?q "en" } }'
    )
    assert apply_lang("SELECT ?_language WHERE {}", "de") == "SELECT ?_language WHERE {}"
    with pytest.raises(ParameterError):
        apply_lang(sparql, 'en") } DROP ALL #')


def test_lang_param_wins_and_is_checked() -> None:
    assert split_lang({"lang": "en", "district": "Prohlis"}, "de") == (
        {"district": "Prohlis"},
        "en",
    )
    assert split_lang({}, None) == ({}, "de")
    with pytest.raises(ParameterError, match="de or en"):
        split_lang({}, "fr")


def test_german_is_the_default_and_english_follows_lang() -> None:
    german = run_query("unconfirmed_responsibilities").to_dicts()
    english = run_query("unconfirmed_responsibilities", lang="en").to_dicts()
    assert {r["gap"] for r in german} == {
        "keine Federführung",
        "Federführung unbestätigt",
        "keine Zuständigkeit",
    }
    assert {r["gap"] for r in english} == {"no lead", "lead unconfirmed", "no responsibility"}
    assert "Pflegenetz" in {r["actor_label"] for r in german}
    assert "Care network (Pflegenetz)" in {r["actor_label"] for r in english}


def test_cli_lang_sets_label_columns_of_csv() -> None:
    runner = CliRunner()
    done = runner.invoke(cli, ["--lang", "en", "query", "undated_steps", "--format", "csv"])
    assert done.exit_code == 0, done.output
    assert "no date" in done.output and "ohne Termin" not in done.output
    assert "Next steps of phase 2 (2022/2023)" in done.output
    done = runner.invoke(cli, ["--lang", "de", "query", "undated_steps", "--format", "json"])
    assert "ohne Termin" in done.output and "no date" not in done.output


def test_lang_is_reserved(tmp_path) -> None:
    path = tmp_path / "own.rq"
    path.write_text(
        "#+ title: {de: T, en: T}\n#+ description: {de: D, en: D}\n#+ theme: quality\n"
        "#+ params:\n#+   - name: lang\n#+     type: xsd:string\n"
        "#+     description: {de: S, en: L}\n"
        "#+ columns:\n#+   - name: x\n#+     description: {de: x, en: x}\n"
        "#+ examples:\n#+   - params: {}\n#+     count: 0\n"
        "SELECT ?x WHERE { ?x ?p ?_lang }\n",
        encoding="utf-8",
    )
    with pytest.raises(QueryDefinitionError, match="reserved"):
        load_query(path)
