"""Media types of caregraph's output formats, and choosing one by the ``Accept`` header."""

from __future__ import annotations

from caregraph.formats import GRAPH_FORMATS, RESULT_FORMATS

#: SELECT result formats (names as in ``caregraph query --format``) to media type.
TABLE_MEDIA: dict[str, str] = {
    "json": "application/json",
    "csv": "text/csv",
    "excel": "text/csv",
    "tsv": "text/tab-separated-values",
    "markdown": "text/markdown",
    "srj": "application/sparql-results+json",
    "srx": "application/sparql-results+xml",
    "sparql-csv": "text/csv",
    "sparql-tsv": "text/tab-separated-values",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

#: File name extension of each table format's download.
TABLE_EXTENSIONS: dict[str, str] = {
    "json": "json",
    "csv": "csv",
    "excel": "excel.csv",
    "tsv": "tsv",
    "markdown": "md",
    "srj": "srj",
    "srx": "srx",
    "sparql-csv": "sparql.csv",
    "sparql-tsv": "sparql.tsv",
    "xlsx": "xlsx",
}

#: RDF formats (names as in ``caregraph sparql --format``) to media type and extension.
RDF_MEDIA: dict[str, str] = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "trig": "application/trig",
}
RDF_EXTENSIONS = {
    "turtle": "ttl",
    "ntriples": "nt",
    "jsonld": "jsonld",
    "rdfxml": "rdf",
    "trig": "trig",
}


#: What /sparql offers (media type to format name, most preferred first) for each result kind;
#: ``html`` is the page with a table, for browsers.
_RESULTS = {
    "application/sparql-results+json": "srj",
    "text/html": "html",
    "application/sparql-results+xml": "srx",
}
SELECT_OFFERS = {
    **_RESULTS,
    "text/csv": "sparql-csv",
    "text/tab-separated-values": "sparql-tsv",
    "application/json": "srj",
}
ASK_OFFERS = {**_RESULTS, "application/json": "srj", "text/plain": "text"}
GRAPH_OFFERS = {**{media: fmt for fmt, media in RDF_MEDIA.items()}, "text/html": "html"}


def download_formats() -> list[str]:
    """Every table format a result can be downloaded in (the CLI's, without ``table``)."""
    return [f for f in RESULT_FORMATS.names() if f != "table"]


def media_type(fmt: str) -> str:
    """The media type of a table or RDF format (``text/plain`` for one it does not know)."""
    return TABLE_MEDIA.get(fmt) or RDF_MEDIA.get(fmt) or "text/plain"


def rdf_format_named(name: str) -> str | None:
    """An RDF format by its name, extension or media type (``ttl``, ``nt``, ``jsonld`` ...)."""
    for fmt in GRAPH_FORMATS.names():
        if fmt in RDF_MEDIA and name in (fmt, RDF_EXTENSIONS[fmt], RDF_MEDIA[fmt]):
            return fmt
    return None


def _accepted(accept: str) -> list[tuple[str, float, int]]:
    ranges = []
    for position, part in enumerate(accept.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        quality = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranges.append((media, quality, position))
    return ranges


def negotiate(accept: str | None, offers: list[str]) -> str | None:
    """The offered media type the client prefers, or None when it accepts none of them.

    Each offer takes the quality of the most specific range that matches it (``type/sub``
    before ``type/*`` before ``*/*``, as RFC 9110 says); the highest quality wins, and on a
    tie the earlier offer. No ``Accept`` header means the first offer.
    """
    if not accept or not accept.strip():
        return offers[0] if offers else None
    ranges = _accepted(accept)
    best: tuple[float, int, str] | None = None
    for index, offer in enumerate(offers):
        main = offer.split("/")[0]
        matched: tuple[int, float] | None = None
        for media, quality, _ in ranges:
            specificity = {offer: 2, f"{main}/*": 1, "*/*": 0}.get(media)
            if specificity is not None and (matched is None or specificity > matched[0]):
                matched = (specificity, quality)
        if matched is None or matched[1] <= 0:
            continue
        candidate = (matched[1], -index, offer)
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    return best[2] if best else None
