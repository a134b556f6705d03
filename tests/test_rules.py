"""Stored rule checks: headers are read strictly; each check holds on the shipped graph."""

from __future__ import annotations

from pathlib import Path

import pytest

from caregraph.errors import QueryDefinitionError
from caregraph.validation import validate
from caregraph.validation.rules import checks_dir, load_check, load_checks

GOOD = """#+ title: {de: T, en: T}
#+ description: {de: D, en: D}
#+ severity: warning
#+ message: {de: M, en: M}
SELECT ?focus WHERE { ?focus <https://example.org/p> ?o }
"""


def test_bundled_checks_load_with_severities() -> None:
    checks = load_checks()
    assert {c.id for c in checks} >= {
        "responsible_actor_not_actor",
        "district_outside_city",
        "meeting_participant_not_agent",
        "dates_outside_phase",
        "end_before_start",
    }
    assert all(c.severity in ("error", "warning", "info") for c in checks)
    assert all(c.path.parent == checks_dir() for c in checks)


def test_own_checks_folder_is_added(tmp_path: Path) -> None:
    (tmp_path / "mine.rq").write_text(GOOD, encoding="utf-8")
    data = tmp_path / "d.ttl"
    data.write_text("<https://example.org/x> <https://example.org/p> 1 .\n", encoding="utf-8")
    report = validate([data], layers=("syntax", "rules"), check_dirs=[tmp_path])
    assert "mine" in report.checks
    [finding] = [f for f in report.findings if f.rule == "rules/mine"]
    assert (finding.severity, finding.focus, finding.line, finding.message) == (
        "warning",
        "https://example.org/x",
        1,
        "M",
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            GOOD.replace("severity: warning", "severity: fatal"),
            "line 3: 'severity' is 'fatal'; use one of: error, warning, info.",
        ),
        (GOOD.replace("#+ message: {de: M, en: M}\n", ""), "line 1: 'header' lacks 'message'."),
        (GOOD + "#+ tittle: x\n", "line 6: a '#+' header line stands after the query"),
        (GOOD.replace("?focus", "?x"), "a check must select ?focus."),
        (GOOD.replace("title: {de: T, en: T}", "title: {de: T}"), "line 1: 'title' lacks 'en'."),
        (
            GOOD.replace("#+ description:", "#+ descripton:"),
            "line 2: unknown key 'descripton' in 'header'. Did you mean 'description'?",
        ),
    ],
)
def test_malformed_check_names_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.rq"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(QueryDefinitionError, match=r"bad\.rq") as info:
        load_check(path)
    assert message in str(info.value)
