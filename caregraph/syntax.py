"""Validation layer 1: every file parsed by its extension, each failure a finding with its place.

Files are parsed one by one into their own graphs, so that one bad file does not hide the
next, and so that later layers can tell which file a triple came from.
"""

from __future__ import annotations

import codecs
import json
import xml.sax
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from rdflib.plugins.parsers.notation3 import BadSyntax

from caregraph.errors import InputError
from caregraph.findings import Finding
from caregraph.loading import _position, format_for, parse_file
from caregraph.positions import PositionIndex, index_file
from caregraph.safety import MAX_FILE_BYTES, size_problem, text_problem

SYNTAX_HINT = "Fix the syntax at that place (or leave the file out) and run again."


@dataclass
class ParsedFiles:
    """What layer 1 read: one graph per file, their union, positions and syntax findings."""

    files: list[Path]
    graphs: dict[Path, rdflib.Graph] = field(default_factory=dict)
    index: PositionIndex = field(default_factory=PositionIndex)
    indexes: dict[Path, PositionIndex] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def merged(self) -> rdflib.Graph:
        """All parsed files in one graph."""
        graph = rdflib.Graph()
        for part in self.graphs.values():
            graph += part
        return graph


def read_files(
    files: Iterable[Path], *, allow_network: bool = False, max_bytes: int = MAX_FILE_BYTES
) -> ParsedFiles:
    """Parse every file, collecting syntax errors as findings instead of stopping at the first.

    Raises:
        InputError: a file cannot be read at all (missing, no permission).
    """
    parsed = ParsedFiles(files=list(files))
    for path in parsed.files:
        finding = _check_and_parse(path, parsed, allow_network, max_bytes)
        if finding is not None:
            parsed.findings.append(finding)
    return parsed


def _check_and_parse(
    path: Path, parsed: ParsedFiles, allow_network: bool, max_bytes: int
) -> Finding | None:
    fmt = format_for(path)
    try:
        size = path.stat().st_size
        too_big = size_problem(path, size, max_bytes)
        if too_big:
            return _finding(path, f"cannot read this {fmt.name} file: {too_big}", "too-large", 1, 1)
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror}).") from exc
    text = data.removeprefix(codecs.BOM_UTF8).decode("utf-8", "replace")
    refused = text_problem(path, text, allow_network=allow_network)
    if refused:
        why, refused_line = refused
        message = f"cannot parse this {fmt.name} file: {why}"
        kind = "network" if "--allow-network" in why else "refused"
        return _finding(path, message, kind, refused_line, 1)
    try:
        graph = parse_file(path, allow_network=True)  # refused above unless allowed
    except InputError as exc:
        line, column, why = _error_place(exc.__cause__, data)
        if line is None and fmt.rdflib in ("nt", "nquads"):
            line = _first_bad_line(text, fmt.rdflib)
        message = f"cannot parse this {fmt.name} file: {why.rstrip('.')}"
        finding = _finding(path, message, "parse", line, column)
        return _with_offending_text(finding, text)
    parsed.graphs[path] = graph
    parsed.indexes[path] = index_file(path, text)
    parsed.index.update(parsed.indexes[path])
    return None


def _error_place(cause: BaseException | None, data: bytes) -> tuple[int | None, int | None, str]:
    """Line, column and reason of a parser's exception, as ``loading.parse_file`` reads them."""
    if isinstance(cause, BadSyntax):
        at_line, at_column = _position(cause._str, cause._i)
        return at_line, at_column, " ".join(cause._why.split())
    if isinstance(cause, xml.sax.SAXParseException):
        xml_column = cause.getColumnNumber()
        return (
            cause.getLineNumber(),
            None if xml_column is None else xml_column + 1,
            cause.getMessage(),
        )
    if isinstance(cause, json.JSONDecodeError):
        return cause.lineno, cause.colno, cause.msg
    if isinstance(cause, UnicodeDecodeError):
        at_line, at_column = _position(data[: cause.start].decode("utf-8", "replace"), cause.start)
        return at_line, at_column, "the file is not UTF-8"
    where = getattr(cause, "lineno", None) or getattr(cause, "line", None)
    why = " ".join((str(cause) or type(cause).__name__).split()) if cause else "unknown error"
    return (where if isinstance(where, int) else None), None, why


def _first_bad_line(text: str, rdflib_format: str) -> int | None:
    """The first line that fails alone: rdflib's line-based parsers do not say which one."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            rdflib.Dataset().parse(data=line, format=rdflib_format)
        except Exception:  # any parser error marks the line
            return number
    return None


def _finding(path: Path, message: str, kind: str, line: int | None, column: int | None) -> Finding:
    return Finding(
        severity="error",
        focus="",
        focus_label=None,
        path=None,
        value=None,
        message=message,
        shape=f"syntax/{kind}",
        layer="syntax",
        file=path,
        line=line,
        column=column,
        hint=SYNTAX_HINT,
        rule=f"syntax/{kind}",
    )


def _with_offending_text(finding: Finding, text: str) -> Finding:
    """Add the text at the error's place (up to 40 characters) as the finding's value."""
    if not finding.line:
        return finding
    lines = text.splitlines()
    if finding.line > len(lines):
        return finding
    source = lines[finding.line - 1]
    start = max((finding.column or 1) - 1, 0)
    snippet = (source[start:] or source).strip()[:40]
    from dataclasses import replace

    return replace(finding, value=snippet or None)
