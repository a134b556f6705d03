"""Validation of data files in five layers, reported as one list of findings.

1. syntax (``caregraph.syntax``), 2. vocabulary (``caregraph.vocabulary``), 3. SHACL shapes
(here), 4. OWL consistency (``caregraph.reasoning``), 5. stored rule checks
(``caregraph.rules``). A file that does not parse is left out of the later layers, which
run on the files that do (their findings may include what the left-out file would have
said, e.g. the labels of resources defined there).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from pathlib import Path

import rdflib
from pyshacl import validate as shacl_validate
from rdflib import BNode, URIRef
from rdflib.namespace import DCTERMS, RDFS, SH, SKOS
from rdflib.term import Node

from caregraph import resources
from caregraph.errors import InputError
from caregraph.findings import LAYERS, SEVERITIES, Finding, ValidationReport
from caregraph.labels import Triples, label_of, pick_text
from caregraph.loading import PathLike, find_data_files, load_shapes
from caregraph.positions import PositionIndex
from caregraph.safety import MAX_FILE_BYTES, MAX_SHACL_TRIPLES
from caregraph.shapes_engine import (
    DEFAULT_ENGINE,
    SKOLEM,
    ShapeResult,
    check_engine,
    from_pyshacl,
    run_pyshacl,
    run_shacl,
)
from caregraph.syntax import read_files
from caregraph.vocabulary import check_vocabulary, short

__all__ = ["SEVERITIES", "Finding", "ValidationReport", "check_shapes", "validate"]


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


def validate(
    paths: Iterable[PathLike] | None = None,
    *,
    lang: str = "en",
    data_graph: rdflib.Graph | None = None,
    layers: Sequence[str] = LAYERS,
    allow_network: bool = False,
    max_file_bytes: int = MAX_FILE_BYTES,
    check_dirs: Iterable[PathLike] | None = None,
    context: Iterable[PathLike] | None = None,
    engine: str = DEFAULT_ENGINE,
) -> ValidationReport:
    """Validate data files (default: the bundled Dresden graph) in all five layers.

    Args:
        paths: files or folders to validate.
        lang: language of messages and hints, ``de`` or ``en``.
        data_graph: an already parsed graph to validate instead of ``paths`` (no syntax
            layer, no positions).
        layers: the layers to run (``ontology`` starts Java for HermiT: leave it out for speed).
        allow_network: let parsers fetch remote JSON-LD contexts and XML entities.
        max_file_bytes: files larger than this are refused.
        check_dirs: further folders of rule checks besides ``queries/checks``.
        context: files or folders read with the data (e.g. the bundled graph, so that a
            new file may refer to its resources) whose own findings are not reported.
        engine: the SHACL engine of the shapes layer, ``shacl`` (fast) or ``pyshacl``.

    Raises:
        InputError: a path does not exist or cannot be read, or the graph is too big.
        ReasonerError: the ontology layer was asked for and Java cannot run.
    """
    unknown = sorted(set(layers) - set(LAYERS))
    if unknown:
        from caregraph.errors import UsageError

        raise UsageError(
            f"Unknown validation layer(s) {', '.join(unknown)}; use {', '.join(LAYERS)}."
        )
    check_engine(engine)
    ran: list[str] = []
    source_files: list[Path] | None = None
    context_files: list[Path] = []
    if data_graph is None:
        files = find_data_files(paths)
        if context:
            context_files = [f for f in find_data_files(context) if f not in files]
        parsed = read_files(
            files + context_files, allow_network=allow_network, max_bytes=max_file_bytes
        )
        ran.append("syntax")
        report = ValidationReport(files=files, findings=list(parsed.findings), layers=ran)
        if not parsed.graphs:
            return report  # nothing parsed: nothing for the later layers
        graphs, indexes, index = parsed.graphs, parsed.indexes, parsed.index
        data_graph = parsed.merged()
        source_files = list(parsed.graphs)
    else:
        report = ValidationReport(files=[], layers=ran)
        graphs, indexes, index = {Path("<graph>"): data_graph}, {}, PositionIndex()

    ontology = cached_ontology()
    if "vocabulary" in layers:
        ran.append("vocabulary")
        report.findings += check_vocabulary(graphs if report.files else {}, indexes, ontology, lang)
    if "shapes" in layers:
        ran.append("shapes")
        report.findings += check_data_shapes(
            data_graph, ontology, index, lang, engine=engine, files=source_files
        )
    if "ontology" in layers:
        from caregraph.reasoning import consistency_findings

        ran.append("ontology")
        report.findings += consistency_findings(data_graph, index, lang, allow_network)
    if "rules" in layers:
        from caregraph.rules import load_checks, run_checks

        ran.append("rules")
        checks = load_checks(check_dirs)
        report.checks = [c.id for c in checks]
        report.findings += run_checks(checks, data_graph, ontology, index, lang)
    if context_files:
        # Context is there to be referred to, not to be judged.
        hidden = set(context_files)
        report.findings = [f for f in report.findings if f.file not in hidden]
    report.findings.sort(key=Finding.sort_key)
    return report


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


@functools.lru_cache(maxsize=8)
def _parsed(path: Path, mtime: int) -> rdflib.Graph:
    from caregraph.loading import parse_file

    return parse_file(path)


def cached_ontology() -> rdflib.Graph:
    """The ontology, parsed once per process while the file is unchanged (do not modify)."""
    path = resources.ontology_path()
    return _parsed(path, path.stat().st_mtime_ns)


def cached_shapes() -> rdflib.Graph:
    """The shapes, parsed once per process while the file is unchanged (do not modify)."""
    path = resources.shapes_path()
    return _parsed(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _logic(path: Path, mtime: int) -> rdflib.Graph:
    logic = rdflib.Graph()
    for triple in _parsed(path, mtime):
        if triple[1] not in _DOCUMENTATION and not str(triple[1]).startswith(str(DCTERMS)):
            logic.add(triple)
    return logic


def check_data_shapes(
    data: rdflib.Graph,
    ontology: rdflib.Graph,
    index: PositionIndex,
    lang: str = "en",
    *,
    engine: str = DEFAULT_ENGINE,
    files: Sequence[Path] | None = None,
) -> list[Finding]:
    """Layer 3: SHACL with RDFS inference over data plus ontology.

    Args:
        data: the data graph (for labels and blank-node parents of the findings).
        ontology: the ontology the data is read with.
        index: where resources stand in the files.
        lang: language of messages and hints.
        engine: ``shacl`` (fast, reads ``files`` itself when given) or ``pyshacl``.
        files: the data files, so the fast engine need not go through ``data``.

    For pySHACL the ontology is merged into a copy of the data rather than passed as
    pySHACL's ``ont_graph``: pySHACL's own mixing (``inoculate``) clones the ontology node by
    node and takes minutes on caregraph's; the merged graph gives the same results in about
    a second.

    Raises:
        InputError: the graph is too big to validate in memory.
        UsageError: the engine is unknown.
    """
    check_engine(engine)
    if ontology is cached_ontology():
        path = resources.ontology_path()
        ontology = _logic(path, path.stat().st_mtime_ns)
    if engine == "shacl":
        results, shapes, view = run_shacl(ontology, files=files, graph=data)
        return shape_findings(results, view, shapes, index, lang)
    if len(data) > MAX_SHACL_TRIPLES:
        raise InputError(
            f"The data has {len(data):,} triples, more than the {MAX_SHACL_TRIPLES:,} that "
            "pySHACL validates well in memory. Use the default engine (--engine shacl), "
            "validate the files in smaller groups, or skip the shapes layer (--skip shapes)."
        )
    merged = rdflib.Graph()
    merged += data
    merged += ontology
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
    return template.get(lang, template["en"]).format(
        path=path or unnamed.get(lang, unnamed["en"]), param=_parameter(graph, shape, component)
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
    from importlib.resources import files

    meta = rdflib.Graph().parse(
        data=files("pyshacl").joinpath("assets/shacl-shacl.ttl").read_text(encoding="utf-8"),
        format="turtle",
    )
    graph = shapes if shapes is not None else load_shapes()
    results = shacl_validate(graph, shacl_graph=meta, advanced=True)[1]
    return shape_findings(from_pyshacl(results), graph, meta, PositionIndex(), lang)
