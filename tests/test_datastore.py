"""The one store of a validation run: what the shapes view and the rule checks see in it."""

from __future__ import annotations

from pathlib import Path

from rdflib import RDFS, BNode, Literal, URIRef

from caregraph.loading import cached_ontology
from caregraph.store import select
from caregraph.validation.datastore import MARKER, StoreView, load_data
from caregraph.validation.shapes import ontology_logic

CG = "https://w3id.org/caregraph/ontology#"
DATA = f"""@prefix cg: <{CG}> .
@prefix dd: <https://w3id.org/caregraph/dresden/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
dd:m a cg:Measure ; rdfs:label "M"@en ;
    cg:hasResponsibility [ a cg:Responsibility ; cg:responsibleActor dd:a ] .
dd:a a cg:Initiative ; rdfs:label "A"@en .
cg:Actor rdfs:label "actor"@en .
"""


def _count(store: object, pattern: str) -> int:
    [[number]] = select(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}").rows  # type: ignore[arg-type]
    return int(number)  # type: ignore[arg-type]


def test_rules_see_data_and_whole_ontology_once_and_no_markers(tmp_path: Path) -> None:
    data = tmp_path / "data.ttl"
    data.write_text(DATA, encoding="utf-8")
    ontology = cached_ontology()
    shared = load_data(
        tmp_path / "input.nt", ontology_logic(ontology), files=[data], documentation=ontology
    )
    store = shared.sparql_store()
    assert store is not None
    # the ontology's documentation is there (it is not in the engine's input) ...
    assert _count(store, f"<{CG}Measure> <{RDFS.label}> ?l") == len(
        list(ontology.objects(URIRef(f"{CG}Measure"), RDFS.label))
    )
    # ... and a statement both the data and the ontology make is seen once
    assert _count(store, f'<{CG}Actor> <{RDFS.label}> "actor"@en') == 1
    assert _count(store, f"?s <{MARKER}> ?o") == 0
    assert _count(store, "?m <https://w3id.org/caregraph/ontology#hasResponsibility> ?r") == 1
    # the engine's input names the blank node with a marker, and the view finds it by that name
    text = shared.path.read_text(encoding="utf-8")
    [label] = [line.split()[0][2:] for line in text.splitlines() if str(MARKER) in line]
    assert isinstance(shared.view, StoreView)
    parents = list(shared.view.subject_predicates(BNode(label)))
    assert parents == [
        (URIRef("https://w3id.org/caregraph/dresden/m"), URIRef(f"{CG}hasResponsibility"))
    ]
    # the view sees what the engine sees: the data's labels, not the ontology's documentation
    assert list(shared.view.objects(URIRef(f"{CG}Measure"), RDFS.label)) == []
    assert list(shared.view.objects(URIRef(f"{CG}Actor"), RDFS.label)) == [
        Literal("actor", lang="en")
    ]


def test_repaired_iris_keep_the_rules_off_the_store(tmp_path: Path) -> None:
    data = tmp_path / "data.ttl"
    data.write_text(
        "<https://w3id.org/caregraph/dresden/with space> a <https://example.org/C> .\n",
        encoding="utf-8",
    )
    ontology = cached_ontology()
    shared = load_data(
        tmp_path / "input.nt", ontology_logic(ontology), files=[data], documentation=ontology
    )
    assert shared.repaired  # written percent-encoded for the engine
    assert shared.sparql_store() is None  # the rules then read the files their own way
