"""A persistent on-disk graph store, so commands need not parse every file each time.

``load_store(DIR, paths)`` parses RDF files into an Oxigraph store on disk (RocksDB);
``open_persistent(DIR)`` opens it read-only in a fraction of a second. Layout::

    DIR/current             symbolic link to the generation readers open
    DIR/gen-<time>/         one complete Oxigraph store (RocksDB files)
    DIR/gen-<time>/caregraph-store.json   what it holds: files, sizes, SHA-256 hashes

A load builds a new generation beside the old one and then swaps the ``current`` link in
one atomic rename, so a failed or interrupted load leaves the old store as it was and a
reader sees either the old store or the new one, never half of one. The previous
generation is kept until the next load (a reader may still have it open); older ones are
removed. Data files go to the default graph; caregraph's ontology to the named graph
``ONTOLOGY_GRAPH``, which queries see as part of the default graph (Oxigraph's
``--union-default-graph``). ``oxigraph serve-read-only --location DIR/current
--union-default-graph`` serves it.
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyoxigraph as ox

from caregraph import resources
from caregraph.errors import InputError, UsageError
from caregraph.loading import PathLike, find_data_files
from caregraph.namespaces import ONTOLOGY_GRAPH
from caregraph.store import OxigraphStore, RdflibStore
from caregraph.store import open_store as _open_files

MANIFEST = "caregraph-store.json"
CURRENT = "current"
_FORMAT_VERSION = 1
_LOCK = ".lock"
_GENERATION = "gen-"


@dataclass(frozen=True)
class StoredFile:
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


@dataclass(frozen=True)
class Manifest:
    """What a persistent store holds (``caregraph-store.json`` in its generation)."""

    sources: list[str]
    files: list[StoredFile]
    ontology: StoredFile | None
    triples: int
    data_triples: int
    created: str
    format_version: int = _FORMAT_VERSION
    caregraph_version: str = field(default="")

    def to_json(self) -> str:
        """The manifest as JSON text."""
        return json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n"

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


@dataclass(frozen=True)
class Staleness:
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


class PersistentStore(OxigraphStore):
    """An on-disk Oxigraph store opened read-only, with the manifest of what it holds."""

    union_default_graph = True
    forkable = False

    def __init__(
        self,
        directory: Path,
        store: ox.Store,
        manifest: Manifest,
        *,
        allow_network: bool = False,
        timeout: float | None = None,
    ) -> None:
        super().__init__(store, allow_network=allow_network, timeout=timeout)
        self.directory = directory
        self.manifest = manifest

    def data_only(self) -> PersistentStore:
        """The same store seen without the ontology (its default graph only)."""
        return DataView(
            self.directory,
            self.store,
            self.manifest,
            allow_network=self.allow_network,
            timeout=self.timeout,
        )

    def staleness(self) -> Staleness:
        """How the files it was built from differ from the store now."""
        return staleness(self.manifest)

    def load(self, path: PathLike, *, allow_network: bool = False) -> None:
        """Refused: a persistent store changes only through ``load_store``."""
        raise UsageError(
            f"The store {self.directory} is opened read-only; add files with "
            f"`caregraph load --store {self.directory} PATH ...`."
        )


class DataView(PersistentStore):
    """A persistent store's data without the ontology."""

    union_default_graph = False

    def __len__(self) -> int:
        return self.manifest.data_triples


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


def read_manifest(store_dir: PathLike) -> Manifest:
    """The manifest of the store in ``store_dir``.

    Raises:
        InputError: there is no store, or its manifest cannot be read.
    """
    generation = current_generation(store_dir)
    try:
        return Manifest.from_json((generation / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(
            f"{generation / MANIFEST}: cannot read the store's manifest ({exc}). "
            f"Build the store again with `caregraph load --store {store_dir}`."
        ) from exc


def open_persistent(
    store_dir: PathLike, *, allow_network: bool = False, timeout: float | None = None
) -> PersistentStore:
    """Open the store in ``store_dir`` read-only (several readers may share it).

    Args:
        store_dir: the folder given to ``load_store``.
        allow_network: let SERVICE in queries call remote endpoints.
        timeout: the time limit of each query in seconds (None: no limit).

    Raises:
        InputError: there is no store, or Oxigraph cannot open it.
    """
    manifest = read_manifest(store_dir)
    generation = current_generation(store_dir)
    try:
        store = ox.Store.read_only(str(generation))
    except OSError as exc:
        raise InputError(
            f"{store_dir}: Oxigraph cannot open the store ({exc}). Build it again with "
            f"`caregraph load --store {store_dir}`."
        ) from exc
    return PersistentStore(
        Path(store_dir), store, manifest, allow_network=allow_network, timeout=timeout
    )


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


@contextlib.contextmanager
def _locked(store_dir: Path) -> Iterator[None]:
    with (store_dir / _LOCK).open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            raise UsageError(
                f"{store_dir}: another `caregraph load` is building this store right now; "
                "wait for it to finish."
            ) from exc
        yield


def _check_folder(store_dir: Path) -> None:
    if store_dir.exists() and not store_dir.is_dir():
        raise UsageError(f"{store_dir}: this is a file; --store needs a folder.")
    if store_dir.is_dir():
        ours = {CURRENT, _LOCK, f".{CURRENT}.new"}
        foreign = [
            p.name
            for p in store_dir.iterdir()
            if p.name not in ours and not p.name.startswith(_GENERATION)
        ]
        if foreign:
            raise UsageError(
                f"{store_dir}: the folder holds other things ({', '.join(sorted(foreign)[:3])}) "
                "and is not a caregraph store. Name a new or empty folder for --store."
            )


def load_store(
    store_dir: PathLike,
    paths: Iterable[PathLike] | None = None,
    *,
    ontology: bool = True,
    allow_network: bool = False,
) -> Manifest:
    """Build the store in ``store_dir`` from RDF files, replacing what it held.

    Args:
        store_dir: the store's folder (created if missing).
        paths: files or folders to load; default: the paths the store was loaded from
            last time (a refresh), else the bundled Dresden graph.
        ontology: also load caregraph's ontology (into its named graph).
        allow_network: let parsers fetch remote JSON-LD contexts and XML entities.

    Returns:
        The manifest of the new store.

    Raises:
        InputError: a file is missing or does not parse (the old store stays as it was).
        UsageError: the folder is something else than a store, or another load runs.
    """
    store_dir = Path(store_dir)
    _check_folder(store_dir)
    given = [str(Path(p).resolve()) for p in paths] if paths else None
    if given is None and (store_dir / CURRENT).is_symlink():
        given = read_manifest(store_dir).sources
    sources = given or [str(resources.data_dir())]
    files = find_data_files(sources)
    store_dir.mkdir(parents=True, exist_ok=True)
    with _locked(store_dir):
        generation = store_dir / f"{_GENERATION}{time.time_ns()}"
        try:
            manifest = _build(generation, sources, files, ontology, allow_network)
            _swap(store_dir, generation)
        except BaseException:
            shutil.rmtree(generation, ignore_errors=True)
            raise
        _remove_old_generations(store_dir, keep={generation.name})
    return manifest


def _build(
    generation: Path, sources: list[str], files: list[Path], ontology: bool, allow_network: bool
) -> Manifest:
    builder = OxigraphStore(ox.Store(str(generation)))
    records = []
    for path in files:
        record = StoredFile.of(path)
        builder.load(path, allow_network=allow_network)
        records.append(record)
    data_triples = len(builder)
    ontology_record = None
    if ontology:  # after the data: loading a quad file moves named graphs into the default
        ontology_path = resources.ontology_path()
        ontology_record = StoredFile.of(ontology_path)
        builder.store.bulk_load(
            path=str(ontology_path),
            format=ox.RdfFormat.TURTLE,
            base_iri=ontology_path.resolve().as_uri(),
            to_graph=ox.NamedNode(str(ONTOLOGY_GRAPH)),
        )
    manifest = Manifest(
        sources=sources,
        files=records,
        ontology=ontology_record,
        triples=len(builder),
        data_triples=data_triples,
        created=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        caregraph_version=resources.package_version(),
    )
    builder.store.flush()
    builder.store.optimize()
    del builder
    (generation / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")
    return manifest


def _swap(store_dir: Path, generation: Path) -> None:
    """Point ``DIR/current`` at ``generation`` in one atomic rename."""
    pending = store_dir / f".{CURRENT}.new"
    pending.unlink(missing_ok=True)
    os.symlink(generation.name, pending)
    os.replace(pending, store_dir / CURRENT)


def _remove_old_generations(store_dir: Path, keep: set[str]) -> None:
    """Remove all generations but the current one and the one before it."""
    generations = sorted(
        (p for p in store_dir.iterdir() if p.name.startswith(_GENERATION)),
        key=lambda p: int(p.name.removeprefix(_GENERATION) or 0),
    )
    others = [p for p in generations if p.name not in keep]
    for old in others[:-1]:
        shutil.rmtree(old, ignore_errors=True)


def open_store(
    paths: Iterable[PathLike] | None = None,
    backend: str = "oxigraph",
    *,
    ontology: bool = True,
    allow_network: bool = False,
    timeout: float | None = None,
    store_dir: PathLike | None = None,
) -> RdflibStore | OxigraphStore:
    """Load RDF files into a store, or open the persistent store in ``store_dir``.

    This is ``caregraph.open_store``: without ``store_dir`` it is
    ``caregraph.store.open_store`` (see there); with it, the store built by
    ``load_store`` is opened read-only and nothing is parsed, with the ontology unless
    ``ontology`` is false.

    Raises:
        InputError: a file is missing or unparsable, or ``store_dir`` holds no store.
        UsageError: the backend is unknown, or both paths and ``store_dir`` are given.
    """
    if store_dir is None:
        return _open_files(
            paths, backend, ontology=ontology, allow_network=allow_network, timeout=timeout
        )
    if paths:
        raise UsageError("Give either files to load or a store folder, not both.")
    persistent = open_persistent(store_dir, allow_network=allow_network, timeout=timeout)
    return persistent if ontology else persistent.data_only()
