"""The shipped CSVW mappings: valid CSV on the Web metadata, and complete for the model."""

from __future__ import annotations

import json

import csvw
import pytest
from rdflib import RDF, URIRef

from caregraph.errors import InputError, UsageError
from caregraph.loading import load_ontology
from caregraph.sheets.mapping import (
    MAPPINGS_DIR,
    expand,
    kinds,
    load_mapping,
    mapping_for,
)

KINDS = [
    "areas",
    "actors",
    "goals",
    "phases",
    "measures",
    "tasks",
    "responsibilities",
    "meetings",
]


def test_every_kind_has_a_mapping_in_import_order() -> None:
    assert kinds() == KINDS


@pytest.mark.parametrize("kind", KINDS)
def test_each_mapping_is_csvw_metadata_with_bilingual_titles(kind: str) -> None:
    path = MAPPINGS_DIR / f"{kind}.csv-metadata.json"
    table = csvw.Table.from_file(path)  # the csvw package accepts it as a table description
    assert table.tableSchema.columns[0].name == "id"
    mapping = load_mapping(path)
    for column in mapping.columns:
        assert column.titles["de"] and column.titles["en"], column.name
        assert column.description["de"] and column.description["en"], column.name
    assert mapping.column("label_de").required and mapping.column("label_de").lang == "de"


@pytest.mark.parametrize("kind", KINDS)
def test_mapped_terms_exist_in_the_ontology(kind: str) -> None:
    ontology = load_ontology()
    mapping = mapping_for(kind)
    for cls in mapping.classes:
        assert (cls, RDF.type, None) in ontology, cls
    for column in mapping.columns:
        if column.prop is not None and str(column.prop).startswith("https://w3id.org/caregraph"):
            assert (column.prop, RDF.type, None) in ontology, column.prop
        for scheme in [column.lookup.get("scheme")] if column.lookup else []:
            if scheme:
                assert (expand(scheme), RDF.type, None) in ontology


def test_expand_prefixed_names() -> None:
    assert expand("cg:status") == URIRef("https://w3id.org/caregraph/ontology#status")
    assert expand("https://example.org/x") == URIRef("https://example.org/x")


def test_unknown_kind_names_the_known_ones() -> None:
    with pytest.raises(UsageError, match="actors"):
        mapping_for("actor")


def test_a_broken_mapping_is_an_input_error(tmp_path) -> None:
    good = json.loads((MAPPINGS_DIR / "goals.csv-metadata.json").read_text(encoding="utf-8"))
    del good["https://w3id.org/caregraph/mapping#kind"]
    path = tmp_path / "goals.csv-metadata.json"
    path.write_text(json.dumps(good), encoding="utf-8")
    with pytest.raises(InputError, match="not a valid caregraph sheet mapping"):
        load_mapping(path)
