"""Validation layer 1, syntax: every file parsed by its extension, each failure a finding.

Files are parsed one by one into their own graphs, so that one bad file does not hide the
next, and so that later layers can tell which file a triple came from.
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import rdflib
from rdflib import Literal, URIRef

from caregraph.errors import InputError, ParseError
from caregraph.loading import format_for, parse_text, read_text
from caregraph.namespaces import short
from caregraph.positions import PositionIndex, index_file
from caregraph.safety import MAX_FILE_BYTES, network_problem, size_problem
from caregraph.validation.findings import ILL_TYPED, Finding
from caregraph.validation.literals import CHECKED, ill_typed

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
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror}).") from exc
    too_big = size_problem(path, size, max_bytes)
    if too_big:
        return _finding(path, f"cannot read this {fmt.name} file: {too_big}", "too-large", 1, 1)
    try:
        text = read_text(path, fmt)
        if not allow_network:
            refused = network_problem(path, text)
            if refused:
                why, refused_line = refused
                message = f"cannot parse this {fmt.name} file: {why}"
                return _finding(path, message, "network", refused_line, 1)
        with _quiet_rdflib():  # ill-typed literals are reported as findings, not logged
            graph = parse_text(path, text, fmt)
    except ParseError as exc:
        message = f"cannot parse this {exc.syntax} file: {exc.reason}"
        finding = _finding(path, message, "parse", exc.line, exc.column)
        return _with_offending_text(finding, path)
    parsed.graphs[path] = graph
    parsed.indexes[path] = index_file(path, text)
    parsed.index.update(parsed.indexes[path])
    parsed.findings.extend(ill_typed_findings(path, graph, parsed.indexes[path]))
    return None


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


def _with_offending_text(finding: Finding, path: Path) -> Finding:
    """Add the text at the error's place (up to 40 characters) as the finding's value."""
    if not finding.line:
        return finding
    lines = path.read_bytes().decode("utf-8", "replace").splitlines()
    if finding.line > len(lines):
        return finding
    source = lines[finding.line - 1]
    start = max((finding.column or 1) - 1, 0)
    snippet = (source[start:] or source).strip()[:40]
    return replace(finding, value=snippet or None)
