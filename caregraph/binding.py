"""Binding parameter values into a query as a ``VALUES`` block of RDF terms.

Oxigraph's own substitution only binds variables that a query projects, and a
remote endpoint takes no bindings at all, so caregraph binds the same way for
every backend: a ``VALUES`` row of RDF terms, written by rdflib's term
serializer (which escapes every quote, brace and newline), placed at the start
of the query's outer ``WHERE`` group (found by ``caregraph.sparql_text``, which
skips strings, IRIs and comments); user text never becomes query syntax.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib import XSD, BNode, Literal, URIRef
from rdflib.term import Node

from caregraph.errors import QueryError
from caregraph.namespaces import is_safe_iri
from caregraph.sparql_text import where_position

_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*$")


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def literal_syntax(literal: Literal) -> str:
    """A literal on one line, escaped as in N-Triples: valid in SPARQL and W3C TSV alike."""
    text = '"' + str(literal).translate(_ESCAPES) + '"'
    if literal.language:
        return f"{text}@{literal.language}"
    if literal.datatype is not None and str(literal.datatype) != str(XSD.string):
        return f"{text}^^<{literal.datatype}>"
    return text


# After escaping, a backslash of the value is "\\"; one followed by u/U (and hex digits)
# would be read as a codepoint escape by parsers that decode those before parsing (rdflib,
# as SPARQL allows), so the u and the digits after it are written as escapes themselves.
_CODEPOINT_LOOKALIKE = re.compile(r"\\\\([uU][0-9A-Fa-f]*)")


def _sparql_literal(literal: Literal) -> str:
    return _CODEPOINT_LOOKALIKE.sub(
        lambda m: "\\\\" + "".join(f"\\u{ord(c):04X}" for c in m.group(1)),
        literal_syntax(literal),
    )


def term_syntax(term: Node) -> str:
    """SPARQL syntax for one RDF term, escaped.

    Raises:
        QueryError: the term cannot be written safely (an IRI with spaces, a blank node).
    """
    if isinstance(term, URIRef):
        if not is_safe_iri(str(term)):
            raise QueryError(f"'{term}' is not a valid IRI (it contains spaces or <>\"{{}}|^`\\).")
        return f"<{term}>"
    if isinstance(term, Literal):
        return _sparql_literal(term)
    if isinstance(term, BNode):
        raise QueryError("A blank node cannot be bound as a query parameter; use an IRI.")
    raise QueryError(f"Cannot bind {term!r} as a query parameter.")


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
