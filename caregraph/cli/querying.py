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

from caregraph.cli.app import Settings, cli, settings_from
from caregraph.cli.options import (
    allow_network_option,
    emit,
    format_option,
    lang_option,
    output_option,
)
from caregraph.errors import CaregraphError, InputError, UsageError
from caregraph.formats import BOOLEAN_FORMATS, GRAPH_FORMATS, RESULT_FORMATS, Registry
from caregraph.queries.arguments import parse_params
from caregraph.queries.header import THEMES
from caregraph.sparql_text import query_form

# The library is imported inside the commands: listing commands, --help and shell
# completion must not pay for rdflib's SPARQL engine, pySHACL or owlready2.

#: ``caregraph queries --format``: a table or JSON to read, or the catalogue as RDF.
LISTING_FORMATS = Registry.of(
    "listing",
    [
        *(f for f in RESULT_FORMATS if f.name == "table"),
        *(f for f in RESULT_FORMATS if f.name == "json"),
        *GRAPH_FORMATS,
    ],
)


@cli.command("queries")
@click.option("--theme", type=click.Choice(list(THEMES)), help="Only queries of this theme.")
@format_option(
    LISTING_FORMATS, "table", "the list (an RDF format gives the catalogue as RDF)", ("ttl",)
)
@output_option("the list")
@lang_option
@click.pass_obj
def queries_command(settings: Settings, theme: str | None, fmt: str, output: str | None) -> None:
    """List the stored queries with their titles and parameters."""
    from caregraph.output import console_width, format_graph
    from caregraph.queries import (
        Catalogue,
        catalogue_graph,
        catalogue_listing,
        load_catalogue,
    )

    catalogue = load_catalogue(settings.queries)
    if theme is not None:
        catalogue = Catalogue({q.id: q for q in catalogue if q.theme == theme})
    lang = settings.lang
    if fmt == "json":
        listing = catalogue_listing(catalogue, lang)
        text = json.dumps(listing, ensure_ascii=False, indent=2) + "\n"
        emit(text, output, settings.input_files())
        return
    if fmt != "table":
        emit(
            format_graph(catalogue_graph(catalogue), "turtle" if fmt == "ttl" else fmt),
            output,
            settings.input_files(),
        )
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(header_style="bold")
    # the names people type stay whole (no_wrap); the other columns wrap around them
    table.add_column("query", no_wrap=True)
    for name in ("theme", "title", "parameters"):
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
    try:
        return parse_params(values)
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None


def _complete_query(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    from caregraph.queries import load_catalogue

    try:
        settings = settings_from(ctx)
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
    from caregraph.queries import find_query, parameter_choices

    try:
        settings = settings_from(ctx)
        # While completing, Click may leave the NAME argument unprocessed in ctx.args.
        name_given = ctx.params.get("name") or (ctx.args[0] if ctx.args else "")
        query = find_query(name_given, settings.queries)
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
@format_option(RESULT_FORMATS, "table", "the rows")
@output_option("the rows")
@lang_option
@allow_network_option
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
    from caregraph.native import stored_sparql_csv
    from caregraph.queries import find_query, run_stored

    query = find_query(name, settings.queries)
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
    text = (
        stored_sparql_csv(query, store, _parse_params(params), lang=lang, prepare=True)
        if fmt == "sparql-csv"
        else None
    )
    if text is None:
        from caregraph.output import format_result

        table = run_stored(query, store, _parse_params(params), lang=lang)
        text = format_result(table, fmt, store, lang)
    warn_without_ontology(store)
    emit(text, output, settings.input_files())


def _is_file(path: Path) -> bool:
    """True for an existing file; False for query text that is no possible file name."""
    try:
        return path.is_file()
    except (OSError, ValueError):  # too long a name, or a NUL byte: query text, not a path
        return False


def warn_without_ontology(store: object) -> None:
    """Say once, on standard error, that an endpoint's graph lacks caregraph's ontology."""
    from caregraph.endpoint import EndpointStore

    if isinstance(store, EndpointStore) and not store.has_ontology():
        click.echo("Warning: " + store.missing_ontology_message(), err=True)


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
@format_option(
    RESULT_FORMATS,
    None,
    "the result: for SELECT (default table) and, where it can carry true/false, ASK; "
    f"for CONSTRUCT and DESCRIBE (default turtle): {GRAPH_FORMATS.help()}",
    GRAPH_FORMATS.names(),
)
@output_option("the result")
@lang_option
@allow_network_option
@click.pass_obj
def sparql_command(
    settings: Settings, query_or_file: str, fmt: str | None, output: str | None
) -> None:
    """Run an ad-hoc SPARQL query: text, a .rq file, or - for standard input.

    SELECT, ASK, CONSTRUCT and DESCRIBE are allowed; SPARQL Update is refused,
    since caregraph never changes the stored graph. The usual prefixes (cg, dd, rdf,
    rdfs, skos, ...) need no PREFIX line.
    """
    from caregraph.output import format_boolean, format_graph, format_result
    from caregraph.queries import run_sparql
    from caregraph.results import ResultTable

    sparql = _read_query_argument(query_or_file)
    # A format that cannot carry the query's kind of result is refused before any work.
    form = query_form(sparql) if fmt is not None else None
    if form in _KINDS:
        _pick(fmt, *_KINDS[form])
    store = settings.store()
    outcome = run_sparql(sparql, store)
    warn_without_ontology(store)
    if isinstance(outcome, ResultTable):
        chosen = _pick(fmt, *_KINDS["SELECT"], output)
        text = format_result(outcome, chosen, store, settings.lang)
    elif isinstance(outcome, bool):
        text = format_boolean(outcome, _pick(fmt, *_KINDS["ASK"], output))
    else:
        text = format_graph(outcome, _pick(fmt, *_KINDS["CONSTRUCT"], output))
    emit(text, output, settings.input_files())


#: Per query form: the formats that carry its result, the default, and what it gives.
_KINDS: dict[str, tuple[Registry, str, str]] = {
    "SELECT": (RESULT_FORMATS, "table", "A SELECT query gives a table"),
    "ASK": (BOOLEAN_FORMATS, "table", "An ASK query gives true or false"),
    "CONSTRUCT": (GRAPH_FORMATS, "turtle", "A CONSTRUCT or DESCRIBE query gives a graph"),
    "DESCRIBE": (GRAPH_FORMATS, "turtle", "A CONSTRUCT or DESCRIBE query gives a graph"),
}


def _pick(
    fmt: str | None, registry: Registry, default: str, what: str, output: str | None = None
) -> str:
    """``fmt`` if ``registry`` has it; without ``fmt``, the format the extension of
    ``output`` names, else the registry's default.

    Raises:
        UsageError: the format cannot carry this kind of result.
    """
    if fmt is None:
        return registry.for_path(output) or default
    if fmt not in registry:
        raise UsageError(
            f"{what}; --format {fmt} cannot carry it. Use one of: {', '.join(registry.names())}."
        )
    return fmt
