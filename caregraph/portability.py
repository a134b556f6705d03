"""Portable SPARQL: the subset that Oxigraph, rdflib and Virtuoso evaluate identically.

Stored queries and rule checks must give the same rows on every engine people run
(see "Portable SPARQL" in ``queries/README.md``). Each rule here is a construct that a
real engine was seen to evaluate differently, with the way to write it instead:

``zero-or-one``
    ``p?`` paths: Virtuoso 7.2 drops rows when they are joined with other patterns.
``zero-or-more``
    ``p*`` paths: as ``p?``. Write ``{ ... ?x ... } UNION { ... ?x p+ ?y ... }``.
``transitive-complex``
    ``+`` over anything but one IRI (or ``^IRI``), or inside a sequence or alternative:
    Virtuoso rejects or mis-joins it.
``transitive-unanchored``
    ``?x p+ ?y`` where neither end is an IRI, a parameter or a variable of an earlier
    pattern: Virtuoso fails with "transitive start not given".
``alternative-sequence``
    an alternative holding a sequence or a modifier (``a/b|c``): Virtuoso's compiler
    fails with "Weird '|' ppath".
``alternative-multiplicity``
    ``a|b`` where the number of rows counts: Oxigraph returns each pair once, Virtuoso
    and rdflib once per matching branch (as the standard says). Allowed under
    ``SELECT DISTINCT``, in ``EXISTS``/``MINUS``, in ``ASK`` and where every aggregate
    is ``DISTINCT``, ``MIN``, ``MAX`` or ``SAMPLE``; else write a ``UNION``.
``alternative-with-transitive``
    an alternative in a query that also has a ``+`` path: Virtuoso mis-joins the two.
``unbound-argument``
    ``YEAR()`` and the other date functions, and ``CONCAT()``, of a parameter or of a
    variable bound only in an ``OPTIONAL``: Virtuoso raises an error (even behind
    ``BOUND(?x) && ...``) or treats the value as empty. Give a default with
    ``COALESCE`` first, or guard with ``IF(BOUND(?x), ..., ...)``.
``outer-variable``
    a ``BIND`` or ``FILTER`` that uses a variable bound only outside its group: by the
    standard it is unbound there; Virtuoso sees the outer value.
``union-literal-subject``
    a ``UNION`` branch that puts a variable in the subject position while the group around
    the ``UNION`` binds it in the object position (where it may hold a literal): Virtuoso
    drops the rows whose value is a literal, even when another branch matches them.
``optional-filter-outer``
    a ``FILTER`` inside an ``OPTIONAL`` that uses a parameter or a variable bound outside
    the ``OPTIONAL`` by ``VALUES`` or ``BIND``: Virtuoso evaluates it as if that variable
    were unbound or ignores it (``!=`` kept every row, ``LANG(?x) = ?lang`` none). One form
    is allowed: exactly ``FILTER(BOUND(?_param))``, a guard that lets an engine skip the
    ``OPTIONAL`` when the parameter is not given (``responsibilities``); where it is ignored
    the block runs anyway, with the same answers, as the engine tests check.

The check reads the query with rdflib's SPARQL parser; it never runs it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pyparsing import ParseResults
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef, Variable

from caregraph.errors import QueryError

RULES: dict[str, str] = {
    "zero-or-one": "a zero-or-one path (p?); write a UNION of the two cases",
    "zero-or-more": "a zero-or-more path (p*); write a UNION of the start itself and p+",
    "transitive-complex": "a one-or-more path over more than one IRI, or inside a sequence or "
    "alternative; use p+ over one IRI (or ^IRI) on its own",
    "transitive-unanchored": "a one-or-more path whose two ends are new variables; start it at "
    "an IRI, a parameter or a variable of an earlier pattern",
    "alternative-sequence": "an alternative path holding a sequence or modifier; write a UNION",
    "alternative-multiplicity": "an alternative path where the number of rows counts; use "
    "SELECT DISTINCT or write a UNION",
    "alternative-with-transitive": "an alternative path in a query with a one-or-more path; "
    "write a UNION",
    "unbound-argument": "a date function or CONCAT of a value that may be unbound; give a "
    "default with COALESCE first or guard it with IF(BOUND(...), ..., ...)",
    "outer-variable": "a BIND or FILTER using a variable bound only outside its group",
    "union-literal-subject": "a UNION branch with a variable in subject position that the "
    "surrounding group binds in object position (a literal there is dropped); use "
    "FILTER(EXISTS {...} || EXISTS {...})",
    "optional-filter-outer": "a FILTER inside an OPTIONAL using a parameter or a VALUES/BIND "
    "variable from outside it; test it in the outer group, or bind the value inside",
}

_UNSAFE_FUNCTIONS = {
    f"Builtin_{name}"
    for name in ("YEAR", "MONTH", "DAY", "HOURS", "MINUTES", "SECONDS", "TIMEZONE", "TZ", "CONCAT")
}
_SET_AGGREGATES = {"Aggregate_Min", "Aggregate_Max", "Aggregate_Sample"}
#: ``?_lang`` is replaced by a literal in the text before a query runs (caregraph.queries.language),
#: so no engine ever sees it as a variable.
_REPLACED_IN_TEXT = {"_lang"}


@dataclass(frozen=True)
class PortabilityIssue:
    """One construct outside the portable subset."""

    rule: str
    detail: str

    def __str__(self) -> str:
        return f"{self.rule}: {RULES[self.rule]} ({self.detail})"


@dataclass
class _Select:
    distinct: bool
    aggregates_ok: bool


@dataclass
class _Walk:
    issues: list[PortabilityIssue] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    optional_only: set[str] = field(default_factory=set)
    has_transitive: bool = False
    alternatives: list[str] = field(default_factory=list)

    def add(self, rule: str, detail: str) -> None:
        issue = PortabilityIssue(rule, detail)
        if issue not in self.issues:
            self.issues.append(issue)


def stored_query_issues(
    queries: Iterable[tuple[str, str]],
) -> dict[str, list[PortabilityIssue]]:
    """The issues of each named query text that has any (e.g. every stored query and check)."""
    found = {}
    for name, sparql in queries:
        issues = portability_issues(sparql)
        if issues:
            found[name] = issues
    return found


def portability_issues(sparql: str) -> list[PortabilityIssue]:
    """The constructs of ``sparql`` outside the portable subset (empty: it is portable).

    Raises:
        QueryError: the text does not parse as SPARQL.
    """
    try:
        parsed = parseQuery(sparql)
    except Exception as exc:  # pyparsing's errors share no useful base
        raise QueryError(f"The SPARQL query does not parse: {exc}") from exc
    query = parsed[1]
    walk = _Walk()
    required, optional = _bindings(query)
    walk.optional_only = optional - required
    is_ask = query.name == "AskQuery"
    _visit(query, walk, [_Select(distinct=True, aggregates_ok=True)] if is_ask else [], False)
    if walk.has_transitive:
        for text in walk.alternatives:
            walk.add("alternative-with-transitive", text)
    _scopes(query.where, walk, set(), top=True)
    _union_subjects(query.where, walk)
    _optional_filters(query.where, walk, _outside_bound(query.where))
    return walk.issues


def _children(node: Any) -> Iterator[Any]:
    if isinstance(node, CompValue):
        yield from node.values()
    elif isinstance(node, ParseResults | list | tuple):
        yield from node


def _nodes(node: Any) -> Iterator[Any]:
    yield node
    for child in _children(node):
        yield from _nodes(child)


def _variables(node: Any) -> set[str]:
    return {str(n) for n in _nodes(node) if isinstance(n, Variable)}


def _path_text(path: Any) -> str:
    if isinstance(path, CompValue):
        if path.name == "pname":
            return f"{path.prefix or ''}:{path.localname or ''}"
        if path.name == "PathAlternative":
            return "|".join(_path_text(p) for p in path.part)
        if path.name == "PathSequence":
            return "/".join(_path_text(p) for p in path.part)
        if path.name == "PathEltOrInverse":
            return "^" + _path_text(path.part)
        if path.name == "PathElt":
            inner = _path_text(path.part)
            if isinstance(path.part, CompValue) and path.part.name == "PathAlternative":
                inner = f"({inner})"
            return inner + (path.mod or "")
    return str(path.n3() if hasattr(path, "n3") else path)


def _is_iri(node: Any) -> bool:
    return isinstance(node, URIRef) or (isinstance(node, CompValue) and node.name == "pname")


def _is_simple(path: Any) -> bool:
    """One IRI or ^IRI, without a modifier."""
    if _is_iri(path):
        return True
    if isinstance(path, CompValue) and path.name == "PathEltOrInverse":
        path = path.part
    return (
        isinstance(path, CompValue)
        and path.name == "PathElt"
        and not path.mod
        and _is_iri(path.part)
    )


def _unwrap(path: Any) -> Any:
    """A one-branch alternative or one-element sequence is its content."""
    while isinstance(path, CompValue) and path.name in ("PathAlternative", "PathSequence"):
        if len(path.part) != 1:
            break
        path = path.part[0]
    return path


def _check_path(subject: Any, path: Any, obj: Any, walk: _Walk, selects: list[_Select],
                in_exists: bool) -> None:  # fmt: skip
    text = _path_text(path)
    for node in _nodes(path):
        if not isinstance(node, CompValue):
            continue
        if node.name == "PathElt" and node.mod == "?":
            walk.add("zero-or-one", text)
        elif node.name == "PathElt" and node.mod == "*":
            walk.add("zero-or-more", text)
        elif node.name == "PathAlternative" and len(node.part) > 1:
            if not all(_is_simple(_unwrap(branch)) for branch in node.part):
                walk.add("alternative-sequence", text)
            walk.alternatives.append(text)
            select = selects[-1] if selects else _Select(False, False)
            if not (in_exists or select.distinct or select.aggregates_ok):
                walk.add("alternative-multiplicity", text)
    transitive = [n for n in _nodes(path) if isinstance(n, CompValue) and n.name == "PathElt"
                  and n.mod == "+"]  # fmt: skip
    if transitive:
        walk.has_transitive = True
        element = _unwrap(path)
        if isinstance(element, CompValue) and element.name == "PathEltOrInverse":
            element = element.part
        simple = (
            isinstance(element, CompValue)
            and element.name == "PathElt"
            and element.mod == "+"
            and _is_simple(_unwrap(element.part))
        )
        if not simple:
            walk.add("transitive-complex", text)
        elif not _anchored(subject, walk) and not _anchored(obj, walk):
            walk.add("transitive-unanchored", f"{_term(subject)} {text} {_term(obj)}")


def _anchored(term: Any, walk: _Walk) -> bool:
    if not isinstance(term, Variable):
        return True
    return str(term).startswith("_") or str(term) in walk.seen


def _term(term: Any) -> str:
    return f"?{term}" if isinstance(term, Variable) else _path_text(term)


def _visit(node: Any, walk: _Walk, selects: list[_Select], in_exists: bool) -> None:
    if isinstance(node, CompValue):
        if node.name in ("SelectQuery", "SubSelect"):
            selects = [*selects, _select_context(node)]
        elif node.name in ("Builtin_EXISTS", "Builtin_NOTEXISTS", "MinusGraphPattern"):
            in_exists = True
        elif node.name == "TriplesBlock":
            for triple in node.triples:
                _triple(list(triple), walk, selects, in_exists)
            return
        elif node.name in _UNSAFE_FUNCTIONS:
            _check_arguments(node, walk)
        elif node.name == "Builtin_IF":
            _guarded_if(node, walk, selects, in_exists)
            return
    for child in _children(node):
        _visit(child, walk, selects, in_exists)


def _triple(parts: list[Any], walk: _Walk, selects: list[_Select], in_exists: bool) -> None:
    """A triples block item: (subject, predicate, object) triples, flattened."""
    for at in range(0, len(parts) - 2, 3):
        subject, predicate, obj = parts[at : at + 3]
        if isinstance(predicate, CompValue) and predicate.name.startswith("Path"):
            _check_path(subject, predicate, obj, walk, selects, in_exists)
        for term in (subject, obj):
            if isinstance(term, Variable):
                walk.seen.add(str(term))


def _select_context(node: CompValue) -> _Select:
    aggregates = [n for n in _nodes(node.projection) if isinstance(n, CompValue)
                  and n.name.startswith("Aggregate_")]  # fmt: skip
    aggregates_ok = bool(aggregates) and all(
        a.name in _SET_AGGREGATES or bool(a.get("distinct")) for a in aggregates
    )
    return _Select(distinct=node.get("modifier") == "DISTINCT", aggregates_ok=aggregates_ok)


def _check_arguments(node: CompValue, walk: _Walk, guarded: frozenset[str] = frozenset()) -> None:
    for key in ("arg", "arg1", "arg2"):
        value = node.get(key)
        for arg in value if isinstance(value, ParseResults | list) else [value]:
            variable = _bare_variable(arg)
            if variable is None or variable in guarded:
                continue
            if variable.startswith("_") or variable in walk.optional_only:
                name = node.name.removeprefix("Builtin_")
                walk.add("unbound-argument", f"{name}(?{variable})")


def _bare_variable(expr: Any) -> str | None:
    while isinstance(expr, CompValue) and set(expr.keys()) == {"expr"}:
        expr = expr.expr
    return str(expr) if isinstance(expr, Variable) else None


def _guarded_if(node: CompValue, walk: _Walk, selects: list[_Select], in_exists: bool) -> None:
    condition = node.arg1
    inner = condition
    while isinstance(inner, CompValue) and set(inner.keys()) == {"expr"}:
        inner = inner.expr
    guarded: set[str] = set()
    if isinstance(inner, CompValue) and inner.name == "Builtin_BOUND":
        guarded = _variables(inner)
    _visit(condition, walk, selects, in_exists)
    for sub in _nodes(node.arg2):
        if isinstance(sub, CompValue) and sub.name in _UNSAFE_FUNCTIONS:
            _check_arguments(sub, walk, frozenset(guarded))
    _visit_without_functions(node.arg2, walk, selects, in_exists)
    _visit(node.arg3, walk, selects, in_exists)


def _visit_without_functions(
    node: Any, walk: _Walk, selects: list[_Select], in_exists: bool
) -> None:
    if isinstance(node, CompValue) and node.name in _UNSAFE_FUNCTIONS:
        for child in _children(node):
            _visit(child, walk, selects, in_exists)
        return
    if isinstance(node, CompValue) and node.name in ("Builtin_IF", "SelectQuery", "SubSelect"):
        _visit(node, walk, selects, in_exists)
        return
    for child in _children(node):
        _visit_without_functions(child, walk, selects, in_exists)


def _bindings(query: CompValue) -> tuple[set[str], set[str]]:
    """Variables of triples outside any OPTIONAL (or bound by BIND/VALUES), and inside one."""
    required: set[str] = set()
    optional: set[str] = set()

    def walk(node: Any, in_optional: bool) -> None:
        if isinstance(node, CompValue):
            if node.name == "OptionalGraphPattern":
                in_optional = True
            elif node.name == "TriplesBlock":
                (optional if in_optional else required).update(_variables(node))
                return
            elif node.name == "Bind" and not in_optional:
                required.add(str(node.var))
            elif node.name in ("InlineData", "ValuesClause") and not in_optional:
                required.update(_variables(node))
        for child in _children(node):
            walk(child, in_optional)

    walk(query.where, False)
    return required, optional


def _group_binds(group: Any) -> set[str]:
    """The variables a group pattern binds for its surroundings (not via FILTER)."""
    bound: set[str] = set()
    for node in _nodes(group):
        if isinstance(node, CompValue):
            if node.name == "TriplesBlock":
                bound |= _variables(node)
            elif node.name == "Bind":
                bound.add(str(node.var))
            elif node.name == "SubSelect":
                bound |= {str(v.var if v.get("evar") is None else v.evar) for v in node.projection}
            elif node.name in ("InlineData", "ValuesClause"):
                bound |= _variables(node)
    return bound


def _scopes(group: Any, walk: _Walk, outer: set[str], top: bool = False) -> None:
    """Check that BIND and FILTER use only variables their own group binds."""
    if not isinstance(group, CompValue) or group.name != "GroupGraphPatternSub":
        return
    parts = list(group.get("part") or [])
    everywhere = _group_binds(group) | outer
    in_scope: set[str] = outer | (_all_params(group) if top else set())
    for part in parts:
        if not isinstance(part, CompValue):
            continue
        if part.name == "Bind":
            for name in _variables(part.expr) - in_scope:
                if name in walk.seen and not name.startswith("_"):
                    walk.add("outer-variable", f"BIND(... ?{name} ...) AS ?{part.var}")
            in_scope.add(str(part.var))
        elif part.name == "Filter":
            expr_vars = _variables(_without_exists(part.expr))
            for name in expr_vars - everywhere - in_scope:
                if name in walk.seen and not name.startswith("_"):
                    walk.add("outer-variable", f"FILTER(... ?{name} ...)")
        else:
            in_scope |= _group_binds(part)
        for sub in _subgroups(part):
            _scopes(sub, walk, set())


def _all_params(group: Any) -> set[str]:
    return {v for v in _variables(group) if v.startswith("_")}


def _without_exists(expr: Any) -> Any:
    if isinstance(expr, CompValue) and expr.name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
        return None
    if isinstance(expr, CompValue):
        copy = CompValue(expr.name)
        for key, value in expr.items():
            copy[key] = _without_exists(value)
        return copy
    if isinstance(expr, ParseResults | list):
        return [_without_exists(e) for e in expr]
    return expr


def _subgroups(part: CompValue) -> Iterable[Any]:
    """The group patterns directly inside ``part`` (union branches, OPTIONAL, MINUS, ...)."""
    for node in _children(part):
        if isinstance(node, CompValue) and node.name == "GroupGraphPatternSub":
            yield node
        elif isinstance(node, CompValue) and node.name == "SubSelect":
            yield node.where
        elif isinstance(node, CompValue) and not node.name.startswith(("Builtin", "Conditional")):
            yield from _subgroups(node)
        elif isinstance(node, ParseResults | list):
            for item in node:
                if isinstance(item, CompValue) and item.name == "GroupGraphPatternSub":
                    yield item
                elif isinstance(item, CompValue) and item.name == "SubSelect":
                    yield item.where


def _triples(node: Any) -> Iterator[tuple[Any, Any, Any]]:
    """The (subject, predicate, object) triples of the triples blocks in ``node``."""
    for block in _nodes(node):
        if isinstance(block, CompValue) and block.name == "TriplesBlock":
            for triple in block.triples:
                parts = list(triple)
                for at in range(0, len(parts) - 2, 3):
                    yield parts[at], parts[at + 1], parts[at + 2]


def _union_subjects(where: Any, walk: _Walk) -> None:
    """Flag a UNION branch with a subject that its surrounding group binds as an object."""
    for group in _nodes(where):
        if not isinstance(group, CompValue) or group.name != "GroupGraphPatternSub":
            continue
        parts = [p for p in group.get("part") or [] if isinstance(p, CompValue)]
        blocks = [p for p in parts if p.name == "TriplesBlock"]
        subjects = {str(s) for s, _, _ in _triples(blocks) if isinstance(s, Variable)}
        objects = {str(o) for _, _, o in _triples(blocks) if isinstance(o, Variable)}
        for union in parts:
            if union.name != "GroupOrUnionGraphPattern" or len(union.graph) < 2:
                continue
            for subject, _, _ in _triples(union.graph):
                name = str(subject)
                if isinstance(subject, Variable) and name in objects - subjects:
                    walk.add("union-literal-subject", f"?{name} in subject position")


def _outside_bound(where: Any) -> set[str]:
    """Variables bound by VALUES or BIND anywhere (parameters are added by caregraph's VALUES)."""
    bound = {v for v in _variables(where) if v.startswith("_")} - _REPLACED_IN_TEXT
    for node in _nodes(where):
        if isinstance(node, CompValue) and node.name == "Bind":
            bound.add(str(node.var))
        elif isinstance(node, CompValue) and node.name in ("InlineData", "ValuesClause"):
            bound |= _variables(node)
    return bound


def _optional_filters(where: Any, walk: _Walk, outside: set[str]) -> None:
    """Flag a FILTER in an OPTIONAL that uses a VALUES, BIND or parameter variable from outside."""
    for node in _nodes(where):
        if not isinstance(node, CompValue) or node.name != "OptionalGraphPattern":
            continue
        group = node.graph
        own = _group_binds(group)
        for part in group.get("part") or []:
            if isinstance(part, CompValue) and part.name == "Filter":
                if _parameter_guard(part.expr):
                    continue
                for name in sorted(_variables(_without_exists(part.expr)) & outside - own):
                    walk.add("optional-filter-outer", f"FILTER(... ?{name} ...) in OPTIONAL")


#: The expression nodes that only wrap the one term of a plain ``BOUND(?_param)``.
_WRAPPERS = {
    "ConditionalOrExpression",
    "ConditionalAndExpression",
    "RelationalExpression",
    "AdditiveExpression",
    "MultiplicativeExpression",
}


def _parameter_guard(expr: Any) -> bool:
    """Whether a FILTER is exactly ``BOUND(?_param)``: a guard that lets an engine skip an
    OPTIONAL when the parameter is not given. An engine that ignores it there runs the block
    anyway, with the same answers (the engine tests compare them on Virtuoso)."""
    names = [n.name for n in _nodes(expr) if isinstance(n, CompValue)]
    bound = [n for n in _nodes(expr) if isinstance(n, CompValue) and n.name == "Builtin_BOUND"]
    variables = [n for n in _nodes(expr) if isinstance(n, Variable)]
    return (
        len(bound) == 1
        and set(names) <= _WRAPPERS | {"Builtin_BOUND"}
        and variables == [bound[0].arg]
        and str(bound[0].arg).startswith("_")
    )
