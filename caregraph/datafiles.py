"""Which files are RDF data: the extensions caregraph reads, and finding files in folders.

Kept apart from the parsers (``caregraph.loading``, which needs rdflib) so that checking
whether a store is up to date (``caregraph.manifest``) imports nothing heavy.
"""

from __future__ import annotations

import errno
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from caregraph import resources
from caregraph.errors import InputError

PathLike = str | Path


class RdfFormat(NamedTuple):
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
