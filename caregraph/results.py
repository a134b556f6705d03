"""Query results as a small table of RDF terms, with conversions for analysts."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from caregraph.cells import protect

Row = tuple[Node | None, ...]


def term_value(term: Node | None) -> Any:
    """A plain Python value for a term: IRIs and text as strings, numbers as numbers."""
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, bool | int | float):
            return value
        return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def term_text(term: Node | None, namespaces: NamespaceManager | None = None) -> str:
    """The text of a term for tables and CSV: compact IRIs where a prefix is known."""
    if term is None:
        return ""
    if isinstance(term, URIRef) and namespaces is not None:
        try:
            prefix, _, local = namespaces.compute_qname(str(term), generate=False)
        except (ValueError, KeyError):
            return str(term)
        return f"{prefix}:{local}" if prefix else str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


@dataclass
class ResultTable:
    """The rows of a SELECT query.

    Attributes:
        columns: the projected variable names, in order.
        rows: one tuple of RDF terms (``None`` where unbound) per solution.
    """

    columns: list[str]
    rows: list[Row] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def to_dicts(self) -> list[dict[str, Any]]:
        """One dict per row, column name to plain value (unbound cells are None)."""
        return [
            {name: term_value(cell) for name, cell in zip(self.columns, row, strict=True)}
            for row in self.rows
        ]

    def to_json(self, indent: int | None = 2) -> str:
        """The rows as a JSON list of objects."""
        return json.dumps(self.to_dicts(), ensure_ascii=False, indent=indent) + "\n"

    def to_csv(
        self, delimiter: str = ",", lineterminator: str = "\n", *, safe: bool = False
    ) -> str:
        """The rows as CSV with a header line (IRIs written in full).

        With ``safe``, text that a spreadsheet would run as a formula (``=``, ``+``, ``-``,
        ``@`` first) is written so that it shows as text (``caregraph.cells.protect``).
        """

        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator=lineterminator)
        writer.writerow(self.columns)
        for row in self.rows:
            texts = [term_text(cell) for cell in row]
            writer.writerow([protect(t) for t in texts] if safe else texts)
        return buffer.getvalue()

    def to_dataframe(self) -> Any:
        """The rows as a pandas DataFrame (needs pandas installed)."""
        import pandas as pd  # optional dependency: imported only when asked for

        return pd.DataFrame(self.to_dicts(), columns=self.columns)
