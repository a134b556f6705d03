"""The same answers on every engine: rdflib, Oxigraph in process, Oxigraph's server, Virtuoso.

Every stored query with the parameters of each of its examples, and every rule check on its
fixture, must give the same rows (as a multiset) everywhere. The servers are real: Oxigraph's
(from the PyPI package) and Virtuoso (Debian's ``virtuoso-t``, started in the foreground
with its own database and ini in a temporary folder, data loaded by its bulk loader).
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node
from support import oxigraph_server, virtuoso_server

from caregraph import resources
from caregraph.cli import cli
from caregraph.endpoint import EndpointStore
from caregraph.info import graph_info
from caregraph.loading import find_data_files
from caregraph.portability import portability_issues
from caregraph.queries import example_failures, load_catalogue, run_stored
from caregraph.store import GraphStore, open_store, select
from caregraph.validation.rules import load_checks

pytestmark = pytest.mark.server

CATALOGUE = load_catalogue()
CHECKS = {check.id: check for check in load_checks()}
RULE_FIXTURES = sorted((Path(__file__).parent / "data" / "invalid").glob("rule-*.ttl"))
DRESDEN = "https://w3id.org/caregraph/graph/dresden"
DATA_ONLY = "https://w3id.org/caregraph/graph/data-only"
ENGINES = ("rdflib", "oxigraph-server", "virtuoso")
#: (query id, example parameters) for every example of every stored query.
CASES = [
    pytest.param(query.id, example.params, id=f"{query.id}-{number}")
    for query in CATALOGUE
    for number, example in enumerate(query.examples or [None], start=1)  # type: ignore[list-item]
    if example is not None
] + [pytest.param(q.id, {}, id=q.id) for q in CATALOGUE if not q.examples]


def _fixture_graph(path: Path) -> str:
    return f"https://w3id.org/caregraph/graph/test/{path.stem}"


def _dresden_files() -> list[Path]:
    return [resources.ontology_path(), *find_data_files()]


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One Virtuoso per test session: the Dresden graph and each rule fixture in its own graph."""
    graphs: dict[str, list[Path]] = {DRESDEN: _dresden_files(), DATA_ONLY: find_data_files()}
    for path in RULE_FIXTURES:
        graphs[_fixture_graph(path)] = [resources.ontology_path(), path]
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso"), graphs) as url:
        yield url


@pytest.fixture(scope="session")
def oxigraph_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Oxigraph's server: the Dresden graph as its default graph, each rule fixture named."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph"), _dresden_files()) as base:
        for path in RULE_FIXTURES:
            for part in (resources.ontology_path(), path):
                request = urllib.request.Request(
                    f"{base}/store?graph={_fixture_graph(path)}",
                    data=part.read_bytes(),
                    method="POST",
                    headers={"Content-Type": "text/turtle"},
                )
                urllib.request.urlopen(request, timeout=30).read()
        yield base + "/query"


@pytest.fixture(scope="session")
def local() -> GraphStore:
    """The reference: the bundled graph in Oxigraph, in process (caregraph's default)."""
    return open_store(None, "oxigraph")


@pytest.fixture(scope="session")
def rdflib_store() -> GraphStore:
    return open_store(None, "rdflib")


def engine(name: str, request: pytest.FixtureRequest, graph: str | None = None) -> GraphStore:
    """The store of one engine holding the Dresden graph (or the named test graph)."""
    if name == "rdflib":
        return request.getfixturevalue("rdflib_store") if graph is None else _local(graph)
    if name == "oxigraph-server":
        url = request.getfixturevalue("oxigraph_url")
        return EndpointStore(url, default_graph_uris=[graph] if graph else [])
    url = request.getfixturevalue("virtuoso")
    return EndpointStore(url, default_graph_uris=[graph or DRESDEN])


def _local(graph: str, backend: str = "rdflib") -> GraphStore:
    [path] = [p for p in RULE_FIXTURES if _fixture_graph(p) == graph]
    return open_store([path], backend)


_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = {
    URIRef(_XSD + t) for t in ("positiveInteger", "nonNegativeInteger", "int", "long")
}


def canonical(term: Node | None) -> str:
    """A cell as N-Triples text; blank nodes are all alike (their names are the store's)."""
    if term is None:
        return ""
    if isinstance(term, BNode):
        return "_:b"
    if isinstance(term, Literal) and term.datatype in _INTEGER_TYPES:
        # Oxigraph keeps derived integer types as xsd:integer (issue 9 moves the data to it).
        return Literal(str(term), datatype=URIRef(_XSD + "integer")).n3()
    return term.n3()


def rows_of(
    store: GraphStore, query_id: str, params: Mapping[str, str]
) -> Counter[tuple[str, ...]]:
    table = run_stored(CATALOGUE.get(query_id), store, params)
    return Counter(tuple(canonical(cell) for cell in row) for row in table.rows)


@pytest.mark.parametrize("name", ENGINES)
@pytest.mark.parametrize(("query_id", "params"), CASES)
def test_stored_query_gives_the_same_rows_on_every_engine(
    request: pytest.FixtureRequest,
    local: GraphStore,
    name: str,
    query_id: str,
    params: dict[str, str],
) -> None:
    store = engine(name, request)
    want = rows_of(local, query_id, params)
    got = rows_of(store, query_id, params)
    assert got == want, f"missing: {want - got}\nextra: {got - want}"


@pytest.mark.parametrize("name", ENGINES)
@pytest.mark.parametrize("query_id", sorted(CATALOGUE.queries))
def test_every_example_holds_on_every_engine(
    request: pytest.FixtureRequest, name: str, query_id: str
) -> None:
    assert example_failures(CATALOGUE.get(query_id), engine(name, request)) == []


@pytest.mark.parametrize("name", ("oxigraph", *ENGINES))
@pytest.mark.parametrize("fixture", RULE_FIXTURES, ids=lambda p: p.stem)
def test_rule_checks_give_the_same_rows_on_every_engine(
    request: pytest.FixtureRequest, name: str, fixture: Path
) -> None:
    graph = _fixture_graph(fixture)
    reference = _local(graph, "rdflib")
    store = _local(graph, "oxigraph") if name == "oxigraph" else engine(name, request, graph)
    found = 0
    for check in CHECKS.values():
        want = Counter(tuple(map(canonical, row)) for row in select(reference, check.sparql).rows)
        got = Counter(tuple(map(canonical, row)) for row in select(store, check.sparql).rows)
        assert got == want, f"{check.id}: missing {want - got}, extra {got - want}"
        found += sum(want.values())
    assert found, f"{fixture.name} breaks no rule"


def test_cli_runs_a_stored_query_on_virtuoso(virtuoso: str) -> None:
    result = CliRunner().invoke(
        cli,
        ["--endpoint", virtuoso, "--default-graph-uri", DRESDEN, "query", "actors_in_district",
         "-p", "district=Prohlis", "--format", "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {r["actor_label"] for r in rows} >= {"Sozialamt", "PflegeNetz Dresden"}
    assert len(rows) == 7


def test_virtuoso_by_url_parameter_in_a_subprocess(virtuoso: str) -> None:
    """The documented form: the graph as a parameter of the endpoint URL."""
    done = subprocess.run(
        [sys.executable, "-m", "caregraph", "--endpoint",
         f"{virtuoso}?default-graph-uri={DRESDEN}", "query", "multi_district_actors",
         "--format", "csv"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == (
        "actor,actor_label,district_count,urban_districts,localities"
    )
    assert len(done.stdout.splitlines()) == 4


def test_info_says_the_same_on_every_engine(
    request: pytest.FixtureRequest, local: GraphStore
) -> None:
    want = graph_info(local)
    assert want.ontology and want.triples > 2000  # data and ontology, as queries see them
    for name in ENGINES:
        got = graph_info(engine(name, request))
        assert (got.triples, got.classes, got.ontology) == (
            want.triples,
            want.classes,
            want.ontology,
        ), name


def test_info_on_virtuoso_leaves_out_its_system_graphs(virtuoso: str) -> None:
    """Without default-graph-uri Virtuoso's default graph holds its own system graphs too."""
    whole = EndpointStore(virtuoso)
    assert len(whole) > len(EndpointStore(virtuoso, default_graph_uris=[DRESDEN]))
    info = graph_info(whole)
    assert set(info.graphs) == {DRESDEN, DATA_ONLY, *map(_fixture_graph, RULE_FIXTURES)}
    assert not any("openlinksw" in cls for cls, _ in info.classes)
    result = CliRunner().invoke(cli, ["--endpoint", virtuoso, "info", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["graphs"] == info.graphs


def test_graph_without_ontology_is_named_once(virtuoso: str) -> None:
    args = ["--endpoint", virtuoso, "--default-graph-uri", DATA_ONLY, "query"]
    result = CliRunner().invoke(cli, [*args, "actors_in_district", "-p", "district=Prohlis"])
    assert result.exit_code == 2
    assert "has no caregraph ontology in the graph <" + DATA_ONLY + ">" in result.output
    assert "nothing in the graph is called" not in result.output
    result = CliRunner().invoke(cli, [*args, "actors_in_district", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stderr.count("has no caregraph ontology") == 1
    assert "dd:pflegenetz-dresden" not in result.stdout
    assert "https://w3id.org/caregraph/dresden/pflegenetz-dresden" in result.stdout


_TRAP_PREFIXES = """PREFIX dd: <https://w3id.org/caregraph/dresden/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
#: Per portability rule found on Virtuoso after the first rewrites: a form the rule flags
#: (Virtuoso gives other rows than Oxigraph) and the form written instead (the same rows).
VIRTUOSO_TRAPS = {
    "union-literal-subject": (
        "SELECT ?subject ?value WHERE { ?subject dcterms:source ?src ; rdfs:label ?value . "
        "{ ?subject dcterms:source dd:report-2021-07-13 } "
        "UNION { ?value dcterms:source dd:report-2021-07-13 } }",
        "SELECT ?subject ?value WHERE { ?subject dcterms:source ?src ; rdfs:label ?value . "
        "FILTER(EXISTS { ?subject dcterms:source dd:report-2021-07-13 } "
        "|| EXISTS { ?value dcterms:source dd:report-2021-07-13 }) }",
    ),
    "optional-filter-outer": (
        "SELECT ?mark ?label WHERE { ?mark a rdf:Statement ; dcterms:source ?source . "
        'BIND("de" AS ?lang) OPTIONAL { ?source rdfs:label ?label FILTER(LANG(?label) = ?lang) } }',
        "SELECT ?mark ?label WHERE { ?mark a rdf:Statement ; dcterms:source ?source . "
        'OPTIONAL { ?source rdfs:label ?label FILTER(LANG(?label) = "de") } }',
    ),
}


@pytest.mark.parametrize("rule", sorted(VIRTUOSO_TRAPS))
def test_flagged_forms_differ_on_virtuoso_and_their_rewrites_do_not(
    request: pytest.FixtureRequest, local: GraphStore, rule: str
) -> None:
    flagged, portable = (_TRAP_PREFIXES + text for text in VIRTUOSO_TRAPS[rule])
    assert rule in {issue.rule for issue in portability_issues(flagged)}
    assert portability_issues(portable) == []
    virtuoso = engine("virtuoso", request)

    def rows(store: GraphStore, sparql: str) -> Counter[tuple[str, ...]]:
        return Counter(tuple(map(canonical, row)) for row in select(store, sparql).rows)

    assert rows(local, portable) == rows(local, flagged)  # the same question
    assert rows(virtuoso, flagged) != rows(local, flagged)
    assert rows(virtuoso, portable) == rows(local, portable)
