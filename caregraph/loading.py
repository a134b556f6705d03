"""Finding RDF files and parsing them, with errors that name file, line and column."""

from __future__ import annotations

import codecs
import errno
import json
import xml.sax
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import rdflib
from rdflib.plugins.parsers.notation3 import BadSyntax

from caregraph import resources
from caregraph.errors import InputError

PathLike = str | Path


@dataclass(frozen=True)
class RdfFormat:
    """How one file extension is parsed by rdflib and by Oxigraph."""

    name: str
    rdflib: str
    media_type: str
    quads: bool = False


#: File extensions caregraph reads, and the RDF syntax each one means.
FORMATS: dict[str, RdfFormat] = {
    ".ttl": RdfFormat("Turtle", "turtle", "text/turtle"),
    ".nt": RdfFormat("N-Triples", "nt", "application/n-triples"),
    ".nq": RdfFormat("N-Quads", "nquads", "application/n-quads", quads=True),
    ".trig": RdfFormat("TriG", "trig", "application/trig", quads=True),
    ".jsonld": RdfFormat("JSON-LD", "json-ld", "application/ld+json", quads=True),
    ".rdf": RdfFormat("RDF/XML", "xml", "application/rdf+xml"),
    ".owl": RdfFormat("RDF/XML", "xml", "application/rdf+xml"),
}


def format_for(path: Path) -> RdfFormat:
    """Return the RDF syntax of a file, judged by its extension.

    Raises:
        InputError: the extension is not one caregraph reads.
    """
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise InputError(
            f"{path}: caregraph does not know the file type '{path.suffix or '(none)'}'. "
            f"Name RDF files with one of these extensions: {known}."
        )
    return fmt


def find_data_files(paths: Iterable[PathLike] | None = None) -> list[Path]:
    """Expand files and folders into the sorted list of RDF files to read.

    Folders are searched recursively for files with a known extension; a file named
    directly must have one. With no paths, the bundled Dresden graph is used.

    Raises:
        InputError: a path does not exist, or a named file has an unknown extension.
    """
    given = [Path(p) for p in paths] if paths else [resources.data_dir()]
    found: list[Path] = []
    for path in given:
        if path.is_dir():
            inside = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in FORMATS
            )
            if not inside:
                raise InputError(
                    f"{path}: the folder holds no RDF files (none ending in "
                    f"{', '.join(sorted(FORMATS))}). Check the path."
                )
            found.extend(inside)
        elif path.is_file():
            format_for(path)
            found.append(path)
        else:
            raise InputError(f"{path}: {_why_unreadable(path)}")
    return list(dict.fromkeys(found))


def _why_unreadable(path: Path) -> str:
    """Why a path that is neither a file nor a folder cannot be read as data."""
    try:
        path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            return "a symbolic link to nothing (its target does not exist). Fix or remove the link."
        return "no such file or folder. Check the path given to --data or validate."
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a loop of symbolic links that never reaches a file. Fix the links."
        return f"cannot be read ({exc.strerror}). Check its permissions."
    return (
        "not a regular file (a device, a named pipe or a socket); caregraph reads data only "
        "from files. Save the data to a file first."
    )


def _position(text: str | bytes, offset: int) -> tuple[int, int]:
    if isinstance(text, bytes):
        text = text[:offset].decode("utf-8", "replace")
        offset = len(text)
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def syntax_error(
    path: Path, fmt: str, why: str, line: int | None, column: int | None
) -> InputError:
    """Build the one error message used for every unparsable file."""
    where = f"{path}, line {line}" if line else str(path)
    if line and column:
        where += f", column {column}"
    why = " ".join(why.split())
    return InputError(
        f"{where}: cannot parse this {fmt} file: {why}. "
        "Fix the syntax at that place (or leave the file out) and run again."
    )


def refuse_unsafe(path: Path, text: str, *, allow_network: bool = False) -> None:
    """Raise if caregraph's parser policy refuses this text (see ``caregraph.safety``).

    Raises:
        InputError: naming the file and line of what is refused.
    """
    from caregraph.safety import text_problem

    problem = text_problem(path, text, allow_network=allow_network)
    if problem is not None:
        why, line = problem
        raise InputError(f"{path}, line {line}: {why}.")


def read_rdf_text(path: PathLike, *, allow_network: bool = False) -> str:
    """The text of an RDF file, as every command and backend reads it.

    A UTF-8 byte-order mark is dropped (as every parser accepts it); the text must be
    UTF-8 and pass the parser policy of ``caregraph.safety``.

    Raises:
        InputError: the file cannot be read, is not UTF-8, or is refused by the policy.
    """
    path = Path(path)
    fmt = format_for(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror}).") from exc
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _position(data[: exc.start].decode("utf-8", "replace"), exc.start)
        raise syntax_error(path, fmt.name, "the file is not UTF-8", line, column) from exc
    refuse_unsafe(path, text, allow_network=allow_network)
    return text


def parse_file(
    path: PathLike, graph: rdflib.Graph | None = None, *, allow_network: bool = False
) -> rdflib.Graph:
    """Parse one RDF file into ``graph`` (a new graph when not given).

    An empty file (or one of only white space) holds no triples, whatever its syntax.

    Args:
        path: the file; its extension says its syntax.
        graph: the graph to add to.
        allow_network: let the parser fetch remote JSON-LD contexts and XML entities.

    Raises:
        InputError: the file cannot be read, is not valid in its syntax (the message
            names file, line and column where the parser says them), or is refused by
            the parser policy (network, entity expansion, nesting).
    """
    path = Path(path)
    fmt = format_for(path)
    target = graph if graph is not None else rdflib.Graph()
    text = read_rdf_text(path, allow_network=allow_network)
    if not text.strip():
        return target
    try:
        if fmt.quads:
            dataset = rdflib.Dataset()
            dataset.parse(data=text, format=fmt.rdflib, publicID=path.resolve().as_uri())
            for s, p, o, _ in dataset.quads((None, None, None, None)):
                target.add((s, p, o))
        else:
            target.parse(data=text, format=fmt.rdflib, publicID=path.resolve().as_uri())
    except BadSyntax as exc:
        line, column = _position(exc._str, exc._i)
        raise syntax_error(path, fmt.name, exc._why, line, column) from exc
    except xml.sax.SAXParseException as exc:
        xml_column = exc.getColumnNumber()
        raise syntax_error(
            path,
            fmt.name,
            exc.getMessage(),
            exc.getLineNumber(),
            None if xml_column is None else xml_column + 1,
        ) from exc
    except json.JSONDecodeError as exc:
        raise syntax_error(path, fmt.name, exc.msg, exc.lineno, exc.colno) from exc
    except Exception as exc:  # rdflib raises many types; every one is a bad file here
        where = getattr(exc, "lineno", None) or getattr(exc, "line", None)
        raise syntax_error(path, fmt.name, str(exc) or type(exc).__name__, where, None) from exc
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
    """The caregraph OWL ontology as an rdflib graph."""
    return parse_file(resources.ontology_path())


def load_shapes() -> rdflib.Graph:
    """The caregraph SHACL shapes as an rdflib graph."""
    return parse_file(resources.shapes_path())
