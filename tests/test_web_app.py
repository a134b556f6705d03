"""caregraph serve over HTTP: a real uvicorn server on a free loopback port, every route.

The servers run as ``caregraph serve`` subprocesses (so the CLI command is exercised too);
requests go through urllib, as any client's would.
"""

from __future__ import annotations

import http.client
import io
import json
import socket
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from openapi_spec_validator import validate as validate_openapi
from rdflib.query import Result
from webserver import fetch, running_server

import caregraph
from caregraph import resources
from caregraph.cli import cli
from caregraph.output import format_result
from caregraph.queries import load_catalogue
from caregraph.store import open_store
from caregraph.web.app import CSP
from caregraph.web.formats import TABLE_MEDIA, download_formats
from caregraph.web.limits import Limits

pytestmark = pytest.mark.server

HERE = Path(__file__).parent
HOSTILE = HERE / "data" / "web" / "hostile.ttl"
MARKS = HERE / "data" / "web" / "marks.ttl"
CATALOGUE = load_catalogue()


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    """The bundled Dresden graph plus one resource with hostile labels."""
    with running_server(
        "--data", str(resources.data_dir()), "--data", str(HOSTILE), "--data", str(MARKS)
    ) as url:
        yield url


@pytest.fixture(scope="module")
def store() -> caregraph.OxigraphStore:
    return open_store([resources.data_dir(), HOSTILE, MARKS])  # type: ignore[return-value]


def q(params: dict[str, str]) -> str:
    return urllib.parse.urlencode(params)


# --- pages -------------------------------------------------------------------------------


def test_home_shows_counts_sources_themes_and_search(base: str) -> None:
    reply = fetch(base + "/?lang=en")
    assert reply.status == 200
    assert reply.headers["content-type"].startswith("text/html")
    assert reply.headers["content-security-policy"] == CSP
    assert reply.headers["x-content-type-options"] == "nosniff"
    assert reply.headers["content-language"] == "en"
    html = reply.text
    assert "urban district" in html and ">10<" in html  # 10 Stadtbezirke
    assert "Responsibility and status" in html and "Districts and coverage" in html
    assert "Report" in html or "report" in html  # a source
    assert 'action="/search"' in html
    assert "<script" not in html.replace("&lt;script", "")
    head = fetch(base + "/", method="HEAD")
    assert head.status == 200 and head.body == b""


def test_language_from_query_then_accept_language_then_german(base: str) -> None:
    assert "Verantwortung und Status" in fetch(base + "/").text
    english = fetch(base + "/", headers={"Accept-Language": "en-GB,en;q=0.9,de;q=0.5"})
    assert "Responsibility and status" in english.text
    assert english.headers["content-language"] == "en"
    german = fetch(base + "/?lang=de", headers={"Accept-Language": "en"})
    assert "Verantwortung und Status" in german.text
    assert german.headers["content-language"] == "de"
    # The switch keeps the other query parameters.
    page = fetch(base + "/search?q=Prohlis&lang=de").text
    assert 'href="/search?q=Prohlis&amp;lang=en"' in page


def test_search_finds_a_district_in_either_language(base: str) -> None:
    page = fetch(base + "/search?" + q({"q": "prohl", "lang": "en"})).text
    assert 'href="/dresden/prohlis?lang=en"' in page
    assert "Prohlis" in page
    english = fetch(base + "/search?" + q({"q": "welfare office", "lang": "en"})).text
    assert "/dresden/sozialamt" in english
    assert "Nothing found." in fetch(base + "/search?q=zzzxqy&lang=en").text


def test_query_page_form_results_links_downloads_sparql_permalink(base: str) -> None:
    reply = fetch(base + "/queries/actors_in_district?" + q({"district": "Prohlis", "lang": "en"}))
    assert reply.status == 200
    html = reply.text
    assert '<span id="row-count">8</span>' in html
    assert 'list="choices-district"' in html and '<option value="Prohlis">' in html
    assert 'href="/dresden/sozialamt?lang=en"' in html  # a result links to its resource page
    for fmt in download_formats():
        assert f'id="download-{fmt}"' in html
    assert "/api/queries/actors_in_district?district=Prohlis&amp;format=csv&amp;download=1" in html
    assert 'id="permalink" href="/queries/actors_in_district?district=Prohlis&amp;lang=en"' in html
    assert "PREFIX cg:" in html  # the SPARQL text


def test_query_page_choices_for_fixed_values_and_defaults(base: str) -> None:
    html = fetch(base + "/queries/responsibilities?lang=en").text
    assert "<select" in html or 'list="choices-' in html
    assert "Result:" in html  # no required parameter: runs with the defaults


def test_query_page_errors(base: str) -> None:
    wrong = fetch(base + "/queries/actors_in_district?district=Prohlitz&lang=en")
    assert wrong.status == 400
    assert "Closest labels: Prohlis" in wrong.text
    unknown = fetch(base + "/queries/actors_in_district?color=red")
    assert unknown.status == 400 and "has no parameter" in unknown.text
    assert fetch(base + "/queries/no_such_query").status == 404


def test_queries_list_and_ontology_and_vocab_pages(base: str) -> None:
    listing = fetch(base + "/queries?lang=en").text
    for query in CATALOGUE:
        assert f"/queries/{query.id}?lang=en" in listing
    ontology = fetch(base + "/ontology?lang=en").text
    assert 'id="Measure"' in ontology and "cg:servesGoal" in ontology
    vocab = fetch(base + "/vocab/sector-state?lang=en")
    assert vocab.status == 200 and "state" in vocab.text


def test_resource_page_label_type_properties_incoming_source(base: str) -> None:
    reply = fetch(base + "/dresden/sozialamt?lang=en")
    assert reply.status == 200
    html = reply.text
    assert "<h1>Social Welfare Office</h1>" in html
    assert (
        'href="/resource?iri=https%3A%2F%2Fw3id.org%2Fcaregraph%2Fontology%23AdministrativeUnit&amp;lang=en"'
        in html
    )
    assert "Aufgabe Sozialamt" in html  # the source quote
    assert "Slide" in html and ">6<" in html
    assert "Links to this resource" in html
    assert (
        fetch(base + "/dresden/sozialamt?lang=de").text.count("Verweise auf diese Ressource") == 1
    )


def test_certainty_marks_on_resource_pages(base: str) -> None:
    html = fetch(base + "/dresden/gb-arbeit-soziales-gesundheit-wohnen?lang=en").text
    assert "Certainty" in html and "unconfirmed" in html
    # A mark on one statement stands beside its value and leads to the statement.
    marked = fetch(base + "/dresden/hostile-initiative?lang=en").text
    assert (
        '<a href="/dresden/prohlis?lang=en" title="https://w3id.org/caregraph/dresden/prohlis">'
        'Prohlis</a> <span class="mark" title="Certainty">'
        '<a href="/dresden/mark-hostile-active-in-prohlis?lang=en"'
    ) in marked


def test_generic_resource_route_and_not_found(base: str) -> None:
    iri = "http://www.w3.org/ns/prov#Entity"
    assert fetch(base + "/resource?" + q({"iri": iri})).status == 200
    assert fetch(base + "/dresden/no-such-thing").status == 404
    assert fetch(base + "/resource?" + q({"iri": "https://example.org/x"})).status == 404
    assert fetch(base + "/other/thing").status == 404
    # Text that is no IRI is never handed to a query.
    assert fetch(base + "/resource?" + q({"iri": "https://x.org/a b"})).status == 404
    assert fetch(base + "/dresden/a%22%3E%3Cscript%3E").status == 404
    assert fetch(base + "/resource").status == 404


@pytest.mark.parametrize(
    ("accept", "media", "rdflib_format"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/rdf+xml;q=0.5, text/turtle;q=0.9", "text/turtle", "turtle"),
    ],
)
def test_resource_content_negotiation(
    base: str, accept: str, media: str, rdflib_format: str
) -> None:
    reply = fetch(base + "/dresden/prohlis", headers={"Accept": accept})
    assert reply.status == 200
    assert reply.headers["content-type"].startswith(media)
    assert "Accept" in reply.headers["vary"]
    graph = rdflib.Graph().parse(data=reply.body, format=rdflib_format)
    prohlis = rdflib.URIRef("https://w3id.org/caregraph/dresden/prohlis")
    assert (prohlis, rdflib.RDFS.label, rdflib.Literal("Prohlis", lang="de")) in graph
    assert any(graph.triples((None, None, prohlis)))  # incoming links too


def test_resource_format_parameter_and_406(base: str) -> None:
    reply = fetch(base + "/dresden/prohlis?format=nt")
    assert reply.headers["content-type"].startswith("application/n-triples")
    assert "<https://w3id.org/caregraph/dresden/prohlis>" in reply.text
    assert fetch(base + "/dresden/prohlis", headers={"Accept": "image/png"}).status == 406
    assert fetch(base + "/dresden/prohlis?format=docx").status == 400
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert (
        fetch(base + "/dresden/prohlis", headers={"Accept": browser})
        .headers["content-type"]
        .startswith("text/html")
    )


# --- safety ------------------------------------------------------------------------------


def test_hostile_labels_are_shown_as_text(base: str) -> None:
    for path in (
        "/dresden/hostile-initiative?lang=de",
        "/dresden/hostile-initiative?lang=en",
        "/search?q=initiative&lang=en",
        "/queries/actors_in_district?district=Prohlis&lang=de",
        "/dresden/prohlis?lang=en",
    ):
        html = fetch(base + path).text
        assert "<script>alert" not in html, path
        assert "<img src=x" not in html, path
        assert '<form action="https://evil.example">' not in html, path
    page = fetch(base + "/dresden/hostile-initiative?lang=de").text
    assert "&lt;script&gt;alert(&#39;de&#39;)&lt;/script&gt; Initiative &amp; Co" in page
    assert (
        "&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;form"
        in fetch(base + "/dresden/hostile-initiative?lang=en").text
    )


@pytest.mark.parametrize(
    "path",
    [
        "/static/../pyproject.toml",
        "/static/%2e%2e/%2e%2e/pyproject.toml",
        "/static/..%2f..%2fpyproject.toml",
        "/dresden/..%2F..%2Fpyproject.toml",
        "/vocab/%2e%2e",
        "/static/../../../../etc/passwd",
    ],
)
def test_no_path_traversal(base: str, path: str) -> None:
    reply = fetch(base + path)
    assert reply.status in (400, 404)
    assert b"[build-system]" not in reply.body and b"root:" not in reply.body


def test_static_css_is_served(base: str) -> None:
    reply = fetch(base + "/static/style.css")
    assert reply.status == 200 and reply.headers["content-type"].startswith("text/css")


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "POST"])
def test_no_write_routes(base: str, method: str) -> None:
    for path in ("/", "/dresden/prohlis", "/api/queries/responsibilities", "/queries/timeline"):
        assert fetch(base + path, data=b"x", method=method).status == 405, (method, path)


def test_request_size_limits(base: str) -> None:
    # The server answers as soon as it sees the declared length, before any body is sent.
    host, port = urllib.parse.urlsplit(base).netloc.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.putrequest("POST", "/sparql")
    connection.putheader("Content-Type", "application/x-www-form-urlencoded")
    connection.putheader("Content-Length", "200000")
    connection.endheaders()
    response = connection.getresponse()
    assert response.status == 413 and b"larger than 100000 bytes" in response.read()
    connection.close()
    # A body just under the limit is read and answered.
    body = b"query=ASK+%7B%7D" + b"+" * 99_000
    reply = fetch(base + "/sparql", data=body, method="POST",
                  headers={"Content-Type": "application/x-www-form-urlencoded",
                           "Accept": "application/sparql-results+json"})  # fmt: skip
    assert reply.status == 200 and json.loads(reply.body)["boolean"] is True
    long_url = base + "/search?q=" + "a" * 9000
    assert fetch(long_url).status == 414


# --- web API -----------------------------------------------------------------------------


def test_api_json_gives_the_librarys_rows(base: str, store: caregraph.OxigraphStore) -> None:
    reply = fetch(base + "/api/queries/actors_in_district?district=Prohlis")
    assert reply.status == 200 and reply.headers["content-type"].startswith("application/json")
    expected = caregraph.run_query("actors_in_district", store=store, district="Prohlis")
    assert json.loads(reply.body) == expected.to_dicts()


@pytest.mark.parametrize("fmt", download_formats())
def test_api_every_format(base: str, store: caregraph.OxigraphStore, fmt: str) -> None:
    reply = fetch(
        base + "/api/queries/goals_without_measures?" + q({"format": fmt, "download": "1"})
    )
    assert reply.status == 200
    assert reply.headers["content-type"].split(";")[0] == TABLE_MEDIA[fmt]
    assert reply.headers["content-disposition"].startswith(
        'attachment; filename="goals_without_measures.'
    )
    table = caregraph.run_query("goals_without_measures", store=store)
    assert reply.text == format_result(table, fmt, store, "de")


def test_api_format_by_accept_header(base: str) -> None:
    reply = fetch(base + "/api/queries/goals_without_measures",
                  headers={"Accept": "application/sparql-results+xml"})  # fmt: skip
    assert reply.headers["content-type"].startswith("application/sparql-results+xml")
    result = Result.parse(io.BytesIO(reply.body), format="xml")
    local = caregraph.run_query("goals_without_measures")  # the same rows as the library
    assert {b[rdflib.Variable("goal")] for b in result.bindings} == {
        row[0] for row in local.rows
    } and len(result.bindings) == len(local.rows) > 0
    csv = fetch(base + "/api/queries/goals_without_measures", headers={"Accept": "text/csv"})
    assert csv.text.startswith("goal,goal_label,phase,source_slide")
    assert fetch(base + "/api/queries/goals_without_measures",
                 headers={"Accept": "image/png"}).status == 406  # fmt: skip


def test_api_errors_are_json(base: str) -> None:
    missing = fetch(base + "/api/queries/no_such")
    assert missing.status == 404 and "no stored query" in json.loads(missing.body)["error"]
    bad = fetch(base + "/api/queries/undated_steps?today=yesterday")
    assert bad.status == 400 and "xsd:date" in json.loads(bad.body)["error"]
    assert fetch(base + "/api/queries/timeline?format=docx").status == 406


def test_api_list(base: str) -> None:
    listing = json.loads(fetch(base + "/api/queries?lang=en").body)
    assert {item["id"] for item in listing} == set(CATALOGUE.queries)
    assert (
        next(i for i in listing if i["id"] == "actors_in_district")["params"][0]["name"]
        == "district"
    )


def test_openapi_is_valid_and_generated_from_headers(base: str) -> None:
    spec = json.loads(fetch(base + "/openapi.json?lang=en").body)
    validate_openapi(spec)
    assert spec["openapi"].startswith("3.")
    for query in CATALOGUE:
        operation = spec["paths"][f"/api/queries/{query.id}"]["get"]
        assert operation["summary"] == query.title["en"]
        names = [p["name"] for p in operation["parameters"]]
        assert names[: len(query.params)] == [p.name for p in query.params]
    assert "post" in spec["paths"]["/sparql"]
    german = json.loads(fetch(base + "/openapi.json").body)  # German by default
    assert (
        german["paths"]["/api/queries/timeline"]["get"]["summary"]
        == CATALOGUE.get("timeline").title["de"]
    )


def test_api_docs_page_works_without_javascript(base: str) -> None:
    reply = fetch(base + "/api?lang=en")
    assert reply.status == 200
    html = reply.text
    assert "<script" not in html
    assert 'action="/api/queries/actors_in_district" method="get"' in html
    assert 'href="/openapi.json?lang=en"' in html


# --- SPARQL protocol ---------------------------------------------------------------------

SELECT = "SELECT ?d WHERE { ?d a cg:UrbanDistrict } ORDER BY ?d"


def _bindings(reply_body: bytes) -> list[str]:
    return [b["d"]["value"] for b in json.loads(reply_body)["results"]["bindings"]]


def test_sparql_get_post_form_and_direct(base: str) -> None:
    get = fetch(base + "/sparql?" + q({"query": SELECT}),
                headers={"Accept": "application/sparql-results+json"})  # fmt: skip
    assert get.status == 200
    assert get.headers["content-type"].startswith("application/sparql-results+json")
    districts = _bindings(get.body)
    assert len(districts) == 10 and "https://w3id.org/caregraph/dresden/prohlis" in districts
    form = fetch(base + "/sparql", data=q({"query": SELECT}).encode(), method="POST",
                 headers={"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
    direct = fetch(base + "/sparql", data=SELECT.encode(), method="POST",
                   headers={"Content-Type": "application/sparql-query"})  # fmt: skip
    assert _bindings(form.body) == districts == _bindings(direct.body)


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("*/*", "application/sparql-results+json"),
    ],
)
def test_sparql_result_formats(base: str, accept: str, media: str) -> None:
    reply = fetch(base + "/sparql?" + q({"query": SELECT}), headers={"Accept": accept})
    assert reply.headers["content-type"].startswith(media)
    assert "prohlis" in reply.text


def test_sparql_ask_construct_describe(base: str) -> None:
    ask = fetch(base + "/sparql?" + q({"query": "ASK { dd:prohlis a cg:UrbanDistrict }"}),
                headers={"Accept": "application/sparql-results+json"})  # fmt: skip
    assert json.loads(ask.body)["boolean"] is True
    construct = "CONSTRUCT { ?d a cg:UrbanDistrict } WHERE { ?d a cg:UrbanDistrict }"
    turtle = fetch(base + "/sparql?" + q({"query": construct}), headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert len(rdflib.Graph().parse(data=turtle.body, format="turtle")) == 10
    nt = fetch(base + "/sparql?" + q({"query": construct}),
               headers={"Accept": "application/n-triples"})  # fmt: skip
    assert len(rdflib.Graph().parse(data=nt.body, format="nt")) == 10
    describe = fetch(base + "/sparql?" + q({"query": "DESCRIBE dd:prohlis"}),
                     headers={"Accept": "application/ld+json"})  # fmt: skip
    assert describe.status == 200 and "prohlis" in describe.text


@pytest.mark.parametrize(
    ("request_kwargs", "status", "words"),
    [
        ({"path": "/sparql?update=" + urllib.parse.quote("CLEAR ALL")}, 403, "Update"),
        (
            {"path": "/sparql?query=" + urllib.parse.quote("DELETE WHERE { ?s ?p ?o }")},
            403,
            "Update",
        ),
        (
            {"path": "/sparql", "data": b"DROP ALL", "content_type": "application/sparql-update"},
            403,
            "Update",
        ),
        (
            {
                "path": "/sparql",
                "data": b"update=CLEAR+ALL",
                "content_type": "application/x-www-form-urlencoded",
            },
            403,
            "Update",
        ),
        (
            {
                "path": "/sparql?query="
                + urllib.parse.quote(
                    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
                )
            },
            403,
            "SERVICE",
        ),
        ({"path": "/sparql?query=" + urllib.parse.quote("SELEKT nonsense")}, 400, "syntax"),
        # An update hidden by an escape and a prefix named like a query form.
        (
            {
                "path": "/sparql?query="
                + urllib.parse.quote("PREFIX select: <urn:x#> \\u0044ROP ALL")
            },
            403,
            "Update",
        ),
        (
            {"path": "/sparql?query=" + urllib.parse.quote("ASK " + "{" * 40 + "}" * 40)},
            400,
            "nests",
        ),
        (
            {"path": "/sparql", "data": b"x", "content_type": "text/plain"},
            415,
            "application/sparql-query",
        ),
        (
            {
                "path": "/sparql?query="
                + urllib.parse.quote("ASK {}")
                + "&default-graph-uri=http://x.org/g"
            },
            400,
            "default-graph-uri",
        ),
        ({"path": "/sparql"}, 400, "query="),
    ],
)
def test_sparql_refusals(
    base: str, request_kwargs: dict[str, object], status: int, words: str
) -> None:
    data = request_kwargs.get("data")
    headers = {"Accept": "application/sparql-results+json"}
    if "content_type" in request_kwargs:
        headers["Content-Type"] = str(request_kwargs["content_type"])
    reply = fetch(base + str(request_kwargs["path"]), data=data, headers=headers,  # type: ignore[arg-type]
                  method="POST" if data is not None else "GET")  # fmt: skip
    assert reply.status == status
    assert words.lower() in reply.text.lower()


def test_sparql_html_form_and_results(base: str) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    form = fetch(base + "/sparql?lang=en", headers={"Accept": browser})
    assert form.status == 200 and '<textarea id="sparql-query" name="query"' in form.text
    results = fetch(
        base + "/sparql?" + q({"query": SELECT, "lang": "en"}), headers={"Accept": browser}
    )
    assert results.status == 200 and 'href="/dresden/prohlis?lang=en"' in results.text
    # The page's own form posts the query with its language.
    posted = fetch(base + "/sparql", data=q({"query": SELECT, "lang": "en"}).encode(), method="POST",
                   headers={"Accept": browser, "Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert posted.status == 200 and 'href="/dresden/prohlis?lang=en"' in posted.text
    assert '<input type="hidden" name="lang" value="en">' in posted.text


def test_cli_endpoint_gives_the_same_rows_as_the_local_store(base: str) -> None:
    """Every stored query with each of its examples' parameters, over HTTP and locally."""
    runner = CliRunner()
    data = ["--data", str(resources.data_dir()), "--data", str(HOSTILE), "--data", str(MARKS)]
    for query in CATALOGUE:
        for example in query.examples:
            params = [f"--param={k}={v}" for k, v in example.params.items()]
            remote = runner.invoke(cli, ["--endpoint", base + "/sparql", "query", query.id,
                                         "--format", "csv", *params])  # fmt: skip
            local = runner.invoke(cli, [*data, "query", query.id, "--format", "csv", *params])
            assert remote.exit_code == 0, remote.output
            assert sorted(remote.output.splitlines()) == sorted(local.output.splitlines()), query.id


# --- validation --------------------------------------------------------------------------


def test_validation_page_lists_findings(base: str) -> None:
    reply = fetch(base + "/validation?lang=en")
    assert reply.status == 200
    html = reply.text
    assert "Layers checked: syntax, vocabulary, shapes, rules" in html
    assert "measures.ttl" in html and "warning" in html and "info" in html
    assert "Add cg:servesGoal to this resource" in html  # a hint
    german = fetch(base + "/validation?lang=de").text
    assert "Geprüfte Ebenen" in german


# --- limits ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tight() -> Iterator[str]:
    """A server that allows at most 5 rows and shows 3 on a page."""
    with running_server(serve_args=("--max-rows", "5", "--page-rows", "3")) as url:
        yield url


def test_result_size_limit_on_sparql_api_and_pages(tight: str) -> None:
    everything = fetch(tight + "/sparql?" + q({"query": "SELECT * WHERE { ?s ?p ?o }"}),
                       headers={"Accept": "application/sparql-results+json"})  # fmt: skip
    assert everything.status == 422 and "more than the limit of 5" in everything.text
    api = fetch(tight + "/api/queries/actors_in_district?district=Prohlis")
    assert api.status == 422 and "limit of 5" in json.loads(api.body)["error"]
    page = fetch(tight + "/queries/actors_in_district?district=Prohlis&lang=en")
    assert page.status == 422 and "limit of 5" in page.text
    small = fetch(tight + "/api/queries/goals_without_measures")
    assert small.status == 200


def test_pages_show_the_first_rows_and_count_all(tight: str) -> None:
    html = fetch(tight + "/queries/meeting_participants?lang=en").text
    assert '<span id="row-count">4</span>' in html
    assert "The first 3 rows are shown; the downloads hold all of them." in html
    table = html[html.index('<section class="result">') :]
    assert table.count("<tr><td>") == 3
    assert len(json.loads(fetch(tight + "/api/queries/meeting_participants").body)) == 4


def test_time_limit() -> None:
    # A count that would run for hours inside one engine step (no row to stop at): /sparql
    # runs it in a child process, killed at the limit.
    slow = (
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i "
        "FILTER(STRLEN(STR(?c)) + STRLEN(STR(?f)) + STRLEN(STR(?i)) > 1000000) }"
    )
    with running_server(serve_args=("--timeout", "0.5")) as url:
        # One more than the server has workers: were the queries still running, the last
        # ones would find no free worker.
        for _ in range(Limits().workers + 1):
            reply = fetch(url + "/sparql?" + q({"query": slow}),
                          headers={"Accept": "application/sparql-results+json"})  # fmt: skip
            assert reply.status == 503
            assert "time limit of 0.5 s" in reply.text
        # The server still answers the next requests, queries included.
        assert fetch(url + "/openapi.json").status == 200
        small = fetch(url + "/sparql?" + q({"query": "SELECT ?s WHERE { ?s a cg:Measure }"}),
                      headers={"Accept": "text/csv"})  # fmt: skip
        assert small.status == 200 and small.text.startswith("s\r\n") and "dresden" in small.text


def test_a_query_past_its_time_limit_stops_and_frees_its_worker() -> None:
    # Billions of rows, streamed: it stops at its next rows once the limit has passed.
    endless = "SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with running_server(serve_args=("--timeout", "1")) as url:
        # One more than the server has workers: had the abandoned queries run on, every
        # worker would still be busy and the last requests would time out waiting.
        for _ in range(Limits().workers + 1):
            reply = fetch(url + "/sparql?" + q({"query": endless}),
                          headers={"Accept": "application/sparql-results+json"})  # fmt: skip
            assert reply.status == 503 and "time limit of 1 s" in reply.text
        page = fetch(url + "/queries/actors_in_district?district=Prohlis&lang=en")
        assert page.status == 200 and '<span id="row-count">' in page.text
        api = fetch(url + "/api/queries/meeting_participants?format=csv")
        assert api.status == 200 and api.text.startswith("meeting,")


# --- the command -------------------------------------------------------------------------


def test_serve_help_and_bad_port() -> None:
    runner = CliRunner()
    help_text = runner.invoke(cli, ["serve", "--help"]).output
    assert "--host" in help_text and "127.0.0.1" in help_text and "--max-rows" in help_text
    bad = runner.invoke(cli, ["serve", "--port", "70000"])
    assert bad.exit_code == 2 and "not a TCP port" in bad.output
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        busy = runner.invoke(cli, ["serve", "--port", str(port)])
    assert busy.exit_code == 2
    assert f"Cannot listen on 127.0.0.1:{port}" in busy.output and "another --port" in busy.output


def test_ontology_as_rdf(base: str) -> None:
    reply = fetch(base + "/ontology", headers={"Accept": "text/turtle"})
    assert reply.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=reply.body, format="turtle")
    measure = rdflib.URIRef("https://w3id.org/caregraph/ontology#Measure")
    assert (measure, rdflib.RDF.type, rdflib.OWL.Class) in graph
    jsonld = fetch(base + "/ontology?format=jsonld")
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert fetch(base + "/ontology?format=docx").status == 400


# --- behind a reverse proxy --------------------------------------------------------------


def test_links_carry_the_root_path_behind_a_proxy() -> None:
    with running_server(serve_args=("--root-path", "/caregraph")) as url:
        # The proxy strips the prefix (nginx: proxy_pass http://127.0.0.1:8000/;).
        html = fetch(url + "/dresden/sozialamt?lang=en").text
        assert 'href="/caregraph/static/style.css"' in html
        assert 'href="/caregraph/dresden/landeshauptstadt-dresden?lang=en"' in html
        assert 'href="/caregraph/dresden/sozialamt?lang=de"' in html
        page = fetch(url + "/queries/actors_in_district?district=Prohlis").text
        assert 'action="/caregraph/queries/actors_in_district"' in page
        assert (
            'href="/caregraph/api/queries/actors_in_district?district=Prohlis&amp;format=csv'
            in page
        )


def test_rdflib_backend_serves_the_same(base: str) -> None:
    with running_server("--backend", "rdflib") as url:
        for path in ("/api/queries/actors_in_district?district=Loschwitz", "/api/queries/timeline"):
            assert json.loads(fetch(url + path).body) == json.loads(fetch(base + path).body)
        page = fetch(url + "/dresden/sozialamt?lang=en")
        assert page.status == 200 and "<h1>Social Welfare Office</h1>" in page.text


def test_the_network_map_is_a_page_with_its_own_policy(base: str) -> None:
    from caregraph.netmap.document import CSP as MAP_CSP

    home = fetch(base + "/?lang=en").text
    assert 'href="/map?lang=en"' in home
    reply = fetch(base + "/map?lang=en")
    assert reply.status == 200
    assert reply.headers["content-security-policy"] == MAP_CSP  # inline script, no requests
    assert reply.headers["x-content-type-options"] == "nosniff"
    html = reply.text
    assert 'id="netmap-data"' in html and "cytoscape" in html
    # each node links to its resource page on this server
    assert '"url": "/resource?iri=https%3A%2F%2Fw3id.org%2Fcaregraph%2Fdresden%2Fsozialamt"' in html
    # every other page keeps the strict policy
    assert fetch(base + "/?lang=en").headers["content-security-policy"] == CSP


def test_serve_reads_a_persistent_store(tmp_path: Path) -> None:
    """`caregraph --store DIR serve` answers from the store built by `caregraph load`."""
    store_dir = tmp_path / "store"
    loaded = CliRunner().invoke(cli, ["load", "--store", str(store_dir)])
    assert loaded.exit_code == 0, loaded.output
    with running_server("--store", str(store_dir)) as url:
        reply = fetch(url + "/api/queries/goals_without_measures?format=json")
        assert reply.status == 200
        served = {row["goal"] for row in json.loads(reply.text)}
        local = caregraph.run_query("goals_without_measures")
        assert served == {str(row[0]) for row in local.rows} and served
        assert fetch(url + "/dresden/prohlis?lang=en").status == 200
        assert fetch(url + "/map?lang=en").status == 200


def test_answers_follow_the_readers_language(base: str) -> None:
    """The texts a stored query computes come in the page's language, as with --lang."""
    english = fetch(base + "/queries/actors_in_district?district=Prohlis&lang=en").text
    # (the SPARQL text shown below the table holds both words)
    assert "<td>active city-wide</td>" in english and "<td>stadtweit aktiv</td>" not in english
    german = fetch(base + "/queries/actors_in_district?district=Prohlis&lang=de").text
    assert "<td>stadtweit aktiv</td>" in german and "<td>active city-wide</td>" not in german
    rows = json.loads(
        fetch(base + "/api/queries/actors_in_district?district=Prohlis&format=json&lang=en").text
    )
    assert "active city-wide" in {row["relation"] for row in rows}


def test_every_link_on_a_resource_page_leads_somewhere(base: str) -> None:
    """Local links answer 200; another vocabulary's property (rdfs:label, dcterms:source)
    links to its own IRI, as the graph does not describe it."""
    import re

    html = fetch(base + "/dresden/sozialamt?lang=de").text
    hrefs = set(re.findall(r'href="([^"]+)"', html))
    assert 'href="http://www.w3.org/2000/01/rdf-schema#label"' in html
    assert "http://purl.org/dc/terms/source" in hrefs
    local = sorted(h.replace("&amp;", "&") for h in hrefs if h.startswith("/"))
    assert len(local) > 10
    broken = [h for h in local if fetch(base + h).status != 200]
    assert broken == []


def test_the_network_map_opens_with_the_filters_asked_for(
    base: str, store: caregraph.OxigraphStore
) -> None:
    """/map?district=... opens the map filtered, as `caregraph map --district`; an unknown
    name is a 400 that names it (not the whole map as if nothing were asked)."""
    from caregraph.netmap import map_page

    reply = fetch(base + "/map?" + q({"district": "Prohlis", "lang": "en"}))
    assert reply.status == 200
    expected = map_page(store, lang="en", district="Prohlis", resource_url="/resource?iri={iri}")
    assert reply.text == expected
    assert reply.text != fetch(base + "/map?lang=en").text
    wrong = fetch(base + "/map?" + q({"district": "Prohlies", "lang": "en"}))
    assert wrong.status == 400
    assert "Prohlies" in wrong.text and "Prohlis" in wrong.text  # the closest name
