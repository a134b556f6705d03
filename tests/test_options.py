"""The shared CLI options: given before or after the command, with one meaning each."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from caregraph.cli import cli

DATA = Path(__file__).parent / "data"
TINY = ["--data", str(DATA / "tiny.ttl")]


def titles(runner: CliRunner, *args: str) -> list[str]:
    result = runner.invoke(cli, [*args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return [q["title"] for q in json.loads(result.output)]


def test_lang_after_the_command_is_the_same_as_before_it(runner: CliRunner) -> None:
    english = titles(runner, "--lang", "en", "queries", "--format", "json")
    assert titles(runner, "queries", "--format", "json", "--lang", "en") == english
    german = titles(runner, "--lang", "de", "queries", "--format", "json")
    assert german != english
    # the option nearest the command wins
    assert titles(runner, "--lang", "de", "queries", "--format", "json", "--lang", "en") == english


SERVICE = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"


@pytest.mark.parametrize("where", ["before", "after"])
def test_allow_network_lets_service_through_before_or_after_the_command(
    runner: CliRunner, where: str
) -> None:
    refused = runner.invoke(cli, [*TINY, "sparql", SERVICE])
    assert refused.exit_code == 2
    assert "does not reach the network unless --allow-network" in refused.output
    args = (
        ["--allow-network", *TINY, "sparql", SERVICE]
        if where == "before"
        else [*TINY, "sparql", SERVICE, "--allow-network"]
    )
    allowed = runner.invoke(cli, args)
    assert "does not reach the network unless" not in allowed.output  # tried, port 9 is closed


@pytest.mark.parametrize("command", ["validate", "consistency", "reason"])
def test_network_and_imports_are_two_options_with_one_meaning_each(
    runner: CliRunner, command: str
) -> None:
    text = " ".join(runner.invoke(cli, [command, "--help"]).output.split())
    assert "--allow-network Let caregraph reach the network while reading data and running" in text
    assert (
        "--follow-imports Let the OWL reasoner load the ontologies that owl:imports names" in text
    )


@pytest.mark.parametrize("command", ["queries", "query", "sparql", "info", "validate", "reason"])
def test_output_is_declared_once_with_the_same_meaning(runner: CliRunner, command: str) -> None:
    text = " ".join(runner.invoke(cli, [command, "--help"]).output.split())
    pattern = r"-o, --output FILE Write .+? to FILE \(atomically: no half-\s?written file\) instead"
    assert re.search(pattern + r" of the screen\.", text)


@pytest.mark.parametrize(
    ("args", "name", "starts"),
    [
        (["query", "responsibilities"], "rows.csv", "step,step_label,"),
        (["query", "responsibilities"], "rows.json", "["),
        (["query", "responsibilities"], "rows.md", "| "),
        (["query", "responsibilities", "--format", "csv"], "rows.json", "step,step_label,"),
        (["query", "responsibilities"], "rows.xlsx", "┏"),  # no format has it: the table
        (["validate", "--no-reasoner"], "report.sarif", '{\n  "$schema"'),
        (["validate", "--no-reasoner"], "report.xml", "<?xml"),
        (["info"], "figures.json", '{\n  "triples"'),
        (["info"], "figures.txt", " "),
        (["export"], "graph.owl", "<?xml"),
        (["export"], "graph.nt", "<https://"),
        (["queries"], "catalogue.owl", "<?xml"),
        (["sparql", "SELECT ?s WHERE { ?s a cg:Measure } LIMIT 2"], "rows.csv", "s\n"),
        (["sparql", "ASK { ?s a cg:Measure }"], "answer.json", '{"boolean": true}'),
        (["sparql", "CONSTRUCT WHERE { ?s a cg:Measure }"], "graph.nt", "<https://"),
    ],
)
def test_without_format_the_output_files_extension_chooses_it(
    runner: CliRunner, tmp_path: Path, args: list[str], name: str, starts: str
) -> None:
    """-o rows.csv writes CSV, as export already did: the extension names the format,
    unless --format is given; an extension no format has leaves the default."""
    out = tmp_path / name
    result = runner.invoke(cli, [*args, "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith(starts)


def test_export_takes_the_format_names_of_the_other_commands(runner: CliRunner) -> None:
    turtle = runner.invoke(cli, [*TINY, "export", "--format", "turtle"], catch_exceptions=False)
    ttl = runner.invoke(cli, [*TINY, "export", "--format", "ttl"], catch_exceptions=False)
    assert turtle.exit_code == 0 and turtle.stdout == ttl.stdout
    xml = runner.invoke(cli, [*TINY, "export", "--format", "rdfxml"], catch_exceptions=False)
    assert xml.stdout.startswith("<?xml")


def test_graph_files_named_owl_or_xml_are_written_as_rdf_xml() -> None:
    """reason, queries and sparql write RDF/XML where validate reads it (.owl, .rdf, .xml)."""
    from caregraph.formats import GRAPH_FORMATS

    for name in ("inferred.owl", "inferred.xml", "inferred.rdf"):
        assert GRAPH_FORMATS.for_path(name) == "rdfxml"


def test_import_chooses_the_report_format_by_the_report_file(
    runner: CliRunner, tmp_path: Path
) -> None:
    """import writes Turtle to -o and the report to --report: the report's extension counts."""
    report = tmp_path / "report.json"
    sheet = DATA / "sheets" / "akteure-ohne-name.csv"
    result = runner.invoke(cli, ["import", str(sheet), "--report", str(report)])
    assert result.exit_code == 1
    assert json.loads(report.read_text(encoding="utf-8"))["findings"]


def test_diff_writes_trig_for_a_trig_file(runner: CliRunner, tmp_path: Path) -> None:
    old, new, out = tmp_path / "old.ttl", tmp_path / "new.ttl", tmp_path / "changes.trig"
    old.write_text("<https://example.org/a> <https://example.org/p> 1 .\n", encoding="utf-8")
    new.write_text("<https://example.org/a> <https://example.org/p> 2 .\n", encoding="utf-8")
    result = runner.invoke(cli, ["diff", str(old), str(new), "-o", str(out)])
    assert result.exit_code in (0, 1), result.output
    assert "{" in out.read_text(encoding="utf-8")  # named graphs of added and removed triples
