"""Commands that check data: ``validate`` (five layers), ``consistency`` and ``reason``."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import click

from caregraph.choices import DEFAULT_SHACL_ENGINE, REASONERS, SHACL_ENGINES
from caregraph.cli.app import EXIT_CODES_HELP, Settings, cli, input_files
from caregraph.cli.options import (
    allow_network_option,
    emit,
    follow_imports_option,
    format_option,
    lang_option,
    max_file_size_option,
    output_option,
)
from caregraph.cli.progress import validation_progress
from caregraph.errors import UsageError
from caregraph.formats import GRAPH_FORMATS, REPORT_FORMATS
from caregraph.resources import data_dir
from caregraph.safety import MAX_FILE_BYTES
from caregraph.validation.findings import FAIL_ON, LAYERS, ValidationReport

if TYPE_CHECKING:
    import rdflib

# The library is imported inside the commands, so that --help and completion stay fast.

reasoner_option = click.option(
    "--reasoner",
    type=click.Choice(REASONERS),
    default="auto",
    show_default=True,
    help="OWL consistency by HermiT (complete; a Java process, about 17 s of CPU at "
    "100,000 triples, minutes at a million), by rules "
    "on Oxigraph (disjoint classes, domains and ranges, functional properties; seconds at "
    "a million triples), or auto: HermiT up to 10,000 triples, the rules above.",
)

VALIDATE_EXIT_HELP = (
    "Exit codes: 0 no finding at or above --fail-on; 1 findings at or above it; 2 a file "
    "does not parse (all such files are reported), a path is missing or unreadable, or the "
    "call is wrong; 3 internal error (a bug)."
)


def endpoint_data(settings: Settings, given: Sequence[str]) -> rdflib.Graph | None:
    """The endpoint's graph when ``--endpoint`` is given (never silently the local files).

    Raises:
        UsageError: files were named as well.
        InputError: the endpoint cannot be reached.
    """
    if not settings.endpoint:
        return None
    if given or settings.data:
        raise UsageError(
            f"Give either --endpoint or files to check "
            f"({', '.join([*given, *(settings.data or [])])}), not both: caregraph checks "
            "the endpoint's graph when --endpoint is given."
        )
    from caregraph.endpoint import endpoint_graph

    return endpoint_graph(
        settings.endpoint, settings.timeout or 60.0, allow_network=settings.allow_network
    )


@cli.command("validate", epilog=VALIDATE_EXIT_HELP)
@click.argument("paths", nargs=-1, type=click.Path())
@format_option(REPORT_FORMATS, "text", "the report")
@output_option("the report")
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    default="error",
    show_default=True,
    help="Lowest severity that makes the exit code 1 (none: never).",
)
@lang_option
@click.option("--no-reasoner", is_flag=True, help="Skip the OWL layer (ontology consistency).")
@reasoner_option
@click.option(
    "--skip", multiple=True, type=click.Choice(LAYERS[1:]), help="Skip a layer (repeatable)."
)
@click.option(
    "--checks",
    "check_dirs",
    multiple=True,
    type=click.Path(file_okay=False),
    metavar="DIR",
    help="Folder of further rule checks (*.rq) to run (repeatable).",
)
@allow_network_option
@follow_imports_option
@click.option(
    "--context",
    "context",
    multiple=True,
    type=click.Path(),
    metavar="PATH",
    help="Read these files too, so the data may refer to their resources; their own "
    "findings are not reported (repeatable).",
)
@click.option(
    "--with-bundled",
    is_flag=True,
    help="Use the bundled Dresden graph as --context: check a new file against it.",
)
@click.option(
    "--engine",
    type=click.Choice(SHACL_ENGINES),
    default=DEFAULT_SHACL_ENGINE,
    show_default=True,
    help="SHACL engine of the shapes layer: shacl (fast, for large graphs) or pyshacl "
    "(the reference; same findings, much slower).",
)
@max_file_size_option(MAX_FILE_BYTES)
@click.pass_obj
def validate_command(
    settings: Settings,
    paths: tuple[str, ...],
    fmt: str,
    output: str | None,
    fail_on: str,
    no_reasoner: bool,
    reasoner: str,
    skip: tuple[str, ...],
    check_dirs: tuple[str, ...],
    follow_imports: bool,
    context: tuple[str, ...],
    with_bundled: bool,
    engine: str,
    max_file_size: float,
) -> None:
    """Validate RDF files in five layers: syntax, vocabulary, SHACL shapes, OWL consistency
    (HermiT or rules, see --reasoner) and stored rule checks (queries/checks).

    PATHS are files or folders; without them, the --data paths, else the bundled graph.
    Every finding names its file and line, severity, focus resource, message and a hint.
    """
    from caregraph.validation import validate
    from caregraph.validation.reports import render

    lang = settings.lang
    skipped = set(skip) | ({"ontology"} if no_reasoner else set())
    named = [*paths, *context, *(["--with-bundled"] if with_bundled else [])]
    from_endpoint = endpoint_data(settings, named)
    with validation_progress() as progress:
        report = validate(
            list(paths) or settings.data_paths(),
            data_graph=from_endpoint,
            lang=lang,
            layers=[layer for layer in LAYERS if layer not in skipped],
            allow_network=settings.allow_network,
            follow_imports=follow_imports,
            max_file_bytes=int(max_file_size * 1e6),
            check_dirs=check_dirs,
            context=[*context, *([data_dir()] if with_bundled else [])],
            engine=engine,
            reasoner=reasoner,
            progress=progress,
        )
    code = report.exit_code(fail_on)
    if report.unreadable and fmt == "text" and output is None:
        # Unreadable input is an error like any other: one paragraph per file, on stderr;
        # the files that did parse are reported below as usual.
        for f in report.findings:
            if not f.unreadable:
                continue
            where = f"{f.file}, line {f.line}" if f.line else str(f.file)
            if f.line and f.column:
                where += f", column {f.column}"
            click.echo(f"Error: {where}: {f.message}. {f.hint}", err=True)
        if all(f.unreadable for f in report.findings) and len(report.layers) == 1:
            sys.exit(code)
        report = replace(report, findings=[f for f in report.findings if not f.unreadable])
    colour = (
        fmt == "text" and output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    )
    text = render(report, fmt, fail_on=fail_on, lang=lang, colour=colour)
    emit(text, output, input_files([*(list(paths) or settings.data_paths() or []), *context]))
    if paths and not context and not with_bundled and fmt == "text" and code:
        _suggest_bundled(report, lang)
    sys.exit(code)


_BUNDLED_NOTE = {
    "en": "Note: errors or warnings are about {n} {what} that the bundled Dresden graph defines "
    "and these files do not ({named}); to check new files against that graph, add "
    "--with-bundled.",
    "de": "Hinweis: Fehler oder Warnungen betreffen {n} {what}, die der mitgelieferte Dresdner "
    "Graph definiert und diese Dateien nicht ({named}); um neue Dateien gegen diesen Graphen "
    "zu prüfen, ergänze --with-bundled.",
}
_RESOURCES = {"en": ("resource", "resources"), "de": ("Ressource", "Ressourcen")}


def _suggest_bundled(report: ValidationReport, lang: str) -> None:
    """Say once when findings are about resources of the bundled graph (--with-bundled)."""
    from caregraph.namespaces import compact
    from caregraph.validation import bundled_foci

    foci = bundled_foci(report)
    if foci:
        lang = lang if lang in _BUNDLED_NOTE else "en"
        named = ", ".join(compact(f) for f in foci[:3]) + (", ..." if len(foci) > 3 else "")
        what = _RESOURCES[lang][0 if len(foci) == 1 else 1]
        note = _BUNDLED_NOTE[lang].format(n=len(foci), what=what, named=named)
        click.echo(note, err=True)


@cli.command("consistency", epilog=EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, type=click.Path())
@allow_network_option
@follow_imports_option
@reasoner_option
@click.pass_obj
def consistency_command(
    settings: Settings, paths: tuple[str, ...], follow_imports: bool, reasoner: str
) -> None:
    """Check that ontology plus data is consistent (OWL), with HermiT or rules (--reasoner).

    With --endpoint, the endpoint's graph is checked (fetched with one CONSTRUCT).
    """
    from caregraph.reasoning import check_consistency

    result = check_consistency(
        list(paths) or settings.data_paths(),
        data_graph=endpoint_data(settings, paths),
        allow_network=settings.allow_network,
        follow_imports=follow_imports,
        reasoner=reasoner,
    )
    if result.consistent:
        if result.method == "hermit":
            click.echo("Consistent: HermiT found no contradiction in ontology plus data.")
        else:
            click.echo(
                "Consistent: the rules found no contradiction in ontology plus data (disjoint "
                "classes, domains and ranges, functional properties; --reasoner hermit "
                "checks all of OWL)."
            )
        return
    click.echo(f"Inconsistent: {result.explanation}")
    sys.exit(1)


@cli.command("reason", epilog=EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, type=click.Path())
@output_option("the inferred triples")
@format_option(GRAPH_FORMATS, "turtle", "the inferred triples")
@allow_network_option
@follow_imports_option
@click.pass_obj
def reason_command(
    settings: Settings, paths: tuple[str, ...], output: str | None, fmt: str, follow_imports: bool
) -> None:
    """Write what HermiT infers: class memberships, inverse and symmetric relations.

    Only triples the data does not state are written, so analysts can load them beside it.
    With --endpoint, the endpoint's graph is read (fetched with one CONSTRUCT).
    """
    from caregraph.output import format_graph
    from caregraph.reasoning import infer

    graph = infer(
        list(paths) or settings.data_paths(),
        data_graph=endpoint_data(settings, paths),
        allow_network=settings.allow_network,
        follow_imports=follow_imports,
    )
    emit(format_graph(graph, fmt), output, input_files(list(paths) or settings.data_paths()))
    if output:
        click.echo(f"{len(graph)} inferred triples written to {output}.", err=True)
