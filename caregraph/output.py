"""Rendering results for people (rich tables) and programs (CSV, JSON), and safe writing."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from typing import cast

import rdflib
from rdflib import BNode, Literal, URIRef, Variable
from rdflib.query import Result
from rdflib.term import Identifier, Node
from rich.console import Console
from rich.table import Table

from caregraph.binding import term_syntax
from caregraph.labels import labels_for
from caregraph.results import ResultTable, term_text
from caregraph.store import GraphStore
from caregraph.textsafe import for_terminal, for_xml

SRX_NS = "http://www.w3.org/2005/sparql-results#"

#: Formats for SELECT results: for people, for spreadsheets and programs, and the W3C ones.
TABLE_FORMATS = (
    "table",
    "markdown",
    "csv",
    "excel",
    "tsv",
    "json",
    "srj",
    "srx",
    "sparql-csv",
    "sparql-tsv",
)


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
    if isinstance(cell, URIRef) and cell in labels:
        return labels[cell]
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


def to_sparql_tsv(table: ResultTable) -> str:
    """W3C SPARQL 1.1 TSV: ``?var`` headers, terms in Turtle/N-Triples syntax."""
    lines = ["\t".join("?" + c for c in table.columns)]
    for row in table.rows:
        lines.append("\t".join(_tsv_term(cell) for cell in row))
    return "\n".join(lines) + "\n"


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
    """Render a result table as text in one of ``TABLE_FORMATS``."""
    if fmt == "csv":
        return table.to_csv(safe=True)
    if fmt == "tsv":
        return table.to_csv(delimiter="\t")
    if fmt == "excel":
        # What Excel opens by double-click in a German locale: a byte-order mark to say
        # UTF-8, semicolons, CRLF line ends.
        return "\ufeff" + table.to_csv(delimiter=";", lineterminator="\r\n", safe=True)
    if fmt == "json":
        return table.to_json()
    if fmt == "markdown":
        return to_markdown(table, store, lang)
    if fmt == "sparql-tsv":
        return to_sparql_tsv(table)
    if fmt == "srx":
        return to_srx(table)
    if fmt in ("srj", "sparql-csv"):
        rdflib_format = {"srj": "json", "sparql-csv": "csv"}[fmt]
        data = to_rdflib_result(table).serialize(format=rdflib_format, encoding="utf-8")
        return (data or b"").decode("utf-8")
    console = Console(record=True, width=_width(), file=open(os.devnull, "w"))  # noqa: SIM115
    console.print(render_table(table, store, lang))
    console.print(f"{len(table)} row{'s' if len(table) != 1 else ''}")
    return console.export_text()


#: RDF syntaxes for CONSTRUCT and DESCRIBE results: name to (rdflib format, extension).
RDF_FORMATS = {
    "turtle": "turtle",
    "ntriples": "nt",
    "trig": "trig",
    "jsonld": "json-ld",
    "rdfxml": "xml",
}


def format_graph(graph: rdflib.Graph, fmt: str) -> str:
    """Serialize a graph in one of ``RDF_FORMATS``, with caregraph's prefixes."""
    from caregraph.namespaces import bind_prefixes

    bind_prefixes(graph)
    text = graph.serialize(format=RDF_FORMATS[fmt])
    # rdflib writes control characters into RDF/XML as they are, which no XML parser reads.
    return for_xml(text) if RDF_FORMATS[fmt] in ("xml", "pretty-xml") else text


def format_boolean(answer: bool, fmt: str) -> str:
    """An ASK answer: ``true``/``false``, or the W3C JSON/XML result documents."""
    if fmt in ("srj", "srx", "json"):
        result = Result("ASK")
        result.askAnswer = answer
        if fmt == "json":
            return json.dumps({"boolean": answer}) + "\n"
        data = result.serialize(format="json" if fmt == "srj" else "xml", encoding="utf-8")
        return (data or b"").decode("utf-8")
    return ("true" if answer else "false") + "\n"


def _width() -> int:
    try:
        return max(os.get_terminal_size().columns, 60)
    except OSError:
        return int(os.environ.get("COLUMNS", "120"))
