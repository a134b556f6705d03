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


def installed(wheel: Path, tmp_path: Path) -> tuple[str, Path, dict[str, str]]:
    """A venv holding the wheel that sees this environment's dependencies but not the
    checkout: its python, its site-packages and the environment to run it with."""
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=False, with_pip=False).create(env_dir)
    site = next((env_dir / "lib").glob("python*/site-packages"))
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    deps = [p for p in sys.path if p.endswith("site-packages") and "caregraph" not in p]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), *deps])}
    return str(env_dir / "bin" / "python"), site, env


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
    python, site, env = installed(wheel, tmp_path)
    done = subprocess.run(
        [python, "-c",
         "import caregraph, caregraph.resources as r; print(r.ontology_path()); "
         "print(len(caregraph.run_query('responsibilities')))"],
        capture_output=True, text=True, cwd=tmp_path, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    ontology_path, rows = done.stdout.split()
    assert ontology_path.startswith(str(site))
    assert "_bundled" in ontology_path
    assert int(rows) > 0


def test_wheel_carries_the_web_templates_and_renders_from_them(wheel: Path, tmp_path: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = ROOT / "caregraph" / "web" / "templates"
    for path in [*templates.glob("*.html"), ROOT / "caregraph" / "web" / "static" / "style.css"]:
        assert str(path.relative_to(ROOT)) in names
    python, site, env = installed(wheel, tmp_path)
    script = (
        "import caregraph.web.app as a, caregraph as c, caregraph.web.graphview as g, pathlib;"
        "web = a.WebApp(c.open_store(), a.ServeConfig(c.load_catalogue()));"
        "css = pathlib.Path(a.__file__).parent / 'static' / 'style.css';"
        "print(css.is_file(), a.__file__);"
        "html = web.env.get_template('resource.html').render(lang='en', t=lambda k, **v: k,"
        " u=lambda p: p, switch={}, view=g.describe(web.store, c.namespaces.DD + 'prohlis', 'en'),"
        " data_links=[], count_cap=1);"
        "print(html.count('<h1>Prohlis</h1>'))"
    )
    done = subprocess.run(
        [python, "-c", script],
        capture_output=True, text=True, cwd=tmp_path, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    first, second = done.stdout.splitlines()
    status, module = first.split()
    assert status == "True" and module.startswith(str(site)) and second == "1"


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
