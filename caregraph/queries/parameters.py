"""Query parameters: turning the text a user gives into an RDF term, and offering choices.

An ``iri`` parameter takes a full IRI, a prefixed name known to the query, or the label
(German or English, any case) of exactly one resource; a literal parameter is checked
against its XSD type before rdflib sees it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from datetime import date

from rdflib import XSD, Literal, URIRef
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from caregraph.endpoint import EndpointStore
from caregraph.errors import ParameterError
from caregraph.labels import all_names, named
from caregraph.namespaces import is_safe_iri
from caregraph.queries.catalogue import Parameter, StoredQuery
from caregraph.queries.header import PARAM_TYPE_NAMES
from caregraph.store import GraphStore

#: Parameter types: "iri" (None) or the XSD datatype of the literal.
PARAM_TYPES: dict[str, URIRef | None] = {
    name: None if name == "iri" else XSD[name.removeprefix("xsd:")] for name in PARAM_TYPE_NAMES
}


def _restriction(
    param: Parameter, namespaces: NamespaceManager | None
) -> tuple[str, dict[str, Node]]:
    """The graph pattern (and its bindings) that the resources ``param`` may name satisfy."""
    patterns: list[str] = []
    bindings: dict[str, Node] = {}
    if param.cls:
        bindings["_class"] = _expand(param.cls, namespaces)
        # the class or a subclass; a UNION, not a/rdfs:subClassOf*, which is outside the
        # portable SPARQL that every engine evaluates alike (queries/README.md)
        patterns.append(
            "{ ?resource a ?_class . } UNION "
            "{ ?resource a ?_subclass . ?_subclass rdfs:subClassOf+ ?_class . }"
        )
    if param.scheme:
        bindings["_scheme"] = _expand(param.scheme, namespaces)
        patterns.append("?resource skos:inScheme ?_scheme .")
    return " ".join(patterns), bindings


def _label_matches(
    store: GraphStore, label: str, param: Parameter, namespaces: NamespaceManager | None
) -> list[URIRef]:
    pattern, bindings = _restriction(param, namespaces)
    return named(store, label, pattern, bindings)


def _all_labels(
    store: GraphStore, param: Parameter, namespaces: NamespaceManager | None
) -> list[str]:
    pattern, bindings = _restriction(param, namespaces)
    return all_names(store, pattern, bindings)


def _expand(value: str, namespaces: NamespaceManager | None) -> URIRef:
    if namespaces is not None and re.fullmatch(r"[A-Za-z][\w.-]*:[^\s/]*", value):
        prefix, local = value.split(":", 1)
        for known, iri in namespaces.namespaces():
            if known == prefix:
                return URIRef(str(iri) + local)
    return URIRef(value)


_LEXICAL = {
    "xsd:string": re.compile(r".*", re.S),
    "xsd:integer": re.compile(r"[+-]?\d+"),
    "xsd:decimal": re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)"),
    "xsd:boolean": re.compile(r"true|false|1|0"),
    "xsd:date": re.compile(r"-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?"),
    "xsd:gYear": re.compile(r"-?\d{4,}(Z|[+-]\d{2}:\d{2})?"),
}


#: How to write a value of each literal type, for the message when one is not.
_HOW = {
    "xsd:string": "any text",
    "xsd:integer": "a whole number, e.g. 5",
    "xsd:decimal": "a number, e.g. 2.5",
    "xsd:boolean": "true or false",
    "xsd:date": "YYYY-MM-DD, e.g. 2021-07-13",
    "xsd:gYear": "a year, e.g. 2021",
}


def _lexically_valid(xsd_type: str, value: str) -> bool:
    """Check a value's lexical form before rdflib sees it (rdflib logs tracebacks for bad ones)."""
    if not _LEXICAL[xsd_type].fullmatch(value):
        return False
    if xsd_type == "xsd:date":
        try:
            date.fromisoformat(value[:10])
        except ValueError:
            return False
    return True


def bind_value(query: StoredQuery, param: Parameter, value: str, store: GraphStore) -> Node:
    """Turn the text a user gave for ``param`` into an RDF term.

    An ``iri`` parameter takes a full IRI, a prefixed name known to the query, or
    the label (German or English, any case) of exactly one resource.

    Raises:
        ParameterError: the value is not allowed, not of its type, or names no
            single resource.
    """
    if param.values and value not in param.values:
        raise ParameterError(
            f"Parameter '{param.name}' of query '{query.id}' takes one of "
            f"{', '.join(param.values)}; '{value}' is not one of them."
        )
    if param.type != "iri":
        if not _lexically_valid(param.type, value):
            raise ParameterError(
                f"Parameter '{param.name}' of query '{query.id}' must be a {param.type} "
                f"({_HOW[param.type]}); '{value}' is not."
            )
        return Literal(value, datatype=PARAM_TYPES[param.type])
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value) and is_safe_iri(value):
        expanded = _expand(value, query.namespaces)
        if str(expanded) != value or "://" in value or value.startswith("urn:"):
            _check_kind(query, param, value, expanded, store)
            return expanded
    distinct = _label_matches(store, value, param, query.namespaces)
    if len(distinct) == 1:
        return distinct[0]
    if len(distinct) > 1:
        names = "; ".join(f"{iri}" for iri in distinct[:5])
        raise ParameterError(
            f"Parameter '{param.name}' of query '{query.id}': the label '{value}' names "
            f"{len(distinct)} resources ({names}). Give the IRI instead."
        )
    if isinstance(store, EndpointStore) and _lacks_ontology(store):
        raise ParameterError(
            f"Parameter '{param.name}' of query '{query.id}': cannot look up '{value}' by "
            f"name. {store.missing_ontology_message()} Or give a full IRI."
        )
    labels = _all_labels(store, param, query.namespaces)
    kind = param.cls or param.scheme
    if param.scheme and 0 < len(labels) <= _FEW:  # statuses, roles, certainties: all of them
        hint = f" It takes one of: {'; '.join(labels)}."
    else:
        containing = [label for label in labels if value.lower() in label.lower()]
        close = difflib.get_close_matches(value, labels, n=3, cutoff=0.5)
        candidates = list(dict.fromkeys(containing[:5] + close))
        hint = f" Closest labels: {'; '.join(candidates)}." if candidates else ""
    elsewhere = named(store, value) if kind else []
    if elsewhere:
        names = "; ".join(str(iri) for iri in elsewhere[:3])
        raise ParameterError(
            f"Parameter '{param.name}' of query '{query.id}': '{value}' names {names}, which "
            f"is not {_kind_text(param)}, so the query would find nothing.{hint}"
        )
    raise ParameterError(
        f"Parameter '{param.name}' of query '{query.id}': nothing in the graph is called "
        f"'{value}'.{hint} Give a label from the graph or a full IRI."
    )


#: Up to this many names of a scheme's concepts a message lists them all.
_FEW = 12


def _lacks_ontology(store: GraphStore) -> bool:
    """Whether ``store`` is an endpoint whose graph lacks caregraph's ontology."""
    return isinstance(store, EndpointStore) and not store.has_ontology()


def _check_kind(
    query: StoredQuery, param: Parameter, value: str, iri: URIRef, store: GraphStore
) -> None:
    """Refuse an IRI that is not of the kind the parameter takes (as labels are checked)."""
    pattern, bindings = _restriction(param, query.namespaces)
    if not pattern:
        return
    bindings["resource"] = iri
    ask = (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        f"ASK {{ {pattern} }}"
    )
    if store.query(ask, bindings) is True:
        return
    if _lacks_ontology(store):
        return  # without the class hierarchy nothing can be checked; the command says so
    examples = "; ".join(_all_labels(store, param, query.namespaces)[:5])
    raise ParameterError(
        f"Parameter '{param.name}' of query '{query.id}': {value} is not {_kind_text(param)} in "
        "the graph, so the query would find nothing. Give one that is"
        + (f", e.g. {examples}." if examples else ".")
    )


def _kind_text(param: Parameter) -> str:
    """What the resources ``param`` takes are: ``a cg:Area``, ``in cgv:StatusScheme``."""
    return f"a {param.cls}" if param.cls else f"in {param.scheme}"


def parameter_choices(query: StoredQuery, param: Parameter, store: GraphStore) -> list[str]:
    """Values a user may give for ``param``: its fixed values, else graph labels for IRIs."""
    if param.values:
        return list(param.values)
    if param.type == "iri":
        return _all_labels(store, param, query.namespaces)
    return []


def bind_parameters(
    query: StoredQuery, given: Mapping[str, str], store: GraphStore
) -> dict[str, Node]:
    """Bind every parameter: the given value, else its default; required ones must be given.

    Raises:
        ParameterError: a parameter is unknown, missing or of the wrong type.
    """
    for name in given:
        query.param(name)
    bound: dict[str, Node] = {}
    for param in query.params:
        value = given.get(param.name, param.default)
        if value is None:
            if param.required:
                raise ParameterError(
                    f"Query '{query.id}' needs the parameter '{param.name}' "
                    f"({query.text(param.description, 'en')}). "
                    f"Give it as --param {param.name}=VALUE."
                )
            continue
        bound["_" + param.name] = bind_value(query, param, value, store)
    return bound
