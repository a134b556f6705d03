"""Rendering results for people (rich tables) and programs (CSV, JSON), and safe writing."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from rdflib import URIRef
from rdflib.term import Node
from rich.console import Console
from rich.table import Table

from caregraph.labels import labels_for
from caregraph.results import ResultTable, term_text
from caregraph.store import GraphStore

TABLE_FORMATS = ("table", "csv", "tsv", "json")


def render_table(
    table: ResultTable, store: GraphStore | None, lang: str, title: str | None = None
) -> Table:
    """A rich table showing labels instead of IRIs where the graph has them."""
    cells = [cell for row in table.rows for cell in row if cell is not None]
    labels = labels_for(store, cells, lang) if store else {}
    out = Table(title=title, show_lines=False, header_style="bold")
    for column in table.columns:
        out.add_column(column, overflow="fold")
    for row in table.rows:
        out.add_row(*(_cell_text(cell, labels) for cell in row))
    return out


def _cell_text(cell: Node | None, labels: dict[URIRef, str]) -> str:
    if isinstance(cell, URIRef) and cell in labels:
        return labels[cell]
    return term_text(cell)


def format_result(table: ResultTable, fmt: str, store: GraphStore | None, lang: str) -> str:
    """Render a result table as text in one of ``TABLE_FORMATS``."""
    if fmt == "csv":
        return table.to_csv()
    if fmt == "tsv":
        return table.to_csv(delimiter="\t")
    if fmt == "json":
        return table.to_json()
    console = Console(record=True, width=_width(), file=open(os.devnull, "w"))  # noqa: SIM115
    console.print(render_table(table, store, lang))
    console.print(f"{len(table)} row{'s' if len(table) != 1 else ''}")
    return console.export_text()


def _width() -> int:
    try:
        return max(os.get_terminal_size().columns, 60)
    except OSError:
        return int(os.environ.get("COLUMNS", "120"))


def write_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file, so no half-written file remains."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
