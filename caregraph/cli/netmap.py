"""Commands that draw the network: ``map`` (the Netzwerkkarte) and ``gaps`` (the gap matrix)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from caregraph.cli.app import Settings, cli, input_files
from caregraph.cli.options import emit, lang_option
from caregraph.errors import UsageError
from caregraph.textsafe import for_terminal

if TYPE_CHECKING:
    from rich.table import Table

    from caregraph.netmap.gaps import GapMatrix
    from caregraph.netmap.model import Network

# The library is imported inside the commands, so that --help and completion stay fast.

MAP_FORMATS = ("html", "svg", "png")
GAP_FORMATS = ("table", "html", "svg", "csv")


_OUTPUT = click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Write to FILE (atomically) instead of standard output (a png map needs one).",
)


def _format(fmt: str | None, output: str | None, choices: tuple[str, ...], default: str) -> str:
    """The format asked for, else the output file's extension, else ``default``."""
    if fmt:
        return fmt
    suffix = Path(output).suffix.lower().lstrip(".") if output else ""
    suffix = {"htm": "html"}.get(suffix, suffix)
    if suffix in choices:
        return suffix
    if output and suffix:
        raise UsageError(
            f"{output}: cannot tell the format from the extension '.{suffix}'; "
            f"give --format ({', '.join(c for c in choices if c != 'table')})."
        )
    return default


def _network(settings: Settings) -> Network:
    from caregraph.netmap import load_network

    return load_network(settings.store(), settings.lang)


@cli.command("map")
@click.option("--district", metavar="AREA", help="Show only actors present in this area.")
@click.option(
    "--sector", metavar="SECTOR", help="Show only actors of this sector ('none': without one)."
)
@click.option("--field", metavar="FIELD", help="Show only actors linked to this field of action.")
@lang_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(MAP_FORMATS),
    default=None,
    help="html: the interactive page; svg or png: a static map drawn by Graphviz "
    "(default: from the extension of -o, else html).",
)
@_OUTPUT
@click.option(
    "--resource-url",
    metavar="PATTERN",
    help="Link each node to its resource page: PATTERN with {iri} for the percent-encoded "
    "IRI, e.g. 'https://example.org/resource?iri={iri}'.",
)
@click.pass_obj
def map_command(
    settings: Settings,
    district: str | None,
    sector: str | None,
    field: str | None,
    fmt: str | None,
    output: str | None,
    resource_url: str | None,
) -> None:
    """Draw the network map (Netzwerkkarte) of actors and their relations.

    The html page is self-contained and works offline: filters for area, sector,
    field of action and relation type, search by name, details on click, and the
    gap matrix. --district, --sector and --field set the filters it opens with;
    for svg and png only what they leave is drawn. Names may be given in German or
    English, as a prefixed name or an IRI.
    """
    fmt = _format(fmt, output, MAP_FORMATS, "html")
    if fmt == "png" and not output:
        raise UsageError("A PNG image cannot go to the terminal; give -o FILE.png.")
    if resource_url is not None and "{iri}" not in resource_url:
        raise UsageError(
            f"--resource-url '{resource_url}' has no {{iri}}; write where the IRI goes, "
            "e.g. 'https://example.org/resource?iri={iri}'."
        )
    from caregraph.netmap import map_html, render_static

    network = _network(settings)
    filters = network.resolve_filters(district, sector, field)
    content: str | bytes
    if fmt == "html":
        content = map_html(network, resource_url=resource_url, filters=filters)
    else:
        content = render_static(network.filtered(filters), fmt)
        if fmt == "svg":
            content = content.decode("utf-8")
    emit(content, output, input_files(settings.data_paths()))


@cli.command("gaps")
@click.option(
    "--fields", is_flag=True, help="Add a column for each field of action (Handlungsfeld)."
)
@lang_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(GAP_FORMATS),
    default=None,
    help="table (terminal), html, svg or csv (default: from the extension of -o, else table).",
)
@_OUTPUT
@click.pass_obj
def gaps_command(settings: Settings, fields: bool, fmt: str | None, output: str | None) -> None:
    """Show the gap matrix: areas of Dresden against the four sectors.

    Rows are the city, the 10 Stadtbezirke, the 9 Ortschaften and other areas; each
    cell is the number of actors of that sector present in the area (counted as the
    query sector_coverage_per_district counts them; actors working city-wide count
    for every district and locality too). An empty cell is a gap.
    """
    from rich.console import Console

    from caregraph.netmap import matrix_of
    from caregraph.output import console_width

    fmt = _format(fmt, output, GAP_FORMATS, "table")
    matrix = matrix_of(_network(settings), fields=fields)
    if fmt == "table":
        if output:
            raise UsageError("--format table is for the terminal; for a file use csv, html or svg.")
        Console(width=console_width()).print(_rich_table(matrix))
        return
    writers: dict[str, Callable[[], str]] = {
        "html": matrix.to_html,
        "svg": matrix.to_svg,
        "csv": matrix.to_csv,
    }
    content = writers[fmt]()
    emit(content, output, input_files(settings.data_paths()))


def _rich_table(matrix: GapMatrix) -> Table:
    from rich.table import Table

    from caregraph.netmap.style import text

    table = Table(title=text("gaps_title", matrix.lang), header_style="bold")
    table.add_column(text("area", matrix.lang))
    for column in matrix.columns:
        table.add_column(for_terminal(matrix.labels.get(column, column)), justify="center")
    for i, (_, label, _) in enumerate(matrix.rows):
        table.add_row(for_terminal(label), *(str(len(c)) if c else "–" for c in matrix.cells[i]))
    table.caption = text("gaps_caption", matrix.lang)
    return table
