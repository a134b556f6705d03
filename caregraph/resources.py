"""What the package ships: where the bundled ontology, shapes, data and queries live,
and its version (``caregraph/_version.py``, which ``pyproject.toml`` reads).

In an installed wheel they sit inside the package (``caregraph/_bundled``); in a
source checkout (also an editable install) they are the top-level folders.
"""

from __future__ import annotations

from pathlib import Path

from caregraph._version import __version__

_PACKAGE_DIR = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    inside = _PACKAGE_DIR / "_bundled" / name
    if inside.is_dir():
        return inside
    return _PACKAGE_DIR.parent / name


def ontology_dir() -> Path:
    """Folder holding ``caregraph.ttl`` and ``shapes.ttl``."""
    return _bundled("ontology")


def ontology_path() -> Path:
    """The OWL ontology in Turtle."""
    return ontology_dir() / "caregraph.ttl"


def shapes_path() -> Path:
    """The SHACL shapes in Turtle."""
    return ontology_dir() / "shapes.ttl"


def data_dir() -> Path:
    """Folder of the bundled Dresden graph."""
    return _bundled("data")


def queries_dir() -> Path:
    """Folder of the stored SPARQL queries."""
    return _bundled("queries")


def package_version() -> str:
    """caregraph's version (written once, in ``caregraph/_version.py``)."""
    return __version__
