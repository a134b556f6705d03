"""``caregraph serve``: the graph as a read-only web application."""

from __future__ import annotations

import click

from caregraph.cli.app import Settings, cli

# The web app is imported inside the command, so that --help and completion stay fast.


@cli.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; the default is reachable from this machine only.",
)
@click.option("--port", default=8000, show_default=True, type=int, help="TCP port.")
@click.option(
    "--timeout",
    default=None,
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    help="Seconds a query may take (pages, API and /sparql) [default: caregraph --timeout, "
    "else 10].",
)
@click.option(
    "--max-rows",
    default=10_000,
    show_default=True,
    type=click.IntRange(min=1),
    help="Most rows (or triples) a result may have.",
)
@click.option(
    "--max-request-size",
    default=100_000,
    show_default=True,
    type=click.IntRange(min=1024),
    help="Largest request body in bytes.",
)
@click.option(
    "--page-rows",
    default=500,
    show_default=True,
    type=click.IntRange(min=1),
    help="Most rows a result table on a page shows (downloads and the API give all).",
)
@click.option(
    "--root-path",
    default="",
    metavar="PATH",
    help="Path prefix when a reverse proxy serves caregraph below a path, e.g. /caregraph.",
)
@click.option(
    "--reasoner",
    is_flag=True,
    help="Let the validation page also run the OWL reasoner (starts Java).",
)
@click.pass_obj
def serve_command(
    settings: Settings,
    host: str,
    port: int,
    timeout: float | None,
    max_rows: int,
    max_request_size: int,
    page_rows: int,
    root_path: str,
    reasoner: bool,
) -> None:
    """Serve the graph as a read-only web app: pages, web API and a SPARQL endpoint.

    Every IRI of the graph has a page; stored questions have forms, result tables and
    downloads; /api/queries/NAME and /openapi.json serve programs; /sparql speaks the
    SPARQL 1.1 Protocol (read-only). Stop it with Ctrl+C.
    """
    from caregraph.queries import load_catalogue
    from caregraph.web.app import ServeConfig, map_route
    from caregraph.web.limits import Limits
    from caregraph.web.server import is_loopback, serve

    catalogue = load_catalogue(settings.queries)
    limit = timeout or settings.timeout or 10.0
    # The app keeps the time limit per request itself; a store-level deadline would only add
    # a thread and a wait per query.
    settings.timeout = None
    store = settings.store()
    layers = ["syntax", "vocabulary", "shapes", "rules"] + (["ontology"] if reasoner else [])
    config = ServeConfig(
        catalogue=catalogue,
        limits=Limits(
            timeout=limit,
            max_rows=max_rows,
            max_request_bytes=max_request_size,
            page_rows=page_rows,
        ),
        data_paths=[] if settings.endpoint else settings.data_paths(),
        validation_layers=layers,
        extra_routes=[map_route(store, root_path.rstrip("/"))],
    )
    if not is_loopback(host):
        click.echo(
            f"Warning: listening on {host}: other machines can reach the server. It only "
            "reads, but put it behind a reverse proxy with TLS (see the README).",
            err=True,
        )
    serve(
        store,
        config,
        host=host,
        port=port,
        root_path=root_path.rstrip("/"),
        announce=lambda line: click.echo(line + " (Ctrl+C stops)", err=True),
    )
