"""Commands that check data: ``validate`` (five layers), ``consistency`` and ``reason``."""

from __future__ import annotations

import os
import sys

import click

from caregraph.cli.app import (
    EXIT_CODES_HELP,
    Settings,
    cli,
    emit,
    format_option,
    input_files,
    lang_option,
    max_file_size_option,
    output_option,
)
from caregraph.output import RDF_FORMATS, format_graph
from caregraph.reasoning import check_consistency, infer
from caregraph.resources import data_dir
from caregraph.safety import MAX_FILE_BYTES
from caregraph.validation import validate as run_validation
from caregraph.validation.findings import FAIL_ON, LAYERS
from caregraph.validation.reports import REPORT_FORMATS, render

VALIDATE_EXIT_HELP = (
    "Exit codes: 0 no finding at or above --fail-on; 1 findings at or above it; 2 a file "
    "does not parse (all such files are reported), a path is missing or unreadable, or the "
    "call is wrong; 3 internal error (a bug)."
)


@cli.command("validate", epilog=VALIDATE_EXIT_HELP)
@click.argument("paths", nargs=-1, type=click.Path())
@format_option(
    REPORT_FORMATS,
    "text",
    "text for people; json; junit (JUnit XML); sarif (SARIF 2.1.0 for code scanning); "
    "github (workflow annotations); shacl (W3C SHACL validation report, Turtle).",
)
@output_option("Write the report to FILE.")
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    default="error",
    show_default=True,
    help="Lowest severity that makes the exit code 1 (none: never).",
)
@lang_option("messages and hints")
@click.option("--no-reasoner", is_flag=True, help="Skip the OWL layer (HermiT, which starts Java).")
@click.option(
    "--skip", multiple=True, type=click.Choice(LAYERS[1:]), help="Skip a layer (repeatable)."
)
@click.option(
    "--checks",
    "check_dirs",
    multiple=True,
    type=click.Path(file_okay=False),
    metavar="DIR",
    help="Folder of further rule checks (*.rq) to run (repeatable).",
)
@click.option(
    "--allow-network",
    is_flag=True,
    help="Let parsers fetch remote JSON-LD contexts and XML external entities.",
)
@click.option(
    "--context",
    "context",
    multiple=True,
    type=click.Path(),
    metavar="PATH",
    help="Read these files too, so the data may refer to their resources; their own "
    "findings are not reported (repeatable).",
)
@click.option(
    "--with-bundled",
    is_flag=True,
    help="Use the bundled Dresden graph as --context: check a new file against it.",
)
@max_file_size_option(MAX_FILE_BYTES)
@click.pass_obj
def validate_command(
    settings: Settings,
    paths: tuple[str, ...],
    fmt: str,
    output: str | None,
    fail_on: str,
    lang: str | None,
    no_reasoner: bool,
    skip: tuple[str, ...],
    check_dirs: tuple[str, ...],
    allow_network: bool,
    context: tuple[str, ...],
    with_bundled: bool,
    max_file_size: float,
) -> None:
    """Validate RDF files in five layers: syntax, vocabulary, SHACL shapes, OWL consistency
    (HermiT) and stored rule checks (queries/checks).

    PATHS are files or folders; without them, the --data paths, else the bundled graph.
    Every finding names its file and line, severity, focus resource, message and a hint.
    """
    lang = lang or settings.lang
    skipped = set(skip) | ({"ontology"} if no_reasoner else set())
    report = run_validation(
        list(paths) or settings.data,
        lang=lang,
        layers=[layer for layer in LAYERS if layer not in skipped],
        allow_network=allow_network or settings.allow_network,
        max_file_bytes=int(max_file_size * 1e6),
        check_dirs=check_dirs,
        context=[*context, *([data_dir()] if with_bundled else [])],
    )
    code = report.exit_code(fail_on)
    if report.unreadable and fmt == "text" and output is None:
        # Unreadable input is an error like any other: one paragraph per file.
        for f in report.findings:
            where = f"{f.file}, line {f.line}" if f.line else str(f.file)
            if f.line and f.column:
                where += f", column {f.column}"
            click.echo(f"Error: {where}: {f.message}. {f.hint}", err=True)
        sys.exit(code)
    colour = (
        fmt == "text" and output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    )
    text = render(report, fmt, fail_on=fail_on, lang=lang, colour=colour)
    emit(text, output, input_files([*(list(paths) or settings.data or []), *context]))
    sys.exit(code)


@cli.command("consistency", epilog=EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--allow-network", is_flag=True, help="Let owlready2 follow owl:imports.")
@click.pass_obj
def consistency_command(settings: Settings, paths: tuple[str, ...], allow_network: bool) -> None:
    """Check with the OWL reasoner HermiT that ontology plus data is consistent."""
    result = check_consistency(
        list(paths) or settings.data, allow_network=allow_network or settings.allow_network
    )
    if result.consistent:
        click.echo("Consistent: HermiT found no contradiction in ontology plus data.")
        return
    click.echo(f"Inconsistent: {result.explanation}")
    sys.exit(1)


@cli.command("reason", epilog=EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the triples to FILE.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(RDF_FORMATS)),
    default="turtle",
    show_default=True,
    help="RDF syntax of the inferred triples.",
)
@click.option("--allow-network", is_flag=True, help="Let owlready2 follow owl:imports.")
@click.pass_obj
def reason_command(
    settings: Settings, paths: tuple[str, ...], output: str | None, fmt: str, allow_network: bool
) -> None:
    """Write what HermiT infers: class memberships, inverse and symmetric relations.

    Only triples the data does not state are written, so analysts can load them beside it.
    """
    graph = infer(
        list(paths) or settings.data, allow_network=allow_network or settings.allow_network
    )
    text = format_graph(graph, fmt)
    emit(text, output, input_files(list(paths) or settings.data))
    if output:
        click.echo(f"{len(graph)} inferred triples written to {output}.", err=True)
