"""Checking a stored query's examples: what it must give on the bundled data."""

from __future__ import annotations

from collections.abc import Mapping

from caregraph.errors import ParameterError, QueryError
from caregraph.queries.catalogue import StoredQuery
from caregraph.queries.running import run_stored
from caregraph.results import term_text
from caregraph.store import GraphStore


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
