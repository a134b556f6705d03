"""``validate``: the one entry point of validation, running the five layers in order.

A file that does not parse is left out of the later layers, which run on the files that
do (their findings may include what the left-out file would have said, e.g. the labels of
resources defined there). The files are read once by the syntax layer (which also gathers
what the vocabulary layer checks in large files) and loaded once into one Oxigraph store
(``datastore``), which the shapes, ontology and rules layers share.
"""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import rdflib

from caregraph.choices import check_lang
from caregraph.datafiles import PathLike, find_data_files
from caregraph.errors import InputError, UsageError
from caregraph.loading import cached_ontology, load_graph
from caregraph.positions import PositionIndex
from caregraph.reasoning import check_reasoner
from caregraph.safety import MAX_FILE_BYTES
from caregraph.store import OxigraphStore
from caregraph.validation.datastore import SharedData, load_data
from caregraph.validation.engines import DEFAULT_ENGINE, check_engine
from caregraph.validation.findings import LAYERS, Finding, ValidationReport
from caregraph.validation.ontology import consistency_findings
from caregraph.validation.progress import LOAD, Progress, ProgressCallback, silent
from caregraph.validation.rules import load_checks, run_checks
from caregraph.validation.shapes import check_data_shapes, ontology_logic
from caregraph.validation.syntax import read_files
from caregraph.validation.vocabulary import check_vocabulary


def validate(
    paths: Iterable[PathLike] | None = None,
    *,
    lang: str = "en",
    data_graph: rdflib.Graph | None = None,
    layers: Sequence[str] = LAYERS,
    allow_network: bool = False,
    follow_imports: bool = False,
    max_file_bytes: int = MAX_FILE_BYTES,
    check_dirs: Iterable[PathLike] | None = None,
    context: Iterable[PathLike] | None = None,
    engine: str = DEFAULT_ENGINE,
    reasoner: str = "auto",
    progress: ProgressCallback | None = None,
) -> ValidationReport:
    """Validate data files (default: the bundled Dresden graph) in all five layers.

    Args:
        paths: files or folders to validate.
        lang: language of messages and hints, ``de`` or ``en``.
        data_graph: an already parsed graph to validate instead of ``paths`` (no syntax
            layer, no positions).
        layers: the layers to run (``ontology`` starts Java for HermiT: leave it out for speed).
        allow_network: let parsers fetch remote JSON-LD contexts and XML entities.
        follow_imports: let the reasoner load what ``owl:imports`` names (the ontology layer).
        max_file_bytes: files larger than this are refused.
        check_dirs: further folders of rule checks besides ``queries/checks``.
        context: files or folders read with the data (e.g. the bundled graph, so that a
            new file may refer to its resources) whose own findings are not reported.
        engine: the SHACL engine of the shapes layer, ``shacl`` (fast) or ``pyshacl``.
        reasoner: the method of the ontology layer: ``auto`` (HermiT on small graphs, the
            rules above ``AUTO_HERMIT_TRIPLES``), ``hermit`` or ``rules``.
        progress: called at each step (``caregraph.validation.progress``): each layer's
            start and end, each file read, loading the shared store.

    Raises:
        UsageError: an unknown layer or engine, or a language caregraph has no messages in.
        InputError: a path does not exist or cannot be read, or the graph is too big.
        ReasonerError: the ontology layer was asked for and Java cannot run.
    """
    check_lang(lang)
    unknown = sorted(set(layers) - set(LAYERS))
    if unknown:
        raise UsageError(
            f"Unknown validation layer(s) {', '.join(unknown)}; use {', '.join(LAYERS)}."
        )
    check_engine(engine)
    check_reasoner(reasoner)
    step = progress or silent
    ran: list[str] = []
    source_files: list[Path] | None = None
    context_files: list[Path] = []
    given = data_graph
    graphs: Mapping[Path, rdflib.Graph | Mapping[str, set[str]]]
    if data_graph is None:
        files = find_data_files(paths)
        if context:
            context_files = [f for f in find_data_files(context) if f not in files]
        step(Progress("syntax", "start", total=len(files) + len(context_files)))
        parsed = read_files(
            files + context_files,
            allow_network=allow_network,
            max_bytes=max_file_bytes,
            progress=step,
        )
        ran.append("syntax")
        report = ValidationReport(files=files, findings=list(parsed.findings), layers=ran)
        step(Progress("syntax", "done", findings=len(parsed.findings)))
        source_files = parsed.parsed
        if not source_files:
            return report  # nothing parsed: nothing for the later layers
        graphs = {
            path: parsed.graphs[path] if path in parsed.graphs else parsed.roles[path]
            for path in source_files
        }
        indexes, index = parsed.indexes, parsed.index
    else:
        report = ValidationReport(files=[], layers=ran)
        graphs, indexes, index = {Path("<graph>"): data_graph}, {}, PositionIndex()

    @functools.cache
    def data() -> rdflib.Graph:
        # Built only for the layers that need the data in rdflib (pySHACL, HermiT, and the
        # rules when Oxigraph refuses a file): at scale the fast paths never do.
        return given if given is not None else parsed.merged()

    def run(layer: str, check: Callable[[], list[Finding]]) -> None:
        ran.append(layer)
        step(Progress(layer, "start"))
        found = check()
        report.findings += found
        step(Progress(layer, "done", findings=len(found)))

    ontology = cached_ontology()
    with _shared_data(source_files, ontology, step) as shared:
        if "vocabulary" in layers:
            run(
                "vocabulary",
                lambda: check_vocabulary(graphs if report.files else {}, indexes, ontology, lang),
            )
        if "shapes" in layers:
            run(
                "shapes",
                lambda: check_data_shapes(
                    data,
                    ontology,
                    index,
                    lang,
                    engine=engine,
                    files=source_files,
                    shared=shared() if engine == "shacl" else None,
                ),
            )
        if "ontology" in layers:

            def ontology_layer() -> list[Finding]:
                loaded = _loaded(shared)
                whole = loaded.whole_store() if loaded is not None else None
                return consistency_findings(
                    data,
                    index,
                    lang,
                    follow_imports,
                    reasoner=reasoner,
                    files=source_files,
                    store=whole,
                    with_ontology=whole is not None,
                )

            run("ontology", ontology_layer)
        if "rules" in layers:
            checks = load_checks(check_dirs)
            report.checks = [c.id for c in checks]
            run(
                "rules",
                lambda: run_checks(
                    checks,
                    data,
                    ontology,
                    index,
                    lang,
                    files=source_files,
                    allow_network=allow_network,
                    store=_sparql_store(_loaded(shared), allow_network),
                ),
            )
    if context_files:
        # Context is there to be referred to, not to be judged.
        hidden = set(context_files)
        report.findings = [f for f in report.findings if f.file not in hidden]
    report.findings.sort(key=Finding.sort_key)
    return report


def bundled_foci(report: ValidationReport, max_bytes: int = 5_000_000) -> list[str]:
    """The resources of the errors and warnings that the bundled Dresden graph defines (names)
    and the checked files do not, sorted.

    A new file that refers to them, checked alone, gets findings about them (no source, no
    label): they are defined in the bundled graph, which ``validate(context=[data_dir()])``
    (``--with-bundled``) reads as context. Files over ``max_bytes`` together are not read
    again for this (an empty list).
    """
    foci = {
        f.focus
        for f in report.findings
        if f.focus and f.file is not None and f.severity in ("error", "warning")
    }
    if not foci or sum(_size(p) for p in report.files) > max_bytes:
        return []
    try:
        checked = _labelled(load_graph(report.files))
    except InputError:
        return []
    return sorted(foci & (_labelled(load_graph()) - checked))


def _labelled(graph: rdflib.Graph) -> set[str]:
    """The resources ``graph`` defines: those it gives a name (a file that only refers to a
    resource, or adds a type or a link, does not define it)."""
    named = (rdflib.RDFS.label, rdflib.SKOS.prefLabel)
    return {str(s) for p in named for s in graph.subjects(p) if isinstance(s, rdflib.URIRef)}


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


@contextmanager
def _shared_data(
    files: list[Path] | None, ontology: rdflib.Graph, step: ProgressCallback
) -> Iterator[Callable[[], SharedData | None]]:
    """A function that loads the data files into the shared store once, when first called.

    Yields None from it when there are no files (the data came as a graph). The engine's
    input file lives in a temporary folder for as long as the layers run.
    """
    with tempfile.TemporaryDirectory(prefix="caregraph-validate-") as folder:

        @functools.cache
        def shared() -> SharedData | None:
            if files is None:
                return None
            step(Progress(LOAD, "start"))
            loaded = load_data(
                Path(folder) / "data.nt",
                ontology_logic(ontology),
                files=files,
                documentation=ontology,
            )
            step(Progress(LOAD, "done"))
            return loaded

        yield shared


def _loaded(shared: Callable[[], SharedData | None]) -> SharedData | None:
    """The shared store, or None if there is none or a file cannot be read (the layer then
    reads the files its own way and says so)."""
    try:
        return shared()
    except InputError:
        return None


def _sparql_store(loaded: SharedData | None, allow_network: bool) -> OxigraphStore | None:
    """The shared store for the rule checks, or None (they then load the files themselves)."""
    return loaded.sparql_store(allow_network=allow_network) if loaded is not None else None
