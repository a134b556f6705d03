"""A remote SPARQL 1.1 endpoint as a read-only graph store.

It takes the same stored queries as the local stores: parameters are bound by
the same ``VALUES`` row (see ``caregraph.binding``), so a query gives the same
rows on a city's triple store as on the bundled files. Nothing here is contacted
unless the user names an endpoint.

Queries travel the two ways of the SPARQL 1.1 Protocol that every server accepts:
a GET with the query in the URL while the URL stays short, else a form-encoded
POST (``application/x-www-form-urlencoded``). The direct POST
(``application/sparql-query``) is avoided on purpose: Virtuoso 7.2 never answers
it. Parameters already in the endpoint URL (``default-graph-uri``, an API key,
Virtuoso's ``timeout``) are kept; ``default-graph-uri`` and ``named-graph-uri``
move into the form body of a POST, where the protocol puts them.
"""

from __future__ import annotations

import io
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from typing import cast

import rdflib
from rdflib.query import Result
from rdflib.term import Node

from caregraph.errors import InputError, QueryError
from caregraph.results import ResultTable
from caregraph.sparql_text import declare_prefixes, query_form
from caregraph.store import Bindings, QueryOutcome, guarded, simple

_SRJ = "application/sparql-results+json"
_NTRIPLES = "application/n-triples"
_FORM = "application/x-www-form-urlencoded"
#: The SPARQL 1.1 Protocol parameters that choose the dataset.
DATASET_PARAMETERS = ("default-graph-uri", "named-graph-uri")
#: Longest URL sent as a GET; longer queries are POSTed (servers and proxies cut at 2-8 KB).
MAX_GET_URL = 2000

#: Graphs a fresh Virtuoso holds for itself (its RDF views, LDP, URIQA; the owl: schema).
VIRTUOSO_SYSTEM_GRAPHS = (
    "http://www.openlinksw.com/schemas/virtrdf#",
    "http://www.w3.org/ns/ldp#",
    "http://localuriqaserver/sparql",
    "http://www.w3.org/2002/07/owl#",
)
_GRAPHS = "SELECT DISTINCT ?graph WHERE { GRAPH ?graph { ?s ?p ?o } }"

_ONTOLOGY_PROBE = """
PREFIX cg: <https://w3id.org/caregraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
ASK { cg:Actor rdfs:label ?label . cg:UrbanDistrict rdfs:subClassOf ?super . }
"""


class EndpointStore:
    """A SPARQL endpoint reached over HTTP (queries only; it is never updated).

    Args:
        url: the query URL, possibly with parameters of its own
            (``http://host:8890/sparql?default-graph-uri=...``).
        timeout: the overall limit of one request in seconds.
        allow_network: let queries call further endpoints with SERVICE.
        default_graph_uris: graphs whose merge is the default graph of every query.
        named_graph_uris: graphs that ``GRAPH`` patterns of a query may name.
    """

    def __init__(
        self,
        url: str,
        timeout: float = 60.0,
        *,
        allow_network: bool = False,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
    ) -> None:
        parsed = urllib.parse.urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise InputError(f"'{url}' is not an http(s) URL of a SPARQL endpoint.")
        for graph in (*default_graph_uris, *named_graph_uris):
            if not urllib.parse.urlparse(graph).scheme:
                raise InputError(f"'{graph}' is not an absolute IRI; name a graph by its full IRI.")
        self.url = url
        #: The overall limit of one request in seconds, however slowly the server answers.
        self.timeout = timeout
        #: Let queries call further endpoints with SERVICE (the server would do the calling).
        self.allow_network = allow_network
        given = urllib.parse.parse_qsl(parsed.query, keep_blank_values=True)
        #: URL parameters that are not about the dataset; they stay in the URL.
        self.url_parameters = [(k, v) for k, v in given if k not in DATASET_PARAMETERS]
        #: The dataset: graphs from the URL, then those given as arguments.
        self.dataset = [(k, v) for k, v in given if k in DATASET_PARAMETERS]
        self.dataset += [("default-graph-uri", g) for g in default_graph_uris]
        self.dataset += [("named-graph-uri", g) for g in named_graph_uris]
        self._base = urllib.parse.urlunparse(parsed._replace(query="", fragment=""))
        self._has_ontology: bool | None = None
        #: The ``Server`` header of the last answer (e.g. ``Virtuoso/07.20.3229 ...``).
        self.server = ""

    @property
    def default_graphs(self) -> list[str]:
        """The graphs named as the default graph (empty: the server's own default)."""
        return [v for k, v in self.dataset if k == "default-graph-uri"]

    def request_for(self, sparql: str, accept: str) -> urllib.request.Request:
        """The HTTP request that sends ``sparql``: a GET if its URL is short, else a form POST."""
        headers = {"Accept": accept}
        get_url = self._url([*self.url_parameters, ("query", sparql), *self.dataset])
        if len(get_url) <= MAX_GET_URL:
            return urllib.request.Request(get_url, headers=headers, method="GET")
        body = urllib.parse.urlencode([("query", sparql), *self.dataset]).encode("ascii")
        headers["Content-Type"] = _FORM
        return urllib.request.Request(
            self._url(self.url_parameters), data=body, headers=headers, method="POST"
        )

    def _url(self, parameters: list[tuple[str, str]]) -> str:
        if not parameters:
            return self._base
        return self._base + "?" + urllib.parse.urlencode(parameters)

    def _send(self, sparql: str, accept: str) -> bytes:
        request = self.request_for(sparql, accept)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                self.server = response.headers.get("Server", "") or ""
                return cast(bytes, response.read())
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip()[:300]
            raise QueryError(
                f"The endpoint {self.url} refused the query (HTTP {exc.code}): {detail}"
            ) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise InputError(
                f"Cannot reach the SPARQL endpoint {self.url} ({reason}). Check the URL and that "
                "the server is running."
            ) from exc

    def query(
        self,
        sparql: str,
        bindings: Bindings | None = None,
        *,
        prefixes: Mapping[str, str] | None = None,
    ) -> QueryOutcome:
        # A remote endpoint knows only the query text: prefixes are declared in it (on the
        # first line, so that the endpoint's line numbers stay the user's).
        sparql = declare_prefixes(sparql, prefixes or {})
        # An update must never leave caregraph (many servers run one sent as a query), and
        # the socket's timeout is per read: a server that drips one byte at a time is
        # stopped by the overall deadline.
        return guarded(
            sparql,
            bindings,
            self._ask,
            allow_network=self.allow_network,
            timeout=self.timeout,
            what=f"The endpoint {self.url}",
        )

    def _ask(self, text: str) -> QueryOutcome:
        if query_form(text) in ("CONSTRUCT", "DESCRIBE"):
            graph = rdflib.Graph()
            try:
                graph.parse(data=self._send(text, _NTRIPLES).decode("utf-8"), format="nt")
            except QueryError:
                raise
            except Exception as exc:
                raise QueryError(
                    f"The endpoint {self.url} sent a graph caregraph cannot read: {exc}"
                ) from exc
            return graph
        body = self._send(text, _SRJ)
        try:
            result = Result.parse(io.BytesIO(body), format="json")
        except Exception as exc:
            raise QueryError(
                f"The endpoint {self.url} sent results caregraph cannot read: {exc}"
            ) from exc
        if result.type == "ASK":
            return bool(result.askAnswer)
        columns = [str(v) for v in result.vars or []]
        rows = [
            tuple(simple(cast(Node | None, solution.get(rdflib.Variable(c)))) for c in columns)
            for solution in result.bindings
        ]
        return ResultTable(columns, rows)

    def is_virtuoso(self) -> bool:
        """Whether the server says it is Virtuoso (its ``Server`` header)."""
        if not self.server:
            self.query("ASK {}")
        return self.server.lower().startswith("virtuoso")

    def content_graphs(self) -> list[str]:
        """The server's named graphs, without Virtuoso's own system graphs."""
        table = self.query(_GRAPHS)
        assert isinstance(table, ResultTable)
        graphs = {str(row[0]) for row in table.rows if row[0] is not None}
        return sorted(
            g
            for g in graphs
            if g not in VIRTUOSO_SYSTEM_GRAPHS and not g.startswith("http://www.openlinksw.com/")
        )

    def scoped(self) -> EndpointStore:
        """This endpoint with a default graph that holds no server system graphs.

        Virtuoso's default graph, unless ``default-graph-uri`` is given, is the union of
        all its graphs, its own system graphs (thousands of triples) included; then the
        content graphs are named explicitly. Any other endpoint is returned unchanged.
        """
        if self.default_graphs or not self.is_virtuoso():
            return self
        return EndpointStore(
            self._url(self.url_parameters),
            self.timeout,
            allow_network=self.allow_network,
            default_graph_uris=self.content_graphs(),
            named_graph_uris=[v for k, v in self.dataset if k == "named-graph-uri"],
        )

    def has_ontology(self) -> bool:
        """Whether the graph the queries see holds caregraph's ontology (asked once)."""
        if self._has_ontology is None:
            self._has_ontology = self.query(_ONTOLOGY_PROBE) is True
        return self._has_ontology

    def missing_ontology_message(self) -> str:
        """What to tell a user whose endpoint graph lacks the ontology."""
        graphs = self.default_graphs
        seen = (
            "the graph " + ", ".join(f"<{g}>" for g in graphs)
            if graphs
            else "the server's default graph"
        )
        return (
            f"The SPARQL endpoint {self.url} has no caregraph ontology in {seen}: names of "
            "classes and concepts stay empty, and districts or actors cannot be found by name "
            "(they need the class hierarchy). Load ontology/caregraph.ttl into the same graph as "
            "the data, or name the graph that holds it with another --default-graph-uri; "
            "see 'Running on a SPARQL server' in the README."
        )

    def __bool__(self) -> bool:
        return True  # a store is never "empty" in a test of truth; len() would count it remotely

    def __len__(self) -> int:
        table = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        count = table.rows[0][0] if isinstance(table, ResultTable) and table.rows else None
        value = count.toPython() if isinstance(count, rdflib.Literal) else None
        if not isinstance(value, int) or isinstance(value, bool):
            raise QueryError(
                f"The endpoint {self.url} answered the triple count with {count!r}, not a "
                "whole number; check that the URL is a SPARQL 1.1 query endpoint."
            )
        return value


def endpoint_graph(url: str, timeout: float = 60.0, *, allow_network: bool = False) -> rdflib.Graph:
    """Every triple of the endpoint's default graph, for the commands that check a graph.

    Raises:
        InputError: the endpoint cannot be reached.
        QueryError: it answers with something that is not a graph.
    """
    store = EndpointStore(url, timeout, allow_network=allow_network)
    graph = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert isinstance(graph, rdflib.Graph)
    return graph
