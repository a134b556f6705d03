"""The fixed choices: languages and backends, checked the same way everywhere."""

from __future__ import annotations

import pytest

from caregraph.choices import BACKENDS, LANGS, check_lang
from caregraph.errors import UsageError
from caregraph.store import open_store


def test_languages_and_backends() -> None:
    assert LANGS == ("de", "en")
    assert BACKENDS == ("oxigraph", "rdflib")
    assert [check_lang(lang) for lang in LANGS] == ["de", "en"]


def test_an_unknown_language_or_backend_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match=r"'fr'; use one of: de, en"):
        check_lang("fr")
    with pytest.raises(
        UsageError, match=r"Unknown backend 'jena'; choose one of: oxigraph, rdflib"
    ):
        open_store(None, "jena")


def test_an_unknown_engine_or_reasoner_names_the_choices() -> None:
    from caregraph.reasoning import check_reasoner
    from caregraph.validation.engines import check_engine

    assert check_engine("pyshacl") == "pyshacl"
    assert check_reasoner("rules") == "rules"
    with pytest.raises(
        UsageError, match=r"^Unknown SHACL engine 'y'; choose one of: shacl, pyshacl\.$"
    ):
        check_engine("y")
    with pytest.raises(
        UsageError, match=r"^Unknown reasoner 'x'; choose one of: auto, hermit, rules\.$"
    ):
        check_reasoner("x")
