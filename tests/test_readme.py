"""The README's quick start and .ci/run agree, so CI runs what users are told to run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

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


def _console_examples() -> list[tuple[int, str, list[str], int | None]]:
    """Each ``$ caregraph ...`` of the README's console blocks: its line, the command, the
    output shown (``…`` where the README leaves lines out) and the exit code shown by a
    following ``$ echo $?`` (None: not shown)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    examples: list[tuple[int, str, list[str], int | None]] = []
    for block in re.finditer(r"```console\n(.*?)```", readme, re.S):
        line = readme[: block.start()].count("\n") + 2
        for offset, text in enumerate(block.group(1).splitlines()):
            if text == "$ echo $?":
                continue
            if text.startswith("$ caregraph "):
                examples.append((line + offset, text[2:], [], None))
            elif examples and examples[-1][0] >= line:
                at, command, shown, _ = examples[-1]
                previous = block.group(1).splitlines()[offset - 1] if offset else ""
                if previous == "$ echo $?":
                    examples[-1] = (at, command, shown, int(text))
                else:
                    shown.append(text)
    return examples


EXAMPLES = _console_examples()


@pytest.mark.parametrize(
    ("line", "command", "shown", "code"), EXAMPLES, ids=[f"line-{e[0]}" for e in EXAMPLES]
)
def test_the_readme_shows_what_the_commands_print(
    line: int, command: str, shown: list[str], code: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every console example of the README is run: it prints what the README shows (at a
    width of 100 columns; ``…`` stands for lines left out) and ends with the exit code shown."""
    import shlex

    from click.testing import CliRunner

    from caregraph.cli import cli

    monkeypatch.chdir(ROOT)
    # German (the default) whatever the machine's locale, 100 columns wide
    neutral = {"COLUMNS": "100", "LC_ALL": None, "LC_MESSAGES": None, "LANG": "C.UTF-8"}
    result = CliRunner(env=neutral).invoke(cli, shlex.split(command)[1:])
    printed = [text.rstrip() for text in result.output.splitlines()]
    wanted = [text.rstrip() for text in shown]
    if "…" in wanted:
        cut = wanted.index("…")
        head, tail = wanted[:cut], wanted[cut + 1 :]
        assert printed[: len(head)] == head and printed[len(printed) - len(tail) :] == tail
    else:
        assert printed == wanted
    if code is not None:
        assert result.exit_code == code
