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
