"""How fast the caregraph command starts and validates: wall and CPU time per command.

Each command runs as its own process (as a shell or CI runs it), ``--repeat`` times; the
report gives the fastest wall time and the CPU time (user + system) of that run, since a
machine shared with other work stretches wall time but hardly CPU time. Nothing is asserted;
``tests/test_benchmarks.py`` runs it once on a cheap command.

    .venv/bin/python benchmarks/startup.py                 # the default commands, best of 5
    .venv/bin/python benchmarks/startup.py --repeat 3 --command=--help --command=queries
"""

from __future__ import annotations

import argparse
import os
import resource
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

#: What is measured by default: the start (help, listing, completion) and a validation.
DEFAULT_COMMANDS = (
    "--help",
    "queries",
    "complete:query a",
    "validate --no-reasoner",
)


@dataclass(frozen=True)
class Timing:
    """The fastest of several runs of one command."""

    command: str
    wall: float
    cpu: float
    exit_code: int


def _caregraph() -> list[str]:
    """The installed console script beside this interpreter, else ``python -m caregraph``."""
    script = Path(sys.executable).parent / "caregraph"
    return [str(script)] if script.exists() else [sys.executable, "-m", "caregraph"]


def run_once(command: str) -> Timing:
    """Run ``caregraph COMMAND`` once (``complete:WORDS`` asks for shell completion)."""
    env = dict(os.environ)
    if command.startswith("complete:"):
        words = "caregraph " + command.removeprefix("complete:")
        env.update(
            _CAREGRAPH_COMPLETE="bash_complete",
            COMP_WORDS=words,
            COMP_CWORD=str(len(words.split()) - 1),
        )
        args: list[str] = []
    else:
        args = shlex.split(command)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([*_caregraph(), *args], env=env, capture_output=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(command, wall, cpu, done.returncode)


def measure(command: str, repeat: int) -> Timing:
    """The run with the least wall time among ``repeat`` runs."""
    return min((run_once(command) for _ in range(max(repeat, 1))), key=lambda t: t.wall)


def report(timings: list[Timing]) -> str:
    """A plain table: command, wall s, CPU s, exit code."""
    width = max(len(t.command) for t in timings)
    lines = [f"{'command':<{width}}  {'wall s':>7}  {'cpu s':>7}  exit"]
    lines += [
        f"{t.command:<{width}}  {t.wall:7.3f}  {t.cpu:7.3f}  {t.exit_code:>4}" for t in timings
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--command",
        action="append",
        help="arguments of caregraph to time (repeatable; complete:WORDS times completion)",
    )
    options = parser.parse_args(argv)
    timings = [measure(c, options.repeat) for c in options.command or DEFAULT_COMMANDS]
    print(report(timings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
