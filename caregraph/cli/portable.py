"""The command that checks stored queries and rule checks against the portable SPARQL subset."""

from __future__ import annotations

import json
import sys

import click

from caregraph.cli.app import Settings, cli

# The library is imported inside the command, so that --help and completion stay fast.


@cli.command("portability")
@click.option(
    "--checks",
    "check_dirs",
    multiple=True,
    type=click.Path(file_okay=False),
    metavar="DIR",
    help="Folder of your own rule checks to include (repeatable).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.pass_obj
def portability_command(settings: Settings, check_dirs: tuple[str, ...], fmt: str) -> None:
    """Check every stored query and rule check against the portable SPARQL subset.

    The subset (queries/README.md, "Portable SPARQL") is what Oxigraph, rdflib and
    Virtuoso evaluate identically. Your own queries (--queries, before the command) and
    checks (--checks) are included. Exit code 1 if any query leaves the subset.
    """
    # imported here: rdflib's SPARQL parser is slow to import and only this command needs it
    from caregraph.portability import stored_query_issues
    from caregraph.queries import load_catalogue
    from caregraph.validation.rules import load_checks

    texts = [(f"query {q.id} ({q.path})", q.sparql) for q in load_catalogue(settings.queries)]
    texts += [(f"check {c.id} ({c.path})", c.sparql) for c in load_checks(check_dirs)]
    found = stored_query_issues(texts)
    if fmt == "json":
        listing = {name: [{"rule": i.rule, "detail": i.detail} for i in issues]
                   for name, issues in found.items()}  # fmt: skip
        click.echo(json.dumps(listing, indent=2, ensure_ascii=False))
    else:
        for name, issues in found.items():
            click.echo(name)
            for issue in issues:
                click.echo(f"  {issue}")
        click.echo(
            f"{len(texts)} queries and checks read: "
            + (f"{len(found)} leave the portable subset." if found else "all portable.")
        )
    if found:
        sys.exit(1)
