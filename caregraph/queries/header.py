"""The ``#+`` header of stored queries and rule checks: reading it, and its declared schema.

The header convention follows grlc: the query file starts with lines beginning ``#+``;
stripped of that marker they form one YAML mapping. Because every header line is a
SPARQL comment, the file stays a valid query for any other tool.

What a header may hold is declared once, as JSON Schema (``QUERY_HEADER_SCHEMA``; rule
checks use ``check_header_schema`` built from the same parts), and published in
``queries/README.md``. ``check_header`` applies a schema and turns the first violation
into an error naming file and line; it evaluates the JSON Schema keywords these schemas
use (``type``, ``properties``, ``required``, ``additionalProperties``, ``enum``,
``pattern``, ``items``, ``minItems``, ``minLength``, ``anyOf``) without a dependency, so
listing queries and shell completion stay fast. The test suite checks the schemas and
the bundled headers with the reference ``jsonschema`` implementation too.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from caregraph.errors import QueryDefinitionError

#: Languages every header text is given in.
LANGS = ("de", "en")

#: Themes a stored query may belong to.
THEMES: dict[str, dict[str, str]] = {
    "responsibility": {"de": "Verantwortung und Status", "en": "Responsibility and status"},
    "districts": {"de": "Stadtbezirke und Abdeckung", "en": "Districts and coverage"},
    "network": {"de": "Netzwerk und Zusammenarbeit", "en": "Network and cooperation"},
    "goals": {"de": "Ziele und Phasen", "en": "Goals and phases"},
    "quality": {"de": "Datenqualität", "en": "Data quality"},
}

#: Parameter types: an IRI, or a literal of one of these XSD datatypes.
PARAM_TYPE_NAMES = (
    "iri",
    "xsd:string",
    "xsd:integer",
    "xsd:decimal",
    "xsd:boolean",
    "xsd:date",
    "xsd:gYear",
)

_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

#: A text in German and English (each non-empty).
TEXTS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "A text in German (de) and English (en).",
    "required": list(LANGS),
    "additionalProperties": False,
    "properties": {
        lang: {"type": "string", "pattern": r"\S", "description": "a text that is not empty"}
        for lang in LANGS
    },
}

_TEXTS = {"$ref": "#/$defs/texts"}

_PARAM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "A parameter, bound to the query variable ?_<name>.",
    "required": ["name", "type", "description"],
    "additionalProperties": False,
    "properties": {
        "name": {
            "type": "string",
            "pattern": "^[A-Za-z][A-Za-z0-9_]*$",
            "description": "a word of letters, digits and _ (starting with a letter)",
        },
        "type": {"enum": list(PARAM_TYPE_NAMES)},
        "description": _TEXTS,
        "default": {"description": "Value used when none is given (text, as on the CLI)."},
        "values": {
            "type": "array",
            "description": "The only values allowed.",
            "items": {"type": ["string", "number", "boolean"]},
        },
        "class": {"type": "string", "description": "iri: the value's class (prefixed name)."},
        "scheme": {"type": "string", "description": "iri: the SKOS scheme of the value."},
        "required": {"type": "boolean"},
    },
}

_COLUMN_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["name", "description"],
    "additionalProperties": False,
    "properties": {"name": {"type": "string"}, "description": _TEXTS},
}

_ROWS_SCHEMA: dict[str, Any] = {"type": "array", "items": {"type": "object"}}

_EXAMPLE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Parameters and what the query gives for them on the bundled data.",
    "additionalProperties": False,
    "anyOf": [{"required": ["rows"]}, {"required": ["count"]}, {"required": ["contains"]}],
    "properties": {
        "params": {"type": "object", "description": "Parameter name to value."},
        "rows": {**_ROWS_SCHEMA, "description": "Exactly these rows (any order)."},
        "count": {"type": "integer", "description": "This many rows."},
        "contains": {**_ROWS_SCHEMA, "description": "Rows that must be among the result."},
    },
}

#: The header of a stored query (``queries/*.rq``), as JSON Schema.
QUERY_HEADER_SCHEMA: dict[str, Any] = {
    "$schema": _SCHEMA_DIALECT,
    "$id": "https://w3id.org/caregraph/schemas/query-header",
    "title": "Header of a caregraph stored query",
    "type": "object",
    "required": ["title", "description", "theme", "columns", "examples"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "description": "Must equal the file name without .rq."},
        "title": _TEXTS,
        "description": _TEXTS,
        "theme": {"enum": list(THEMES)},
        "keywords": {"type": "array", "items": {"type": "string"}},
        "params": {"type": "array", "items": {"$ref": "#/$defs/param"}},
        "columns": {
            "type": "array",
            "description": "The projected variables, in order.",
            "items": {"$ref": "#/$defs/column"},
        },
        "examples": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/example"}},
    },
    "$defs": {
        "texts": TEXTS_SCHEMA,
        "param": _PARAM_SCHEMA,
        "column": _COLUMN_SCHEMA,
        "example": _EXAMPLE_SCHEMA,
    },
}


def check_header_schema(severities: tuple[str, ...]) -> dict[str, Any]:
    """The header of a rule check (``queries/checks/*.rq``), as JSON Schema."""
    return {
        "$schema": _SCHEMA_DIALECT,
        "$id": "https://w3id.org/caregraph/schemas/check-header",
        "title": "Header of a caregraph rule check",
        "type": "object",
        "required": ["title", "description", "severity", "message"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string", "description": "Must equal the file name without .rq."},
            "title": _TEXTS,
            "description": _TEXTS,
            "severity": {"enum": list(severities)},
            "message": _TEXTS,
            "hint": _TEXTS,
        },
        "$defs": {"texts": TEXTS_SCHEMA},
    }


# libyaml's loader when pyyaml was built with it: much faster, same safe subset.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MARKER = re.compile(r"^#\+ ?(.*)$")
_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")


@dataclass(frozen=True)
class RawHeader:
    """A ``.rq`` file split into its parsed header and its SPARQL text.

    Attributes:
        path: the file.
        data: the header mapping as YAML gives it.
        line_of: the line of each top-level key, and ``"<body>"`` for the first SPARQL line.
        first_line: the header's first line.
        body: the SPARQL text below the header.
    """

    path: Path
    data: Any
    line_of: dict[str, int]
    first_line: int
    body: str

    @property
    def body_line(self) -> int:
        """The line where the SPARQL text starts."""
        return self.line_of["<body>"]

    def error(self, message: str, key: str | None = None, advice: str = "") -> QueryDefinitionError:
        """An error at ``key``'s line (else the header's first), pointing to the format."""
        line = self.line_of.get(key, self.first_line) if key else self.first_line
        return QueryDefinitionError(
            f"{self.path}, line {line}: {message} "
            f"Fix the '#+' header (see queries/README.md){'; ' + advice if advice else ''}."
        )


def read_header(path: Path, text: str) -> RawHeader:
    """Split a ``.rq`` file into its parsed ``#+`` header and its SPARQL text.

    Raises:
        QueryDefinitionError: no header, bad YAML, or a ``#+`` line below the query.
    """
    lines = text.splitlines()
    header: list[str] = []
    line_of: dict[str, int] = {}
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    first = index + 1
    while index < len(lines):
        match = _MARKER.match(lines[index])
        if not match:
            break
        content = match.group(1)
        top = _TOP_KEY.match(content)
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
    return RawHeader(path, data, line_of, first, "\n".join(lines[index:]))


def check_header(raw: RawHeader, schema: dict[str, Any], advice: str) -> dict[str, Any]:
    """Check the header against ``schema``; return it as a mapping.

    Raises:
        QueryDefinitionError: the first way the header breaks the schema, at its line.
    """
    problem = first_violation(raw.data, schema, schema)
    if problem is not None:
        where, message = problem
        key = str(where[0]) if where else None
        raise raw.error(message, key, advice)
    if raw.data.get("id", raw.path.stem) != raw.path.stem:
        raise raw.error(
            f"'id' is '{raw.data['id']}' but the file is named '{raw.path.name}'; they must agree.",
            "id",
            advice,
        )
    return dict(raw.data)


_TYPE_NAMES = {
    "object": "a mapping",
    "array": "a list",
    "string": "a text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
}


def _has_type(value: Any, name: str) -> bool:
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "string":
        return isinstance(value, str)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return name == "null" and value is None


def _name(path: tuple[str | int, ...]) -> str:
    """A place in the header for people: ``params[1].type`` (or ``header``)."""
    text = ""
    for part in path:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "header"


Violation = tuple[tuple[str | int, ...], str]


def first_violation(
    value: Any, schema: dict[str, Any], root: dict[str, Any], path: tuple[str | int, ...] = ()
) -> Violation | None:
    """The first place where ``value`` breaks ``schema``, and what is wrong there; else None.

    Args:
        value: the (part of the) header to check.
        schema: the (sub)schema it must satisfy.
        root: the whole schema, for ``$ref`` to ``#/$defs/...``.
        path: where ``value`` stands in the header.
    """
    if "$ref" in schema:
        schema = root["$defs"][schema["$ref"].removeprefix("#/$defs/")]
    where = _name(path)
    types = schema.get("type")
    if types is not None:
        wanted = [types] if isinstance(types, str) else list(types)
        if not any(_has_type(value, t) for t in wanted):
            kinds = " or ".join(_TYPE_NAMES.get(t, t) for t in wanted)
            return path, f"'{where}' must be {kinds}, not {value!r}."
    if "enum" in schema and value not in schema["enum"]:
        choices = ", ".join(str(c) for c in schema["enum"])
        return path, f"'{where}' is {value!r}; use one of: {choices}."
    if isinstance(value, str):
        if "pattern" in schema and not re.search(schema["pattern"], value):
            expected = schema.get("description") or f"text matching {schema['pattern']}"
            return path, f"'{where}' is {value!r}; it must be {expected}."
        if len(value) < schema.get("minLength", 0):
            return path, f"'{where}' must not be empty."
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            return path, f"'{where}' needs at least {schema['minItems']} entry."
        for number, item in enumerate(value):
            found = first_violation(item, schema.get("items", {}), root, (*path, number))
            if found is not None:
                return found
    if isinstance(value, dict):
        return _object_violation(value, schema, root, path, where)
    return None


def _object_violation(
    value: dict[Any, Any],
    schema: dict[str, Any],
    root: dict[str, Any],
    path: tuple[str | int, ...],
    where: str,
) -> Violation | None:
    properties: dict[str, Any] = schema.get("properties", {})
    if schema.get("additionalProperties") is False:
        unknown = sorted(str(k) for k in value if k not in properties)
        if unknown:
            near = difflib.get_close_matches(unknown[0], sorted(properties), n=1)
            hint = f"Did you mean '{near[0]}'?" if near else f"Known keys: {', '.join(properties)}."
            place = path or (unknown[0],)  # a top-level key has a line of its own
            return place, f"unknown key '{unknown[0]}' in '{where}'. {hint}"
    missing = [k for k in schema.get("required", []) if k not in value]
    if missing:
        return path, f"'{where}' lacks {', '.join(repr(m) for m in missing)}."
    alternatives = schema.get("anyOf")
    if alternatives and all(first_violation(value, a, root, path) for a in alternatives):
        keys = [k for a in alternatives for k in a.get("required", [])]
        return path, f"'{where}' needs {', '.join(repr(k) for k in keys[:-1])} or {keys[-1]!r}."
    for key, sub in properties.items():
        if key in value:
            found = first_violation(value[key], sub, root, (*path, key))
            if found is not None:
                return found
    return None
