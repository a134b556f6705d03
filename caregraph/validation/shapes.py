"""Validation layer 3, shapes: SHACL over data plus ontology, findings with hints.

The engine is ``shacl`` (fast, the default) or pySHACL (the reference); both answer with
the same results (``caregraph.validation.engines``), read into findings here. Also
``check_shapes``, which validates a shapes graph against the W3C SHACL-for-SHACL shapes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from importlib.resources import files
from pathlib import Path

import rdflib
from rdflib import BNode, URIRef
from rdflib.namespace import DCTERMS, RDFS, SH, SKOS
from rdflib.term import Node

from caregraph.errors import InputError, UsageError
from caregraph.labels import Triples, label_of, pick_text
from caregraph.loading import cached_ontology, cached_shapes, load_shapes
from caregraph.namespaces import short
from caregraph.positions import PositionIndex
from caregraph.safety import MAX_SHACL_TRIPLES
from caregraph.validation.datastore import SharedData
from caregraph.validation.engines import (
    DEFAULT_ENGINE,
    SKOLEM,
    EngineCannotRead,
    ShapeResult,
    check_engine,
    from_pyshacl,
    run_pyshacl,
    run_shacl,
)
from caregraph.validation.findings import Finding

#: How to fix a violation of each SHACL constraint component ({path}, {param} filled in).
_HINTS: dict[str, dict[str, str]] = {
    "MinCount": {
        "en": "Add {path} to this resource (at least {param}).",
        "de": "Ergänze {path} an dieser Ressource (mindestens {param}).",
    },
    "MaxCount": {
        "en": "Keep at most {param} value(s) of {path}; remove the others.",
        "de": "Behalte höchstens {param} Wert(e) von {path}; entferne die übrigen.",
    },
    "Class": {
        "en": "Point {path} to a resource of class {param}, or give the value that type.",
        "de": "Lass {path} auf eine Ressource der Klasse {param} zeigen "
        "oder gib dem Wert diesen Typ.",
    },
    "Datatype": {
        "en": "Write the value of {path} as a literal of type {param}.",
        "de": "Schreibe den Wert von {path} als Literal vom Typ {param}.",
    },
    "In": {
        "en": "Use one of the allowed values for {path}: {param}.",
        "de": "Verwende für {path} einen der erlaubten Werte: {param}.",
    },
    "Pattern": {
        "en": "Make the value of {path} match the pattern {param}.",
        "de": "Der Wert von {path} muss dem Muster {param} entsprechen.",
    },
    "LanguageIn": {
        "en": "Tag the text of {path} with an allowed language: {param}.",
        "de": "Versieh den Text von {path} mit einer erlaubten Sprache: {param}.",
    },
    "UniqueLang": {
        "en": "Keep one {path} per language; move further names to skos:altLabel.",
        "de": "Behalte ein {path} je Sprache; weitere Namen gehören in skos:altLabel.",
    },
    "QualifiedMinCount": {
        "en": "Add the missing {path} value (see the message for which one).",
        "de": "Ergänze den fehlenden Wert von {path} (welchen, sagt die Meldung).",
    },
    "NodeKind": {
        "en": "Give {path} a value of the right kind ({param}).",
        "de": "Gib {path} einen Wert der richtigen Art ({param}).",
    },
    "Not": {
        "en": "Check the resource's types and the properties that point to it: it has two "
        "types that exclude each other.",
        "de": "Prüfe die Typen der Ressource und die Eigenschaften, die auf sie zeigen: sie hat "
        "zwei Typen, die einander ausschließen.",
    },
    "Or": {
        "en": "Use this property only on the kinds of resource the message names, or fix the type.",
        "de": "Verwende die Eigenschaft nur an den Arten von Ressourcen, "
        "die die Meldung nennt, oder korrigiere den Typ.",
    },
}
_GENERIC_HINT = {
    "en": "See the shape {shape} in ontology/shapes.ttl for what is expected.",
    "de": "Was erwartet wird, steht in der Form {shape} in ontology/shapes.ttl.",
}
_BLANK = {
    "en": "{label}, its {path} (a blank node)",
    "de": "{label}, dessen {path} (ein leerer Knoten)",
}


#: Ontology statements that only document (labels, definitions, mappings): RDFS inference
#: and the shapes never read them, and leaving them out halves pySHACL's work.
_DOCUMENTATION = {
    RDFS.label,
    RDFS.comment,
    SKOS.prefLabel,
    SKOS.altLabel,
    SKOS.definition,
    SKOS.scopeNote,
    SKOS.example,
    SKOS.notation,
    SKOS.closeMatch,
}


def ontology_logic(ontology: rdflib.Graph) -> rdflib.Graph:
    """The ontology without its documentation statements (what the shapes layer needs)."""
    if ontology is cached_ontology():
        return _bundled_logic(ontology)
    return _without_documentation(ontology)


@functools.lru_cache(maxsize=4)
def _bundled_logic(ontology: rdflib.Graph) -> rdflib.Graph:
    # Keyed by the cached graph object, which is replaced when the file changes.
    return _without_documentation(ontology)


def _without_documentation(ontology: rdflib.Graph) -> rdflib.Graph:
    logic = rdflib.Graph()
    for triple in ontology:
        if triple[1] not in _DOCUMENTATION and not str(triple[1]).startswith(str(DCTERMS)):
            logic.add(triple)
    return logic


def data_of(data: rdflib.Graph | Callable[[], rdflib.Graph]) -> rdflib.Graph:
    """The graph, building it if ``data`` is the function that does."""
    return data if isinstance(data, rdflib.Graph) else data()


def check_data_shapes(
    data: rdflib.Graph | Callable[[], rdflib.Graph] | None,
    ontology: rdflib.Graph,
    index: PositionIndex,
    lang: str = "en",
    *,
    engine: str = DEFAULT_ENGINE,
    files: Sequence[Path] | None = None,
    shared: SharedData | None = None,
) -> list[Finding]:
    """SHACL with RDFS inference over data plus ontology.

    Args:
        data: the data graph, or a function that builds it (called only for pySHACL, and
            for the fast engine when ``files`` is not given or it cannot read them).
        ontology: the ontology the data is read with.
        index: where resources stand in the files.
        lang: language of messages and hints.
        engine: ``shacl`` (fast) or ``pyshacl`` (the reference).
        files: the data files, which the fast engine then reads itself (Oxigraph's parser).
        shared: the fast engine's input, already written from ``ontology_logic(ontology)``
            and the data (``datastore.load_data``); the fast engine then reads nothing else.

    For pySHACL the ontology is merged into a copy of the data rather than passed as
    pySHACL's ``ont_graph``: pySHACL's own mixing (``inoculate``) clones the ontology node by
    node and takes minutes on caregraph's; the merged graph gives the same results in about
    a second.

    Raises:
        InputError: the graph is too big for pySHACL.
        UsageError: the engine is unknown.
    """
    check_engine(engine)
    logic = ontology_logic(ontology)
    if engine == "shacl":
        try:
            given = None if files is not None or data is None else data_of(data)
            results, shapes, view = run_shacl(logic, files=files, graph=given, given=shared)
            return shape_findings(results, view, shapes, index, lang)
        except EngineCannotRead:
            pass  # the same findings from the reference engine, only slower
    if data is None:
        raise UsageError("pySHACL validates a data graph; give one.")
    data = data_of(data)
    if len(data) > MAX_SHACL_TRIPLES:
        raise InputError(
            f"The data has {len(data):,} triples, more than the {MAX_SHACL_TRIPLES:,} that "
            "pySHACL validates well in memory. Use the default engine (--engine shacl), "
            "validate the files in smaller groups, or skip the shapes layer (--skip shapes)."
        )
    merged = rdflib.Graph()
    merged += data
    merged += logic
    shapes = cached_shapes()
    try:
        results = run_pyshacl(merged, shapes)
    except MemoryError:
        raise InputError(
            "SHACL validation ran out of memory on this data. Validate the files in smaller "
            "groups, or skip the shapes layer (--skip shapes)."
        ) from None
    return shape_findings(results, data, shapes, index, lang)


def describe_focus(
    graph: rdflib.Graph | Triples, node: Node, lang: str
) -> tuple[str, str | None, str | None]:
    """IRI, label and the pointing property of a focus node, never a bare blank-node id.

    A blank node is described through the named resource that points to it.
    """
    if isinstance(node, URIRef):
        return str(node), label_of(graph, node, lang), None
    for parent, prop in graph.subject_predicates(node):
        if isinstance(parent, URIRef):
            label = label_of(graph, parent, lang) or f"<{parent}>"
            text = _BLANK.get(lang, _BLANK["en"]).format(label=label, path=short(str(prop)))
            return str(parent), text, str(prop)
    return "", "[ ]", None


def _parameter(graph: rdflib.Graph, shape: Node | None, component: str) -> str:
    """The value of the constraint parameter a component reads, for the hint."""
    if shape is None:
        return ""
    name = component[0].lower() + component[1:]
    value = graph.value(shape, SH[name])
    if value is None:
        return ""
    if component in ("In", "LanguageIn"):
        items = rdflib.collection.Collection(graph, value)
        return ", ".join(short(str(i)) if isinstance(i, URIRef) else str(i) for i in items)
    return short(str(value)) if isinstance(value, URIRef) else str(value)


def _hint(graph: rdflib.Graph, shape: Node | None, component: str, path: str, lang: str) -> str:
    template = _HINTS.get(component)
    named = isinstance(shape, URIRef) and not str(shape).startswith(SKOLEM)
    shape_name = short(str(shape)) if named else "…"
    if template is None:
        return _GENERIC_HINT[lang if lang in _GENERIC_HINT else "en"].format(shape=shape_name)
    unnamed = {
        "en": "the property the message names",
        "de": "die in der Meldung genannte Eigenschaft",
    }
    # a path of several properties is named by the shape's sh:name
    names = list(graph.objects(shape, SH.name)) if shape is not None and not path else []
    path = path or pick_text(names, lang) or unnamed.get(lang, unnamed["en"])
    return template.get(lang, template["en"]).format(
        path=path, param=_parameter(graph, shape, component)
    )


def shape_findings(
    results: Iterable[ShapeResult],
    data: rdflib.Graph | Triples,
    shapes: rdflib.Graph,
    index: PositionIndex,
    lang: str,
) -> list[Finding]:
    """Turn an engine's results into findings with labels, hints and positions."""
    findings = []
    for result in results:
        focus_node, path, value, shape = result.focus, result.path, result.value, result.shape
        component = result.component
        message = pick_text(list(result.messages), lang)
        focus, label, via = (
            describe_focus(data, focus_node, lang) if focus_node else ("", None, None)
        )
        path_text = str(path) if path is not None else None
        where = index.locate(focus, via or path_text) if focus else None
        named = isinstance(shape, URIRef) and not str(shape).startswith(SKOLEM)
        findings.append(
            Finding(
                severity=result.severity,
                focus=focus,
                focus_label=label,
                path=path_text,
                value=None if value is None or isinstance(value, BNode) else str(value),
                message=message or "constraint violated",
                shape=str(shape) if named else f"{component} constraint",
                layer="shapes",
                file=where.file if where else None,
                line=where.line if where else None,
                column=where.column if where else None,
                hint=_hint(shapes, shape, component, short(path_text) if path_text else "", lang),
                rule=f"shapes/{component}",
            )
        )
    return findings


def check_shapes(shapes: rdflib.Graph | None = None, *, lang: str = "en") -> list[Finding]:
    """Validate a shapes graph (default: caregraph's) against the W3C SHACL-for-SHACL shapes.

    Returns:
        The findings; an empty list means the shapes graph is valid SHACL.
    """
    from pyshacl import validate as shacl_validate  # the reference engine: loaded when used

    meta = rdflib.Graph().parse(
        data=files("pyshacl").joinpath("assets/shacl-shacl.ttl").read_text(encoding="utf-8"),
        format="turtle",
    )
    graph = shapes if shapes is not None else load_shapes()
    results = shacl_validate(graph, shacl_graph=meta, advanced=True)[1]
    return shape_findings(from_pyshacl(results), graph, meta, PositionIndex(), lang)
