"""The ``caregraph`` command: thin Click wrappers over the library.

Exit codes: 0 success; 1 data invalid or a check failed; 2 usage error or
unreadable input.
"""

from __future__ import annotations

import json
import locale
import os
import sys
from collections.abc import Sequence
from typing import Any

import click

from caregraph.errors import CaregraphError
from caregraph.info import graph_info
from caregraph.output import TABLE_FORMATS, format_result, write_atomic
from caregraph.queries import THEMES, load_catalogue, run_stored
from caregraph.reasoning import check_consistency
from caregraph.store import BACKENDS, GraphStore, open_store
from caregraph.validation import validate as run_validation

EXIT_CODES_HELP = (
    "Exit codes: 0 ok; 1 data invalid or check failed; 2 usage error or unreadable input; "
    "3 internal error (a bug)."
)


class Failure(click.ClickException):
    """A caregraph error shown as one paragraph, with its own exit code."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


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

    def __init__(self, data: Sequence[str], backend: str, lang: str, queries: Sequence[str]) -> None:
        self.data = list(data) or None
        self.backend = backend
        self.lang = lang
        self.queries = list(queries)
        self._store: GraphStore | None = None

    def store(self) -> GraphStore:
        if self._store is None:
            self._store = open_store(self.data, self.backend)
        return self._store


@click.group(cls=_Group, epilog=EXIT_CODES_HELP)
@click.version_option(package_name="caregraph")
@click.option(
    "--data", "-d", multiple=True, type=click.Path(), metavar="PATH",
    help="RDF file or folder to use instead of the bundled Dresden graph (repeatable).",
)
@click.option(
    "--backend", type=click.Choice(BACKENDS), default="oxigraph", show_default=True,
    help="Where queries run: Oxigraph (fast) or rdflib.",
)
@click.option(
    "--lang", type=click.Choice(["de", "en"]), default=None,
    help="Language of titles, labels and messages (default: from the locale, else German).",
)
@click.option(
    "--queries", "query_dirs", multiple=True, type=click.Path(file_okay=False), metavar="DIR",
    help="Folder of your own stored queries to add (repeatable).",
)
@click.pass_context
def cli(ctx: click.Context, data: tuple[str, ...], backend: str, lang: str | None, query_dirs: tuple[str, ...]) -> None:
    """caregraph: the knowledge graph of Dresden's caring communities.

    Validate the graph, list and run stored coordination queries, and see what
    the graph holds. Every command works on the bundled Dresden graph unless
    --data points elsewhere.
    """
    ctx.obj = Settings(data, backend, lang or default_lang(), query_dirs)


@cli.command("queries")
@click.option("--theme", type=click.Choice(list(THEMES)), help="Only queries of this theme.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_obj
def queries_command(settings: Settings, theme: str | None, fmt: str) -> None:
    """List the stored queries with their titles and parameters."""
    catalogue = load_catalogue(settings.queries)
    chosen = [q for q in catalogue if theme is None or q.theme == theme]
    lang = settings.lang
    if fmt == "json":
        click.echo(json.dumps([
            {
                "id": q.id, "theme": q.theme, "title": q.text(q.title, lang),
                "params": [{"name": p.name, "type": p.type, "default": p.default} for p in q.params],
            }
            for q in chosen
        ], ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(header_style="bold")
    for name in ("query", "theme", "title", "parameters"):
        table.add_column(name, overflow="fold")
    for q in chosen:
        params = ", ".join(f"{p.name}" + (f"={p.default}" if p.default else "") for p in q.params)
        table.add_row(q.id, THEMES[q.theme][lang], q.text(q.title, lang), params)
    Console(width=_console_width()).print(table)


def _console_width() -> int | None:
    return None if sys.stdout.isatty() else int(os.environ.get("COLUMNS", "120"))


def _parse_params(values: Sequence[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise click.UsageError(f"--param takes NAME=VALUE; '{item}' has no '='.")
        params[name.strip()] = value
    return params


@cli.command("query")
@click.argument("name")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="Set a query parameter (repeatable).")
@click.option("--format", "fmt", type=click.Choice(TABLE_FORMATS), default="table", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to this file (atomically) instead of the screen.")
@click.option("--explain", is_flag=True, help="Show what the query answers, its parameters, columns and SPARQL instead of running it.")
@click.pass_obj
def query_command(settings: Settings, name: str, params: tuple[str, ...], fmt: str, output: str | None, explain: bool) -> None:
    """Run the stored query NAME and print its rows."""
    query = load_catalogue(settings.queries).get(name)
    lang = settings.lang
    if explain:
        lines = [query.text(query.title, lang), "", query.text(query.description, lang), "", "Parameters:"]
        lines += [
            f"  {p.name} ({p.type}{', default ' + p.default if p.default else ''}): {query.text(p.description, lang)}"
            for p in query.params
        ] or ["  (none)"]
        lines += ["", "Columns:"] + [f"  {c.name}: {query.text(c.description, lang)}" for c in query.columns]
        lines += ["", "SPARQL:", query.sparql.strip()]
        click.echo("\n".join(lines))
        return
    store = settings.store()
    table = run_stored(query, store, _parse_params(params))
    text = format_result(table, fmt, store, lang)
    if output:
        write_atomic(output, text)
    else:
        click.echo(text, nl=False)


@cli.command("validate", epilog=EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, type=click.Path())
@click.pass_obj
def validate_command(settings: Settings, paths: tuple[str, ...]) -> None:
    """Check RDF files (default: the --data paths, else the bundled graph) against the SHACL shapes."""
    report = run_validation(list(paths) or settings.data, lang=settings.lang)
    for finding in report.findings:
        label = f"{finding.focus_label} <{finding.focus}>" if finding.focus_label else f"<{finding.focus}>"
        click.echo(f"{finding.severity.upper()}: {label}")
        if finding.path:
            click.echo(f"  path: <{finding.path}>")
        if finding.value is not None:
            click.echo(f"  value: {finding.value}")
        click.echo(f"  {finding.message}")
    counts = report.counts()
    summary = (
        f"{len(report.files)} file{'s' if len(report.files) != 1 else ''} checked: "
        f"{counts['error']} errors, {counts['warning']} warnings, {counts['info']} infos."
    )
    click.echo(summary + (" Valid." if report.conforms else " Not valid."))
    if not report.conforms:
        sys.exit(1)


@cli.command("consistency", epilog=EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, type=click.Path())
@click.pass_obj
def consistency_command(settings: Settings, paths: tuple[str, ...]) -> None:
    """Check with the OWL reasoner HermiT that ontology plus data is consistent."""
    result = check_consistency(list(paths) or settings.data)
    if result.consistent:
        click.echo("Consistent: HermiT found no contradiction in ontology plus data.")
        return
    click.echo(f"Inconsistent: {result.explanation}")
    sys.exit(1)


@cli.command("info")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_obj
def info_command(settings: Settings, fmt: str) -> None:
    """Show how many triples the graph has and how many resources of each class."""
    store = settings.store()
    info = graph_info(store)
    if fmt == "json":
        click.echo(json.dumps({"triples": info.triples, "classes": dict(info.classes)}, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    from caregraph.labels import labels_for
    from rdflib import URIRef

    labels = labels_for(store, [URIRef(c) for c, _ in info.classes], settings.lang)
    table = Table(title=f"{info.triples} triples", header_style="bold")
    table.add_column("class")
    table.add_column("resources", justify="right")
    for cls, count in info.classes:
        table.add_row(labels.get(URIRef(cls), cls), str(count))
    Console(width=_console_width()).print(table)


def main() -> None:
    """Entry point of the ``caregraph`` console script."""
    try:
        cli(prog_name="caregraph")
    except Exception as exc:  # a bug of ours: say so plainly instead of a traceback
        if os.environ.get("CAREGRAPH_DEBUG"):
            raise
        click.echo(
            f"Error: caregraph failed unexpectedly ({type(exc).__name__}: {exc}). This is a bug; "
            "please report it with the command you ran (set CAREGRAPH_DEBUG=1 to see the traceback).",
            err=True,
        )
        sys.exit(3)
