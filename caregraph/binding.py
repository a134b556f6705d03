"""Binding parameter values into a query as a ``VALUES`` block of RDF terms.

Oxigraph's own substitution only binds variables that a query projects, and a
remote endpoint takes no bindings at all, so caregraph binds the same way for
every backend: a ``VALUES`` row of RDF terms, written by rdflib's term
serializer (which escapes every quote, brace and newline), placed at the start
of the query's outer ``WHERE`` group. Only a scanner that skips strings, IRIs
and comments finds that place; user text never becomes query syntax.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from caregraph.errors import QueryError

_IRI_SAFE = re.compile(r'^[^\s<>"{}|^`\\]*$')
_IRIREF = re.compile(r'<[^\s<>"{}|^`\\]*>')
_KEYWORD = re.compile(r"[A-Za-z]+")
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*$")


def term_syntax(term: Node) -> str:
    """SPARQL syntax for one RDF term, escaped.

    Raises:
        QueryError: the term cannot be written safely (an IRI with spaces, a blank node).
    """
    if isinstance(term, URIRef):
        if not _IRI_SAFE.match(str(term)):
            raise QueryError(f"'{term}' is not a valid IRI (it contains spaces or <>\"{{}}|^`\\).")
        return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    if isinstance(term, BNode):
        raise QueryError("A blank node cannot be bound as a query parameter; use an IRI.")
    raise QueryError(f"Cannot bind {term!r} as a query parameter.")


def _skip_string(text: str, i: int) -> int:
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


def _significant(text: str) -> list[tuple[int, str]]:
    """Positions of braces and keywords outside strings, IRIs and comments."""
    tokens: list[tuple[int, str]] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "#":
            newline = text.find("\n", i)
            i = len(text) if newline < 0 else newline
        elif char in "\"'":
            i = _skip_string(text, i)
        elif char == "<":
            match = _IRIREF.match(text, i)
            i = match.end() if match else i + 1
        elif char in "{}":
            tokens.append((i, char))
            i += 1
        elif char in "?$":
            match = re.compile(r"[?$][A-Za-z0-9_]+").match(text, i)
            i = match.end() if match else i + 1
        elif char.isalpha():
            match = _KEYWORD.match(text, i)
            assert match is not None
            tokens.append((i, match.group().upper()))
            i = match.end()
        else:
            i += 1
    return tokens


def where_position(query: str) -> int:
    """The index just after the ``{`` that opens the query's outer ``WHERE`` group.

    Raises:
        QueryError: no such group is found.
    """
    tokens = _significant(query)
    form = next((t for _, t in tokens if t in {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}), None)
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


def bind(query: str, bindings: Mapping[str, Node] | None) -> str:
    """Return ``query`` with the variables in ``bindings`` fixed by a ``VALUES`` row."""
    if not bindings:
        return query
    names = []
    for name in bindings:
        if not _VARIABLE.match(name):
            raise QueryError(f"'{name}' is not a SPARQL variable name.")
        names.append("?" + name)
    row = " ".join(term_syntax(term) for term in bindings.values())
    at = where_position(query)
    return f"{query[:at]}\n  VALUES ({' '.join(names)}) {{ ({row}) }}\n{query[at:]}"
