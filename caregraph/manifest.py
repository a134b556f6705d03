"""What a persistent store holds, and whether the files it was built from changed since.

The layout of a store folder (see ``caregraph.persist``) and its manifest,
``caregraph-store.json`` in each generation: the files loaded, with sizes and SHA-256
hashes. Only the standard library and ``caregraph.datafiles``: every command on a store
reads the manifest before anything else, including the quick path of ``caregraph query``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import NamedTuple

from caregraph.datafiles import PathLike, find_data_files
from caregraph.errors import InputError

MANIFEST = "caregraph-store.json"
CURRENT = "current"
_FORMAT_VERSION = 1


class StoredFile(NamedTuple):
    """One file a store was built from, as it was when loaded."""

    path: str
    size: int
    mtime_ns: int
    sha256: str

    @classmethod
    def of(cls, path: Path) -> StoredFile:
        """Record ``path`` as it is now."""
        stat = path.stat()
        return cls(str(path.resolve()), stat.st_size, stat.st_mtime_ns, _sha256(path))

    def changed(self) -> bool | None:
        """``None`` if the file is gone, else whether its content differs from the record."""
        path = Path(self.path)
        try:
            stat = path.stat()
        except OSError:
            return None
        if (stat.st_size, stat.st_mtime_ns) == (self.size, self.mtime_ns):
            return False
        return stat.st_size != self.size or _sha256(path) != self.sha256


class Manifest(NamedTuple):
    """What a persistent store holds (``caregraph-store.json`` in its generation)."""

    sources: list[str]
    files: list[StoredFile]
    ontology: StoredFile | None
    triples: int
    data_triples: int
    created: str
    format_version: int = _FORMAT_VERSION
    caregraph_version: str = ""

    def to_json(self) -> str:
        """The manifest as JSON text."""
        raw = self._asdict()
        raw["files"] = [f._asdict() for f in self.files]
        raw["ontology"] = self.ontology._asdict() if self.ontology else None
        return json.dumps(raw, indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        """Read a manifest written by ``to_json``."""
        raw = json.loads(text)
        ontology = raw.get("ontology")
        return cls(
            sources=list(raw["sources"]),
            files=[StoredFile(**f) for f in raw["files"]],
            ontology=StoredFile(**ontology) if ontology else None,
            triples=int(raw["triples"]),
            data_triples=int(raw["data_triples"]),
            created=str(raw["created"]),
            format_version=int(raw.get("format_version", 0)),
            caregraph_version=str(raw.get("caregraph_version", "")),
        )

    def data_files(self) -> list[Path]:
        """The data files the store was built from (without the ontology)."""
        return [Path(f.path) for f in self.files]


class Staleness(NamedTuple):
    """How the files on disk differ from what a store holds."""

    changed: list[Path]
    missing: list[Path]
    added: list[Path]

    def __bool__(self) -> bool:
        return bool(self.changed or self.missing or self.added)

    def message(self, store_dir: PathLike) -> str:
        """One paragraph for people: what differs and how to refresh the store."""
        parts = [f"{_shown(p)} changed" for p in self.changed]
        parts += [f"{_shown(p)} is gone" for p in self.missing]
        parts += [f"{_shown(p)} is new" for p in self.added]
        listed = ", ".join(parts[:5]) + (f" and {len(parts) - 5} more" if len(parts) > 5 else "")
        return (
            f"The store {store_dir} is out of date: {listed} since it was loaded; answers come "
            f"from the store as it was. Run `caregraph load --store {store_dir}` to refresh it."
        )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def current_generation(store_dir: PathLike) -> Path:
    """The generation folder readers open (``DIR/current``, resolved).

    Raises:
        InputError: ``store_dir`` holds no caregraph store.
    """
    link = Path(store_dir) / CURRENT
    target = link.resolve()
    if not link.is_symlink() or not (target / MANIFEST).is_file():
        raise InputError(
            f"{store_dir}: no caregraph store here. Build one with "
            f"`caregraph load --store {store_dir} [PATH ...]`."
        )
    return target


def read_manifest(store_dir: PathLike, generation: Path | None = None) -> Manifest:
    """The manifest of the store in ``store_dir`` (of ``generation``, if given: the one
    opened, so a load that swaps ``current`` meanwhile cannot mix two generations).

    Raises:
        InputError: there is no store, or its manifest cannot be read.
    """
    generation = generation or current_generation(store_dir)
    try:
        return Manifest.from_json((generation / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(
            f"{generation / MANIFEST}: cannot read the store's manifest ({exc}). "
            f"Build the store again with `caregraph load --store {store_dir}`."
        ) from exc


def staleness(manifest: Manifest) -> Staleness:
    """Compare a store's manifest with the files on disk.

    A file counts as changed only if its content differs (a new modification time with
    the same SHA-256 is not a change); a file that now sits in a folder the store was
    loaded from, but is not in the store, is new.
    """
    changed: list[Path] = []
    missing: list[Path] = []
    recorded = [*manifest.files, *([manifest.ontology] if manifest.ontology else [])]
    for stored in recorded:
        state = stored.changed()
        if state is None:
            missing.append(Path(stored.path))
        elif state:
            changed.append(Path(stored.path))
    known = {Path(f.path) for f in manifest.files}
    added: list[Path] = []
    for source in manifest.sources:
        if Path(source).is_dir():
            added += [p.resolve() for p in _rdf_files(Path(source)) if p.resolve() not in known]
    return Staleness(changed, missing, added)


def _rdf_files(folder: Path) -> list[Path]:
    try:
        return find_data_files([folder])
    except InputError:
        return []
