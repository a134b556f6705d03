"""The reader's language in stored queries: the reserved variable ``?_lang``.

Every stored query may use ``?_lang`` without declaring it: it stands for the language of the
answer, ``"de"`` (the default, the report's language) or ``"en"`` (``caregraph --lang en``,
``run_query(..., lang="en")``). Unlike a declared parameter (bound by ``VALUES`` in the outer
group), ``?_lang`` is replaced by the literal ``"de"`` or ``"en"`` before the query runs, so it
means the same in every group, ``OPTIONAL``, ``UNION`` branch and subquery. The text put in is
one of the fixed ``QUERY_LANGS``, never text from the user. The convention, followed by every
bundled query:

- a ``*_label`` column picks the label in that language:
  ``OPTIONAL { ?x rdfs:label ?x_label FILTER(LANG(?x_label) = ?_lang) }``;
- a text the query computes is chosen by language:
  ``BIND(IF(?_lang = "en", "active city-wide", "stadtweit aktiv") AS ?relation)``.

An example in a query's header may set ``lang: en`` among its ``params`` to check the English
answer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from caregraph.errors import ParameterError

#: The reserved parameter name; its variable is ``?_lang``.
LANG_PARAM = "lang"
#: The languages a stored query answers in.
QUERY_LANGS = ("de", "en")
#: German, the language of the report.
DEFAULT_QUERY_LANG = "de"


def split_lang(params: Mapping[str, str], lang: str | None) -> tuple[dict[str, str], str]:
    """Separate the reserved ``lang`` from the query's own parameters.

    Args:
        params: parameter texts; a ``lang`` among them wins over ``lang``.
        lang: the language asked for (``None``: German).

    Returns:
        The other parameters, and the language.

    Raises:
        ParameterError: the language is not one of ``QUERY_LANGS``.
    """
    rest = {k: v for k, v in params.items() if k != LANG_PARAM}
    chosen = params.get(LANG_PARAM) or lang or DEFAULT_QUERY_LANG
    if chosen not in QUERY_LANGS:
        raise ParameterError(
            f"Unknown answer language '{chosen}'; stored queries answer in "
            f"{' or '.join(QUERY_LANGS)} (--lang de|en)."
        )
    return rest, chosen


_LANG_VARIABLE = re.compile(r"[?$]_lang\b")


def uses_lang(sparql: str) -> bool:
    """Whether the query text uses ``?_lang``."""
    return bool(_LANG_VARIABLE.search(sparql))


def apply_lang(sparql: str, lang: str) -> str:
    """The query with ``?_lang`` replaced by the literal of ``lang`` (one of ``QUERY_LANGS``).

    Raises:
        ParameterError: ``lang`` is not one of ``QUERY_LANGS`` (so no other text is put in).
    """
    if lang not in QUERY_LANGS:
        raise ParameterError(f"Unknown answer language '{lang}'; use de or en.")
    return _LANG_VARIABLE.sub(f'"{lang}"', sparql)
