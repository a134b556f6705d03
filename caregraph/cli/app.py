"""The ``caregraph`` command group, its global options and the settings they make.

Command modules (``caregraph.cli.<topic>``) import ``cli`` and ``Settings`` from here and
register their commands on ``cli``; ``caregraph.cli`` imports them all.

Exit codes: 0 success; 1 data invalid or a check failed; 2 usage error or
unreadable input; 3 a bug; 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from caregraph import resources
from caregraph.choices import BACKENDS, default_lang
from caregraph.cli.options import allow_network_option, given, lang_option
from caregraph.datafiles import find_data_files
from caregraph.errors import CaregraphError, UsageError
from caregraph.exiting import (
    EXIT_INTERRUPTED,
    INTERRUPTED,
    end_interrupted,
    end_unexpected,
    exit_now,
    stop_on_kill,
)
from caregraph.outfile import tolerant_streams

if TYPE_CHECKING:
    from caregraph.persist import PersistentStore
    from caregraph.store import GraphStore

#: Environment variable naming a persistent store for every command (like --store).
STORE_ENV = "CAREGRAPH_STORE"

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
        except KeyboardInterrupt:
            raise Failure(INTERRUPTED, EXIT_INTERRUPTED) from None


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
        timeout: float | None = None,
        store_dir: str | None = None,
        store_from_env: bool = False,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
    ) -> None:
        self.data = list(data) or None
        self.backend = backend
        self.lang = lang
        self.queries = list(queries)
        self.endpoint = endpoint
        self.allow_network = allow_network
        self.timeout = timeout
        self.store_dir = store_dir
        self.store_from_env = store_from_env
        self.default_graphs = list(default_graphs)
        self.named_graphs = list(named_graphs)
        self._store: GraphStore | None = None
        self._persistent: PersistentStore | None = None

    def input_files(self) -> list[Path]:
        """The files commands read (the ontology and the data), which -o must not replace."""
        if self.uses_store():
            return [Path(p) for p in self.data_paths() or []]
        return [] if self.endpoint else input_files(self.data)

    def uses_store(self) -> bool:
        """Whether commands read a persistent store (``--store`` or ``CAREGRAPH_STORE``).

        An explicit ``--data`` or ``--endpoint`` wins over the environment variable; given
        together with ``--store`` on the command line they are a usage error.
        """
        if not self.store_dir:
            return False
        if self.data or self.endpoint:
            if self.store_from_env:
                return False
            raise UsageError("Give only one of --store, --data and --endpoint.")
        return True

    def persistent(self) -> PersistentStore:
        """The persistent store, opened once; warns on standard error if it is out of date."""
        if self._persistent is None:
            from caregraph.persist import open_persistent

            assert self.store_dir is not None
            self._persistent = open_persistent(
                self.store_dir, allow_network=self.allow_network, timeout=self.timeout
            )
            stale = self._persistent.staleness()
            if stale:
                click.echo("Warning: " + stale.message(self.store_dir), err=True)
        return self._persistent

    def data_paths(self) -> list[str] | None:
        """Files for commands that read files (validate, consistency, reason)."""
        if self.uses_store():
            return [str(p) for p in self.persistent().manifest.data_files()]
        return self.data

    def data_store(self) -> GraphStore:
        """The data without caregraph's ontology (for counting and exporting)."""
        if self.uses_store():
            return self.persistent().data_only()
        if self.endpoint:
            return self.store()
        from caregraph.store import open_store

        return open_store(
            self.data,
            self.backend,
            ontology=False,
            allow_network=self.allow_network,
            timeout=self.timeout,
        )

    def store(self) -> GraphStore:
        """The graph queries run on: a persistent store, an endpoint or the loaded files."""
        # Imported here: loading a store needs rdflib and Oxigraph, --help and completion do not.
        from caregraph.endpoint import EndpointStore
        from caregraph.store import open_store

        if self._store is None:
            if self.uses_store():
                self._store = self.persistent()
            elif self.endpoint:
                if self.data:
                    raise UsageError("Give either --endpoint or --data, not both.")
                self._store = EndpointStore(
                    self.endpoint,
                    self.timeout or 60.0,
                    allow_network=self.allow_network,
                    default_graph_uris=self.default_graphs,
                    named_graph_uris=self.named_graphs,
                )
            else:
                if self.default_graphs or self.named_graphs:
                    raise UsageError(
                        "--default-graph-uri and --named-graph-uri choose graphs on a SPARQL "
                        "server; give them together with --endpoint."
                    )
                self._store = open_store(
                    self.data, self.backend, allow_network=self.allow_network, timeout=self.timeout
                )
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
@lang_option
@click.option(
    "--endpoint",
    metavar="URL",
    help="Run queries on this SPARQL endpoint instead of local files (nothing is sent elsewhere).",
)
@allow_network_option
@click.option(
    "--store",
    "store_dir",
    metavar="DIR",
    envvar=STORE_ENV,
    type=click.Path(file_okay=False),
    help="Read the persistent store built by `caregraph load --store DIR` instead of parsing "
    f"files [env: {STORE_ENV}; --data or --endpoint win over the variable].",
)
@click.option(
    "--default-graph-uri",
    "default_graphs",
    multiple=True,
    metavar="IRI",
    help="With --endpoint: query this named graph of the server as the default graph "
    "(repeatable; their merge is used). Like default-graph-uri in the endpoint URL.",
)
@click.option(
    "--named-graph-uri",
    "named_graphs",
    multiple=True,
    metavar="IRI",
    help="With --endpoint: a named graph that GRAPH patterns of a query may use (repeatable).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    envvar="CAREGRAPH_TIMEOUT",
    metavar="SECONDS",
    help="Stop any query (or endpoint request) after this many seconds "
    "[env: CAREGRAPH_TIMEOUT; default: none locally, 60 for an endpoint].",
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
    endpoint: str | None,
    timeout: float | None,
    query_dirs: tuple[str, ...],
    store_dir: str | None,
    default_graphs: tuple[str, ...],
    named_graphs: tuple[str, ...],
) -> None:
    """caregraph: the knowledge graph of Dresden's caring communities.

    Validate the graph, list and run stored coordination queries, and see what
    the graph holds. Every command works on the bundled Dresden graph unless
    --data points elsewhere.
    """
    ctx.obj = settings_from(ctx)


def input_files(paths: Sequence[str | Path] | None) -> list[Path]:
    """The ontology and the data files under ``paths`` (default: the bundled graph)."""
    try:
        return [resources.ontology_path(), *find_data_files(paths)]
    except CaregraphError:
        return []  # the command itself reports the unreadable input


def settings_from(ctx: click.Context) -> Settings:
    """The settings the root options make, also during shell completion (when the group's
    callback does not run)."""
    root = ctx.find_root()
    if isinstance(root.obj, Settings):
        return root.obj
    params = root.params
    return Settings(
        params.get("data") or (),
        params.get("backend") or "oxigraph",
        given(ctx, "lang") or default_lang(),
        params.get("query_dirs") or (),
        params.get("endpoint"),
        bool(given(ctx, "allow_network")),
        params.get("timeout"),
        params.get("store_dir") or None,
        root.get_parameter_source("store_dir") == click.core.ParameterSource.ENVIRONMENT,
        params.get("default_graphs") or (),
        params.get("named_graphs") or (),
    )


def main() -> None:
    """Entry point of the ``caregraph`` console script."""
    # rdflib logs a traceback for every ill-typed literal it reads; the validator
    # reports those as findings, so the log would only repeat them as noise.
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)
    tolerant_streams()
    stop_on_kill()
    try:
        cli(prog_name="caregraph", standalone_mode=False)
    except (click.exceptions.Abort, KeyboardInterrupt):  # Abort: Ctrl-C at a prompt
        end_interrupted()
    except click.ClickException as exc:
        exc.show()
        exit_now(exc.exit_code)
    except click.exceptions.Exit as exc:
        exit_now(exc.exit_code)
    except Exception as exc:  # a bug of ours: say so plainly instead of a traceback
        end_unexpected(exc)
    exit_now(0)
