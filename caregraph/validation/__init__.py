"""Validation of data files in five layers, reported as one list of findings.

One module per layer, each independent of the others: 1. ``syntax``, 2. ``vocabulary``,
3. ``shapes`` (SHACL), 4. ``ontology`` (OWL consistency, HermiT), 5. ``rules`` (stored
"must be empty" checks). ``findings`` holds the finding model, ``reports`` the report
writers. ``validate`` (here) is the one entry point and runs the layers in order; after
a syntax error the later layers do not run: on half-read data they would only report
what is missing because of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import rdflib

from caregraph.errors import UsageError
from caregraph.loading import PathLike, cached_ontology, find_data_files
from caregraph.positions import PositionIndex
from caregraph.safety import MAX_FILE_BYTES
from caregraph.validation.findings import LAYERS, SEVERITIES, Finding, ValidationReport
from caregraph.validation.ontology import consistency_findings
from caregraph.validation.rules import load_checks, run_checks
from caregraph.validation.shapes import check_data_shapes, check_shapes
from caregraph.validation.syntax import read_files
from caregraph.validation.vocabulary import check_vocabulary

__all__ = ["LAYERS", "SEVERITIES", "Finding", "ValidationReport", "check_shapes", "validate"]


def validate(
    paths: Iterable[PathLike] | None = None,
    *,
    lang: str = "en",
    data_graph: rdflib.Graph | None = None,
    layers: Sequence[str] = LAYERS,
    allow_network: bool = False,
    max_file_bytes: int = MAX_FILE_BYTES,
    check_dirs: Iterable[PathLike] | None = None,
    context: Iterable[PathLike] | None = None,
) -> ValidationReport:
    """Validate data files (default: the bundled Dresden graph) in all five layers.

    Args:
        paths: files or folders to validate.
        lang: language of messages and hints, ``de`` or ``en``.
        data_graph: an already parsed graph to validate instead of ``paths`` (no syntax
            layer, no positions).
        layers: the layers to run (``ontology`` starts Java for HermiT: leave it out for speed).
        allow_network: let parsers fetch remote JSON-LD contexts and XML entities.
        max_file_bytes: files larger than this are refused.
        check_dirs: further folders of rule checks besides ``queries/checks``.
        context: files or folders read with the data (e.g. the bundled graph, so that a
            new file may refer to its resources) whose own findings are not reported.

    Raises:
        InputError: a path does not exist or cannot be read, or the graph is too big.
        ReasonerError: the ontology layer was asked for and Java cannot run.
    """
    unknown = sorted(set(layers) - set(LAYERS))
    if unknown:
        raise UsageError(
            f"Unknown validation layer(s) {', '.join(unknown)}; use {', '.join(LAYERS)}."
        )
    ran: list[str] = []
    context_files: list[Path] = []
    if data_graph is None:
        files = find_data_files(paths)
        if context:
            context_files = [f for f in find_data_files(context) if f not in files]
        parsed = read_files(
            files + context_files, allow_network=allow_network, max_bytes=max_file_bytes
        )
        ran.append("syntax")
        report = ValidationReport(files=files, findings=list(parsed.findings), layers=ran)
        if parsed.findings:
            return report
        graphs, indexes, index = parsed.graphs, parsed.indexes, parsed.index
        data_graph = parsed.merged()
    else:
        report = ValidationReport(files=[], layers=ran)
        graphs, indexes, index = {Path("<graph>"): data_graph}, {}, PositionIndex()

    ontology = cached_ontology()
    if "vocabulary" in layers:
        ran.append("vocabulary")
        report.findings += check_vocabulary(graphs if report.files else {}, indexes, ontology, lang)
    if "shapes" in layers:
        ran.append("shapes")
        report.findings += check_data_shapes(data_graph, ontology, index, lang)
    if "ontology" in layers:
        ran.append("ontology")
        report.findings += consistency_findings(data_graph, index, lang, allow_network)
    if "rules" in layers:
        ran.append("rules")
        checks = load_checks(check_dirs)
        report.checks = [c.id for c in checks]
        report.findings += run_checks(
            checks, data_graph, ontology, index, lang, allow_network=allow_network
        )
    if context_files:
        # Context is there to be referred to, not to be judged.
        hidden = set(context_files)
        report.findings = [f for f in report.findings if f.file not in hidden]
    report.findings.sort(key=Finding.sort_key)
    return report
