"""Prepared stored queries: the SPARQL text a stored query runs on a persistent store, kept.

Before Oxigraph sees a stored query, caregraph reads the query's ``#+`` header (YAML),
binds its parameters (a district given by name is looked up in the graph) and puts in the
answer language. On a persistent store the text that comes out depends only on the query
file, the parameters and language given, caregraph's version and the store's generation.
So ``caregraph query`` keeps it in the generation's folder, as
``gen-*/caregraph-prepared/KEY.rq``, and the next run of the same question with the same
inputs (``caregraph.launch``) runs it without any of that work.

A new ``caregraph load`` makes a new generation, which starts with no prepared queries, and
removes old generations with theirs. A store that cannot be written keeps nothing, and
nothing else changes. A prepared text is still judged by the guard
(``caregraph.guard``) before it runs, like every query.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import stat
from collections.abc import Mapping
from pathlib import Path

from caregraph._version import __version__

#: The folder inside a store generation that holds prepared query texts.
PREPARED_DIR = "caregraph-prepared"
#: At most this many texts are kept per generation (a few kB each): calls with ever new
#: parameters then run the usual way instead of filling the disk.
MAX_PREPARED = 1000
#: A prepared text larger than this is not read (no stored query comes near it).
MAX_BYTES = 1 << 20
_PACKAGE = Path(__file__).resolve().parent


@functools.cache
def code_fingerprint() -> str:
    """caregraph's version and the size and time of each of its modules.

    Part of every key, so that changed code (an editable install, another commit checked
    out over the same store) never runs a text that older code prepared.
    """
    entries = [__version__]
    for folder, _, files in sorted(os.walk(_PACKAGE)):
        for name in sorted(files):
            if name.endswith(".py"):
                status = os.stat(os.path.join(folder, name))
                entries.append(f"{folder}/{name} {status.st_size} {status.st_mtime_ns}")
    return hashlib.sha256("\n".join(entries).encode("utf-8")).hexdigest()


def prepared_key(query_sha256: str, params: Mapping[str, str], lang: str) -> str:
    """The name under which a stored query's text is kept.

    Args:
        query_sha256: the SHA-256 of the ``.rq`` file's bytes (hexadecimal).
        params: the parameter texts as given (without ``lang``).
        lang: the answer language.
    """
    inputs = [code_fingerprint(), query_sha256, lang, sorted(params.items())]
    return hashlib.sha256(json.dumps(inputs, ensure_ascii=False).encode("utf-8")).hexdigest()


def _folder(generation: str | os.PathLike[str]) -> Path:
    return Path(generation) / PREPARED_DIR


def save_prepared(generation: str | os.PathLike[str], key: str, text: str) -> bool:
    """Keep ``text`` under ``key`` in the store generation's folder, whole or not at all.

    The file is caregraph's own: written beside and renamed over whatever is there (a link
    is replaced, never followed).

    Returns:
        Whether it was kept (False: the store cannot be written, or holds ``MAX_PREPARED``
        texts already; neither is an error).
    """
    folder = _folder(generation)
    path = folder / f"{key}.rq"
    tmp = folder / f".{key}.{os.urandom(6).hex()}.tmp"
    try:
        folder.mkdir(exist_ok=True)
        if not stat.S_ISDIR(os.lstat(folder).st_mode):
            return False
        if not os.path.lexists(path) and len(os.listdir(folder)) >= MAX_PREPARED:
            return False
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        return False
    return True


def load_prepared(generation: str | os.PathLike[str], key: str) -> str | None:
    """The text kept under ``key`` in the generation, or ``None`` (also for anything but a
    regular file of at most ``MAX_BYTES``: a link, a pipe, a folder)."""
    try:
        fd = os.open(_folder(generation) / f"{key}.rq", os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        status = os.fstat(handle.fileno())
        if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_BYTES:
            return None
        try:
            return handle.read(MAX_BYTES + 1).decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return None
