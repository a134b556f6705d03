"""Commands that list and run stored queries."""

from __future__ import annotations

import io
import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import click
from click.shell_completion import CompletionItem
from rich.console import Console
from rich.table import Table

from caregraph.cli.app import Settings, cli, console_width, default_lang, emit
from caregraph.errors import CaregraphError, InputError
from caregraph.output import (
    RDF_FORMATS,
    TABLE_FORMATS,
    format_boolean,
    format_graph,
    format_result,
)
from caregraph.queries import (
    THEMES,
    Catalogue,
    catalogue_graph,
    load_catalogue,
    parameter_choices,
    run_sparql,
    run_stored,
)
from caregraph.results import ResultTable


@cli.command("queries")
@click.option("--theme", type=click.Choice(list(THEMES)), help="Only queries of this theme.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", *RDF_FORMATS, "ttl"]),
    default="table",
    show_default=True,
    help="table or json to read; ttl (turtle) or another RDF format for the catalogue as RDF.",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to this file.")
@click.pass_obj
def queries_command(settings: Settings, theme: str | None, fmt: str, output: str | None) -> None:
    """List the stored queries with their titles and parameters."""
    catalogue = load_catalogue(settings.queries)
    if theme is not None:
        catalogue = Catalogue({q.id: q for q in catalogue if q.theme == theme})
    lang = settings.lang
    if fmt == "json":
        listing = [
            {
                "id": q.id,
                "theme": q.theme,
                "title": q.text(q.title, lang),
                "description": q.text(q.description, lang),
                "params": [
                    {"name": p.name, "type": p.type, "default": p.default, "required": p.required}
                    for p in q.params
                ],
                "columns": [c.name for c in q.columns],
            }
            for q in catalogue
        ]
        emit(
            json.dumps(listing, ensure_ascii=False, indent=2) + "\n", output, settings.input_files()
        )
        return
    if fmt != "table":
        emit(
            format_graph(catalogue_graph(catalogue), "turtle" if fmt == "ttl" else fmt),
            output,
            settings.input_files(),
        )
        return
    table = Table(header_style="bold")
    for name in ("query", "theme", "title", "parameters"):
        table.add_column(name, overflow="fold")
    for q in catalogue:
        params = ", ".join(
            p.name + (f"={p.default}" if p.default else "") + (" (required)" if p.required else "")
            for p in q.params
        )
        table.add_row(q.id, THEMES[q.theme][lang], q.text(q.title, lang), params)
    console = Console(width=console_width(), record=True, file=io.StringIO())
    console.print(table)
    emit(console.export_text(), output, settings.input_files())


def _parse_params(values: Sequence[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in values:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep:
            raise click.UsageError(f"--param takes NAME=VALUE; '{item}' has no '='.")
        if not name:
            raise click.UsageError(
                f"--param takes NAME=VALUE; '{item}' has no name before the '='."
            )
        if name in params:
            raise click.UsageError(
                f"--param {name} is given twice ('{params[name]}' and '{value}'); give it once."
            )
        params[name] = value
    return params


def _root_settings(ctx: click.Context) -> Settings:
    """Settings from the root options, also during shell completion (no callback runs then)."""
    if isinstance(ctx.find_root().obj, Settings):
        return ctx.find_root().obj
    root = ctx.find_root().params
    return Settings(
        root.get("data") or (),
        root.get("backend") or "oxigraph",
        root.get("lang") or default_lang(),
        root.get("query_dirs") or (),
        root.get("endpoint"),
    )


def _complete_query(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    try:
        settings = _root_settings(ctx)
        catalogue = load_catalogue(settings.queries)
    except CaregraphError:
        return []
    return [
        CompletionItem(q.id, help=q.text(q.title, settings.lang))
        for q in catalogue
        if q.id.startswith(incomplete)
    ]


def _complete_param(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    try:
        settings = _root_settings(ctx)
        # While completing, Click may leave the NAME argument unprocessed in ctx.args.
        name_given = ctx.params.get("name") or (ctx.args[0] if ctx.args else "")
        query = load_catalogue(settings.queries).get(name_given)
        name, sep, value = incomplete.partition("=")
        if not sep:
            return [
                CompletionItem(p.name + "=", help=query.text(p.description, settings.lang))
                for p in query.params
                if p.name.startswith(name)
            ]
        choices = parameter_choices(query, query.param(name), settings.store())
    except CaregraphError:
        return []
    return [
        CompletionItem(_shell_word(f"{name}={choice}"))
        for choice in choices
        if choice.lower().startswith(value.lower())
    ]


def _shell_word(text: str) -> str:
    """Escape a completion for bash, which inserts it as typed (labels have spaces and *)."""
    if not os.environ.get("_CAREGRAPH_COMPLETE", "").startswith("bash"):
        return text
    return re.sub(r"([\s*?\[\]'\"\\$`!&;|<>(){}#~])", r"\\\1", text)


@cli.command("query")
@click.argument("name", shell_complete=_complete_query)
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    shell_complete=_complete_param,
    help="Set a query parameter (repeatable); a district or actor may be given by its name.",
)
@click.option(
    "--format", "fmt", type=click.Choice(TABLE_FORMATS), default="table", show_default=True
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    help="Write to this file (atomically) instead of the screen.",
)
@click.option(
    "--explain",
    is_flag=True,
    help="Show what the query answers, its parameters, columns and SPARQL instead of running it.",
)
@click.pass_obj
def query_command(
    settings: Settings,
    name: str,
    params: tuple[str, ...],
    fmt: str,
    output: str | None,
    explain: bool,
) -> None:
    """Run the stored query NAME and print its rows."""
    query = load_catalogue(settings.queries).get(name)
    lang = settings.lang
    if explain:
        lines = [
            query.text(query.title, lang),
            "",
            query.text(query.description, lang),
            "",
            "Parameters:",
        ]
        lines += [
            f"  {p.name} ({p.type}{', default ' + p.default if p.default else ''}): "
            + query.text(p.description, lang)
            for p in query.params
        ] or ["  (none)"]
        lines += ["", "Columns:"] + [
            f"  {c.name}: {query.text(c.description, lang)}" for c in query.columns
        ]
        lines += ["", "SPARQL:", query.sparql.strip()]
        click.echo("\n".join(lines))
        return
    store = settings.store()
    table = run_stored(query, store, _parse_params(params))
    text = format_result(table, fmt, store, lang)
    emit(text, output, settings.input_files())


def _is_file(path: Path) -> bool:
    """True for an existing file; False for query text that is no possible file name."""
    try:
        return path.is_file()
    except (OSError, ValueError):  # too long a name, or a NUL byte: query text, not a path
        return False


def _read_query_argument(text: str) -> str:
    if text == "-":
        return sys.stdin.read()
    path = Path(text)
    if path.suffix.lower() in (".rq", ".sparql") or _is_file(path):
        try:
            return path.read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(f"{path}: cannot read the query file ({exc.strerror}).") from exc
    return text


@cli.command("sparql")
@click.argument("query_or_file")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(TABLE_FORMATS + tuple(RDF_FORMATS)),
    default=None,
    help="Output format: a table format for SELECT (default table), "
    "an RDF format for CONSTRUCT/DESCRIBE (default turtle).",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to this file.")
@click.pass_obj
def sparql_command(
    settings: Settings, query_or_file: str, fmt: str | None, output: str | None
) -> None:
    """Run an ad-hoc SPARQL query: text, a .rq file, or - for standard input.

    SELECT, ASK, CONSTRUCT and DESCRIBE are allowed; SPARQL Update is refused,
    since caregraph never changes the stored graph.
    """
    sparql = _read_query_argument(query_or_file)
    store = settings.store()
    outcome = run_sparql(sparql, store)
    if isinstance(outcome, ResultTable):
        if fmt in RDF_FORMATS:
            raise click.UsageError(f"A SELECT query gives a table; --format {fmt} is for graphs.")
        text = format_result(outcome, fmt or "table", store, settings.lang)
    elif isinstance(outcome, bool):
        text = format_boolean(outcome, fmt or "table")
    else:
        if fmt is not None and fmt not in RDF_FORMATS:
            raise click.UsageError(
                f"A CONSTRUCT or DESCRIBE query gives a graph; use an RDF format "
                f"({', '.join(RDF_FORMATS)}), not {fmt}."
            )
        text = format_graph(outcome, fmt or "turtle")
    emit(text, output, settings.input_files())
