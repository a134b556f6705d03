"""caregraph: a knowledge graph of Dresden's caring communities (Sorgende Gemeinschaften).

Everything the CLI does is one call here, e.g.::

    import caregraph
    rows = caregraph.run_query("responsibilities")
    report = caregraph.validate()
"""

from caregraph.endpoint import EndpointStore
from caregraph.errors import (
    CaregraphError,
    InputError,
    ParameterError,
    QueryDefinitionError,
    QueryError,
    ReasonerError,
    UsageError,
    ValidationFailed,
)
from caregraph.info import GraphInfo, graph_info
from caregraph.loading import find_data_files, load_graph, load_ontology, load_shapes, parse_file
from caregraph.netmap import gap_matrix, map_page, static_map
from caregraph.queries import (
    Catalogue,
    StoredQuery,
    load_catalogue,
    load_query,
    run_query,
    run_stored,
)
from caregraph.reasoning import Consistency, check_consistency, infer
from caregraph.reports import render
from caregraph.results import ResultTable
from caregraph.rules import load_checks, run_checks
from caregraph.store import GraphStore, OxigraphStore, RdflibStore, open_store
from caregraph.validation import Finding, ValidationReport, check_shapes, validate

__version__ = "0.1.0"

__all__ = [
    "CaregraphError",
    "Catalogue",
    "Consistency",
    "EndpointStore",
    "Finding",
    "GraphInfo",
    "GraphStore",
    "InputError",
    "OxigraphStore",
    "ParameterError",
    "QueryDefinitionError",
    "QueryError",
    "RdflibStore",
    "ReasonerError",
    "ResultTable",
    "StoredQuery",
    "UsageError",
    "ValidationFailed",
    "ValidationReport",
    "__version__",
    "check_consistency",
    "check_shapes",
    "find_data_files",
    "gap_matrix",
    "graph_info",
    "infer",
    "load_catalogue",
    "load_checks",
    "load_graph",
    "load_ontology",
    "load_query",
    "load_shapes",
    "map_page",
    "open_store",
    "parse_file",
    "render",
    "run_checks",
    "run_query",
    "run_stored",
    "static_map",
    "validate",
]
