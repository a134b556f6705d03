"""HermiT through owlready2: consistency explained, and the inferred triples."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from rdflib import OWL, RDF

from caregraph.cli import cli
from caregraph.errors import UnreasonableGraph
from caregraph.namespaces import CG, DD
from caregraph.reasoning import check_consistency, infer, java_executable
from caregraph.validation import validate
from caregraph.validation.findings import ValidationReport

pytestmark = pytest.mark.reasoner

INVALID = Path(__file__).parent / "data" / "invalid"


@cache
def inferred() -> rdflib.Graph:
    return infer()


@cache
def ontology_layer(name: str) -> ValidationReport:
    return validate([INVALID / name], layers=("syntax", "ontology"))


def test_java_is_found() -> None:
    assert Path(java_executable()).exists()


def test_shipped_graph_is_consistent() -> None:
    assert check_consistency().consistent


def test_disjoint_classes_are_explained_with_file_and_line() -> None:
    [finding] = ontology_layer("actor-is-measure.ttl").findings
    assert finding.rule == "ontology/disjoint-classes"
    assert (finding.file, finding.line) == (INVALID / "actor-is-measure.ttl", 6)
    assert finding.message == (
        "Confused <https://w3id.org/caregraph/dresden/confused> is both cg:Actor (it is declared "
        "a cg:Organisation) and cg:Measure (it is declared a cg:Measure), but "
        "owl:AllDisjointClasses (cg:Actor, cg:Measure, cg:Task, cg:Goal, cg:Phase, cg:Area, "
        "cg:Source) says nothing can be both."
    )


def test_range_clash_names_the_property() -> None:
    [finding] = ontology_layer("ontology-range-clash.ttl").findings
    assert (finding.focus, finding.line) == (str(DD["goal-x"]), 13)
    assert "it is the cg:responsibleActor of <https://w3id.org/caregraph/dresden/resp-x>" in (
        finding.message
    )


def test_owl_imports_is_not_followed_by_the_reasoner(tmp_path: Path) -> None:
    path = tmp_path / "imports.ttl"
    path.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "<https://w3id.org/caregraph/dresden/ext> a owl:Ontology ;\n"
        "    owl:imports <http://unreachable.invalid/remote.owl> .\n",
        encoding="utf-8",
    )
    assert check_consistency([path]).consistent  # an attempt to fetch would raise


def test_inferred_triples_have_memberships_and_inverses() -> None:
    graph = inferred()
    assert (DD["sozialamt"], RDF.type, CG.Actor) in graph
    assert any(graph.triples((None, CG.containsArea, None)))
    assert any(graph.triples((None, CG.participatesIn, None)))
    assert (DD["prohlis"], CG.withinArea, DD["dresden"]) not in graph  # stated, not inferred


def test_cli_reason_writes_file(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "inferred.ttl"
    result = runner.invoke(cli, ["reason", "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert result.output == f"{len(inferred())} inferred triples written to {target}.\n"
    assert len(rdflib.Graph().parse(target)) == len(inferred())


def test_cli_consistency_explains(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["consistency", str(INVALID / "actor-is-measure.ttl")])
    assert result.exit_code == 1
    assert result.output.startswith(
        "Inconsistent: Confused <https://w3id.org/caregraph/dresden/confused> is both"
    )


def test_owl_imports_reach_the_reasoner_only_when_following_imports_is_allowed() -> None:
    from rdflib import OWL, URIRef

    from caregraph.reasoning import _merged

    data = rdflib.Graph()
    data.add((URIRef("urn:mine"), OWL.imports, URIRef("https://example.org/other.owl")))
    assert (None, OWL.imports, None) not in _merged(data, follow_imports=False)
    assert (None, OWL.imports, None) in _merged(data, follow_imports=True)


@pytest.mark.parametrize("with_ontology", [False, True])
def test_auto_counts_ontology_plus_data_once(
    with_ontology: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store that holds the ontology too (validation's shared store) is not counted with
    the ontology a second time when ``auto`` chooses between HermiT and the rules."""
    from caregraph import reasoning
    from caregraph.loading import cached_ontology
    from caregraph.owlrules import file_store

    repeated = (CG.Actor, RDF.type, OWL.Class)  # a statement of the ontology, also in the data
    assert repeated in cached_ontology()
    data = tmp_path / "data.ttl"
    data.write_text(
        (INVALID / "actor-is-measure.ttl").read_text(encoding="utf-8")
        + f"\n<{CG.Actor}> a <{OWL.Class}> .\n",
        encoding="utf-8",
    )
    store = file_store([data])
    sizes: list[int] = []

    def chosen(reasoner: str, triples: int) -> str:
        sizes.append(triples)
        return "rules"

    monkeypatch.setattr(reasoning, "choose_reasoner", chosen)
    verdict = reasoning.decide(store, rdflib.Graph, with_ontology=with_ontology)
    assert not verdict.consistent and verdict.method == "rules"
    # ontology plus data, the statement both make counted once (what HermiT is given)
    assert sizes == [len(store) + (0 if with_ontology else len(cached_ontology()) - 1)]


def _space_iri_clash(tmp_path: Path) -> Path:
    path = tmp_path / "space.ttl"
    path.write_text(
        f"@prefix cg: <{CG}> .\n"
        "<https://w3id.org/caregraph/dresden/with space> a cg:Organisation, cg:Measure .\n",
        encoding="utf-8",
    )
    return path


def test_auto_lets_the_rules_decide_when_hermit_cannot_be_given_the_graph(
    tmp_path: Path,
) -> None:
    """An IRI with a space stops HermiT; with auto, the rules still judge the graph and
    validation still gives its whole report."""
    path = _space_iri_clash(tmp_path)
    verdict = check_consistency([path])
    assert (verdict.consistent, verdict.method) == (False, "rules")
    report = validate([path], layers=("syntax", "vocabulary", "ontology"))
    rules = {f.rule for f in report.findings}
    assert "ontology/disjoint-classes" in rules
    assert any(r.startswith("vocabulary/") for r in rules)  # the IRI itself is reported


def test_hermit_asked_for_gives_a_warning_not_a_failed_run(tmp_path: Path) -> None:
    path = _space_iri_clash(tmp_path)
    with pytest.raises(UnreasonableGraph, match="HermiT cannot be given this graph"):
        check_consistency([path], reasoner="hermit")
    report = validate([path], layers=("syntax", "ontology"), reasoner="hermit")
    [finding] = report.findings
    assert (finding.severity, finding.rule) == ("warning", "ontology/unreadable")
    assert "--reasoner rules" in finding.message


@pytest.mark.parametrize(
    ("lang", "start"),
    [("de", "HermiT hält Ontologie und Daten für widersprüchlich"),
     ("en", "HermiT found ontology plus data inconsistent")],
)  # fmt: skip
def test_what_only_hermit_finds_is_said_in_the_report_language(lang: str, start: str) -> None:
    """owl:sameAs merging resources of disjoint classes: the rules name nothing, HermiT's
    verdict stands, in the language of the report."""
    path = Path(__file__).parent / "data" / "ontology" / "boundary-same-as.ttl"
    report = validate([path], layers=("syntax", "ontology"), reasoner="hermit", lang=lang)
    [finding] = report.findings
    assert finding.rule == "ontology/inconsistent"
    assert finding.message.startswith(start)


def test_a_graph_too_big_for_hermit_is_a_warning_of_the_ontology_layer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """HermiT asked for on more triples than it handles: validate still reports, with a
    warning instead of the verdict; consistency says why."""
    from caregraph import reasoning
    from caregraph.errors import GraphTooBig

    monkeypatch.setattr(reasoning, "MAX_REASONER_TRIPLES", 100)
    report = validate([INVALID / "actor-is-measure.ttl"], layers=("syntax", "ontology"),
                      reasoner="hermit")  # fmt: skip
    [finding] = report.findings
    assert (finding.severity, finding.rule) == ("warning", "ontology/too-big")
    assert "more than the 100 HermiT handles" in finding.message
    with pytest.raises(GraphTooBig):
        check_consistency([INVALID / "actor-is-measure.ttl"], reasoner="hermit")
