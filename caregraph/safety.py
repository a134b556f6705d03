"""Keeping parsing offline and bounded: what is refused before a file reaches a parser.

rdflib's JSON-LD parser fetches remote ``@context`` documents, and an XML parser may resolve
external entities (``<!ENTITY x SYSTEM "file:///etc/passwd">``); either would let a data
file in a pull request make CI read the network or the disk. Both are refused here unless
the caller allows the network. ``owl:imports`` is never followed by rdflib or pySHACL;
the reasoner strips it (see ``caregraph.reasoning``).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlparse

from caregraph.sparql_text import TURTLE_STRING

#: Files larger than this are refused unless the caller raises the limit (bytes).
MAX_FILE_BYTES = 64_000_000

#: Spreadsheet files larger than this are refused by ``caregraph import`` (bytes).
MAX_SHEET_BYTES = 20_000_000

#: Merged graphs larger than this are not handed to pySHACL (held in memory by rdflib).
MAX_SHACL_TRIPLES = 2_000_000

#: The longest HermiT may run before it is stopped (seconds); a Java that hangs is killed.
REASONER_TIMEOUT = float(os.environ.get("CAREGRAPH_REASONER_TIMEOUT", "600"))

#: ``--reasoner auto`` runs HermiT up to this many triples (ontology plus data), the rules
#: above: HermiT takes a few seconds on the bundled graph and 101 s at 20,000 triples.
AUTO_HERMIT_TRIPLES = 10_000

#: Merged graphs larger than this are not handed to HermiT (which needs minutes and GBs).
MAX_REASONER_TRIPLES = int(os.environ.get("CAREGRAPH_MAX_REASONER_TRIPLES", "250000"))

_EXTERNAL_ENTITY = re.compile(r"<!ENTITY\s+%?\s*[\w.-]+\s+(SYSTEM|PUBLIC)\b", re.IGNORECASE)
_EXTERNAL_DTD = re.compile(r"<!DOCTYPE[^>\[]*\b(SYSTEM|PUBLIC)\b", re.IGNORECASE)


def size_problem(path: Path, size: int, limit: int = MAX_FILE_BYTES) -> str | None:
    """Why a file of ``size`` bytes is refused, or None when it is small enough."""
    if size <= limit:
        return None
    return (
        f"the file has {size / 1e6:.1f} MB, more than the limit of {limit / 1e6:.1f} MB; "
        "split it, or raise the limit with --max-file-size"
    )


def network_problem(path: Path, text: str) -> tuple[str, int] | None:
    """Why parsing this text would reach the network or the disk, and the line; else None."""
    suffix = path.suffix.lower()
    if suffix in (".rdf", ".owl"):
        return _xml_problem(text)
    if suffix == ".jsonld":
        return _jsonld_problem(path, text)
    return None


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _xml_problem(text: str) -> tuple[str, int] | None:
    for pattern, what in (
        (_EXTERNAL_ENTITY, "an external entity"),
        (_EXTERNAL_DTD, "an external DTD"),
    ):
        match = pattern.search(text)
        if match:
            return (
                f"the file declares {what} ({match.group(1)}), which would make the parser "
                "read another file or the network; caregraph refuses that unless --allow-network "
                "is given. Remove the declaration or write the text in place",
                _line_of(text, match.start()),
            )
    return None


def _contexts(node: Any) -> Iterator[Any]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "@context":
                yield from value if isinstance(value, list) else [value]
            yield from _contexts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _contexts(item)


def _references(document: Any) -> Iterator[str]:
    """Every context a JSON-LD document names by reference (``@context`` or ``@import``)."""
    for context in _contexts(document):
        if isinstance(context, str):
            yield context
        elif isinstance(context, dict) and isinstance(context.get("@import"), str):
            yield context["@import"]


def _context_file(reference: str, base: str, folder: Path) -> Path | str:
    """The local file a context reference names, or why it may not be read."""
    url = urlparse(urljoin(base, reference))
    if url.scheme != "file":
        return f"the remote JSON-LD context {reference}"
    if url.netloc not in ("", "localhost"):
        return f"the JSON-LD context {reference} on another host"
    target = Path(os.path.realpath(unquote(url.path)))
    if not target.is_relative_to(folder):
        return f"the JSON-LD context {reference} outside the data's folder"
    return target


def _jsonld_problem(path: Path, text: str) -> tuple[str, int] | None:
    """Contexts may only be files in the data file's folder (or below), followed there too."""
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        return None  # the parser reports the syntax error itself
    folder = Path(os.path.realpath(path)).parent
    seen: set[Path] = set()
    pending: list[tuple[Any, str]] = [(document, path.resolve().as_uri())]
    while pending:
        current, base = pending.pop()
        for reference in _references(current):
            target = _context_file(reference, base, folder)
            if isinstance(target, Path):
                if target in seen:
                    continue
                seen.add(target)
                try:
                    context = json.loads(target.read_text(encoding="utf-8"))
                except (OSError, ValueError, RecursionError):
                    continue  # the parser reports the unreadable context itself
                pending.append((context, target.as_uri()))
                continue
            at = text.find(json.dumps(reference)) if current is document else -1
            via = "" if current is document else " (named by a context file it uses)"
            return (
                f"the file uses {target}{via}, which caregraph does not read unless "
                "--allow-network is given. Put the context inline "
                '("@context": {...}) or in a file beside the data, or pass --allow-network',
                _line_of(text, max(at, 0)),
            )
    return None


_ENTITY = re.compile(
    r"<!ENTITY\s+(%\s+)?([\w.:-]+)\s+(?:\"([^\"]*)\"|'([^']*)')\s*>", re.IGNORECASE
)

#: The most characters the internal entities of an XML file may expand to in all.
MAX_ENTITY_EXPANSION = 16_000_000


def entity_problem(text: str) -> tuple[str, int] | None:
    """Why the internal XML entities of ``text`` are refused (nesting, or too much text)."""
    total = 0
    for match in _ENTITY.finditer(text):
        parameter, name, value = match.group(1), match.group(2), match.group(3) or match.group(4)
        line = _line_of(text, match.start())
        if parameter or "&" in value or "%" in value:
            return (
                f"the file declares the XML entity '{name}' that refers to other entities; "
                "such entities can expand to billions of characters (a 'billion laughs' "
                "attack), so caregraph refuses them. Write the text in place",
                line,
            )
        total += text.count(f"&{name};") * len(value)
        if total > MAX_ENTITY_EXPANSION:
            return (
                f"the file's XML entities expand to more than {MAX_ENTITY_EXPANSION:,} "
                "characters, which caregraph refuses. Write the text in place",
                line,
            )
    return None


#: The deepest nesting of blank nodes, collections or JSON objects a data file may have.
#: rdflib's parsers recurse per level and give up a little above 100.
MAX_DATA_NESTING = 64


_TURTLE_SKIP = re.compile(
    r"\#[^\n]*|" + TURTLE_STRING + r"|<[^<>\n]*>",
    re.VERBOSE,
)
_JSON_SKIP = re.compile(r'"[^"\\]*+(?:\\.[^"\\]*+)*+"')
_BRACKETS = re.compile(r"[\[\](){}]")


def _depth(text: str, turtle: bool) -> int:
    """The deepest nesting of ``[ ( {`` outside strings (and Turtle's comments and IRIs).

    Strings, comments and IRIs are removed first by a regular expression (in C, possessive,
    so a huge literal costs neither time nor memory); Python then walks the brackets only.
    """
    if not _BRACKETS.search(text):
        return 0
    bare = (_TURTLE_SKIP if turtle else _JSON_SKIP).sub(" ", text)
    depth = deepest = 0
    for char in _BRACKETS.findall(bare):
        if char in "[({":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _line_of_depth(text: str, turtle: bool, level: int) -> int:
    """The line on which the nesting first goes deeper than ``level`` (for the message)."""
    bare = (_TURTLE_SKIP if turtle else _JSON_SKIP).sub(lambda m: " " * len(m.group()), text)
    depth = 0
    for match in _BRACKETS.finditer(bare):
        depth += 1 if match.group() in "[({" else -1
        if depth > level:
            return _line_of(text, match.start())
    return 1


def nesting_problem(path: Path, text: str) -> tuple[str, int] | None:
    """Why a Turtle-like or JSON-LD text nests too deeply for the parsers, and the line."""
    suffix = path.suffix.lower()
    if suffix in (".ttl", ".trig", ".n3"):
        turtle = True
    elif suffix in (".jsonld", ".json"):
        turtle = False
    else:
        return None
    deepest = _depth(text, turtle)
    if deepest <= MAX_DATA_NESTING:
        return None
    return (
        f"the file nests blank nodes, lists or objects {deepest} levels deep; caregraph reads "
        f"at most {MAX_DATA_NESTING} (deeper files exhaust the parsers). Flatten the data "
        "with named resources",
        _line_of_depth(text, turtle, MAX_DATA_NESTING),
    )


def text_problem(path: Path, text: str, *, allow_network: bool = False) -> tuple[str, int] | None:
    """Why caregraph refuses to parse this file's text, and the line; None when it may.

    One policy for every command and both backends: no network or other files unless
    allowed, no expanding XML entities, no nesting deeper than the parsers survive.
    """
    if not allow_network:
        problem = network_problem(path, text)
        if problem:
            return problem
    if path.suffix.lower() in (".rdf", ".owl"):
        problem = entity_problem(text)
        if problem:
            return problem
    return nesting_problem(path, text)
