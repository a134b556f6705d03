"""Commands that move the graph: ``load`` (a persistent store), ``export`` and ``push``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from caregraph.choices import (
    EXPORT_ALIASES,
    EXPORT_SYNTAXES,
    PASSWORD_ENV,
    TOKEN_ENV,
    USER_ENV,
)
from caregraph.cli.app import EXIT_CODES_HELP, STORE_ENV, Settings, cli
from caregraph.cli.options import emit
from caregraph.errors import UsageError

if TYPE_CHECKING:
    import rdflib

    from caregraph.store import GraphStore

# The library is imported inside the commands, so that --help and completion stay fast.


@cli.command("load", epilog=EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--store",
    "store_dir",
    metavar="DIR",
    type=click.Path(file_okay=False),
    help=f"Folder of the store (default: the global --store or ${STORE_ENV}).",
)
@click.option("--no-ontology", is_flag=True, help="Leave caregraph's ontology out of the store.")
@click.pass_obj
def load_command(
    settings: Settings, paths: tuple[str, ...], store_dir: str | None, no_ontology: bool
) -> None:
    """Build a persistent on-disk store (Oxigraph, RocksDB) from RDF files.

    PATHS are files or folders; without them a store is refreshed from the paths it was
    loaded from, and a new store gets the --data paths, else the bundled Dresden graph.
    The new store is built beside the old one and swapped in at the end, so a failed
    load leaves the old store intact. Then every command reads it with --store DIR.
    """
    target = store_dir or settings.store_dir
    if not target:
        raise UsageError(
            f"Name the store's folder: caregraph load --store DIR (or set {STORE_ENV})."
        )
    from caregraph.persist import load_store

    manifest = load_store(
        target,
        list(paths) or settings.data,
        ontology=not no_ontology,
        allow_network=settings.allow_network,
    )
    click.echo(
        f"Loaded {manifest.data_triples} triples from {len(manifest.files)} file"
        f"{'s' if len(manifest.files) != 1 else ''}"
        + (
            f" (and {manifest.triples - manifest.data_triples} of the ontology)"
            if manifest.ontology
            else ""
        )
        + f" into {target}.",
        err=True,
    )


def _source(settings: Settings) -> GraphStore | rdflib.Graph:
    """The data to write: files parsed by rdflib (exact datatypes), else the store or endpoint."""
    from caregraph.loading import load_graph

    if settings.uses_store() or settings.endpoint:
        return settings.data_store()
    return load_graph(settings.data, allow_network=settings.allow_network)


def _format_of(fmt: str | None, output: str | None) -> str:
    if fmt:
        return EXPORT_ALIASES.get(fmt, fmt)
    if output:
        from caregraph.export import EXPORT_FORMATS

        suffix = Path(output).suffix.lower()
        if suffix[1:] in EXPORT_ALIASES:  # .owl: RDF/XML, as Protégé writes and caregraph reads
            return EXPORT_ALIASES[suffix[1:]]
        for key, syntax in EXPORT_FORMATS.items():
            if suffix == syntax.extension or suffix == f".{key}":
                return key
    return "ttl"


@cli.command("export", epilog=EXIT_CODES_HELP)
@click.option(
    "--format",
    "fmt",
    type=click.Choice([*EXPORT_SYNTAXES, *EXPORT_ALIASES]),
    default=None,
    help="RDF syntax (default: from the --output extension, else ttl). ttl is deterministic: "
    "fixed prefixes and sorted, so exporting again gives a clean diff.",
)
@click.option(
    "--with-ontology", is_flag=True, help="Add caregraph's ontology (named graph in nq/trig)."
)
@click.option(
    "--inferred",
    is_flag=True,
    help="Add what the OWL reasoner HermiT infers (named graph in nq/trig; starts Java).",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to FILE (atomically).")
@click.pass_obj
def export_command(
    settings: Settings, fmt: str | None, with_ontology: bool, inferred: bool, output: str | None
) -> None:
    """Write the graph (the files, --store or --endpoint) for other linked-data tools.

    Turtle, N-Triples, N-Quads, TriG, JSON-LD (compacted with ontology/context.jsonld,
    keys such as label and responsibleActor) or RDF/XML.
    """
    from caregraph.export import collect, export_format, serialize

    syntax = export_format(_format_of(fmt, output))
    graph = collect(
        _source(settings),
        with_ontology=with_ontology,
        inferred=inferred,
        allow_network=settings.allow_network,
    )
    text = serialize(graph, syntax.key)
    emit(text, output, settings.input_files())
    if output:
        click.echo(f"{len(graph)} triples written to {output} ({syntax.name}).", err=True)


@cli.command(
    "push",
    epilog="Credentials only from the environment: "
    f"{USER_ENV} and {PASSWORD_ENV} (basic authentication) or {TOKEN_ENV} (bearer token). "
    "Exit codes: 0 pushed and counted; 1 the server's count differs; 2 usage error, "
    "unreadable input, or the server is unreachable, too slow or refuses.",
)
@click.option(
    "--endpoint",
    "url",
    required=True,
    metavar="URL",
    help="Graph Store Protocol address, e.g. http://localhost:7878/store (Oxigraph).",
)
@click.option(
    "--graph", "graph_iri", metavar="IRI", help="Named graph to write (default: the default graph)."
)
@click.option(
    "--append", is_flag=True, help="Add to the graph (POST) instead of replacing it (PUT)."
)
@click.option(
    "--without-ontology",
    is_flag=True,
    help="Push only the data (by default the ontology goes along, since queries need it).",
)
@click.pass_obj
def push_command(
    settings: Settings,
    url: str,
    graph_iri: str | None,
    append: bool,
    without_ontology: bool,
) -> None:
    """Upload the graph to a triple store (SPARQL 1.1 Graph Store Protocol) and verify it.

    PUT replaces the graph, --append POSTs into it; then the server's triples are
    counted and compared with what was sent. The global --timeout (default here: 60 s)
    limits the wait for each answer of the server.
    """
    from caregraph.export import collect
    from caregraph.push import push_graph

    graph = collect(_source(settings), with_ontology=not without_ontology)
    result = push_graph(
        graph, url, graph_iri=graph_iri, append=append, timeout=settings.timeout or 60.0
    )
    click.echo(result.summary())
