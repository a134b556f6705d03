"""The exceptions caregraph raises, in one place.

Each carries the exit code the CLI uses for it: 1 when data is invalid or a check
failed, 2 when input cannot be read or the call itself is wrong.
"""

from __future__ import annotations

from pathlib import Path

#: What to do about a file that does not parse.
SYNTAX_HINT = "Fix the syntax at that place (or leave the file out) and run again."
#: The same for the syntaxes of statements ended by "." (Turtle, TriG, N-Triples, N-Quads),
#: whose parsers notice a missing ";" or "." only at the next statement, a line late.
STATEMENT_SYNTAX_HINT = (
    "Fix the syntax at that place or just before it (a missing ';', ',' or '.' at the end of "
    "the line before shows only on the next line), or leave the file out, and run again."
)


def syntax_hint(syntax: str) -> str:
    """What to do about a file of ``syntax`` (``Turtle``, ``RDF/XML``, ...) that does not parse."""
    statements = ("Turtle", "TriG", "N-Triples", "N-Quads")
    return STATEMENT_SYNTAX_HINT if syntax in statements else SYNTAX_HINT


class CaregraphError(Exception):
    """Base class of every error caregraph raises on purpose."""

    exit_code = 2


class InputError(CaregraphError):
    """A file or folder cannot be found, read or parsed."""


class ParseError(InputError):
    """A file is not valid in its RDF syntax: the one parse-error type of caregraph.

    Raised by the loader (``caregraph.loading``) and read by the syntax layer of
    validation, which turns it into a finding.

    Attributes:
        file: the file that does not parse.
        syntax: the name of its RDF syntax (``Turtle``, ``RDF/XML``, ...).
        line: 1-based line of the error, if the parser says it.
        column: 1-based column of the error, if the parser says it.
        reason: what the parser found wrong, on one line.
    """

    def __init__(
        self,
        file: Path,
        syntax: str,
        reason: str,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.file = file
        self.syntax = syntax
        self.reason = " ".join(reason.split()).rstrip(".")
        self.line = line
        self.column = column if line else None
        where = f"{file}, line {line}" if line else str(file)
        if line and column:
            where += f", column {column}"
        super().__init__(
            f"{where}: cannot parse this {syntax} file: {self.reason}. {syntax_hint(syntax)}"
        )


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


class QueryTimeout(QueryError):
    """A query, request or reasoner run did not finish within its time limit."""


class ReasonerError(CaregraphError):
    """The OWL reasoner could not run (for example, no Java runtime)."""


class UnreasonableGraph(ReasonerError):
    """HermiT cannot be given the graph (e.g. an IRI with a space); the rules still can."""


class GraphTooBig(ReasonerError):
    """The graph has more triples than HermiT handles in reasonable time and memory."""


class MissingProgramError(CaregraphError):
    """A system program caregraph needs for this task is not installed (e.g. Graphviz)."""


class ValidationFailed(CaregraphError):
    """Data does not conform: raised only where a caller asks for an exception."""

    exit_code = 1


class ServerError(CaregraphError):
    """A server could not be reached, timed out or refused a request (exit 2)."""


class VerificationFailed(CaregraphError):
    """An upload arrived, but the server holds another number of triples than was sent."""

    exit_code = 1


class ResultTooLarge(QueryError):
    """A query's result has more rows (or triples) than a size limit allows."""
