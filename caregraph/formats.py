"""The format registries: each output format's name, what it is for, and its writer.

One registry per kind of output: ``RESULT_FORMATS`` (SELECT results), ``BOOLEAN_FORMATS``
(ASK answers), ``GRAPH_FORMATS`` (RDF graphs: CONSTRUCT, DESCRIBE, inferred triples, the
query catalogue) and ``REPORT_FORMATS`` (validation reports). The CLI's ``--format``
choices, their ``--help`` text and shell completion come from here, and the README's lists
are tested against them, so the lists cannot drift.

A writer is named as ``"module:function"`` and imported when a format is first used, so
listing formats (``--help``, completion) loads no RDF library. Add a format with
``register``; its writer takes the same arguments as the others of its registry.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from caregraph.errors import UsageError


@dataclass(frozen=True)
class Format:
    """One output format.

    Attributes:
        name: what the user types after ``--format``.
        description: what the format is for, one short phrase (shown in ``--help``).
        writer: ``"module:function"`` of the function that writes it: it returns the text,
            or an iterator of its pieces.
        extension: the usual file extension (with the dot).
        options: fixed keyword arguments passed to the writer (e.g. an rdflib format name).
        also: further extensions that name this format (``.owl`` for RDF/XML).
    """

    name: str
    description: str
    writer: str
    extension: str = ".txt"
    options: tuple[tuple[str, Any], ...] = ()
    also: tuple[str, ...] = ()

    def write(self, *args: Any, **kwargs: Any) -> str:
        """Import the writer (once) and call it with ``args``, ``kwargs`` and the options."""
        return "".join(self.chunks(*args, **kwargs))

    def chunks(self, *args: Any, **kwargs: Any) -> Iterator[str]:
        """What ``write`` returns, in pieces as the writer makes them (a writer returns
        its text, or an iterator of pieces so that a large result can be streamed)."""
        written = _resolve(self.writer)(*args, **dict(self.options), **kwargs)
        if isinstance(written, str):
            yield written
        else:
            yield from written


def _resolve(target: str) -> Callable[..., Any]:
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


@dataclass
class Registry:
    """The formats of one kind of output, by name, in the order they are shown."""

    kind: str
    formats: dict[str, Format] = field(default_factory=dict)

    @classmethod
    def of(cls, kind: str, formats: Iterable[Format]) -> Registry:
        """A registry holding ``formats``."""
        registry = cls(kind)
        for fmt in formats:
            registry.register(fmt)
        return registry

    def register(self, fmt: Format) -> Format:
        """Add (or replace) a format; returns it."""
        self.formats[fmt.name] = fmt
        return fmt

    def for_path(self, path: str | None) -> str | None:
        """The first format whose extension the file ``path`` has (None: no such format,
        no file, or ``-``, standard output)."""
        if not path or path == "-":
            return None
        suffix = os.path.splitext(path)[1].lower()
        if not suffix:
            return None
        # a format's own extension first (.xml: JUnit among reports), then the further ones
        usual = next((f.name for f in self if f.extension == suffix), None)
        return usual or next((f.name for f in self if suffix in f.also), None)

    def names(self) -> tuple[str, ...]:
        """The format names, in order."""
        return tuple(self.formats)

    def __iter__(self) -> Iterator[Format]:
        return iter(self.formats.values())

    def __contains__(self, name: object) -> bool:
        return name in self.formats

    def get(self, name: str) -> Format:
        """The format called ``name``.

        Raises:
            UsageError: there is no such format (the message lists the known ones).
        """
        if name not in self.formats:
            raise UsageError(
                f"Unknown {self.kind} format '{name}'; use one of: {', '.join(self.formats)}."
            )
        return self.formats[name]

    def help(self) -> str:
        """``name (description); ...`` for a ``--help`` text."""
        return "; ".join(f"{f.name} ({f.description})" for f in self)


_OUT = "caregraph.output"
_REPORTS = "caregraph.validation.reports"

#: Formats for the rows of a SELECT query.
RESULT_FORMATS = Registry.of(
    "result",
    [
        Format("table", "a table for people, labels in place of IRIs", f"{_OUT}:write_table"),
        Format(
            "markdown", "a Markdown table, labels in place of IRIs", f"{_OUT}:write_markdown", ".md"
        ),
        Format("csv", "CSV with a header line, IRIs in full", f"{_OUT}:write_csv", ".csv"),
        Format(
            "excel",
            "CSV that Excel opens by double-click: UTF-8 byte-order mark, semicolons",
            f"{_OUT}:write_excel",
            ".csv",
        ),
        Format("tsv", "tab-separated values", f"{_OUT}:write_tsv", ".tsv"),
        Format("json", "a JSON list of objects", f"{_OUT}:write_json", ".json"),
        Format("srj", "W3C SPARQL results in JSON", f"{_OUT}:write_srj", ".srj"),
        Format("srx", "W3C SPARQL results in XML", f"{_OUT}:write_srx", ".srx"),
        Format("sparql-csv", "W3C SPARQL results in CSV", f"{_OUT}:write_sparql_csv", ".csv"),
        Format("sparql-tsv", "W3C SPARQL results in TSV", f"{_OUT}:write_sparql_tsv", ".tsv"),
    ],
)

#: Formats that can carry the true/false answer of an ASK query.
BOOLEAN_FORMATS = Registry.of(
    "ASK answer",
    [
        Format("table", "true or false, as text", f"{_OUT}:write_boolean_text"),
        Format("json", 'a JSON object {"boolean": ...}', f"{_OUT}:write_boolean_json", ".json"),
        Format("srj", "W3C SPARQL results in JSON", f"{_OUT}:write_boolean_srj", ".srj"),
        Format("srx", "W3C SPARQL results in XML", f"{_OUT}:write_boolean_srx", ".srx"),
    ],
)


def _graph_format(
    name: str, description: str, rdflib: str, extension: str, also: tuple[str, ...] = ()
) -> Format:
    return Format(
        name, description, f"{_OUT}:write_graph", extension, (("rdflib_format", rdflib),), also
    )


#: RDF syntaxes for graphs (CONSTRUCT and DESCRIBE results, inferred triples, the catalogue).
GRAPH_FORMATS = Registry.of(
    "RDF",
    [
        _graph_format("turtle", "Turtle", "turtle", ".ttl"),
        _graph_format("ntriples", "N-Triples", "nt", ".nt"),
        _graph_format("trig", "TriG", "trig", ".trig"),
        _graph_format("jsonld", "JSON-LD", "json-ld", ".jsonld"),
        _graph_format("rdfxml", "RDF/XML", "xml", ".rdf", (".owl", ".xml")),
    ],
)

#: Formats of a validation report.
REPORT_FORMATS = Registry.of(
    "report",
    [
        Format(
            "text", "for people, grouped by file, coloured on a terminal", f"{_REPORTS}:to_text"
        ),
        Format("json", "the whole report as one JSON object", f"{_REPORTS}:to_json", ".json"),
        Format(
            "junit", "JUnit XML, a test case per file and check", f"{_REPORTS}:to_junit", ".xml"
        ),
        Format("sarif", "SARIF 2.1.0 for code scanning", f"{_REPORTS}:to_sarif", ".sarif"),
        Format("github", "GitHub Actions workflow annotations", f"{_REPORTS}:to_github"),
        Format(
            "shacl", "the W3C SHACL validation report in Turtle", f"{_REPORTS}:to_shacl", ".ttl"
        ),
    ],
)

#: Report formats of ``caregraph import`` (the validation formats without the SHACL report,
#: whose findings are rows of a sheet, not resources of a graph).
IMPORT_REPORT_FORMATS = Registry.of(
    "import report", [fmt for fmt in REPORT_FORMATS if fmt.name != "shacl"]
)

_DIFF = "caregraph.diff"

#: Formats of ``caregraph diff``.
DIFF_FORMATS = Registry.of(
    "diff",
    [
        Format("text", "for people, per resource and by label", f"{_DIFF}:to_text"),
        Format(
            "markdown",
            "Markdown, for a pull-request comment",
            f"{_DIFF}:to_text",
            ".md",
            (("markdown", True),),
        ),
        Format("json", "one JSON object per changed resource", f"{_DIFF}:to_json", ".json"),
        Format(
            "ttl",
            "the added and removed triples as two named graphs (TriG)",
            f"{_DIFF}:to_trig",
            ".trig",
            also=(".ttl",),
        ),
    ],
)
