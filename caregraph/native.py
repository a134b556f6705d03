"""Stored queries answered in a W3C result format written by Oxigraph itself.

For big results most of a query's time goes into turning every row into Python
objects; when the answer is only to be written out as SPARQL CSV, Oxigraph can write it
directly, with the same bytes (this is what keeps ``caregraph --store DIR query NAME
--format sparql-csv`` close to Oxigraph's own command line; see benchmarks/README.md).
"""

from __future__ import annotations

from collections.abc import Mapping

from caregraph.binding import bind
from caregraph.persist import PersistentStore
from caregraph.prepared import prepared_key, save_prepared
from caregraph.queries import StoredQuery, bind_parameters
from caregraph.queries.language import apply_lang, split_lang
from caregraph.store import GraphStore, OxigraphStore


def stored_sparql_csv(
    query: StoredQuery,
    store: GraphStore,
    params: Mapping[str, str] | None = None,
    *,
    lang: str | None = None,
    prepare: bool = False,
) -> str | None:
    """The rows of a stored query as W3C SPARQL CSV (labels in ``lang``, as ``run_stored``),
    or ``None`` where Oxigraph cannot write them itself (another backend, an endpoint); then
    use ``run_stored``. With ``prepare``, on a persistent store, the SPARQL text it ran is
    kept as a prepared query (``caregraph.prepared``) for the quick path of the next same
    call of ``caregraph query``.

    Raises:
        ParameterError: a parameter is unknown or does not fit.
        QueryError: the query failed.
    """
    if not isinstance(store, OxigraphStore):
        return None
    own, chosen = split_lang(params or {}, lang)
    sparql = apply_lang(query.sparql, chosen)
    bindings = bind_parameters(query, own, store, lang or "en")
    rows = store.sparql_csv(sparql, bindings)
    if prepare and rows is not None and type(store) is PersistentStore:
        key = prepared_key(query.sha256, own, chosen)
        save_prepared(store.generation, key, bind(sparql, bindings))
    return rows
