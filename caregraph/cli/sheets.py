"""Commands for spreadsheets: ``template`` (a workbook to fill in) and ``import``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from caregraph.cli.app import Settings, cli
from caregraph.cli.options import emit, format_option, lang_option, max_file_size_option
from caregraph.errors import UsageError
from caregraph.formats import IMPORT_REPORT_FORMATS
from caregraph.safety import MAX_SHEET_BYTES

# The library is imported inside the commands, so that --help and completion stay fast.

#: The kinds of sheet: one shipped mapping each (read by name only, so --help stays fast).
KINDS = sorted(
    p.name.removesuffix(".csv-metadata.json")
    for p in (Path(__file__).parent.parent / "sheets" / "mappings").glob("*.csv-metadata.json")
)

IMPORT_EXIT_HELP = (
    "Exit codes (as validate): 0 imported; 1 rows have errors (nothing written unless "
    "--partial); 2 the file is unreadable, too large or a zip bomb, or the call is wrong; "
    "3 internal error (a bug)."
)


@cli.command("template")
@click.argument("kind", type=click.Choice(KINDS))
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    required=True,
    help="The file to write: .xlsx (Excel), .ods (LibreOffice) or .csv.",
)
@click.option("--filled", is_flag=True, help="Add a row per resource of this kind in the graph.")
@lang_option
@click.pass_obj
def template_command(settings: Settings, kind: str, output: str, filled: bool) -> None:
    """Write a spreadsheet template for KIND to fill in and import again.

    The workbook explains each column on its first sheet, offers drop-down lists drawn
    from the graph (districts and localities, sectors, kinds of actor, statuses, roles,
    certainty, ...) and example rows; --filled adds the resources already in the graph.
    """
    from caregraph.sheets import build_template, write_template

    template = build_template(kind, lang=settings.lang, filled=filled, data=settings.data)
    write_template(template, output)
    click.echo(
        f"{output}: template '{kind}' written"
        + (f" with {len(template.rows)} rows from the graph." if filled else "."),
        err=True,
    )


@cli.command("import", epilog=IMPORT_EXIT_HELP)
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--kind",
    type=click.Choice(KINDS),
    help="What the rows are (default: from the sheet or file name).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    help="Turtle file to write (default: standard output). An existing file keeps its other "
    "resources; imported ones replace their earlier description.",
)
@format_option(
    IMPORT_REPORT_FORMATS, "text", "the problem report (as validate)", written_to="report"
)
@click.option("--report", type=click.Path(dir_okay=False), help="Write the report to FILE.")
@click.option("--partial", is_flag=True, help="Write the valid rows even if others have errors.")
@lang_option
@click.option(
    "--no-validate",
    is_flag=True,
    help="Skip the SHACL shapes and rule checks of the result (the row checks still run).",
)
@max_file_size_option(MAX_SHEET_BYTES, "spreadsheets")
@click.pass_obj
def import_command(
    settings: Settings,
    file: str,
    kind: str | None,
    output: str | None,
    fmt: str,
    report: str | None,
    partial: bool,
    no_validate: bool,
    max_file_size: float,
) -> None:
    """Import the rows of FILE (.xlsx, .ods or .csv) as Turtle that passes validate.

    Names of actors, areas, goals and concepts may be given in German or English, as an
    abbreviation or an IRI. Every problem is reported with sheet, row, column, value and a
    hint; nothing is written unless all rows are valid (or --partial).
    """
    from caregraph.output import format_graph
    from caregraph.sheets import import_sheets
    from caregraph.validation.reports import render

    lang = settings.lang
    if output is not None and not output.lower().endswith(".ttl"):
        raise UsageError(f"{output}: import writes Turtle; name the output file *.ttl.")
    result = import_sheets(
        file,
        kind=kind,
        data=settings.data,
        output=output,
        lang=lang,
        partial=partial,
        layers=() if no_validate else ("shapes", "rules"),
        max_bytes=int(max_file_size * 1e6),
    )
    text = render(result.report, fmt, lang=lang)
    if report:
        emit(text, report, inputs=[file])
    elif fmt != "text" or result.report.findings:
        # The Turtle owns standard output when no -o is given.
        click.echo(text, nl=False, err=output is None)
    if len(result.graph):
        turtle = format_graph(result.graph, "turtle")
        emit(turtle, output, inputs=[file])
    click.echo(
        f"{result.written} of {result.rows} rows imported"
        + (
            f" into {output}."
            if output and result.written
            else "; nothing written."
            if not result.written
            else "."
        ),
        err=True,
    )
    sys.exit(result.report.exit_code())
