"""A remote SPARQL 1.1 endpoint as a read-only graph store.

It takes the same stored queries as the local stores: parameters are bound by
the same ``VALUES`` row (see ``caregraph.binding``), so a query gives the same
rows on a city's triple store as on the bundled files. Nothing here is contacted
unless the user names an endpoint.
"""

from __future__ import annotations

import io
import urllib.error
import urllib.parse
import urllib.request
from typing import cast

import rdflib
from rdflib.query import Result
from rdflib.term import Node

from caregraph.binding import bind
from caregraph.deadline import run_with_deadline
from caregraph.errors import InputError, QueryError
from caregraph.guard import check_query
from caregraph.results import ResultTable
from caregraph.sparql_text import query_form
from caregraph.store import Bindings, QueryOutcome

_SRJ = "application/sparql-results+json"
_NTRIPLES = "application/n-triples"


class EndpointStore:
    """A SPARQL endpoint reached over HTTP (queries only; it is never updated)."""

    def __init__(self, url: str, timeout: float = 60.0, *, allow_network: bool = False) -> None:
        parsed = urllib.parse.urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise InputError(f"'{url}' is not an http(s) URL of a SPARQL endpoint.")
        self.url = url
        #: The overall limit of one request in seconds, however slowly the server answers.
        self.timeout = timeout
        #: Let queries call further endpoints with SERVICE (the server would do the calling).
        self.allow_network = allow_network

    def _post(self, sparql: str, accept: str) -> bytes:
        request = urllib.request.Request(
            self.url,
            data=sparql.encode("utf-8"),
            headers={"Content-Type": "application/sparql-query", "Accept": accept},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return cast(bytes, response.read())
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip()[:300]
            raise QueryError(
                f"The endpoint {self.url} refused the query (HTTP {exc.code}): {detail}"
            ) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise InputError(
                f"Cannot reach the SPARQL endpoint {self.url} ({reason}). Check the URL and that "
                "the server is running."
            ) from exc

    def query(self, sparql: str, bindings: Bindings | None = None) -> QueryOutcome:
        # An update must never leave caregraph: many servers run one sent as a query.
        check_query(sparql, allow_network=self.allow_network)
        text = bind(sparql, bindings)
        # The socket's timeout is per read; a server that drips one byte at a time is
        # stopped by the overall deadline.
        return run_with_deadline(lambda: self._ask(text), self.timeout, f"The endpoint {self.url}")

    def _ask(self, text: str) -> QueryOutcome:
        if query_form(text) in ("CONSTRUCT", "DESCRIBE"):
            graph = rdflib.Graph()
            try:
                graph.parse(data=self._post(text, _NTRIPLES).decode("utf-8"), format="nt")
            except Exception as exc:
                raise QueryError(
                    f"The endpoint {self.url} sent a graph caregraph cannot read: {exc}"
                ) from exc
            return graph
        body = self._post(text, _SRJ)
        try:
            result = Result.parse(io.BytesIO(body), format="json")
        except Exception as exc:
            raise QueryError(
                f"The endpoint {self.url} sent results caregraph cannot read: {exc}"
            ) from exc
        if result.type == "ASK":
            return bool(result.askAnswer)
        columns = [str(v) for v in result.vars or []]
        rows = [
            tuple(cast(Node | None, solution.get(rdflib.Variable(c))) for c in columns)
            for solution in result.bindings
        ]
        return ResultTable(columns, rows)

    def __bool__(self) -> bool:
        return True  # a store is never "empty" in a test of truth; len() would count it remotely

    def __len__(self) -> int:
        table = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        count = table.rows[0][0] if isinstance(table, ResultTable) and table.rows else None
        value = count.toPython() if isinstance(count, rdflib.Literal) else None
        if not isinstance(value, int) or isinstance(value, bool):
            raise QueryError(
                f"The endpoint {self.url} answered the triple count with {count!r}, not a "
                "whole number; check that the URL is a SPARQL 1.1 query endpoint."
            )
        return value
