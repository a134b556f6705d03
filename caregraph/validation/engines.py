"""The SHACL engines behind the shapes layer: ``shacl`` (fast, the default) and pySHACL.

Both are run with RDFS inference over data plus ontology and answer with the same
engine-neutral :class:`ShapeResult` records, so the findings built from them are the
same whichever engine ran (``tests/test_engines.py`` compares them result by result).

``shacl`` (a Rust engine, pinned to ``SHACL_VERSION``) gets the data as one N-Triples file
written by Oxigraph, never as an rdflib graph: a million triples go from the source files to
the engine without Python touching each one. Three things are done to the shapes in memory
(``ontology/shapes.ttl`` stays as it is):

- a ``[ sh:class C ]`` inside ``sh:or``/``sh:not`` becomes ``[ sh:path rdf:type ;
  sh:hasValue C ]``. With RDFS inference on, both say the same, but the engine rebuilds a
  class's instances per value node for the first form (77 s instead of 8 s at 1M triples);
- a blank-node property shape (the object of ``sh:property``) gets an IRI under
  ``SKOLEM``, so that a result can be traced back to the shape's parameters for its hint;
- a marker shape reports every blank node of the data once, with the label Oxigraph gave it:
  the engine renames blank nodes, and this is how a blank focus node is found again.

pySHACL (``--engine pyshacl``) stays the reference engine.
"""

from __future__ import annotations

import functools
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, TypeVar

import pyoxigraph as ox
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node
from rdflib.util import from_n3

from caregraph.choices import DEFAULT_SHACL_ENGINE, SHACL_ENGINES
from caregraph.errors import InputError, UsageError
from caregraph.loading import cached_shapes, oxigraph_format, parse_file
from caregraph.store import to_oxigraph, to_rdflib

#: The engines of the shapes layer; the first is the default.
ENGINES = SHACL_ENGINES
DEFAULT_ENGINE = DEFAULT_SHACL_ENGINE
#: The version of ``shacl`` whose results were compared with pySHACL's (pinned in pyproject).
SHACL_VERSION = "0.3.4"

#: IRIs given to the blank-node property shapes (``SKOLEM`` + a number).
SKOLEM = "urn:caregraph:shape:"
_MARKER_SHAPE = URIRef("urn:caregraph:blank-node-marker")
_MARKER_PROPERTY = URIRef("urn:caregraph:blank-node-marker-property")
_MARKER = URIRef("urn:caregraph:blank-node")
T = TypeVar("T")
_SEVERITY = {"Violation": "error", "Warning": "warning", "Info": "info"}
_PYSHACL_SEVERITY = {SH.Violation: "error", SH.Warning: "warning", SH.Info: "info"}


class EngineCannotRead(Exception):
    """The fast engine cannot read this data (the shapes layer then uses pySHACL)."""


@dataclass(frozen=True)
class ShapeResult:
    """One SHACL validation result, engine-neutral.

    Attributes:
        focus: the focus node (a blank node carries its label in ``data``).
        path: the result path when it is a single property, else None.
        value: the value node, if the result names one.
        component: the constraint component's local name without ``ConstraintComponent``.
        severity: ``error``, ``warning`` or ``info``.
        shape: the source shape as a node of ``shapes`` (a named shape, or a skolem IRI).
        messages: the result's messages (one per language).
    """

    focus: Node
    path: URIRef | None
    value: Node | None
    component: str
    severity: str
    shape: Node | None
    messages: tuple[Literal, ...]

    def key(self) -> tuple[str, str, str, str, str]:
        """What the two engines must agree on: focus, path, value, component, severity."""
        return (
            self.focus.n3() if not isinstance(self.focus, BNode) else "_:",
            self.path.n3() if self.path is not None else "",
            "" if self.value is None else self.value.n3(),
            self.component,
            self.severity,
        )


def check_engine(engine: str) -> str:
    """Return ``engine`` if it is one caregraph knows.

    Raises:
        UsageError: it is not.
    """
    if engine not in ENGINES:
        raise UsageError(f"Unknown SHACL engine '{engine}'; choose one of: {', '.join(ENGINES)}.")
    return engine


# ---------------------------------------------------------------------------------------
# Shapes as the fast engine gets them
# ---------------------------------------------------------------------------------------


def prepare_shapes(shapes: rdflib.Graph) -> rdflib.Graph:
    """A copy of ``shapes`` rewritten for the ``shacl`` engine (see the module docstring)."""
    graph = rdflib.Graph()
    graph += shapes
    inner: list[Node] = list(graph.objects(None, SH["not"]))
    for alternatives in list(graph.objects(None, SH["or"])):
        inner.extend(Collection(graph, alternatives))
    for node in inner:
        pairs = list(graph.predicate_objects(node))
        if isinstance(node, BNode) and len(pairs) == 1 and pairs[0][0] == SH["class"]:
            graph.remove((node, SH["class"], pairs[0][1]))
            graph.add((node, SH.path, RDF.type))
            graph.add((node, SH.hasValue, pairs[0][1]))
    named: dict[BNode, URIRef] = {}
    for shape in sorted({o for o in graph.objects(None, SH.property) if isinstance(o, BNode)}):
        named[shape] = URIRef(f"{SKOLEM}{len(named) + 1}")
    for old, new in named.items():
        for p, o in list(graph.predicate_objects(old)):
            graph.remove((old, p, o))
            graph.add((new, p, o))
        for s, p in list(graph.subject_predicates(old)):
            graph.remove((s, p, old))
            graph.add((s, p, new))
    marker_property = _MARKER_PROPERTY
    graph.add((_MARKER_SHAPE, RDF.type, SH.NodeShape))
    graph.add((_MARKER_SHAPE, SH.targetSubjectsOf, _MARKER))
    graph.add((_MARKER_SHAPE, SH.property, marker_property))
    graph.add((marker_property, SH.path, _MARKER))
    graph.add((marker_property, SH.datatype, XSD.boolean))  # fails on each label, naming it
    graph.add((marker_property, SH.severity, SH.Info))
    return graph


@functools.lru_cache(maxsize=4)
def _compiled(shapes: rdflib.Graph) -> tuple[object, rdflib.Graph]:
    # Keyed by the cached shapes graph, which is replaced when the file changes.
    import shacl

    prepared = prepare_shapes(shapes)
    return shacl.Shapes.from_text(prepared.serialize(format="nt"), format="ntriples"), prepared


def compiled_shapes() -> tuple[object, rdflib.Graph]:
    """The ``shacl`` engine's compiled shapes and the rewritten graph (once per process)."""
    return _compiled(cached_shapes())


# ---------------------------------------------------------------------------------------
# Data as the fast engine gets it: an Oxigraph store, written out as N-Triples
# ---------------------------------------------------------------------------------------


class StoreView:
    """The lookups that findings need (labels, blank-node parents), on an Oxigraph store.

    Behaves like the two ``rdflib.Graph`` methods of the same names, so labels and
    focus descriptions work on either. Blank nodes are named by the labels of the
    engine's input (kept in marker triples), not by the store's own.
    """

    def __init__(self, store: ox.Store, repaired: dict[str, str] | None = None) -> None:
        self.store = store
        self.repaired = repaired or {}
        self.written = {original: written for written, original in self.repaired.items()}

    def _term(self, term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal | None:
        if isinstance(term, URIRef):
            return ox.NamedNode(self.written.get(str(term), str(term)))
        if not isinstance(term, BNode):
            return to_oxigraph(term)
        for quad in self.store.quads_for_pattern(
            None, ox.NamedNode(_MARKER), ox.Literal(str(term)), ox.DefaultGraph()
        ):
            return quad.subject  # type: ignore[return-value]
        return None

    def _back(self, term: object) -> Node:
        if isinstance(term, ox.NamedNode) and term.value in self.repaired:
            return URIRef(self.repaired[term.value])
        if isinstance(term, ox.BlankNode):
            for quad in self.store.quads_for_pattern(
                term, ox.NamedNode(_MARKER), None, ox.DefaultGraph()
            ):
                return BNode(str(quad.object.value))  # type: ignore[union-attr]
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
class EngineInput:
    """The data written as one N-Triples file for the engine, and a view of it for findings.

    Attributes:
        path: the N-Triples file (ontology, data, and a marker triple per blank node).
        view: labels and blank-node parents of the data, for the findings.
        repaired: IRIs the engine would refuse (e.g. with spaces, which the vocabulary
            layer reports), as written percent-encoded, mapped to the IRIs of the data.
    """

    path: Path
    view: rdflib.Graph | StoreView
    repaired: dict[str, str] = field(default_factory=dict)


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
        parser = ox.parse(
            path=str(path),
            format=oxigraph_format(path),
            base_iri=path.resolve().as_uri(),
            rename_blank_nodes=True,
            lenient=lenient,
        )
        try:
            if lenient:
                triples = _repaired_triples(parser, blanks, repaired)
            else:
                triples = _triples(parser, blanks)
            ox.serialize(triples, out, ox.RdfFormat.N_TRIPLES)
            return
        except SyntaxError:
            out.seek(start)
            out.truncate()
        except MemoryError:  # a token over Oxigraph's 16 MB buffer: only rdflib reads it
            out.seek(start)
            out.truncate()
            break
    # the file passed the syntax layer, which applied the network policy
    _write_graph(out, parse_file(path, allow_network=True), blanks, repaired)


def _write_graph(
    out: BinaryIO, graph: rdflib.Graph, blanks: set[str], repaired: dict[str, str]
) -> None:
    text = graph.serialize(format="nt", encoding="utf-8")
    start = out.tell()
    try:
        parser = ox.parse(text, ox.RdfFormat.N_TRIPLES, lenient=True)
        ox.serialize(_repaired_triples(parser, blanks, repaired), out, ox.RdfFormat.N_TRIPLES)
    except MemoryError:  # a literal over Oxigraph's 16 MB token buffer: rdflib's text as is
        out.seek(start)
        out.truncate()
        out.write(text)
        blanks.update(str(n) for triple in graph for n in triple if isinstance(n, BNode))


def write_engine_input(
    target: Path,
    ontology: rdflib.Graph,
    *,
    files: Sequence[Path] | None = None,
    graph: rdflib.Graph | None = None,
) -> EngineInput:
    """Write ontology plus data (``files``, else ``graph``) as N-Triples to ``target``.

    The files are read by Oxigraph's parser and streamed to ``target`` (literals keep their
    lexical form and datatype, which Oxigraph's store would canonicalise); ``graph`` is
    serialised by rdflib. The files must have passed the syntax layer, which also refuses
    network access; IRIs that the vocabulary layer reports (e.g. with spaces) are let
    through.

    Raises:
        InputError: a file cannot be read.
    """
    blanks: set[str] = set()
    repaired: dict[str, str] = {}
    with target.open("wb") as out:
        out.write(_ontology_ntriples(ontology))
        if files is not None:
            for path in files:
                try:
                    _write_file(out, path, blanks, repaired)
                except OSError as exc:
                    raise InputError(f"{path}: cannot read the file ({exc}).") from exc
        elif graph is not None:
            _write_graph(out, graph, blanks, repaired)
        for label in blanks:
            out.write(f'_:{label} <{_MARKER}> "{label}" .\n'.encode())
    if files is None and graph is not None:
        return EngineInput(target, graph, repaired)
    store = ox.Store()
    try:
        store.bulk_load(path=str(target), format=ox.RdfFormat.N_TRIPLES, lenient=True)
    except MemoryError:  # a literal over Oxigraph's 16 MB token buffer: findings go unlabelled
        return EngineInput(target, rdflib.Graph(), repaired)
    return EngineInput(target, StoreView(store, repaired), repaired)


# ---------------------------------------------------------------------------------------
# Running the engines
# ---------------------------------------------------------------------------------------


def run_shacl(
    ontology: rdflib.Graph,
    *,
    files: Sequence[Path] | None = None,
    graph: rdflib.Graph | None = None,
) -> tuple[list[ShapeResult], rdflib.Graph, rdflib.Graph | StoreView]:
    """Validate data (``files``, else ``graph``) plus ``ontology`` with the ``shacl`` engine.

    Returns:
        The results, the shapes graph their ``shape`` nodes belong to, and a view of the
        data in which their focus nodes can be looked up.
    """
    compiled, shapes = compiled_shapes()
    with tempfile.TemporaryDirectory(prefix="caregraph-shacl-") as folder:
        given = write_engine_input(Path(folder) / "data.nt", ontology, files=files, graph=graph)
        try:
            report = compiled.validate_file(  # type: ignore[attr-defined]
                str(given.path), inference="rdfs", allow_warnings=True
            )
        except (OSError, ValueError, MemoryError) as exc:
            # e.g. a literal over the engine's 16 MB token buffer (hostile input)
            raise EngineCannotRead(str(exc)) from exc
    return list(_from_shacl(report.results, shapes, given.repaired)), shapes, given.view


@functools.lru_cache(maxsize=4)
def _ontology_cache(key: int, graph: rdflib.Graph) -> bytes:
    return graph.serialize(format="nt", encoding="utf-8")


def _ontology_ntriples(ontology: rdflib.Graph) -> bytes:
    return _ontology_cache(id(ontology), ontology)


def _term(text: str | None, repaired: dict[str, str] | None = None) -> Node | None:
    """An rdflib term from the engine's N-Triples syntax (repaired IRIs given back)."""
    if text is None:
        return None
    if text.startswith("<"):
        return URIRef((repaired or {}).get(text[1:-1], text[1:-1]))
    if text.startswith("_:"):
        return BNode(text[2:])
    term = from_n3(text)
    return term if isinstance(term, Node) else None


def _from_shacl(
    results: Iterable[object], shapes: rdflib.Graph, repaired: dict[str, str]
) -> Iterator[ShapeResult]:
    blank_label: dict[str, str] = {}
    real = []
    for result in results:
        if result.source_shape == _MARKER_PROPERTY.n3():  # type: ignore[attr-defined]
            blank_label[result.focus_node] = result.value_plain  # type: ignore[attr-defined]
        else:
            real.append(result)
    for result in real:
        focus_text: str = result.focus_node  # type: ignore[attr-defined]
        focus = (
            BNode(blank_label.get(focus_text, focus_text[2:]))
            if focus_text.startswith("_:")
            else _term(focus_text, repaired)
        )
        path_text: str | None = result.path  # type: ignore[attr-defined]
        path = URIRef(path_text[1:-1]) if path_text and path_text[0] == "<" else None
        value = _term(result.value, repaired)  # type: ignore[attr-defined]
        if isinstance(value, BNode):
            value = BNode(blank_label.get(result.value, value))  # type: ignore[attr-defined]
        shape = _term(result.source_shape)  # type: ignore[attr-defined]
        # The engine's messages lose their language tags; the shape has them.
        messages = tuple(
            m for m in shapes.objects(shape, SH.message) if isinstance(m, Literal)
        ) or tuple(Literal(m) for m in result.messages)  # type: ignore[attr-defined]
        yield ShapeResult(
            focus=focus,  # type: ignore[arg-type]
            path=path,
            value=value,
            component=result.component.removesuffix("ConstraintComponent"),  # type: ignore[attr-defined]
            severity=_SEVERITY.get(result.severity, "error"),  # type: ignore[attr-defined]
            shape=shape if isinstance(shape, URIRef) else None,
            messages=messages,
        )


def run_pyshacl(merged: rdflib.Graph, shapes: rdflib.Graph) -> list[ShapeResult]:
    """Validate ``merged`` (data plus ontology, modified in place) with pySHACL."""
    from pyshacl import validate as shacl_validate

    _, results, _ = shacl_validate(
        merged,
        shacl_graph=shapes,
        inference="rdfs",
        advanced=True,
        allow_warnings=True,
        inplace=True,
    )
    return from_pyshacl(results)


def from_pyshacl(results: rdflib.Graph) -> list[ShapeResult]:
    """Read pySHACL's report graph into results."""
    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        shape = results.value(result, SH.sourceShape)
        component_iri = str(results.value(result, SH.sourceConstraintComponent) or "")
        severity = results.value(result, SH.resultSeverity)
        found.append(
            ShapeResult(
                focus=results.value(result, SH.focusNode),  # type: ignore[arg-type]
                path=path if isinstance(path, URIRef) else None,
                value=value,
                component=component_iri.rsplit("#", 1)[-1].removesuffix("ConstraintComponent"),
                severity=_PYSHACL_SEVERITY.get(severity, "error"),  # type: ignore[call-overload]
                shape=shape,
                messages=tuple(
                    m for m in results.objects(result, SH.resultMessage) if isinstance(m, Literal)
                ),
            )
        )
    return found
