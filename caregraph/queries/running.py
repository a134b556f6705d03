"""Running queries: stored ones with bound parameters, and ad-hoc SPARQL (never an Update)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from caregraph.datafiles import PathLike
from caregraph.namespaces import DEFAULT_PREFIXES
from caregraph.queries.catalogue import StoredQuery, find_query
from caregraph.queries.language import apply_lang, split_lang
from caregraph.queries.parameters import bind_parameters
from caregraph.results import ResultTable
from caregraph.sparql_text import declare_prefixes, undeclared
from caregraph.store import GraphStore, QueryOutcome, open_store, select


def with_default_prefixes(sparql: str) -> str:
    """Declare caregraph's usual prefixes (and rdf, rdfs, skos, ...) that the query leaves out."""
    return declare_prefixes(sparql, DEFAULT_PREFIXES)


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
    # Declared beside the text, not in it: errors then point into the user's own text.
    return store.query(sparql, prefixes=undeclared(sparql, DEFAULT_PREFIXES))


def run_stored(
    query: StoredQuery,
    store: GraphStore,
    params: Mapping[str, str] | None = None,
    *,
    lang: str | None = None,
) -> ResultTable:
    """Run a stored query on a store with the given parameter texts.

    Args:
        query: the stored query.
        store: where to run it.
        params: parameter texts by name; ``lang`` among them sets the answer's language.
        lang: the answer's language for ``*_label`` columns and computed texts (``?_lang``,
            see ``caregraph.queries.language``): ``"de"`` (default) or ``"en"``; also the
            language of a parameter's error message (default: English).
    """
    own, chosen = split_lang(params or {}, lang)
    # messages in the language asked for; a library call without one gets English
    bindings = bind_parameters(query, own, store, lang or "en")
    return select(store, apply_lang(query.sparql, chosen), bindings)


def run_query(
    name: str,
    /,
    *,
    data: Iterable[PathLike] | None = None,
    store: GraphStore | None = None,
    queries: Iterable[PathLike] | None = None,
    backend: str = "oxigraph",
    lang: str | None = None,
    **params: str,
) -> ResultTable:
    """Run the stored query ``name`` and return its rows.

    Args:
        name: the query id (its file name without ``.rq``).
        data: RDF files or folders to load (default: the bundled Dresden graph).
        store: an already loaded store to use instead of ``data``.
        queries: extra folders of stored queries.
        backend: ``"oxigraph"`` (default) or ``"rdflib"``.
        lang: the language of ``*_label`` columns and computed texts, ``"de"`` (default)
            or ``"en"``.
        **params: parameter values as text, e.g. ``district="Prohlis"``.

    Example:
        >>> rows = run_query("actors_in_district", district="Prohlis")
    """
    query = find_query(name, queries)
    store = store if store is not None else open_store(data, backend)
    return run_stored(query, store, params, lang=lang)
