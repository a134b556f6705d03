"""Reading SPARQL text without a full parser: where strings, IRIs and comments are.

A small scanner finds the query form, the prologue's prefixes and the outer
``WHERE`` group; caregraph uses it to place parameter bindings and to refuse
updates before anything runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from caregraph.errors import QueryError

_IRIREF = re.compile(r'<[^\s<>"{}|^`\\]*>')
_KEYWORD = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")
_VAR = re.compile(r"[?$][A-Za-z0-9_]+")
#: A Turtle (or SPARQL) string literal, long or short, in either quote: unrolled loops with
#: possessive quantifiers, so a huge literal costs neither time nor memory (VERBOSE syntax).
TURTLE_STRING = r"""\"\"\"[^"\\]*+(?:(?:\\.|"(?!""))[^"\\]*+)*+\"\"\"
    |'''[^'\\]*+(?:(?:\\.|'(?!''))[^'\\]*+)*+'''
    |"[^"\\\n]*+(?:\\.[^"\\\n]*+)*+"
    |'[^'\\\n]*+(?:\\.[^'\\\n]*+)*+'"""

_BRACKETS = frozenset("(){}[]")
_ROUND_AND_SQUARE = frozenset("()[]")
_PREFIX_DECL = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_KEYWORDS = (
    "INSERT",
    "DELETE",
    "LOAD",
    "CLEAR",
    "DROP",
    "CREATE",
    "ADD",
    "MOVE",
    "COPY",
    "WITH",
)


def skip_string(text: str, i: int) -> int:
    quote = text[i]
    long_quote = text.startswith(quote * 3, i)
    end = quote * 3 if long_quote else quote
    j = i + len(end)
    while j < len(text):
        if text[j] == "\\":
            j += 2
            continue
        if text.startswith(end, j):
            return j + len(end)
        if not long_quote and text[j] == "\n":
            break
        j += 1
    raise QueryError("The query has an unterminated string.")


def scan(text: str) -> Iterator[tuple[int, str, bool]]:
    """Brackets and words outside strings, IRIs, comments and variables.

    Yields ``(position, token, in_name)``: the token is a bracket ``( ) { } [ ]`` or an
    upper-cased word; ``in_name`` is true for a word joined to a ``:`` (the prefix or the
    local part of a prefixed name, never a keyword).
    """
    i = 0
    while i < len(text):
        char = text[i]
        if char == "#":
            newline = text.find("\n", i)
            i = len(text) if newline < 0 else newline
        elif char in "\"'":
            i = skip_string(text, i)
        elif char == "<":
            match = _IRIREF.match(text, i)
            i = match.end() if match else i + 1
        elif char in _BRACKETS:
            yield i, char, False
            i += 1
        elif char in "?$":
            match = _VAR.match(text, i)
            i = match.end() if match else i + 1
        elif char.isalpha():
            match = _KEYWORD.match(text, i)
            assert match is not None
            in_name = text.startswith(":", match.end()) or (i > 0 and text[i - 1] == ":")
            yield i, match.group().upper(), in_name
            i = match.end()
        else:
            i += 1


def _significant(text: str) -> list[tuple[int, str]]:
    """Positions of braces and keywords outside strings, IRIs and comments."""
    return [(i, token) for i, token, _ in scan(text) if token not in _ROUND_AND_SQUARE]


def where_position(query: str) -> int:
    """The index just after the ``{`` that opens the query's outer ``WHERE`` group.

    Raises:
        QueryError: no such group is found.
    """
    tokens = _significant(query)
    form = query_form(query)
    braces = [(pos, t) for pos, t in tokens if t in "{}" or t == "WHERE"]
    skip_template = form == "CONSTRUCT"
    depth = 0
    for pos, token in braces:
        if token == "WHERE":
            skip_template = False
            continue
        if token == "{":
            if depth == 0 and not skip_template:
                return pos + 1
            depth += 1
        else:
            depth -= 1
            if depth == 0 and skip_template:
                # The template was followed by WHERE or not: "CONSTRUCT WHERE { }" has none.
                skip_template = False
    raise QueryError("The query has no WHERE group to bind parameters in.")


def query_form(sparql: str) -> str | None:
    """The first keyword after the prologue: SELECT, ASK, ..., or an update keyword.

    Returns None when the text has no such keyword.
    """
    tokens = [t for _, t in _significant(sparql) if t not in "{}"]
    index = 0
    while index < len(tokens) and tokens[index] in ("PREFIX", "BASE"):
        index += 1
        # A PREFIX declaration is followed by its prefix name (an IRI is skipped by the scanner).
        if tokens[index - 1] == "PREFIX" and index < len(tokens) and not _is_form(tokens[index]):
            index += 1
    return tokens[index] if index < len(tokens) else None


def _is_form(token: str) -> bool:
    return token in QUERY_FORMS or token in UPDATE_KEYWORDS or token in ("PREFIX", "BASE")


def is_update(sparql: str) -> bool:
    """True when the text is a SPARQL Update request rather than a query."""
    return query_form(sparql) in UPDATE_KEYWORDS


def prefixes(sparql: str) -> dict[str, str]:
    """The PREFIX declarations of the prologue, prefix to namespace IRI."""
    return {m.group(1) or "": m.group(2) for m in _PREFIX_DECL.finditer(sparql)}


def undeclared(sparql: str, namespaces: Mapping[str, str]) -> dict[str, str]:
    """The prefixes of ``namespaces`` that ``sparql`` does not declare itself."""
    declared = prefixes(sparql)
    return {p: ns for p, ns in namespaces.items() if p not in declared}


def declare_prefixes(sparql: str, namespaces: Mapping[str, str]) -> str:
    """``sparql`` with PREFIX declarations for the ``namespaces`` it does not declare.

    They go on its first line, so that line numbers in errors stay those of ``sparql``
    (columns on that line do not: where a backend can take prefixes apart from the text,
    ``GraphStore.query(prefixes=...)`` is better).
    """
    missing = undeclared(sparql, namespaces)
    return "".join(f"PREFIX {p}: <{ns}> " for p, ns in missing.items()) + sparql
