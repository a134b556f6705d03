"""One small interface for running SPARQL over a graph, whatever holds it.

``RdflibStore`` keeps the graph in rdflib (what pySHACL needs); ``OxigraphStore``
keeps it in pyoxigraph, which is much faster on large graphs. Both take the same
queries, bind parameters as RDF terms (a VALUES row, see ``caregraph.binding``) and return
the same result types, so callers never care which one they have.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Literal as TypingLiteral
from typing import Protocol, runtime_checkable

import pyoxigraph as ox
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from caregraph import resources
from caregraph.binding import bind
from caregraph.deadline import run_with_deadline
from caregraph.errors import InputError, ParseError, QueryError, UsageError
from caregraph.guard import check_query
from caregraph.loading import (
    PathLike,
    find_data_files,
    format_for,
    parse_file,
    read_rdf_text,
)
from caregraph.results import ResultTable

BackendName = TypingLiteral["oxigraph", "rdflib"]
BACKENDS: tuple[str, ...] = ("oxigraph", "rdflib")

Bindings = Mapping[str, Node]
QueryOutcome = ResultTable | bool | rdflib.Graph


@runtime_checkable
class GraphStore(Protocol):
    """What every graph backend offers."""

    def query(self, sparql: str, bindings: Bindings | None = None) -> QueryOutcome:
        """Run a SELECT, ASK, CONSTRUCT or DESCRIBE query with pre-bound variables."""
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

    def query(self, sparql: str, bindings: Bindings | None = None) -> QueryOutcome:
        check_query(sparql, allow_network=self.allow_network)
        text = bind(sparql, bindings)
        return run_with_deadline(lambda: self._run(text), self.timeout)

    def _run(self, text: str) -> QueryOutcome:
        # rdflib evaluates lazily: errors (even a RecursionError) can surface while the
        # rows are read, so the rows are read inside the try.
        try:
            result = self.graph.query(text)
            if result.type == "SELECT":
                columns = [str(v) for v in (result.vars or [])]
                return ResultTable(columns, [tuple(row) for row in result])  # type: ignore[arg-type]
            if result.type == "ASK":
                return bool(result.askAnswer)
            graph = rdflib.Graph()
            for triple in result:
                graph.add(triple)  # type: ignore[arg-type]
            return graph
        except Exception as exc:  # pyparsing and evaluation errors have no common base
            raise QueryError(f"The SPARQL query failed: {_short(str(exc))}") from exc


def _short(message: str, limit: int = 240) -> str:
    """Oxigraph lists every expected character range on a syntax error; keep the start."""
    message = " ".join(message.split())
    if "Prefix not found" in message:
        place = re.match(r"(error at \d+:\d+)", message)
        return (
            place.group(1) + ": " if place else ""
        ) + "a prefixed name uses an undeclared prefix"
    return message if len(message) <= limit else message[:limit].rstrip() + " …"


def _to_rdflib(term: object) -> Node | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise QueryError(f"caregraph cannot represent the RDF term {term!r}.")


class OxigraphStore:
    """A graph held in an in-memory pyoxigraph store.

    Attributes:
        allow_network: let SERVICE in queries call remote endpoints.
        timeout: the time limit of one query in seconds (None: no limit).
    """

    def __init__(self, *, allow_network: bool = False, timeout: float | None = None) -> None:
        self.store = ox.Store()
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

    def query(self, sparql: str, bindings: Bindings | None = None) -> QueryOutcome:
        check_query(sparql, allow_network=self.allow_network)
        text = bind(sparql, bindings)
        return run_with_deadline(lambda: self._guarded(text), self.timeout)

    def _guarded(self, text: str) -> QueryOutcome:
        try:
            # Oxigraph evaluates lazily: errors can surface while iterating, so all of it
            # happens inside the try.
            return self._run(text)
        except SyntaxError as exc:
            raise QueryError(f"The SPARQL query has a syntax error: {_short(str(exc))}") from exc
        except QueryError:
            raise
        except Exception as exc:  # also MemoryError: Oxigraph's buffers have a maximal size
            raise QueryError(f"The SPARQL query failed: {_short(str(exc))}") from exc

    def _run(self, sparql: str) -> QueryOutcome:
        result = self.store.query(sparql)
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        if isinstance(result, ox.QuerySolutions):
            columns = [v.value for v in result.variables]
            rows = [tuple(_to_rdflib(sol[c]) for c in columns) for sol in result]
            return ResultTable(columns, rows)
        graph = rdflib.Graph()
        for triple in result:
            graph.add(
                (
                    _to_rdflib(triple.subject),
                    _to_rdflib(triple.predicate),
                    _to_rdflib(triple.object),
                )  # type: ignore[arg-type]
            )
        return graph


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
