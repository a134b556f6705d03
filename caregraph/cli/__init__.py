"""The ``caregraph`` command: thin Click wrappers over the library.

Exit codes: 0 success; 1 data invalid or a check failed; 2 usage error or
unreadable input.
"""

from __future__ import annotations

import locale
import logging
import os
import sys
from collections.abc import Sequence
from typing import Any

import click

from caregraph.endpoint import EndpointStore
from caregraph.errors import CaregraphError, UsageError
from caregraph.store import BACKENDS, GraphStore, open_store

EXIT_CODES_HELP = (
    "Exit codes: 0 ok; 1 data invalid or check failed; 2 usage error or unreadable input; "
    "3 internal error (a bug)."
)


class Failure(click.ClickException):
    """A caregraph error shown as one paragraph, with its own exit code."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]  # click declares it on the class


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CaregraphError as exc:
            raise Failure(str(exc), exc.exit_code) from None


def default_lang() -> str:
    """German unless the locale asks for English."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "en" if value.lower().startswith("en") else "de"
    code = (locale.getlocale()[0] or "").lower()
    return "en" if code.startswith("en") else "de"


class Settings:
    """Options shared by all commands."""

    def __init__(
        self,
        data: Sequence[str],
        backend: str,
        lang: str,
        queries: Sequence[str],
        endpoint: str | None = None,
        allow_network: bool = False,
    ) -> None:
        self.data = list(data) or None
        self.backend = backend
        self.lang = lang
        self.queries = list(queries)
        self.endpoint = endpoint
        self.allow_network = allow_network
        self._store: GraphStore | None = None

    def store(self) -> GraphStore:
        """The graph queries run on: the endpoint if one is named, else the loaded files."""
        if self._store is None:
            if self.endpoint:
                if self.data:
                    raise UsageError("Give either --endpoint or --data, not both.")
                self._store = EndpointStore(self.endpoint)
            else:
                self._store = open_store(self.data, self.backend, allow_network=self.allow_network)
        return self._store


@click.group(cls=_Group, epilog=EXIT_CODES_HELP)
@click.version_option(package_name="caregraph")
@click.option(
    "--data",
    "-d",
    multiple=True,
    type=click.Path(),
    metavar="PATH",
    help="RDF file or folder to use instead of the bundled Dresden graph (repeatable).",
)
@click.option(
    "--backend",
    type=click.Choice(BACKENDS),
    default="oxigraph",
    show_default=True,
    help="Where queries run: Oxigraph (fast) or rdflib.",
)
@click.option(
    "--lang",
    type=click.Choice(["de", "en"]),
    default=None,
    help="Language of titles, labels and messages (default: from the locale, else German).",
)
@click.option(
    "--endpoint",
    metavar="URL",
    help="Run queries on this SPARQL endpoint instead of local files (nothing is sent elsewhere).",
)
@click.option(
    "--allow-network",
    is_flag=True,
    help="Let parsers fetch remote JSON-LD contexts and XML entities (refused by default).",
)
@click.option(
    "--queries",
    "query_dirs",
    multiple=True,
    type=click.Path(file_okay=False),
    metavar="DIR",
    help="Folder of your own stored queries to add (repeatable).",
)
@click.pass_context
def cli(
    ctx: click.Context,
    data: tuple[str, ...],
    backend: str,
    lang: str | None,
    endpoint: str | None,
    allow_network: bool,
    query_dirs: tuple[str, ...],
) -> None:
    """caregraph: the knowledge graph of Dresden's caring communities.

    Validate the graph, list and run stored coordination queries, and see what
    the graph holds. Every command works on the bundled Dresden graph unless
    --data points elsewhere.
    """
    ctx.obj = Settings(data, backend, lang or default_lang(), query_dirs, endpoint, allow_network)


def console_width() -> int | None:
    """Let rich measure a terminal; elsewhere use $COLUMNS (default 120)."""
    return None if sys.stdout.isatty() else int(os.environ.get("COLUMNS", "120"))


def main() -> None:
    """Entry point of the ``caregraph`` console script."""
    # rdflib logs a traceback for every ill-typed literal it reads; the validator
    # reports those as findings, so the log would only repeat them as noise.
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)
    try:
        cli(prog_name="caregraph")
    except Exception as exc:  # a bug of ours: say so plainly instead of a traceback
        if os.environ.get("CAREGRAPH_DEBUG"):
            raise
        click.echo(
            f"Error: caregraph failed unexpectedly ({type(exc).__name__}: {exc}). This is a bug; "
            "please report it with the command you ran "
            "(set CAREGRAPH_DEBUG=1 to see the traceback).",
            err=True,
        )
        sys.exit(3)


# The commands register themselves on ``cli`` when their modules are imported.
from caregraph.cli import checking, inspecting, netmap, querying  # noqa: E402, F401
