"""The fast SHACL engine (``shacl``) against the reference (pySHACL), finding by finding.

The fast engine is the default only while these pass: on the bundled graph, on every
fixture of the test corpus, and on a generated graph with planted errors of every
constraint component the shapes use.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from rdflib import BNode
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

import caregraph
from caregraph.cli import cli
from caregraph.datafiles import FORMATS
from caregraph.errors import UsageError
from caregraph.loading import load_shapes
from caregraph.validation.engines import ENGINES, SHACL_VERSION, SKOLEM, prepare_shapes
from caregraph.validation.findings import Finding

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
sys.path.insert(0, str(ROOT / "benchmarks"))

from planted import PLANTED, plant  # noqa: E402
from run import generate  # noqa: E402

#: Constraint parameter -> the component it belongs to (those caregraph's shapes use).
PARAMETERS = {
    SH.minCount: "MinCount",
    SH.maxCount: "MaxCount",
    SH["class"]: "Class",
    SH.datatype: "Datatype",
    SH["in"]: "In",
    SH.pattern: "Pattern",
    SH.languageIn: "LanguageIn",
    SH.uniqueLang: "UniqueLang",
    SH.qualifiedMinCount: "QualifiedMinCount",
    SH.nodeKind: "NodeKind",
    SH["not"]: "Not",
    SH["or"]: "Or",
    SH.lessThanOrEquals: "LessThanOrEquals",
}


def shapes_layer(paths: list[Path], engine: str) -> list[Finding]:
    report = caregraph.validate(paths, layers=("syntax", "shapes"), engine=engine)
    return sorted(report.findings, key=repr)


def assert_same(paths: list[Path]) -> list[Finding]:
    fast, reference = shapes_layer(paths, "shacl"), shapes_layer(paths, "pyshacl")
    only_fast = [f for f in fast if f not in reference]
    only_reference = [f for f in reference if f not in fast]
    assert not only_fast and not only_reference, (only_fast[:3], only_reference[:3])
    assert fast == reference
    return fast


def test_the_pinned_version_is_the_one_compared() -> None:
    import shacl

    assert shacl.__version__ == SHACL_VERSION


def test_same_findings_on_the_bundled_graph() -> None:
    findings = assert_same([ROOT / "data"])
    # the graph has findings (one warning, infos) to compare, with places and labels
    assert len(findings) >= 10
    assert all(f.file is not None and f.line for f in findings)


CORPUS = sorted(
    p
    for folder in (DATA / "invalid", DATA / "broken", DATA)
    for p in folder.iterdir()
    if p.is_file() and p.suffix in FORMATS and "network" not in p.name
)


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_same_findings_on_every_fixture(path: Path) -> None:
    assert_same([path])


def shape_components() -> set[str]:
    """The constraint components that caregraph's shapes check (outside sh:or/sh:not)."""
    shapes = load_shapes()
    nested: set[rdflib.term.Node] = set(shapes.objects(None, SH["not"]))
    nested |= set(shapes.objects(None, SH.qualifiedValueShape))
    for alternatives in shapes.objects(None, SH["or"]):
        nested |= set(Collection(shapes, alternatives))
    return {
        component
        for parameter, component in PARAMETERS.items()
        for shape in shapes.subjects(parameter, None)
        if shape not in nested
    }


def test_same_findings_on_planted_errors_of_every_kind(tmp_path: Path) -> None:
    generate(tmp_path / "graph.ttl", 600)
    plant(tmp_path / "planted.ttl", copies=2)
    findings = assert_same([tmp_path])
    found = {f.rule.removeprefix("shapes/") for f in findings}
    assert shape_components() <= found, shape_components() - found
    assert set(PLANTED) - {"MinCount (blank node)"} <= found
    # the blank-node responsibility is described through the measure that points to it
    assert any("a blank node" in (f.focus_label or "") for f in findings)


def test_the_rewrite_leaves_no_class_inside_or_and_not() -> None:
    original = load_shapes()
    prepared = prepare_shapes(original)
    inner = list(prepared.objects(None, SH["not"]))
    for alternatives in prepared.objects(None, SH["or"]):
        inner.extend(Collection(prepared, alternatives))
    assert inner
    assert not [n for n in inner if (n, SH["class"], None) in prepared]
    rewritten = [n for n in inner if (n, SH.path, RDF.type) in prepared]
    assert len(rewritten) == 92
    # each property shape has an IRI now, so a result leads back to its parameters
    assert not [o for o in prepared.objects(None, SH.property) if isinstance(o, BNode)]
    assert any(str(o).startswith(SKOLEM) for o in prepared.objects(None, SH.property))
    # the file's own graph is unchanged
    assert len(original) == len(load_shapes())


def test_an_unknown_engine_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="shacl, pyshacl"):
        caregraph.validate(layers=("syntax",), engine="jena")


def test_cli_engine_option() -> None:
    runner = CliRunner()
    outputs = {}
    for engine in ENGINES:
        result = runner.invoke(
            cli,
            ["--lang", "en", "validate", "--no-reasoner", "--engine", engine, "--format", "json",
             str(DATA / "invalid" / "shape-status-not-in-scheme.ttl")],
        )  # fmt: skip
        assert result.exit_code == 1, result.output
        outputs[engine] = result.output
    assert outputs["shacl"] == outputs["pyshacl"]
    assert "status-lost" in outputs["shacl"] or "shapes/In" in outputs["shacl"]
    bad = runner.invoke(cli, ["validate", "--engine", "jena"])
    assert bad.exit_code == 2


def test_cli_engine_in_a_subprocess() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "caregraph", "--lang", "en", "validate", "--no-reasoner",
         "--engine", "pyshacl", str(DATA / "invalid" / "shape-no-source.ttl")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert "[shapes]" in done.stdout
