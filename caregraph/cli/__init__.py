"""The ``caregraph`` command: thin Click wrappers over the library.

``app`` holds the command group and its global options; each topic module registers its
commands on it when imported here. A new command goes into a new module
``caregraph/cli/<topic>.py`` (importing ``cli`` and ``Settings`` from ``caregraph.cli.app``,
shared options such as ``format_option``, ``output_option`` and ``emit`` from
``caregraph.cli.options``, and the library inside the command function, so that ``--help``
stays fast) that is added to the import below.
"""

from caregraph.cli import (
    checking,
    diffing,
    documenting,
    inspecting,
    netmap,
    portable,
    querying,
    serving,
    sheets,
    storing,
)
from caregraph.cli.app import cli, main

__all__ = [
    "checking",
    "cli",
    "diffing",
    "documenting",
    "inspecting",
    "main",
    "netmap",
    "portable",
    "querying",
    "serving",
    "sheets",
    "storing",
]
