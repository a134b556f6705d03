"""Stored SPARQL queries: ``.rq`` files whose ``#+`` YAML header describes them.

One module per concern:

- ``header``: reading the ``#+`` header and its declared JSON Schema (also for rule checks);
- ``catalogue``: ``StoredQuery``, ``load_query``, ``Catalogue``, ``load_catalogue``;
- ``parameters``: binding the text a user gives to RDF terms (labels, prefixed names, IRIs);
- ``running``: ``run_stored``, ``run_query``, ad-hoc ``run_sparql``;
- ``examples``: checking each query's examples against the bundled data;
- ``export``: the catalogue as RDF.

See ``queries/README.md`` for the file format.
"""

from caregraph.queries.catalogue import (
    Catalogue,
    Column,
    Example,
    Parameter,
    StoredQuery,
    load_catalogue,
    load_query,
)
from caregraph.queries.examples import example_failures
from caregraph.queries.export import QUERY_NS, catalogue_graph
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

__all__ = [
    "LANGS",
    "PARAM_TYPES",
    "QUERY_HEADER_SCHEMA",
    "QUERY_NS",
    "THEMES",
    "Catalogue",
    "Column",
    "Example",
    "Parameter",
    "StoredQuery",
    "bind_parameters",
    "bind_value",
    "catalogue_graph",
    "example_failures",
    "load_catalogue",
    "load_query",
    "parameter_choices",
    "read_header",
    "run_query",
    "run_sparql",
    "run_stored",
    "with_default_prefixes",
]
