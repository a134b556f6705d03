"""Planted errors: one broken resource per kind of constraint the shapes use, repeated.

``plant(path, copies)`` writes a Turtle file (to be validated together with a generated
graph from ``run.py``, whose resources it refers to) in which every constraint component
of ``ontology/shapes.ttl`` is violated ``copies`` times: the SHACL engines' results are
compared on it (``tests/test_engines.py``) and the validation benchmark adds it to
each graph so that the engines have results of every kind to produce at scale.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from run import PREFIXES  # the generated graph's prefixes

#: Constraint component (local name without ``ConstraintComponent``) -> Turtle with ``{i}``.
PLANTED: dict[str, str] = {
    # a measure without cg:status, and a task without a measure
    "MinCount": """
dd:planted-mincount-{i} a cg:Measure ; rdfs:label "M"@de , "M"@en ;
    dcterms:source dd:bench-source .""",
    "MaxCount": """
dd:planted-maxcount-{i} a cg:Measure ; rdfs:label "M"@de , "M"@en ;
    cg:status cgv:status-planned , cgv:status-done ; dcterms:source dd:bench-source .""",
    "Class": """
dd:planted-class-{i} a cg:Measure ; rdfs:label "M"@de , "M"@en ; cg:status cgv:status-done ;
    cg:servesGoal dd:bench-source ; dcterms:source dd:planted-untyped-source-{i} .""",
    # an ill-typed date and a date of the wrong type
    "Datatype": """
dd:planted-datatype-{i} a cg:Meeting ; rdfs:label "T"@de , "T"@en ;
    cg:date "13.07.2021"^^xsd:date ; dcterms:source dd:bench-source .
dd:planted-datatype-b-{i} a cg:Measure ; rdfs:label "M"@de , "M"@en ;
    cg:status cgv:status-done ; cg:startDate "2021" ; dcterms:source dd:bench-source .""",
    "In": """
dd:planted-in-{i} a cg:Measure ; rdfs:label "M"@de , "M"@en ; cg:status cgv:status-lost ;
    dcterms:source dd:bench-source .""",
    "Pattern": """
dd:planted-pattern-{i} a cg:Initiative ; rdfs:label "I"@de , "I"@en ;
    cg:wikidata <https://www.wikidata.org/wiki/Q1731> ; dcterms:source dd:bench-source .""",
    "NodeKind": """
dd:planted-nodekind-{i} a cg:Initiative ; rdfs:label "I"@de , "I"@en ;
    cg:wikidata "Q1731" ; dcterms:source dd:bench-source .""",
    "LanguageIn": """
dd:planted-languagein-{i} a cg:Initiative ; rdfs:label "I"@de , "I"@en ;
    cg:sourceQuote "a quote"@en ; dcterms:source dd:bench-source .""",
    "UniqueLang": """
dd:planted-uniquelang-{i} a cg:Initiative ; rdfs:label "I"@de , "I"@en , "J"@en ;
    dcterms:source dd:bench-source .""",
    "QualifiedMinCount": """
dd:planted-qualified-{i} a cg:Initiative ; rdfs:label "I"@en , "plain" ;
    dcterms:source dd:bench-source .""",
    "Not": """
dd:planted-not-{i} a cg:Initiative , cg:Goal ; rdfs:label "I"@de , "I"@en ;
    dcterms:source dd:bench-source .""",
    "Or": """
dd:planted-or-{i} a cg:Initiative ; rdfs:label "I"@de , "I"@en ; cg:status cgv:status-done ;
    dcterms:source dd:bench-source .""",
    "LessThanOrEquals": """
dd:planted-lessthan-{i} a cg:Measure ; rdfs:label "M"@de , "M"@en ; cg:status cgv:status-done ;
    cg:startDate "2022-05-01"^^xsd:date ; cg:endDate "2021-05-01"^^xsd:date ;
    dcterms:source dd:bench-source .""",
    # blank-node focus nodes and the inverse and alternative paths
    "MinCount (blank node)": """
dd:planted-blank-{i} a cg:Measure ; rdfs:label "M"@de , "M"@en ; cg:status cgv:status-done ;
    cg:hasResponsibility [ a cg:Responsibility ; cg:responsibleActor dd:planted-not-{i} ] ;
    dcterms:source dd:bench-source .
dd:planted-task-{i} a cg:Task ; rdfs:label "T"@de , "T"@en ; cg:status cgv:status-done ;
    cg:partOfMeasure dd:planted-blank-{i} , dd:planted-in-{i} ; dcterms:source dd:bench-source .""",
}


def plant(path: Path, copies: int = 1) -> int:
    """Write ``copies`` of every planted error to ``path``; return how many resources."""
    count = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(PREFIXES)
        for i in range(copies):
            for text in PLANTED.values():
                out.write(text.format(i=i) + "\n")
                count += text.count(" a cg:")
    return count
