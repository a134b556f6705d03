"""HermiT through owlready2: consistency of ontology plus data."""

from __future__ import annotations

from pathlib import Path

import pytest

from caregraph.reasoning import check_consistency, java_executable

pytestmark = pytest.mark.reasoner


def test_java_is_found() -> None:
    assert Path(java_executable()).exists()


def test_disjoint_classes_make_data_inconsistent(data_dir: Path) -> None:
    result = check_consistency([data_dir / "invalid" / "actor-is-measure.ttl"])
    assert not result.consistent
    assert result.explanation
