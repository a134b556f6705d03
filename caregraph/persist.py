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
import os
import shutil
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from caregraph import resources
from caregraph.datafiles import PathLike, find_data_files
from caregraph.deadline import release_frames
from caregraph.errors import InputError, UsageError
from caregraph.manifest import (
    CURRENT,
    MANIFEST,
    Manifest,
    Staleness,
    StoredFile,
    current_generation,
    read_manifest,
    staleness,
)
from caregraph.namespaces import ONTOLOGY_GRAPH
from caregraph.store import OxigraphStore, RdflibStore
from caregraph.store import open_store as _open_files

_LOCK = ".lock"
_GENERATION = "gen-"


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
        generation: Path | None = None,
    ) -> None:
        super().__init__(store, allow_network=allow_network, timeout=timeout)
        self.directory = directory
        self.manifest = manifest
        #: The generation folder opened (``DIR/current`` resolved when it was opened).
        self.generation = generation or current_generation(directory)

    def data_only(self) -> PersistentStore:
        """The same store seen without the ontology (its default graph only)."""
        return DataView(
            self.directory,
            self.store,
            self.manifest,
            allow_network=self.allow_network,
            timeout=self.timeout,
            generation=self.generation,
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
    generation = current_generation(store_dir)
    manifest = read_manifest(store_dir, generation)
    try:
        store = ox.Store.read_only(str(generation))
    except OSError as exc:
        raise InputError(
            f"{store_dir}: Oxigraph cannot open the store ({exc}). Build it again with "
            f"`caregraph load --store {store_dir}`."
        ) from exc
    return PersistentStore(
        Path(store_dir),
        store,
        manifest,
        allow_network=allow_network,
        timeout=timeout,
        generation=generation,
    )


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
        except BaseException as exc:
            # The traceback's frames hold the half-built store open; RocksDB's threads
            # would go on writing files into the folder while it is removed.
            release_frames(exc)
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
