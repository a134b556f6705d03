"""The catalogue for others: as RDF (the SIB SPARQL-examples convention) and as a listing."""

from __future__ import annotations

from typing import Any

import rdflib
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import DCTERMS, SH

from caregraph.namespaces import SCHEMA, bind_prefixes
from caregraph.queries.arguments import QUERY_NS
from caregraph.queries.catalogue import Catalogue
from caregraph.queries.header import LANGS, THEMES


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


def catalogue_listing(catalogue: Catalogue, lang: str) -> list[dict[str, Any]]:
    """One plain mapping per query (id, theme, title, description, params, columns)."""
    return [
        {
            "id": q.id,
            "theme": q.theme,
            "title": q.text(q.title, lang),
            "description": q.text(q.description, lang),
            "params": [
                {"name": p.name, "type": p.type, "default": p.default, "required": p.required}
                for p in q.params
            ],
            "columns": [c.name for c in q.columns],
        }
        for q in catalogue
    ]
