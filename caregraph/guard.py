"""What SPARQL text caregraph agrees to run: queries only, bounded, offline unless allowed.

Every SPARQL text caregraph runs or sends (stored queries, rule checks, ad-hoc queries,
queries for an endpoint) passes :func:`check_query` first. It decides what the text is by
*parsing* it, never by looking at its first words, so ``PREFIX select: <urn:x#> INSERT ...``
or ``\\u0044ROP ALL`` (SPARQL decodes ``\\u`` escapes before parsing) are still recognised as
updates and never leave caregraph.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from caregraph.errors import QueryError, UsageError
from caregraph.sparql_text import UPDATE_KEYWORDS, scan

#: The deepest nesting of brackets, braces and parentheses a query may have. Deeper texts
#: crash or exhaust the engines' parsers (Oxigraph overflows its stack; rdflib's parser
#: gives up below 50 levels), so caregraph refuses them before any engine sees them.
MAX_NESTING = 32

#: The words of which every SPARQL Update has at least one (WITH comes with DELETE or INSERT).
_UPDATE_WORDS = frozenset(UPDATE_KEYWORDS) - {"WITH"}

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def decode_escapes(text: str) -> str:
    """Apply SPARQL's codepoint escapes (``\\uXXXX``, ``\\UXXXXXXXX``), as parsers do first."""

    def one(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"

    return _ESCAPE.sub(one, text)


def nesting_depth(text: str) -> int:
    """The deepest nesting of ``(``, ``{`` and ``[`` outside strings, IRIs and comments."""
    depth = deepest = 0
    for _, token, _ in scan(text):
        if token in "({[":
            depth += 1
            deepest = max(deepest, depth)
        elif token in ")}]":
            depth -= 1
    return deepest


def _words(text: str) -> set[str]:
    """Upper-cased keywords outside strings, IRIs and comments (not prefixed names)."""
    return {
        word
        for _, token, in_name in scan(text)
        if not in_name
        for word in token.split(".")
        if word[:1].isalpha()
    }


def _names(node: Any) -> set[str]:
    """The rule names in an rdflib parse tree (e.g. ``ServiceGraphPattern``)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    names: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            names.add(item.name)
            stack.extend(item.values())
        elif isinstance(item, list | tuple) or hasattr(item, "as_list"):
            stack.extend(item)
    return names


def uses_service(text: str) -> bool:
    """Whether a SPARQL text calls a remote endpoint (the SERVICE keyword, escapes decoded)."""
    return "SERVICE" in _words(decode_escapes(text))


@lru_cache(maxsize=256)
def _classify(text: str) -> tuple[str, bool]:
    """``("query" | "update" | "unknown", uses SERVICE)`` for a text of bounded nesting."""
    words = _words(decode_escapes(text))
    if not words & _UPDATE_WORDS:
        # Every Update has one of these keywords outside strings, IRIs and comments, and
        # SERVICE is a reserved word there: without them the text is no Update, and it
        # calls SERVICE exactly when the word is there. No parse needed (rdflib's parser
        # takes a quarter of a second to import, most of a short query's start-up).
        return "query", "SERVICE" in words
    from rdflib.plugins.sparql import parser

    try:
        tree = parser.parseQuery(text)
        return "query", "ServiceGraphPattern" in _names(tree)
    except Exception:
        pass
    try:
        parser.parseUpdate(text)
        return "update", False
    except Exception:
        pass
    # rdflib's grammar misses a few valid queries; the words decide only between refusing
    # (an update keyword or SERVICE anywhere) and letting the engine report its own error.
    return "update", "SERVICE" in words


def check_query(sparql: str, *, allow_network: bool = False) -> None:
    """Refuse a text caregraph must not run: an Update, too deep a nesting, or SERVICE.

    Args:
        sparql: the SPARQL text as it will be run or sent.
        allow_network: let ``SERVICE`` call remote endpoints.

    Raises:
        UsageError: the text is an Update, or calls SERVICE without ``allow_network``.
        QueryError: the text nests deeper than :data:`MAX_NESTING`.
    """
    depth = nesting_depth(decode_escapes(sparql))
    if depth > MAX_NESTING:
        raise QueryError(
            f"The query nests brackets, braces or parentheses {depth} levels deep; caregraph "
            f"accepts at most {MAX_NESTING} (deeper texts crash SPARQL parsers). Flatten the "
            "query, e.g. with VALUES or several simpler queries."
        )
    kind, service = _classify(sparql)
    if kind == "update":
        raise UsageError(
            "This is a SPARQL Update (INSERT, DELETE, LOAD, CLEAR, ...). caregraph only reads "
            "the graph; change the data files instead."
        )
    if service and not allow_network:
        raise UsageError(
            "The query calls a remote endpoint with SERVICE; caregraph does not reach the "
            "network unless --allow-network is given."
        )
