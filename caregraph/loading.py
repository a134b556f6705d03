"""Finding RDF files and parsing them; every parse failure is one ``ParseError``.

Also the per-process cache of the bundled ontology and shapes, which the validation
layers and the reasoner share.
"""

from __future__ import annotations

import codecs
import functools
import json
import xml.sax
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.plugins.parsers.notation3 import BadSyntax

from caregraph import resources
from caregraph.datafiles import PathLike, RdfFormat, find_data_files, format_for
from caregraph.errors import InputError, ParseError
from caregraph.safety import text_problem


def oxigraph_format(path: Path) -> ox.RdfFormat:
    """Oxigraph's name for the syntax of ``path`` (``.owl`` is RDF/XML to it)."""
    found = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower())
    return found if found is not None else ox.RdfFormat.RDF_XML


def _position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def parse_error(path: Path, fmt: RdfFormat, exc: BaseException, text: str) -> ParseError:
    """The ``ParseError`` for a parser's exception: file, line, column and reason.

    The only place that reads the parsers' own exception types (rdflib's ``BadSyntax``,
    SAX, JSON) for a position.
    """
    if isinstance(exc, BadSyntax):
        source: str | bytes = exc._str
        offset: int = exc._i
        if isinstance(source, bytes):
            source = source[:offset].decode("utf-8", "replace")
            offset = len(source)
        line, column = _position(source, offset)
        return ParseError(path, fmt.name, exc._why, line, column)
    if isinstance(exc, xml.sax.SAXParseException):
        xml_column = exc.getColumnNumber()
        return ParseError(
            path,
            fmt.name,
            exc.getMessage(),
            exc.getLineNumber(),
            None if xml_column is None else xml_column + 1,
        )
    if isinstance(exc, json.JSONDecodeError):
        return ParseError(path, fmt.name, exc.msg, exc.lineno, exc.colno)
    where = getattr(exc, "lineno", None) or getattr(exc, "line", None)
    at: int | None = where if isinstance(where, int) else None
    if at is None and fmt.rdflib in ("nt", "nquads"):
        at = _first_bad_line(text, fmt.rdflib)
    return ParseError(path, fmt.name, str(exc) or type(exc).__name__, at)


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


def read_text(path: Path, fmt: RdfFormat | None = None) -> str:
    """The text of an RDF file, which must be UTF-8 (a byte-order mark is dropped).

    Raises:
        InputError: the file cannot be read.
        ParseError: the file is not UTF-8 (with the line and column of the first bad byte).
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror}).") from exc
    data = data.removeprefix(codecs.BOM_UTF8)  # as every parser accepts it
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode("utf-8", "replace")
        line, column = _position(before, len(before))
        name = (fmt or format_for(path)).name
        raise ParseError(path, name, "the file is not UTF-8", line, column) from exc


def refuse_unsafe(path: Path, text: str, *, allow_network: bool = False) -> None:
    """Raise if caregraph's parser policy refuses this text (see ``caregraph.safety``).

    One policy for every command and both backends: no network or other files unless
    allowed, no expanding XML entities, no nesting deeper than the parsers survive.

    Raises:
        InputError: naming the file and line of what is refused.
    """
    problem = text_problem(path, text, allow_network=allow_network)
    if problem is not None:
        why, line = problem
        raise InputError(f"{path}, line {line}: {why}.")


def read_rdf_text(path: PathLike, *, allow_network: bool = False) -> str:
    """The text of an RDF file as every command and backend reads it: checked by the policy.

    Raises:
        InputError: the file cannot be read or is refused by the parser policy.
        ParseError: the file is not UTF-8.
    """
    path = Path(path)
    text = read_text(path, format_for(path))
    refuse_unsafe(path, text, allow_network=allow_network)
    return text


def parse_file(
    path: PathLike, graph: rdflib.Graph | None = None, *, allow_network: bool = False
) -> rdflib.Graph:
    """Parse one RDF file into ``graph`` (a new graph when not given).

    Args:
        path: the file; its extension says its syntax.
        graph: the graph to add to.
        allow_network: let the parser fetch remote JSON-LD contexts and XML entities.

    Raises:
        InputError: the file cannot be read, or is refused by the parser policy
            (network, expanding entities, nesting; see ``caregraph.safety``).
        ParseError: the file is not valid in its syntax (file, line, column and reason,
            where the parser says them).
    """
    path = Path(path)
    text = read_rdf_text(path, allow_network=allow_network)
    return parse_text(path, text, format_for(path), graph)


def parse_text(
    path: Path, text: str, fmt: RdfFormat, graph: rdflib.Graph | None = None
) -> rdflib.Graph:
    """Parse the already read (and checked) ``text`` of ``path`` into ``graph``.

    Raises:
        ParseError: the text is not valid in its syntax.
    """
    target = graph if graph is not None else rdflib.Graph()
    if not text.strip():
        return target  # an empty file holds no triples, whatever its syntax
    try:
        if fmt.quads:
            dataset = rdflib.Dataset()
            dataset.parse(data=text, format=fmt.rdflib, publicID=path.resolve().as_uri())
            for s, p, o, _ in dataset.quads((None, None, None, None)):
                target.add((s, p, o))
        else:
            target.parse(data=text, format=fmt.rdflib, publicID=path.resolve().as_uri())
    except Exception as exc:  # rdflib raises many types; every one is a bad file here
        raise parse_error(path, fmt, exc, text) from exc
    return target


def load_graph(
    paths: Iterable[PathLike] | None = None, *, allow_network: bool = False
) -> rdflib.Graph:
    """Parse all RDF files under ``paths`` (default: the bundled graph) into one graph."""
    graph = rdflib.Graph()
    for path in find_data_files(paths):
        parse_file(path, graph, allow_network=allow_network)
    return graph


def load_ontology() -> rdflib.Graph:
    """The caregraph OWL ontology as a new rdflib graph (yours to change)."""
    return parse_file(resources.ontology_path())


def load_shapes() -> rdflib.Graph:
    """The caregraph SHACL shapes as a new rdflib graph (yours to change)."""
    return parse_file(resources.shapes_path())


def cached_graph(path: Path) -> rdflib.Graph:
    """``path`` parsed once per process while the file is unchanged (do not modify it)."""
    path = Path(path).resolve()
    return _cached(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _cached(path: Path, mtime: int) -> rdflib.Graph:
    return parse_file(path)


def cached_ontology() -> rdflib.Graph:
    """The bundled ontology, parsed once per process (shared: do not modify it)."""
    return cached_graph(resources.ontology_path())


def cached_shapes() -> rdflib.Graph:
    """The bundled shapes, parsed once per process (shared: do not modify it)."""
    return cached_graph(resources.shapes_path())
