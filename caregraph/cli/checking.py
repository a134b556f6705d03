"""Commands that check data: SHACL validation and OWL consistency."""

from __future__ import annotations

import sys

import click

from caregraph.cli import EXIT_CODES_HELP, Settings, cli
from caregraph.reasoning import check_consistency
from caregraph.validation import validate as run_validation


@cli.command("validate", epilog=EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, type=click.Path())
@click.pass_obj
def validate_command(settings: Settings, paths: tuple[str, ...]) -> None:
    """Check RDF files against caregraph's SHACL shapes.

    PATHS are files or folders; without them, the --data paths, else the bundled graph.
    """
    report = run_validation(list(paths) or settings.data, lang=settings.lang)
    for finding in report.findings:
        label = (
            f"{finding.focus_label} <{finding.focus}>"
            if finding.focus_label
            else f"<{finding.focus}>"
        )
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
