"""How a caregraph process ends: exit codes, Ctrl-C and ``kill``, and the last messages.

Shared by the command line (``caregraph.cli.app``) and its quick path
(``caregraph.launch``), so both end the same way; only the standard library here.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from typing import NoReturn

#: The exit code after Ctrl-C or ``kill`` (128 + SIGINT), as shells use.
EXIT_INTERRUPTED = 130
#: The exit code of an unexpected error (a bug of ours).
EXIT_BUG = 3
#: What is said after Ctrl-C or ``kill``.
INTERRUPTED = "Interrupted; nothing was written."


def stop_on_kill() -> None:
    """Let a plain ``kill`` end the run like Ctrl-C: cleanup (temporary files) still runs."""
    signal.signal(signal.SIGTERM, _interrupt)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def unexpected(exc: BaseException) -> str:
    """The message for an error caregraph did not expect (without the ``Error:`` prefix)."""
    return (
        f"caregraph failed unexpectedly ({type(exc).__name__}: {exc}). This is a bug; please "
        "report it with the command you ran (set CAREGRAPH_DEBUG=1 to see the traceback)."
    )


def exit_now(code: int) -> NoReturn:
    """Leave now, even while an abandoned query still runs on a helper thread."""
    for stream in (sys.stdout, sys.stderr):
        # A closed pipe (e.g. `| head`) or a closed stream is no error of ours.
        with contextlib.suppress(OSError, ValueError, AttributeError):
            stream.flush()
    os._exit(code)


def end_interrupted() -> NoReturn:
    """Say that Ctrl-C or ``kill`` stopped the run, and leave with ``EXIT_INTERRUPTED``."""
    print(f"Error: {INTERRUPTED}", file=sys.stderr)
    exit_now(EXIT_INTERRUPTED)


def end_unexpected(exc: BaseException) -> NoReturn:
    """Say that caregraph failed unexpectedly, and leave with ``EXIT_BUG``; with
    ``CAREGRAPH_DEBUG`` set, raise ``exc`` instead (its traceback is what is wanted)."""
    if os.environ.get("CAREGRAPH_DEBUG"):
        raise exc
    print(f"Error: {unexpected(exc)}", file=sys.stderr)
    exit_now(EXIT_BUG)
