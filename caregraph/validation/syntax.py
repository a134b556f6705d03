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

import pyoxigraph as ox
import rdflib
from rdflib import RDF, Literal, URIRef

from caregraph.datafiles import format_for
from caregraph.errors import SYNTAX_HINT, InputError, ParseError, syntax_hint
from caregraph.loading import parse_text, read_text
from caregraph.namespaces import short
from caregraph.positions import (
    QUICK_INDEX_BYTES,
    ChainedIndex,
    PositionIndex,
    QuickIndex,
    index_file,
)
from caregraph.safety import MAX_FILE_BYTES, size_problem, text_problem
from caregraph.validation.findings import ILL_TYPED, Finding
from caregraph.validation.literals import CHECKED, ill_typed
from caregraph.validation.progress import Progress, ProgressCallback, silent

REFUSED_HINT = (
    "caregraph refuses this to keep parsing safe and offline; change the file as the message "
    "says (or leave it out)."
)
TOO_LARGE_HINT = "Split the file, or raise the limit with --max-file-size MB."

# rdflib logs a traceback for every ill-typed literal it meets, wherever the literal is
# made (parsers, query results); caregraph reports them as findings instead. A handler on
# rdflib's logger keeps Python's last-resort handler from printing them; an application
# that configures logging still receives them.
logging.getLogger("rdflib.term").addHandler(logging.NullHandler())


@dataclass
class ParsedFiles:
    """What layer 1 read: one graph per file, their union, positions and syntax findings."""

    files: list[Path]
    graphs: dict[Path, rdflib.Graph] = field(default_factory=dict)
    index: PositionIndex = field(default_factory=PositionIndex)
    indexes: dict[Path, PositionIndex] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    #: Large files, checked by Oxigraph's parser and never held as rdflib graphs here.
    large: list[Path] = field(default_factory=list)
    #: The IRIs each large file uses, by role (``term``, ``property``, ``class``), gathered
    #: in the same pass, so that the vocabulary layer need not read the file again.
    roles: dict[Path, dict[str, set[str]]] = field(default_factory=dict)

    @property
    def parsed(self) -> list[Path]:
        """The files that parsed, in the order given."""
        return [f for f in self.files if f in self.graphs or f in self.large]

    def merged(self) -> rdflib.Graph:
        """All parsed files in one graph (large files are parsed into it now, by rdflib)."""
        graph = rdflib.Graph()
        for path in self.parsed:
            if path in self.graphs:
                graph += self.graphs[path]
            else:
                with _quiet_rdflib():
                    parse_text(path, read_text(path), format_for(path), graph)
        return graph


def read_files(
    files: Iterable[Path],
    *,
    allow_network: bool = False,
    max_bytes: int = MAX_FILE_BYTES,
    progress: ProgressCallback = silent,
) -> ParsedFiles:
    """Parse every file, collecting syntax errors as findings instead of stopping at the first.

    ``progress`` is called after each file (a ``file`` event).

    Raises:
        InputError: a file cannot be read at all (missing, no permission).
    """
    parsed = ParsedFiles(files=list(files))
    for number, path in enumerate(parsed.files, start=1):
        if not _read_large(path, parsed, allow_network, max_bytes):
            finding = _check_and_parse(path, parsed, allow_network, max_bytes)
            if finding is not None:
                parsed.findings.append(finding)
        progress(Progress("syntax", "file", path, number, len(parsed.files)))
    if parsed.large:
        chained = ChainedIndex([parsed.indexes[p] for p in parsed.files if p in parsed.indexes])
        parsed.index = chained
    return parsed


def _read_large(path: Path, parsed: ParsedFiles, allow_network: bool, max_bytes: int) -> bool:
    """Check a large Turtle, N-Triples or N-Quads file with Oxigraph's parser, streaming.

    Such a file is never held as an rdflib graph (a million triples would take 30 s and
    1.5 GB): its syntax and literals are checked in one pass, which also gathers the IRIs
    it uses by role (``ParsedFiles.roles``), and its positions are found on demand
    (``QuickIndex``). Returns False for a file to read the usual way: small, of
    another syntax, or with an error (whose report then comes from the usual parser).
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror}).") from exc
    fmt = format_for(path)
    if size <= QUICK_INDEX_BYTES or size > max_bytes or fmt.rdflib not in _STREAMED:
        return False
    try:
        text = read_text(path, fmt)
    except ParseError:
        return False
    typed: list[tuple[ox.NamedNode | ox.BlankNode | ox.Triple, str, str, str]] = []
    named, literal = ox.NamedNode, ox.Literal
    terms: set[str] = set()
    properties: set[str] = set()
    classes: set[str] = set()
    try:
        for quad in ox.parse(
            text.encode("utf-8"),
            _STREAMED[fmt.rdflib],
            base_iri=path.resolve().as_uri(),
            rename_blank_nodes=True,
        ):
            subject, predicate, value = quad.subject, quad.predicate.value, quad.object
            if type(subject) is named:
                terms.add(subject.value)
            properties.add(predicate)
            if type(value) is literal:
                if value.datatype.value in CHECKED:
                    typed.append((subject, predicate, value.value, value.datatype.value))
            elif type(value) is named:
                (classes if predicate == _TYPE else terms).add(value.value)
    except (SyntaxError, MemoryError):  # MemoryError: a token over Oxigraph's 16 MB buffer
        return False
    index = QuickIndex(path, text)
    parsed.large.append(path)
    parsed.roles[path] = {"term": terms, "property": properties, "class": classes}
    parsed.indexes[path] = index
    for subject, predicate, lexical, datatype in typed:
        expected = ill_typed(lexical, datatype)
        if expected is not None:
            focus = subject.value if type(subject) is named else None
            parsed.findings.append(
                _ill_typed(path, index, focus, predicate, lexical, datatype, expected)
            )
    return True


_TYPE = str(RDF.type)

#: The syntaxes streamed by ``_read_large`` and their Oxigraph names.
_STREAMED = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
}


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
        with _quiet_rdflib():  # ill-typed literals are reported as findings, not logged
            graph = parse_text(path, text, fmt)
    except ParseError as exc:
        message = f"cannot parse this {exc.syntax} file: {exc.reason}"
        finding = _finding(
            path, message, "parse", exc.line, exc.column, hint=syntax_hint(exc.syntax)
        )
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
        focus = str(subject) if isinstance(subject, URIRef) else None
        found.append(
            _ill_typed(
                path, index, focus, str(predicate), str(value), str(value.datatype), expected
            )
        )
    return found


def _ill_typed(
    path: Path,
    index: PositionIndex,
    focus: str | None,
    predicate: str,
    lexical: str,
    datatype: str,
    expected: str,
) -> Finding:
    where = index.locate(focus, predicate) if focus else None
    return Finding(
        severity="error",
        focus=focus or "",
        focus_label=None,
        path=predicate,
        value=lexical,
        message=f'"{lexical}" is not a valid {short(datatype)} (the literal is ill-typed)',
        shape=ILL_TYPED,
        layer="syntax",
        file=path,
        line=where.line if where else None,
        column=where.column if where else None,
        hint=f"Write the value as {expected}, or give it the datatype it has.",
        rule=ILL_TYPED,
    )


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
