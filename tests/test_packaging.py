"""The wheel carries ontology, shapes, data and queries, and works outside the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    (built,) = out.glob("caregraph-*.whl")
    return built


def test_wheel_bundles_the_graph(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "caregraph/_bundled/ontology/caregraph.ttl",
        "caregraph/_bundled/ontology/shapes.ttl",
        "caregraph/_bundled/data/measures.ttl",
        "caregraph/_bundled/queries/responsibilities.rq",
        "caregraph/cli/__init__.py",
    ):
        assert expected in names
    bundled_queries = {
        n for n in names if n.startswith("caregraph/_bundled/queries/") and n.endswith(".rq")
    }
    shipped = {str(p.relative_to(ROOT)) for p in (ROOT / "queries").rglob("*.rq")}
    assert {n.removeprefix("caregraph/_bundled/") for n in bundled_queries} == shipped


def test_installed_wheel_runs_outside_the_checkout(wheel: Path, tmp_path: Path) -> None:
    # A venv that sees this environment's dependencies but not the checkout.
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=False, with_pip=False).create(env_dir)
    site = next((env_dir / "lib").glob("python*/site-packages"))
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    deps = [p for p in sys.path if p.endswith("site-packages") and "caregraph" not in p]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), *deps])}
    done = subprocess.run(
        [str(env_dir / "bin" / "python"), "-c",
         "import caregraph, caregraph.resources as r; print(r.ontology_path()); "
         "print(len(caregraph.run_query('responsibilities')))"],
        capture_output=True, text=True, cwd=tmp_path, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    ontology_path, rows = done.stdout.split()
    assert ontology_path.startswith(str(site))
    assert "_bundled" in ontology_path
    assert int(rows) > 0


def test_wheel_carries_the_map_assets(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "caregraph/netmap/static/netmap.js",
        "caregraph/netmap/static/netmap.css",
        "caregraph/netmap/vendor/cytoscape.min.js",
        "caregraph/netmap/vendor/cytoscape.LICENSE",
        "caregraph/netmap/vendor/cytoscape.json",
    ):
        assert expected in names
