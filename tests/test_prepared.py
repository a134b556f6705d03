"""Prepared stored queries kept with a persistent store."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from caregraph import prepared
from caregraph.manifest import current_generation
from caregraph.native import stored_sparql_csv
from caregraph.persist import load_store, open_persistent
from caregraph.prepared import PREPARED_DIR, load_prepared, prepared_key, save_prepared
from caregraph.queries import find_query


def test_the_key_changes_with_every_input() -> None:
    base = prepared_key("a" * 64, {"district": "Prohlis"}, "de")
    others = {
        prepared_key("b" * 64, {"district": "Prohlis"}, "de"),
        prepared_key("a" * 64, {"district": "Blasewitz"}, "de"),
        prepared_key("a" * 64, {"district": "Prohlis"}, "en"),
        prepared_key("a" * 64, {}, "de"),
    }
    assert base not in others and len(others) == 4
    assert prepared_key("a" * 64, {"x": "1", "y": "2"}, "de") == prepared_key(
        "a" * 64, {"y": "2", "x": "1"}, "de"
    )


def test_the_key_changes_with_caregraphs_version_and_code(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    before = prepared_key("a" * 64, {}, "de")
    monkeypatch.setattr(prepared, "__version__", "99.0.0")
    prepared.code_fingerprint.cache_clear()
    assert prepared_key("a" * 64, {}, "de") != before
    monkeypatch.undo()
    prepared.code_fingerprint.cache_clear()
    assert prepared_key("a" * 64, {}, "de") == before
    # the same version, one module edited (an editable install, another commit checked out)
    copy = tmp_path / "caregraph"
    shutil.copytree(Path(prepared.__file__).parent, copy)
    monkeypatch.setattr(prepared, "_PACKAGE", copy)
    prepared.code_fingerprint.cache_clear()
    same = prepared_key("a" * 64, {}, "de")
    language = copy / "queries" / "language.py"
    language.write_text(language.read_text(encoding="utf-8") + "\n# edited\n", "utf-8")
    prepared.code_fingerprint.cache_clear()
    assert prepared_key("a" * 64, {}, "de") != same
    prepared.code_fingerprint.cache_clear()


def test_kept_whole_and_read_back(tmp_path: Path) -> None:
    assert load_prepared(tmp_path, "k") is None
    assert save_prepared(tmp_path, "k", "SELECT * WHERE { ?s ?p ?o }")
    assert load_prepared(tmp_path, "k") == "SELECT * WHERE { ?s ?p ?o }"
    assert [p.name for p in (tmp_path / PREPARED_DIR).iterdir()] == ["k.rq"]


def test_at_most_max_prepared_texts_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prepared, "MAX_PREPARED", 3)
    assert [save_prepared(tmp_path, f"k{i}", f"SELECT {i} {{}}") for i in range(5)] == [
        True, True, True, False, False
    ]  # fmt: skip
    assert save_prepared(tmp_path, "k1", "SELECT 1 {}")  # an existing one may be renewed
    assert load_prepared(tmp_path, "k3") is None and len(list(tmp_path.rglob("*.rq"))) == 3


def test_a_folder_that_cannot_be_written_keeps_nothing_and_says_so(tmp_path: Path) -> None:
    (tmp_path / PREPARED_DIR).write_text("a file in the way", encoding="utf-8")
    assert not save_prepared(tmp_path, "k", "SELECT * {}")
    assert load_prepared(tmp_path, "k") is None


def test_a_new_load_starts_with_no_prepared_queries(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    load_store(store_dir)
    query = find_query("goals_without_measures")
    rows = stored_sparql_csv(query, open_persistent(store_dir), prepare=True)
    assert rows is not None and rows.startswith("goal,")
    old = current_generation(store_dir)
    key = prepared_key(query.sha256, {}, "de")
    text = load_prepared(old, key)
    assert text is not None and "?_lang" not in text and '"de"' in text  # the text that ran
    load_store(store_dir)
    assert current_generation(store_dir) != old
    assert load_prepared(current_generation(store_dir), key) is None


def test_only_the_whole_store_prepares_not_its_data_view(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    load_store(store_dir)
    query = find_query("timeline")
    stored_sparql_csv(query, open_persistent(store_dir).data_only(), prepare=True)
    stored_sparql_csv(query, open_persistent(store_dir))  # a library call prepares nothing
    assert not (current_generation(store_dir) / PREPARED_DIR).exists()


def test_a_link_is_replaced_never_followed_and_never_read(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    folder = tmp_path / PREPARED_DIR
    folder.mkdir()
    (folder / "k.rq").symlink_to(victim)
    assert load_prepared(tmp_path, "k") is None
    assert save_prepared(tmp_path, "k", "SELECT * {}")
    assert victim.read_text(encoding="utf-8") == "precious"
    assert not (folder / "k.rq").is_symlink() and load_prepared(tmp_path, "k") == "SELECT * {}"


def test_a_pipe_or_a_huge_file_is_not_read(tmp_path: Path) -> None:
    folder = tmp_path / PREPARED_DIR
    folder.mkdir()
    os.mkfifo(folder / "pipe.rq")
    assert load_prepared(tmp_path, "pipe") is None  # at once, not waiting for a writer
    assert stat.S_ISFIFO(os.stat(folder / "pipe.rq").st_mode)
    (folder / "big.rq").write_bytes(b"#" * (prepared.MAX_BYTES + 1))
    assert load_prepared(tmp_path, "big") is None


def test_a_linked_folder_keeps_nothing(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    generation = tmp_path / "gen"
    generation.mkdir()
    (generation / PREPARED_DIR).symlink_to(elsewhere)
    assert not save_prepared(generation, "k", "SELECT * {}")
    assert list(elsewhere.iterdir()) == []
