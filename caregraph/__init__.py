"""caregraph: a knowledge graph of Dresden's caring communities (Sorgende Gemeinschaften).

Everything the CLI does is one call here, e.g.::

    import caregraph
    rows = caregraph.run_query("responsibilities")
    report = caregraph.validate()
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:  # the same names; at run time each is imported on first use
    from caregraph.endpoint import EndpointStore
    from caregraph.export import EXPORT_FORMATS, export_graph
    from caregraph.info import GraphInfo, graph_info
    from caregraph.loading import (
        find_data_files,
        load_graph,
        load_ontology,
        load_shapes,
        parse_file,
    )
    from caregraph.persist import PersistentStore, load_store
    from caregraph.push import push_graph
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

#: Where each public name lives: importing ``caregraph`` stays cheap (no pySHACL, no
#: owlready2, no SPARQL parser until a command needs them), which keeps commands quick.
_WHERE: dict[str, str] = {
    "EndpointStore": "caregraph.endpoint",
    "EXPORT_FORMATS": "caregraph.export",
    "export_graph": "caregraph.export",
    "GraphInfo": "caregraph.info",
    "graph_info": "caregraph.info",
    "find_data_files": "caregraph.loading",
    "load_graph": "caregraph.loading",
    "load_ontology": "caregraph.loading",
    "load_shapes": "caregraph.loading",
    "parse_file": "caregraph.loading",
    "PersistentStore": "caregraph.persist",
    "load_store": "caregraph.persist",
    "push_graph": "caregraph.push",
    "Catalogue": "caregraph.queries",
    "StoredQuery": "caregraph.queries",
    "load_catalogue": "caregraph.queries",
    "load_query": "caregraph.queries",
    "run_query": "caregraph.queries",
    "run_stored": "caregraph.queries",
    "Consistency": "caregraph.reasoning",
    "check_consistency": "caregraph.reasoning",
    "infer": "caregraph.reasoning",
    "render": "caregraph.reports",
    "ResultTable": "caregraph.results",
    "load_checks": "caregraph.rules",
    "run_checks": "caregraph.rules",
    "GraphStore": "caregraph.store",
    "OxigraphStore": "caregraph.store",
    "RdflibStore": "caregraph.store",
    "open_store": "caregraph.store",
    "Finding": "caregraph.validation",
    "ValidationReport": "caregraph.validation",
    "check_shapes": "caregraph.validation",
    "validate": "caregraph.validation",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'caregraph' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_WHERE})


__version__ = "0.1.0"

__all__ = [
    "EXPORT_FORMATS",
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
    "PersistentStore",
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
    "export_graph",
    "find_data_files",
    "graph_info",
    "infer",
    "load_catalogue",
    "load_checks",
    "load_graph",
    "load_ontology",
    "load_query",
    "load_shapes",
    "load_store",
    "open_store",
    "parse_file",
    "push_graph",
    "render",
    "run_checks",
    "run_query",
    "run_stored",
    "validate",
]
