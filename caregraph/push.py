"""Uploading the graph to a triple store through the SPARQL 1.1 Graph Store Protocol.

``push_graph(graph, url)`` sends the triples as N-Triples: ``PUT`` replaces the named graph (or
the default graph), ``POST`` (``append=True``) adds to it. Afterwards the graph is read
back from the server and its triples counted, so a push that reports success has really
arrived. Credentials come only from the environment (``CAREGRAPH_USER`` and
``CAREGRAPH_PASSWORD`` for HTTP basic authentication, or ``CAREGRAPH_TOKEN`` for a bearer
token); they are never part of a message. Graph Store Protocol addresses of common
servers: Oxigraph ``http://HOST:7878/store``, Jena Fuseki ``http://HOST:3030/DATASET/data``,
GraphDB ``http://HOST:7200/repositories/REPO/rdf-graphs/service``, Virtuoso
``http://HOST:8890/sparql-graph-crud`` (``-auth`` with credentials).
"""

from __future__ import annotations

import base64
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import cast

import rdflib

from caregraph.choices import PASSWORD_ENV, TOKEN_ENV, USER_ENV
from caregraph.errors import ServerError, UsageError, VerificationFailed
from caregraph.export import ExportGraph, serialize

_NTRIPLES = "application/n-triples"


@dataclass(frozen=True)
class PushResult:
    """What a push sent and what the server holds afterwards."""

    url: str
    graph: str | None
    sent: int
    before: int
    on_server: int
    appended: bool

    def summary(self) -> str:
        """One line for people."""
        target = f"graph <{self.graph}>" if self.graph else "the default graph"
        verb = "added to" if self.appended else "replaced"
        return (
            f"{self.sent} triples {verb} {target} at {self.url}; "
            f"the server now holds {self.on_server} triples there."
        )


def _redacted(url: str) -> str:
    """The URL without any user name or password in it."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))


def graph_url(url: str, graph: str | None) -> str:
    """The Graph Store Protocol address of the named graph, or of the default graph.

    Raises:
        UsageError: the URL is not http(s), or has credentials in it.
    """
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(
            f"'{_redacted(url)}' is not an http(s) URL of a Graph Store Protocol service."
        )
    if parts.username or parts.password:
        raise UsageError(
            f"Do not put credentials into the URL ({_redacted(url)}); set {USER_ENV} and "
            f"{PASSWORD_ENV}, or {TOKEN_ENV}, in the environment instead."
        )
    if graph is not None:
        graph_parts = urllib.parse.urlsplit(graph)
        if not graph_parts.scheme or any(c in graph for c in ' <>"{}|\\^`'):
            raise UsageError(f"--graph needs an absolute IRI, not '{graph}'.")
    selector = urllib.parse.urlencode({"graph": graph}) if graph is not None else "default"
    return url + ("&" if parts.query else "?") + selector


def auth_header(env: Mapping[str, str] | None = None) -> str | None:
    """The Authorization header built from the environment, or ``None`` without credentials.

    Raises:
        UsageError: a user without a password, or a password without a user.
    """
    env = os.environ if env is None else env
    token = env.get(TOKEN_ENV)
    if token:
        return f"Bearer {token}"
    user, password = env.get(USER_ENV), env.get(PASSWORD_ENV)
    if user and password is not None:
        pair = f"{user}:{password}".encode()
        return "Basic " + base64.b64encode(pair).decode("ascii")
    if user or password:
        raise UsageError(
            f"Set both {USER_ENV} and {PASSWORD_ENV} for basic authentication "
            f"(or {TOKEN_ENV} for a bearer token)."
        )
    return None


_HINTS = {
    401: f"The server wants credentials: set {USER_ENV} and {PASSWORD_ENV}, or {TOKEN_ENV}.",
    403: "The credentials are not allowed to write there; check the user's rights.",
    404: "Check the URL: it must be the server's Graph Store Protocol address "
    "(e.g. http://HOST:7878/store for Oxigraph, http://HOST:3030/DATASET/data for Fuseki).",
    405: "This address does not accept uploads; use the Graph Store Protocol address.",
    413: "The graph is too large for the server's upload limit; raise the limit there.",
}


class _Client:
    def __init__(self, url: str, timeout: float, authorization: str | None) -> None:
        self.url = url
        self.timeout = timeout
        self.authorization = authorization

    def send(
        self, method: str, target: str, body: bytes | None = None, accept: str | None = None
    ) -> tuple[bytes, str] | None:
        """Body and content type of the answer; ``None`` for a 404 on GET."""
        headers = {"Content-Type": _NTRIPLES} if body is not None else {}
        if accept:
            headers["Accept"] = accept
        if self.authorization:
            headers["Authorization"] = self.authorization
        request = urllib.request.Request(target, data=body, headers=headers, method=method)
        shown = _redacted(self.url)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return cast(bytes, response.read()), response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            if method == "GET" and exc.code == 404:
                return None
            detail = " ".join(exc.read().decode("utf-8", "replace").split())[:300]
            hint = _HINTS.get(exc.code, "See the server's log for details.")
            raise ServerError(
                f"The server {shown} refused the {method} request (HTTP {exc.code} "
                f"{exc.reason}){': ' + detail if detail else ''}. {hint}"
            ) from None
        except TimeoutError:
            raise ServerError(
                f"The server {shown} did not answer within {self.timeout:g} s. Check that it "
                "runs and is not overloaded, or allow more time with --timeout SECONDS."
            ) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, TimeoutError):
                raise ServerError(
                    f"The server {shown} did not answer within {self.timeout:g} s. Check that "
                    "it runs and is not overloaded, or allow more time with --timeout SECONDS."
                ) from None
            raise ServerError(
                f"Cannot reach the server {shown} ({reason}). Check the URL and that the server "
                "is running."
            ) from None

    def count(self, target: str) -> int:
        """Triples the server holds in the graph at ``target`` (0 if it has none)."""
        answer = self.send("GET", target, accept=_NTRIPLES)
        if answer is None:
            return 0
        body, content_type = answer
        media = content_type.split(";")[0].strip().lower()
        text = body.decode("utf-8", "replace")
        if media in ("", _NTRIPLES, "text/plain"):
            return sum(1 for line in text.splitlines() if line.strip() and line[0] != "#")
        try:
            return len(rdflib.Graph().parse(data=text, format=media))
        except Exception as exc:
            raise ServerError(
                f"The server {_redacted(self.url)} answered in a format caregraph cannot count "
                f"({media}): {exc}"
            ) from None


def push_graph(
    graph: ExportGraph | rdflib.Graph,
    url: str,
    *,
    graph_iri: str | None = None,
    append: bool = False,
    timeout: float = 60.0,
    env: Mapping[str, str] | None = None,
) -> PushResult:
    """Upload ``graph`` to a Graph Store Protocol service and check the server's count.

    Args:
        graph: the triples (an ``ExportGraph`` is sent merged).
        url: the service address, e.g. ``http://localhost:7878/store``.
        graph_iri: the named graph to write; ``None`` for the default graph.
        append: add to the graph (POST) instead of replacing it (PUT).
        timeout: seconds to wait for each answer.
        env: where to read credentials (default: ``os.environ``).

    Raises:
        UsageError: a bad URL, graph IRI or credential variables.
        ServerError: the server is unreachable, too slow or refuses (exit code 2).
        VerificationFailed: the server holds another number of triples than expected.
    """
    target = graph_url(url, graph_iri)
    client = _Client(url, timeout, auth_header(env))
    body = serialize(graph, "nt").encode("utf-8")
    sent = body.count(b"\n")
    before = client.count(target) if append else 0
    client.send("POST" if append else "PUT", target, body)
    after = client.count(target)
    result = PushResult(_redacted(url), graph_iri, sent, before, after, append)
    expected_low, expected_high = (max(before, sent), before + sent) if append else (sent, sent)
    if not expected_low <= after <= expected_high:
        expected = f"{sent}" if not append else f"between {expected_low} and {expected_high}"
        raise VerificationFailed(
            f"The upload to {result.url} arrived, but the server holds {after} triples in "
            f"{'graph <' + graph_iri + '>' if graph_iri else 'the default graph'} where "
            f"{expected} were expected. Another client may be writing there, or the server "
            "changed the data (e.g. by inference); look at the graph on the server."
        )
    return result
