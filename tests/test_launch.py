"""The entry point's quick path: a prepared stored query answered without the full CLI."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from caregraph.cli import cli
from caregraph.launch import QuickCall, parse_quick, run_quick
from caregraph.manifest import current_generation
from caregraph.persist import load_store
from caregraph.prepared import PREPARED_DIR
from caregraph.queries import load_catalogue

STORE = "/tmp/s"
QUERY = ["--store", STORE, "query", "responsibilities", "--format", "sparql-csv"]


@pytest.fixture
def own_store(own_data: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A store of a copy of the bundled data (which a test may change), and that copy."""
    store_dir = tmp_path / "store"
    load_store(store_dir, [own_data])
    return store_dir, own_data


def full(*args: str) -> bytes:
    """What the full command line writes for ``args`` (which must succeed)."""
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def imported(importtime: bytes) -> set[str]:
    """The modules a ``python -X importtime`` run imported."""
    return {line.rsplit("|", 1)[-1].strip() for line in importtime.decode().splitlines()}


def prepared(store_dir: Path) -> list[Path]:
    folder = current_generation(store_dir) / PREPARED_DIR
    return sorted(folder.iterdir()) if folder.is_dir() else []


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (QUERY, QuickCall(STORE, "responsibilities", {}, None, None)),
        (
            ["--store=/tmp/s", "--lang", "en", "query", "responsibilities", "-p", "a=b=c",
             "--param=d= e", "--format=sparql-csv", "-o", "-"],
            QuickCall(STORE, "responsibilities", {"a": "b=c", "d": " e"}, "en", "-"),
        ),
        ([*QUERY, "--lang", "de", "--output", "out.csv"],
         QuickCall(STORE, "responsibilities", {}, "de", "out.csv")),
        # the full path's business: other formats, options, commands, errors, help
        (["--store", STORE, "query", "responsibilities"], None),
        ([*QUERY[:-1], "csv"], None),
        ([*QUERY, "--explain"], None),
        ([*QUERY, "--help"], None),
        ([*QUERY, "--allow-network"], None),
        ([*QUERY, "extra"], None),
        ([*QUERY, "-o"], None),
        ([*QUERY, "-o=out.csv"], None),  # Click reads "=out.csv" as the file name
        ([*QUERY, "-p", "novalue"], None),
        ([*QUERY, "-p", "=x"], None),
        ([*QUERY, "-p", "a=1", "-p", "a=2"], None),
        ([*QUERY, "--lang", "en", "--lang", "de"], None),
        (["--lang", "en", *QUERY, "--lang", "de"], None),
        (["--store", STORE, "--format", "sparql-csv", "query", "responsibilities"], None),
        (["--store", STORE, "-o", "x", "query", "responsibilities", "--format", "sparql-csv"], None),
        (["--data", "x.ttl", *QUERY], None),
        (["--store", STORE, "sparql", "ASK {}", "--format", "sparql-csv"], None),
        (["--store", STORE, "query", "../x", "--format", "sparql-csv"], None),
        (["--store", "", "query", "responsibilities", "--format", "sparql-csv"], None),
        (QUERY[2:], None),  # no store
    ],
)  # fmt: skip
def test_only_the_command_lines_it_can_answer_take_the_quick_path(
    argv: list[str], expected: QuickCall | None
) -> None:
    assert parse_quick(argv, {}) == expected


def test_the_environment_can_name_the_store_or_send_everything_the_full_way() -> None:
    argv = QUERY[2:]
    assert parse_quick(argv, {"CAREGRAPH_STORE": "/x"}) == QuickCall(
        "/x", "responsibilities", {}, None, None
    )
    assert parse_quick(QUERY, {"CAREGRAPH_STORE": "/x"}).store_dir == STORE  # type: ignore[union-attr]
    for variable in ("CAREGRAPH_TIMEOUT", "_CAREGRAPH_COMPLETE"):
        assert parse_quick(QUERY, {variable: "5"}) is None
    assert parse_quick(QUERY, {"CAREGRAPH_QUICK": "0"}) is None
    assert parse_quick(QUERY, {"CAREGRAPH_QUICK": "1"}) is not None


def _cases() -> list[tuple[str, dict[str, str]]]:
    cases = []
    for query in load_catalogue():
        seen = []
        for example in query.examples:
            params = {k: str(v) for k, v in example.params.items()}
            if params not in seen:
                seen.append(params)
                cases.append((query.id, params))
    return cases


def test_every_stored_query_and_example_gives_the_same_bytes_both_ways(
    dresden_store: Path, tmp_path: Path
) -> None:
    cases = _cases()
    assert len(cases) > 40
    for name, params in cases:
        flags = [f for k, v in params.items() for f in ("-p", f"{k}={v}")]
        expected = full(
            "--store", str(dresden_store), "query", name, "--format", "sparql-csv", *flags
        )
        target = tmp_path / f"{name}.csv"
        call = QuickCall(str(dresden_store), name, params, None, str(target))
        assert run_quick(call), (name, params)
        assert target.read_bytes() == expected, (name, params)
    assert len(prepared(dresden_store)) == len(cases)


def test_a_first_run_prepares_and_the_second_takes_the_quick_path_without_click(
    own_store: tuple[Path, Path], tmp_path: Path
) -> None:
    store_dir, _ = own_store
    argv = ["--store", str(store_dir), "query", "actors_in_district", "--format", "sparql-csv",
            "-p", "district=Blasewitz", "--lang", "en"]  # fmt: skip
    command = [sys.executable, "-X", "importtime", "-m", "caregraph", *argv]
    env = {**os.environ, "LC_ALL": "C"}
    first = subprocess.run(command, capture_output=True, env=env, check=False, timeout=120)
    assert first.returncode == 0, first.stderr
    assert "click" in imported(first.stderr) and len(prepared(store_dir)) == 1
    second = subprocess.run(command, capture_output=True, env=env, check=False, timeout=120)
    assert second.returncode == 0, second.stderr
    assert {"click", "rdflib", "yaml"}.isdisjoint(imported(second.stderr))
    assert "pyoxigraph" in imported(second.stderr)
    assert second.stdout == first.stdout
    assert b"dresden/sozialamt,Social Welfare Office" in second.stdout
    assert b"active city-wide" in second.stdout
    # The same through -o: one file, the same bytes, no temporary file left beside it.
    out = tmp_path / "rows.csv"
    third = subprocess.run([*command, "-o", str(out)], capture_output=True, env=env, check=False)
    assert third.returncode == 0 and "click" not in imported(third.stderr)
    assert out.read_bytes() == first.stdout
    assert sorted(os.listdir(tmp_path)) == ["data", "rows.csv", "store"]


def test_a_changed_file_sends_the_call_the_full_way_which_warns(
    own_store: tuple[Path, Path], tmp_path: Path
) -> None:
    store_dir, data = own_store
    args = ["--store", str(store_dir), "query", "goals_without_measures", "--format", "sparql-csv"]
    full(*args)
    call = parse_quick(args, {})
    assert call is not None and run_quick(call._replace(output=str(tmp_path / "a.csv")))
    changed = sorted(data.rglob("*.ttl"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert not run_quick(call._replace(output=str(tmp_path / "b.csv")))
    assert not (tmp_path / "b.csv").exists()
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0 and "is out of date" in result.stderr


def test_no_prepared_text_no_quick_path(dresden_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "rows.csv"
    # another language, other parameters: other texts, not prepared yet
    assert not run_quick(QuickCall(str(dresden_store), "timeline", {}, "en", str(out)))
    assert not run_quick(QuickCall(str(dresden_store), "timeline", {"x": "1"}, None, str(out)))
    assert not run_quick(QuickCall(str(dresden_store), "no_such_query", {}, None, str(out)))
    assert not run_quick(QuickCall(str(tmp_path / "nothing"), "timeline", {}, None, str(out)))
    assert not out.exists()


def _prepare(store_dir: Path, name: str) -> Path:
    full("--store", str(store_dir), "query", name, "--format", "sparql-csv")
    [text] = [p for p in prepared(store_dir)]
    return text


def test_a_prepared_text_still_passes_the_guard(
    own_store: tuple[Path, Path], tmp_path: Path
) -> None:
    store_dir, _ = own_store
    path = _prepare(store_dir, "goals_without_measures")
    call = QuickCall(str(store_dir), "goals_without_measures", {}, None, str(tmp_path / "o.csv"))
    assert run_quick(call)
    original = path.read_text(encoding="utf-8")
    for tampered in (
        original.replace("WHERE {", "WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o }", 1),
        "DELETE WHERE { ?s ?p ?o }",
        "SELECT * WHERE { ?s ?p ?o ",
    ):
        path.write_text(tampered, encoding="utf-8")
        assert not run_quick(call._replace(output=str(tmp_path / "tampered.csv")))
    assert not (tmp_path / "tampered.csv").exists()


def test_output_rules_hold_on_the_quick_path_too(dresden_store: Path, tmp_path: Path) -> None:
    args = ["--store", str(dresden_store), "query", "timeline", "--format", "sparql-csv"]
    full(*args)
    call = parse_quick(args, {})
    assert call is not None
    folder = tmp_path / "folder"
    folder.mkdir()
    assert not run_quick(call._replace(output=str(folder)))  # the full path explains
    existing = tmp_path / "old.csv"
    existing.write_text("old", encoding="utf-8")
    existing.chmod(0o640)
    assert run_quick(call._replace(output=str(existing)))
    assert existing.read_bytes() == full(*args) and existing.stat().st_mode & 0o777 == 0o640


def test_an_input_file_is_never_overwritten(own_store: tuple[Path, Path]) -> None:
    store_dir, data = own_store
    victim = sorted(data.rglob("*.ttl"))[0]
    before = victim.read_bytes()
    args = ["--store", str(store_dir), "query", "timeline", "--format", "sparql-csv"]
    full(*args)
    command = [sys.executable, "-m", "caregraph", *args, "-o", str(victim)]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 2 and "one of the input files" in done.stderr
    assert victim.read_bytes() == before


def test_a_store_that_cannot_keep_texts_still_answers(own_store: tuple[Path, Path]) -> None:
    store_dir, _ = own_store
    (current_generation(store_dir) / PREPARED_DIR).write_text("in the way", encoding="utf-8")
    rows = full("--store", str(store_dir), "query", "timeline", "--format", "sparql-csv")
    assert rows.count(b"\n") > 5
    call = QuickCall(str(store_dir), "timeline", {}, None, None)
    assert not run_quick(call)


def test_terminal_escapes_in_the_data_go_the_full_way(tmp_path: Path) -> None:
    data = tmp_path / "escape.ttl"
    data.write_text(
        "@prefix cg: <https://w3id.org/caregraph/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://example.org/g> a cg:Goal ; rdfs:label "
        '"Ziel \\u001B[31mrot"@de .\n',
        encoding="utf-8",
    )
    store_dir = tmp_path / "store"
    load_store(store_dir, [data])
    args = ["--store", str(store_dir), "query", "goals_without_measures", "--format", "sparql-csv"]
    shown = full(*args)
    assert b"rot" in shown and b"\x1b" not in shown  # Click strips it from what it prints
    call = parse_quick(args, {})
    assert call is not None and not run_quick(call)
    assert run_quick(call._replace(output=str(tmp_path / "o.csv")))  # a file keeps every byte
    assert b"\x1b[31m" in (tmp_path / "o.csv").read_bytes()


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_or_kill_stops_a_quick_query_at_once_and_writes_nothing(
    own_store: tuple[Path, Path], tmp_path: Path, stop: signal.Signals
) -> None:
    store_dir, _ = own_store
    path = _prepare(store_dir, "goals_without_measures")
    path.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", "utf-8")
    out = tmp_path / "rows.csv"
    args = ["--store", str(store_dir), "query", "goals_without_measures", "--format",
            "sparql-csv", "-o", str(out)]  # fmt: skip
    command = [sys.executable, "-X", "importtime", "-m", "caregraph", *args]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    # The query runs on a second thread of the process.
    while len(os.listdir(f"/proc/{process.pid}/task")) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    started = time.monotonic()
    process.send_signal(stop)
    _, err = process.communicate(timeout=60)
    assert time.monotonic() - started < 5
    assert process.returncode == 130
    assert "Interrupted; nothing was written." in err.decode()
    assert "click" not in imported(err)  # it was the quick path
    assert sorted(os.listdir(tmp_path)) == ["data", "store"]


def test_a_closed_pipe_or_another_encoding_ends_as_on_the_full_path(dresden_store: Path) -> None:
    args = ["--store", str(dresden_store), "query", "timeline", "--format", "sparql-csv"]
    full(*args)
    command = [sys.executable, "-m", "caregraph", *args]
    # The reader went away before anything was written: exit 1 and no traceback, as Click.
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None
    process.stdout.close()
    _, err = process.communicate(timeout=60)
    assert process.returncode == 1 and b"Traceback" not in err
    # An ASCII terminal: the full path writes UTF-8 anyway, so the quick path leaves it to it.
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    quick = subprocess.run(command, capture_output=True, env=env, check=True, timeout=60)
    slow = subprocess.run(
        command, capture_output=True, env={**env, "CAREGRAPH_QUICK": "0"}, check=True, timeout=60
    )
    assert quick.stdout == slow.stdout and "ü".encode() in quick.stdout


def test_caregraph_quick_accepts_the_usual_words_for_off() -> None:
    for word in ("0", "false", "No", " off "):
        assert parse_quick(QUERY, {"CAREGRAPH_QUICK": word}) is None
