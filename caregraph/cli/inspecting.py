"""Commands that describe the graph."""

from __future__ import annotations

import io
import json

import click

from caregraph.cli.app import Settings, cli
from caregraph.cli.options import (
    allow_network_option,
    emit,
    from_output,
    lang_option,
    output_option,
)


def _json_file(path: str | None) -> str | None:
    return "json" if path and path.lower().endswith(".json") else None


@cli.command("info")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    callback=from_output(_json_file, "table"),
    show_default="table; with -o FILE.json, json",
    help="table for people, json for programs.",
)
@output_option("the figures")
@lang_option
@allow_network_option
@click.pass_obj
def info_command(settings: Settings, fmt: str, output: str | None) -> None:
    """Show how many triples the graph has and how many resources of each class.

    The graph is what the stored queries see, the same on every engine: the data and the
    ontology (locally as loaded; on an endpoint its default graph or the graphs given
    with --default-graph-uri, never Virtuoso's own system graphs).
    """
    from rdflib import URIRef
    from rich.console import Console
    from rich.table import Table

    from caregraph.info import graph_info
    from caregraph.labels import labels_for
    from caregraph.loading import cached_ontology
    from caregraph.namespaces import compact
    from caregraph.output import console_width
    from caregraph.store import RdflibStore

    info = graph_info(settings.store())
    if fmt == "json":
        summary = {
            "triples": info.triples,
            "ontology": info.ontology,
            "graphs": info.graphs,
            "classes": dict(info.classes),
        }
        emit(json.dumps(summary, indent=2) + "\n", output, settings.input_files())
        return
    labels = labels_for(
        RdflibStore(cached_ontology()), [URIRef(c) for c, _ in info.classes], settings.lang
    )
    table = Table(title=f"{info.triples} triples (data and ontology)", header_style="bold")
    table.add_column("class")
    table.add_column("resources", justify="right")
    for cls, count in info.classes:
        table.add_row(labels.get(URIRef(cls)) or compact(cls), str(count))
    notes = ["graphs: " + ", ".join(info.graphs)] if info.graphs else []
    if not info.ontology:
        notes.append("without the caregraph ontology")
    table.caption = "; ".join(notes) or None
    console = Console(width=console_width(), record=True, file=io.StringIO())
    console.print(table)
    emit(console.export_text(), output, settings.input_files())
