"""The ``caregraph`` command: thin Click wrappers over the library.

``app`` holds the command group and its global options; each topic module registers its
commands on it when imported here. A new command goes into a new module
``caregraph/cli/<topic>.py`` (importing ``cli`` and ``Settings`` from ``caregraph.cli.app``)
that is added to the import below.
"""

from caregraph.cli import checking, diffing, inspecting, netmap, querying, sheets
from caregraph.cli.app import cli, main

__all__ = ["checking", "cli", "diffing", "inspecting", "main", "netmap", "querying", "sheets"]
