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
from caregraph.store import RdflibStore, open_store


@cli.command("info")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.pass_obj
def info_command(settings: Settings, fmt: str) -> None:
    """Show how many triples the data has and how many resources of each class."""
    # Counts describe the data, so local files are loaded without the ontology.
    store = (
        settings.store()
        if settings.endpoint
        else open_store(
            settings.data, settings.backend, ontology=False, allow_network=settings.allow_network
        )
    )
    info = graph_info(store)
    if fmt == "json":
        click.echo(json.dumps({"triples": info.triples, "classes": dict(info.classes)}, indent=2))
        return

    ontology = RdflibStore(load_ontology())
    labels = labels_for(ontology, [URIRef(c) for c, _ in info.classes], settings.lang)
    table = Table(title=f"{info.triples} triples", header_style="bold")
    table.add_column("class")
    table.add_column("resources", justify="right")
    for cls, count in info.classes:
        table.add_row(labels.get(URIRef(cls)) or compact(cls), str(count))
    Console(width=console_width()).print(table)
