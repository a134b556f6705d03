"""The catalogue as RDF (the SIB SPARQL-examples convention), for loading and querying it."""

from __future__ import annotations

import rdflib
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import DCTERMS, SH

from caregraph.namespaces import SCHEMA, bind_prefixes
from caregraph.queries.catalogue import Catalogue
from caregraph.queries.header import LANGS, THEMES

#: Where stored queries are named when the catalogue is exported as RDF.
QUERY_NS = "https://w3id.org/caregraph/queries/"


def catalogue_graph(catalogue: Catalogue) -> rdflib.Graph:
    """The catalogue as RDF, following the SIB SPARQL-examples convention.

    Each query becomes a ``sh:SPARQLSelectExecutable`` with ``rdfs:label`` (title),
    ``rdfs:comment`` (description) in German and English, ``schema:keywords`` and
    the query text as ``sh:select``, so the catalogue can be loaded and queried.
    """
    graph = bind_prefixes(rdflib.Graph())
    graph.bind("cgq", QUERY_NS)
    graph.bind("sh", SH)
    for query in catalogue:
        node = URIRef(QUERY_NS + query.id)
        graph.add((node, RDF.type, SH.SPARQLExecutable))
        graph.add((node, RDF.type, SH.SPARQLSelectExecutable))
        graph.add((node, DCTERMS.identifier, Literal(query.id)))
        for lang in LANGS:
            graph.add((node, RDFS.label, Literal(query.title[lang], lang=lang)))
            graph.add((node, RDFS.comment, Literal(query.description[lang], lang=lang)))
            graph.add((node, DCTERMS.subject, Literal(THEMES[query.theme][lang], lang=lang)))
        for keyword in query.keywords:
            graph.add((node, SCHEMA.keywords, Literal(keyword)))
        graph.add((node, SH.select, Literal(query.sparql.strip())))
    return graph
