"""Running work with an overall deadline that Ctrl-C can always interrupt.

Oxigraph evaluates a query in Rust without returning to Python until a row is ready, so
neither Ctrl-C nor a timer could stop a long query on the calling thread. The work runs
on a helper thread instead; the calling thread waits in short slices, so a deadline or
Ctrl-C ends the wait at once. The abandoned work keeps its thread until it finishes (the
CLI exits right away; a long-lived caller such as a web server should bound concurrency).
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from typing import TypeVar

from caregraph.errors import QueryTimeout

T = TypeVar("T")

#: How often the waiting thread looks up (seconds); also how fast Ctrl-C is noticed.
_SLICE = 0.05


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

    def target() -> None:
        try:
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
    limit = time.monotonic() + seconds if seconds else None
    while worker.is_alive():
        if limit is not None and time.monotonic() >= limit:
            raise QueryTimeout(
                f"{what} did not finish within {seconds:g} s and was stopped. Narrow it "
                "(filters, LIMIT), or allow more time with --timeout SECONDS."
            )
        worker.join(_SLICE)
    if failure:
        raise failure[0]
    return outcome[0]
