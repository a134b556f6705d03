"""Query results as a small table of RDF terms, with conversions for analysts."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from caregraph.cells import protect

Row = tuple[Node | None, ...]

#: Rows per piece when a table is written piece by piece (``iter_csv``, ``iter_json``).
CHUNK_ROWS = 1000


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


class LazyRows(Sequence[Row]):
    """Rows kept as the engine gave them and turned into RDF terms when first read.

    A page that shows 500 rows of a 75,000-row result reads 500 of them and only counts the
    rest; a download reads each once. Behaves as a read-only list of rows (equal to a list
    with the same rows).
    """

    __slots__ = ("_convert", "_raw", "_rows")

    def __init__(self, raw: list[Any], convert: Callable[[Any], Row]) -> None:
        self._raw = raw
        self._convert = convert
        self._rows: list[Row | None] = [None] * len(raw)

    def __len__(self) -> int:
        return len(self._raw)

    def _row(self, index: int) -> Row:
        row = self._rows[index]
        if row is None:
            row = self._rows[index] = self._convert(self._raw[index])
        return row

    @overload
    def __getitem__(self, index: int) -> Row: ...

    @overload
    def __getitem__(self, index: slice) -> list[Row]: ...

    def __getitem__(self, index: int | slice) -> Row | list[Row]:
        if isinstance(index, slice):
            return [self._row(i) for i in range(*index.indices(len(self._raw)))]
        return self._row(range(len(self._raw))[index])

    def __iter__(self) -> Iterator[Row]:
        return (self._row(i) for i in range(len(self._raw)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyRows | list | tuple):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable cache, compared by content

    def __repr__(self) -> str:
        return f"LazyRows({len(self)} rows)"


@dataclass
class ResultTable:
    """The rows of a SELECT query.

    Attributes:
        columns: the projected variable names, in order.
        rows: one tuple of RDF terms (``None`` where unbound) per solution: a list, or
            ``LazyRows`` that become terms when read.
    """

    columns: list[str]
    rows: Sequence[Row] = field(default_factory=list)

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

    def to_json(self, indent: int = 2) -> str:
        """The rows as a JSON list of objects."""
        return "".join(self.iter_json(indent))

    def iter_json(self, indent: int = 2) -> Iterator[str]:
        """``to_json`` in pieces of ``CHUNK_ROWS`` rows (the same text when joined)."""
        if not self.rows:
            yield "[]\n"
            return
        pad = " " * indent
        head = "[\n"
        for start in range(0, len(self.rows), CHUNK_ROWS):
            objects = (
                json.dumps(
                    {name: term_value(cell) for name, cell in zip(self.columns, row, strict=True)},
                    ensure_ascii=False,
                    indent=indent,
                )
                for row in self.rows[start : start + CHUNK_ROWS]
            )
            # json.dumps of the list indents each object one level deeper; so does this.
            yield head + ",\n".join(pad + text.replace("\n", "\n" + pad) for text in objects)
            head = ",\n"
        yield "\n]\n"

    def to_csv(
        self, delimiter: str = ",", lineterminator: str = "\n", *, safe: bool = False
    ) -> str:
        """The rows as CSV with a header line (IRIs written in full).

        With ``safe``, text that a spreadsheet would run as a formula (``=``, ``+``, ``-``,
        ``@`` first) is written so that it shows as text (``caregraph.cells.protect``).
        """
        return "".join(self.iter_csv(delimiter, lineterminator, safe=safe))

    def iter_csv(
        self, delimiter: str = ",", lineterminator: str = "\n", *, safe: bool = False
    ) -> Iterator[str]:
        """``to_csv`` in pieces of ``CHUNK_ROWS`` rows (the same text when joined)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator=lineterminator)
        writer.writerow(self.columns)
        for number, row in enumerate(self.rows, 1):
            texts = [term_text(cell) for cell in row]
            writer.writerow([protect(t) for t in texts] if safe else texts)
            if number % CHUNK_ROWS == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    def to_dataframe(self) -> Any:
        """The rows as a pandas DataFrame (needs pandas installed)."""
        import pandas as pd  # optional dependency: imported only when asked for

        return pd.DataFrame(self.to_dicts(), columns=self.columns)
