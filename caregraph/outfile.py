"""Writing an output file safely: whole or not at all, and never over the wrong thing.

The rules, for every ``-o``/``--output`` of caregraph:

- A regular file is written to a temporary file beside it and renamed over it, so a
  reader never sees half a file and an interrupted run (Ctrl-C, ``kill``) leaves the old
  file and no temporary file behind. A new file gets the usual mode under the umask
  (``0666 & ~umask``); a replaced file keeps its mode.
- A symbolic link is followed: caregraph writes where it points, and the link stays.
- A character device or a named pipe (``/dev/null``, ``/dev/stdout``, a FIFO) is written
  to directly; it is never replaced by a regular file. Block devices and sockets are
  refused.
- A folder (an existing one, or a path ending in ``/``) is refused: give a file name.
- A path that is one of the command's input files is refused.
- ``-`` means standard output.
"""

from __future__ import annotations

import io
import os
import stat
import sys
from collections.abc import Iterable
from pathlib import Path

from caregraph.errors import OutputError

PathLike = str | os.PathLike[str]


def _target(path: PathLike) -> Path:
    text = os.fspath(path)
    if text.endswith(("/", os.sep)):
        raise OutputError(
            f"{text}: this names a folder; -o takes a file name (e.g. {text.rstrip('/')}/"
            "result.csv)."
        )
    target = Path(os.path.realpath(text))  # follows links, so the link itself is kept
    if target.is_dir():
        raise OutputError(f"{text}: this is a folder; -o takes a file name inside it.")
    return target


def _refuse_inputs(text: str, target: Path, inputs: Iterable[PathLike]) -> None:
    for item in inputs:
        source = Path(os.path.realpath(item))
        if source == target:
            raise OutputError(
                f"{text}: this is one of the input files; writing to it would destroy what is "
                "being read. Choose another output file."
            )


def _special(target: Path) -> os.stat_result | None:
    """The target's status when it exists and is not a regular file."""
    try:
        status = target.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OutputError(f"{target}: cannot write the file ({exc.strerror}).") from exc
    return None if stat.S_ISREG(status.st_mode) else status


def write_atomic(path: PathLike, data: str | bytes, *, inputs: Iterable[PathLike] = ()) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` following the rules of this module.

    Args:
        path: the output file, ``-`` for standard output.
        data: the whole content.
        inputs: files the command reads; writing over one of them is refused.

    Raises:
        OutputError: the path is a folder, an input, a block device or socket, or cannot
            be written; the message names it and says what to do.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    text = os.fspath(path)
    if text == "-":
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
        return
    target = _target(path)
    _refuse_inputs(text, target, inputs)
    special = _special(target)
    if special is not None:
        if not (stat.S_ISCHR(special.st_mode) or stat.S_ISFIFO(special.st_mode)):
            raise OutputError(
                f"{text}: this is a device or socket, not a file; caregraph writes only to "
                "files, character devices and named pipes."
            )
        try:
            with open(target, "wb") as handle:
                handle.write(payload)
        except OSError as exc:
            raise OutputError(f"{text}: cannot write ({exc.strerror}).") from exc
        return
    _replace(text, target, payload)


def _replace(text: str, target: Path, payload: bytes) -> None:
    tmp = target.with_name(f".{target.name}.{os.urandom(6).hex()}.tmp")
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except OSError:
        mode = None
    try:
        # O_EXCL: never reuse a path someone else placed; 0o666 lets the umask decide.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise OutputError(
            f"{text}: cannot write the file ({exc.strerror}). Check that its folder exists "
            "and is writable."
        ) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"{text}: cannot write the file ({exc.strerror}).") from exc
    except BaseException:  # Ctrl-C or kill while writing: leave nothing behind
        tmp.unlink(missing_ok=True)
        raise


def tolerant_streams() -> None:
    """Write what the terminal's encoding can show and replace the rest, never crash."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors="replace")
