"""The persistent store: built beside the old one and swapped in, manifest with hashes,
stale-file warnings, refresh, and --store / CAREGRAPH_STORE for every command that reads."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import oxigraph_program

from caregraph.cli import cli
from caregraph.errors import InputError, UsageError
from caregraph.loading import find_data_files, load_graph, load_ontology
from caregraph.persist import (
    CURRENT,
    MANIFEST,
    load_store,
    open_persistent,
    open_store,
    read_manifest,
    staleness,
)
from caregraph.queries import load_catalogue, run_stored
from caregraph.resources import data_dir
from caregraph.store import OxigraphStore

DATA = Path(__file__).parent / "data"
NEW_ACTOR = """
@prefix cg: <https://w3id.org/caregraph/ontology#> .
@prefix dd: <https://w3id.org/caregraph/dresden/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
dd:new-initiative a cg:Initiative ; rdfs:label "Neue Initiative"@de .
"""
PARAMS = {"actor_profile": {"actor": "Sozialamt"}}


def invoke(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env)


def test_every_stored_query_gives_the_same_rows_as_the_files(dresden_store: Path) -> None:
    files = open_store()
    stored = open_store(store_dir=dresden_store)
    assert len(stored) == len(files) == len(load_graph()) + len(load_ontology())
    answered = 0
    for query in load_catalogue():
        params = PARAMS.get(query.id, {})
        want = run_stored(query, files, params)
        got = run_stored(query, stored, params)
        assert got.columns == want.columns, query.id
        assert sorted(map(repr, got.rows)) == sorted(map(repr, want.rows)), query.id
        answered += bool(want.rows)
    assert answered >= len(load_catalogue()) - 2  # nearly every query finds something


def test_manifest_records_files_and_content_hashes(dresden_store: Path) -> None:
    manifest = read_manifest(dresden_store)
    recorded = {Path(f.path): f.sha256 for f in manifest.files}
    assert set(recorded) == {p.resolve() for p in data_dir().glob("*.ttl")}
    for path, digest in recorded.items():
        assert digest == hashlib.sha256(path.read_bytes()).hexdigest()
    assert manifest.ontology is not None and manifest.ontology.path.endswith("caregraph.ttl")
    assert manifest.data_triples == len(load_graph())
    assert manifest.triples == manifest.data_triples + len(load_ontology())
    assert manifest.sources == [str(data_dir().resolve())]
    assert (dresden_store / CURRENT).is_symlink()
    assert json.loads((dresden_store / CURRENT / MANIFEST).read_text())["data_triples"] > 0


def test_data_only_view_leaves_the_ontology_out(dresden_store: Path) -> None:
    store = open_persistent(dresden_store)
    data = store.data_only()
    assert len(data) == len(load_graph())
    ask = "ASK { <https://w3id.org/caregraph/ontology> ?p ?o }"
    assert store.query(ask) is True
    assert data.query(ask) is False


def test_stale_files_are_found_by_content(own_data: Path, tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    load_store(store_dir, [own_data])
    manifest = read_manifest(store_dir)
    assert not staleness(manifest)
    actors = own_data / "actors.ttl"
    actors.touch()  # a new time, the same content: not a change
    assert not staleness(manifest)
    with actors.open("a", encoding="utf-8") as handle:
        handle.write(NEW_ACTOR)
    (own_data / "areas.ttl").unlink()
    (own_data / "extra.ttl").write_text(NEW_ACTOR, encoding="utf-8")
    stale = staleness(manifest)
    assert stale.changed == [actors.resolve()]
    assert stale.missing == [(own_data / "areas.ttl").resolve()]
    assert stale.added == [(own_data / "extra.ttl").resolve()]
    message = stale.message(store_dir)
    assert "actors.ttl changed" in message and "areas.ttl is gone" in message
    assert "extra.ttl is new" in message
    assert f"caregraph load --store {store_dir}" in message


def test_cli_warns_about_a_changed_file_and_load_refreshes(own_data: Path, tmp_path: Path) -> None:
    store_dir = str(tmp_path / "store")
    result = invoke("load", "--store", store_dir, str(own_data))
    assert result.exit_code == 0, result.output
    files, triples = len(find_data_files([own_data])), len(load_graph([own_data]))
    assert f"Loaded {triples} triples from {files} files" in result.stderr
    assert f"(and {len(load_ontology())} of the ontology)" in result.stderr
    ask = "ASK { <https://w3id.org/caregraph/dresden/new-initiative> ?p ?o }"
    result = invoke("--store", store_dir, "sparql", ask)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "false\n", "")

    with (own_data / "actors.ttl").open("a", encoding="utf-8") as handle:
        handle.write(NEW_ACTOR)
    result = invoke("--store", store_dir, "sparql", ask)
    assert result.exit_code == 0
    assert result.stdout == "false\n"  # the store answers as it was ...
    assert result.stderr.count("Warning:") == 1  # ... and says so once
    assert "actors.ttl changed since it was loaded" in result.stderr

    # load without paths refreshes from the paths the store was built from
    result = invoke("load", "--store", store_dir)
    assert result.exit_code == 0, result.output
    assert f"Loaded {triples + 2} triples from {files} files" in result.stderr  # NEW_ACTOR's two
    result = invoke("--store", store_dir, "sparql", ask)
    assert (result.stdout, result.stderr) == ("true\n", "")


def test_a_failed_load_leaves_the_old_store_intact(own_data: Path, tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    load_store(store_dir, [own_data])
    before = sorted(p.name for p in store_dir.iterdir())
    broken = DATA / "broken" / "unterminated.ttl"
    with pytest.raises(InputError, match=r"unterminated\.ttl"):
        load_store(store_dir, [own_data, broken])
    assert sorted(p.name for p in store_dir.iterdir()) == before
    assert len(open_persistent(store_dir).data_only()) == len(load_graph([own_data]))
    result = invoke("load", "--store", str(store_dir), str(broken))
    assert result.exit_code == 2
    assert "unterminated.ttl, line" in result.stderr and "Traceback" not in result.output


def test_an_interrupted_load_leaves_the_old_store_intact(
    own_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_dir = tmp_path / "store"
    load_store(store_dir, [own_data])
    before = sorted(p.name for p in store_dir.iterdir())
    calls = []

    def interrupted(self: OxigraphStore, path: Path, *, allow_network: bool = False) -> None:
        calls.append(path)
        if len(calls) == 3:
            raise KeyboardInterrupt
        original(self, path, allow_network=allow_network)

    original = OxigraphStore.load
    monkeypatch.setattr(OxigraphStore, "load", interrupted)
    with pytest.raises(KeyboardInterrupt):
        load_store(store_dir, [own_data, DATA / "tiny.ttl"])
    monkeypatch.undo()
    assert sorted(p.name for p in store_dir.iterdir()) == before
    assert len(open_persistent(store_dir).data_only()) == len(load_graph([own_data]))


def test_an_open_reader_keeps_its_store_while_a_load_swaps(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    load_store(store_dir, [DATA / "tiny.ttl"], ontology=False)
    reader = open_persistent(store_dir)
    load_store(store_dir, [DATA / "tiny.ttl", DATA / "export" / "blank-nodes.ttl"])
    assert len(reader) == len(load_graph([DATA / "tiny.ttl"]))  # still the old generation
    fresh = open_persistent(store_dir)
    assert len(fresh.data_only()) > len(reader)
    # the current generation and the one before are kept, older ones removed
    load_store(store_dir, [DATA / "tiny.ttl"])
    assert len([p for p in store_dir.iterdir() if p.name.startswith("gen-")]) == 2


def test_store_folder_must_be_a_store(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(UsageError, match="not a caregraph store"):
        load_store(tmp_path, [DATA / "tiny.ttl"])
    assert (tmp_path / "notes.txt").read_text() == "mine"
    with pytest.raises(InputError, match="no caregraph store here"):
        open_persistent(tmp_path / "missing")
    result = invoke("--store", str(tmp_path / "missing"), "query", "timeline")
    assert result.exit_code == 2
    assert "caregraph load --store" in result.stderr


def test_a_second_load_at_the_same_time_is_refused(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    store_dir.mkdir()
    with (store_dir / ".lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(UsageError, match="another `caregraph load`"):
            load_store(store_dir, [DATA / "tiny.ttl"])


def test_environment_variable_names_the_store(dresden_store: Path) -> None:
    env = {"CAREGRAPH_STORE": str(dresden_store)}
    ontology = len(load_ontology())  # info counts the data and the ontology
    result = invoke("info", "--format", "json", env=env)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["triples"] == len(load_graph()) + ontology
    # --data given explicitly wins over the variable
    result = invoke("--data", str(DATA / "tiny.ttl"), "info", "--format", "json", env=env)
    tiny = len(load_graph([DATA / "tiny.ttl"]))
    assert json.loads(result.stdout)["triples"] == tiny + ontology
    # ... but not over --store on the command line
    result = invoke("--store", str(dresden_store), "--data", str(DATA / "tiny.ttl"), "info")
    assert result.exit_code == 2
    assert "only one of --store, --data and --endpoint" in result.stderr


def test_every_reading_command_reads_the_store(dresden_store: Path, tmp_path: Path) -> None:
    # a store of other data shows that the store, not the bundled files, was read
    tiny_store = tmp_path / "tiny"
    load_store(tiny_store, [DATA / "tiny.ttl"])
    store = ["--store", str(tiny_store)]
    result = invoke(
        *store, "query", "actors_in_district", "-p", "district=Leuben", "--format", "csv"
    )
    assert result.exit_code == 0, result.output
    assert "nachbarschaftshilfe" in result.stdout and "sozialamt" not in result.stdout
    active = (
        "SELECT (COUNT(*) AS ?n) WHERE { ?s <https://w3id.org/caregraph/ontology#activeIn> ?o }"
    )
    result = invoke(*store, "sparql", active, "--format", "csv")
    assert result.stdout.splitlines()[1] == "3"
    result = invoke(*store, "info", "--format", "json")  # the data and the ontology
    info = json.loads(result.stdout)
    assert info["triples"] == len(load_graph([DATA / "tiny.ttl"])) + len(load_ontology())
    assert info["ontology"] is True
    result = invoke(*store, "export", "--format", "nt")
    assert len(result.stdout.splitlines()) == len(load_graph([DATA / "tiny.ttl"]))
    result = invoke(*store, "validate", "--no-reasoner", "--format", "json")
    assert "tiny.ttl" in result.stdout
    # completion of parameter values reads the store too
    words = ["--store", str(tiny_store), "query", "actors_in_district", "-p", "district=Leu"]
    done = subprocess.run(
        [sys.executable, "-c", "from caregraph.cli import main; main()"],
        env={**os.environ, "_CAREGRAPH_COMPLETE": "bash_complete",
             "COMP_WORDS": " ".join(("caregraph", *words)), "COMP_CWORD": str(len(words))},
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.stdout.split() == ["plain,district=Leuben"]


@pytest.mark.reasoner
def test_consistency_reads_the_stores_files(dresden_store: Path) -> None:
    result = invoke("--store", str(dresden_store), "consistency")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Consistent")


def test_oxigraphs_own_command_line_reads_the_store(dresden_store: Path) -> None:
    done = subprocess.run(
        [oxigraph_program(), "query", "--location", str(dresden_store / CURRENT),
         "--union-default-graph", "--results-format", "csv",
         "--query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[1] == str(len(load_graph()) + len(load_ontology()))


def test_load_and_query_as_real_commands(tmp_path: Path) -> None:
    store_dir = str(tmp_path / "store")
    caregraph = [sys.executable, "-m", "caregraph"]
    done = subprocess.run(
        [*caregraph, "load", "--store", store_dir], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    query = ["query", "goals_without_measures", "--format", "csv"]
    from_store = subprocess.run(
        [*caregraph, "--store", store_dir, *query], capture_output=True, text=True
    )
    from_files = subprocess.run([*caregraph, *query], capture_output=True, text=True)
    assert from_store.returncode == 0, from_store.stderr
    assert from_store.stdout == from_files.stdout
    # the header and the goals of the query's reviewed example (three since the data review)
    (query_def,) = [q for q in load_catalogue() if q.id == "goals_without_measures"]
    (example,) = query_def.examples
    assert example.rows is not None and len(example.rows) == 3
    assert from_store.stdout.count("\n") == 1 + len(example.rows)
