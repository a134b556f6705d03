"""Validation layer 1, syntax: every file parsed by its extension, each failure a finding.

Files are parsed one by one into their own graphs, so that one bad file does not hide the
next, and so that later layers can tell which file a triple came from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import rdflib

from caregraph.errors import InputError, ParseError
from caregraph.loading import format_for, parse_text, read_text
from caregraph.positions import PositionIndex, index_file
from caregraph.safety import MAX_FILE_BYTES, size_problem, text_problem
from caregraph.validation.findings import Finding

SYNTAX_HINT = "Fix the syntax at that place (or leave the file out) and run again."
REFUSED_HINT = (
    "caregraph refuses this to keep parsing safe and offline; change the file as the message "
    "says (or leave it out)."
)
TOO_LARGE_HINT = "Split the file, or raise the limit with --max-file-size MB."


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
        message = f"caregraph does not read this {fmt.name} file: {too_big}"
        return _finding(path, message, "too-large", None, None, hint=TOO_LARGE_HINT)
    try:
        text = read_text(path, fmt)
        refused = text_problem(path, text, allow_network=allow_network)
        if refused:
            why, refused_line = refused
            kind = "network" if "--allow-network" in why else "refused"
            message = f"cannot parse this {fmt.name} file: {why}"
            return _finding(path, message, kind, refused_line, 1, hint=REFUSED_HINT)
        graph = parse_text(path, text, fmt)
    except ParseError as exc:
        message = f"cannot parse this {exc.syntax} file: {exc.reason}"
        finding = _finding(path, message, "parse", exc.line, exc.column)
        return _with_offending_text(finding, path)
    parsed.graphs[path] = graph
    parsed.indexes[path] = index_file(path, text)
    parsed.index.update(parsed.indexes[path])
    return None


def _finding(
    path: Path,
    message: str,
    kind: str,
    line: int | None,
    column: int | None,
    hint: str = SYNTAX_HINT,
) -> Finding:
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
        hint=hint,
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
