"""Rendering results for people (rich tables) and programs (CSV, JSON, the W3C formats).

The writers here are the ones ``caregraph.formats`` names; files are written by
``caregraph.outfile``.
"""

from __future__ import annotations

import io
import json
import os
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import cast

import rdflib
from rdflib import BNode, Literal, URIRef, Variable
from rdflib.query import Result
from rdflib.term import Identifier, Node
from rich.console import Console
from rich.table import Table

from caregraph.binding import term_syntax
from caregraph.formats import BOOLEAN_FORMATS, GRAPH_FORMATS, RESULT_FORMATS
from caregraph.labels import labels_for
from caregraph.namespaces import bind_prefixes, compact
from caregraph.results import CHUNK_ROWS, ResultTable, term_text
from caregraph.store import GraphStore
from caregraph.textsafe import for_terminal, for_xml

SRX_NS = "http://www.w3.org/2005/sparql-results#"


def render_table(
    table: ResultTable, store: GraphStore | None, lang: str, title: str | None = None
) -> Table:
    """A rich table showing labels instead of IRIs where the graph has them."""
    table = for_reading(table)
    cells = [cell for row in table.rows for cell in row if cell is not None]
    labels = labels_for(store, cells, lang) if store is not None else {}
    out = Table(title=title, show_lines=False, header_style="bold")
    for column in table.columns:
        out.add_column(column, overflow="fold")
    for row in table.rows:
        out.add_row(*(for_terminal(_cell_text(cell, labels)) for cell in row))
    return out


def for_reading(table: ResultTable) -> ResultTable:
    """Drop each ``x_label`` column that has its IRI column ``x`` beside it.

    The table shows ``x`` by its label in the reader's language, which makes the
    query's own (often German-only) label column redundant. Spreadsheet and
    machine formats keep every column; this is for tables and Markdown.
    """
    keep = [
        i
        for i, c in enumerate(table.columns)
        if not (c.endswith("_label") and c.removesuffix("_label") in table.columns)
    ]
    return ResultTable(
        [table.columns[i] for i in keep], [tuple(r[i] for i in keep) for r in table.rows]
    )


def _cell_text(cell: Node | None, labels: dict[URIRef, str]) -> str:
    """A cell for people: an IRI by its label, else by its prefixed name (``rdf:type``)."""
    if isinstance(cell, URIRef):
        return labels.get(cell) or compact(str(cell))
    return term_text(cell)


def to_rdflib_result(table: ResultTable) -> Result:
    """The table as an rdflib query result, for rdflib's W3C result serializers."""
    result = Result("SELECT")
    result.vars = [Variable(c) for c in table.columns]
    result.bindings = [
        {
            Variable(c): cast(Identifier, cell)
            for c, cell in zip(table.columns, row, strict=True)
            if cell is not None
        }
        for row in table.rows
    ]
    return result


def iter_sparql_tsv(table: ResultTable) -> Iterator[str]:
    """W3C SPARQL 1.1 TSV (``?var`` headers, terms in Turtle/N-Triples syntax), in pieces
    of ``CHUNK_ROWS`` rows."""
    yield "\t".join("?" + c for c in table.columns) + "\n"
    for start in range(0, len(table.rows), CHUNK_ROWS):
        yield "".join(
            "\t".join(_tsv_term(cell) for cell in row) + "\n"
            for row in table.rows[start : start + CHUNK_ROWS]
        )


def _tsv_term(cell: Node | None) -> str:
    if cell is None:
        return ""
    if isinstance(cell, BNode):
        return f"_:{cell}"
    return term_syntax(cell)


def to_srx(table: ResultTable) -> str:
    """W3C SPARQL Query Results XML (written here: rdflib's drops falsy literals like 0)."""
    root = ET.Element("sparql", xmlns=SRX_NS)
    head = ET.SubElement(root, "head")
    for column in table.columns:
        ET.SubElement(head, "variable", name=column)
    results = ET.SubElement(root, "results")
    for row in table.rows:
        result = ET.SubElement(results, "result")
        for column, cell in zip(table.columns, row, strict=True):
            if cell is None:
                continue
            binding = ET.SubElement(result, "binding", name=column)
            if isinstance(cell, URIRef):
                ET.SubElement(binding, "uri").text = str(cell)
            elif isinstance(cell, BNode):
                ET.SubElement(binding, "bnode").text = str(cell)
            else:
                literal = ET.SubElement(binding, "literal")
                literal.text = str(cell)
                if isinstance(cell, Literal) and cell.language:
                    literal.set("xml:lang", cell.language)
                elif isinstance(cell, Literal) and cell.datatype is not None:
                    literal.set("datatype", str(cell.datatype))
    document = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + for_xml(document) + "\n"


def to_markdown(table: ResultTable, store: GraphStore | None, lang: str) -> str:
    """A GitHub-flavoured Markdown table, labels in place of IRIs."""
    table = for_reading(table)
    cells = [cell for row in table.rows for cell in row if cell is not None]
    labels = labels_for(store, cells, lang) if store is not None else {}

    def escape(text: str) -> str:
        escaped = text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")
        return for_terminal(escaped)

    lines = [
        "| " + " | ".join(escape(c) for c in table.columns) + " |",
        "|" + "---|" * len(table.columns),
    ]
    for row in table.rows:
        lines.append("| " + " | ".join(escape(_cell_text(c, labels)) for c in row) + " |")
    return "\n".join(lines) + "\n"


def format_result(table: ResultTable, fmt: str, store: GraphStore | None, lang: str) -> str:
    """Render a result table as text in one of ``RESULT_FORMATS``.

    Raises:
        UsageError: the format is unknown.
    """
    return RESULT_FORMATS.get(fmt).write(table, store, lang)


def result_chunks(
    table: ResultTable, fmt: str, store: GraphStore | None, lang: str
) -> Iterator[str]:
    """``format_result`` in pieces, for streaming a large result (CSV, TSV, JSON are
    written a thousand rows at a time; other formats come as one piece).

    Raises:
        UsageError: the format is unknown (raised at once, before any piece).
    """
    return RESULT_FORMATS.get(fmt).chunks(table, store, lang)


def format_boolean(answer: bool, fmt: str) -> str:
    """An ASK answer in one of ``BOOLEAN_FORMATS``.

    Raises:
        UsageError: the format cannot carry a boolean (e.g. ``csv``).
    """
    return BOOLEAN_FORMATS.get(fmt).write(answer)


def format_graph(graph: rdflib.Graph, fmt: str) -> str:
    """Serialize a graph in one of ``GRAPH_FORMATS``, with caregraph's prefixes.

    Raises:
        UsageError: the format is unknown.
    """
    return GRAPH_FORMATS.get(fmt).write(graph)


# The writers the registries in ``caregraph.formats`` name: (table, store, lang) -> text.


def write_table(table: ResultTable, store: GraphStore | None, lang: str) -> str:
    """A table for people, as wide as the console, with the row count below."""
    console = Console(record=True, width=console_width(), file=io.StringIO())
    console.print(render_table(table, store, lang))
    one, many = _ROWS.get(lang, _ROWS["en"])
    console.print(f"{len(table)} {one if len(table) == 1 else many}")
    return console.export_text()


#: The row count under a table, in the reader's language.
_ROWS = {"en": ("row", "rows"), "de": ("Zeile", "Zeilen")}


def write_markdown(table: ResultTable, store: GraphStore | None, lang: str) -> str:
    """A GitHub-flavoured Markdown table, labels in place of IRIs."""
    return to_markdown(table, store, lang)


def write_csv(table: ResultTable, store: GraphStore | None, lang: str) -> Iterator[str]:
    """CSV with a header line, IRIs in full."""
    return table.iter_csv(safe=True)


def write_tsv(table: ResultTable, store: GraphStore | None, lang: str) -> Iterator[str]:
    """Tab-separated values with a header line."""
    return table.iter_csv(delimiter="\t")


def write_excel(table: ResultTable, store: GraphStore | None, lang: str) -> Iterator[str]:
    """What Excel opens by double-click in a German locale: a byte-order mark to say UTF-8,
    semicolons, CRLF line ends."""
    yield "\ufeff"
    yield from table.iter_csv(delimiter=";", lineterminator="\r\n", safe=True)


def write_json(table: ResultTable, store: GraphStore | None, lang: str) -> Iterator[str]:
    """A JSON list of objects, one per row."""
    return table.iter_json()


def write_srj(table: ResultTable, store: GraphStore | None, lang: str) -> str:
    """W3C SPARQL 1.1 Query Results JSON."""
    data = to_rdflib_result(table).serialize(format="json", encoding="utf-8")
    return (data or b"").decode("utf-8")


def write_srx(table: ResultTable, store: GraphStore | None, lang: str) -> str:
    """W3C SPARQL Query Results XML."""
    return to_srx(table)


def write_sparql_csv(table: ResultTable, store: GraphStore | None, lang: str) -> str:
    """W3C SPARQL 1.1 Query Results CSV."""
    data = to_rdflib_result(table).serialize(format="csv", encoding="utf-8")
    return (data or b"").decode("utf-8")


def write_sparql_tsv(table: ResultTable, store: GraphStore | None, lang: str) -> Iterator[str]:
    """W3C SPARQL 1.1 Query Results TSV."""
    return iter_sparql_tsv(table)


def write_boolean_text(answer: bool) -> str:
    """``true`` or ``false`` on a line."""
    return ("true" if answer else "false") + "\n"


def write_boolean_json(answer: bool) -> str:
    """``{"boolean": true}``: the plain JSON of an ASK answer."""
    return json.dumps({"boolean": answer}) + "\n"


def _boolean_result(answer: bool, rdflib_format: str) -> str:
    result = Result("ASK")
    result.askAnswer = answer
    data = result.serialize(format=rdflib_format, encoding="utf-8")
    return (data or b"").decode("utf-8")


def write_boolean_srj(answer: bool) -> str:
    """W3C SPARQL 1.1 Query Results JSON of an ASK answer."""
    return _boolean_result(answer, "json")


def write_boolean_srx(answer: bool) -> str:
    """W3C SPARQL Query Results XML of an ASK answer."""
    return _boolean_result(answer, "xml")


def write_graph(graph: rdflib.Graph, rdflib_format: str) -> str:
    """A graph in an rdflib syntax, with caregraph's prefixes bound."""
    bind_prefixes(graph)
    text = graph.serialize(format=rdflib_format)
    # rdflib writes control characters into RDF/XML as they are, which no XML parser reads.
    return for_xml(text) if rdflib_format in ("xml", "pretty-xml") else text


def console_width() -> int:
    """The width for tables: the terminal's; elsewhere $COLUMNS (default 120); at least 40."""
    if sys.stdout.isatty():
        try:
            return max(os.get_terminal_size(sys.stdout.fileno()).columns, 40)
        except OSError:
            pass
    try:
        return max(int(os.environ.get("COLUMNS", "120")), 40)
    except ValueError:
        return 120
