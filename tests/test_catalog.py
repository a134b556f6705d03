"""The DCAT description of the Dresden dataset (data/catalog.ttl): complete and valid."""

from __future__ import annotations

from rdflib import RDF, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS

from caregraph import resources
from caregraph.loading import load_graph, parse_file
from caregraph.namespaces import DD
from caregraph.validation import validate

DCAT = Namespace("http://www.w3.org/ns/dcat#")
CATALOG = resources.data_dir() / "catalog.ttl"
GRAPH = load_graph()
DATASET = URIRef("https://w3id.org/caregraph/catalog#dresden")


def test_the_catalog_validates_with_the_data() -> None:
    report = validate(lang="en", layers=("syntax", "vocabulary", "shapes", "rules"))
    assert [f for f in report.findings if f.file and str(f.file).endswith("catalog.ttl")] == []
    assert report.conforms


def test_one_turtle_distribution_per_data_file() -> None:
    files = {p.name for p in resources.data_dir().glob("*.ttl")}
    distributions = set(GRAPH.objects(DATASET, DCAT.distribution))
    named = {str(GRAPH.value(d, DCTERMS.identifier)).removeprefix("data/") for d in distributions}
    assert named == files
    for d in distributions:
        assert GRAPH.value(d, DCAT.mediaType) == URIRef(
            "https://www.iana.org/assignments/media-types/text/turtle"
        )


def test_the_dataset_names_licence_coverage_publisher_and_the_report_as_source() -> None:
    assert GRAPH.value(DATASET, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert DD["report-2021-07-13"] in set(GRAPH.objects(DATASET, DCTERMS.source))
    assert GRAPH.value(DATASET, DCTERMS.spatial) == DD.dresden
    period = GRAPH.value(DATASET, DCTERMS.temporal)
    assert str(GRAPH.value(period, DCAT.startDate)) == "2021-07-13"
    assert GRAPH.value(DATASET, DCTERMS.publisher) is not None
    titles = {t.language for t in GRAPH.objects(DATASET, DCTERMS.title) if isinstance(t, Literal)}
    assert titles == {"de", "en"}


def test_the_catalog_has_no_blank_nodes_and_describes_a_dataset() -> None:
    catalog = parse_file(CATALOG)
    assert set(catalog.subjects(RDF.type, DCAT.Dataset)) == {DATASET}
