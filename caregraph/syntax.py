"""Validation layer 1: every file parsed by its extension, each failure a finding with its place.

Files are parsed one by one into their own graphs, so that one bad file does not hide the
next, and so that later layers can tell which file a triple came from.
"""

from __future__ import annotations

import contextlib
import json
import logging
import warnings
import xml.sax
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from rdflib import Literal, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax

from caregraph.errors import InputError
from caregraph.findings import Finding
from caregraph.literals import CHECKED, ill_typed
from caregraph.loading import _position, format_for, parse_file
from caregraph.positions import PositionIndex, index_file
from caregraph.safety import MAX_FILE_BYTES, network_problem, size_problem
from caregraph.vocabulary import short

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
    text = data.decode("utf-8", "replace")
    if not allow_network:
        refused = network_problem(path, text)
        if refused:
            why, refused_line = refused
            message = f"cannot parse this {fmt.name} file: {why}"
            return _finding(path, message, "network", refused_line, 1)
    try:
        with _quiet_rdflib():  # ill-typed literals are reported as findings, not logged
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
    parsed.findings.extend(ill_typed_findings(path, graph, parsed.indexes[path]))
    return None


#: The rule of ill-typed literals: a finding of the syntax layer that does not stop the file.
ILL_TYPED = "syntax/ill-typed"


def ill_typed_findings(path: Path, graph: rdflib.Graph, index: PositionIndex) -> list[Finding]:
    """A finding for every literal whose lexical form its XSD datatype does not allow."""
    found = []
    for subject, predicate, value in graph:
        if not isinstance(value, Literal) or str(value.datatype) not in CHECKED:
            continue
        expected = ill_typed(str(value), str(value.datatype))
        if expected is None:
            continue
        where = index.locate(str(subject), str(predicate)) if isinstance(subject, URIRef) else None
        datatype = short(str(value.datatype))
        found.append(
            Finding(
                severity="error",
                focus=str(subject) if isinstance(subject, URIRef) else "",
                focus_label=None,
                path=str(predicate),
                value=str(value),
                message=f'"{value}" is not a valid {datatype} (the literal is ill-typed)',
                shape=ILL_TYPED,
                layer="syntax",
                file=path,
                line=where.line if where else None,
                column=where.column if where else None,
                hint=f"Write the value as {expected}, or give it the datatype it has.",
                rule=ILL_TYPED,
            )
        )
    return found


@contextlib.contextmanager
def _quiet_rdflib() -> Iterator[None]:
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            yield
    finally:
        logger.setLevel(level)


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
