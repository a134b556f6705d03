"""The portable SPARQL subset: every stored query and rule check keeps to it, and each rule
catches the construct that a real engine (Virtuoso 7.2) was seen to get wrong."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from caregraph import resources
from caregraph.cli import cli
from caregraph.errors import QueryError
from caregraph.portability import RULES, portability_issues, stored_query_issues
from caregraph.queries import load_catalogue
from caregraph.validation.rules import load_checks

QUERIES = resources.queries_dir()
P = (
    "PREFIX cg: <https://w3id.org/caregraph/ontology#> PREFIX dd: <https://w3id.org/caregraph/dresden/> "
    "PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
)


def test_every_stored_query_and_rule_check_is_portable() -> None:
    queries = [(f"query {q.id}", q.sparql) for q in load_catalogue()]
    checks = [(f"check {c.id}", c.sparql) for c in load_checks()]
    found = stored_query_issues(queries + checks)
    assert found == {}, "\n".join(f"{n}: {'; '.join(map(str, i))}" for n, i in found.items())


@pytest.mark.parametrize(
    ("body", "rule"),
    [
        # the five queries of issue 12, cut down to what broke
        ("SELECT ?a WHERE { ?a cg:activeIn ?x . ?x cg:withinArea* dd:prohlis }", "zero-or-more"),
        ("SELECT ?s WHERE { ?t cg:partOfMeasure? ?s }", "zero-or-one"),
        (
            "SELECT DISTINCT ?a WHERE { ?s cg:hasResponsibility/cg:responsibleActor|cg:participant ?a }",
            "alternative-sequence",
        ),
        ("SELECT ?a ?d WHERE { ?a cg:withinArea+ ?d }", "transitive-unanchored"),
        (
            "SELECT ?a WHERE { ?a (cg:withinArea|^cg:containsArea)+ dd:dresden }",
            "transitive-complex",
        ),
        ("SELECT ?s WHERE { ?m cg:hasTask|^cg:partOfMeasure ?s }", "alternative-multiplicity"),
        (
            "SELECT (COUNT(?s) AS ?n) WHERE { ?m cg:hasTask|^cg:partOfMeasure ?s }",
            "alternative-multiplicity",
        ),
        (
            "SELECT DISTINCT ?s WHERE { ?m cg:targetsArea ?x . ?x cg:withinArea+ dd:dresden . "
            "?m cg:hasTask|^cg:partOfMeasure ?s }",
            "alternative-with-transitive",
        ),
        ("SELECT ?y WHERE { ?s a cg:Task . BIND(YEAR(?_today) AS ?y) }", "unbound-argument"),
        (
            "SELECT ?y WHERE { ?s a cg:Task OPTIONAL { ?s cg:dueDate ?d } "
            "BIND(BOUND(?d) && YEAR(?d) > 2020 AS ?y) }",
            "unbound-argument",
        ),
        (
            "SELECT ?s WHERE { ?m a cg:Measure . { BIND(?m AS ?s) } UNION { ?m cg:hasTask ?s } }",
            "outer-variable",
        ),
        # report_vs_background before 59c2679: Virtuoso dropped the literal values of ?value
        (
            "SELECT ?s ?v WHERE { ?s rdfs:label ?v . "
            "{ ?s dcterms:source dd:report } UNION { ?v dcterms:source dd:report } }",
            "union-literal-subject",
        ),
        # a parameter, or a VALUES or BIND variable, in the FILTER of an OPTIONAL
        (
            "SELECT ?s ?w WHERE { ?s dcterms:source ?src . "
            "OPTIONAL { ?src dcterms:isPartOf ?w FILTER(?w != ?_report) } }",
            "optional-filter-outer",
        ),
        (
            'SELECT ?s ?w WHERE { ?s dcterms:source ?src . BIND("de" AS ?l) '
            "OPTIONAL { ?src rdfs:label ?w FILTER(LANG(?w) = ?l) } }",
            "optional-filter-outer",
        ),
        # more than the plain guard BOUND(?_param)
        (
            "SELECT ?s ?w WHERE { ?s dcterms:source ?src . "
            "OPTIONAL { FILTER(!BOUND(?_report)) ?src dcterms:isPartOf ?w } }",
            "optional-filter-outer",
        ),
        (
            "SELECT ?s ?w WHERE { ?s dcterms:source ?src . "
            "OPTIONAL { FILTER(BOUND(?_report) && ?w != ?_report) ?src dcterms:isPartOf ?w } }",
            "optional-filter-outer",
        ),
    ],
)
def test_each_rule_catches_its_construct(body: str, rule: str) -> None:
    assert rule in RULES
    assert rule in {issue.rule for issue in portability_issues(P + body)}


@pytest.mark.parametrize(
    "body",
    [
        # what the stored queries write instead
        "SELECT ?a WHERE { { ?a cg:activeIn dd:prohlis } UNION { ?a cg:activeIn ?x . ?x cg:withinArea+ dd:prohlis } }",
        "SELECT DISTINCT ?s WHERE { ?m cg:hasTask|^cg:partOfMeasure ?s }",
        "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?m cg:hasTask|^cg:partOfMeasure ?s }",
        "ASK { ?m cg:hasTask|^cg:partOfMeasure ?s }",
        "SELECT ?m WHERE { ?m a cg:Measure FILTER NOT EXISTS { ?m cg:hasTask|^cg:partOfMeasure ?s } }",
        'SELECT ?y WHERE { ?s a cg:Task . BIND(YEAR(COALESCE(?_today, "2000-01-01"^^<http://www.w3.org/2001/XMLSchema#date>)) AS ?y) }',
        "SELECT ?y WHERE { ?s a cg:Task OPTIONAL { ?s cg:dueDate ?d } BIND(IF(BOUND(?d), YEAR(?d), 0) AS ?y) }",
        "SELECT ?s WHERE { { ?m a cg:Measure . BIND(?m AS ?s) } UNION { ?m cg:hasTask ?s } }",
        "SELECT ?m WHERE { ?m cg:targetsArea ?area . FILTER(!BOUND(?_district) || ?area = ?_district) }",
        # a literal-valued variable tested by EXISTS; a subject-position variable in both places
        "SELECT ?s ?v WHERE { ?s rdfs:label ?v . "
        "FILTER(EXISTS { ?s dcterms:source dd:report } || EXISTS { ?v dcterms:source dd:report }) }",
        "SELECT ?s ?t WHERE { ?s cg:hasTask ?t . ?t a cg:Task . "
        "{ ?t dcterms:source dd:report } UNION { ?s dcterms:source dd:report } }",
        # constants and ?_lang (replaced by a literal before the query runs) in an OPTIONAL's
        # FILTER; a parameter tested in the outer group
        "SELECT ?s ?w WHERE { ?s dcterms:source ?src . "
        "OPTIONAL { ?src dcterms:isPartOf ?w FILTER(?w = dd:report) } }",
        "SELECT ?s ?w WHERE { ?s dcterms:source ?src . "
        "OPTIONAL { ?src rdfs:label ?w FILTER(LANG(?w) = ?_lang) } }",
        "SELECT ?s ?w WHERE { ?s dcterms:source ?src . OPTIONAL { ?src dcterms:isPartOf ?w } "
        "FILTER(!BOUND(?w) || ?w != ?_report) }",
        # a guard that only skips an OPTIONAL when the parameter is not given
        "SELECT ?s ?w WHERE { ?s dcterms:source ?src . "
        "OPTIONAL { FILTER(BOUND(?_report)) ?src dcterms:isPartOf ?w } "
        "FILTER(!BOUND(?_report) || ?w = ?_report) }",
    ],
)
def test_portable_forms_pass(body: str) -> None:
    assert portability_issues(P + body) == []


def test_unparsable_query_is_a_query_error() -> None:
    with pytest.raises(QueryError, match="does not parse"):
        portability_issues("SELECT ?x WHERE { ?x ?y }")


def _old_query(tmp_path: Path) -> Path:
    """A stored query as undated_steps was before the rewrite (a zero-or-one path, YEAR)."""
    text = (QUERIES / "undated_steps.rq").read_text(encoding="utf-8")
    text = text.replace("#+ id: undated_steps\n", "#+ id: undated_old\n")
    text = text.replace(
        'BIND(YEAR(COALESCE(?_today, "0001-01-01"^^xsd:date)) AS ?today_year)',
        "OPTIONAL { ?step cg:partOfMeasure?/cg:inPhase ?old_phase }",
    ).replace("< ?today_year", "< YEAR(?_today)")
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "undated_old.rq").write_text(text, encoding="utf-8")
    return folder


def test_cli_reports_own_queries_that_leave_the_subset(tmp_path: Path) -> None:
    runner = CliRunner()
    clean = runner.invoke(cli, ["portability"])
    assert clean.exit_code == 0, clean.output
    assert "all portable." in clean.output
    result = runner.invoke(
        cli, ["--queries", str(_old_query(tmp_path)), "portability", "--format", "json"]
    )
    assert result.exit_code == 1
    [(name, issues)] = json.loads(result.output).items()
    assert name.startswith("query undated_old (")
    assert {i["rule"] for i in issues} == {"zero-or-one", "unbound-argument"}


def test_cli_in_a_subprocess(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "caregraph", "--queries", str(_old_query(tmp_path)), "portability"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert "zero-or-one: a zero-or-one path" in done.stdout
    assert "1 leave the portable subset." in done.stdout
