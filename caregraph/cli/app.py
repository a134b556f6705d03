"""The ``caregraph`` command group, its global options and the settings they make.

Command modules (``caregraph.cli.<topic>``) import ``cli`` and ``Settings`` from here and
register their commands on ``cli``; ``caregraph.cli`` imports them all.

Exit codes: 0 success; 1 data invalid or a check failed; 2 usage error or
unreadable input; 3 a bug; 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import signal
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from caregraph import resources
from caregraph.endpoint import EndpointStore
from caregraph.errors import CaregraphError, UsageError
from caregraph.loading import PathLike, find_data_files
from caregraph.outfile import write_atomic
from caregraph.store import BACKENDS, GraphStore, open_store

F = TypeVar("F", bound=Callable[..., Any])

EXIT_CODES_HELP = (
    "Exit codes: 0 ok; 1 data invalid or check failed; 2 usage error or unreadable input; "
    "3 internal error (a bug)."
)


class Failure(click.ClickException):
    """A caregraph error shown as one paragraph, with its own exit code."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]  # click declares it on the class


#: The exit code after Ctrl-C (128 + SIGINT), as shells use.
EXIT_INTERRUPTED = 130


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CaregraphError as exc:
            raise Failure(str(exc), exc.exit_code) from None
        except KeyboardInterrupt:
            raise Failure("Interrupted; nothing was written.", EXIT_INTERRUPTED) from None


def default_lang() -> str:
    """German unless the locale variables ask for English (as the README says).

    The first of ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that is set decides; no locale
    variables, or the neutral ``C``/``POSIX`` locale, mean German, the report's language.
    """
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "en" if value.lower().startswith("en") else "de"
    return "de"


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
    ) -> None:
        self.data = list(data) or None
        self.backend = backend
        self.lang = lang
        self.queries = list(queries)
        self.endpoint = endpoint
        self.allow_network = allow_network
        self.timeout = timeout
        self._store: GraphStore | None = None

    def input_files(self) -> list[Path]:
        """The files commands read (the ontology and the data), which -o must not replace."""
        return [] if self.endpoint else input_files(self.data)

    def store(self) -> GraphStore:
        """The graph queries run on: the endpoint if one is named, else the loaded files."""
        if self._store is None:
            if self.endpoint:
                if self.data:
                    raise UsageError("Give either --endpoint or --data, not both.")
                self._store = EndpointStore(
                    self.endpoint, self.timeout or 60.0, allow_network=self.allow_network
                )
            else:
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
    lang: str | None,
    endpoint: str | None,
    allow_network: bool,
    timeout: float | None,
    query_dirs: tuple[str, ...],
) -> None:
    """caregraph: the knowledge graph of Dresden's caring communities.

    Validate the graph, list and run stored coordination queries, and see what
    the graph holds. Every command works on the bundled Dresden graph unless
    --data points elsewhere.
    """
    ctx.obj = Settings(
        data, backend, lang or default_lang(), query_dirs, endpoint, allow_network, timeout
    )


def input_files(paths: Sequence[PathLike] | None) -> list[Path]:
    """The ontology and the data files under ``paths`` (default: the bundled graph)."""
    try:
        return [resources.ontology_path(), *find_data_files(paths)]
    except CaregraphError:
        return []  # the command itself reports the unreadable input


def emit(text: str | bytes, output: str | None, inputs: Iterable[PathLike] = ()) -> None:
    """Write ``text`` (or bytes) to ``output`` (see ``caregraph.outfile``), or to stdout."""
    if output:
        write_atomic(output, text, inputs=inputs)
    elif isinstance(text, bytes):
        sys.stdout.buffer.write(text)
    else:
        click.echo(text, nl=False)


def format_option(choices: Sequence[str], default: str, help: str) -> Callable[[F], F]:
    """``--format`` (into the parameter ``fmt``) with its ``choices``."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default=default,
        show_default=True,
        help=help,
    )


def output_option(
    help: str = "Write to FILE (atomically) instead of the screen.",
) -> Callable[[F], F]:
    """``--output/-o FILE``."""
    return click.option("--output", "-o", type=click.Path(dir_okay=False), help=help)


def lang_option(what: str) -> Callable[[F], F]:
    """A command's own ``--lang de|en`` for ``what`` (default: the global ``--lang``)."""
    return click.option(
        "--lang",
        "lang",
        type=click.Choice(["de", "en"]),
        default=None,
        help=f"Language of {what} (default: the global --lang).",
    )


def max_file_size_option(default_bytes: int, what: str = "files") -> Callable[[F], F]:
    """``--max-file-size MB``: refuse larger ``what``."""
    return click.option(
        "--max-file-size",
        type=click.FloatRange(min=0),
        default=default_bytes / 1e6,
        show_default=True,
        metavar="MB",
        help=f"Refuse {what} larger than this.",
    )


def console_width() -> int | None:
    """Let rich measure a terminal; elsewhere use $COLUMNS (default 120)."""
    return None if sys.stdout.isatty() else int(os.environ.get("COLUMNS", "120"))


def main() -> None:
    """Entry point of the ``caregraph`` console script."""
    # rdflib logs a traceback for every ill-typed literal it reads; the validator
    # reports those as findings, so the log would only repeat them as noise.
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)
    _tolerant_streams()
    # A plain `kill` ends the run like Ctrl-C does: cleanup (temporary files) still runs.
    signal.signal(signal.SIGTERM, _terminate)
    try:
        cli(prog_name="caregraph", standalone_mode=False)
    except click.exceptions.Abort:  # Ctrl-C at a prompt, or while click itself waits
        click.echo("Error: Interrupted; nothing was written.", err=True)
        _exit(EXIT_INTERRUPTED)
    except click.ClickException as exc:
        exc.show()
        _exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        _exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("Error: Interrupted; nothing was written.", err=True)
        _exit(EXIT_INTERRUPTED)
    except Exception as exc:  # a bug of ours: say so plainly instead of a traceback
        if os.environ.get("CAREGRAPH_DEBUG"):
            raise
        click.echo(
            f"Error: caregraph failed unexpectedly ({type(exc).__name__}: {exc}). This is a bug; "
            "please report it with the command you ran "
            "(set CAREGRAPH_DEBUG=1 to see the traceback).",
            err=True,
        )
        _exit(3)
    _exit(0)


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _tolerant_streams() -> None:
    """Write what the terminal's encoding can show and replace the rest, never crash."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors="replace")


def _exit(code: int) -> None:
    """Leave now, even while an abandoned query still runs on a helper thread."""
    for stream in (sys.stdout, sys.stderr):
        # A closed pipe (e.g. `| head`) is no error of ours.
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)
