"""Running queries: stored ones with bound parameters, and ad-hoc SPARQL (never an Update)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from caregraph.errors import UsageError
from caregraph.loading import PathLike
from caregraph.namespaces import DEFAULT_PREFIXES
from caregraph.queries.catalogue import StoredQuery, load_catalogue
from caregraph.queries.parameters import bind_parameters
from caregraph.results import ResultTable
from caregraph.sparql_text import is_update, prefixes, uses_service
from caregraph.store import GraphStore, QueryOutcome, open_store, select


def refuse_update(sparql: str) -> None:
    """Raise if ``sparql`` is a SPARQL Update: caregraph never changes the graph by query."""
    if is_update(sparql):
        raise UsageError(
            "This is a SPARQL Update (INSERT, DELETE, LOAD, CLEAR, ...). caregraph only reads "
            "the graph; change the data files instead."
        )


def refuse_service(sparql: str, allow_network: bool = False) -> None:
    """Raise if the query would call a remote endpoint (``SERVICE``) and that is not allowed."""
    if not allow_network and uses_service(sparql):
        raise UsageError(
            "The query calls a remote endpoint with SERVICE; caregraph does not reach the "
            "network unless --allow-network is given."
        )


def with_default_prefixes(sparql: str) -> str:
    """Declare caregraph's usual prefixes (and rdf, rdfs, skos, ...) that the query leaves out."""
    declared = prefixes(sparql)
    missing = {p: ns for p, ns in DEFAULT_PREFIXES.items() if p not in declared}
    # On the query's first line, so that error messages keep the user's line numbers.
    return "".join(f"PREFIX {p}: <{ns}> " for p, ns in missing.items()) + sparql


def run_sparql(sparql: str, store: GraphStore, *, allow_network: bool = False) -> QueryOutcome:
    """Run an ad-hoc SELECT, ASK, CONSTRUCT or DESCRIBE query; Update is refused.

    The usual prefixes (cg, cgv, dd, rdf, rdfs, skos, owl, xsd, dcterms, prov, org,
    schema, geo) need no declaration.

    Raises:
        UsageError: the text is a SPARQL Update, or calls SERVICE without allow_network.
        QueryError: the query does not parse or fails.
    """
    refuse_update(sparql)
    refuse_service(sparql, allow_network)
    return store.query(with_default_prefixes(sparql))


def run_stored(
    query: StoredQuery, store: GraphStore, params: Mapping[str, str] | None = None
) -> ResultTable:
    """Run a stored query on a store with the given parameter texts."""
    refuse_service(query.sparql)
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
