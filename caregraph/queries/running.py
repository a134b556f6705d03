"""Running queries: stored ones with bound parameters, and ad-hoc SPARQL (never an Update)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from caregraph.loading import PathLike
from caregraph.namespaces import DEFAULT_PREFIXES
from caregraph.queries.catalogue import StoredQuery, load_catalogue
from caregraph.queries.parameters import bind_parameters
from caregraph.results import ResultTable
from caregraph.sparql_text import prefixes
from caregraph.store import GraphStore, QueryOutcome, open_store, select


def with_default_prefixes(sparql: str) -> str:
    """Declare caregraph's usual prefixes (and rdf, rdfs, skos, ...) that the query leaves out."""
    declared = prefixes(sparql)
    missing = {p: ns for p, ns in DEFAULT_PREFIXES.items() if p not in declared}
    # On the query's first line, so that error messages keep the user's line numbers.
    return "".join(f"PREFIX {p}: <{ns}> " for p, ns in missing.items()) + sparql


def run_sparql(sparql: str, store: GraphStore) -> QueryOutcome:
    """Run an ad-hoc SELECT, ASK, CONSTRUCT or DESCRIBE query; Update is refused.

    The usual prefixes (cg, cgv, dd, rdf, rdfs, skos, owl, xsd, dcterms, prov, org,
    schema, geo) need no declaration. What runs is decided by the store's guard
    (``caregraph.guard``): SERVICE only on a store opened with ``allow_network=True``.

    Raises:
        UsageError: the text is a SPARQL Update, or calls SERVICE on a store that does
            not allow the network.
        QueryError: the query does not parse, nests too deeply, fails or times out.
    """
    return store.query(with_default_prefixes(sparql))


def run_stored(
    query: StoredQuery, store: GraphStore, params: Mapping[str, str] | None = None
) -> ResultTable:
    """Run a stored query on a store with the given parameter texts."""
    bindings = bind_parameters(query, params or {}, store)
    return select(store, query.sparql, bindings)


def run_query(
    name: str,
    /,
    *,
    data: Iterable[PathLike] | None = None,
    store: GraphStore | None = None,
    queries: Iterable[PathLike] | None = None,
    backend: str = "oxigraph",
    **params: str,
) -> ResultTable:
    """Run the stored query ``name`` and return its rows.

    Args:
        name: the query id (its file name without ``.rq``).
        data: RDF files or folders to load (default: the bundled Dresden graph).
        store: an already loaded store to use instead of ``data``.
        queries: extra folders of stored queries.
        backend: ``"oxigraph"`` (default) or ``"rdflib"``.
        **params: parameter values as text, e.g. ``district="Prohlis"``.

    Example:
        >>> rows = run_query("actors_in_district", district="Prohlis")
    """
    query = load_catalogue(queries).get(name)
    return run_stored(query, store if store is not None else open_store(data, backend), params)
