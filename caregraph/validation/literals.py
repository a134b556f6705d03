"""Ill-typed literals: a lexical form that its XSD datatype does not allow.

``"13.07.2021"^^xsd:date`` parses as RDF, but it is no date: parsers keep it, SPARQL
comparisons and the OWL reasoner stumble over it, and a shape sees it only where a shape
asks for the datatype. The syntax layer reports every such literal in every file, whatever
its property, with file and line (``caregraph.validation.syntax``). Checked here by the lexical
spaces of XML Schema 1.1 for the datatypes below; other datatypes are not judged.
"""

from __future__ import annotations

import re
from collections.abc import Callable

XSD = "http://www.w3.org/2001/XMLSchema#"

_TZ = r"(Z|[+-](0\d|1[0-3]):[0-5]\d|[+-]14:00)?"
_YEAR = r"-?([1-9]\d{4,}|\d{4})"
_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_DOUBLE = re.compile(r"([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?INF|NaN)")
_DATE = re.compile(rf"{_YEAR}-(\d\d)-(\d\d){_TZ}")
_DATETIME = re.compile(rf"{_YEAR}-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?{_TZ}")
_TIME = re.compile(rf"(\d\d):(\d\d):(\d\d)(\.\d+)?{_TZ}")
_GYEAR = re.compile(rf"{_YEAR}{_TZ}")
_GYEARMONTH = re.compile(rf"{_YEAR}-(\d\d){_TZ}")
_BOOLEAN = re.compile(r"true|false|1|0")


def _calendar(match: re.Match[str]) -> bool:
    year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3))
    if not 1 <= month <= 12:
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return 1 <= day <= days


def _date(text: str) -> bool:
    match = _DATE.fullmatch(text)
    return bool(match) and _calendar(match)  # type: ignore[arg-type]


def _datetime(text: str) -> bool:
    match = _DATETIME.fullmatch(text)
    if not match or not _calendar(match):
        return False
    hour, minute, second = int(match.group(4)), int(match.group(5)), int(match.group(6))
    end_of_day = (hour, minute, second) == (24, 0, 0) and not (match.group(7) or "").strip(".0")
    return end_of_day or (hour < 24 and minute < 60 and second < 60)


def _time(text: str) -> bool:
    match = _TIME.fullmatch(text)
    if not match:
        return False
    hour, minute, second = int(match.group(1)), int(match.group(2)), int(match.group(3))
    return (hour, minute, second) == (24, 0, 0) or (hour < 24 and minute < 60 and second < 60)


def _gyearmonth(text: str) -> bool:
    match = _GYEARMONTH.fullmatch(text)
    return bool(match) and 1 <= int(match.group(2)) <= 12  # type: ignore[union-attr]


def _integer(low: int | None = None, high: int | None = None) -> Callable[[str], bool]:
    def check(text: str) -> bool:
        if not _INTEGER.fullmatch(text):
            return False
        value = int(text)
        return (low is None or value >= low) and (high is None or value <= high)

    return check


def _matches(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    return lambda text: bool(pattern.fullmatch(text))


#: Datatype local name -> (test of the lexical form, what a valid value looks like).
CHECKS: dict[str, tuple[Callable[[str], bool], str]] = {
    "boolean": (_matches(_BOOLEAN), "true or false"),
    "integer": (_integer(), "a whole number, e.g. 42"),
    "int": (_integer(-(2**31), 2**31 - 1), "a whole number, e.g. 42"),
    "long": (_integer(-(2**63), 2**63 - 1), "a whole number, e.g. 42"),
    "short": (_integer(-(2**15), 2**15 - 1), "a whole number, e.g. 42"),
    "byte": (_integer(-128, 127), "a whole number from -128 to 127"),
    "positiveInteger": (_integer(1), "a whole number of at least 1"),
    "nonNegativeInteger": (_integer(0), "a whole number of at least 0"),
    "negativeInteger": (_integer(None, -1), "a whole number below 0"),
    "nonPositiveInteger": (_integer(None, 0), "a whole number of at most 0"),
    "unsignedInt": (_integer(0, 2**32 - 1), "a whole number of at least 0"),
    "unsignedLong": (_integer(0, 2**64 - 1), "a whole number of at least 0"),
    "decimal": (_matches(_DECIMAL), "a decimal number, e.g. 3.25"),
    "double": (_matches(_DOUBLE), "a number, e.g. 3.25 or 1.5E3"),
    "float": (_matches(_DOUBLE), "a number, e.g. 3.25 or 1.5E3"),
    "date": (_date, "YYYY-MM-DD, e.g. 2021-07-13"),
    "dateTime": (_datetime, "YYYY-MM-DDThh:mm:ss, e.g. 2021-07-13T16:00:00"),
    "time": (_time, "hh:mm:ss, e.g. 16:00:00"),
    "gYear": (_matches(_GYEAR), "a year of four digits, e.g. 2021"),
    "gYearMonth": (_gyearmonth, "YYYY-MM, e.g. 2021-07"),
}

#: The datatype IRIs judged here.
CHECKED = frozenset(XSD + name for name in CHECKS)


def ill_typed(lexical: str, datatype: str) -> str | None:
    """What a valid value of ``datatype`` looks like, if ``lexical`` is not one; else None.

    Datatypes outside ``CHECKED`` are never judged ill-typed.
    """
    if not datatype.startswith(XSD):
        return None
    check = CHECKS.get(datatype[len(XSD) :])
    if check is None or check[0](lexical):
        return None
    return check[1]
