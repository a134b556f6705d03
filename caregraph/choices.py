"""The fixed choices a user makes: language and store backend (formats: ``caregraph.formats``).

Cheap to import, so the CLI's ``--help`` and shell completion list them without loading
a store; the library checks against the same lists.
"""

from __future__ import annotations

import os

from caregraph.errors import UsageError

#: Languages of titles, labels, messages and hints.
LANGS = ("de", "en")


def default_lang() -> str:
    """German unless the locale variables ask for English (as the README says).

    The first of ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that is set decides; no locale
    variables, or the neutral ``C``/``POSIX`` locale, mean German, the report's language.
    """
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "en" if value.lower().startswith("en") else "de"
    return "de"


#: Where local queries run: Oxigraph (fast, the default) or rdflib (what pySHACL needs).
BACKENDS = ("oxigraph", "rdflib")

#: SHACL engines of the shapes layer: ``shacl`` (fast) and ``pyshacl`` (the reference).
SHACL_ENGINES = ("shacl", "pyshacl")
DEFAULT_SHACL_ENGINE = "shacl"

#: Methods of the ontology layer and ``caregraph consistency``: ``auto`` is HermiT up to
#: ``safety.AUTO_HERMIT_TRIPLES`` triples, the rules (``caregraph.owlrules``) above.
REASONERS = ("auto", "hermit", "rules")

#: The RDF syntaxes of ``caregraph export`` (``caregraph.export.EXPORT_FORMATS`` has them all).
EXPORT_SYNTAXES = ("ttl", "nt", "nq", "trig", "jsonld", "xml")
#: Other names ``caregraph export --format`` takes: those of ``--format`` elsewhere (the RDF
#: formats of ``query`` and ``queries``) and the common ones.
EXPORT_ALIASES = {
    "turtle": "ttl",
    "ntriples": "nt",
    "nquads": "nq",
    "json-ld": "jsonld",
    "rdfxml": "xml",
    "owl": "xml",
}

#: Environment variables with the credentials ``caregraph push`` sends (never options).
USER_ENV = "CAREGRAPH_USER"
PASSWORD_ENV = "CAREGRAPH_PASSWORD"
TOKEN_ENV = "CAREGRAPH_TOKEN"


def check_choice(value: str, choices: tuple[str, ...], what: str) -> str:
    """Return ``value`` if it is one of ``choices``.

    Raises:
        UsageError: it is not (naming the ``what`` and the choices).
    """
    if value not in choices:
        raise UsageError(f"Unknown {what} '{value}'; choose one of: {', '.join(choices)}.")
    return value


def check_lang(lang: str) -> str:
    """Return ``lang`` if caregraph speaks it.

    Raises:
        UsageError: it does not (naming the languages it does).
    """
    if lang not in LANGS:
        raise UsageError(
            f"caregraph has no messages in the language '{lang}'; use one of: {', '.join(LANGS)}."
        )
    return lang
