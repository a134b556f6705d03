"""The read-only web application: pages for people, an API and a SPARQL endpoint for programs.

``create_app`` builds a Starlette application over any ``GraphStore``; ``caregraph serve``
runs it with uvicorn. There are no write routes: every route answers GET (``/sparql`` also
POST, for queries only). HTML is rendered on the server by Jinja2 with autoescaping, so a
label is always shown as text, and needs no JavaScript.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

import rdflib
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from caregraph import resources
from caregraph.errors import (
    CaregraphError,
    InputError,
    QueryTimeout,
    ResultTooLarge,
    UsageError,
)
from caregraph.guard import check_query
from caregraph.loading import parse_file
from caregraph.namespaces import CGV, DD, is_safe_iri
from caregraph.netmap import map_page
from caregraph.netmap.document import CSP as MAP_CSP
from caregraph.output import for_reading, format_boolean, format_graph, result_chunks
from caregraph.queries import (
    THEMES,
    Catalogue,
    StoredQuery,
    parameter_choices,
    run_sparql,
    run_stored,
)
from caregraph.results import ResultTable
from caregraph.store import GraphStore
from caregraph.validation import validate
from caregraph.web import graphview
from caregraph.web.formats import (
    ASK_OFFERS,
    GRAPH_OFFERS,
    RDF_EXTENSIONS,
    RDF_MEDIA,
    SELECT_OFFERS,
    TABLE_EXTENSIONS,
    TABLE_MEDIA,
    download_formats,
    media_type,
    negotiate,
    rdf_format_named,
)
from caregraph.web.i18n import LANGS, choose_lang, text
from caregraph.web.limits import Limits, Runner
from caregraph.web.openapi import RESERVED, openapi_spec

#: The Content-Security-Policy of every response: no scripts at all, styles and images only
#: from this server, forms only to this server, never framed.
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
_SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]
#: An absolute IRI starts with a scheme (the rest is checked by ``is_safe_iri``).
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_NO_UPDATE = (
    "This endpoint only reads: SPARQL Update is refused. Change the data files (or the store) "
    "instead."
)
_NO_SERVICE = "SERVICE is refused: this endpoint does not call other endpoints."
#: Most choices a parameter's autocompletion list offers.
MAX_CHOICES = 2000


@dataclass
class ServeConfig:
    """What the app serves and how.

    Attributes:
        catalogue: the stored queries.
        limits: time and size limits.
        data_paths: the RDF files served (None: the bundled graph), for the validation
            page; empty when the graph is not held in files (an endpoint).
        validation_layers: the layers the validation page runs.
        extra_routes: further routes to mount (e.g. the network map at /map).
    """

    catalogue: Catalogue
    limits: Limits = field(default_factory=Limits)
    data_paths: Sequence[str] | None = None
    validation_layers: Sequence[str] = ("syntax", "vocabulary", "shapes", "rules")
    extra_routes: list[Route] = field(default_factory=list)


@dataclass(frozen=True)
class Shown:
    """What a page says about a result besides its rows: the columns shown, all rows' count."""

    columns: list[str]
    count: int


class Guard:
    """ASGI middleware: security headers on every response, and request size limits."""

    def __init__(self, app: ASGIApp, limits: Limits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                given = message.get("headers", [])
                # A page of ours that needs its own policy (the network map runs its inlined
                # script) sets it; every other response gets the strict one.
                own = [(k, v) for k, v in given if k == b"content-security-policy"]
                secured = [h for h in _SECURITY_HEADERS if not (own and h[0] == own[0][0])]
                headers = [(k, v) for k, v in given if k not in dict(secured)]
                message = {**message, "headers": headers + secured}
            await send(message)

        url_bytes = len(scope.get("raw_path") or scope["path"].encode()) + len(
            scope.get("query_string", b"")
        )
        if url_bytes > self.limits.max_url_bytes:
            await _plain(
                send_secured,
                414,
                f"The URL is longer than {self.limits.max_url_bytes} "
                "bytes; send a long SPARQL query by POST.",
            )
            return
        headers = dict(scope.get("headers", []))
        length = headers.get(b"content-length")
        if length is not None and (
            not length.isdigit() or int(length) > self.limits.max_request_bytes
        ):
            await _plain(
                send_secured,
                413,
                f"The request body is larger than {self.limits.max_request_bytes} bytes.",
            )
            return
        received = 0

        async def bounded_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limits.max_request_bytes:
                    raise HTTPException(413, "The request body is too large.")
            return message

        await self.app(scope, bounded_receive, send_secured)


async def _plain(send: Callable[[Message], Awaitable[None]], status: int, message: str) -> None:
    body = message.encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _status(exc: CaregraphError) -> int:
    """The HTTP status for a caregraph error."""
    if isinstance(exc, ResultTooLarge):
        return 422
    if isinstance(exc, QueryTimeout):
        return 503
    if isinstance(exc, InputError):
        return 502  # only a remote endpoint behind caregraph raises it while serving
    return 400


class WebApp:
    """The routes, over one store and one catalogue."""

    def __init__(self, store: GraphStore, config: ServeConfig) -> None:
        self.store = store
        self.config = config
        self.catalogue = config.catalogue
        self.limits = config.limits
        self.runner = Runner(config.limits)
        self.env = Environment(
            loader=PackageLoader("caregraph.web", "templates"),
            autoescape=select_autoescape(["html"], default=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.labels = graphview.LabelCache(store)
        self._choices: dict[tuple[str, str], list[str]] = {}
        self._validation: dict[str, Any] = {}
        self._ontology: dict[str, str] = {}

    # --- helpers ------------------------------------------------------------------------

    def lang(self, request: Request) -> str:
        chosen = request.query_params.get("lang") or request.scope.get("caregraph.lang")
        return choose_lang(chosen, request.headers.get("accept-language"))

    def render(
        self, request: Request, template: str, status: int = 200, **context: Any
    ) -> HTMLResponse:
        lang = self.lang(request)
        root = request.scope.get("root_path", "")
        params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
        path = request.url.path
        if root and path.startswith(root + "/"):
            path = path[len(root) :]  # uvicorn puts the root path in front; u() adds it back
        switch = {other: path + "?" + urlencode([*params, ("lang", other)]) for other in LANGS}
        html = self.env.get_template(template).render(
            lang=lang,
            t=lambda key, **values: text(key, lang, **values),
            u=lambda path: root + path if path and path.startswith("/") else path,
            switch=switch,
            themes=THEMES,
            has_map=any(r.path == "/map" for r in self.config.extra_routes),
            limits=self.limits,
            page=graphview.page_path,
            **context,
        )
        response = HTMLResponse(html, status_code=status)
        response.headers["Content-Language"] = lang
        response.headers["Vary"] = "Accept, Accept-Language"
        return response

    def not_found(self, request: Request) -> HTMLResponse:
        return self.render(
            request,
            "error.html",
            404,
            title=text("not_found", self.lang(request)),
            message=text("not_found_text", self.lang(request)),
        )

    def choices(self, query: StoredQuery) -> dict[str, list[str]]:
        """Autocompletion values per parameter (computed once: the graph never changes)."""
        out = {}
        for param in query.params:
            key = (query.id, param.name)
            if key not in self._choices:
                self._choices[key] = parameter_choices(query, param, self.store)[:MAX_CHOICES]
            out[param.name] = self._choices[key]
        return out

    # --- pages --------------------------------------------------------------------------

    async def home(self, request: Request) -> Response:
        lang = self.lang(request)
        summary = await self.runner.call(graphview.summary, self.store, lang, self.labels)
        return self.render(request, "home.html", summary=summary, catalogue=self.by_theme())

    def by_theme(self) -> dict[str, list[StoredQuery]]:
        grouped: dict[str, list[StoredQuery]] = {theme: [] for theme in THEMES}
        for query in self.catalogue:
            grouped[query.theme].append(query)
        return grouped

    async def search(self, request: Request) -> Response:
        lang = self.lang(request)
        needle = request.query_params.get("q", "")[:200]
        hits = await self.runner.call(graphview.search, self.store, needle, lang, 100, self.labels)
        return self.render(request, "search.html", q=needle, hits=hits)

    async def queries(self, request: Request) -> Response:
        return self.render(request, "queries.html", catalogue=self.by_theme())

    def _given(self, request: Request, query: StoredQuery) -> dict[str, str]:
        given = {}
        for name, value in request.query_params.items():
            if name in RESERVED:
                continue
            query.param(name)  # ParameterError for an unknown one
            if value.strip():
                given[name] = value.strip()
        return given

    def _run(self, query: StoredQuery, given: dict[str, str], lang: str) -> ResultTable:
        # The computed texts and *_label columns follow the reader's language (?_lang).
        table = run_stored(query, self.store, given, lang=lang)
        self.runner.check_size(table)
        return table

    def _run_page(
        self, query: StoredQuery, given: dict[str, str], lang: str, root: str
    ) -> tuple[Shown, Markup]:
        table = self._run(query, given, lang)
        # Only the shown rows are rearranged for reading: a result may have 100,000 rows.
        shown = for_reading(ResultTable(table.columns, table.rows[: self.limits.page_rows]))
        cells = graphview.cells(shown.rows, self.store, lang, self.labels)
        return Shown(shown.columns, len(table)), graphview.cells_html(cells, lang, root)

    async def query_page(self, request: Request) -> Response:
        lang = self.lang(request)
        try:
            query = self.catalogue.get(request.path_params["name"])
        except UsageError:
            return self.not_found(request)
        error = None
        table = None
        rows = Markup("")
        status = 200
        given: dict[str, str] = {}
        try:
            given = self._given(request, query)
            missing = [p.name for p in query.params if p.required and p.name not in given]
            if not missing:
                table, rows = await self.runner.call(
                    self._run_page, query, given, lang, request.scope.get("root_path", "")
                )
        except CaregraphError as exc:
            error, status = str(exc), _status(exc)
        try:
            choices = await self.runner.call(self.choices, query)
        except QueryTimeout:
            # A huge graph: the form works without choices until they are computed (the
            # abandoned call finishes in its worker and fills the cache).
            choices = {}
        params = urlencode(given)
        downloads = [
            (
                fmt,
                f"/api/queries/{query.id}?" + urlencode({**given, "format": fmt, "download": "1"}),
            )
            for fmt in download_formats()
        ]
        return self.render(
            request, "query.html", status, query=query, given=given, choices=choices,
            error=error, table=table, rows=rows, downloads=downloads,
            permalink=f"/queries/{query.id}?" + urlencode({**given, "lang": lang}),
            api=f"/api/queries/{query.id}" + (f"?{params}" if params else ""),
        )  # fmt: skip

    async def resource(self, request: Request) -> Response:
        name = request.path_params.get("local")
        prefix = request.path_params.get("namespace")
        if prefix is not None and name is not None:
            iri = {"dresden": str(DD), "vocab": str(CGV)}[prefix] + name
        else:
            iri = request.query_params.get("iri", "")
        if not iri or len(iri) > 2000 or not (_SCHEME.match(iri) and is_safe_iri(iri)):
            return self.not_found(request)
        wanted = self.rdf_wanted(request)
        if isinstance(wanted, Response):
            return wanted
        if wanted is not None:
            graph = await self.runner.call(graphview.resource_graph, self.store, iri)
            if len(graph) == 0:
                return Response(
                    "Not found: the graph does not mention this IRI.", 404, media_type="text/plain"
                )
            body = format_graph(graph, wanted)
            return Response(body, media_type=media_type(wanted), headers={"Vary": "Accept"})
        lang = self.lang(request)
        view = await self.runner.call(graphview.describe, self.store, iri, lang, 200, self.labels)
        if view is None:
            return self.not_found(request)
        data_links = [
            (
                RDF_EXTENSIONS[f],
                graphview.page_path(iri)
                + ("&" if "?" in graphview.page_path(iri) else "?")
                + "format="
                + RDF_EXTENSIONS[f],
            )
            for f in ("turtle", "jsonld", "ntriples")
        ]
        response = self.render(
            request, "resource.html", view=view, data_links=data_links,
            count_cap=graphview.COUNT_CAP,
        )  # fmt: skip
        return response

    async def ontology(self, request: Request) -> Response:
        """The hash namespace cg: answers at /ontology: a page with every term as an anchor
        (``/ontology#Measure``), or the whole ontology as RDF by ``Accept`` or ``?format=``."""
        wanted = self.rdf_wanted(request)
        if isinstance(wanted, Response):
            return wanted
        if wanted is not None:
            if wanted not in self._ontology:
                self._ontology[wanted] = format_graph(
                    parse_file(resources.ontology_path(), rdflib.Graph()), wanted
                )
            return Response(
                self._ontology[wanted], media_type=media_type(wanted), headers={"Vary": "Accept"}
            )
        lang = self.lang(request)
        terms = await self.runner.call(graphview.ontology_terms, self.store, lang, self.labels)
        return self.render(request, "ontology.html", terms=terms)

    def rdf_wanted(self, request: Request) -> str | Response | None:
        """The RDF format a resource request asks for (``?format=``, else ``Accept``), None
        for the HTML page, or the error response for an unknown or unacceptable format."""
        fmt = request.query_params.get("format")
        if fmt == "html":
            return None
        if fmt:
            wanted = rdf_format_named(fmt)
            if wanted is None:
                return self.render(
                    request, "error.html", 400, title=text("error", self.lang(request)),
                    message=f"Unknown format '{fmt}'; use ttl, jsonld, nt, rdf or html.",
                )  # fmt: skip
            return wanted
        media = negotiate(request.headers.get("accept"), ["text/html", *RDF_MEDIA.values()])
        if media is None:
            return Response(
                "Not acceptable: this resource is offered as text/html, "
                + ", ".join(RDF_MEDIA.values()) + ".\n",
                406, media_type="text/plain",
            )  # fmt: skip
        return rdf_format_named(media)

    # --- validation -----------------------------------------------------------------------

    def _validate(self, lang: str) -> Any:
        if lang not in self._validation:
            self._validation[lang] = validate(
                self.config.data_paths or None, lang=lang, layers=self.config.validation_layers
            )
        return self._validation[lang]

    async def validation(self, request: Request) -> Response:
        lang = self.lang(request)
        if self.config.data_paths is not None and not self.config.data_paths:
            return self.render(request, "validation.html", report=None)
        report = await asyncio.get_running_loop().run_in_executor(
            self.runner.pool, self._validate, lang
        )
        return self.render(request, "validation.html", report=report)

    # --- web API --------------------------------------------------------------------------

    def _table_format(self, request: Request) -> str | None:
        fmt = request.query_params.get("format")
        if fmt:
            return fmt if fmt in download_formats() else None
        media = negotiate(
            request.headers.get("accept"),
            ["application/json", *(TABLE_MEDIA[f] for f in download_formats() if f in TABLE_MEDIA)],
        )
        return next((f for f in download_formats() if TABLE_MEDIA.get(f) == media), None)

    async def api_query(self, request: Request) -> Response:
        try:
            query = self.catalogue.get(request.path_params["name"])
        except UsageError as exc:
            return JSONResponse({"error": str(exc)}, 404)
        fmt = self._table_format(request)
        if fmt is None:
            return JSONResponse(
                {
                    "error": "Unknown or unacceptable format; use format= one of "
                    + ", ".join(download_formats())
                    + "."
                },
                406,
            )
        lang = self.lang(request)
        try:
            table = await self.runner.call(self._run, query, self._given(request, query), lang)
        except CaregraphError as exc:
            return JSONResponse({"error": str(exc)}, _status(exc))
        headers = {"Vary": "Accept"}
        if request.query_params.get("download") == "1":
            headers["Content-Disposition"] = (
                f'attachment; filename="{query.id}.{TABLE_EXTENSIONS.get(fmt, "txt")}"'
            )
        return self._streamed(table, fmt, media_type(fmt), lang, headers)

    def _streamed(
        self, table: ResultTable, fmt: str, media: str, lang: str, headers: dict[str, str]
    ) -> Response:
        """The table in ``fmt``, written and sent a thousand rows at a time (in a worker
        thread, so that a large download neither waits for all of its text nor holds up
        other requests)."""
        return StreamingResponse(
            result_chunks(table, fmt, self.store, lang), media_type=media, headers=headers
        )

    async def api_list(self, request: Request) -> Response:
        lang = self.lang(request)
        return JSONResponse([
            {
                "id": q.id,
                "theme": q.theme,
                "title": q.text(q.title, lang),
                "description": q.text(q.description, lang),
                "params": [{"name": p.name, "type": p.type, "default": p.default,
                            "required": p.required} for p in q.params],
                "columns": [c.name for c in q.columns],
                "url": f"/api/queries/{q.id}",
            }
            for q in self.catalogue
        ])  # fmt: skip

    async def openapi(self, request: Request) -> Response:
        return JSONResponse(openapi_spec(self.catalogue, self.limits, self.lang(request)))

    async def api_docs(self, request: Request) -> Response:
        lang = self.lang(request)
        spec = openapi_spec(self.catalogue, self.limits, lang)
        return self.render(
            request, "api.html", spec=spec, catalogue=self.by_theme(), formats=download_formats()
        )

    # --- SPARQL protocol ------------------------------------------------------------------

    async def sparql(self, request: Request) -> Response:
        lang = self.lang(request)
        sparql: str | None
        if request.method == "GET":
            params = request.query_params
            if "update" in params:
                return _protocol_error(403, _NO_UPDATE)
            sparql = params.get("query")
            graphs = params.getlist("default-graph-uri") + params.getlist("named-graph-uri")
        else:
            content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
            body = await request.body()
            if content_type == "application/x-www-form-urlencoded":
                form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
                if form.get("lang"):  # the page's own form says which language it was in
                    request.scope["caregraph.lang"] = form["lang"][0]
                    lang = self.lang(request)
                if "update" in form:
                    return _protocol_error(403, _NO_UPDATE)
                sparql = form["query"][0] if form.get("query") else None
                graphs = form.get("default-graph-uri", []) + form.get("named-graph-uri", [])
            elif content_type == "application/sparql-query":
                sparql = body.decode("utf-8", "replace")
                graphs = request.query_params.getlist("default-graph-uri")
            elif content_type == "application/sparql-update":
                return _protocol_error(403, _NO_UPDATE)
            else:
                return _protocol_error(
                    415,
                    "Send the query as application/sparql-query or as "
                    "the form field query= (application/x-www-form-urlencoded).",
                )
        if sparql is None or not sparql.strip():
            if negotiate(request.headers.get("accept"), ["text/html", "text/plain"]) == "text/html":
                return self.render(
                    request, "sparql.html", sparql="", outcome=None, rows=[], error=None
                )
            return _protocol_error(400, "Give a SPARQL query as query=.")
        if graphs:
            return _protocol_error(
                400,
                "This endpoint has one default graph; default-graph-uri "
                "and named-graph-uri are not supported.",
            )
        try:
            # The project's one guard decides by parsing (so escapes and odd prefixes do not
            # hide an update); updates and SERVICE are refused, too deep nesting too.
            check_query(sparql)
        except UsageError as exc:
            refusal = _NO_UPDATE if "Update" in str(exc) else _NO_SERVICE
            return _protocol_error(403, refusal)
        except CaregraphError as exc:
            return _protocol_error(400, str(exc))
        try:
            # A query of the reader's own may sort or group for hours: it runs where it
            # can be killed at the time limit.
            outcome = await self.runner.call(self._sparql, sparql, in_child=True)
        except CaregraphError as exc:
            status = _status(exc)
            if _wants_html(request):
                return self.render(
                    request,
                    "sparql.html",
                    status,
                    sparql=sparql,
                    outcome=None,
                    rows=Markup(""),
                    error=str(exc),
                )
            return _protocol_error(status, str(exc))
        accept = request.headers.get("accept")
        if isinstance(outcome, ResultTable):
            offers = SELECT_OFFERS
        elif isinstance(outcome, bool):
            offers = ASK_OFFERS
        else:
            offers = GRAPH_OFFERS
        media = negotiate(accept, list(offers))
        if media is None:
            return _protocol_error(
                406,
                "None of the accepted media types is offered; use one "
                "of " + ", ".join(offers) + ".",
            )
        fmt = offers[media]
        if fmt == "html":
            rows = await self.runner.call(
                self._html_rows, outcome, lang, request.scope.get("root_path", "")
            )
            return self.render(
                request, "sparql.html", sparql=sparql, outcome=outcome, rows=rows, error=None
            )
        if isinstance(outcome, ResultTable):
            return self._streamed(outcome, fmt, media, lang, {"Vary": "Accept"})
        if isinstance(outcome, bool):
            answer = format_boolean(outcome, fmt)
        else:
            answer = format_graph(outcome, fmt)
        return Response(answer, media_type=media, headers={"Vary": "Accept"})

    def _sparql(self, sparql: str) -> Any:
        outcome = run_sparql(sparql, self.store)
        self.runner.check_size(outcome)
        return outcome

    def _html_rows(self, outcome: Any, lang: str, root: str) -> Markup:
        if isinstance(outcome, ResultTable):
            rows: Sequence[Any] = outcome.rows[: self.limits.page_rows]
        elif isinstance(outcome, rdflib.Graph):
            rows = list(outcome)[: self.limits.page_rows]
        else:
            return Markup("")
        return graphview.cells_html(
            graphview.cells(rows, self.store, lang, self.labels), lang, root
        )


def _wants_html(request: Request) -> bool:
    return (
        negotiate(request.headers.get("accept"), ["application/sparql-results+json", "text/html"])
        == "text/html"
    )


def _protocol_error(status: int, message: str) -> Response:
    return Response(message + "\n", status, media_type="text/plain")


def map_route(store: GraphStore, root_path: str = "") -> Route:
    """``/map``: the network map (``caregraph.netmap``), nodes linked to resource pages.

    The page inlines its own script and data, so it carries the map's own
    Content-Security-Policy (scripts inline only, still no request anywhere).
    """
    pages: dict[tuple[str | None, ...], str] = {}

    def show(request: Request) -> Response:
        """The map, opened with the ``district``, ``sector`` and ``field`` filters given
        (as ``caregraph map --district ...``); an unknown name is a 400 that says so."""
        lang = choose_lang(request.query_params.get("lang"), request.headers.get("accept-language"))
        filters = {name: request.query_params.get(name) for name in _MAP_FILTERS}
        key = (lang, *filters.values())
        if key not in pages:
            try:
                page = map_page(
                    store, lang=lang, resource_url=root_path + "/resource?iri={iri}", **filters
                )
            except UsageError as exc:
                return PlainTextResponse(f"{exc}\n", 400)
            if len(pages) >= _MAP_PAGES:
                pages.clear()
            pages[key] = page
        return HTMLResponse(pages[key], headers={"Content-Security-Policy": MAP_CSP})

    return Route("/map", show)


#: The filters ``/map`` takes, and how many pages it keeps made.
_MAP_FILTERS = ("district", "sector", "field")
_MAP_PAGES = 64


def create_app(store: GraphStore, config: ServeConfig) -> Starlette:
    """The ASGI application serving ``store`` (read-only).

    Args:
        store: the graph (any backend).
        config: catalogue, limits and what else to serve.
    """
    web = WebApp(store, config)
    static = Path(__file__).parent / "static"
    routes: list[Route | Mount] = [
        Route("/", web.home, methods=["GET"]),
        Route("/search", web.search, methods=["GET"]),
        Route("/queries", web.queries, methods=["GET"]),
        Route("/queries/{name}", web.query_page, methods=["GET"]),
        Route("/api", web.api_docs, methods=["GET"]),
        Route("/api/queries", web.api_list, methods=["GET"]),
        Route("/api/queries/{name}", web.api_query, methods=["GET"]),
        Route("/openapi.json", web.openapi, methods=["GET"]),
        Route("/sparql", web.sparql, methods=["GET", "POST"]),
        Route("/validation", web.validation, methods=["GET"]),
        Route("/ontology", web.ontology, methods=["GET"]),
        Route("/resource", web.resource, methods=["GET"]),
        Mount("/static", StaticFiles(directory=static), name="static"),
        *config.extra_routes,
        # Pages at the w3id paths: /dresden/NAME and /vocab/NAME (anything else: not found).
        Route("/{namespace:str}/{local:str}", _only_namespaces(web), methods=["GET"]),
    ]

    async def not_found(request: Request, exc: Exception) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": "Not found."}, getattr(exc, "status_code", 404))
        status = getattr(exc, "status_code", 404)
        if status == 404:
            return web.not_found(request)
        return Response(str(getattr(exc, "detail", "")) + "\n", status, media_type="text/plain")

    app = Starlette(routes=routes, exception_handlers={HTTPException: not_found})
    app.state.web = web
    app.add_middleware(Guard, limits=config.limits)
    return app


def _only_namespaces(web: WebApp) -> Callable[[Request], Awaitable[Response]]:
    async def route(request: Request) -> Response:
        if request.path_params["namespace"] not in ("dresden", "vocab"):
            return web.not_found(request)
        return await web.resource(request)

    return route
