"""What a user types to name a stored query and set its parameters.

Light (no YAML, no RDF library): the command line and its quick path
(``caregraph.launch``) read the same words the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from caregraph.errors import UsageError

#: A stored query's id, which is its file name without ``.rq``.
QUERY_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
#: Where stored queries are named when the catalogue is exported as RDF (prefix ``cgq:``).
QUERY_NS = "https://w3id.org/caregraph/queries/"


def query_id(name: str) -> str:
    """The id of the query ``name`` names: its id, its IRI in the exported catalogue, or
    that IRI as ``cgq:ID``."""
    for start in (QUERY_NS, "cgq:"):
        if name.startswith(start) and QUERY_ID.fullmatch(name[len(start) :]):
            return name[len(start) :]
    return name


def parse_params(items: Iterable[str]) -> dict[str, str]:
    """``NAME=VALUE`` texts (``--param``) as a mapping; names are stripped, values kept.

    Raises:
        UsageError: an item has no ``=`` or no name, or a name is given twice.
    """
    params: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep:
            raise UsageError(f"--param takes NAME=VALUE; '{item}' has no '='.")
        if not name:
            raise UsageError(f"--param takes NAME=VALUE; '{item}' has no name before the '='.")
        if name in params:
            raise UsageError(
                f"--param {name} is given twice ('{params[name]}' and '{value}'); give it once."
            )
        params[name] = value
    return params
