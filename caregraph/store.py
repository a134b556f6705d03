"""One small interface for running SPARQL over a graph, whatever holds it.

``RdflibStore`` keeps the graph in rdflib (what pySHACL needs); ``OxigraphStore``
keeps it in pyoxigraph, which is much faster on large graphs. Both take the same
queries, bind parameters as RDF terms (a VALUES row, see ``caregraph.binding``) and return
the same result types, so callers never care which one they have.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol, TypeVar, runtime_checkable
from typing import Literal as TypingLiteral

import pyoxigraph as ox
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from caregraph import resources
from caregraph.binding import bind
from caregraph.choices import BACKENDS
from caregraph.deadline import check_deadline, run_in_child, run_with_deadline, wants_child
from caregraph.errors import InputError, ParseError, QueryError, UsageError
from caregraph.guard import check_query
from caregraph.loading import (
    PathLike,
    find_data_files,
    format_for,
    parse_file,
    read_rdf_text,
)
from caregraph.results import LazyRows, ResultTable, Row

BackendName = TypingLiteral["oxigraph", "rdflib"]

_T = TypeVar("_T")
Bindings = Mapping[str, Node]
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
QueryOutcome = ResultTable | bool | rdflib.Graph
#: Rows read between two looks at the deadline (``caregraph.deadline.check_deadline``).
_CHECK_EVERY = 256


@runtime_checkable
class GraphStore(Protocol):
    """What every graph backend offers."""

    def query(
        self,
        sparql: str,
        bindings: Bindings | None = None,
        *,
        prefixes: Mapping[str, str] | None = None,
    ) -> QueryOutcome:
        """Run a SELECT, ASK, CONSTRUCT or DESCRIBE query with pre-bound variables.

        ``prefixes`` are declared for the query without changing its text, so that a
        syntax error is reported at its place in the text the user wrote.
        """
        ...

    def __len__(self) -> int:
        """The number of triples."""
        ...


def select(store: GraphStore, sparql: str, bindings: Bindings | None = None) -> ResultTable:
    """Run a query that must be a SELECT and return its table."""
    outcome = store.query(sparql, bindings)
    if not isinstance(outcome, ResultTable):
        raise QueryError("This query is not a SELECT query; it returns no table.")
    return outcome


def guarded(
    sparql: str,
    bindings: Bindings | None,
    run: Callable[[str], _T],
    *,
    allow_network: bool,
    timeout: float | None,
    what: str = "The query",
) -> _T:
    """What every backend does with a query before its engine sees it.

    The guard (``caregraph.guard``: no update, no SERVICE unless allowed, bounded nesting)
    judges the text as written, the bindings are fixed as a VALUES row, and ``run`` gets
    the result under the time limit (``caregraph.deadline``).
    """
    check_query(sparql, allow_network=allow_network)
    text = bind(sparql, bindings)
    return run_with_deadline(lambda: run(text), timeout, what)


class RdflibStore:
    """A graph held by rdflib.

    Attributes:
        allow_network: let SERVICE in queries call remote endpoints.
        timeout: the time limit of one query in seconds (None: no limit).
    """

    def __init__(
        self,
        graph: rdflib.Graph | None = None,
        *,
        allow_network: bool = False,
        timeout: float | None = None,
    ) -> None:
        self.graph = graph if graph is not None else rdflib.Graph()
        self.allow_network = allow_network
        self.timeout = timeout

    def load(self, path: PathLike, *, allow_network: bool = False) -> None:
        """Parse one RDF file into the store."""
        parse_file(path, self.graph, allow_network=allow_network)

    def __len__(self) -> int:
        return len(self.graph)

    def query(
        self,
        sparql: str,
        bindings: Bindings | None = None,
        *,
        prefixes: Mapping[str, str] | None = None,
    ) -> QueryOutcome:
        return guarded(
            sparql,
            bindings,
            lambda text: self._run(text, prefixes or {}),
            allow_network=self.allow_network,
            timeout=self.timeout,
        )

    def _run(self, text: str, prefixes: Mapping[str, str]) -> QueryOutcome:
        # rdflib evaluates lazily: errors (a bad GROUP BY, even a RecursionError) can
        # surface while the rows are read, so the rows are read inside the try.
        try:
            result = self.graph.query(text, initNs=dict(prefixes))
            if result.type == "SELECT":
                columns = [str(v) for v in (result.vars or [])]
                return ResultTable(columns, [tuple(row) for row in _checked(result)])  # type: ignore[arg-type]
            if result.type == "ASK":
                return bool(result.askAnswer)
            graph = rdflib.Graph()
            for triple in _checked(result):
                graph.add(triple)  # type: ignore[arg-type]
            return graph
        except QueryError:  # the deadline passed (check_deadline)
            raise
        except Exception as exc:  # pyparsing and evaluation errors have no common base
            raise QueryError(f"The SPARQL query failed: {_short(str(exc))}") from exc


def _checked(items: Iterable[_T]) -> Iterator[_T]:
    """``items``, looking at the thread's deadline every few hundred (the engines read
    lazily, so a query past its time stops here instead of running on)."""
    for number, item in enumerate(items):
        if number % _CHECK_EVERY == 0:
            check_deadline()
        yield item


def simple(term: Node | None) -> Node | None:
    """``"x"^^xsd:string`` as the simple literal ``"x"``.

    In RDF 1.1 the two are one term, but rdflib tells them apart; Oxigraph and Virtuoso
    (for some strings) give the typed form, rdflib the simple one.
    """
    if (
        isinstance(term, Literal)
        and term.datatype is not None
        and str(term.datatype) == _XSD_STRING
    ):
        return Literal(str(term))
    return term


def _short(message: str, limit: int = 240) -> str:
    """Oxigraph lists every expected character range on a syntax error; keep the start."""
    message = " ".join(message.split())
    if "Prefix not found" in message:
        place = re.match(r"(error at \d+:\d+)", message)
        return (
            place.group(1) + ": " if place else ""
        ) + "a prefixed name uses an undeclared prefix"
    return message if len(message) <= limit else message[:limit].rstrip() + " …"


def to_rdflib(term: object) -> Node | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return simple(Literal(term.value, datatype=URIRef(term.datatype.value)))
    raise QueryError(f"caregraph cannot represent the RDF term {term!r}.")


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as a pyoxigraph term.

    Raises:
        InputError: ``term`` is not an RDF term (e.g. a variable).
    """
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise InputError(f"caregraph cannot represent the RDF term {term!r}.")


def _row(solution: ox.QuerySolution) -> Row:
    return tuple(to_rdflib(term) for term in solution)


class OxigraphStore:
    """A graph held in a pyoxigraph store (in memory unless an on-disk one is given).

    Attributes:
        allow_network: let SERVICE in queries call remote endpoints.
        timeout: the time limit of one query in seconds (None: no limit).
    """

    #: Whether queries see the named graphs too (a persistent store keeps the ontology in one).
    union_default_graph = False
    #: Whether a query may run in a forked child that is killed at its deadline (an
    #: in-memory store: the child sees it as it was; not an open on-disk database).
    forkable = True

    def __init__(
        self,
        store: ox.Store | None = None,
        *,
        allow_network: bool = False,
        timeout: float | None = None,
    ) -> None:
        self.store = store if store is not None else ox.Store()
        self.allow_network = allow_network
        self.timeout = timeout

    def load(self, path: PathLike, *, allow_network: bool = False) -> None:
        """Parse one RDF file into the store (its quads all go to the default graph)."""
        path = Path(path)
        fmt = format_for(path)
        # The same text and parser policy as rdflib's path (byte-order mark, network,
        # entities, nesting), so that both backends accept and refuse the same files.
        text = read_rdf_text(path, allow_network=allow_network)
        if not text.strip():
            return
        ox_format = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower())
        if ox_format is None:  # e.g. .owl: Oxigraph knows it only as RDF/XML
            ox_format = ox.RdfFormat.RDF_XML
        try:
            self.store.bulk_load(
                input=text.encode("utf-8"),
                format=ox_format,
                base_iri=path.resolve().as_uri(),
                to_graph=None if fmt.quads else ox.DefaultGraph(),
            )
            if fmt.quads:
                self._merge_named_graphs()
        except SyntaxError as exc:
            why = re.sub(r"^Parser error (at|between) [^:]*: ", "", str(exc.msg))
            raise ParseError(path, fmt.name, why, exc.lineno, exc.offset) from exc
        except (OSError, MemoryError) as exc:
            raise InputError(f"{path}: cannot read the file ({exc}).") from exc

    def _merge_named_graphs(self) -> None:
        for quad in list(self.store.quads_for_pattern(None, None, None, None)):
            if not isinstance(quad.graph_name, ox.DefaultGraph):
                self.store.add(ox.Quad(quad.subject, quad.predicate, quad.object))
                self.store.remove(quad)

    def __len__(self) -> int:
        return len(self.store)

    def query(
        self,
        sparql: str,
        bindings: Bindings | None = None,
        *,
        prefixes: Mapping[str, str] | None = None,
    ) -> QueryOutcome:
        return guarded(
            sparql,
            bindings,
            lambda text: self._guarded(lambda t: self._run(t, prefixes), text),
            allow_network=self.allow_network,
            timeout=self.timeout,
        )

    def sparql_csv(self, sparql: str, bindings: Bindings | None = None) -> str | None:
        """A SELECT's rows as W3C SPARQL CSV, written by Oxigraph itself.

        The same bytes as ``format_result(table, "sparql-csv", ...)``, without turning
        each row into Python objects first (on big results most of the time). ``None`` if
        the query is not a SELECT.
        """
        return guarded(
            sparql,
            bindings,
            lambda text: self._guarded(self._csv, text),
            allow_network=self.allow_network,
            timeout=self.timeout,
        )

    def _csv(self, sparql: str) -> str | None:
        result = self.store.query(sparql, use_default_graph_as_union=self.union_default_graph)
        if not isinstance(result, ox.QuerySolutions):
            return None
        return (result.serialize(format=ox.QueryResultsFormat.CSV) or b"").decode("utf-8")

    def _guarded(self, run: Callable[[str], _T], text: str) -> _T:
        try:
            # Oxigraph evaluates lazily: errors can surface while iterating, so all of it
            # happens inside the try.
            return run(text)
        except SyntaxError as exc:
            raise QueryError(f"The SPARQL query has a syntax error: {_short(str(exc))}") from exc
        except QueryError:
            raise
        except Exception as exc:  # also MemoryError: Oxigraph's buffers have a maximal size
            raise QueryError(f"The SPARQL query failed: {_short(str(exc))}") from exc

    def _run(self, sparql: str, prefixes: Mapping[str, str] | None) -> QueryOutcome:
        if self.forkable and wants_child():
            return self._outcome(self._in_child(sparql, prefixes))
        return self._outcome(self._engine_query(sparql, prefixes))

    def _engine_query(self, sparql: str, prefixes: Mapping[str, str] | None) -> Any:
        return self.store.query(
            sparql,
            prefixes=dict(prefixes) if prefixes else None,
            use_default_graph_as_union=self.union_default_graph,
        )

    def _in_child(self, sparql: str, prefixes: Mapping[str, str] | None) -> Any:
        """The engine's answer, computed in a child process that is killed at the deadline
        (``caregraph.deadline.run_in_child``) and sent back in the W3C result formats."""

        def work() -> bytes:
            result = self._engine_query(sparql, prefixes)
            if isinstance(result, ox.QueryBoolean):
                return b"A1" if result else b"A0"
            if isinstance(result, ox.QuerySolutions):
                return b"S" + (result.serialize(format=ox.QueryResultsFormat.JSON) or b"")
            return b"G" + (ox.serialize(result, format=ox.RdfFormat.N_TRIPLES) or b"")

        reply = run_in_child(work)
        if reply[:1] == b"A":
            return reply == b"A1"
        if reply[:1] == b"S":
            return ox.parse_query_results(reply[1:], format=ox.QueryResultsFormat.JSON)
        return ox.parse(reply[1:], format=ox.RdfFormat.N_TRIPLES)

    def _outcome(self, result: Any) -> QueryOutcome:
        if isinstance(result, bool | ox.QueryBoolean):
            return bool(result)
        if isinstance(result, ox.QuerySolutions):
            columns = [v.value for v in result.variables]
            # The rows become rdflib terms when read (a page reads 500 of 75,000).
            return ResultTable(columns, LazyRows(list(_checked(result)), _row))
        graph = rdflib.Graph()
        for triple in _checked(result):
            graph.add(
                (
                    to_rdflib(triple.subject),
                    to_rdflib(triple.predicate),
                    to_rdflib(triple.object),
                )  # type: ignore[arg-type]
            )
        return graph


class UnionOxigraphStore(OxigraphStore):
    """An Oxigraph store whose queries see all its graphs as the default graph."""

    union_default_graph = True


def open_store(
    paths: Iterable[PathLike] | None = None,
    backend: str = "oxigraph",
    *,
    ontology: bool = True,
    allow_network: bool = False,
    timeout: float | None = None,
) -> RdflibStore | OxigraphStore:
    """Load RDF files (default: the bundled Dresden graph) into a store of the given backend.

    Args:
        paths: files or folders to load.
        backend: ``"oxigraph"`` or ``"rdflib"``.
        allow_network: let parsers fetch remote JSON-LD contexts and XML entities, and
            queries call remote endpoints with SERVICE.
        timeout: the time limit of each query in seconds (None: no limit).
        ontology: also load caregraph's ontology, so that queries see class
            hierarchies and the labels of classes and SKOS concepts.

    Raises:
        InputError: a file is missing or unparsable.
        UsageError: the backend name is unknown.
    """
    store: RdflibStore | OxigraphStore
    if backend == "oxigraph":
        store = OxigraphStore(allow_network=allow_network, timeout=timeout)
    elif backend == "rdflib":
        store = RdflibStore(allow_network=allow_network, timeout=timeout)
    else:
        raise UsageError(f"Unknown backend '{backend}'; choose one of: {', '.join(BACKENDS)}.")
    files = find_data_files(paths)
    if ontology:
        files = [resources.ontology_path(), *(f for f in files if f != resources.ontology_path())]
    for path in files:
        store.load(path, allow_network=allow_network)
    return store
