"""Prefixes, compact IRIs and the IRI check: the one place for all three.

``PREFIXES`` are caregraph's own namespaces (bound on every graph it writes);
``DEFAULT_PREFIXES`` adds the W3C ones that an ad-hoc query may use without declaring
them. ``compact``/``short`` turn IRIs into prefixed names for messages and tables;
``is_safe_iri`` is the one check for text that must not become an IRI.
"""

from __future__ import annotations

import re

import rdflib
from rdflib import Namespace

CG = Namespace("https://w3id.org/caregraph/ontology#")
CGV = Namespace("https://w3id.org/caregraph/vocab/")
CGS = Namespace("https://w3id.org/caregraph/shapes#")
DD = Namespace("https://w3id.org/caregraph/dresden/")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
#: The ontology's own IRI: its named graph in a persistent store and in N-Quads and TriG exports.
ONTOLOGY_GRAPH = rdflib.URIRef("https://w3id.org/caregraph/ontology")

PREFIXES: dict[str, Namespace] = {
    "cg": CG,
    "cgv": CGV,
    "cgs": CGS,
    "dd": DD,
    "org": ORG,
    "schema": SCHEMA,
    "geo": GEO,
}


def bind_prefixes(graph: rdflib.Graph) -> rdflib.Graph:
    """Bind caregraph's prefixes (besides rdflib's defaults) on ``graph`` and return it."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


#: Prefixes an ad-hoc query may use without declaring them.
DEFAULT_PREFIXES: dict[str, str] = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "sh": "http://www.w3.org/ns/shacl#",
    **{prefix: str(namespace) for prefix, namespace in PREFIXES.items()},
}


#: Further vocabularies the data and its catalogue use (DCAT, FOAF, VANN): shown by prefix
#: in tables and messages, declared in exports, not declared in ad-hoc queries.
OTHER_PREFIXES: dict[str, str] = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vann": "http://purl.org/vocab/vann/",
}


#: The prefixes IRIs are shown by (``compact``): the query prefixes, then the others.
_SHOWN_PREFIXES = {**DEFAULT_PREFIXES, **OTHER_PREFIXES}


def compact(iri: str) -> str:
    """``prefix:local`` for an IRI in a namespace of ``DEFAULT_PREFIXES`` or
    ``OTHER_PREFIXES``, else the IRI."""
    for prefix, namespace in _SHOWN_PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def short(iri: str) -> str:
    """A prefixed name (``cg:status``) for well-known namespaces, else ``<IRI>`` (for messages)."""
    compacted = compact(iri)
    return compacted if compacted != iri else f"<{iri}>"


#: Characters that RFC 3987 (and SPARQL's IRIREF, Turtle's IRIREF) do not allow in an IRI.
UNSAFE_IRI_CHARACTERS = re.compile(r'[\s\x00-\x20<>"{}|^`\\]')


def is_safe_iri(text: str) -> bool:
    """True when ``text`` has no character an IRI may not contain (spaces, ``<>"{}|^`\\``).

    The one check used wherever text becomes an IRI: in bound query parameters, in
    written query text and in the vocabulary layer of validation.
    """
    return UNSAFE_IRI_CHARACTERS.search(text) is None
