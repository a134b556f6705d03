"""Stored SPARQL queries: ``.rq`` files whose ``#+`` YAML header describes them.

The header convention follows grlc: the query file starts with lines beginning
``#+``; stripped of that marker they form one YAML mapping. Because every header
line is a SPARQL comment, the file stays a valid query for any other tool.
Parameters are the variables ``?_name`` of the query (grlc's convention too);
values are bound as RDF terms when the query runs, never written into its text.
See ``queries/README.md`` for the full format.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib
import yaml
from rdflib import Literal, URIRef
from rdflib.namespace import XSD, NamespaceManager
from rdflib.term import Node

from caregraph import resources
from caregraph.endpoint import EndpointStore
from caregraph.errors import ParameterError, QueryDefinitionError, QueryError, UsageError
from caregraph.loading import PathLike
from caregraph.namespaces import DEFAULT_PREFIXES, PREFIXES
from caregraph.results import ResultTable, term_text
from caregraph.sparql_text import UPDATE_KEYWORDS, is_update, prefixes, query_form, uses_service
from caregraph.store import GraphStore, QueryOutcome, open_store, select

#: Themes a stored query may belong to.
THEMES: dict[str, dict[str, str]] = {
    "responsibility": {"de": "Verantwortung und Status", "en": "Responsibility and status"},
    "districts": {"de": "Stadtbezirke und Abdeckung", "en": "Districts and coverage"},
    "network": {"de": "Netzwerk und Zusammenarbeit", "en": "Network and cooperation"},
    "goals": {"de": "Ziele und Phasen", "en": "Goals and phases"},
    "quality": {"de": "Datenqualität", "en": "Data quality"},
}

#: Parameter types: "iri" or one of these XSD datatypes.
PARAM_TYPES: dict[str, URIRef | None] = {
    "iri": None,
    "xsd:string": XSD.string,
    "xsd:integer": XSD.integer,
    "xsd:decimal": XSD.decimal,
    "xsd:boolean": XSD.boolean,
    "xsd:date": XSD.date,
    "xsd:gYear": XSD.gYear,
}

LANGS = ("de", "en")
_HEADER_KEYS = {
    "id",
    "title",
    "description",
    "theme",
    "keywords",
    "params",
    "columns",
    "examples",
}
_REQUIRED_KEYS = {"title", "description", "theme", "columns", "examples"}
_PARAM_KEYS = {"name", "type", "default", "values", "class", "scheme", "description", "required"}
_COLUMN_KEYS = {"name", "description"}
_EXAMPLE_KEYS = {"params", "rows", "count", "contains"}
# libyaml's loader when pyyaml was built with it: much faster, same safe subset.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MARKER = re.compile(r"^#\+ ?(.*)$")
_PARAM_VAR = re.compile(r"[?$]_([A-Za-z][A-Za-z0-9_]*)")
_IRI_UNSAFE = re.compile(r'[\s<>"{}|^`\\]')


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


class Header:
    """Checks one header mapping, raising errors that name file and line.

    Shared by stored queries and rule checks (``caregraph.rules``), whose files differ
    only in the keys they allow.
    """

    def __init__(
        self,
        path: Path,
        line_of: dict[str, int],
        first_line: int,
        advice: str = "the query is not loaded until then",
    ) -> None:
        self.path = path
        self.line_of = line_of
        self.first_line = first_line
        self.advice = advice

    def fail(self, message: str, key: str | None = None) -> QueryDefinitionError:
        line = self.line_of.get(key, self.first_line) if key else self.first_line
        return QueryDefinitionError(
            f"{self.path}, line {line}: {message} "
            f"Fix the '#+' header (see queries/README.md); {self.advice}."
        )

    def mapping(self, value: Any, where: str, keys: set[str], key: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(f"'{where}' must be a mapping.", key)
        unknown = set(value) - keys
        if unknown:
            name = sorted(unknown)[0]
            near = difflib.get_close_matches(str(name), sorted(keys), n=1)
            hint = (
                f" Did you mean '{near[0]}'?"
                if near
                else f" Known keys: {', '.join(sorted(keys))}."
            )
            raise self.fail(f"unknown key '{name}' in '{where}'.{hint}", key or str(name))
        return value

    def texts(self, value: Any, where: str, key: str) -> dict[str, str]:
        texts = self.mapping(value, where, set(LANGS), key)
        missing = [
            lang
            for lang in LANGS
            if not isinstance(texts.get(lang), str) or not texts[lang].strip()
        ]
        if missing:
            raise self.fail(f"'{where}' needs a text in {' and '.join(missing)}.", key)
        return {lang: " ".join(texts[lang].split()) for lang in LANGS}

    def sequence(self, value: Any, where: str, key: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(f"'{where}' must be a list.", key)
        return value


def read_header(path: Path, text: str) -> tuple[dict[str, Any], dict[str, int], int, str]:
    """Split a ``.rq`` file into its parsed ``#+`` header and its SPARQL text.

    Returns:
        The header mapping, the line of each top-level key (and ``"<body>"`` for the
        first SPARQL line), the header's first line, and the SPARQL text.

    Raises:
        QueryDefinitionError: no header, bad YAML, or a ``#+`` line below the query.
    """
    lines = text.splitlines()
    header: list[str] = []
    line_of: dict[str, int] = {}
    first = 0
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    first = index + 1
    while index < len(lines):
        match = _MARKER.match(lines[index])
        if not match:
            break
        content = match.group(1)
        top = re.match(r"^([A-Za-z_][\w-]*)\s*:", content)
        if top:
            line_of[top.group(1)] = index + 1
        header.append(content)
        index += 1
    for number, line in enumerate(lines[index:], start=index + 1):
        if line.startswith("#+"):
            raise QueryDefinitionError(
                f"{path}, line {number}: a '#+' header line stands after the query has begun. "
                "Move it into the header at the top of the file (or make it a plain '#' comment)."
            )
    if not header:
        raise QueryDefinitionError(
            f"{path}, line 1: the file has no '#+' header. Start the file with the header "
            "described in queries/README.md (title, description, theme, columns, examples)."
        )
    try:
        data = yaml.load("\n".join(header), Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        yaml_line = first + mark.line if mark is not None else first
        problem = getattr(exc, "problem", None) or str(exc)
        raise QueryDefinitionError(
            f"{path}, line {yaml_line}: the '#+' header is not valid YAML ({problem}). "
            "Fix the header (see queries/README.md); the query is not loaded until then."
        ) from exc
    line_of["<body>"] = index + 1
    return data, line_of, first, "\n".join(lines[index:])


def load_query(path: PathLike) -> StoredQuery:
    """Read and check one stored query file.

    Raises:
        QueryDefinitionError: the header or query text is malformed; the message
            names the file and line.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryDefinitionError(f"{path}: cannot read the query file ({exc}).") from exc
    data, line_of, first, body = read_header(path, text)
    h = Header(path, line_of, first)
    h.mapping(data, "header", _HEADER_KEYS, "")
    missing = sorted(_REQUIRED_KEYS - set(data))
    if missing:
        raise h.fail(f"the header lacks {', '.join(repr(m) for m in missing)}.")
    query_id = str(data.get("id", path.stem))
    if query_id != path.stem:
        raise h.fail(
            f"'id' is '{query_id}' but the file is named '{path.name}'; they must agree.", "id"
        )
    theme = data["theme"]
    if theme not in THEMES:
        raise h.fail(f"unknown theme '{theme}'; use one of: {', '.join(THEMES)}.", "theme")

    params = [_parameter(h, raw) for raw in h.sequence(data.get("params"), "params", "params")]
    columns = []
    for raw in h.sequence(data["columns"], "columns", "columns"):
        raw = h.mapping(raw, "columns", _COLUMN_KEYS, "columns")
        if "name" not in raw:
            raise h.fail("every column needs a 'name'.", "columns")
        columns.append(
            Column(
                str(raw["name"]),
                h.texts(raw.get("description"), f"column {raw['name']}", "columns"),
            )
        )
    examples = [
        _example(h, raw, params) for raw in h.sequence(data["examples"], "examples", "examples")
    ]
    if not examples:
        raise h.fail(
            "the query has no examples; give at least one with its rows or count.", "examples"
        )

    body_line = line_of["<body>"]
    projected = _projection(path, body, body_line)
    declared = [c.name for c in columns]
    if projected != declared:
        raise h.fail(
            f"'columns' lists {declared} but the query selects {projected}; make them agree.",
            "columns",
        )
    used = set(_PARAM_VAR.findall(body))
    declared_params = {p.name for p in params}
    for match in _PARAM_VAR.finditer(body):
        if match.group(1) not in declared_params:
            line = body_line + body.count("\n", 0, match.start())
            raise QueryDefinitionError(
                f"{path}, line {line}: the query uses ?_{match.group(1)}, but 'params' does not "
                "declare it. Declare the parameter in the header, or rename the variable "
                "(variables starting with ?_ are parameters)."
            )
    if declared_params - used:
        raise h.fail(
            f"parameter '{sorted(declared_params - used)[0]}' is declared but the query never "
            "uses its variable ?_" + sorted(declared_params - used)[0] + ".",
            "params",
        )
    return StoredQuery(
        id=query_id,
        path=path,
        title=h.texts(data["title"], "title", "title"),
        description=h.texts(data["description"], "description", "description"),
        theme=theme,
        sparql=body,
        params=params,
        columns=columns,
        examples=examples,
        keywords=[str(k) for k in h.sequence(data.get("keywords"), "keywords", "keywords")],
        namespaces=_namespaces(body),
    )


def _projection(path: Path, body: str, body_line: int) -> list[str]:
    """Check that ``body`` is one SELECT query and return the variables it projects.

    Oxigraph parses it (fast); its results are lazy, so nothing is evaluated and
    no SERVICE is called.
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


def _parameter(h: Header, raw: Any) -> Parameter:
    raw = h.mapping(raw, "params", _PARAM_KEYS, "params")
    name = raw.get("name")
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name):
        raise h.fail(f"parameter name {name!r} must be a word of letters, digits and _.", "params")
    ptype = raw.get("type")
    if ptype not in PARAM_TYPES:
        raise h.fail(
            f"parameter '{name}' has type {ptype!r}; use one of: {', '.join(PARAM_TYPES)}.",
            "params",
        )
    default = raw.get("default")
    values = tuple(str(v) for v in h.sequence(raw.get("values"), f"values of {name}", "params"))
    return Parameter(
        name=name,
        type=ptype,
        description=h.texts(raw.get("description"), f"description of {name}", "params"),
        default=None if default is None else str(default),
        values=values,
        cls=raw.get("class"),
        scheme=raw.get("scheme"),
        required=bool(raw.get("required", False)),
    )


def _example(h: Header, raw: Any, params: list[Parameter]) -> Example:
    raw = h.mapping(raw, "examples", _EXAMPLE_KEYS, "examples")
    given = raw.get("params") or {}
    if not isinstance(given, dict):
        raise h.fail("an example's 'params' must be a mapping.", "examples")
    names = {p.name for p in params}
    for key in given:
        if key not in names:
            raise h.fail(f"an example sets unknown parameter '{key}'.", "examples")
    if not any(k in raw for k in ("rows", "count", "contains")):
        raise h.fail("every example needs 'rows', 'count' or 'contains'.", "examples")
    rows = raw.get("rows")
    contains = raw.get("contains")
    for value in (rows, contains):
        if value is not None and not (
            isinstance(value, list) and all(isinstance(r, dict) for r in value)
        ):
            raise h.fail("an example's 'rows'/'contains' must be a list of mappings.", "examples")
    count = raw.get("count")
    if count is not None and not isinstance(count, int):
        raise h.fail("an example's 'count' must be a whole number.", "examples")
    return Example(
        params={str(k): str(v) for k, v in given.items()},
        rows=[{str(k): str(v) for k, v in r.items()} for r in rows] if rows is not None else None,
        count=count if rows is None else len(rows),
        contains=[{str(k): str(v) for k, v in r.items()} for r in contains] if contains else None,
    )


def refuse_update(sparql: str) -> None:
    """Raise if ``sparql`` is a SPARQL Update: caregraph never changes the graph by query."""
    if is_update(sparql):
        raise UsageError(
            "This is a SPARQL Update (INSERT, DELETE, LOAD, CLEAR, ...). caregraph only reads "
            "the graph; change the data files instead."
        )


@dataclass
class Catalogue:
    """All stored queries from one or more folders, by id."""

    queries: dict[str, StoredQuery]

    def __iter__(self) -> Any:
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
        if name in self.queries:
            return self.queries[name]
        near = difflib.get_close_matches(name, list(self.queries), n=3)
        hint = f" Did you mean: {', '.join(near)}?" if near else ""
        raise UsageError(
            f"There is no stored query '{name}'.{hint} Run 'caregraph queries' to list them."
        )


def load_catalogue(dirs: Iterable[PathLike] | None = None, *, bundled: bool = True) -> Catalogue:
    """Read every ``*.rq`` file in the bundled folder and ``dirs`` (not recursing).

    Raises:
        QueryDefinitionError: a file is malformed, or two files share one id.
        InputError: a folder does not exist.
    """
    from caregraph.errors import InputError

    folders = ([resources.queries_dir()] if bundled else []) + [Path(d) for d in dirs or []]
    queries: dict[str, StoredQuery] = {}
    for folder in folders:
        if not folder.is_dir():
            raise InputError(f"{folder}: no such folder of stored queries.")
        for path in sorted(folder.glob("*.rq")):
            query = load_query(path)
            if query.id in queries:
                raise QueryDefinitionError(
                    f"{path}: a query with id '{query.id}' exists already in "
                    f"{queries[query.id].path}. Rename one of the two files."
                )
            queries[query.id] = query
    return Catalogue(queries)


_LABELS_OF = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?resource ?name WHERE {
  ?resource rdfs:label|skos:prefLabel|skos:altLabel ?name .
  %s
}"""


def _restriction(
    param: Parameter, namespaces: NamespaceManager | None
) -> tuple[str, dict[str, Node]]:
    """The graph pattern (and its bindings) that the resources ``param`` may name satisfy."""
    patterns: list[str] = []
    bindings: dict[str, Node] = {}
    if param.cls:
        bindings["_class"] = _expand(param.cls, namespaces)
        patterns.append("?resource a/rdfs:subClassOf* ?_class .")
    if param.scheme:
        bindings["_scheme"] = _expand(param.scheme, namespaces)
        patterns.append("?resource skos:inScheme ?_scheme .")
    return " ".join(patterns), bindings


def _label_matches(
    store: GraphStore, label: str, param: Parameter, namespaces: NamespaceManager | None
) -> list[URIRef]:
    pattern, bindings = _restriction(param, namespaces)
    bindings["_label"] = Literal(label)
    # LCASE on both sides: Python's casefold() would turn ß into ss, SPARQL's LCASE does not.
    sparql = _LABELS_OF % (pattern + " FILTER(LCASE(STR(?name)) = LCASE(STR(?_label)))")
    return sorted({row[0] for row in select(store, sparql, bindings) if isinstance(row[0], URIRef)})


def _all_labels(
    store: GraphStore, param: Parameter, namespaces: NamespaceManager | None
) -> list[str]:
    pattern, bindings = _restriction(param, namespaces)
    return sorted(
        {str(row[1]) for row in select(store, _LABELS_OF % pattern, bindings)}, key=str.casefold
    )


def _expand(value: str, namespaces: NamespaceManager | None) -> URIRef:
    if namespaces is not None and re.fullmatch(r"[A-Za-z][\w.-]*:[^\s/]*", value):
        prefix, local = value.split(":", 1)
        for known, iri in namespaces.namespaces():
            if known == prefix:
                return URIRef(str(iri) + local)
    return URIRef(value)


_LEXICAL = {
    "xsd:string": re.compile(r".*", re.S),
    "xsd:integer": re.compile(r"[+-]?\d+"),
    "xsd:decimal": re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)"),
    "xsd:boolean": re.compile(r"true|false|1|0"),
    "xsd:date": re.compile(r"-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?"),
    "xsd:gYear": re.compile(r"-?\d{4,}(Z|[+-]\d{2}:\d{2})?"),
}


def _lexically_valid(xsd_type: str, value: str) -> bool:
    """Check a value's lexical form before rdflib sees it (rdflib logs tracebacks for bad ones)."""
    if not _LEXICAL[xsd_type].fullmatch(value):
        return False
    if xsd_type == "xsd:date":
        try:
            date.fromisoformat(value[:10])
        except ValueError:
            return False
    return True


def bind_value(query: StoredQuery, param: Parameter, value: str, store: GraphStore) -> Node:
    """Turn the text a user gave for ``param`` into an RDF term.

    An ``iri`` parameter takes a full IRI, a prefixed name known to the query, or
    the label (German or English, any case) of exactly one resource.

    Raises:
        ParameterError: the value is not allowed, not of its type, or names no
            single resource.
    """
    if param.values and value not in param.values:
        raise ParameterError(
            f"Parameter '{param.name}' of query '{query.id}' takes one of "
            f"{', '.join(param.values)}; '{value}' is not one of them."
        )
    if param.type != "iri":
        if not _lexically_valid(param.type, value):
            raise ParameterError(
                f"Parameter '{param.name}' of query '{query.id}' must be a {param.type}; "
                f"'{value}' is not (for xsd:date write YYYY-MM-DD)."
            )
        return Literal(value, datatype=PARAM_TYPES[param.type])
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value) and not _IRI_UNSAFE.search(value):
        expanded = _expand(value, query.namespaces)
        if str(expanded) != value or "://" in value or value.startswith("urn:"):
            return expanded
    distinct = _label_matches(store, value, param, query.namespaces)
    if len(distinct) == 1:
        return distinct[0]
    if len(distinct) > 1:
        names = "; ".join(f"{iri}" for iri in distinct[:5])
        raise ParameterError(
            f"Parameter '{param.name}' of query '{query.id}': the label '{value}' names "
            f"{len(distinct)} resources ({names}). Give the IRI instead."
        )
    if isinstance(store, EndpointStore) and not store.has_ontology():
        raise ParameterError(
            f"Parameter '{param.name}' of query '{query.id}': cannot look up '{value}' by "
            f"name. {store.missing_ontology_message()} Or give a full IRI."
        )
    labels = _all_labels(store, param, query.namespaces)
    containing = [label for label in labels if value.lower() in label.lower()]
    close = difflib.get_close_matches(value, labels, n=3, cutoff=0.5)
    candidates = list(dict.fromkeys(containing[:5] + close))
    hint = f" Closest labels: {'; '.join(candidates)}." if candidates else ""
    raise ParameterError(
        f"Parameter '{param.name}' of query '{query.id}': nothing in the graph is called "
        f"'{value}'.{hint} Give a label from the graph or a full IRI."
    )


def parameter_choices(query: StoredQuery, param: Parameter, store: GraphStore) -> list[str]:
    """Values a user may give for ``param``: its fixed values, else graph labels for IRIs."""
    if param.values:
        return list(param.values)
    if param.type == "iri":
        return _all_labels(store, param, query.namespaces)
    return []


def bind_parameters(
    query: StoredQuery, given: Mapping[str, str], store: GraphStore
) -> dict[str, Node]:
    """Bind every parameter: the given value, else its default; required ones must be given.

    Raises:
        ParameterError: a parameter is unknown, missing or of the wrong type.
    """
    for name in given:
        query.param(name)
    bound: dict[str, Node] = {}
    for param in query.params:
        value = given.get(param.name, param.default)
        if value is None:
            if param.required:
                raise ParameterError(
                    f"Query '{query.id}' needs the parameter '{param.name}' "
                    f"({query.text(param.description, 'en')}). "
                    f"Give it as --param {param.name}=VALUE."
                )
            continue
        bound["_" + param.name] = bind_value(query, param, value, store)
    return bound


def refuse_service(sparql: str, allow_network: bool = False) -> None:
    """Raise if the query would call a remote endpoint (``SERVICE``) and that is not allowed."""
    if not allow_network and uses_service(sparql):
        raise UsageError(
            "The query calls a remote endpoint with SERVICE; caregraph does not reach the "
            "network unless --allow-network is given."
        )


def with_default_prefixes(sparql: str) -> str:
    """Declare caregraph's usual prefixes (and rdf, rdfs, skos, ...) that the query leaves out."""
    declared = prefixes(sparql)
    missing = {p: ns for p, ns in DEFAULT_PREFIXES.items() if p not in declared}
    # On the query's first line, so that error messages keep the user's line numbers.
    return "".join(f"PREFIX {p}: <{ns}> " for p, ns in missing.items()) + sparql


def run_sparql(sparql: str, store: GraphStore, *, allow_network: bool = False) -> QueryOutcome:
    """Run an ad-hoc SELECT, ASK, CONSTRUCT or DESCRIBE query; Update is refused.

    The usual prefixes (cg, cgv, dd, rdf, rdfs, skos, owl, xsd, dcterms, prov, org,
    schema, geo) need no declaration.

    Raises:
        UsageError: the text is a SPARQL Update, or calls SERVICE without allow_network.
        QueryError: the query does not parse or fails.
    """
    refuse_update(sparql)
    refuse_service(sparql, allow_network)
    return store.query(with_default_prefixes(sparql))


def run_stored(
    query: StoredQuery, store: GraphStore, params: Mapping[str, str] | None = None
) -> ResultTable:
    """Run a stored query on a store with the given parameter texts."""
    refuse_service(query.sparql)
    bindings = bind_parameters(query, params or {}, store)
    return select(store, query.sparql, bindings)


def run_query(
    name: str,
    /,
    *,
    data: Iterable[PathLike] | None = None,
    store: GraphStore | None = None,
    queries: Iterable[PathLike] | None = None,
    backend: str = "oxigraph",
    **params: str,
) -> ResultTable:
    """Run the stored query ``name`` and return its rows.

    Args:
        name: the query id (its file name without ``.rq``).
        data: RDF files or folders to load (default: the bundled Dresden graph).
        store: an already loaded store to use instead of ``data``.
        queries: extra folders of stored queries.
        backend: ``"oxigraph"`` (default) or ``"rdflib"``.
        **params: parameter values as text, e.g. ``district="Prohlis"``.

    Example:
        >>> rows = run_query("actors_in_district", district="Prohlis")
    """
    query = load_catalogue(queries).get(name)
    return run_stored(query, store if store is not None else open_store(data, backend), params)


def example_failures(query: StoredQuery, store: GraphStore) -> list[str]:
    """Run each example of ``query``; return a message for every one that does not hold."""
    failures = []
    for number, example in enumerate(query.examples, start=1):
        try:
            table = run_stored(query, store, example.params)
        except (ParameterError, QueryError) as exc:
            failures.append(f"{query.id} example {number}: {exc}")
            continue
        got = [
            {
                c: term_text(cell, query.namespaces)
                for c, cell in zip(table.columns, row, strict=True)
            }
            for row in table.rows
        ]
        if example.count is not None and len(got) != example.count:
            failures.append(
                f"{query.id} example {number}: expected {example.count} rows, got {len(got)}: {got}"
            )
        if example.rows is not None:
            want = sorted(_canonical(r) for r in example.rows)
            have = sorted(_canonical({k: r[k] for k in r}) for r in got)
            if want != have:
                failures.append(
                    f"{query.id} example {number}: rows differ.\n"
                    f"  expected: {want}\n  got:      {have}"
                )
        for expected in example.contains or []:
            if not any(all(r.get(k) == v for k, v in expected.items()) for r in got):
                failures.append(
                    f"{query.id} example {number}: no row matches {expected}; got {got}"
                )
    return failures


def _canonical(row: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(row.items()))


#: Where stored queries are named when the catalogue is exported as RDF.
QUERY_NS = "https://w3id.org/caregraph/queries/"


def catalogue_graph(catalogue: Catalogue) -> rdflib.Graph:
    """The catalogue as RDF, following the SIB SPARQL-examples convention.

    Each query becomes a ``sh:SPARQLSelectExecutable`` with ``rdfs:label`` (title),
    ``rdfs:comment`` (description) in German and English, ``schema:keywords`` and
    the query text as ``sh:select``, so the catalogue can be loaded and queried.
    """
    from rdflib import RDF, RDFS
    from rdflib.namespace import DCTERMS, SH

    from caregraph.namespaces import SCHEMA, bind_prefixes

    graph = bind_prefixes(rdflib.Graph())
    graph.bind("cgq", QUERY_NS)
    graph.bind("sh", SH)
    for query in catalogue:
        node = URIRef(QUERY_NS + query.id)
        graph.add((node, RDF.type, SH.SPARQLExecutable))
        graph.add((node, RDF.type, SH.SPARQLSelectExecutable))
        graph.add((node, DCTERMS.identifier, Literal(query.id)))
        for lang in LANGS:
            graph.add((node, RDFS.label, Literal(query.title[lang], lang=lang)))
            graph.add((node, RDFS.comment, Literal(query.description[lang], lang=lang)))
            graph.add((node, DCTERMS.subject, Literal(THEMES[query.theme][lang], lang=lang)))
        for keyword in query.keywords:
            graph.add((node, SCHEMA.keywords, Literal(keyword)))
        graph.add((node, SH.select, Literal(query.sparql.strip())))
    return graph
