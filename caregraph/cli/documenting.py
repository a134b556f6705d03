"""The command that writes the HTML reference."""

from __future__ import annotations

from pathlib import Path

import click

from caregraph.cli.app import Settings, cli

# The library is imported inside the command, so that --help and completion stay fast.


@cli.command("docs")
@click.option(
    "--output",
    "-o",
    "output",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the reference into (created if missing).",
)
@click.pass_obj
def docs_command(settings: Settings, output: Path) -> None:
    """Write an HTML reference: ontology, concept schemes, shapes and stored queries (de, en).

    The ontology page is made by pyLODE; each language has its own folder (OUTPUT/de,
    OUTPUT/en), and OUTPUT/index.html links both.
    """
    from caregraph.docs import build_docs

    result = build_docs(output, queries=settings.queries)
    click.echo(
        f"{len(result.files)} files written to {result.folder}; open {result.folder / 'index.html'}"
    )
