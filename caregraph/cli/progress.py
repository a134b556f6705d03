"""A progress display for long commands: rich, on stderr, only when a person watches.

``validation_progress()`` gives ``validate`` a callback that shows which layer runs (and,
in the syntax layer, which file is read and how many are left) as a line on stderr that
disappears when the run ends. It shows nothing when stderr is not a terminal (a pipe, a
file, CliRunner) or when the ``CI`` environment variable is set, as CI services do.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from caregraph.validation.progress import Progress, ProgressCallback

#: What the display says while each step runs.
_DOING = {
    "syntax": "Reading the files",
    "load": "Loading the data into Oxigraph",
    "vocabulary": "Checking the vocabulary",
    "shapes": "Checking the SHACL shapes",
    "ontology": "Checking consistency with HermiT",
    "rules": "Running the rule checks",
}


def watched(stream: IO[str] | None = None) -> bool:
    """Whether a person is likely to watch ``stream`` (default stderr): a terminal, not CI."""
    stream = stream if stream is not None else sys.stderr
    ci = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
    try:
        return stream.isatty() and not ci
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


@contextmanager
def validation_progress() -> Iterator[ProgressCallback | None]:
    """A callback showing validation's steps on stderr while the block runs; None if unwatched."""
    if not watched():
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.progress import (
        Progress as Display,
    )

    display = Display(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = display.add_task("Validating", total=None)

    def show(step: Progress) -> None:
        doing = _DOING.get(step.layer, step.layer)
        if step.event == "file" and step.file is not None:
            display.update(
                task,
                description=f"{doing} ({step.done}/{step.total}): {step.file.name}",
                completed=step.done,
                total=step.total,
                refresh=True,
            )
        elif step.event == "start":
            total = step.total if step.total else None
            display.update(task, description=doing, completed=0, total=total, refresh=True)

    with display:
        yield show
