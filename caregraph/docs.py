"""An HTML reference of the ontology, its concept schemes, the shapes and the stored queries.

``build_docs(folder)`` writes, for German and English each (``de/``, ``en/``):

- ``ontology.html``: classes and properties, made by pyLODE (``OntPub``) from the ontology with
  the texts of that language only. The concept schemes are left out of pyLODE's input: pyLODE
  takes the title of the last ``skos:ConceptScheme`` in a graph for the ontology's, so they get
  pages of their own;
- ``vocabularies.html``: every concept scheme with its concepts (notation, label, definition);
- ``shapes.html``: every SHACL shape with its targets and the constraints' messages;
- ``queries.html``: the catalogue of stored queries (question, parameters, columns, SPARQL);

and ``index.html`` linking them. Files are written atomically.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import rdflib
from rdflib import OWL, RDF, RDFS, SH, SKOS, Literal, URIRef
from rdflib.term import Node

from caregraph.datafiles import PathLike
from caregraph.errors import OutputError
from caregraph.labels import pick_text
from caregraph.loading import load_ontology, load_shapes
from caregraph.namespaces import compact
from caregraph.outfile import write_atomic
from caregraph.queries import load_catalogue
from caregraph.queries.header import THEMES

#: The languages of the reference.
DOC_LANGS = ("de", "en")
PAGES = ("ontology", "vocabularies", "shapes", "queries")

_TITLES = {
    "ontology": {
        "de": "Ontologie: Klassen und Eigenschaften",
        "en": "Ontology: classes and properties",
    },
    "vocabularies": {"de": "Begriffsschemata (SKOS)", "en": "Concept schemes (SKOS)"},
    "shapes": {
        "de": "SHACL-Shapes: was gültige Daten sind",
        "en": "SHACL shapes: what valid data is",
    },
    "queries": {"de": "Gespeicherte Abfragen", "en": "Stored queries"},
}
_WORDS = {
    "reference": {"de": "caregraph – Referenz", "en": "caregraph – reference"},
    "other": {"de": "English", "en": "Deutsch"},
    "targets": {"de": "Ziele", "en": "targets"},
    "constraints": {"de": "Bedingungen", "en": "constraints"},
    "params": {"de": "Parameter", "en": "parameters"},
    "columns": {"de": "Spalten", "en": "columns"},
    "theme": {"de": "Thema", "en": "theme"},
    "none": {"de": "keine", "en": "none"},
    "notation": {"de": "Kürzel", "en": "notation"},
    "concept": {"de": "Begriff", "en": "concept"},
    "definition": {"de": "Definition", "en": "definition"},
}


@dataclass(frozen=True)
class DocsResult:
    """What ``build_docs`` wrote."""

    folder: Path
    files: list[Path]


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _text(graph: rdflib.Graph, node: Node, props: Iterable[URIRef], lang: str) -> str:
    values: list[Node] = []
    for prop in props:
        values.extend(graph.objects(node, prop))
    return pick_text(values, lang)


def _anchor(node: Node) -> str:
    return compact(str(node)).replace(":", "-")


def _page(title: str, lang: str, body: str, up: str = "index.html") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_e(title)}</title>\n"
        "<style>body{font-family:sans-serif;max-width:60em;margin:auto;padding:1em}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em;"
        "vertical-align:top}pre{background:#f4f4f4;padding:.5em;overflow:auto}</style>\n"
        f'</head>\n<body>\n<p><a href="{up}">{_e(_WORDS["reference"][lang])}</a></p>\n'
        f"<h1>{_e(title)}</h1>\n{body}</body>\n</html>\n"
    )


def _one_language(graph: rdflib.Graph, lang: str) -> rdflib.Graph:
    """``graph`` without texts in other languages (untagged texts stay)."""
    kept = rdflib.Graph()
    for prefix, namespace in graph.namespaces():
        kept.bind(prefix, namespace)
    for triple in graph:
        o = triple[2]
        if isinstance(o, Literal) and o.language and o.language != lang:
            continue
        kept.add(triple)
    return kept


def _without_schemes(ontology: rdflib.Graph) -> rdflib.Graph:
    """The ontology without concept schemes and concepts (and their AllDifferent axioms)."""
    vocab = set(ontology.subjects(RDF.type, SKOS.ConceptScheme)) | set(
        ontology.subjects(RDF.type, SKOS.Concept)
    )
    rest = rdflib.Graph()
    for prefix, namespace in ontology.namespaces():
        rest.bind(prefix, namespace)
    different = set(ontology.subjects(RDF.type, OWL.AllDifferent))
    for s, p, o in ontology:
        if s in vocab or s in different:
            continue
        if p == RDF.first and o in vocab:
            continue
        rest.add((s, p, o))
    return rest


def ontology_page(ontology: rdflib.Graph, lang: str) -> str:
    """The pyLODE page of the ontology's classes and properties in ``lang``."""
    from pylode import OntPub  # imported here: pyLODE loads its background ontologies on import

    logging.getLogger().setLevel(max(logging.getLogger().level, logging.WARNING))
    graph = _one_language(_without_schemes(ontology), lang)
    return str(OntPub(ontology=graph, sort_subjects=True).make_html())


def vocabularies_page(ontology: rdflib.Graph, lang: str) -> str:
    """Every concept scheme of the ontology with its concepts."""
    parts = []
    for scheme in sorted(ontology.subjects(RDF.type, SKOS.ConceptScheme), key=str):
        name = _text(ontology, scheme, [SKOS.prefLabel, RDFS.label], lang)
        rows = []
        concepts = sorted(ontology.subjects(SKOS.inScheme, scheme), key=str)
        for concept in concepts:
            rows.append(
                f'<tr id="{_anchor(concept)}"><td><code>{_e(compact(str(concept)))}</code></td>'
                f"<td>{_e(_text(ontology, concept, [SKOS.notation], lang))}</td>"
                f"<td>{_e(_text(ontology, concept, [SKOS.prefLabel, RDFS.label], lang))}</td>"
                f"<td>{_e(_text(ontology, concept, [SKOS.definition], lang))}</td></tr>"
            )
        head = "".join(f"<th>{_e(_WORDS[w][lang])}</th>" for w in ("concept", "notation"))
        parts.append(
            f'<h2 id="{_anchor(scheme)}">{_e(name)} <code>{_e(compact(str(scheme)))}</code></h2>\n'
            f"<p>{_e(_text(ontology, scheme, [SKOS.definition], lang))}</p>\n"
            f"<p>{_e(_text(ontology, scheme, [SKOS.scopeNote], lang))}</p>\n"
            f"<table><tr>{head}<th>label</th>"
            f"<th>{_e(_WORDS['definition'][lang])}</th></tr>\n" + "\n".join(rows) + "</table>\n"
        )
    return _page(_TITLES["vocabularies"][lang], lang, "".join(parts))


def _path_text(shapes: rdflib.Graph, path: Node | None) -> str:
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return compact(str(path))
    inverse = shapes.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _path_text(shapes, inverse)
    items = (
        list(rdflib.collection.Collection(shapes, path))
        if (path, RDF.first, None) in shapes
        else []
    )
    return "/".join(_path_text(shapes, i) for i in items) or "(path)"


def shapes_page(shapes: rdflib.Graph, lang: str) -> str:
    """Every node shape with its targets and the messages of its constraints."""
    parts = []
    node_shapes = sorted(
        s for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)
    )
    for shape in node_shapes:
        targets = [
            f"{compact(str(p))} {compact(str(o))}"
            for p in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
            for o in shapes.objects(shape, p)
        ]
        if (shape, SH.target, None) in shapes:
            targets.append("SPARQL")
        items = []
        for prop in sorted(shapes.objects(shape, SH.property), key=str):
            message = _text(shapes, prop, [SH.message, SH.description, SH.name], lang)
            items.append(
                f"<li><code>{_e(_path_text(shapes, shapes.value(prop, SH.path)))}</code>: "
                f"{_e(message)}</li>"
            )
        parts.append(
            f'<h2 id="{_anchor(shape)}"><code>{_e(compact(str(shape)))}</code> '
            f"{_e(_text(shapes, shape, [SH.name], lang))}</h2>\n"
            f"<p>{_e(_text(shapes, shape, [SH.description], lang))}</p>\n"
            f"<p>{_e(_WORDS['targets'][lang])}: {_e(', '.join(targets) or '–')}</p>\n"
            + (f"<ul>{''.join(items)}</ul>\n" if items else "")
        )
    return _page(_TITLES["shapes"][lang], lang, "".join(parts))


def queries_page(lang: str, queries: Iterable[PathLike] | None = None) -> str:
    """The catalogue of stored queries."""
    parts = []
    for query in sorted(load_catalogue(queries), key=lambda q: (q.theme, q.id)):
        params = (
            "".join(
                f"<li><code>{_e(p.name)}</code> ({_e(p.type)}): "
                f"{_e(query.text(p.description, lang))}</li>"
                for p in query.params
            )
            or f"<li>{_e(_WORDS['none'][lang])}</li>"
        )
        columns = "".join(
            f"<li><code>{_e(c.name)}</code>: {_e(query.text(c.description, lang))}</li>"
            for c in query.columns
        )
        parts.append(
            f'<h2 id="{_e(query.id)}"><code>{_e(query.id)}</code> '
            f"{_e(query.text(query.title, lang))}</h2>\n"
            f"<p>{_e(_WORDS['theme'][lang])}: {_e(THEMES[query.theme][lang])}</p>\n"
            f"<p>{_e(query.text(query.description, lang))}</p>\n"
            f"<h3>{_e(_WORDS['params'][lang])}</h3><ul>{params}</ul>\n"
            f"<h3>{_e(_WORDS['columns'][lang])}</h3><ul>{columns}</ul>\n"
            f"<pre>{_e(query.sparql.strip())}</pre>\n"
        )
    return _page(_TITLES["queries"][lang], lang, "".join(parts))


def _index(lang: str) -> str:
    items = "".join(f'<li><a href="{p}.html">{_e(_TITLES[p][lang])}</a></li>' for p in PAGES)
    other = "en" if lang == "de" else "de"
    body = f'<ul>{items}</ul>\n<p><a href="../{other}/index.html">{_WORDS["other"][lang]}</a></p>\n'
    return _page(_WORDS["reference"][lang], lang, body)


def build_docs(folder: PathLike, *, queries: Iterable[PathLike] | None = None) -> DocsResult:
    """Write the HTML reference into ``folder`` (created if missing).

    Args:
        folder: the output folder.
        queries: extra folders of stored queries to document besides the bundled ones.

    Returns:
        The folder and the files written.

    Raises:
        OutputError: the folder cannot be created or a file cannot be written.
    """
    root = Path(folder)
    try:
        for lang in DOC_LANGS:
            (root / lang).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{root}: cannot create the folder ({exc.strerror}).") from exc
    ontology = load_ontology()
    shapes = load_shapes()
    written = []
    for lang in DOC_LANGS:
        pages = {
            "index": _index(lang),
            "ontology": ontology_page(ontology, lang),
            "vocabularies": vocabularies_page(ontology, lang),
            "shapes": shapes_page(shapes, lang),
            "queries": queries_page(lang, queries),
        }
        for name, text in pages.items():
            path = root / lang / f"{name}.html"
            write_atomic(path, text)
            written.append(path)
    top = root / "index.html"
    links = "".join(
        f'<li><a href="{lang}/index.html">{_e(_WORDS["reference"][lang])} ({lang})</a></li>'
        for lang in DOC_LANGS
    )
    write_atomic(top, _page("caregraph", "en", f"<ul>{links}</ul>\n", up="index.html"))
    written.append(top)
    return DocsResult(root, written)
