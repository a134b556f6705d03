"""The exceptions caregraph raises, in one place.

Each carries the exit code the CLI uses for it: 1 when data is invalid or a check
failed, 2 when input cannot be read or the call itself is wrong.
"""

from __future__ import annotations


class CaregraphError(Exception):
    """Base class of every error caregraph raises on purpose."""

    exit_code = 2


class InputError(CaregraphError):
    """A file or folder cannot be found, read or parsed."""


class OutputError(CaregraphError):
    """An output file cannot be written."""


class UsageError(CaregraphError):
    """A call is wrong: unknown query, parameter or option value."""


class QueryDefinitionError(CaregraphError):
    """A stored query file has a malformed header or query text."""


class ParameterError(UsageError):
    """A query parameter is missing, unknown or cannot be read as its type."""


class QueryError(CaregraphError):
    """A SPARQL query failed to parse or run."""


class ReasonerError(CaregraphError):
    """The OWL reasoner could not run (for example, no Java runtime)."""


class MissingProgramError(CaregraphError):
    """A system program caregraph needs for this task is not installed (e.g. Graphviz)."""


class ValidationFailed(CaregraphError):
    """Data does not conform: raised only where a caller asks for an exception."""

    exit_code = 1
