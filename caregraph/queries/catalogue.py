"""The catalogue of stored queries: reading and checking ``.rq`` files, and finding them.

A stored query is a ``.rq`` file with a ``#+`` header (see ``caregraph.queries.header``
and ``queries/README.md``). Parameters are the variables ``?_name`` of the query (grlc's
convention); their values are bound as RDF terms when the query runs
(``caregraph.queries.parameters``), never written into its text.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib.namespace import NamespaceManager

from caregraph import resources
from caregraph.datafiles import PathLike
from caregraph.errors import InputError, ParameterError, QueryDefinitionError, UsageError
from caregraph.guard import uses_service
from caregraph.namespaces import PREFIXES
from caregraph.queries.arguments import QUERY_ID, query_id
from caregraph.queries.header import LANGS, QUERY_HEADER_SCHEMA, THEMES, check_header, read_header
from caregraph.queries.language import LANG_PARAM
from caregraph.sparql_text import UPDATE_KEYWORDS, prefixes, query_form

_ADVICE = "the query is not loaded until then"
_PARAM_VAR = re.compile(r"[?$]_([A-Za-z][A-Za-z0-9_]*)")


@dataclass(frozen=True)
class Parameter:
    """One parameter of a stored query, bound to the variable ``?_<name>``."""

    name: str
    type: str
    description: dict[str, str]
    default: str | None = None
    values: tuple[str, ...] = ()
    cls: str | None = None
    scheme: str | None = None
    required: bool = False


@dataclass(frozen=True)
class Column:
    """One column a stored query returns."""

    name: str
    description: dict[str, str]


@dataclass(frozen=True)
class Example:
    """A parameter set and what the query must give for it on the shipped data."""

    params: dict[str, str]
    rows: list[dict[str, str]] | None = None
    count: int | None = None
    contains: list[dict[str, str]] | None = None


@dataclass
class StoredQuery:
    """A stored SPARQL query with its header."""

    id: str
    path: Path
    title: dict[str, str]
    description: dict[str, str]
    theme: str
    sparql: str
    params: list[Parameter] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    examples: list[Example] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    namespaces: NamespaceManager | None = None
    #: SHA-256 of the file's bytes as read (names the query's prepared texts).
    sha256: str = ""

    def param(self, name: str) -> Parameter:
        """The parameter called ``name``.

        Raises:
            ParameterError: the query has no such parameter.
        """
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "none"
        raise ParameterError(
            f"Query '{self.id}' has no parameter '{name}' (its parameters: {known})."
        )

    def text(self, field_: dict[str, str], lang: str) -> str:
        """A header text in ``lang``, falling back to German."""
        return field_.get(lang) or field_.get("de") or ""


def load_query(path: PathLike) -> StoredQuery:
    """Read and check one stored query file.

    Raises:
        QueryDefinitionError: the header or query text is malformed; the message
            names the file and line.
    """
    path = Path(path)
    try:
        source = path.read_bytes()
        text = source.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryDefinitionError(f"{path}: cannot read the query file ({exc}).") from exc
    raw = read_header(path, text)
    data = check_header(raw, QUERY_HEADER_SCHEMA, _ADVICE)
    body, body_line = raw.body, raw.body_line
    params = [_parameter(p) for p in data.get("params") or []]
    columns = [Column(c["name"], _texts(c["description"])) for c in data["columns"]]
    names = {p.name for p in params}
    if LANG_PARAM in names:
        raise raw.error(
            f"'{LANG_PARAM}' is reserved: ?_{LANG_PARAM} is always bound to the answer's "
            "language (de or en); rename the parameter.",
            "params",
            _ADVICE,
        )
    examples = []
    for example in data["examples"]:
        unknown = sorted(set(example.get("params") or {}) - names - {LANG_PARAM})
        if unknown:
            message = f"an example sets unknown parameter '{unknown[0]}'."
            raise raw.error(message, "examples", _ADVICE)
        examples.append(_example(example))

    projected = projection(path, body, body_line)
    declared = [c.name for c in columns]
    if projected != declared:
        raise raw.error(
            f"'columns' lists {declared} but the query selects {projected}; make them agree.",
            "columns",
            _ADVICE,
        )
    used = set(_PARAM_VAR.findall(body))
    for match in _PARAM_VAR.finditer(body):
        if match.group(1) not in names | {LANG_PARAM}:
            line = body_line + body.count("\n", 0, match.start())
            raise QueryDefinitionError(
                f"{path}, line {line}: the query uses ?_{match.group(1)}, but 'params' does not "
                "declare it. Declare the parameter in the header, or rename the variable "
                "(variables starting with ?_ are parameters)."
            )
    if names - used:
        unused = sorted(names - used)[0]
        raise raw.error(
            f"parameter '{unused}' is declared but the query never uses its variable ?_{unused}.",
            "params",
            _ADVICE,
        )
    return StoredQuery(
        id=path.stem,
        path=path,
        title=_texts(data["title"]),
        description=_texts(data["description"]),
        theme=data["theme"],
        sparql=body,
        params=params,
        columns=columns,
        examples=examples,
        keywords=[str(k) for k in data.get("keywords") or []],
        namespaces=_namespaces(body),
        sha256=hashlib.sha256(source).hexdigest(),
    )


def _texts(value: dict[str, str]) -> dict[str, str]:
    """A header text per language, its white space collapsed."""
    return {lang: " ".join(value[lang].split()) for lang in LANGS}


def _parameter(raw: dict[str, Any]) -> Parameter:
    default = raw.get("default")
    return Parameter(
        name=raw["name"],
        type=raw["type"],
        description=_texts(raw["description"]),
        default=None if default is None else str(default),
        values=tuple(str(v) for v in raw.get("values") or []),
        cls=raw.get("class"),
        scheme=raw.get("scheme"),
        required=bool(raw.get("required", False)),
    )


def _example(raw: dict[str, Any]) -> Example:
    def strings(rows: list[dict[Any, Any]]) -> list[dict[str, str]]:
        return [{str(k): str(v) for k, v in r.items()} for r in rows]

    rows = raw.get("rows")
    contains = raw.get("contains")
    return Example(
        params={str(k): str(v) for k, v in (raw.get("params") or {}).items()},
        rows=strings(rows) if rows is not None else None,
        count=raw.get("count") if rows is None else len(rows),
        contains=strings(contains) if contains else None,
    )


def _projection_by_rdflib(path: Path, body: str, body_line: int) -> list[str]:
    """The projected variables of a SELECT query as rdflib's parser sees them."""
    from rdflib.plugins.sparql import prepareQuery

    try:
        parsed = prepareQuery(body)
    except Exception as exc:  # pyparsing's errors have no common base with rdflib's
        line = body_line + (getattr(exc, "lineno", 1) or 1) - 1
        raise QueryDefinitionError(
            f"{path}, line {line}: the SPARQL query does not parse ({exc}). "
            "Fix the query below the header."
        ) from exc
    return [str(v) for v in parsed.algebra["PV"] or []]


def projection(path: Path, body: str, body_line: int) -> list[str]:
    """Check that ``body`` is one SELECT query and return the variables it projects.

    Oxigraph parses it (fast); its results are lazy, so nothing is evaluated, except a
    SERVICE call, which Oxigraph makes at once: such a query is parsed by rdflib instead,
    so that reading a query never reaches the network.
    """
    form = query_form(body)
    if form in UPDATE_KEYWORDS:
        raise QueryDefinitionError(
            f"{path}, line {body_line}: this is a SPARQL Update (INSERT, DELETE, ...); "
            "stored queries may only read the graph. Write a SELECT query instead."
        )
    if form != "SELECT":
        raise QueryDefinitionError(
            f"{path}, line {body_line}: stored queries must be SELECT queries (this one is "
            f"{form or 'empty'}); run other forms with 'caregraph sparql'."
        )
    if uses_service(body):
        return _projection_by_rdflib(path, body, body_line)
    try:
        solutions = ox.Store().query(body)
    except SyntaxError as exc:
        line = body_line + (exc.lineno or 1) - 1
        why = re.sub(r"^error at [^:]*: ", "", str(exc.msg))
        raise QueryDefinitionError(
            f"{path}, line {line}: the SPARQL query does not parse ({why}). "
            "Fix the query below the header."
        ) from exc
    if not isinstance(solutions, ox.QuerySolutions):  # pragma: no cover - form checked above
        raise QueryDefinitionError(f"{path}: the query is not a SELECT query.")
    return [v.value for v in solutions.variables]


def _namespaces(body: str) -> NamespaceManager:
    """caregraph's usual prefixes, then the query's own (which win)."""
    manager = NamespaceManager(rdflib.Graph(), bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        manager.bind(prefix, namespace)
    for prefix, iri in prefixes(body).items():
        manager.bind(prefix, iri, override=True, replace=True)
    return manager


@dataclass
class Catalogue:
    """All stored queries from one or more folders, by id."""

    queries: dict[str, StoredQuery]

    def __iter__(self) -> Iterator[StoredQuery]:
        return iter(
            sorted(self.queries.values(), key=lambda q: (list(THEMES).index(q.theme), q.id))
        )

    def __len__(self) -> int:
        return len(self.queries)

    def get(self, name: str) -> StoredQuery:
        """The query called ``name``.

        Raises:
            UsageError: no such query; the message suggests the closest names.
        """
        name = query_id(name)
        if name in self.queries:
            return self.queries[name]
        near = difflib.get_close_matches(name, list(self.queries), n=3)
        hint = f" Did you mean: {', '.join(near)}?" if near else ""
        raise UsageError(
            f"There is no stored query '{name}'.{hint} Run 'caregraph queries' to list them."
        )


def _folders(dirs: Iterable[PathLike] | None, bundled: bool) -> list[Path]:
    """The folders of stored queries, each checked to exist."""
    folders = ([resources.queries_dir()] if bundled else []) + [Path(d) for d in dirs or []]
    for folder in folders:
        if not folder.is_dir():
            raise InputError(f"{folder}: no such folder of stored queries.")
    return folders


def _add(queries: dict[str, StoredQuery], path: Path) -> None:
    """Read the query at ``path`` into ``queries``, refusing a second query of one id."""
    query = load_query(path)
    if query.id in queries:
        raise QueryDefinitionError(
            f"{path}: a query with id '{query.id}' exists already in "
            f"{queries[query.id].path}. Rename one of the two files."
        )
    queries[query.id] = query


def load_catalogue(dirs: Iterable[PathLike] | None = None, *, bundled: bool = True) -> Catalogue:
    """Read every ``*.rq`` file in the bundled folder and ``dirs`` (not recursing).

    Raises:
        QueryDefinitionError: a file is malformed, or two files share one id.
        InputError: a folder does not exist.
    """
    queries: dict[str, StoredQuery] = {}
    for folder in _folders(dirs, bundled):
        for path in sorted(folder.glob("*.rq")):
            _add(queries, path)
    return Catalogue(queries)


def find_query(
    name: str, dirs: Iterable[PathLike] | None = None, *, bundled: bool = True
) -> StoredQuery:
    """The stored query called ``name``, reading only its own file(s).

    A query's id is its file name, so running one query need not read (and check) the
    whole catalogue, which is most of the start-up time of a short query. Unknown names
    are looked up in the whole catalogue, for its suggestions.

    Raises:
        UsageError: no such query; the message suggests the closest names.
        QueryDefinitionError: the file is malformed, or two folders hold a query ``name``.
        InputError: a folder does not exist.
    """
    name = query_id(name)
    dirs = list(dirs or [])
    folders = _folders(dirs, bundled)
    queries: dict[str, StoredQuery] = {}
    if QUERY_ID.fullmatch(name):
        for folder in folders:
            path = folder / f"{name}.rq"
            if path.is_file():
                _add(queries, path)
    if name in queries:
        return queries[name]
    return load_catalogue(dirs, bundled=bundled).get(name)
