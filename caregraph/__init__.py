"""caregraph: a knowledge graph of Dresden's caring communities (Sorgende Gemeinschaften).

Everything the CLI does is one call here, e.g.::

    import caregraph
    rows = caregraph.run_query("responsibilities")
    report = caregraph.validate()

The names below are imported on first use (PEP 562), so ``import caregraph`` (and the
CLI's ``--help`` and shell completion) do not load pySHACL, owlready2 or rdflib's SPARQL
engine until a function needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from caregraph.lazy import lazy_exports

#: Public name to the module that defines it.
_EXPORTS: dict[str, str] = {
    "EndpointStore": "caregraph.endpoint",
    "CaregraphError": "caregraph.errors",
    "InputError": "caregraph.errors",
    "ParameterError": "caregraph.errors",
    "ParseError": "caregraph.errors",
    "QueryDefinitionError": "caregraph.errors",
    "QueryError": "caregraph.errors",
    "ReasonerError": "caregraph.errors",
    "UnreasonableGraph": "caregraph.errors",
    "GraphTooBig": "caregraph.errors",
    "UsageError": "caregraph.errors",
    "ValidationFailed": "caregraph.errors",
    "ServerError": "caregraph.errors",
    "VerificationFailed": "caregraph.errors",
    "EXPORT_FORMATS": "caregraph.export",
    "export_graph": "caregraph.export",
    "PersistentStore": "caregraph.persist",
    "load_store": "caregraph.persist",
    "push_graph": "caregraph.push",
    "GraphInfo": "caregraph.info",
    "graph_info": "caregraph.info",
    "find_data_files": "caregraph.loading",
    "load_graph": "caregraph.loading",
    "load_ontology": "caregraph.loading",
    "load_shapes": "caregraph.loading",
    "parse_file": "caregraph.loading",
    "gap_matrix": "caregraph.netmap",
    "map_page": "caregraph.netmap",
    "static_map": "caregraph.netmap",
    "Catalogue": "caregraph.queries",
    "StoredQuery": "caregraph.queries",
    "load_catalogue": "caregraph.queries",
    "load_query": "caregraph.queries",
    "run_query": "caregraph.queries",
    "run_stored": "caregraph.queries",
    "Consistency": "caregraph.reasoning",
    "check_consistency": "caregraph.reasoning",
    "infer": "caregraph.reasoning",
    "render": "caregraph.validation.reports",
    "ResultTable": "caregraph.results",
    "load_checks": "caregraph.validation.rules",
    "run_checks": "caregraph.validation.rules",
    "GraphStore": "caregraph.store",
    "OxigraphStore": "caregraph.store",
    "RdflibStore": "caregraph.store",
    "open_store": "caregraph.persist",
    "Finding": "caregraph.validation",
    "ValidationReport": "caregraph.validation",
    "check_shapes": "caregraph.validation",
    "validate": "caregraph.validation.pipeline",
}

__all__ = sorted([*_EXPORTS, "__version__"])

if TYPE_CHECKING:  # what type checkers and IDEs see; at run time __getattr__ imports
    from caregraph.endpoint import EndpointStore
    from caregraph.errors import (
        CaregraphError,
        GraphTooBig,
        InputError,
        ParameterError,
        ParseError,
        QueryDefinitionError,
        QueryError,
        ReasonerError,
        ServerError,
        UnreasonableGraph,
        UsageError,
        ValidationFailed,
        VerificationFailed,
    )
    from caregraph.export import EXPORT_FORMATS, export_graph
    from caregraph.info import GraphInfo, graph_info
    from caregraph.loading import (
        find_data_files,
        load_graph,
        load_ontology,
        load_shapes,
        parse_file,
    )
    from caregraph.netmap import gap_matrix, map_page, static_map
    from caregraph.persist import PersistentStore, load_store, open_store
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
    from caregraph.results import ResultTable
    from caregraph.store import GraphStore, OxigraphStore, RdflibStore
    from caregraph.validation import Finding, ValidationReport, check_shapes, validate
    from caregraph.validation.reports import render
    from caregraph.validation.rules import load_checks, run_checks

    __version__: str


_getattr, _dir = lazy_exports(__name__, _EXPORTS)


def __dir__() -> list[str]:
    return __all__


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from caregraph.resources import package_version

        return package_version()
    return _getattr(name)
