"""Shared fixtures: paths to test data and loaded stores of the bundled graph."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from caregraph import resources
from caregraph.persist import load_store
from caregraph.store import BACKENDS, open_store

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session", params=BACKENDS)
def dresden(request: pytest.FixtureRequest):
    """The bundled Dresden graph, once per backend."""
    return open_store(None, request.param)


@pytest.fixture(scope="module")
def dresden_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A persistent store of the bundled graph, built once per test module."""
    store_dir = tmp_path_factory.mktemp("store") / "dresden"
    load_store(store_dir)
    return store_dir


@pytest.fixture
def own_data(tmp_path: Path) -> Path:
    """A copy of the bundled data that a test may change."""
    target = tmp_path / "data"
    shutil.copytree(resources.data_dir(), target)
    return target


@pytest.fixture
def runner() -> CliRunner:
    """A CLI runner whose tables are as wide as the test asserts on, whatever the terminal.

    Tables are as wide as $COLUMNS when the output is not a terminal; a fixed width keeps
    a wrapped title ("Labels ab einem | Jahr") from depending on where the suite runs.
    """
    return CliRunner(env={"COLUMNS": "200"})
