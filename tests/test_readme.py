"""The README's quick start and .ci/run agree, so CI runs what users are told to run."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parent.parent


def _block(name: str) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"<!-- {name} -->\s*```sh\n(.*?)\n```\s*<!-- /{name} -->", readme, re.S)
    assert match, f"README.md has no {name} block"
    return match.group(1).strip()


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert _block("test-command") in ci


def test_quick_start_has_exactly_two_commands() -> None:
    main, tests = _block("main-command"), _block("test-command")
    assert "\n" not in main and "\n" not in tests
    assert "caregraph validate" in main and "pytest" in tests


def test_the_readme_lists_exactly_the_registered_formats() -> None:
    from caregraph.formats import BOOLEAN_FORMATS, GRAPH_FORMATS, REPORT_FORMATS, RESULT_FORMATS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- formats -->\n(.*?)<!-- /formats -->", readme, re.S)
    assert match, "README.md has no formats block"
    tables = [t for t in match.group(1).split("**") if t.lstrip().startswith("| format")]
    listed = [re.findall(r"^\| `([^`]+)` \| (.+) \|$", t, re.M) for t in tables]
    registries = [RESULT_FORMATS, BOOLEAN_FORMATS, GRAPH_FORMATS, REPORT_FORMATS]
    assert listed == [[(f.name, f.description) for f in r] for r in registries]
