"""Progress of a validation run, reported step by step to whoever shows it.

``validate`` calls an optional callback with a ``Progress`` at each step: when a layer
starts and ends, and for each file the syntax layer reads. The library prints nothing; the
command line shows the steps on a terminal (``caregraph.cli.progress``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

#: The steps besides the five layers: loading the data into the shared Oxigraph store.
LOAD = "load"


@dataclass(frozen=True)
class Progress:
    """One step of a validation run.

    Attributes:
        layer: the layer (``syntax`` ... ``rules``), or ``load`` for loading the data
            into the store that later layers share.
        event: ``start`` or ``done`` of the layer, or ``file`` (the syntax layer has read
            ``file``, the ``done``-th of ``total``).
        file: the file of a ``file`` event.
        done: how many files are read (``file`` events).
        total: how many files there are to read (``file`` events, and ``start`` of syntax).
        findings: the layer's findings (``done`` events).
    """

    layer: str
    event: str
    file: Path | None = None
    done: int = 0
    total: int = 0
    findings: int = 0


#: What ``validate`` calls with each step.
ProgressCallback = Callable[[Progress], None]


def silent(_step: Progress) -> None:
    """A callback that shows nothing (the default)."""
