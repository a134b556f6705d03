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
