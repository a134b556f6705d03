"""The namespaces caregraph uses, and binding their prefixes to graphs."""

from __future__ import annotations

import rdflib
from rdflib import Namespace

CG = Namespace("https://w3id.org/caregraph/ontology#")
CGV = Namespace("https://w3id.org/caregraph/vocab/")
CGS = Namespace("https://w3id.org/caregraph/shapes#")
DD = Namespace("https://w3id.org/caregraph/dresden/")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")

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


def compact(iri: str) -> str:
    """``prefix:local`` for an IRI in a namespace of ``DEFAULT_PREFIXES``, else the IRI."""
    for prefix, namespace in DEFAULT_PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri
