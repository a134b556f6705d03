"""validate(): the shipped graph passes every layer, broken data is reported with file and line."""

from __future__ import annotations

import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner

from caregraph.cli import cli
from caregraph.datafiles import find_data_files
from caregraph.errors import InputError, UsageError
from caregraph.namespaces import CG, DD
from caregraph.resources import data_dir
from caregraph.validation import validate
from caregraph.validation.findings import ValidationReport, at_or_above
from caregraph.validation.rules import checks_dir

DATA = Path(__file__).parent / "data"
INVALID = DATA / "invalid" / "measure-without-status.ttl"
FAST = ["--no-reasoner"]


@cache
def shipped() -> ValidationReport:
    return validate(layers=("syntax", "vocabulary", "shapes", "rules"))


@cache
def invalid(lang: str) -> ValidationReport:
    return validate([INVALID], lang=lang, layers=("syntax", "vocabulary", "shapes", "rules"))


def test_shipped_graph_has_no_errors_or_warnings_from_vocabulary_and_rules() -> None:
    report = shipped()
    assert [f for f in report.findings if f.severity == "error"] == []
    assert report.conforms
    assert report.files == find_data_files(None)
    assert len(report.files) == len(list(data_dir().rglob("*.ttl"))) >= 6
    assert report.layers == ["syntax", "vocabulary", "shapes", "rules"]
    assert report.checks == sorted(p.stem for p in checks_dir().glob("*.rq"))
    assert not [f for f in report.findings if f.layer in ("vocabulary", "rules")]


def test_shipped_findings_point_into_the_data_files() -> None:
    for finding in shipped().findings:
        assert finding.file is not None and finding.file.parent.name == "data"
        assert finding.line


def test_violations_name_focus_path_message_line_and_hint() -> None:
    report = invalid("en")
    assert not report.conforms
    errors = {(f.focus, f.path) for f in report.findings if f.severity == "error"}
    assert (str(DD["measure-orphan"]), str(CG.status)) in errors
    assert (str(DD["measure-orphan"]), str(CG.startDate)) in errors
    finding = next(f for f in report.findings if f.path == str(CG.startDate))
    assert finding.focus_label == "Orphan measure"
    assert (finding.file, finding.line, finding.column) == (INVALID, 15, 5)
    assert finding.value == "next spring"
    assert finding.hint == "Write the value of cg:startDate as a literal of type xsd:date."


def test_messages_and_hints_come_in_german_too() -> None:
    english = {(f.message, f.hint) for f in invalid("en").findings}
    german = {(f.message, f.hint) for f in invalid("de").findings}
    assert english.isdisjoint(german)
    assert any(f.focus_label == "Verwaiste Maßnahme" for f in invalid("de").findings)


def test_blank_node_focus_is_described_through_its_parent() -> None:
    path = DATA / "invalid" / "shape-blank-node-responsibility.ttl"
    report = validate([path], layers=("syntax", "shapes"))
    role = next(f for f in report.findings if f.path == str(CG.responsibilityRole))
    assert role.focus == str(DD["measure-x"])
    assert role.focus_label == "Measure, its cg:hasResponsibility (a blank node)"
    assert role.line == 21  # the line where the measure's cg:hasResponsibility stands


def test_all_bad_files_are_reported_not_just_the_first(tmp_path: Path) -> None:
    for name in ("syntax-missing-dot.ttl", "syntax-trailing-comma.jsonld", "syntax-no-dot.nt"):
        (tmp_path / name).write_bytes((DATA / "invalid" / name).read_bytes())
    report = validate([tmp_path])
    assert report.unreadable
    assert report.layers == ["syntax"]
    assert [(f.file.name if f.file else "", f.line) for f in report.findings] == [
        ("syntax-missing-dot.ttl", 16),
        ("syntax-no-dot.nt", 2),
        ("syntax-trailing-comma.jsonld", 5),
    ]
    assert report.exit_code("none") == 2


def test_missing_path_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        validate([tmp_path / "missing.ttl"])


def test_unknown_layer_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="Unknown validation layer"):
        validate(layers=("shapez",))


def test_fail_on_thresholds() -> None:
    assert at_or_above("error", "warning") and not at_or_above("info", "warning")
    assert not at_or_above("error", "none")
    report = shipped()
    assert report.exit_code("error") == 0
    assert report.exit_code("warning") == 1  # the shipped graph has one warning
    assert report.exit_code("none") == 0


def test_cli_text_report_exact(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    # From the tests folder, the file is named as the user gave it, relative to there.
    monkeypatch.chdir(DATA.parent)
    given = INVALID.relative_to(DATA.parent).as_posix()
    result = runner.invoke(cli, ["--lang", "en", "validate", *FAST, given])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "data/invalid/measure-without-status.ttl"
    assert (
        "  13:1     ERROR   [shapes] Orphan measure <https://w3id.org/caregraph/dresden/measure-orphan>"
        in lines
    )
    assert "           path: <https://w3id.org/caregraph/ontology#status>" in lines
    assert "           hint: Add cg:status to this resource (at least 1)." in lines
    assert lines[-1] == "1 file checked: 2 errors, 1 warning, 1 info. Not valid."


def test_cli_fail_on(runner: CliRunner) -> None:
    ok = runner.invoke(cli, ["validate", *FAST, "--fail-on", "none", str(INVALID)])
    assert ok.exit_code == 0
    warn = runner.invoke(cli, ["validate", *FAST, "--skip", "shapes", str(INVALID)])
    assert warn.exit_code == 0
    # German unless the locale asks for English, as the messages
    assert warn.output.endswith("1 Datei geprüft: 0 Fehler, 0 Warnungen, 0 Infos. Gültig.\n")
    english = runner.invoke(
        cli, ["--lang", "en", "validate", *FAST, "--skip", "shapes", str(INVALID)]
    )
    assert english.output.endswith("1 file checked: 0 errors, 0 warnings, 0 infos. Valid.\n")


def test_cli_syntax_errors_are_exit_2_one_paragraph_each(runner: CliRunner, tmp_path: Path) -> None:
    for name in ("syntax-missing-dot.ttl", "syntax-unclosed-graph.trig"):
        (tmp_path / name).write_bytes((DATA / "invalid" / name).read_bytes())
    result = runner.invoke(cli, ["validate", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output == (
        f"Error: {tmp_path / 'syntax-missing-dot.ttl'}, line 16, column 1: cannot parse this "
        "Turtle file: expected '.' or '}' or ']' at end of statement. Fix the syntax at that "
        "place or just before it (a missing ';', ',' or '.' at the end of the line before shows "
        "only on the next line), or leave the file out, and run again.\n"
        f"Error: {tmp_path / 'syntax-unclosed-graph.trig'}, line 4, column 27: cannot parse this "
        "TriG file: needed '}', found end. Fix the syntax at that place or just before it (a "
        "missing ';', ',' or '.' at the end of the line before shows only on the next line), or "
        "leave the file out, and run again.\n"
    )


def test_cli_writes_report_file_atomically(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    result = runner.invoke(
        cli, ["validate", *FAST, "--format", "json", "-o", str(target), str(INVALID)]
    )
    assert result.exit_code == 1
    assert result.output == ""
    assert target.read_text(encoding="utf-8").startswith("{")
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


@pytest.mark.reasoner
def test_real_subprocess_on_shipped_graph_all_layers() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "caregraph", "--lang", "en", "validate", "--format", "github"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith("Valid.")
    assert "::warning file=" in result.stdout
    assert "Traceback" not in result.stderr


def test_real_subprocess_broken_file_exit_2() -> None:
    bad = DATA / "invalid" / "syntax-unterminated-string.ttl"
    result = subprocess.run(
        [sys.executable, "-m", "caregraph", "validate", str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(
        f"Error: {bad}, line 14, column 27: cannot parse this Turtle file"
    )
    assert "Traceback" not in result.stderr


def test_pre_commit_hooks_and_ci_example_are_valid() -> None:
    import shlex

    import yaml

    root = Path(__file__).parent.parent
    hooks = yaml.safe_load((root / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {h["id"] for h in hooks} == {"caregraph-syntax", "caregraph-validate"}
    for hook in hooks:
        assert hook["language"] == "python"
        args = shlex.split(hook["entry"])
        assert args[:2] == ["caregraph", "validate"]
        result = CliRunner().invoke(cli, [*args[1:], str(DATA / "tiny.ttl")])
        assert result.exit_code in (0, 1), result.output
    workflow = yaml.safe_load((root / "docs" / "ci-example.yml").read_text(encoding="utf-8"))
    assert "validate" in workflow["jobs"]


def test_a_new_file_is_checked_against_the_bundled_graph_as_context() -> None:
    from caregraph import resources

    new = Path(__file__).parent / "data" / "context" / "new-initiative-typo.ttl"
    alone = validate([new], layers=("syntax", "vocabulary", "shapes"))
    with_context = validate(
        [new], layers=("syntax", "vocabulary", "shapes"), context=[resources.data_dir()]
    )
    # Alone, the resources it refers to (dd:prohlis, dd:domain-notes) look unlabelled and unsourced.
    assert len([f for f in alone.findings if f.severity == "error"]) > 1
    errors = [f for f in with_context.findings if f.severity == "error"]
    assert [(f.rule, f.line) for f in errors] == [("vocabulary/unknown-term", 9)]
    assert all(f.file == new for f in with_context.findings)
    assert with_context.files == [new]


def test_huge_labels_are_cut_in_findings() -> None:
    from caregraph.validation.findings import MAX_TEXT, Finding

    finding = Finding("error", "urn:x", "L" * 10_000, None, "v" * 10_000, "m", "s")
    assert finding.focus_label is not None and len(finding.focus_label) < MAX_TEXT + 40
    assert finding.focus_label.endswith("… (10000 characters)")
    assert finding.value is not None and finding.value.startswith("v" * MAX_TEXT)


def test_an_unsupported_language_is_a_clear_usage_error_not_a_key_error() -> None:
    with pytest.raises(UsageError, match=r"no messages in the language 'fr'; use one of: de, en"):
        validate([DATA / "tiny.ttl"], lang="fr", layers=("syntax", "vocabulary", "rules"))


def test_an_unparseable_file_does_not_hide_the_others_findings(tmp_path: Path) -> None:
    good = ("shape-slide-not-positive.ttl", "vocab-typo-class.ttl", "rule-end-before-start.ttl")
    for name in (*good, "syntax-missing-dot.ttl"):
        (tmp_path / name).write_bytes((DATA / "invalid" / name).read_bytes())
    layers = ("syntax", "vocabulary", "shapes", "rules")
    report = validate([tmp_path], layers=layers)
    assert report.layers == list(layers)
    assert report.unreadable and report.exit_code() == 2
    broken = [f for f in report.findings if f.layer == "syntax"]
    assert [(f.file.name, f.line) for f in broken if f.file] == [("syntax-missing-dot.ttl", 16)]
    # every other file gets the findings it gets alone, from every layer
    together = {(f.layer, f.rule, f.focus, f.path, f.message) for f in report.findings}
    for name in good:
        alone = validate([tmp_path / name], layers=layers).findings
        assert alone
        assert {(f.layer, f.rule, f.focus, f.path, f.message) for f in alone} <= together
    assert {f.layer for f in report.findings} == {"syntax", "vocabulary", "shapes", "rules"}


def test_cli_reports_the_parsed_files_beside_the_syntax_errors(tmp_path: Path) -> None:
    for name in ("shape-no-source.ttl", "syntax-missing-dot.ttl"):
        (tmp_path / name).write_bytes((DATA / "invalid" / name).read_bytes())
    done = subprocess.run(
        [sys.executable, "-m", "caregraph", "--lang", "en", "validate", "--no-reasoner",
         str(tmp_path)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.startswith(f"Error: {tmp_path / 'syntax-missing-dot.ttl'}, line 16")
    assert "shape-no-source.ttl" in done.stdout
    assert "[shapes]" in done.stdout
    assert done.stdout.rstrip().endswith("Not valid.")


def test_large_files_take_the_streaming_path_with_the_same_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file over QUICK_INDEX_BYTES is checked by Oxigraph's parser and indexed on demand,
    never held in rdflib: the findings (every layer but HermiT, places included) are those
    of the full path."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
    from planted import plant
    from run import generate

    from caregraph.validation import syntax

    generate(tmp_path / "graph.ttl", 30_000)
    with (tmp_path / "graph.ttl").open("a", encoding="utf-8") as graph:
        graph.write('dd:b-measure-3 cg:dueDate "13.07.2021"^^xsd:date .\n')
    plant(tmp_path / "planted.ttl", copies=1)
    (tmp_path / "typo.ttl").write_bytes((DATA / "invalid" / "vocab-typo-property.ttl").read_bytes())
    assert (tmp_path / "graph.ttl").stat().st_size > syntax.QUICK_INDEX_BYTES
    layers = ("syntax", "vocabulary", "shapes", "rules")
    streamed = validate([tmp_path], layers=layers)
    monkeypatch.setattr(syntax, "QUICK_INDEX_BYTES", 10**12)
    full = validate([tmp_path], layers=layers)
    assert streamed.findings == full.findings
    assert {f.layer for f in streamed.findings} == set(layers)
    in_graph = [f for f in streamed.findings if f.file == tmp_path / "graph.ttl"]
    assert in_graph and all(f.line for f in in_graph)
    assert any(f.rule == "syntax/ill-typed" for f in in_graph)


def test_a_broken_large_file_is_reported_by_the_usual_parser(tmp_path: Path) -> None:
    from caregraph.validation import syntax

    big = tmp_path / "big.ttl"
    text = (DATA / "invalid" / "syntax-missing-dot.ttl").read_text(encoding="utf-8")
    padding = "# padding\n" * (syntax.QUICK_INDEX_BYTES // 10 + 1)
    big.write_text(padding + text, encoding="utf-8")
    report = validate([big], layers=("syntax",))
    [finding] = report.findings
    assert finding.rule == "syntax/parse" and finding.line == 16 + padding.count("\n")
    assert "expected '.'" in finding.message


ONTOLOGY_CASES = [
    *sorted((DATA / "ontology").glob("*.ttl")),
    DATA / "invalid" / "actor-is-measure.ttl",
    DATA / "invalid" / "ontology-range-clash.ttl",
    DATA / "invalid" / "shape-status-on-actor.ttl",
]


@pytest.mark.parametrize("path", ONTOLOGY_CASES, ids=lambda p: p.name)
def test_the_ontology_layer_reads_the_shared_store_with_the_same_findings(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ontology layer's rules read the store the run loaded once; they find what they
    found reading the files into a store of their own."""
    from caregraph.validation import ontology, pipeline

    layers = ("syntax", "shapes", "ontology")
    real_file_store = ontology.file_store

    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("the ontology layer read the files a second time")

    monkeypatch.setattr(ontology, "file_store", refuse)
    shared = validate([path], layers=layers, reasoner="rules")
    monkeypatch.setattr(ontology, "file_store", real_file_store)
    monkeypatch.setattr(pipeline, "_loaded", lambda shared: None)  # no shared store
    own = validate([path], layers=layers, reasoner="rules")
    assert [f for f in shared.findings if f.layer == "ontology"] == [
        f for f in own.findings if f.layer == "ontology"
    ]
    assert shared.findings == own.findings


def test_the_ontology_layer_finds_contradictions_in_the_shared_store() -> None:
    report = validate(
        [DATA / "invalid" / "actor-is-measure.ttl"], layers=("syntax", "ontology"), reasoner="rules"
    )
    [finding] = report.findings
    assert (finding.rule, finding.line) == ("ontology/disjoint-classes", 6)


def test_repaired_iris_keep_the_ontology_layer_on_the_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the shared store holds IRIs repaired for the SHACL engine, the ontology layer
    reads the files itself, so its findings name the IRIs of the data."""
    from caregraph.validation import ontology

    path = tmp_path / "data.ttl"
    path.write_text(
        f"@prefix cg: <{CG}> .\n"
        "<https://w3id.org/caregraph/dresden/with space> a cg:Organisation, cg:Measure .\n",
        encoding="utf-8",
    )
    read: list[object] = []
    real_file_store = ontology.file_store

    def counted(*args: object, **kwargs: object) -> object:
        read.append(args)
        return real_file_store(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ontology, "file_store", counted)
    report = validate([path], layers=("syntax", "shapes", "ontology"), reasoner="rules")
    assert len(read) == 1
    [clash] = [f for f in report.findings if f.rule == "ontology/disjoint-classes"]
    assert clash.focus == "https://w3id.org/caregraph/dresden/with space"


def test_a_new_file_about_bundled_resources_is_pointed_to_with_bundled(tmp_path: Path) -> None:
    """A file that refers to the bundled graph's resources, checked alone, gets their missing
    labels and sources; the command says once that --with-bundled checks it against them."""
    new = tmp_path / "neu.ttl"
    new.write_text(
        f"@prefix cg: <{CG}> .\n@prefix dd: <{DD}> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        'dd:treff a cg:Initiative ; rdfs:label "Treff"@de , "Meeting place"@en ;\n'
        "    cg:activeIn dd:prohlis .\n"
        "dd:prohlis a cg:UrbanDistrict .\n",
        encoding="utf-8",
    )
    alone = CliRunner().invoke(cli, ["--lang", "en", "validate", *FAST, str(new)])
    assert alone.exit_code == 1
    assert alone.stderr == (
        "Note: errors or warnings are about 1 resource that the bundled Dresden graph defines "
        "and these files do not (dd:prohlis); to check new files against that graph, add "
        "--with-bundled.\n"
    )
    german = CliRunner().invoke(cli, ["--lang", "de", "validate", *FAST, str(new)])
    assert german.stderr.startswith("Hinweis: Fehler oder Warnungen betreffen 1 Ressource,")
    together = CliRunner().invoke(cli, ["validate", *FAST, "--with-bundled", str(new)])
    assert "--with-bundled" not in together.stderr
    assert "dd:prohlis" not in together.output


def test_a_hint_names_a_path_of_several_properties_by_its_shape_name() -> None:
    """A measure without responsibilities on itself or its tasks (a path of alternatives):
    the hint says what to add by the shape's name, in the report's language."""
    path = DATA / "invalid" / "actor-is-measure.ttl"
    for lang, hint in (
        ("de", "Ergänze Zuständigkeiten der Maßnahme und ihrer Aufgaben an dieser Ressource"),
        ("en", "Add responsibilities of the measure and its tasks to this resource"),
    ):
        report = validate([path], lang=lang, layers=("syntax", "shapes"))
        [warning] = [f for f in report.findings if f.severity == "warning"]
        assert warning.hint.startswith(hint)


def test_a_copy_of_the_bundled_graph_gets_no_note_to_use_it(tmp_path: Path) -> None:
    """The files define the resources themselves: --with-bundled would only merge the old
    copy in, so nothing is suggested."""
    import shutil

    copy = tmp_path / "data"
    shutil.copytree(data_dir(), copy)
    measures = copy / "measures.ttl"
    text = measures.read_text(encoding="utf-8")
    measures.write_text(text.replace("cg:servesGoal", "cg:servesGoall", 1), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", *FAST, str(copy)])
    assert result.exit_code == 1
    assert "--with-bundled" not in result.stderr
