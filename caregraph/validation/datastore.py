"""The data of one validation run: written once for the SHACL engine, loaded once into Oxigraph.

``load_data`` streams the data files (read by Oxigraph's parser: a million triples never
become an rdflib graph) with the ontology's logic into one N-Triples file, the input of the
``shacl`` engine, and bulk-loads that file into one Oxigraph store. The layers then read
that store instead of the files:

- the shapes layer labels its findings through ``SharedData.view``, which sees exactly the
  engine's input (ontology logic and data);
- the rules layer runs its checks on ``SharedData.sparql_store()``: the data and the whole
  ontology, as if both had been loaded from their files;
- the ontology layer's rules read ``SharedData.whole_store()`` (every graph of it);
- ``SharedData.store`` is there for any other layer that reads the data with SPARQL.

In the store, the default graph holds the ontology's logic and the data; the rest of the
ontology (its documentation: labels, definitions) is in the named graph
``DOCUMENTATION_GRAPH``, without the statements the data repeats, so the union of both graphs
is data plus ontology with no statement twice.

The engine renames blank nodes: a marker triple per blank node of the data
(``_:b <urn:caregraph:blank-node> "b"``, in the file only) lets its results be traced back.
"""

from __future__ import annotations

import functools
import mmap
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, TypeVar

import pyoxigraph as ox
import rdflib
from rdflib import BNode, URIRef
from rdflib.term import Node

from caregraph.errors import InputError
from caregraph.loading import oxigraph_format, parse_file
from caregraph.store import OxigraphStore, UnionOxigraphStore, to_oxigraph, to_rdflib

#: The property of the marker triples that name each blank node of the engine's input.
MARKER = URIRef("urn:caregraph:blank-node")
#: The named graph of the ontology statements that are not in the engine's input.
DOCUMENTATION_GRAPH = ox.NamedNode("urn:caregraph:graph:ontology-documentation")
T = TypeVar("T")

#: A blank node label as Oxigraph and rdflib write them in N-Triples. Also found inside a
#: literal or an IRI, which only adds a marker for a blank node that does not exist.
_BLANK_LABEL = re.compile(rb"_:([A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?)")


class StoreView:
    """The lookups that findings need (labels, blank-node parents), on an Oxigraph store.

    Behaves like the two ``rdflib.Graph`` methods of the same names, so labels and focus
    descriptions work on either. It sees the store's default graph; blank nodes are named
    by their labels in the engine's input (``blanks``), not by the store's own.
    """

    def __init__(
        self,
        store: ox.Store,
        blanks: dict[str, ox.BlankNode] | None = None,
        repaired: dict[str, str] | None = None,
    ) -> None:
        self.store = store
        self.blanks = blanks or {}
        self.labels = {node.value: label for label, node in self.blanks.items()}
        self.repaired = repaired or {}
        self.written = {original: written for written, original in self.repaired.items()}

    def _term(self, term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal | None:
        if isinstance(term, URIRef):
            return ox.NamedNode(self.written.get(str(term), str(term)))
        if isinstance(term, BNode):
            return self.blanks.get(str(term))
        return to_oxigraph(term)

    def _back(self, term: object) -> Node:
        if isinstance(term, ox.NamedNode) and term.value in self.repaired:
            return URIRef(self.repaired[term.value])
        if isinstance(term, ox.BlankNode) and term.value in self.labels:
            return BNode(self.labels[term.value])
        return to_rdflib(term)  # type: ignore[return-value]

    def objects(self, subject: Node, predicate: Node) -> Iterator[Node]:
        """The objects of ``subject predicate ?o``."""
        start = self._term(subject)
        if start is None or isinstance(start, ox.Literal):
            return
        for quad in self.store.quads_for_pattern(
            start, ox.NamedNode(str(predicate)), None, ox.DefaultGraph()
        ):
            yield self._back(quad.object)

    def subject_predicates(self, obj: Node) -> Iterator[tuple[Node, Node]]:
        """The subjects and predicates of ``?s ?p obj``."""
        end = self._term(obj)
        if end is None:
            return
        for quad in self.store.quads_for_pattern(None, None, end, ox.DefaultGraph()):
            yield self._back(quad.subject), to_rdflib(quad.predicate)  # type: ignore[misc]


@dataclass
class SharedData:
    """The engine's input file and the one store of the data, for every layer that reads it.

    Attributes:
        path: the N-Triples file (ontology logic, data, a marker triple per blank node).
        view: labels and blank-node parents of the data, for the findings.
        repaired: IRIs the engine would refuse (e.g. with spaces, which the vocabulary
            layer reports), as written percent-encoded, mapped to the IRIs of the data.
        store: the Oxigraph store (see the module docstring), None if it could not be
            loaded or the data came as an rdflib graph.
        documented: whether the store also holds the ontology's documentation.
    """

    path: Path
    view: rdflib.Graph | StoreView
    repaired: dict[str, str] = field(default_factory=dict)
    store: ox.Store | None = None
    documented: bool = False

    def whole_store(self) -> ox.Store | None:
        """The store, where it holds the data plus the whole ontology, each statement once.

        None when there is no store, when the ontology's documentation could not be added
        (it has blank nodes), or when IRIs were repaired for the engine (the store would
        answer with the repaired IRIs, not the data's).
        """
        if self.store is None or not self.documented or self.repaired:
            return None
        return self.store

    def sparql_store(self, *, allow_network: bool = False) -> OxigraphStore | None:
        """Data plus the whole ontology for SPARQL (all graphs as the default graph); None
        where the store cannot stand for them (see ``whole_store``)."""
        store = self.whole_store()
        return None if store is None else UnionOxigraphStore(store, allow_network=allow_network)


def load_data(
    target: Path,
    logic: rdflib.Graph,
    *,
    files: Sequence[Path] | None = None,
    graph: rdflib.Graph | None = None,
    documentation: rdflib.Graph | None = None,
) -> SharedData:
    """Write ``logic`` plus data (``files``, else ``graph``) as N-Triples to ``target``; load it.

    The files are read by Oxigraph's parser and streamed to ``target`` (literals keep their
    lexical form and datatype, which Oxigraph's store would canonicalise); ``graph`` is
    serialised by rdflib and is its own view (no store is loaded). The files must have
    passed the syntax layer, which also refuses network access; IRIs that the vocabulary
    layer reports (e.g. with spaces) are let through.

    Args:
        target: the N-Triples file to write.
        logic: the ontology as the engine gets it.
        files: the data files.
        graph: the data, when there are no files.
        documentation: the whole ontology; what ``logic`` leaves out goes into the store's
            ``DOCUMENTATION_GRAPH``.

    Raises:
        InputError: a file cannot be read.
    """
    blanks: set[str] = set()
    repaired: dict[str, str] = {}
    with target.open("w+b") as out:
        out.write(_ontology_ntriples(logic))
        data_start = out.tell()
        if files is not None:
            for path in files:
                try:
                    _write_file(out, path, blanks, repaired)
                except OSError as exc:
                    raise InputError(f"{path}: cannot read the file ({exc}).") from exc
        elif graph is not None:
            _write_graph(out, graph, blanks, repaired)
        blanks.update(_blank_labels(out, data_start))
        for label in sorted(blanks):
            out.write(f'_:{label} <{MARKER}> "{label}" .\n'.encode())
    if files is None and graph is not None:
        return SharedData(target, graph, repaired)
    store = ox.Store()
    try:
        store.bulk_load(path=str(target), format=ox.RdfFormat.N_TRIPLES, lenient=True)
    except MemoryError:  # a literal over Oxigraph's 16 MB token buffer: findings go unlabelled
        return SharedData(target, rdflib.Graph(), repaired)
    named = _take_markers(store)
    documented = documentation is not None and _add_documentation(store, logic, documentation)
    return SharedData(target, StoreView(store, named, repaired), repaired, store, documented)


def _blank_labels(out: BinaryIO, start: int) -> set[str]:
    """The blank node labels written to ``out`` from ``start`` on (found in the bytes)."""
    out.flush()
    if out.seek(0, 2) <= start:
        return set()
    with mmap.mmap(out.fileno(), 0, access=mmap.ACCESS_READ) as written:
        return {m.group(1).decode() for m in _BLANK_LABEL.finditer(written, start)}


def _take_markers(store: ox.Store) -> dict[str, ox.BlankNode]:
    """Remove the marker triples from ``store``: each label and the store's blank node."""
    markers = list(store.quads_for_pattern(None, ox.NamedNode(MARKER), None, ox.DefaultGraph()))
    named = {}
    for quad in markers:
        if isinstance(quad.subject, ox.BlankNode) and isinstance(quad.object, ox.Literal):
            named[quad.object.value] = quad.subject
        store.remove(quad)
    return named


def _add_documentation(store: ox.Store, logic: rdflib.Graph, ontology: rdflib.Graph) -> bool:
    """Add what ``ontology`` says beyond ``logic`` and the data to the documentation graph.

    Returns False (adding nothing) if those statements have blank nodes, which would not
    be the blank nodes of the same statements in the default graph.
    """
    rest = [t for t in ontology if t not in logic]
    if any(isinstance(term, BNode) for triple in rest for term in triple):
        return False
    for s, p, o in rest:
        terms = (to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))
        if ox.Quad(*terms) not in store:  # type: ignore[arg-type]
            store.add(ox.Quad(*terms, DOCUMENTATION_GRAPH))  # type: ignore[arg-type]
    return True


def _triples(parser: Iterable[ox.Quad], blanks: set[str]) -> Iterator[ox.Triple]:
    for quad in parser:
        if isinstance(quad.subject, ox.BlankNode):
            blanks.add(quad.subject.value)
        if isinstance(quad.object, ox.BlankNode):
            blanks.add(quad.object.value)
        yield quad.triple


_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _repair(term: T, repaired: dict[str, str]) -> T:
    if isinstance(term, ox.NamedNode) and _NOT_IN_IRI.search(term.value):
        fixed = _NOT_IN_IRI.sub(lambda m: f"%{ord(m.group()):02X}", term.value)
        repaired[fixed] = term.value
        return ox.NamedNode(fixed)  # type: ignore[return-value]
    return term


def _repaired_triples(
    parser: Iterable[ox.Quad], blanks: set[str], repaired: dict[str, str]
) -> Iterator[ox.Triple]:
    for triple in _triples(parser, blanks):
        yield ox.Triple(
            _repair(triple.subject, repaired),
            _repair(triple.predicate, repaired),
            _repair(triple.object, repaired),
        )


def _write_file(out: BinaryIO, path: Path, blanks: set[str], repaired: dict[str, str]) -> None:
    """Stream one file as N-Triples.

    Oxigraph's parser first; a file with IRIs the engine refuses (e.g. with spaces) is
    written again with them percent-encoded; a file only rdflib reads (e.g. one that starts
    with a byte-order mark, which caregraph's parser policy accepts) goes through rdflib.
    """
    start = out.tell()
    for lenient in (False, True):
        try:
            _serialize(out, path, blanks, repaired, lenient)
            return
        except SyntaxError:
            _rewind(out, start)
        except MemoryError:  # a token over Oxigraph's 16 MB buffer: only rdflib reads it
            _rewind(out, start)
            break
    # the file passed the syntax layer, which applied the network policy
    _write_graph(out, parse_file(path, allow_network=True), blanks, repaired)


def _serialize(
    out: BinaryIO, path: Path, blanks: set[str], repaired: dict[str, str], lenient: bool
) -> None:
    """Oxigraph's parser into its serialiser: straight through unless repairs are needed.

    Straight through, no Python code sees the triples (the blank nodes are found in the
    written bytes afterwards); a file with named graphs is written again as its triples.
    """

    def parser() -> Iterator[ox.Quad]:
        return ox.parse(
            path=str(path),
            format=oxigraph_format(path),
            base_iri=path.resolve().as_uri(),
            rename_blank_nodes=True,
            lenient=lenient,
        )

    if lenient:
        ox.serialize(_repaired_triples(parser(), blanks, repaired), out, ox.RdfFormat.N_TRIPLES)
        return
    start = out.tell()
    try:
        ox.serialize(parser(), out, ox.RdfFormat.N_TRIPLES)
    except ValueError:  # N-Triples has no named graphs: their triples are written
        _rewind(out, start)
        ox.serialize(_triples(parser(), blanks), out, ox.RdfFormat.N_TRIPLES)


def _rewind(out: BinaryIO, start: int) -> None:
    out.seek(start)
    out.truncate()


def _write_graph(
    out: BinaryIO, graph: rdflib.Graph, blanks: set[str], repaired: dict[str, str]
) -> None:
    text = graph.serialize(format="nt", encoding="utf-8")
    start = out.tell()
    try:
        parser = ox.parse(text, ox.RdfFormat.N_TRIPLES, lenient=True)
        ox.serialize(_repaired_triples(parser, blanks, repaired), out, ox.RdfFormat.N_TRIPLES)
    except MemoryError:  # a literal over Oxigraph's 16 MB token buffer: rdflib's text as is
        _rewind(out, start)
        out.write(text)
        blanks.update(str(n) for triple in graph for n in triple if isinstance(n, BNode))


@functools.lru_cache(maxsize=4)
def _ontology_cache(key: int, graph: rdflib.Graph) -> bytes:
    return graph.serialize(format="nt", encoding="utf-8")


def _ontology_ntriples(ontology: rdflib.Graph) -> bytes:
    return _ontology_cache(id(ontology), ontology)
