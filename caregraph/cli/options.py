"""The options several commands share, each declared once.

``format_option`` takes its choices and help from a format registry
(``caregraph.formats``), so ``--help``, shell completion and the README list the same
formats. ``lang_option`` and ``allow_network_option`` may be given globally or after a
command; either way they land in the command's ``Settings``. ``follow_imports_option`` is
the reasoner's separate permission to load ``owl:imports`` targets.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import click

from caregraph.choices import LANGS
from caregraph.formats import Registry
from caregraph.outfile import write_atomic

F = TypeVar("F", bound=Callable[..., Any])

#: What --allow-network permits, everywhere it is accepted.
NETWORK_HELP = (
    "Let caregraph reach the network while reading data and running queries: parsers may "
    "fetch remote JSON-LD contexts and XML entities, queries may call SERVICE endpoints "
    "(refused by default)."
)


def format_option(
    registry: Registry,
    default: str | None,
    what: str,
    extra: tuple[str, ...] = (),
    *,
    written_to: str = "output",
) -> Callable[[F], F]:
    """``--format NAME``, one of ``registry``'s formats (plus ``extra`` choices).

    Args:
        registry: the formats to choose from; their descriptions make the help text.
        default: the format used when none is given (None: the command decides).
        what: what is written, for the help text ("the rows", "the report").
        extra: further accepted names the command handles itself.
        written_to: the option whose file name's extension chooses the format when
            ``--format`` is not given (``output``: ``-o``).
    """
    # with a default, the file's extension may choose instead; without one the command does
    chosen: dict[str, Any] = (
        {}
        if default is None
        else {
            "callback": from_output(registry.for_path, default, written_to),
            "show_default": f"{default}, or what the extension of {_SHOWN[written_to]} names",
        }
    )
    return click.option(
        "--format",
        "fmt",
        type=click.Choice([*registry.names(), *extra]),
        help=f"Format of {what}: {registry.help()}.",
        **chosen,
    )


#: How the help names the option whose file's extension chooses the format.
_SHOWN = {"output": "-o FILE", "report": "--report FILE"}


def from_output(
    lookup: Callable[[str | None], str | None], default: str, written_to: str = "output"
) -> Callable[[click.Context, click.Parameter, str | None], str]:
    """A ``--format`` callback: the format given, else the one the extension of the file of
    option ``written_to`` names (``-o report.sarif``, ``-o rows.csv``), else ``default``.

    Click handles the options given on the command line first, so that option is known here.
    """

    def chosen(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
        return value or lookup(ctx.params.get(written_to)) or default

    return chosen


def output_option(what: str) -> Callable[[F], F]:
    """``--output/-o FILE``: write to a file (atomically) instead of standard output."""
    return click.option(
        "--output",
        "-o",
        type=click.Path(dir_okay=False),
        metavar="FILE",
        help=f"Write {what} to FILE (atomically: no half-written file) instead of the screen.",
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


def given(ctx: click.Context, name: str) -> Any:
    """The value of a shared option (``lang``, ``allow_network``) given anywhere so far."""
    return ctx.meta.get(f"caregraph.{name}")


def _remember(name: str) -> Callable[[click.Context, click.Parameter, Any], None]:
    """Keep a given value where every context sees it (``ctx.meta`` is shared), and in the
    settings once they exist (an option after the command overrides the global one)."""

    def remember(ctx: click.Context, param: click.Parameter, value: Any) -> None:
        if not value:
            return
        ctx.meta[f"caregraph.{name}"] = value
        settings = ctx.find_root().obj
        if settings is not None:
            setattr(settings, name, value)

    return remember


def lang_option(f: F) -> F:
    """``--lang de|en``, before or after the command name."""
    return click.option(
        "--lang",
        type=click.Choice(LANGS),
        expose_value=False,
        callback=_remember("lang"),
        help="Language of titles, labels, messages and hints (default: from the locale, "
        "else German).",
    )(f)


def allow_network_option(f: F) -> F:
    """``--allow-network``, before or after the command name."""
    return click.option(
        "--allow-network",
        is_flag=True,
        expose_value=False,
        callback=_remember("allow_network"),
        help=NETWORK_HELP,
    )(f)


def follow_imports_option(f: F) -> F:
    """``--follow-imports``: let the OWL reasoner load what ``owl:imports`` names."""
    return click.option(
        "--follow-imports",
        is_flag=True,
        help="Let the OWL reasoner load the ontologies that owl:imports names (which may "
        "reach the network); by default owl:imports is reported and not followed.",
    )(f)


def emit(
    text: str | bytes, output: str | None, inputs: Iterable[str | os.PathLike[str]] = ()
) -> None:
    """What ``output_option`` promises: ``text`` to ``output``, else to standard output.

    The file is written by ``caregraph.outfile.write_atomic`` (whole or not at all, normal
    modes, links followed, devices never replaced); ``inputs`` are the command's input
    files, which it refuses to overwrite.
    """
    if output:
        write_atomic(output, text, inputs=inputs)
    elif isinstance(text, bytes):
        sys.stdout.buffer.write(text)
        sys.stdout.flush()
    else:
        click.echo(text, nl=False)
