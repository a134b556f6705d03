"""Where resources stand in the source files: a position index built by a light pre-scan.

rdflib records no positions, so neither it nor pySHACL can say in which line a resource
is defined. This module scans the text itself: for Turtle, TriG, N-Triples and N-Quads a
tokenizer follows statements far enough to know each subject and predicate and where it
stands (resolving ``@prefix``/``PREFIX`` and ``@base``/``BASE``); for RDF/XML and JSON-LD
it finds ``rdf:about``/``"@id"`` lines, which is enough for the usual one-resource-per-block
layout.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from caregraph.sparql_text import TURTLE_STRING

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def resolve_iri(base: str, reference: str) -> str:
    """``reference`` resolved against ``base``, keeping an empty fragment (``ns#``).

    ``urllib.parse.urljoin`` drops a trailing ``#``, which would turn ``cg:`` into the
    wrong namespace.
    """
    if _SCHEME.match(reference):
        return reference
    joined = urljoin(base, reference)
    return joined + "#" if reference.endswith("#") and not joined.endswith("#") else joined


@dataclass(frozen=True)
class Location:
    """A place in a file (1-based line and column)."""

    file: Path
    line: int
    column: int


@dataclass
class PositionIndex:
    """Where each IRI is described (as subject), said (subject + predicate) or mentioned."""

    subjects: dict[str, Location] = field(default_factory=dict)
    statements: dict[tuple[str, str], Location] = field(default_factory=dict)
    mentions: dict[str, Location] = field(default_factory=dict)

    def update(self, other: PositionIndex) -> None:
        """Add another file's index; the first file to define something keeps it."""
        for mine, theirs in (
            (self.subjects, other.subjects),
            (self.statements, other.statements),
            (self.mentions, other.mentions),
        ):
            for key, location in theirs.items():
                mine.setdefault(key, location)  # type: ignore[arg-type]

    def locate(self, iri: str, path: str | None = None) -> Location | None:
        """The best place for a finding about ``iri`` (and property ``path``), if known."""
        if path is not None and (iri, path) in self.statements:
            return self.statements[(iri, path)]
        return self.subjects.get(iri) or self.mentions.get(iri)

    def _subject(self, iri: str, where: Location) -> None:
        self.subjects.setdefault(iri, where)
        self.mentions.setdefault(iri, where)

    def _statement(self, subject: str, predicate: str, where: Location) -> None:
        self.statements.setdefault((subject, predicate), where)
        self.mentions.setdefault(predicate, where)


_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>"""
    + TURTLE_STRING
    + r""")
  | (?P<iri><[^<>\n]*>)
  | (?P<punct>\^\^|[;,\[\]\(\)\{\}])
  | (?P<word>[^\s;,\[\]\(\)\{\}"'<\#]+)
    """,
    re.VERBOSE | re.DOTALL,
)
_DIRECTIVES = {"@prefix", "prefix", "@base", "base"}
_LITERAL_WORD = re.compile(r"^(?:[+-]?[0-9.][0-9.eE+-]*|true|false|@[A-Za-z][A-Za-z0-9-]*)$")
_PN_ESCAPE = re.compile(r"\\(.)")


@dataclass
class _Frame:
    subject: str | None  # None: a blank node (which rdflib names at random)
    state: str  # "subject", "predicate", "object" or "after-object"
    predicate: str | None = None
    is_list: bool = False
    pending: Location | None = None  # where the subject stands, until a predicate confirms it


class _TurtleScanner:
    """Follows Turtle/TriG/N-Triples/N-Quads statements just far enough to index them."""

    def __init__(self, path: Path, text: str, base: str) -> None:
        self.path = path
        self.text = text
        self.base = base
        self.prefixes: dict[str, str] = {}
        self.index = PositionIndex()
        self.stack = [_Frame(None, "subject")]
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def where(self, offset: int) -> Location:
        line = bisect.bisect_right(self.line_starts, offset)
        return Location(self.path, line, offset - self.line_starts[line - 1] + 1)

    def tokens(self) -> list[tuple[str, str, int]]:
        out = []
        for match in _TOKEN.finditer(self.text):
            kind = match.lastgroup or ""
            if kind in ("ws", "comment"):
                continue
            value = match.group()
            if kind == "word":
                # A trailing '.' ends the statement (``dd:x a cg:Actor.``); inner dots belong.
                stripped = value.rstrip(".")
                if stripped:
                    out.append((kind, stripped, match.start()))
                for i in range(len(value) - len(stripped)):
                    out.append(("punct", ".", match.start() + len(stripped) + i))
                continue
            out.append((kind, value, match.start()))
        return out

    def resolve(self, kind: str, value: str) -> str | None:
        if kind == "iri":
            return resolve_iri(self.base, value[1:-1])
        if value == "a":
            return RDF_TYPE
        if value.startswith("_:") or _LITERAL_WORD.match(value):
            return None
        prefix, colon, local = value.partition(":")
        if not colon or prefix not in self.prefixes:
            return None
        return self.prefixes[prefix] + _PN_ESCAPE.sub(r"\1", local)

    def scan(self) -> PositionIndex:
        tokens = self.tokens()
        i = 0
        while i < len(tokens):
            kind, value, offset = tokens[i]
            if (
                kind == "word"
                and value.lower() in _DIRECTIVES
                and self.stack[-1].state == "subject"
            ):
                i = self.directive(tokens, i)
                continue
            if kind == "word" and value.upper() == "GRAPH" and self.stack[-1].state == "subject":
                i += 2  # the graph name; its '{' follows
                continue
            self.step(kind, value, offset)
            i += 1
            if kind == "string" and i < len(tokens) and tokens[i][1] == "^^":
                i += 2  # the datatype is no resource of the data
        return self.index

    def directive(self, tokens: list[tuple[str, str, int]], i: int) -> int:
        name = tokens[i][1].lower().lstrip("@")
        if name == "prefix" and i + 2 < len(tokens):
            prefix = tokens[i + 1][1].rstrip(":")
            iri = tokens[i + 2][1]
            if iri.startswith("<"):
                self.prefixes[prefix] = resolve_iri(self.base, iri[1:-1])
            i += 3
        elif name == "base" and i + 1 < len(tokens):
            iri = tokens[i + 1][1]
            if iri.startswith("<"):
                self.base = resolve_iri(self.base, iri[1:-1])
            i += 2
        else:
            i += 1
        if i < len(tokens) and tokens[i][1] == ".":
            i += 1
        return i

    def step(self, kind: str, value: str, offset: int) -> None:
        frame = self.stack[-1]
        if kind == "punct" or value == ".":
            self.punctuation(value, frame)
            return
        term = self.resolve(kind, value)
        here = self.where(offset)
        if term is not None:
            self.index.mentions.setdefault(term, here)
        if frame.is_list:
            return
        if frame.state == "subject":
            # Not recorded yet: in TriG the term may turn out to name a graph.
            frame.subject, frame.state, frame.pending = term, "predicate", here
        elif frame.state == "predicate":
            if frame.subject is not None and frame.pending is not None:
                self.index._subject(frame.subject, frame.pending)
            frame.predicate, frame.state, frame.pending = term, "object", None
            if term is not None and frame.subject is not None:
                self.index._statement(frame.subject, term, here)
        elif frame.state == "object":
            frame.state = "after-object"

    def punctuation(self, value: str, frame: _Frame) -> None:
        if value == "[":
            if frame.state == "object":
                frame.state = "after-object"
            elif frame.state == "subject":
                frame.state = "predicate"  # ``[ ... ] p o .``: the parent's subject is a blank node
            self.stack.append(_Frame(None, "predicate"))
        elif value == "(":
            if frame.state == "object":
                frame.state = "after-object"
            self.stack.append(_Frame(None, "object", is_list=True))
        elif value in ("]", ")") and len(self.stack) > 1:
            self.stack.pop()
        elif value == "{":
            frame.state, frame.subject, frame.pending = "subject", None, None
            self.stack.append(_Frame(None, "subject"))
        elif value == "}" and len(self.stack) > 1:
            self.stack.pop()
        elif value == ";":
            frame.state = "predicate"
        elif value == ",":
            frame.state = "object"
        elif value == ".":
            frame.state, frame.subject = "subject", None


def _index_turtle(path: Path, text: str) -> PositionIndex:
    return _TurtleScanner(path, text, path.resolve().as_uri()).scan()


_XML_ABOUT = re.compile(r"""rdf:(about|ID|resource)\s*=\s*(["'])(.*?)\2""")
_XML_BASE = re.compile(r"""xml:base\s*=\s*(["'])(.*?)\1""")
_XML_ENTITY = re.compile(r"""<!ENTITY\s+(\w+)\s+(["'])(.*?)\2""")


def _index_rdfxml(path: Path, text: str) -> PositionIndex:
    """Best effort: the line of each ``rdf:about``/``rdf:ID`` (entities and xml:base resolved)."""
    index = PositionIndex()
    base_match = _XML_BASE.search(text)
    base = base_match.group(2) if base_match else path.resolve().as_uri()
    entities = {name: value for name, _, value in _XML_ENTITY.findall(text)}
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _XML_ABOUT.finditer(line):
            raw = re.sub(r"&(\w+);", lambda m: entities.get(m.group(1), m.group()), match.group(3))
            iri = resolve_iri(base, "#" + raw if match.group(1) == "ID" else raw)
            where = Location(path, number, match.start() + 1)
            if match.group(1) == "resource":
                index.mentions.setdefault(iri, where)
            else:
                index._subject(iri, where)
    return index


_JSON_ID = re.compile(r'"@id"\s*:\s*"((?:[^"\\]|\\.)*)"')


def _index_jsonld(path: Path, text: str) -> PositionIndex:
    """Best effort: the line of each ``"@id"``, compact IRIs expanded with the inline context."""
    index = PositionIndex()
    prefixes: dict[str, str] = {}
    base = path.resolve().as_uri()
    try:
        document = json.loads(text)
    except ValueError:
        document = None
    contexts = document.get("@context") if isinstance(document, dict) else None
    for context in contexts if isinstance(contexts, list) else [contexts]:
        if isinstance(context, dict):
            prefixes.update({k: v for k, v in context.items() if isinstance(v, str)})
            if isinstance(context.get("@base"), str):
                base = resolve_iri(base, context["@base"])
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _JSON_ID.finditer(line):
            raw = match.group(1)
            prefix, colon, local = raw.partition(":")
            iri = (
                prefixes[prefix] + local if colon and prefix in prefixes else resolve_iri(base, raw)
            )
            index._subject(iri, Location(path, number, match.start() + 1))
    return index


def index_file(path: Path, text: str) -> PositionIndex:
    """Build the position index of one file from its text, chosen by its extension."""
    suffix = path.suffix.lower()
    if suffix in (".rdf", ".owl"):
        return _index_rdfxml(path, text)
    if suffix == ".jsonld":
        return _index_jsonld(path, text)
    return _index_turtle(path, text)


#: Files larger than this get a ``QuickIndex`` (found on demand) instead of a full scan.
QUICK_INDEX_BYTES = 1_000_000

_PREFIX_LINE = re.compile(
    r"^\s*(?:@prefix|PREFIX)\s+([^\s:]*):\s*<([^>]*)>", re.MULTILINE | re.IGNORECASE
)
_IRI_OR_STRING = re.compile(r'<[^>\n]*>|"(?:[^"\\\n]|\\.)*"')
_LINE_START = re.compile(r"^([^\s#@\[(\"'][^\s;,]*)", re.MULTILINE)


class _Lazy(dict[Any, Location]):
    """A dict that asks ``find`` for a key it does not hold yet (and remembers the answer)."""

    def __init__(self, find: Callable[[Any], Location | None]) -> None:
        super().__init__()
        self.find = find
        self.missing: set[Any] = set()  # asked before and not found: not searched again

    def __missing__(self, key: Any) -> Location:
        found = None if key in self.missing else self.find(key)
        if found is None:
            self.missing.add(key)
            raise KeyError(key)
        self[key] = found
        return found

    def get(self, key: Any, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default

    def __contains__(self, key: object) -> bool:
        return self.get(key) is not None


class QuickIndex(PositionIndex):
    """The position index of a large Turtle or N-Triples file, found on demand.

    A full scan follows every statement (about 1.6 s and hundreds of MB per 100,000
    triples); this one holds nothing until asked, and then finds a resource where a line
    starts with its name (``<iri>`` or a prefixed name, as written by people and by
    serialisers), and a property inside that resource's block. Memory stays bounded: the
    line-start table holds one entry per described resource, built at the first question.
    """

    def __init__(self, path: Path, text: str) -> None:
        super().__init__()
        self.path = path
        self.text = text
        self.prefixes = {
            p: resolve_iri(path.resolve().as_uri(), i) for p, i in _PREFIX_LINE.findall(text)
        }
        self._starts: dict[str, int] | None = None
        self._line_starts: list[int] | None = None
        self.subjects = _Lazy(self._find_subject)
        self.statements = _Lazy(self._find_statement)
        self.mentions = _Lazy(self._find_mention)

    def _where(self, offset: int) -> Location:
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        line = bisect.bisect_right(self._line_starts, offset)
        return Location(self.path, line, offset - self._line_starts[line - 1] + 1)

    def _forms(self, iri: str) -> list[str]:
        forms = [f"<{iri}>"]
        for prefix, namespace in self.prefixes.items():
            if iri.startswith(namespace) and len(iri) > len(namespace):
                forms.append(f"{prefix}:{iri[len(namespace) :]}")
        if iri == RDF_TYPE:
            forms.append("a")
        return forms

    def _subject_offsets(self, iri: str) -> list[int]:
        """Where blocks describing ``iri`` start (a resource may be described several times)."""
        if self._starts is None:
            self._starts = {}
            self._more: dict[str, list[int]] = {}
            for match in _LINE_START.finditer(self.text):
                token, at = match.group(1), match.start()
                if token in self._starts:
                    self._more.setdefault(token, [self._starts[token]]).append(at)
                else:
                    self._starts[token] = at
        offsets: list[int] = []
        for form in self._forms(iri):
            if form in self._more:
                offsets.extend(self._more[form])
            elif form in self._starts:
                offsets.append(self._starts[form])
        return sorted(offsets)

    def _subject_offset(self, iri: str) -> int | None:
        offsets = self._subject_offsets(iri)
        return offsets[0] if offsets else None

    def _find_subject(self, iri: str) -> Location | None:
        offset = self._subject_offset(str(iri))
        return None if offset is None else self._where(offset)

    def _find_statement(self, key: tuple[str, str]) -> Location | None:
        subject, predicate = key
        forms = self._forms(predicate)
        for start in self._subject_offsets(subject):
            end = self.text.find(" .\n", start)
            end = len(self.text) if end < 0 else end + 2
            block = self.text[start:end]
            first = block.split(None, 1)[0] if block.strip() else ""
            # the predicate: right after the subject, or after a ';' (or a '[') - never a
            # value such as the rdf:type in ``rdf:predicate rdf:type``; the earliest form wins
            found: list[int] = []
            for form in forms:
                for match in re.finditer(rf"(?:^|[;\s]){re.escape(form)}(?=\s)", block, re.M):
                    at = match.start() + (0 if match.group().startswith(form) else 1)
                    before = block[:at].rstrip()
                    if at >= len(first) and (
                        len(before) == len(first) or before.endswith((";", "["))
                    ):
                        found.append(at)
                        break
            if found:
                return self._where(start + min(found))
        return None

    def _in_comment(self, offset: int) -> bool:
        """Whether ``offset`` is inside a comment or a string (on its own line)."""
        line = _IRI_OR_STRING.sub("", self.text[self.text.rfind("\n", 0, offset) + 1 : offset])
        return "#" in line or '"' in line

    def _find_mention(self, iri: str) -> Location | None:
        best: int | None = None
        for form in self._forms(iri):
            at = self.text.find(form)
            while at >= 0 and (best is None or at < best):
                before = self.text[at - 1] if at else "\n"
                after = self.text[at + len(form) : at + len(form) + 1]
                bounded = before in " \t\n;,([" and (after in " \t\n;,.)]" or not after)
                if bounded and not self._in_comment(at):
                    best = at
                    break
                at = self.text.find(form, at + 1)
        return None if best is None else self._where(best)

    def update(self, other: PositionIndex) -> None:
        """Not supported: chain the indexes of several files with ``ChainedIndex``."""
        raise NotImplementedError("a QuickIndex is filled on demand")


class ChainedIndex(PositionIndex):
    """The indexes of several files, asked in order (the first file to know a thing wins)."""

    def __init__(self, parts: list[PositionIndex]) -> None:
        super().__init__()
        self.parts = parts
        self.subjects = _Lazy(lambda key: self._first("subjects", key))
        self.statements = _Lazy(lambda key: self._first("statements", key))
        self.mentions = _Lazy(lambda key: self._first("mentions", key))

    def _first(self, kind: str, key: object) -> Location | None:
        for part in self.parts:
            found: Location | None = getattr(part, kind).get(key)
            if found is not None:
                return found
        return None

    def update(self, other: PositionIndex) -> None:
        """Add another file's index (asked after those already there)."""
        self.parts.append(other)
