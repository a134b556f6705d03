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

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path

from caregraph._version import __version__
from caregraph.errors import OutputError
from caregraph.outfile import write_atomic

#: The folder inside a store generation that holds prepared query texts.
PREPARED_DIR = "caregraph-prepared"
#: At most this many texts are kept per generation (a few kB each): calls with ever new
#: parameters then run the usual way instead of filling the disk.
MAX_PREPARED = 1000


def prepared_key(query_sha256: str, params: Mapping[str, str], lang: str) -> str:
    """The name under which a stored query's text is kept.

    Args:
        query_sha256: the SHA-256 of the ``.rq`` file's bytes (hexadecimal).
        params: the parameter texts as given (without ``lang``).
        lang: the answer language.
    """
    inputs = [__version__, query_sha256, lang, sorted(params.items())]
    return hashlib.sha256(json.dumps(inputs, ensure_ascii=False).encode("utf-8")).hexdigest()


def _path(generation: str | os.PathLike[str], key: str) -> Path:
    return Path(generation) / PREPARED_DIR / f"{key}.rq"


def save_prepared(generation: str | os.PathLike[str], key: str, text: str) -> bool:
    """Keep ``text`` under ``key`` in the store generation's folder, whole or not at all.

    Returns:
        Whether it was kept (False: the store cannot be written, or holds ``MAX_PREPARED``
        texts already; neither is an error).
    """
    path = _path(generation, key)
    try:
        path.parent.mkdir(exist_ok=True)
        if not path.exists() and len(os.listdir(path.parent)) >= MAX_PREPARED:
            return False
        write_atomic(path, text)
    except (OSError, OutputError):
        return False
    return True


def load_prepared(generation: str | os.PathLike[str], key: str) -> str | None:
    """The text kept under ``key`` in the generation, or ``None``."""
    try:
        return _path(generation, key).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
