"""Validation layer 5, rules: stored "must be empty" SPARQL checks (like ROBOT's verify).

Each ``.rq`` file in ``queries/checks/`` selects the resources that break one rule: a
``?focus`` column, and optionally ``?path``, ``?value`` and ``?message``. Every row is a
finding; an empty result means the rule holds. The ``#+`` header (read as for stored
queries) gives title, description, severity, message and hint, each text in de and en.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import rdflib
from rdflib import Literal, URIRef
from rdflib.term import Node

from caregraph import resources
from caregraph.datafiles import PathLike
from caregraph.errors import InputError, ParseError, QueryDefinitionError
from caregraph.guard import check_query
from caregraph.labels import labels_for
from caregraph.positions import PositionIndex
from caregraph.queries.catalogue import projection
from caregraph.queries.header import LANGS, check_header, check_header_schema, read_header
from caregraph.results import ResultTable
from caregraph.store import GraphStore, RdflibStore, open_store
from caregraph.validation.findings import SEVERITIES, Finding

_TEXT_KEYS = ("title", "description", "message", "hint")
_SCHEMA = check_header_schema(SEVERITIES)


@dataclass(frozen=True)
class Check:
    """One stored rule check."""

    id: str
    path: Path
    title: dict[str, str]
    description: dict[str, str]
    severity: str
    message: dict[str, str]
    hint: dict[str, str]
    sparql: str


def checks_dir() -> Path:
    """The folder of caregraph's own checks."""
    return resources.queries_dir() / "checks"


def load_check(path: Path) -> Check:
    """Read one check file (cached while the file is unchanged).

    Raises:
        QueryDefinitionError: the header or the query is malformed (file and line named).
    """
    stat = path.stat()
    return _load_check(path.resolve(), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=256)
def _load_check(path: Path, mtime: int, size: int) -> Check:
    raw = read_header(path, path.read_text(encoding="utf-8"))
    data = check_header(raw, _SCHEMA, "the check does not run until then")
    texts = {
        key: {lang: " ".join(str(data.get(key, {}).get(lang, "")).split()) for lang in LANGS}
        for key in _TEXT_KEYS
    }
    variables = projection(path, raw.body, raw.body_line)  # parsed by Oxigraph: fast
    if "focus" not in variables:
        raise QueryDefinitionError(f"{path}, line {raw.body_line}: a check must select ?focus.")
    return Check(
        id=path.stem,
        path=path,
        severity=data["severity"],
        sparql=raw.body,
        **texts,
    )


def load_checks(dirs: Iterable[PathLike] | None = None) -> list[Check]:
    """caregraph's checks plus those in ``dirs``, sorted by id.

    Raises:
        InputError: a folder does not exist.
        QueryDefinitionError: a check is malformed.
    """
    found: list[Check] = []
    for folder in [checks_dir(), *(Path(d) for d in dirs or [])]:
        if not folder.is_dir():
            raise InputError(f"{folder}: no such folder of checks.")
        found.extend(load_check(p) for p in sorted(folder.glob("*.rq")))
    return sorted(found, key=lambda c: c.id)


def run_checks(
    checks: list[Check],
    data: rdflib.Graph | Callable[[], rdflib.Graph],
    ontology: rdflib.Graph,
    index: PositionIndex,
    lang: str = "en",
    *,
    files: Sequence[Path] | None = None,
    allow_network: bool = False,
    store: GraphStore | None = None,
) -> list[Finding]:
    """Run every check over data plus ontology; each row is one finding.

    With ``files`` (the data's files), the checks run on an Oxigraph store of them and the
    ontology, which is fast at any size (rdflib takes seconds per check at 100,000
    triples); a file Oxigraph's stricter parser refuses (e.g. an IRI with a space, which
    the vocabulary layer reports) sends the checks back to ``data`` in rdflib (which may be
    given as a function that builds it, called only then). With ``store`` (data plus
    ontology, already loaded: ``datastore.SharedData.sparql_store``) the checks run there.

    Raises:
        UsageError: a check is an Update, or calls SERVICE without ``allow_network``
            (the same rule as for every SPARQL text caregraph runs).
    """
    for check in checks:
        check_query(check.sparql, allow_network=allow_network)
    if store is None and files is not None:
        try:
            # the files passed the syntax layer, which applied the network policy
            store = open_store(files, "oxigraph", ontology=True, allow_network=True)
        except (ParseError, InputError, MemoryError):
            store = None
    if store is not None:
        loaded = store
        return _findings(checks, loaded, lambda check: loaded.query(check.sparql), index, lang)
    graph = data if isinstance(data, rdflib.Graph) else data()
    merged = rdflib.Graph()
    merged += graph
    merged += ontology
    return _findings(
        checks,
        RdflibStore(graph),
        lambda check: _table(merged.query(check.sparql)),
        index,
        lang,
    )


def _table(result: Any) -> ResultTable:
    columns = [str(v) for v in result.vars or []]
    rows = [tuple(row.asdict().get(c) for c in columns) for row in result]
    return ResultTable(columns, rows)


def _findings(
    checks: list[Check],
    labels: GraphStore,
    run: Callable[[Check], object],
    index: PositionIndex,
    lang: str,
) -> list[Finding]:
    rows: list[tuple[Check, dict[str, Node | None]]] = []
    for check in checks:
        table = run(check)
        assert isinstance(table, ResultTable)
        rows.extend((check, dict(zip(table.columns, row, strict=True))) for row in table.rows)
    named = labels_for(labels, (values.get("focus") for _, values in rows), lang)  # type: ignore[misc]
    findings = []
    for check, values in rows:
        focus = values.get("focus")
        path = values.get("path")
        value = values.get("value")
        message = values.get("message")
        focus_text = str(focus) if isinstance(focus, URIRef) else ""
        path_text = str(path) if isinstance(path, URIRef) else None
        where = index.locate(focus_text, path_text) if focus_text else None
        findings.append(
            Finding(
                severity=check.severity,
                focus=focus_text,
                focus_label=named.get(focus) if isinstance(focus, URIRef) else None,
                path=path_text,
                value=None if value is None else str(value),
                message=str(message) if isinstance(message, Literal) else check.message[lang],
                shape=check.id,
                layer="rules",
                file=where.file if where else None,
                line=where.line if where else None,
                column=where.column if where else None,
                hint=check.hint[lang],
                rule=f"rules/{check.id}",
            )
        )
    return findings
