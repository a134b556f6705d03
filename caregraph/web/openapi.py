"""The OpenAPI 3 description of the web API, generated from the stored queries' headers."""

from __future__ import annotations

from typing import Any

from caregraph import __version__
from caregraph.queries import THEMES, Catalogue, Parameter, StoredQuery
from caregraph.web.formats import TABLE_MEDIA, download_formats
from caregraph.web.limits import Limits

#: Query-string names the API keeps for itself; stored-query parameters may not use them.
RESERVED = ("format", "download", "lang")

_SCHEMA_OF_TYPE: dict[str, dict[str, str]] = {
    "iri": {"type": "string"},
    "xsd:string": {"type": "string"},
    "xsd:integer": {"type": "string", "pattern": r"^[+-]?\d+$"},
    "xsd:decimal": {"type": "string", "pattern": r"^[+-]?(\d+(\.\d*)?|\.\d+)$"},
    "xsd:boolean": {"type": "string", "enum": ["true", "false"]},  # type: ignore[dict-item]
    "xsd:date": {"type": "string", "format": "date"},
    "xsd:gYear": {"type": "string", "pattern": r"^-?\d{4,}$"},
}

_ERROR = {
    "description": "",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {"error": {"type": "string"}},
                "required": ["error"],
            }
        }
    },
}


def _error(description: str) -> dict[str, Any]:
    return {**_ERROR, "description": description}


def _parameter(query: StoredQuery, param: Parameter, lang: str) -> dict[str, Any]:
    schema: dict[str, Any] = dict(_SCHEMA_OF_TYPE[param.type])
    if param.values:
        schema["enum"] = list(param.values)
    if param.default is not None:
        schema["default"] = param.default
    description = query.text(param.description, lang).rstrip(". ") + "."
    if param.type == "iri":
        description += (
            " A label from the graph (German or English), a prefixed name such as dd:prohlis, "
            "or a full IRI."
            if lang == "en"
            else " Ein Name aus dem Graphen (deutsch oder englisch), ein Präfixname wie "
            "dd:prohlis oder eine vollständige IRI."
        )
    return {
        "name": param.name,
        "in": "query",
        "required": param.required,
        "description": description,
        "schema": schema,
    }


def _row_schema(query: StoredQuery, lang: str) -> dict[str, Any]:
    return {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                c.name: {
                    "description": query.text(c.description, lang),
                    "type": ["string", "number", "boolean", "null"],
                }
                for c in query.columns
            },
        },
    }


def openapi_spec(catalogue: Catalogue, limits: Limits, lang: str = "en") -> dict[str, Any]:
    """An OpenAPI 3.1 document: one GET operation per stored query, plus /sparql.

    Args:
        catalogue: the stored queries served.
        limits: the server's limits (stated in the descriptions).
        lang: the language of titles and descriptions.
    """
    formats = download_formats()
    paths: dict[str, Any] = {}
    for query in catalogue:
        parameters = [_parameter(query, p, lang) for p in query.params]
        parameters.append(
            {
                "name": "format",
                "in": "query",
                "required": False,
                "description": "Result format (else chosen by the Accept header; default json).",
                "schema": {"type": "string", "enum": formats, "default": "json"},
            }
        )
        parameters.append(
            {
                "name": "download",
                "in": "query",
                "required": False,
                "description": "1: send the result as a file to save (Content-Disposition).",
                "schema": {"type": "string", "enum": ["0", "1"]},
            }
        )
        content: dict[str, Any] = {}
        for fmt in formats:
            media = TABLE_MEDIA.get(fmt, "text/plain")
            if media not in content:
                content[media] = (
                    {"schema": _row_schema(query, lang)}
                    if fmt == "json"
                    else {"schema": {"type": "string"}}
                )
        paths[f"/api/queries/{query.id}"] = {
            "get": {
                "operationId": query.id,
                "summary": query.text(query.title, lang),
                "description": query.text(query.description, lang),
                "tags": [THEMES[query.theme][lang]],
                "parameters": parameters,
                "responses": {
                    "200": {"description": "The rows of the query.", "content": content},
                    "400": _error("A parameter is unknown, missing or not of its type."),
                    "413": _error("The request is too large."),
                    "422": _error(f"The result has more than {limits.max_rows} rows."),
                    "503": _error(f"The query took longer than {limits.timeout:g} s."),
                },
            }
        }
    paths["/api/queries"] = {
        "get": {
            "operationId": "listQueries",
            "summary": "The stored queries with their parameters and columns.",
            "responses": {
                "200": {
                    "description": "One object per stored query.",
                    "content": {"application/json": {"schema": {"type": "array"}}},
                }
            },
        }
    }
    sparql_param = {
        "name": "query",
        "in": "query",
        "required": True,
        "description": "A SPARQL 1.1 query (SELECT, ASK, CONSTRUCT or DESCRIBE).",
        "schema": {"type": "string"},
    }
    sparql_responses = {
        "200": {
            "description": "Results; the format follows the Accept header.",
            "content": {
                media: {"schema": {"type": "string"}}
                for media in (
                    "application/sparql-results+json",
                    "application/sparql-results+xml",
                    "text/csv",
                    "text/tab-separated-values",
                    "text/turtle",
                    "application/n-triples",
                    "application/ld+json",
                )
            },
        },
        "400": _error("The query does not parse."),
        "403": _error("An update or a SERVICE call: this endpoint only reads."),
        "413": _error("The request is too large."),
        "422": _error(f"The result has more than {limits.max_rows} rows."),
        "503": _error(f"The query took longer than {limits.timeout:g} s."),
    }
    paths["/sparql"] = {
        "get": {
            "operationId": "sparqlGet",
            "summary": "SPARQL 1.1 Protocol query via GET (read-only).",
            "parameters": [sparql_param],
            "responses": sparql_responses,
        },
        "post": {
            "operationId": "sparqlPost",
            "summary": "SPARQL 1.1 Protocol query via POST (read-only).",
            "requestBody": {
                "required": True,
                "content": {
                    "application/sparql-query": {"schema": {"type": "string"}},
                    "application/x-www-form-urlencoded": {
                        "schema": {
                            "type": "object",
                            "properties": {"query": {"type": "string"}},
                            "required": ["query"],
                        }
                    },
                },
            },
            "responses": sparql_responses,
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "caregraph",
            "version": __version__,
            "description": (
                "Stored coordination questions about Dresden's caring communities, as a "
                "read-only web API generated from the queries' headers."
            ),
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "paths": paths,
    }
