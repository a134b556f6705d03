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
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node
from rdflib.util import from_n3

from caregraph.choices import DEFAULT_SHACL_ENGINE, SHACL_ENGINES, check_choice
from caregraph.loading import cached_shapes
from caregraph.validation.datastore import MARKER, SharedData, StoreView, load_data

#: The engines of the shapes layer; the first is the default.
ENGINES = SHACL_ENGINES
DEFAULT_ENGINE = DEFAULT_SHACL_ENGINE
#: The version of ``shacl`` whose results were compared with pySHACL's (pinned in pyproject).
SHACL_VERSION = "0.3.4"

#: IRIs given to the blank-node property shapes (``SKOLEM`` + a number).
SKOLEM = "urn:caregraph:shape:"
_MARKER_SHAPE = URIRef("urn:caregraph:blank-node-marker")
_MARKER_PROPERTY = URIRef("urn:caregraph:blank-node-marker-property")
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
    return check_choice(engine, ENGINES, "SHACL engine")


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
    graph.add((_MARKER_SHAPE, SH.targetSubjectsOf, MARKER))
    graph.add((_MARKER_SHAPE, SH.property, marker_property))
    graph.add((marker_property, SH.path, MARKER))
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
# Running the engines
# ---------------------------------------------------------------------------------------


def run_shacl(
    ontology: rdflib.Graph,
    *,
    files: Sequence[Path] | None = None,
    graph: rdflib.Graph | None = None,
    given: SharedData | None = None,
) -> tuple[list[ShapeResult], rdflib.Graph, rdflib.Graph | StoreView]:
    """Validate data (``files``, else ``graph``) plus ``ontology`` with the ``shacl`` engine.

    Args:
        ontology: the ontology as the engine gets it.
        files: the data files.
        graph: the data, when there are no files.
        given: the engine's input, already written (``datastore.load_data``) from
            ``ontology`` and the data: then ``files`` and ``graph`` are not read.

    Returns:
        The results, the shapes graph their ``shape`` nodes belong to, and a view of the
        data in which their focus nodes can be looked up.
    """
    compiled, shapes = compiled_shapes()
    if given is None:
        with tempfile.TemporaryDirectory(prefix="caregraph-shacl-") as folder:
            data = load_data(Path(folder) / "data.nt", ontology, files=files, graph=graph)
            return _run_compiled(compiled, shapes, data)
    return _run_compiled(compiled, shapes, given)


def _run_compiled(
    compiled: object, shapes: rdflib.Graph, data: SharedData
) -> tuple[list[ShapeResult], rdflib.Graph, rdflib.Graph | StoreView]:
    try:
        report = compiled.validate_file(  # type: ignore[attr-defined]
            str(data.path), inference="rdfs", allow_warnings=True
        )
    except (OSError, ValueError, MemoryError) as exc:
        # e.g. a literal over the engine's 16 MB token buffer (hostile input)
        raise EngineCannotRead(str(exc)) from exc
    return list(_from_shacl(report.results, shapes, data.repaired)), shapes, data.view


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
