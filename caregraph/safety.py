"""Keeping parsing offline and bounded: what is refused before a file reaches a parser.

rdflib's JSON-LD parser fetches remote ``@context`` documents, and an XML parser may resolve
external entities (``<!ENTITY x SYSTEM "file:///etc/passwd">``); either would let a data
file in a pull request make CI read the network or the disk. Both are refused here unless
the caller allows the network. ``owl:imports`` is never followed by rdflib or pySHACL;
the reasoner strips it (see ``caregraph.reasoning``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

#: Files larger than this are refused unless the caller raises the limit (bytes).
MAX_FILE_BYTES = 64_000_000

#: Merged graphs larger than this are not handed to pySHACL (held in memory by rdflib).
MAX_SHACL_TRIPLES = 2_000_000

#: Merged graphs larger than this are not handed to HermiT (which needs minutes and GBs).
MAX_REASONER_TRIPLES = 250_000

_EXTERNAL_ENTITY = re.compile(r"<!ENTITY\s+%?\s*[\w.-]+\s+(SYSTEM|PUBLIC)\b", re.IGNORECASE)
_EXTERNAL_DTD = re.compile(r"<!DOCTYPE[^>\[]*\b(SYSTEM|PUBLIC)\b", re.IGNORECASE)


def size_problem(path: Path, size: int, limit: int = MAX_FILE_BYTES) -> str | None:
    """Why a file of ``size`` bytes is refused, or None when it is small enough."""
    if size <= limit:
        return None
    return (
        f"the file has {size / 1e6:.1f} MB, more than the limit of {limit / 1e6:.1f} MB; "
        "split it, or raise the limit with --max-file-size"
    )


def network_problem(path: Path, text: str) -> tuple[str, int] | None:
    """Why parsing this text would reach the network or the disk, and the line; else None."""
    suffix = path.suffix.lower()
    if suffix in (".rdf", ".owl"):
        return _xml_problem(text)
    if suffix == ".jsonld":
        return _jsonld_problem(path, text)
    return None


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _xml_problem(text: str) -> tuple[str, int] | None:
    for pattern, what in (
        (_EXTERNAL_ENTITY, "an external entity"),
        (_EXTERNAL_DTD, "an external DTD"),
    ):
        match = pattern.search(text)
        if match:
            return (
                f"the file declares {what} ({match.group(1)}), which would make the parser "
                "read another file or the network; caregraph refuses that unless --allow-network "
                "is given. Remove the declaration or write the text in place",
                _line_of(text, match.start()),
            )
    return None


def _contexts(node: Any) -> Iterator[Any]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "@context":
                yield from value if isinstance(value, list) else [value]
            yield from _contexts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _contexts(item)


def _jsonld_problem(path: Path, text: str) -> tuple[str, int] | None:
    try:
        document = json.loads(text)
    except ValueError:
        return None  # the parser reports the syntax error itself
    base = path.resolve().as_uri()
    for context in _contexts(document):
        reference = context if isinstance(context, str) else None
        if isinstance(context, dict) and isinstance(context.get("@import"), str):
            reference = context["@import"]
        if reference is None:
            continue
        url = urljoin(base, reference)
        if urlparse(url).scheme == "file":
            continue  # a context file beside the data: no network involved
        at = text.find(json.dumps(reference))
        return (
            f"the file uses the remote JSON-LD context {reference}, which caregraph does not "
            "fetch unless --allow-network is given. Put the context inline "
            '("@context": {...}) or pass --allow-network',
            _line_of(text, max(at, 0)),
        )
    return None
