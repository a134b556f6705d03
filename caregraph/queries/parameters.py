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
    "en": {
        "xsd:string": "any text",
        "xsd:integer": "a whole number, e.g. 5",
        "xsd:decimal": "a number, e.g. 2.5",
        "xsd:boolean": "true or false",
        "xsd:date": "YYYY-MM-DD, e.g. 2021-07-13",
        "xsd:gYear": "a year, e.g. 2021",
    },
    "de": {
        "xsd:string": "beliebiger Text",
        "xsd:integer": "eine ganze Zahl, z. B. 5",
        "xsd:decimal": "eine Zahl, z. B. 2.5",
        "xsd:boolean": "true oder false",
        "xsd:date": "JJJJ-MM-TT, z. B. 2021-07-13",
        "xsd:gYear": "ein Jahr, z. B. 2021",
    },
}

#: What is said about a parameter value that does not fit, in each language; ``{where}`` is
#: ``_WHERE`` (the parameter and its query).
_SAID = {
    "en": {
        "where": "Parameter '{p}' of query '{q}'",
        "not-one-of": "{where} takes one of {values}; '{v}' is not one of them.",
        "mistyped": "{where} must be a {type} ({how}); '{v}' is not.",
        "ambiguous": "{where}: the label '{v}' names {n} resources ({names}). Give the IRI "
        "instead.",
        "no-ontology": "{where}: cannot look up '{v}' by name. {why} Or give a full IRI.",
        "wrong-kind": "{where}: '{v}' names {names}, which is {is_not}, so the query would find "
        "nothing.{hint}",
        "nothing": "{where}: nothing in the graph is called '{v}'.{hint} Give a label from the "
        "graph or a full IRI.",
        "all": " It takes one of: {labels}.",
        "closest": " Closest labels: {labels}.",
        "iri-wrong-kind": "{where}: {v} is {is_not} in the graph, so the query would find nothing. "
        "Give one that is{examples}",
        "examples": ", e.g. {labels}.",
        "missing": "Query '{q}' needs the parameter '{p}' ({description}). Give it as --param "
        "{p}=VALUE.",
        "not-a": "not a {kind}",
        "not-in": "not in {kind}",
    },
    "de": {
        "where": "Parameter „{p}“ der Abfrage „{q}“",
        "not-one-of": "{where} nimmt einen dieser Werte: {values}; „{v}“ ist keiner davon.",
        "mistyped": "{where} muss ein {type} sein ({how}); „{v}“ ist es nicht.",
        "ambiguous": "{where}: die Bezeichnung „{v}“ benennt {n} Ressourcen ({names}). Gib "
        "stattdessen die IRI an.",
        "no-ontology": "{where}: „{v}“ lässt sich nicht über den Namen finden. {why} Oder gib "
        "eine vollständige IRI an.",
        "wrong-kind": "{where}: „{v}“ benennt {names}, das {is_not} ist; die Abfrage fände "
        "nichts.{hint}",
        "nothing": "{where}: Nichts im Graphen heißt „{v}“.{hint} Gib eine Bezeichnung aus dem "
        "Graphen oder eine vollständige IRI an.",
        "all": " Möglich sind: {labels}.",
        "closest": " Am ähnlichsten: {labels}.",
        "iri-wrong-kind": "{where}: {v} ist {is_not} im Graphen; die Abfrage fände nichts. Gib "
        "einen passenden Wert an{examples}",
        "examples": ", z. B. {labels}.",
        "missing": "Die Abfrage „{q}“ braucht den Parameter „{p}“ ({description}). Gib ihn "
        "als --param {p}=WERT an.",
        "not-a": "kein {kind}",
        "not-in": "nicht in {kind}",
    },
}


def _said(lang: str, key: str, query: StoredQuery, param: Parameter, **values: object) -> str:
    """A message of ``_SAID`` about ``param`` of ``query``, in ``lang`` (else English)."""
    words = _SAID.get(lang, _SAID["en"])
    where = words["where"].format(p=param.name, q=query.id)
    return words[key].format(where=where, p=param.name, q=query.id, **values)


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


def bind_value(
    query: StoredQuery, param: Parameter, value: str, store: GraphStore, lang: str = "en"
) -> Node:
    """Turn the text a user gave for ``param`` into an RDF term.

    An ``iri`` parameter takes a full IRI, a prefixed name known to the query, or
    the label (German or English, any case) of exactly one resource.

    Args:
        query: the stored query.
        param: one of its parameters.
        value: the text given.
        store: the graph that labels are looked up in.
        lang: the language of the messages (``de`` or ``en``).

    Raises:
        ParameterError: the value is not allowed, not of its type, or names no
            single resource.
    """

    def fail(key: str, **values: object) -> ParameterError:
        return ParameterError(_said(lang, key, query, param, v=value, **values))

    if param.values and value not in param.values:
        raise fail("not-one-of", values=", ".join(param.values))
    if param.type != "iri":
        if not _lexically_valid(param.type, value):
            how = _HOW.get(lang, _HOW["en"])[param.type]
            raise fail("mistyped", type=param.type, how=how)
        return Literal(value, datatype=PARAM_TYPES[param.type])
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value) and is_safe_iri(value):
        expanded = _expand(value, query.namespaces)
        if str(expanded) != value or "://" in value or value.startswith("urn:"):
            _check_kind(query, param, value, expanded, store, lang)
            return expanded
    distinct = _label_matches(store, value, param, query.namespaces)
    if len(distinct) == 1:
        return distinct[0]
    if len(distinct) > 1:
        names = "; ".join(f"{iri}" for iri in distinct[:5])
        raise fail("ambiguous", n=len(distinct), names=names)
    if isinstance(store, EndpointStore) and _lacks_ontology(store):
        raise fail("no-ontology", why=store.missing_ontology_message())
    labels = _all_labels(store, param, query.namespaces)
    words = _SAID.get(lang, _SAID["en"])
    if param.scheme and 0 < len(labels) <= _FEW:  # statuses, roles, certainties: all of them
        hint = words["all"].format(labels="; ".join(labels))
    else:
        containing = [label for label in labels if value.lower() in label.lower()]
        close = difflib.get_close_matches(value, labels, n=3, cutoff=0.5)
        candidates = list(dict.fromkeys(containing[:5] + close))
        hint = words["closest"].format(labels="; ".join(candidates)) if candidates else ""
    elsewhere = named(store, value) if param.cls or param.scheme else []
    if elsewhere:
        names = "; ".join(str(iri) for iri in elsewhere[:3])
        raise fail("wrong-kind", names=names, is_not=_is_not(param, lang), hint=hint)
    raise fail("nothing", hint=hint)


#: Up to this many names of a scheme's concepts a message lists them all.
_FEW = 12


def _lacks_ontology(store: GraphStore) -> bool:
    """Whether ``store`` is an endpoint whose graph lacks caregraph's ontology."""
    return isinstance(store, EndpointStore) and not store.has_ontology()


def _check_kind(
    query: StoredQuery,
    param: Parameter,
    value: str,
    iri: URIRef,
    store: GraphStore,
    lang: str = "en",
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
    words = _SAID.get(lang, _SAID["en"])
    shown = words["examples"].format(labels=examples) if examples else "."
    raise ParameterError(
        _said(lang, "iri-wrong-kind", query, param, v=value, is_not=_is_not(param, lang),
              examples=shown)
    )  # fmt: skip


def _is_not(param: Parameter, lang: str) -> str:
    """What a value of the wrong kind is not: ``not a cg:Area``, ``nicht in ...``."""
    words = _SAID.get(lang, _SAID["en"])
    if param.cls:
        return words["not-a"].format(kind=param.cls)
    return words["not-in"].format(kind=param.scheme)


def parameter_choices(query: StoredQuery, param: Parameter, store: GraphStore) -> list[str]:
    """Values a user may give for ``param``: its fixed values, else graph labels for IRIs."""
    if param.values:
        return list(param.values)
    if param.type == "iri":
        return _all_labels(store, param, query.namespaces)
    return []


def bind_parameters(
    query: StoredQuery, given: Mapping[str, str], store: GraphStore, lang: str = "en"
) -> dict[str, Node]:
    """Bind every parameter: the given value, else its default; required ones must be given.

    Args:
        query: the stored query.
        given: the parameter texts by name.
        store: the graph that labels are looked up in.
        lang: the language of the messages (``de`` or ``en``).

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
                description = query.text(param.description, lang)
                raise ParameterError(_said(lang, "missing", query, param, description=description))
            continue
        bound["_" + param.name] = bind_value(query, param, value, store, lang)
    return bound
