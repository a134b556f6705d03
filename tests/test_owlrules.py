"""The ontology layer's rules (caregraph.owlrules) against HermiT, and the method choice.

The rules must report an inconsistency exactly where HermiT does, on every fixture of the
test corpus, on tests/data/ontology/ (one fixture per kind of contradiction the rules
know) and on the bundled graph; the boundary fixtures there (``boundary-*``) are what only a
complete OWL reasoner finds, and that boundary is asserted too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import BNode

from caregraph.cli import cli
from caregraph.errors import CaregraphError, UnreasonableGraph, UsageError
from caregraph.namespaces import CG, DD
from caregraph.owlrules import Clash, ValueClash, describe, file_store, find_contradictions
from caregraph.reasoning import check_consistency, choose_reasoner
from caregraph.safety import AUTO_HERMIT_TRIPLES
from caregraph.validation import validate

DATA = Path(__file__).parent / "data"
ONTOLOGY = DATA / "ontology"
CORPUS = [
    *sorted(p for p in (DATA / "invalid").iterdir() if not p.name.endswith(".yaml")),
    *sorted(p for p in DATA.iterdir() if p.is_file() and p.suffix != ".json"),
    *sorted(ONTOLOGY.glob("*.ttl")),
]


def _named(found: object) -> set[tuple[str, ...]]:
    result = set()
    for c in getattr(found, "clashes", ()):
        resource = "_:" if isinstance(c.resource, BNode) else str(c.resource)  # labels vary
        if isinstance(c, Clash):
            result.add((resource, str(c.first), str(c.second)))
        else:
            result.add((resource, str(c.prop), *map(str, c.values)))
    return result


def _verdict(path: Path | None, reasoner: str) -> object:
    try:
        return check_consistency([path] if path else None, reasoner=reasoner)
    except CaregraphError as exc:  # a fixture that does not parse: both must refuse it
        return type(exc)


@pytest.mark.reasoner
@pytest.mark.parametrize("path", [*CORPUS, None], ids=lambda p: p.name if p else "bundled")
def test_rules_agree_with_hermit(path: Path | None) -> None:
    hermit, rules = _verdict(path, "hermit"), _verdict(path, "rules")
    if path is not None and path.name == "vocab-iri-with-space.ttl":
        # HermiT cannot be handed an IRI with a space (the vocabulary layer names it);
        # the rules judge the rest of the file.
        assert hermit is UnreasonableGraph and rules.consistent  # type: ignore[attr-defined]
        return
    if isinstance(hermit, type) or isinstance(rules, type):
        assert hermit == rules
        return
    boundary = path is not None and path.name.startswith("boundary-")
    assert rules.consistent == (hermit.consistent or boundary)  # type: ignore[attr-defined]
    assert _named(rules) == _named(hermit)


def test_disjoint_classes_through_a_union_domain_are_named() -> None:
    [clash] = check_consistency(
        [DATA / "invalid" / "shape-status-on-actor.ttl"], reasoner="rules"
    ).clashes
    assert isinstance(clash, Clash)
    assert (clash.resource, clash.first, clash.second) == (
        DD.verein,
        CG.Actor,
        (CG.Measure, CG.Task),
    )
    assert tuple(r.text("en") for r in clash.reasons) == (
        "it is declared a cg:Organisation",
        "it has cg:status (domain cg:Measure or cg:Task)",
    )
    assert tuple(r.text("de") for r in clash.reasons) == (
        "als cg:Organisation angegeben",
        "hat cg:status (Definitionsbereich cg:Measure oder cg:Task)",
    )
    assert describe(clash, "Verein", "de") == (
        "Verein <https://w3id.org/caregraph/dresden/verein> ist zugleich cg:Actor (als "
        "cg:Organisation angegeben) und cg:Measure oder cg:Task (hat cg:status "
        "(Definitionsbereich cg:Measure oder cg:Task)), doch owl:AllDisjointClasses (cg:Actor, "
        "cg:Measure, cg:Task, cg:Goal, cg:Phase, cg:Area, cg:Source) schließt das aus."
    )


def test_two_different_statuses_are_a_value_clash() -> None:
    result = check_consistency([ONTOLOGY / "functional-two-statuses.ttl"], reasoner="rules")
    [clash] = result.clashes
    assert isinstance(clash, ValueClash)
    assert clash.prop == CG.status
    assert "owl:AllDifferent (cgv:status-planned" in clash.axiom
    assert "has two values of the functional property cg:status" in result.explanation


def test_schema_in_the_data_is_read_sub_property_and_inverse() -> None:
    sub = check_consistency([ONTOLOGY / "subproperty-range.ttl"], reasoner="rules")
    assert "range cg:Actor through cg:responsibleActor" in sub.explanation
    inverse = check_consistency([ONTOLOGY / "inverse-range.ttl"], reasoner="rules")
    assert "range cg:Actor of the inverse cg:responsibleActor" in inverse.explanation


@pytest.mark.parametrize(
    ("name", "english", "german"),
    [
        ("subproperty-range.ttl", "(range cg:Actor through cg:responsibleActor)",
         "(Wertebereich cg:Actor über cg:responsibleActor)"),
        ("inverse-range.ttl", "(range cg:Actor of the inverse cg:responsibleActor)",
         "(Wertebereich cg:Actor der Umkehrung cg:responsibleActor)"),
        ("symmetric-range.ttl", "it is the cg:cooperatesWith of <",
         "ist cg:cooperatesWith von <"),
        ("functional-two-statuses.ttl", "it has cg:status <", "hat cg:status <"),
    ],
)  # fmt: skip
def test_reasons_are_said_in_the_report_language(name: str, english: str, german: str) -> None:
    """The why of a contradiction is in the language of the rest of the message."""
    [found, *_] = check_consistency([ONTOLOGY / name], reasoner="rules").clashes
    assert english in describe(found, None, "en")
    said = describe(found, None, "de")
    assert german in said
    for word in (" it ", "range", "domain", "through", "inverse", " or "):
        assert word not in said


def test_the_boundary_is_what_only_a_complete_reasoner_finds() -> None:
    for name in ("boundary-same-as.ttl", "boundary-literal-range.ttl"):
        assert check_consistency([ONTOLOGY / name], reasoner="rules").consistent


def test_rules_work_on_a_given_store_with_the_ontology_inside() -> None:
    from caregraph.loading import cached_ontology
    from caregraph.resources import ontology_path

    store = file_store([ontology_path(), DATA / "invalid" / "actor-is-measure.ttl"])
    [clash] = find_contradictions(store, cached_ontology())
    assert isinstance(clash, Clash) and (clash.first, clash.second) == (CG.Actor, CG.Measure)


def test_ontology_layer_with_rules_names_file_and_line() -> None:
    report = validate(
        [ONTOLOGY / "functional-two-statuses.ttl"], layers=("syntax", "ontology"), reasoner="rules"
    )
    [finding] = report.findings
    assert (finding.rule, finding.line, finding.path) == (
        "ontology/functional-property",
        11,
        str(CG.status),
    )


def test_auto_chooses_hermit_for_small_graphs_and_rules_above() -> None:
    assert choose_reasoner("auto", AUTO_HERMIT_TRIPLES) == "hermit"
    assert choose_reasoner("auto", AUTO_HERMIT_TRIPLES + 1) == "rules"
    assert choose_reasoner("hermit", 10**9) == "hermit"
    with pytest.raises(UsageError):
        choose_reasoner("pellet", 1)


def test_cli_consistency_with_rules(runner: CliRunner) -> None:
    path = str(DATA / "invalid" / "actor-is-measure.ttl")
    result = runner.invoke(cli, ["consistency", "--reasoner", "rules", path])
    assert result.exit_code == 1
    assert result.output.startswith(
        "Inconsistent: Confused <https://w3id.org/caregraph/dresden/confused> is both"
    )
    result = runner.invoke(cli, ["consistency", "--reasoner", "rules"])
    assert result.exit_code == 0
    assert result.output.startswith("Consistent: the rules found no contradiction")


def test_named_graphs_are_read_for_every_kind_of_contradiction(tmp_path: Path) -> None:
    """Two statuses of a measure in a named graph clash as in the default graph, and its label
    there names it: reading the files and validate's shared store agree."""
    data = tmp_path / "g.trig"
    data.write_text(
        f"@prefix cg: <{CG}> .\n@prefix dd: <{DD}> .\n"
        "@prefix cgv: <https://w3id.org/caregraph/vocab/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "dd:g1 { dd:m a cg:Measure ; cg:status cgv:status-planned , cgv:status-done ;\n"
        '  rdfs:label "Em"@en . }\n',
        encoding="utf-8",
    )
    [clash] = check_consistency([data], reasoner="rules").clashes
    assert isinstance(clash, ValueClash) and clash.resource == DD.m
    report = validate([data], layers=("syntax", "ontology"), reasoner="rules", lang="en")
    [finding] = report.findings
    assert finding.rule == "ontology/functional-property"
    assert finding.message.startswith(f"Em <{DD.m}> has two values of")


def test_ill_typed_literals_of_a_functional_property_are_no_crash(tmp_path: Path) -> None:
    """Whether two ill-typed literals are one value is unknown: no clash (the syntax layer
    reports the literals), and no failure."""
    data = tmp_path / "lit.ttl"
    data.write_text(
        "@prefix ex: <https://example.org/> .\n"
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "ex:code a owl:DatatypeProperty , owl:FunctionalProperty .\n"
        f'<{DD.d}> ex:code "abc"^^xsd:integer , "abd"^^xsd:integer .\n',
        encoding="utf-8",
    )
    assert check_consistency([data], reasoner="rules").consistent
    report = validate([data], layers=("syntax", "ontology"), reasoner="rules")
    assert {f.rule for f in report.findings} == {"syntax/ill-typed"}


def test_two_different_literals_are_said_in_german() -> None:
    [found] = check_consistency([ONTOLOGY / "functional-literals.ttl"], reasoner="rules").clashes
    assert describe(found, None, "de").endswith("(zwei verschiedene Literale).")
    assert describe(found, None, "en").endswith("(two different literals).")
