"""The runner's time and size limits, without a server."""

from __future__ import annotations

import asyncio
import threading

import pytest
import rdflib

from caregraph.errors import QueryTimeout, ResultTooLarge
from caregraph.results import ResultTable
from caregraph.web.limits import Limits, Runner


def test_timeout_gives_up_waiting_and_says_how_to_raise_it() -> None:
    runner = Runner(Limits(timeout=0.05, workers=1))
    release = threading.Event()

    async def main() -> None:
        await runner.call(release.wait, 5)

    with pytest.raises(QueryTimeout, match=r"time limit of 0.05 s.*--timeout"):
        asyncio.run(main())
    release.set()
    runner.close()


def test_result_within_time_is_returned() -> None:
    runner = Runner(Limits(timeout=5))
    assert asyncio.run(runner.call(sum, [1, 2, 3])) == 6
    runner.close()


def test_size_limit_on_tables_and_graphs() -> None:
    runner = Runner(Limits(max_rows=2))
    runner.check_size(ResultTable(["x"], [(None,), (None,)]))
    runner.check_size(True)
    with pytest.raises(ResultTooLarge, match="3 rows, more than the limit of 2"):
        runner.check_size(ResultTable(["x"], [(None,)] * 3))
    graph = rdflib.Graph()
    for i in range(3):
        graph.add((rdflib.URIRef(f"urn:x:{i}"), rdflib.RDF.type, rdflib.OWL.Thing))
    with pytest.raises(ResultTooLarge, match="3 triples"):
        runner.check_size(graph)
    runner.close()
