"""SPARQL CSV written by Oxigraph itself: the same bytes as through Python objects."""

from __future__ import annotations

import pytest

from caregraph.errors import ParameterError
from caregraph.native import stored_sparql_csv
from caregraph.output import format_result
from caregraph.queries import load_catalogue, run_stored
from caregraph.store import open_store

PARAMS = {"actor_profile": {"actor": "Sozialamt"}}


def test_every_stored_query_gives_the_same_bytes() -> None:
    store = open_store(None, "oxigraph")
    for query in load_catalogue():
        params = PARAMS.get(query.id, {})
        table = run_stored(query, store, params)
        native = stored_sparql_csv(query, store, params)
        assert native == format_result(table, "sparql-csv", store, "de"), query.id
        assert native is not None and native.count("\r\n") == len(table) + 1


def test_parameters_are_bound_as_for_run_stored() -> None:
    store = open_store(None, "oxigraph")
    query = load_catalogue().get("actors_in_district")
    text = stored_sparql_csv(query, store, {"district": "Prohlis"})
    table = run_stored(query, store, {"district": "Prohlis"})
    assert text == format_result(table, "sparql-csv", store, "de")
    assert text is not None and "dresden/sozialamt,Sozialamt,zuständig" in text
    with pytest.raises(ParameterError, match="Prohlitz"):
        stored_sparql_csv(query, store, {"district": "Prohlitz"})


def test_other_backends_fall_back_to_python_objects() -> None:
    query = load_catalogue().get("timeline")
    assert stored_sparql_csv(query, open_store(None, "rdflib")) is None
