"""The ``#+`` header schema: published as written, valid JSON Schema, and applied like the
reference implementation (``jsonschema``) applies it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from caregraph import resources
from caregraph.errors import QueryDefinitionError
from caregraph.queries.header import (
    QUERY_HEADER_SCHEMA,
    check_header,
    check_header_schema,
    first_violation,
    read_header,
)
from caregraph.validation.findings import SEVERITIES

CHECK_SCHEMA = check_header_schema(SEVERITIES)
README = Path(__file__).parent.parent / "queries" / "README.md"
BAD = Path(__file__).parent / "data" / "queries" / "bad"


def _published(name: str) -> Any:
    match = re.search(
        rf"<!-- {name} -->\n```json\n(.*?)\n```\n<!-- /{name} -->", README.read_text(), re.S
    )
    assert match, f"queries/README.md has no {name} block"
    return json.loads(match.group(1))


def test_the_readme_publishes_the_schemas_caregraph_checks() -> None:
    assert _published("query-header-schema") == QUERY_HEADER_SCHEMA
    assert _published("check-header-schema") == CHECK_SCHEMA


@pytest.mark.parametrize("schema", [QUERY_HEADER_SCHEMA, CHECK_SCHEMA])
def test_the_schemas_are_valid_json_schema(schema: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator.check_schema(schema)


def _headers(folder: Path) -> list[tuple[Path, Any]]:
    found = []
    for path in sorted(folder.glob("*.rq")):
        try:
            found.append((path, read_header(path, path.read_text(encoding="utf-8")).data))
        except QueryDefinitionError:
            continue  # no header or bad YAML: nothing for a schema to judge
    return found


def test_every_bundled_header_is_valid_for_the_reference_implementation() -> None:
    queries = _headers(resources.queries_dir())
    checks = _headers(resources.queries_dir() / "checks")
    assert len(queries) == 22 and len(checks) == 6
    for _, data in queries:
        jsonschema.validate(data, QUERY_HEADER_SCHEMA)
    for _, data in checks:
        jsonschema.validate(data, CHECK_SCHEMA)


def _variants() -> list[tuple[str, Any]]:
    """Headers that are right and headers broken in each way the schema forbids."""
    good: dict[str, Any] = {
        "title": {"de": "T", "en": "T"},
        "description": {"de": "D", "en": "D"},
        "theme": "quality",
        "params": [{"name": "x", "type": "iri", "description": {"de": "x", "en": "x"}}],
        "columns": [{"name": "s", "description": {"de": "s", "en": "s"}}],
        "examples": [{"params": {"x": "y"}, "count": 1}],
    }

    def changed(**changes: Any) -> dict[str, Any]:
        return {**json.loads(json.dumps(good)), **changes}

    param = good["params"][0]
    return [
        ("good", good),
        ("typo key", changed(tittle="x")),
        ("missing key", {k: v for k, v in good.items() if k != "theme"}),
        ("unknown theme", changed(theme="weather")),
        ("text lacks en", changed(title={"de": "T"})),
        ("empty text", changed(title={"de": " ", "en": "T"})),
        ("text not a mapping", changed(title="T")),
        ("param type", changed(params=[{**param, "type": "date"}])),
        ("param name", changed(params=[{**param, "name": "2x"}])),
        ("param key", changed(params=[{**param, "kind": "iri"}])),
        ("required not boolean", changed(params=[{**param, "required": "yes"}])),
        ("params not a list", changed(params={"x": 1})),
        ("no examples", changed(examples=[])),
        ("example without result", changed(examples=[{"params": {}}])),
        ("count is a boolean", changed(examples=[{"count": True}])),
        ("count is text", changed(examples=[{"count": "3"}])),
        ("rows not mappings", changed(examples=[{"rows": ["a"]}])),
        ("column without description", changed(columns=[{"name": "s"}])),
        ("header not a mapping", ["title"]),
    ]


@pytest.mark.parametrize(("name", "header"), _variants())
def test_caregraph_judges_a_header_as_jsonschema_does(name: str, header: Any) -> None:
    reference = jsonschema.Draft202012Validator(QUERY_HEADER_SCHEMA).is_valid(header)
    ours = first_violation(header, QUERY_HEADER_SCHEMA, QUERY_HEADER_SCHEMA)
    assert (ours is None) == reference
    assert reference == (name == "good")


def test_a_violation_names_the_place_and_the_line(tmp_path: Path) -> None:
    path = tmp_path / "q.rq"
    path.write_text(
        "#+ title: {de: T, en: T}\n#+ description: {de: D, en: D}\n#+ theme: quality\n"
        "#+ columns: []\n#+ examples:\n#+   - count: yes\nSELECT * WHERE {}\n"
    )
    with pytest.raises(QueryDefinitionError) as caught:
        check_header(read_header(path, path.read_text()), QUERY_HEADER_SCHEMA, "advice")
    assert f"{path}, line 5: 'examples[1].count' must be a whole number, not True." in str(
        caught.value
    )
