"""Running work with an overall deadline that Ctrl-C can always interrupt, and stopping it.

Oxigraph evaluates a query in Rust without returning to Python until a row is ready, so
neither Ctrl-C nor a timer could stop a long query on the calling thread. The work runs
on a helper thread instead; the calling thread waits in short slices, so a deadline or
Ctrl-C ends the wait at once.

The work itself stops too: it runs under :func:`deadline_at`, and the stores call
:func:`check_deadline` between rows, so a query past its time stops at its next row
instead of running on in its thread. One engine step that returns no row for long (an
ORDER BY, GROUP BY, or a join building its hash table over many solutions) cannot be
interrupted in a thread: pyoxigraph 0.5 has no way to cancel a query. Work that must be
stoppable inside such a step (``deadline_at(..., in_child=True)``) runs in a forked child
process instead (:func:`run_in_child`), which is killed at the deadline.
"""

from __future__ import annotations

import os
import select
import signal
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from caregraph.errors import QueryTimeout

T = TypeVar("T")

#: How often the waiting thread looks up (seconds); also how fast Ctrl-C is noticed.
_SLICE = 0.05

_local = threading.local()


@contextmanager
def deadline_at(limit: float | None, message: str, *, in_child: bool = False) -> Iterator[None]:
    """Within the block, :func:`check_deadline` on this thread raises once ``limit`` passed.

    Args:
        limit: a ``time.monotonic()`` value; None for none. Nested deadlines: the earliest
            holds.
        message: the message of the :class:`QueryTimeout` raised then.
        in_child: ask the stores to run queries where they can be killed at the deadline
            (:func:`wants_child`, :func:`run_in_child`).
    """
    outer = getattr(_local, "limit", None)
    outer_child = getattr(_local, "in_child", False)
    if limit is not None and (outer is None or limit < outer[0]):
        _local.limit = (limit, message)
    _local.in_child = outer_child or (in_child and _local.limit is not None)
    try:
        yield
    finally:
        _local.limit = outer
        _local.in_child = outer_child


def wants_child() -> bool:
    """Whether this thread's deadline asks for queries in a child process that can be
    killed (and the system can fork)."""
    return bool(getattr(_local, "in_child", False)) and hasattr(os, "fork")


def run_in_child(work: Callable[[], bytes]) -> bytes:
    """``work()`` in a forked child process, killed at this thread's deadline.

    The child sees the parent's memory as it was (an in-memory store included, shared
    until written), runs ``work`` and sends its bytes back through a pipe.

    Raises:
        QueryTimeout: the deadline passed first (the child is killed).
        RuntimeError: ``work`` failed in the child (its message), or the child died.
        SyntaxError: ``work`` raised one (a query that does not parse).
    """
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():
        # Python 3.12+ warns about fork() in a process with threads: the child only runs
        # ``work`` (no lock of another thread is needed for it) and exits at once.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        status = 0
        try:
            try:
                reply = b"+" + work()
            except BaseException as exc:  # sent to the parent, whatever it is
                kind = "SyntaxError" if isinstance(exc, SyntaxError) else "RuntimeError"
                reply = f"!{kind}\n{exc}".encode("utf-8", "replace")
            view = memoryview(reply)
            while view:
                view = view[os.write(write_end, view) :]
        except BaseException:
            status = 1
        finally:
            os._exit(status)
    os.close(write_end)
    chunks = []
    try:
        while True:
            ready, _, _ = select.select([read_end], [], [], _SLICE)
            check_deadline()
            if ready:
                chunk = os.read(read_end, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
    except BaseException:
        os.kill(pid, signal.SIGKILL)
        raise
    finally:
        os.close(read_end)
        os.waitpid(pid, 0)
    reply = b"".join(chunks)
    if reply[:1] == b"+":
        return reply[1:]
    if reply[:1] == b"!":
        kind, _, message = reply[1:].decode("utf-8", "replace").partition("\n")
        raise SyntaxError(message) if kind == "SyntaxError" else RuntimeError(message)
    raise RuntimeError("the query's process ended without an answer")


def check_deadline() -> None:
    """Raise :class:`QueryTimeout` if this thread's deadline has passed (cheap; call it
    between rows).

    Raises:
        QueryTimeout: the deadline set by :func:`deadline_at` has passed.
    """
    limit = getattr(_local, "limit", None)
    if limit is not None and time.monotonic() >= limit[0]:
        raise QueryTimeout(limit[1])


def release_frames(exc: BaseException) -> None:
    """Drop the locals of the finished frames in ``exc``'s tracebacks (its causes too).

    An exception keeps every frame it passed through alive, and with them what they held:
    an Oxigraph store or result iterator stays open (its threads running) for as long as
    the exception is kept.
    """
    import traceback  # only on failures: it imports tokenize and textwrap

    chain: BaseException | None = exc
    cleared: set[int] = set()
    while chain is not None and id(chain) not in cleared:
        cleared.add(id(chain))
        traceback.clear_frames(chain.__traceback__)
        chain = chain.__cause__ or chain.__context__


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

    # The caller's deadline holds on the helper thread too.
    inherited = getattr(_local, "limit", None) or (None, "")
    in_child = getattr(_local, "in_child", False)

    def target() -> None:
        try:
            # The abandoned work stops at its next row.
            with deadline_at(*inherited, in_child=in_child), deadline_at(limit, message):
                outcome.append(work())
        except BaseException as exc:  # handed to the caller, whatever it is
            # Drop the frames' locals here: they may hold engine objects (Oxigraph's result
            # iterators) that must be freed on the thread that made them.
            release_frames(exc)
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
