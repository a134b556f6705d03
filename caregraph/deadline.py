"""Running work with an overall deadline that Ctrl-C can always interrupt, and stopping it.

Oxigraph evaluates a query in Rust without returning to Python until a row is ready, so
neither Ctrl-C nor a timer could stop a long query on the calling thread. The work runs
on a helper thread instead; the calling thread waits in short slices, so a deadline or
Ctrl-C ends the wait at once.

The work itself stops too: it runs under :func:`deadline_at`, and the stores call
:func:`check_deadline` between rows, so a query past its time stops at its next row
instead of running on in its thread. What cannot be stopped is one engine step that
returns no row for long (an ORDER BY, GROUP BY or a hash join building its table over
many solutions): the thread is free again when that step ends.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from caregraph.errors import QueryTimeout

T = TypeVar("T")

#: How often the waiting thread looks up (seconds); also how fast Ctrl-C is noticed.
_SLICE = 0.05

_local = threading.local()


@contextmanager
def deadline_at(limit: float | None, message: str) -> Iterator[None]:
    """Within the block, :func:`check_deadline` on this thread raises once ``limit`` passed.

    Args:
        limit: a ``time.monotonic()`` value; None for none. Nested deadlines: the earliest
            holds.
        message: the message of the :class:`QueryTimeout` raised then.
    """
    outer = getattr(_local, "limit", None)
    if limit is not None and (outer is None or limit < outer[0]):
        _local.limit = (limit, message)
    try:
        yield
    finally:
        _local.limit = outer


def check_deadline() -> None:
    """Raise :class:`QueryTimeout` if this thread's deadline has passed (cheap; call it
    between rows).

    Raises:
        QueryTimeout: the deadline set by :func:`deadline_at` has passed.
    """
    limit = getattr(_local, "limit", None)
    if limit is not None and time.monotonic() >= limit[0]:
        raise QueryTimeout(limit[1])


def run_with_deadline(work: Callable[[], T], seconds: float | None, what: str = "The query") -> T:
    """Return ``work()``, or raise :class:`QueryTimeout` once ``seconds`` have passed.

    Args:
        work: the function to run (on a helper thread, unless ``seconds`` is None and the
            caller is not the main thread).
        seconds: the overall limit; None or 0 for none (Ctrl-C still interrupts).
        what: how the message names the work, e.g. "The query".

    Raises:
        QueryTimeout: the deadline passed first.
        KeyboardInterrupt: Ctrl-C while waiting.
        BaseException: whatever ``work`` raised, re-raised on the calling thread.
    """
    if not seconds and threading.current_thread() is not threading.main_thread():
        return work()  # no signal can reach a non-main thread, so nothing to wait for
    outcome: list[T] = []
    failure: list[BaseException] = []
    limit = time.monotonic() + seconds if seconds else None
    message = (
        f"{what} did not finish within {seconds:g} s and was stopped. Narrow it "
        "(filters, LIMIT), or allow more time with --timeout SECONDS."
        if seconds
        else ""
    )

    inherited = getattr(_local, "limit", None) or (None, "")  # the caller's deadline holds

    def target() -> None:
        try:
            # The abandoned work stops at its next row.
            with deadline_at(*inherited), deadline_at(limit, message):
                outcome.append(work())
        except BaseException as exc:  # handed to the caller, whatever it is
            # Drop the frames' locals here: they may hold engine objects (Oxigraph's result
            # iterators) that must be freed on the thread that made them.
            chain: BaseException | None = exc
            cleared: set[int] = set()
            while chain is not None and id(chain) not in cleared:
                cleared.add(id(chain))
                traceback.clear_frames(chain.__traceback__)
                chain = chain.__cause__ or chain.__context__
            failure.append(exc)

    worker = threading.Thread(target=target, name="caregraph-work", daemon=True)
    worker.start()
    while worker.is_alive():
        if limit is not None and time.monotonic() >= limit:
            raise QueryTimeout(message)
        worker.join(_SLICE)
    if failure:
        raise failure[0]
    return outcome[0]
