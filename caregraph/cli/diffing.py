"""``caregraph diff``: what changed between two versions of the graph."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from caregraph.cli.app import (
    EXIT_CODES_HELP,
    Settings,
    cli,
    format_option,
    lang_option,
    output_option,
)
from caregraph.diff import DIFF_FORMATS, diff_graphs, load_side, render_diff
from caregraph.outfile import write_atomic


@cli.command("diff", epilog=EXIT_CODES_HELP)
@click.argument("old")
@click.argument("new")
@format_option(
    DIFF_FORMATS,
    "text",
    "text; markdown (for a pull-request comment); json; ttl (added and removed triples "
    "as two named graphs, TriG).",
)
@output_option()
@click.option(
    "--exit-code", is_flag=True, help="Exit with 1 when there are differences (as git diff)."
)
@click.option(
    "--only-new-resources",
    is_flag=True,
    help="Compare only the resources NEW describes (NEW holds some resources, e.g. an import).",
)
@click.option(
    "--ignore-import-provenance",
    is_flag=True,
    help="Leave out the row and file records that caregraph import adds (dd:import-…).",
)
@lang_option("the labels")
@click.pass_obj
def diff_command(
    settings: Settings,
    old: str,
    new: str,
    fmt: str,
    output: str | None,
    exit_code: bool,
    only_new_resources: bool,
    ignore_import_provenance: bool,
    lang: str | None,
) -> None:
    """Show what changed from OLD to NEW, per resource and by label.

    OLD and NEW are RDF files, folders, or git revisions of them (HEAD~1:data/). Blank nodes
    are compared by graph isomorphism, not by their ids.
    """
    diff = diff_graphs(
        load_side(old, allow_network=settings.allow_network),
        load_side(new, allow_network=settings.allow_network),
        only_new_resources=only_new_resources,
        ignore_import_provenance=ignore_import_provenance,
    )
    text = render_diff(diff, fmt, lang or settings.lang)
    if output:
        write_atomic(output, text, inputs=[p for p in (old, new) if Path(p).is_file()])
    else:
        click.echo(text, nl=False)
    sys.exit(1 if exit_code and not diff.empty else 0)
