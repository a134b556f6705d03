"""Choosing a media type by the Accept header, and the formats the web app offers."""

from __future__ import annotations

import pytest

from caregraph.formats import RESULT_FORMATS
from caregraph.web.formats import (
    TABLE_EXTENSIONS,
    TABLE_MEDIA,
    download_formats,
    media_type,
    negotiate,
    rdf_format_named,
)

OFFERS = ["text/html", "text/turtle", "application/ld+json", "application/n-triples"]


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, "text/html"),
        ("", "text/html"),
        ("text/turtle", "text/turtle"),
        ("application/ld+json, text/turtle;q=0.5", "application/ld+json"),
        ("text/turtle;q=0.5, application/ld+json", "application/ld+json"),
        ("text/*", "text/html"),
        ("text/*;q=0.2, application/n-triples", "application/n-triples"),
        ("*/*", "text/html"),
        ("text/html;q=0, */*", "text/turtle"),  # the specific range decides for text/html
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
        ("image/png", None),
        ("text/turtle;q=abc", None),
    ],
)
def test_negotiate(accept: str | None, chosen: str | None) -> None:
    assert negotiate(accept, OFFERS) == chosen


def test_every_download_format_has_a_media_type_and_extension() -> None:
    assert download_formats() == [f for f in RESULT_FORMATS.names() if f != "table"]
    for fmt in download_formats():
        assert fmt in TABLE_MEDIA and fmt in TABLE_EXTENSIONS
    assert media_type("srx") == "application/sparql-results+xml"
    assert media_type("turtle") == "text/turtle"
    assert media_type("unknown") == "text/plain"


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("ttl", "turtle"), ("turtle", "turtle"), ("nt", "ntriples"), ("jsonld", "jsonld"),
     ("application/ld+json", "jsonld"), ("rdf", "rdfxml"), ("docx", None)],
)  # fmt: skip
def test_rdf_format_named(name: str, fmt: str | None) -> None:
    assert rdf_format_named(name) == fmt
