"""Rows that become RDF terms when read, results written in pieces, and queries that stop
at their deadline between rows."""

from __future__ import annotations

import json
import threading
import time

import pytest
from rdflib import Literal, URIRef

import caregraph.results as results
from caregraph.deadline import check_deadline, deadline_at, run_with_deadline
from caregraph.errors import QueryTimeout
from caregraph.output import format_result, result_chunks
from caregraph.results import LazyRows, ResultTable
from caregraph.store import open_store

# A three-way product of the bundled graph: billions of rows, streamed one by one.
ENDLESS = "SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _counting_rows(n: int) -> tuple[LazyRows, list[int]]:
    converted: list[int] = []

    def convert(raw: int) -> tuple[URIRef, Literal]:
        converted.append(raw)
        return (URIRef(f"urn:x:{raw}"), Literal(raw))

    return LazyRows(list(range(n)), convert), converted


def test_lazy_rows_convert_only_what_is_read_and_once() -> None:
    rows, converted = _counting_rows(10_000)
    assert len(rows) == 10_000 and converted == []
    head = rows[:500]
    assert len(head) == 500 and converted == list(range(500))
    assert rows[-1] == (URIRef("urn:x:9999"), Literal(9999))
    assert rows[:3] == head[:3] and len(converted) == 501  # read rows are kept
    assert rows == [(URIRef(f"urn:x:{i}"), Literal(i)) for i in range(10_000)]
    assert len(converted) == 10_000


def test_oxigraph_tables_hold_the_same_rows_as_rdflib_ones() -> None:
    sparql = "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(!isBlank(?s) && !isBlank(?o)) }"
    table = open_store(backend="oxigraph").query(sparql)
    plain = open_store(backend="rdflib").query(sparql)
    assert isinstance(table, ResultTable) and isinstance(table.rows, LazyRows)
    assert isinstance(plain, ResultTable)
    assert len(table) == len(plain) > 1000
    assert set(table.rows) == set(plain.rows)


@pytest.mark.parametrize("fmt", ["csv", "excel", "tsv", "json", "sparql-tsv"])
def test_results_in_pieces_are_the_same_text(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store()
    table = store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 2500")
    assert isinstance(table, ResultTable)
    whole = format_result(table, fmt, store, "en")
    monkeypatch.setattr(results, "CHUNK_ROWS", 1000)
    pieces = list(result_chunks(table, fmt, store, "en"))
    assert len(pieces) >= 3 and "".join(pieces) == whole
    if fmt == "json":
        assert json.loads(whole) == table.to_dicts()
        assert whole == json.dumps(table.to_dicts(), ensure_ascii=False, indent=2) + "\n"


def test_empty_json_is_an_empty_list() -> None:
    assert ResultTable(["x"], []).to_json() == json.dumps([], indent=2) + "\n"


@pytest.mark.parametrize("backend", ["oxigraph", "rdflib"])
def test_a_query_stops_at_its_deadline(backend: str) -> None:
    store = open_store(backend=backend)
    with (
        deadline_at(time.monotonic() + 0.3, "too slow"),
        pytest.raises(QueryTimeout, match="too slow"),
    ):
        store.query(ENDLESS)
    check_deadline()  # outside the block: no deadline any more


def test_the_earliest_of_nested_deadlines_holds() -> None:
    with deadline_at(time.monotonic() - 1, "outer"):
        with (
            deadline_at(time.monotonic() + 3600, "inner"),
            pytest.raises(QueryTimeout, match="outer"),
        ):
            check_deadline()
        with deadline_at(None, "none"), pytest.raises(QueryTimeout, match="outer"):
            check_deadline()


def test_abandoned_work_stops_instead_of_running_on() -> None:
    store = open_store()
    with pytest.raises(QueryTimeout, match=r"did not finish within 0\.3 s"):
        run_with_deadline(lambda: store.query(ENDLESS), 0.3)
    # The helper thread ends at the next rows (before, it ran on for hours).
    workers = [t for t in threading.enumerate() if t.name == "caregraph-work"]
    for worker in workers:
        worker.join(60)
    assert not any(w.is_alive() for w in workers)
