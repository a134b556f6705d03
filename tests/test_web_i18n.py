"""The web app's language: ?lang=, then Accept-Language, else German; every text in both."""

from __future__ import annotations

import pytest

from caregraph.web.i18n import LANGS, TEXTS, choose_lang, text


@pytest.mark.parametrize(
    ("query", "accept", "lang"),
    [
        ("en", "de", "en"),
        ("de", "en-GB,en", "de"),
        (None, None, "de"),
        (None, "en-US,en;q=0.9", "en"),
        (None, "fr-FR, en;q=0.4, de;q=0.8", "de"),
        (None, "fr, en;q=0.5", "en"),
        (None, "de;q=0, en;q=0.1", "en"),
        (None, "fr, it", "de"),
        ("xx", "en", "en"),
        (None, "en;q=oops, de;q=0.5", "de"),
    ],
)
def test_choose_lang(query: str | None, accept: str | None, lang: str) -> None:
    assert choose_lang(query, accept) == lang


def test_every_text_in_german_and_english() -> None:
    for key, texts in TEXTS.items():
        assert set(texts) == set(LANGS), key
        assert all(t.strip() for t in texts.values()), key


def test_text_fills_values_and_falls_back_to_german() -> None:
    assert text("incoming_more", "en", shown=3, total=9) == "3 of 9 links shown."
    assert text("search", "fr") == "Suchen"
