"""Finding the resource a cell names: by label in either language, abbreviation or IRI.

Also derives stable IRIs from names, so that importing the same row again names the
same resource.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import rdflib
from rdflib import RDF, RDFS, SKOS, Literal, URIRef

from caregraph.labels import label_of
from caregraph.namespaces import DD, DEFAULT_PREFIXES, compact, is_safe_iri
from caregraph.sheets.mapping import expand

_UMLAUTS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"}
)
#: A short name in brackets or before them: "… (FASA) …", "GB 5 (Geschäftsbereich 5)".
_ABBREVIATION = re.compile(r"\(([A-ZÄÖÜ][\w.\-]{1,11})\)|^([A-ZÄÖÜ]{2,}[\w.\- ]{0,6}?)\s+\(")
_MAX_SLUG = 60


def slug(text: str) -> str:
    """Lower-case kebab-case ASCII from a name: ``Runder Tisch „Wohnen“`` → ``runder-tisch-wohnen``.

    Umlauts become ae/oe/ue and ß ss, as in the bundled graph's IRIs.
    """
    text = unicodedata.normalize("NFKD", text.translate(_UMLAUTS))
    text = text.encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(text) > _MAX_SLUG:
        text = text[:_MAX_SLUG].rsplit("-", 1)[0]
    return text or "unnamed"


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def abbreviations(label: str) -> list[str]:
    """The abbreviations a label spells out: ``(FASA)``, or ``GB 5`` in ``GB 5 (…)``."""
    return [a or b for a, b in _ABBREVIATION.findall(label)]


@dataclass(frozen=True)
class Unresolved:
    """A cell value that names no resource, or several.

    Attributes:
        value: the text of the cell.
        matches: the resources it names (two or more when ambiguous, else none).
        candidates: the closest names that would be accepted.
    """

    value: str
    matches: tuple[URIRef, ...]
    candidates: tuple[str, ...]


class Resolver:
    """Names of the resources of a graph, to turn cell text into IRIs and back."""

    def __init__(self, graph: rdflib.Graph) -> None:
        self.graph = graph
        self._names: dict[str, set[URIRef]] = defaultdict(set)
        self._shown: dict[URIRef, list[str]] = defaultdict(list)
        self._types: dict[URIRef, set[URIRef]] = defaultdict(set)
        self._schemes: dict[URIRef, set[URIRef]] = defaultdict(set)
        self._supers: dict[URIRef, set[URIRef]] = defaultdict(set)
        self._closure: dict[URIRef, set[URIRef]] = {}
        for sub, sup in graph.subject_objects(RDFS.subClassOf):
            if isinstance(sub, URIRef) and isinstance(sup, URIRef):
                self._supers[sub].add(sup)
        for resource, cls in graph.subject_objects(RDF.type):
            if isinstance(resource, URIRef) and isinstance(cls, URIRef):
                self._types[resource].add(cls)
        for concept, scheme in graph.subject_objects(SKOS.inScheme):
            if isinstance(concept, URIRef) and isinstance(scheme, URIRef):
                self._schemes[concept].add(scheme)
        for prop in (RDFS.label, SKOS.prefLabel, SKOS.altLabel, SKOS.notation):
            for resource, name in graph.subject_objects(prop):
                if isinstance(resource, URIRef) and isinstance(name, Literal):
                    self.add_name(resource, str(name))
                    for short in abbreviations(str(name)):
                        self.add_name(resource, short)

    def add_name(self, resource: URIRef, name: str) -> None:
        """Let ``name`` stand for ``resource``."""
        if name.strip():
            self._names[_key(name)].add(resource)
            if name not in self._shown[resource]:
                self._shown[resource].append(name)

    def add_resource(
        self, resource: URIRef, classes: Iterable[URIRef], names: Iterable[str]
    ) -> None:
        """Make a resource that is being imported known, with its classes and names."""
        self._types[resource].update(classes)
        self._closure.pop(resource, None)
        for name in names:
            self.add_name(resource, name)
            for short in abbreviations(name):
                self.add_name(resource, short)

    def classes_of(self, resource: URIRef) -> set[URIRef]:
        """The classes of ``resource`` and all their super classes."""
        if resource in self._closure:
            return self._closure[resource]
        seen: set[URIRef] = set()
        todo = list(self._types.get(resource, ()))
        while todo:
            cls = todo.pop()
            if cls not in seen:
                seen.add(cls)
                todo.extend(self._supers.get(cls, ()))
        self._closure[resource] = seen
        return seen

    def known(self, resource: URIRef) -> bool:
        """True when the graph (or the import) describes ``resource``."""
        return resource in self._types or resource in self._shown

    def fits(self, resource: URIRef, lookup: dict[str, Any]) -> bool:
        """True when ``resource`` is of a class or in the scheme ``lookup`` asks for."""
        if "scheme" in lookup:
            return _expanded(lookup["scheme"]) in self._schemes.get(resource, set())
        if "class" in lookup:
            wanted = _classes(tuple(lookup["class"]))
            if lookup.get("type"):  # a type column names the classes themselves
                return resource in wanted
            return any(c in wanted for c in self.classes_of(resource))
        return self.known(resource)

    def named(self, value: str, lookup: dict[str, Any]) -> list[URIRef]:
        """The resources ``value`` names (as a name, not an IRI) among those ``lookup`` allows."""
        return sorted(r for r in self._names.get(_key(value), ()) if self.fits(r, lookup))

    def resolve(self, value: str, lookup: dict[str, Any]) -> URIRef | Unresolved:
        """The one resource ``value`` names among those ``lookup`` allows."""
        text = value.strip()
        iri = self.as_iri(text)
        if iri is not None and (
            self.fits(iri, lookup) or (not self.known(iri) and "any" in lookup)
        ):
            return iri
        matches = self.named(text, lookup)
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            return Unresolved(value, tuple(matches), tuple(self.display(m) for m in matches))
        return Unresolved(value, (), tuple(self.closest(text, lookup)))

    def as_iri(self, text: str) -> URIRef | None:
        """``text`` as an IRI when it is one (``<…>``, ``https://…``, ``urn:…``, ``dd:x``)."""
        if text.startswith("<") and text.endswith(">"):
            text = text[1:-1]
        if text.startswith(("http://", "https://", "urn:")) and is_safe_iri(text):
            return URIRef(text)
        prefix, colon, local = text.partition(":")
        if colon and prefix in DEFAULT_PREFIXES and re.fullmatch(r"[\w.\-/]+", local):
            return URIRef(DEFAULT_PREFIXES[prefix] + local)
        return None

    def choices(self, lookup: dict[str, Any], lang: str) -> list[str]:
        """The names a person picks from for ``lookup``, one per resource, in ``lang``."""
        if "class" in lookup and lookup.get("type"):
            return [self.display(expand(c), lang) for c in lookup["class"]]
        names = {self.display(r, lang, lookup) for r in self._shown if self.fits(r, lookup)}
        return sorted(names, key=str.casefold)

    def closest(self, text: str, lookup: dict[str, Any], n: int = 3) -> list[str]:
        """The names closest to ``text`` among the resources ``lookup`` allows."""
        names = list(
            dict.fromkeys(
                name for r, shown in self._shown.items() if self.fits(r, lookup) for name in shown
            )
        )
        containing = [n_ for n_ in names if _key(text) in _key(n_)][:n]
        close = difflib.get_close_matches(text, names, n=n, cutoff=0.4)
        return list(dict.fromkeys(close + containing))[:n]

    def display(
        self, resource: URIRef, lang: str = "de", lookup: dict[str, Any] | None = None
    ) -> str:
        """How a sheet names ``resource``: its label in ``lang`` when that names only it
        (among the resources ``lookup`` allows), else its compact IRI."""
        label = label_of(self.graph, resource, lang)
        if label is None and resource in self._shown:
            label = self._shown[resource][0]
        if label is not None:
            named = self._names.get(_key(label), set())
            if lookup is not None:
                named = {r for r in named if self.fits(r, lookup)}
            if named == {resource}:
                return label
        return compact(str(resource))


@functools.cache
def _expanded(name: str) -> URIRef:
    return expand(name)


@functools.cache
def _classes(names: tuple[str, ...]) -> frozenset[URIRef]:
    return frozenset(expand(n) for n in names)


def new_iri(prefix: str, name: str) -> URIRef:
    """The IRI a new resource called ``name`` gets: ``dd:`` + prefix + slug."""
    return DD[prefix + slug(name)]
