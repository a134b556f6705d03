"""The CLI: exact output through CliRunner, exit codes, and one real subprocess run."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner

from caregraph.cli import cli

DATA = Path(__file__).parent / "data"
TINY = ["--data", str(DATA / "tiny.ttl"), "--queries", str(DATA / "queries" / "good")]
DD = "https://w3id.org/caregraph/dresden/"


def invoke(runner: CliRunner, *args: str):
    return runner.invoke(cli, list(args), catch_exceptions=False)


def test_query_csv_exact(runner: CliRunner) -> None:
    result = invoke(
        runner, *TINY, "query", "district_actors", "-p", "district=Leuben", "--format", "csv"
    )
    assert result.exit_code == 0
    assert (
        result.output
        == f'actor,label\n{DD}nachbarschaftshilfe,"Nachbarschaftshilfe ""Süd"" {{#1}}"\n'
    )


def test_query_json_parses(runner: CliRunner) -> None:
    result = invoke(runner, *TINY, "query", "district_actors", "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert [r["label"] for r in rows] == [
        'Nachbarschaftshilfe "Süd" {#1}',
        'Nachbarschaftshilfe "Süd" {#1}',
        "Sozialamt",
    ]


def test_query_tsv_parses(runner: CliRunner) -> None:
    result = invoke(
        runner, *TINY, "query", "district_actors", "-p", "district=Prohlis", "--format", "tsv"
    )
    rows = list(csv.DictReader(io.StringIO(result.output), delimiter="\t"))
    assert {r["actor"] for r in rows} == {DD + "nachbarschaftshilfe", DD + "sozialamt"}


def test_query_table_shows_labels_and_row_count(runner: CliRunner) -> None:
    result = invoke(
        runner, "--lang", "en", *TINY, "query", "district_actors", "-p", "district=Leuben"
    )
    assert result.exit_code == 0
    assert "Neighbourhood help" in result.output  # the actor IRI shown by its English label
    assert result.output.rstrip().endswith("1 row")


def test_output_file_is_written(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    result = invoke(runner, *TINY, "query", "district_actors", "--format", "csv", "-o", str(target))
    assert result.exit_code == 0
    assert result.output == ""
    assert target.read_text(encoding="utf-8").startswith("actor,label\n")
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_unknown_parameter_is_exit_2_with_one_paragraph(runner: CliRunner) -> None:
    result = invoke(runner, *TINY, "query", "district_actors", "-p", "distrikt=Leuben")
    assert result.exit_code == 2
    assert result.output == (
        "Error: Query 'district_actors' has no parameter 'distrikt' (its parameters: district).\n"
    )


def test_param_without_equals_is_a_usage_error(runner: CliRunner) -> None:
    result = invoke(runner, *TINY, "query", "district_actors", "-p", "Leuben")
    assert result.exit_code == 2
    assert "--param takes NAME=VALUE; 'Leuben' has no '='." in result.output


def test_unknown_query_is_exit_2(runner: CliRunner) -> None:
    result = invoke(runner, *TINY, "query", "district_actor")
    assert result.exit_code == 2
    assert result.output.startswith(
        "Error: There is no stored query 'district_actor'. Did you mean: district_actors, "
    )


def test_explain_shows_header_and_sparql(runner: CliRunner) -> None:
    result = invoke(runner, "--lang", "en", *TINY, "query", "district_actors", "--explain")
    assert result.exit_code == 0
    assert result.output.startswith(
        "Actors in a district\n\nWhich actors are active in the district?\n"
    )
    assert "  district (iri): district" in result.output
    assert "SELECT ?actor ?label WHERE {" in result.output


def test_broken_turtle_is_exit_2_with_file_and_line(runner: CliRunner) -> None:
    bad = DATA / "broken" / "unterminated.ttl"
    result = invoke(runner, "validate", str(bad))
    assert result.exit_code == 2
    assert result.output.startswith(
        f"Error: {bad}, line 5, column 33: cannot parse this Turtle file"
    )
    assert "Traceback" not in result.output


def test_missing_data_path_is_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    result = invoke(runner, "--data", str(tmp_path / "none"), "info")
    assert result.exit_code == 2
    assert "no such file or folder" in result.output


def test_help_everywhere(runner: CliRunner) -> None:
    for command in ([], ["queries"], ["query"], ["validate"], ["info"], ["consistency"]):
        result = invoke(runner, *command, "--help")
        assert result.exit_code == 0, command
        assert "Usage: " in result.output


def test_subprocess_python_m_caregraph(tmp_path: Path) -> None:
    env = {**os.environ, "COLUMNS": "100"}
    done = subprocess.run(
        [sys.executable, "-m", "caregraph", *TINY, "query", "district_actors", "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)) == 3
    broken = subprocess.run(
        [sys.executable, "-m", "caregraph", "validate", str(DATA / "broken" / "unterminated.ttl")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert broken.returncode == 2
    assert broken.stdout == ""
    assert "line 5, column 33" in broken.stderr
    assert "Traceback" not in broken.stderr


def complete(*words: str, env_extra: dict[str, str] | None = None) -> list[str]:
    """Ask the installed command for bash completions, as the shell would."""
    env = {
        **os.environ,
        "_CAREGRAPH_COMPLETE": "bash_complete",
        "COMP_WORDS": " ".join(("caregraph", *words)),
        "COMP_CWORD": str(len(words)),
        **(env_extra or {}),
    }
    done = subprocess.run(
        [sys.executable, "-c", "from caregraph.cli import main; main()"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return [line.split(",", 1)[1] for line in done.stdout.splitlines()]


def test_completion_of_query_names() -> None:
    assert complete(*TINY, "query", "district_") == ["district_actors"]


def test_completion_of_parameter_names_and_graph_labels() -> None:
    assert complete(*TINY, "query", "district_actors", "-p", "") == ["district="]
    assert complete(*TINY, "query", "district_actors", "-p", "district=L") == ["district=Leuben"]


def test_queries_list_and_json(runner: CliRunner) -> None:
    listing = invoke(runner, "--lang", "en", *TINY, "queries", "--format", "json")
    entries = {q["id"]: q for q in json.loads(listing.output)}
    assert entries["district_actors"]["title"] == "Actors in a district"
    assert entries["district_actors"]["params"] == [
        {"name": "district", "type": "iri", "default": None, "required": False}
    ]
    table = invoke(runner, "--lang", "de", *TINY, "queries", "--theme", "quality")
    assert "Labels ab einem" in table.output  # the title cell may wrap
    assert "Akteure im Stadtbezirk" not in table.output


def test_catalogue_as_rdf_can_be_queried(runner: CliRunner) -> None:
    result = invoke(runner, *TINY, "queries", "--format", "ttl")
    assert result.exit_code == 0
    graph = rdflib.Graph().parse(data=result.output, format="turtle")
    rows = graph.query(
        """PREFIX sh: <http://www.w3.org/ns/shacl#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?q ?text WHERE { ?q a sh:SPARQLSelectExecutable ; dcterms:identifier "district_actors" ;
                                   sh:select ?text }"""
    )
    (row,) = list(rows)
    assert str(row[0]) == "https://w3id.org/caregraph/queries/district_actors"
    assert "SELECT ?actor ?label" in str(row[1])


def test_sparql_select_construct_ask_and_update(runner: CliRunner, tmp_path: Path) -> None:
    prefix = "PREFIX cg: <https://w3id.org/caregraph/ontology#> "
    select = invoke(
        runner,
        *TINY,
        "sparql",
        prefix + "SELECT ?a WHERE { ?a cg:activeIn ?d } ORDER BY ?a",
        "--format",
        "csv",
    )
    assert select.output == f"a\n{DD}nachbarschaftshilfe\n{DD}nachbarschaftshilfe\n{DD}sozialamt\n"
    query_file = tmp_path / "q.rq"
    query_file.write_text(prefix + "CONSTRUCT { ?d cg:hasActor ?a } WHERE { ?a cg:activeIn ?d }")
    construct = invoke(runner, *TINY, "sparql", str(query_file), "--format", "ntriples")
    assert len(rdflib.Graph().parse(data=construct.output, format="nt")) == 3
    ask = invoke(runner, *TINY, "sparql", "ASK { ?s ?p ?o }")
    assert ask.output == "true\n"
    update = invoke(runner, *TINY, "sparql", "INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert update.exit_code == 2
    assert "This is a SPARQL Update" in update.output


def test_ask_honours_the_formats_that_carry_a_boolean_and_refuses_the_others(
    runner: CliRunner,
) -> None:
    for fmt in ("csv", "turtle", "markdown", "sparql-tsv"):
        wrong = invoke(runner, *TINY, "sparql", "ASK { ?s ?p ?o }", "--format", fmt)
        assert wrong.exit_code == 2, fmt
        assert f"An ASK query gives true or false; --format {fmt} cannot carry it" in wrong.output
    srj = invoke(runner, *TINY, "sparql", "ASK { ?s ?p ?o }", "--format", "srj")
    assert json.loads(srj.output)["boolean"] is True
    srx = invoke(runner, *TINY, "sparql", "ASK { ?s ?p ?o }", "--format", "srx")
    assert "<boolean>true</boolean>" in srx.output
    plain = invoke(runner, *TINY, "sparql", "ASK { ?s <urn:none> ?o }", "--format", "json")
    assert json.loads(plain.output) == {"boolean": False}
    table = invoke(runner, *TINY, "sparql", "ASK { ?s <urn:none> ?o }", "--format", "table")
    assert table.output == "false\n"


def test_unwritable_output_is_exit_2_not_a_bug(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "missing-folder" / "out.csv"
    result = invoke(runner, *TINY, "query", "district_actors", "-o", str(target))
    assert result.exit_code == 2
    assert result.output == (
        f"Error: {target}: cannot write the file (No such file or directory). "
        "Check that its folder exists and is writable.\n"
    )


def test_folder_without_rdf_is_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("no rdf here")
    result = invoke(runner, "validate", str(tmp_path))
    assert result.exit_code == 2
    assert "the folder holds no RDF files" in result.output


def test_completion_escapes_spaces_for_bash() -> None:
    # Bash inserts a completion as typed, so the spaces of a label must be escaped.
    assert complete("query", "actor_profile", "-p", "actor=Social") == [
        "actor=Social\\ Welfare\\ Office"
    ]


@pytest.mark.parametrize(
    ("backend", "place"), [("oxigraph", "error at 1:22:"), ("rdflib", "(line:1, col:19)")]
)
def test_a_sparql_syntax_error_is_placed_in_the_users_own_text(
    runner: CliRunner, backend: str, place: str
) -> None:
    # caregraph declares cg:, dd:, rdfs: ... for the user; that must not move the place.
    result = invoke(runner, "--backend", backend, *TINY, "sparql", "SELECT ?s WHERE { ?s ")
    assert result.exit_code == 2
    assert place in result.output


@pytest.mark.parametrize("backend", ["oxigraph", "rdflib"])
def test_a_query_the_engine_rejects_is_exit_2_with_its_reason_on_every_backend(
    runner: CliRunner, backend: str
) -> None:
    query = "SELECT ?x WHERE { ?s ?p ?o } GROUP BY (?s + ?p) HAVING (?zz > 1)"
    result = invoke(runner, "--backend", backend, *TINY, "sparql", query)
    assert result.exit_code == 2, result.output
    assert "Error: The SPARQL query" in result.output
    assert "This is a bug" not in result.output


@pytest.mark.parametrize(
    ("command", "registry"),
    [("query", "RESULT_FORMATS"), ("validate", "REPORT_FORMATS"), ("reason", "GRAPH_FORMATS")],
)
def test_help_and_completion_offer_the_registered_formats(
    runner: CliRunner, command: str, registry: str
) -> None:
    from click.shell_completion import ShellComplete

    from caregraph import formats

    names = getattr(formats, registry).names()
    help_text = " ".join(invoke(runner, command, "--help").output.split())
    for fmt in getattr(formats, registry):
        assert f"{fmt.name} ({fmt.description})" in help_text
    completion = ShellComplete(cli, {}, "caregraph", "_CAREGRAPH_COMPLETE")
    offered = [c.value for c in completion.get_completions([command, "--format"], "")]
    assert offered == list(names)


def test_a_format_that_cannot_carry_the_result_is_refused_before_any_data_is_read(
    runner: CliRunner, tmp_path: Path
) -> None:
    missing = str(tmp_path / "missing.ttl")
    result = invoke(runner, "--data", missing, "sparql", "ASK { ?s ?p ?o }", "--format", "csv")
    assert result.exit_code == 2
    assert "An ASK query gives true or false; --format csv cannot carry it" in result.output
    assert "missing.ttl" not in result.output


@pytest.mark.parametrize("width", ["60", "80"])
def test_the_query_list_keeps_the_names_people_type_whole(width: str) -> None:
    from caregraph.queries import load_catalogue

    result = CliRunner(env={"COLUMNS": width}).invoke(cli, ["queries"], catch_exceptions=False)
    assert result.exit_code == 0
    first_cells = [line.split("│")[1].strip() for line in result.output.splitlines() if "│" in line]
    assert {q.id for q in load_catalogue()} <= set(first_cells)


@pytest.mark.parametrize(
    ("query", "param", "said"),
    [
        ("responsibilities", "status=finished",
         "nothing in the graph is called 'finished'. It takes one of: done; erledigt; geplant;"),
        ("responsibilities", "status=Sozialamt",
         "'Sozialamt' names https://w3id.org/caregraph/dresden/sozialamt, which is not in "
         "cgv:StatusScheme, so the query would find nothing. It takes one of: done;"),
        ("provenance", "slide=fünf",
         "must be a xsd:integer (a whole number, e.g. 5); 'fünf' is not."),
    ],
)  # fmt: skip
def test_a_wrong_parameter_value_is_explained(
    runner: CliRunner, query: str, param: str, said: str
) -> None:
    result = runner.invoke(cli, ["--lang", "en", "query", query, "-p", param])
    assert result.exit_code == 2
    assert said in result.output


@pytest.mark.parametrize(
    ("query", "param", "said"),
    [
        ("responsibilities", "status=finished",
         "Error: Parameter „status“ der Abfrage „responsibilities“: Nichts im Graphen heißt "
         "„finished“. Möglich sind: done; erledigt;"),
        ("responsibilities", "status=Sozialamt",
         "„Sozialamt“ benennt https://w3id.org/caregraph/dresden/sozialamt, das nicht in "
         "cgv:StatusScheme ist; die Abfrage fände nichts."),
        ("provenance", "slide=fünf",
         "muss ein xsd:integer sein (eine ganze Zahl, z. B. 5); „fünf“ ist es nicht."),
        ("actors_in_district", "district=Prohlitz",
         "Nichts im Graphen heißt „Prohlitz“. Am ähnlichsten: Prohlis;"),
    ],
)  # fmt: skip
def test_a_wrong_parameter_value_is_explained_in_german_by_default(
    runner: CliRunner, query: str, param: str, said: str
) -> None:
    """The parameter messages follow --lang, German by default, as the answers do."""
    result = runner.invoke(cli, ["query", query, "-p", param])
    assert result.exit_code == 2
    assert said in result.output


@pytest.mark.parametrize(
    ("query", "param"),
    [("uncertain_facts", "certainty=unbestätigt"), ("districts_per_actor", "actor=FASA")],
)
def test_the_names_people_use_find_the_resource(runner: CliRunner, query: str, param: str) -> None:
    """The words the query texts use (unbestätigt) and an abbreviation the sources use
    (FASA) are names of their resources (skos:altLabel)."""
    result = runner.invoke(cli, ["query", query, "-p", param, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)
