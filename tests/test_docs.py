"""The HTML reference: every class, property, concept, shape and query, in German and English."""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import OWL, RDF, RDFS, SH, SKOS, Literal, URIRef

from caregraph.cli import cli
from caregraph.docs import DOC_LANGS, build_docs
from caregraph.loading import load_ontology, load_shapes
from caregraph.namespaces import CG, CGV, compact
from caregraph.queries import load_catalogue

ONTOLOGY = load_ontology()


class Page(HTMLParser):
    """The text, the links and the element ids of one HTML page."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.text: list[str] = []
        self.ids: set[str] = set()
        self.hrefs: set[str] = set()
        self.title = ""
        self._in_title = False
        self.feed(path.read_text(encoding="utf-8"))
        self.close()
        self.all_text = " ".join(" ".join(self.text).split())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if values.get("href"):
            self.hrefs.add(values["href"] or "")
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in_title:
            self.title += data


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("docs")
    result = build_docs(folder)
    assert len(result.files) == 1 + len(DOC_LANGS) * 5
    return folder


def label(term: URIRef, lang: str) -> str:
    return next(
        str(o)
        for o in ONTOLOGY.objects(term, RDFS.label)
        if isinstance(o, Literal) and o.language == lang
    )


def our(kind: URIRef, namespace: str) -> list[URIRef]:
    return sorted(
        s
        for s in ONTOLOGY.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and str(s).startswith(namespace)
    )


CLASSES = our(OWL.Class, str(CG))
PROPERTIES = (
    our(OWL.ObjectProperty, str(CG))
    + our(OWL.DatatypeProperty, str(CG))
    + our(OWL.AnnotationProperty, str(CG))
)


@pytest.mark.parametrize("lang", DOC_LANGS)
def test_ontology_page_has_every_class_and_property_with_its_label(docs: Path, lang: str) -> None:
    page = Page(docs / lang / "ontology.html")
    assert page.title == ("caregraph-Ontologie" if lang == "de" else "caregraph ontology")
    assert len(CLASSES) > 25 and len(PROPERTIES) > 40
    for term in CLASSES + PROPERTIES:
        assert str(term) in page.all_text, term
        assert label(term, lang) in page.all_text, (term, lang)


def test_ontology_pages_are_in_their_language(docs: Path) -> None:
    german = Page(docs / "de" / "ontology.html").all_text
    english = Page(docs / "en" / "ontology.html").all_text
    assert "Zuständigkeit" in german and "Zuständigkeit" not in english
    assert "responsibility" in english


@pytest.mark.parametrize("lang", DOC_LANGS)
def test_vocabularies_page_has_every_scheme_and_concept(docs: Path, lang: str) -> None:
    page = Page(docs / lang / "vocabularies.html")
    schemes = list(ONTOLOGY.subjects(RDF.type, SKOS.ConceptScheme))
    concepts = list(ONTOLOGY.subjects(RDF.type, SKOS.Concept))
    assert len(schemes) == 5 and len(concepts) > 20
    for concept in concepts:
        assert compact(str(concept)) in page.all_text
        pref = next(str(o) for o in ONTOLOGY.objects(concept, SKOS.prefLabel) if o.language == lang)  # type: ignore[union-attr]
        assert pref in page.all_text
    assert compact(str(CGV.SectorScheme)).replace(":", "-") in page.ids


@pytest.mark.parametrize("lang", DOC_LANGS)
def test_shapes_page_has_every_named_shape(docs: Path, lang: str) -> None:
    page = Page(docs / lang / "shapes.html")
    shapes = load_shapes()
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        if isinstance(shape, URIRef):
            assert compact(str(shape)) in page.all_text
    message = "Eine Markierung braucht" if lang == "de" else "A mark needs its certainty"
    assert message in page.all_text


@pytest.mark.parametrize("lang", DOC_LANGS)
def test_queries_page_has_every_stored_query(docs: Path, lang: str) -> None:
    page = Page(docs / lang / "queries.html")
    for query in load_catalogue():
        assert query.id in page.ids
        assert query.text(query.title, lang) in page.all_text


def test_index_links_every_page_and_the_other_language(docs: Path) -> None:
    top = Page(docs / "index.html")
    assert top.hrefs == {"index.html", "de/index.html", "en/index.html"}
    for lang in DOC_LANGS:
        page = Page(docs / lang / "index.html")
        for name in ("ontology", "vocabularies", "shapes", "queries"):
            assert f"{name}.html" in page.hrefs
            assert (docs / lang / f"{name}.html").is_file()


def test_docs_command(tmp_path: Path) -> None:
    done = CliRunner().invoke(cli, ["docs", "--output", str(tmp_path / "ref")])
    assert done.exit_code == 0, done.output
    assert "11 files written" in done.output
    assert (tmp_path / "ref" / "en" / "ontology.html").stat().st_size > 10_000


def test_docs_command_in_a_subprocess_and_on_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "caregraph", "docs", "--output", str(blocker / "ref")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "cannot create the folder" in done.stderr
    assert "Traceback" not in done.stderr
