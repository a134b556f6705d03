"""Rows that become RDF terms when read, results written in pieces, and queries that stop
at their deadline between rows."""

from __future__ import annotations

import json
import os
import threading
import time

import pytest
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.compare import isomorphic

import caregraph.results as results
from caregraph.deadline import check_deadline, deadline_at, run_with_deadline
from caregraph.errors import QueryError, QueryTimeout
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
    # Other tests in this process may have left workers of their own (a sort that cannot
    # stop in a thread finishes its step first); only this test's worker is judged.
    earlier = set(threading.enumerate())
    with pytest.raises(QueryTimeout, match=r"did not finish within 0\.3 s"):
        run_with_deadline(lambda: store.query(ENDLESS), 0.3)
    # The helper thread ends at the next rows (before, it ran on for hours).
    workers = [t for t in threading.enumerate() if t.name == "caregraph-work" and t not in earlier]
    for worker in workers:
        worker.join(60)
    assert not any(w.is_alive() for w in workers)


# A count over a three-way product: one engine step that returns no row for hours.
SORTING_FOR_HOURS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_a_query_in_a_child_is_killed_inside_a_step_that_gives_no_row() -> None:
    store = open_store()
    before = _children()
    with (
        deadline_at(time.monotonic() + 0.5, "killed", in_child=True),
        pytest.raises(QueryTimeout, match="killed"),
    ):
        store.query(SORTING_FOR_HOURS)
    assert _children() <= before  # killed and reaped: no new child is left


def _children() -> set[str]:
    """The process ids of this process's children (live or not yet reaped)."""
    found: set[str] = set()
    for task in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{task}/children", encoding="ascii") as listing:
                found.update(listing.read().split())
        except FileNotFoundError:  # the thread ended since the folder was listed
            continue
    return found


@pytest.mark.parametrize(
    "sparql",
    [
        "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o",
        "ASK { ?s a <https://w3id.org/caregraph/ontology#Measure> }",
        "ASK { ?s a <urn:nothing> }",
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(isLiteral(?o)) }",
    ],
)
def test_a_query_in_a_child_gives_what_it_gives_in_the_thread(sparql: str) -> None:
    store = open_store()
    here = store.query(sparql)
    with deadline_at(time.monotonic() + 600, "slow", in_child=True):
        there = store.query(sparql)
    if isinstance(here, ResultTable):
        assert isinstance(there, ResultTable) and there.columns == here.columns
        assert len(there) == len(here) > 100
        # Blank node labels are the engine's own in both; everything else is equal.
        assert [r for r in there.rows if not any(isinstance(t, BNode) for t in r)] == [
            r for r in here.rows if not any(isinstance(t, BNode) for t in r)
        ]
    elif isinstance(here, bool):
        assert there is here
    else:
        assert isinstance(there, rdflib.Graph) and isomorphic(there, here) and len(here) > 100


def test_errors_of_a_query_in_a_child_read_as_in_the_thread() -> None:
    store = open_store()
    with pytest.raises(QueryError) as here:
        store.query("SELECT ?s WHERE { ?s ?p }")
    with (
        deadline_at(time.monotonic() + 600, "slow", in_child=True),
        pytest.raises(QueryError) as there,
    ):
        store.query("SELECT ?s WHERE { ?s ?p }")
    assert str(there.value) == str(here.value) and "syntax error" in str(here.value)
