"""Time and size limits for the queries the web app runs.

Queries run in a small pool of worker threads. A request waits at most ``timeout``
seconds for its query (time waiting for a free worker included) and then gets an error.
The abandoned query stops too: it runs under that deadline (``caregraph.deadline``), and
the stores look at it between rows, so its worker is free again at the next row. Neither
Oxigraph nor rdflib can be interrupted inside one engine step that returns no row (sorting
or grouping all solutions, building a join's hash table); the queries readers write
(``/sparql``) therefore run in a child process that is killed at the limit
(``in_child``). The pool's size bounds how many queries run at once, so a flood of slow
queries makes the server answer "busy", never run out of threads.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

import rdflib

from caregraph.deadline import deadline_at
from caregraph.errors import QueryTimeout, ResultTooLarge
from caregraph.results import ResultTable

T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    """What the server allows per request.

    Attributes:
        timeout: seconds a query may take (stored queries, /sparql, the API, pages).
        max_rows: most rows of a SELECT result (or triples of a graph result).
        max_request_bytes: largest request body (a POSTed SPARQL query).
        max_url_bytes: longest path plus query string.
        page_rows: most rows an HTML table shows (downloads hold all rows).
        workers: queries that may run at the same time.
    """

    timeout: float = 10.0
    max_rows: int = 10_000
    max_request_bytes: int = 100_000
    max_url_bytes: int = 8_000
    page_rows: int = 500
    workers: int = 4


class Runner:
    """Runs blocking store calls in worker threads, within the time limit."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.pool = ThreadPoolExecutor(max_workers=limits.workers, thread_name_prefix="query")

    async def call(self, function: Callable[..., T], *args: object, in_child: bool = False) -> T:
        """Run ``function(*args)`` in a worker and return its result.

        Args:
            function: what to run (its queries stop at the time limit).
            args: its arguments.
            in_child: run its Oxigraph queries in a child process that is killed at the
                limit, even inside a sort or a grouping (for queries the reader writes).

        Raises:
            QueryTimeout: it did not finish within ``limits.timeout`` seconds.
        """
        message = (
            f"The query did not finish within the time limit of {self.limits.timeout:g} s. "
            "Narrow it (parameters, LIMIT, fewer patterns) or ask the operator to raise "
            "the limit (caregraph serve --timeout)."
        )
        limit = time.monotonic() + self.limits.timeout
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(
            self.pool, functools.partial(_within, limit, message, in_child, function, *args)
        )
        try:
            return await asyncio.wait_for(future, self.limits.timeout)
        except TimeoutError:
            raise QueryTimeout(message) from None

    def check_size(self, outcome: object) -> None:
        """Refuse a result with more rows or triples than ``limits.max_rows``.

        Raises:
            ResultTooLarge: the result is too large.
        """
        size = len(outcome) if isinstance(outcome, ResultTable | rdflib.Graph) else 0
        if size > self.limits.max_rows:
            what = "rows" if isinstance(outcome, ResultTable) else "triples"
            raise ResultTooLarge(
                f"The result has {size} {what}, more than the limit of {self.limits.max_rows}. "
                "Narrow the query (parameters, LIMIT) or ask the operator to raise the limit "
                "(caregraph serve --max-rows)."
            )

    def close(self) -> None:
        """Stop taking work (running queries finish in the background)."""
        self.pool.shutdown(wait=False, cancel_futures=True)


def _within(
    limit: float, message: str, in_child: bool, function: Callable[..., T], *args: object
) -> T:
    """``function(*args)`` under the deadline ``limit``: past it, the stores stop at the
    next row (``caregraph.deadline.check_deadline``) with ``message``, or kill the child
    process of a query (``in_child``)."""
    with deadline_at(limit, message, in_child=in_child):
        return function(*args)
