"""The ``caregraph`` command's entry point: a prepared query's quick path, else the CLI.

``caregraph --store DIR query NAME --format sparql-csv [-p NAME=VALUE ...] [--lang de|en]
[-o FILE]``, run again with the same inputs on the same store, is answered without loading
Click, YAML or rdflib (a fixed 0.1 to 0.2 s, most of a short query's time): the SPARQL text
the first run kept with the store (``caregraph.prepared``) is judged by the guard, runs on
Oxigraph, and Oxigraph writes the CSV.

Everything else goes to the full command line (``caregraph.cli``), which says and does
everything as usual: another command, option or format, a first run, a store whose files
changed (the full path warns), ``CAREGRAPH_TIMEOUT``, shell completion, and any problem at
all (the full path reports it). The quick path writes the same bytes to the same places
under the same rules (``caregraph.outfile``); ``CAREGRAPH_QUICK=0`` (or ``false``, ``no``,
``off``) turns it off.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from caregraph import resources
from caregraph.choices import LANGS, default_lang
from caregraph.deadline import run_with_deadline
from caregraph.errors import CaregraphError
from caregraph.exiting import end_interrupted, end_unexpected, exit_now, stop_on_kill
from caregraph.guard import check_query
from caregraph.manifest import current_generation, read_manifest, staleness
from caregraph.outfile import tolerant_streams, write_atomic
from caregraph.prepared import load_prepared, prepared_key
from caregraph.queries.arguments import QUERY_ID, parse_params
from caregraph.queries.language import split_lang

#: Set to 0 to always take the full command line.
QUICK_ENV = "CAREGRAPH_QUICK"
#: Environment variables that change what ``query`` does in ways only the full path knows.
_FULL_PATH_ENV = ("CAREGRAPH_TIMEOUT", "_CAREGRAPH_COMPLETE")


class QuickCall(NamedTuple):
    """A command line the quick path can answer."""

    store_dir: str
    name: str
    params: dict[str, str]
    lang: str | None
    output: str | None


def parse_quick(argv: Sequence[str], environ: Mapping[str, str]) -> QuickCall | None:
    """The call if ``argv`` is ``[--store DIR] query NAME --format sparql-csv`` with only
    ``-p``, ``--lang`` and ``-o`` besides (each in a form Click reads the same way), else
    ``None``."""
    off = environ.get(QUICK_ENV, "").strip().lower() in ("0", "false", "no", "off")
    if off or any(environ.get(v) for v in _FULL_PATH_ENV):
        return None
    options: dict[str, str] = {}
    params: list[str] = []
    words = list(argv)
    name = None
    at = 0
    while at < len(words):
        word = words[at]
        # --name=value as Click reads it; a short option's "=" would be part of its value
        option, eq, value = word.partition("=") if word.startswith("--") else (word, "", "")
        if not option.startswith("-"):
            if word == "query" and "query" not in options:
                options["query"] = ""
            elif "query" in options and name is None:
                name = word
            else:
                return None
            at += 1
            continue
        option = {"-p": "--param", "-o": "--output"}.get(option, option)
        known = ("--store", "--lang") if "query" not in options else ("--param", "--lang")
        if option not in (*known, "--output", "--format") or (
            option in ("--output", "--format") and "query" not in options
        ):
            return None
        if not eq:
            if at + 1 == len(words):
                return None
            value = words[at + 1]
            at += 1
        at += 1
        if option == "--param":
            params.append(value)
        elif option in options:
            return None  # given twice: the full path decides what that means
        else:
            options[option] = value
    # An explicit --store (even an empty one) wins over the variable, as in Click.
    store_dir = options["--store"] if "--store" in options else environ.get("CAREGRAPH_STORE")
    if (
        name is None
        or not QUERY_ID.fullmatch(name)
        or not store_dir
        or options.get("--format") != "sparql-csv"
    ):
        return None
    try:
        given = parse_params(params)
    except CaregraphError:
        return None  # the full path explains
    return QuickCall(store_dir, name, given, options.get("--lang"), options.get("--output"))


def run_quick(call: QuickCall) -> bool:
    """Answer ``call`` from its prepared text; ``False`` (and nothing written) if it cannot.

    Raises:
        OSError: standard output cannot be written (a closed pipe, a full disk).
        KeyboardInterrupt: Ctrl-C or ``kill`` while it ran.
    """
    answered = _answer(call)
    if answered is None:
        return False
    rows, inputs = answered
    if call.output:
        try:
            write_atomic(call.output, rows, inputs=inputs)
        except CaregraphError:
            return False  # the full path explains
        return True
    if b"\x1b" in rows or codecs.lookup(sys.stdout.encoding or "ascii").name != "utf-8":
        return False  # Click strips terminal escapes and writes UTF-8 anyway; let it
    tolerant_streams()
    sys.stdout.write(rows.decode("utf-8"))
    sys.stdout.flush()
    return True


def _answer(call: QuickCall) -> tuple[bytes, list[Path]] | None:
    """The CSV rows of the prepared text and the store's input files, or ``None``."""
    import pyoxigraph as ox  # here: --help and completion need no RDF library

    if call.lang is not None and call.lang not in LANGS:
        return None
    try:
        own, lang = split_lang(call.params, call.lang or default_lang())
        source = (resources.queries_dir() / f"{call.name}.rq").read_bytes()
        generation = current_generation(call.store_dir)
        manifest = read_manifest(call.store_dir, generation)
        if staleness(manifest):
            return None  # the full path warns
        key = prepared_key(hashlib.sha256(source).hexdigest(), own, lang)
        text = load_prepared(generation, key)
        if text is None:
            return None
        check_query(text)

        def answer() -> bytes | None:
            store = ox.Store.read_only(str(generation))
            result = store.query(text, use_default_graph_as_union=True)
            if not isinstance(result, ox.QuerySolutions):
                return None
            return result.serialize(format=ox.QueryResultsFormat.CSV) or b""

        # On a helper thread, as every query of the full path: Ctrl-C stops it at once.
        rows = run_with_deadline(answer, None)
    except Exception:  # whatever it is, the full path reports it its own way
        return None
    return None if rows is None else (rows, manifest.data_files())


def main() -> None:
    """Entry point of the ``caregraph`` console script."""
    call = parse_quick(sys.argv[1:], os.environ)
    if call is not None:
        stop_on_kill()
        try:
            if run_quick(call):
                exit_now(0)
        except KeyboardInterrupt:
            end_interrupted()
        except OSError as exc:  # writing to standard output failed
            if exc.errno == errno.EPIPE:
                exit_now(1)  # a reader that stopped early (`| head`), as Click does
            end_unexpected(exc)
    from caregraph.cli import main as full

    full()
