"""Lazy package exports: every public name resolves, unknown names fail as usual."""

from __future__ import annotations

import importlib

import pytest

PACKAGES = ["caregraph", "caregraph.validation", "caregraph.queries"]


@pytest.mark.parametrize("package", PACKAGES)
def test_every_public_name_resolves_to_what_its_module_defines(package: str) -> None:
    module = importlib.import_module(package)
    assert module.__all__ and sorted(dir(module)) == sorted(module.__all__)
    for name in module.__all__:
        assert getattr(module, name) is not None, f"{package}.{name}"


@pytest.mark.parametrize("package", PACKAGES)
def test_an_unknown_name_is_an_attribute_error(package: str) -> None:
    module = importlib.import_module(package)
    with pytest.raises(AttributeError, match=f"module '{package}' has no attribute 'nope'"):
        module.nope  # noqa: B018


def test_the_version_is_written_once_and_the_package_metadata_agrees() -> None:
    import tomllib
    from importlib import metadata
    from pathlib import Path

    import caregraph

    project = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())
    assert project["project"]["dynamic"] == ["version"]
    assert project["tool"]["hatch"]["version"]["path"] == "caregraph/_version.py"
    assert caregraph.__version__ == metadata.version("caregraph")
    assert caregraph.__version__.count(".") == 2
