"""Commands that describe the graph."""

from __future__ import annotations

import json

import click
from rdflib import URIRef
from rich.console import Console
from rich.table import Table

from caregraph.cli.app import Settings, cli, console_width
from caregraph.info import graph_info
from caregraph.labels import labels_for
from caregraph.loading import load_ontology
from caregraph.namespaces import compact
from caregraph.store import RdflibStore


@cli.command("info")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.pass_obj
def info_command(settings: Settings, fmt: str) -> None:
    """Show how many triples the graph has and how many resources of each class.

    The graph is what the stored queries see, the same on every engine: the data and the
    ontology (locally as loaded; on an endpoint its default graph or the graphs given
    with --default-graph-uri, never Virtuoso's own system graphs).
    """
    info = graph_info(settings.store())
    if fmt == "json":
        summary = {
            "triples": info.triples,
            "ontology": info.ontology,
            "graphs": info.graphs,
            "classes": dict(info.classes),
        }
        click.echo(json.dumps(summary, indent=2))
        return

    ontology = RdflibStore(load_ontology())
    labels = labels_for(ontology, [URIRef(c) for c, _ in info.classes], settings.lang)
    table = Table(title=f"{info.triples} triples (data and ontology)", header_style="bold")
    table.add_column("class")
    table.add_column("resources", justify="right")
    for cls, count in info.classes:
        table.add_row(labels.get(URIRef(cls)) or compact(cls), str(count))
    notes = ["graphs: " + ", ".join(info.graphs)] if info.graphs else []
    if not info.ontology:
        notes.append("without the caregraph ontology")
    table.caption = "; ".join(notes) or None
    Console(width=console_width()).print(table)
