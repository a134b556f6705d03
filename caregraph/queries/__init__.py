"""Stored SPARQL queries: ``.rq`` files whose ``#+`` YAML header describes them.

One module per concern:

- ``header``: reading the ``#+`` header and its declared JSON Schema (also for rule checks);
- ``catalogue``: ``StoredQuery``, ``load_query``, ``Catalogue``, ``load_catalogue``;
- ``parameters``: binding the text a user gives to RDF terms (labels, prefixed names, IRIs);
- ``running``: ``run_stored``, ``run_query``, ad-hoc ``run_sparql``;
- ``examples``: checking each query's examples against the bundled data;
- ``export``: the catalogue as RDF.

See ``queries/README.md`` for the file format. The names below are imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from caregraph.lazy import lazy_exports

_EXPORTS = {
    **dict.fromkeys(
        (
            "Catalogue",
            "Column",
            "Example",
            "Parameter",
            "StoredQuery",
            "find_query",
            "load_catalogue",
            "load_query",
        ),
        "caregraph.queries.catalogue",
    ),
    "example_failures": "caregraph.queries.examples",
    "QUERY_NS": "caregraph.queries.export",
    "catalogue_graph": "caregraph.queries.export",
    "catalogue_listing": "caregraph.queries.export",
    **dict.fromkeys(
        ("LANGS", "QUERY_HEADER_SCHEMA", "THEMES", "read_header"), "caregraph.queries.header"
    ),
    **dict.fromkeys(
        ("PARAM_TYPES", "bind_parameters", "bind_value", "parameter_choices"),
        "caregraph.queries.parameters",
    ),
    **dict.fromkeys(
        (
            "run_query",
            "run_sparql",
            "run_stored",
            "with_default_prefixes",
        ),
        "caregraph.queries.running",
    ),
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

if TYPE_CHECKING:
    from caregraph.queries.catalogue import (
        Catalogue,
        Column,
        Example,
        Parameter,
        StoredQuery,
        find_query,
        load_catalogue,
        load_query,
    )
    from caregraph.queries.examples import example_failures
    from caregraph.queries.export import QUERY_NS, catalogue_graph, catalogue_listing
    from caregraph.queries.header import LANGS, QUERY_HEADER_SCHEMA, THEMES, read_header
    from caregraph.queries.parameters import (
        PARAM_TYPES,
        bind_parameters,
        bind_value,
        parameter_choices,
    )
    from caregraph.queries.running import (
        run_query,
        run_sparql,
        run_stored,
        with_default_prefixes,
    )
