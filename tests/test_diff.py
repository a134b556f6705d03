"""The semantic diff: per resource, by label, blank nodes by isomorphism, git revisions."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import rdflib

from caregraph.diff import ADDED, REMOVED, diff_graphs, load_side, render_diff
from caregraph.errors import InputError
from caregraph.resources import data_dir

PREFIXES = """
@prefix cg: <https://w3id.org/caregraph/ontology#> .
@prefix cgv: <https://w3id.org/caregraph/vocab/> .
@prefix dd: <https://w3id.org/caregraph/dresden/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""
OLD = (
    PREFIXES
    + """
dd:task-x a cg:Task ; rdfs:label "Aufgabe X"@de , "Task X"@en ; cg:status cgv:status-planned .
dd:sozialamt a cg:AdministrativeUnit ; rdfs:label "Sozialamt"@de , "Social Welfare Office"@en .
dd:old a cg:Goal ; rdfs:label "Altes Ziel"@de , "Old goal"@en .
"""
)
NEW = (
    PREFIXES
    + """
dd:task-x a cg:Task ; rdfs:label "Aufgabe X"@de , "Task X"@en ; cg:status cgv:status-done ;
    cg:hasResponsibility dd:resp-x .
dd:resp-x a cg:Responsibility ; rdfs:label "Zuständigkeit X"@de , "Responsibility X"@en ;
    cg:responsibleActor dd:sozialamt ; cg:responsibilityRole cgv:role-lead .
dd:sozialamt a cg:AdministrativeUnit ; rdfs:label "Sozialamt"@de , "Social Welfare Office"@en .
"""
)


def graph(text: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=text, format="turtle")


def test_text_reads_per_resource_in_german() -> None:
    text = render_diff(diff_graphs(graph(OLD), graph(NEW)), "text", "de")
    lines = text.splitlines()
    assert lines[0] == (
        "Aufgabe Aufgabe X: neu: hat Zuständigkeit Sozialamt (federführend); "
        "Status geplant → erledigt"
    )
    assert "Zuständigkeit Sozialamt (federführend) (neu): " in lines[1]
    assert lines[2].startswith("Ziel Altes Ziel (entfernt): ")
    assert lines[-1] == "1 neu, 1 geändert, 1 entfernt."


def test_text_in_english_and_markdown() -> None:
    diff = diff_graphs(graph(OLD), graph(NEW))
    assert render_diff(diff, "text", "en").splitlines()[0] == (
        "Task Task X: new: has responsibility Social Welfare Office (lead); status planned → done"
    )
    markdown = render_diff(diff, "markdown", "en")
    assert markdown.splitlines()[0].startswith("- **Task Task X**: ")


def test_json_lists_values_and_labels() -> None:
    document = json.loads(render_diff(diff_graphs(graph(OLD), graph(NEW)), "json", "en"))
    assert document["equal"] is False
    task = next(r for r in document["resources"] if r["resource"].endswith("task-x"))
    status = next(c for c in task["changes"] if c["property"].endswith("#status"))
    assert status["removed"] == ["https://w3id.org/caregraph/vocab/status-planned"]
    assert status["added_labels"] == ["done"] and task["status"] == "changed"


def test_ttl_gives_added_and_removed_as_two_graphs() -> None:
    text = render_diff(diff_graphs(graph(OLD), graph(NEW)), "ttl")
    dataset = rdflib.Dataset()
    dataset.parse(data=text, format="trig")
    added, removed = dataset.graph(ADDED), dataset.graph(REMOVED)
    done = rdflib.URIRef("https://w3id.org/caregraph/vocab/status-done")
    assert (None, None, done) in added and (None, None, done) not in removed
    assert len(removed) == 4  # the old status, and the old goal's type and two labels


def test_blank_nodes_are_compared_by_isomorphism() -> None:
    one = (
        PREFIXES
        + "dd:m a cg:Measure ; cg:hasResponsibility [ cg:responsibleActor dd:a ; cg:responsibilityRole cgv:role-lead ] ."
    )
    two = (
        PREFIXES
        + "dd:m a cg:Measure ; cg:hasResponsibility [ cg:responsibilityRole cgv:role-lead ; cg:responsibleActor dd:a ] ."
    )
    assert diff_graphs(graph(one), graph(two)).empty
    three = two.replace("role-lead", "role-informed")
    diff = diff_graphs(graph(one), graph(three))
    assert [str(r.resource) for r in diff.resources] == ["https://w3id.org/caregraph/dresden/m"]
    assert render_diff(diff, "text", "en").splitlines()[0] == (
        "Measure dd:m: has responsibility [responsibility role lead; responsible actor dd:a] → "
        "[responsibility role informed; responsible actor dd:a]"
    )


def test_no_difference_and_the_bundled_graph_against_itself() -> None:
    bundled = load_side(str(data_dir()))
    diff = diff_graphs(bundled, load_side(str(data_dir())))
    assert diff.empty and render_diff(diff, "text", "en") == "No differences.\n"


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_git_revisions_of_a_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    (repo / "data").mkdir(parents=True)
    (repo / "data" / "g.ttl").write_text(OLD, encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "one")
    (repo / "data" / "g.ttl").write_text(NEW, encoding="utf-8")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qam", "two")
    monkeypatch.chdir(repo / "data")  # paths in a revision are relative to the working folder
    diff = diff_graphs(load_side("HEAD~1:."), load_side("HEAD:."))
    assert {r.status for r in diff.resources} == {"new", "changed", "removed"}
    assert diff_graphs(load_side("HEAD:."), load_side(".")).empty
    with pytest.raises(InputError, match="HEAD~7"):
        load_side("HEAD~7:.")


def test_a_missing_side_is_an_input_error() -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        load_side("does/not/exist.ttl")


def test_ttl_prefixes_mean_the_same_in_both_graphs() -> None:
    old = graph("<http://a.example/x> <http://a.example/p> 1 .")
    new = graph("<http://b.example/x> <http://b.example/p> 1 .")
    dataset = rdflib.Dataset()
    dataset.parse(data=render_diff(diff_graphs(old, new), "ttl"), format="trig")
    assert set(dataset.graph(ADDED)) == set(new)
    assert set(dataset.graph(REMOVED)) == set(old)
