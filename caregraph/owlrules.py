"""Contradictions of ontology plus data found by rules on an Oxigraph store, at any size.

HermiT (``caregraph.reasoning``) decides OWL 2 consistency in full but needs minutes at
20,000 triples. The contradictions caregraph data actually runs into are few kinds, and
each is found here by scanning the store's indexes once, the way OWL 2 RL's rules find
them (``cax-dw``, ``cax-adc``, ``prp-dom``, ``prp-rng``, ``prp-inv``, ``prp-symp``,
``scm-sco``, ``scm-spo``, ``prp-fp`` with ``eq-diff``):

- a resource in two disjoint classes (``owl:disjointWith``, ``owl:AllDisjointClasses``),
  whether declared (``rdf:type``, with every named superclass) or given by a property's
  domain or range (with sub-properties, inverse and symmetric properties);
- a resource that a domain or range puts in a union of classes (``owl:unionOf``) none of
  which it can be, being in a class disjoint with each;
- two values of a functional property that are declared different (``owl:AllDifferent``,
  ``owl:differentFrom``), or two different literals.

Each contradiction is explained like HermiT's clashes: which resource, which two classes
(or values), and why it has each (the statement, domain or range). What only a complete OWL
reasoner derives is not found (see README, "Which method runs when"): ``owl:sameAs`` merging,
literals outside a datatype property's range, existential restrictions combined with
cardinality, and disjointness reached only through three or more unions at once.

The first pass keeps one integer per resource (a bit per member of a disjointness group
that the resource may still belong to) and costs one index scan per relevant class and
property; only the resources whose bits run out are looked at again for the explanation.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib import OWL, RDF, RDFS, BNode, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from caregraph.errors import InputError
from caregraph.loading import oxigraph_format, parse_file, read_rdf_text
from caregraph.namespaces import short
from caregraph.store import to_oxigraph, to_rdflib

#: A class expression the rules understand: a named class, or a union of named classes.
ClassRef = URIRef | tuple[URIRef, ...]

_TYPE = ox.NamedNode(str(RDF.type))
#: The ontology statements that the rules read (everything else is documentation or data).
_SCHEMA_PREDICATES = (
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    RDFS.domain,
    RDFS.range,
    OWL.inverseOf,
    OWL.disjointWith,
    OWL.unionOf,
    OWL.members,
    OWL.distinctMembers,
    OWL.differentFrom,
)
_SCHEMA_TYPES = (
    OWL.AllDisjointClasses,
    OWL.AllDifferent,
    OWL.FunctionalProperty,
    OWL.SymmetricProperty,
)


@dataclass(frozen=True)
class Clash:
    """A resource in two disjoint classes (or unions of classes), with why it is in each."""

    resource: URIRef | BNode
    first: ClassRef
    second: ClassRef
    axiom: str
    reasons: tuple[Reason, Reason]


@dataclass(frozen=True)
class ValueClash:
    """Two values of a functional property that cannot be the same."""

    resource: URIRef | BNode
    prop: URIRef
    values: tuple[Node, Node]
    axiom: str
    reasons: tuple[Reason, Reason]


Contradiction = Clash | ValueClash


def class_name(ref: ClassRef, lang: str = "en") -> str:
    """A class or union as text: ``cg:Measure`` or ``cg:Measure or cg:Task``."""
    if isinstance(ref, tuple):
        return _OR.get(lang, _OR["en"]).join(short(str(c)) for c in ref)
    return short(str(ref))


_OR = {"en": " or ", "de": " oder "}

#: Why a resource is in a class or has a value, by kind of reason; filled with ``p`` (the
#: statement's property), ``cls`` (the class), ``other`` (the statement's other end),
#: ``via`` (a super-property, as ``_VIA`` says it), ``name`` (the inverse or symmetric
#: property) and ``value``.
_REASON_TEXT = {
    "declared": {"en": "it is declared a {cls}", "de": "als {cls} angegeben"},
    "domain": {
        "en": "it has {p} (domain {cls}{via})",
        "de": "hat {p} (Definitionsbereich {cls}{via})",
    },
    "range": {
        "en": "it is the {p} of {other} (range {cls}{via})",
        "de": "ist {p} von {other} (Wertebereich {cls}{via})",
    },
    "inverse-domain": {
        "en": "it is the {p} of {other} (domain {cls} of the inverse {name})",
        "de": "ist {p} von {other} (Definitionsbereich {cls} der Umkehrung {name})",
    },
    "inverse-range": {
        "en": "it has {p} (range {cls} of the inverse {name})",
        "de": "hat {p} (Wertebereich {cls} der Umkehrung {name})",
    },
    "symmetric-domain": {
        "en": "it is the {p} of {other} ({name} is symmetric; domain {cls})",
        "de": "ist {p} von {other} ({name} ist symmetrisch; Definitionsbereich {cls})",
    },
    "symmetric-range": {
        "en": "it has {p} ({name} is symmetric; range {cls})",
        "de": "hat {p} ({name} ist symmetrisch; Wertebereich {cls})",
    },
    "value": {"en": "it has {p} {value}", "de": "hat {p} {value}"},
}
_VIA = {"en": " through {via}", "de": " über {via}"}
_BLANK_END = {"en": "a blank node", "de": "einem leeren Knoten"}


@dataclass(frozen=True)
class Reason:
    """Why a resource is in a class or has a value: one statement, with the domain, range
    or declaration that gives it (``text`` says it in a language).

    Attributes:
        kind: one of ``declared``, ``domain``, ``range``, ``inverse-domain``,
            ``inverse-range``, ``symmetric-domain``, ``symmetric-range``, ``value``.
        cls: the class (or union) it gives, if any.
        p: the statement's property, shortened.
        other: the statement's other end as ``<IRI>``; None for a blank node.
        via: the super-property whose domain or range it is, shortened, if not ``p``'s own.
        name: the inverse or symmetric property, shortened.
        value: the value, as shown.
    """

    kind: str
    cls: ClassRef | None = None
    p: str = ""
    other: str | None = None
    via: str = ""
    name: str = ""
    value: str = ""

    def text(self, lang: str = "en") -> str:
        """The reason in words, in ``lang`` (English if caregraph does not speak it)."""
        lang = lang if lang in _VIA else "en"
        return _REASON_TEXT[self.kind][lang].format(
            p=self.p,
            cls=class_name(self.cls, lang) if self.cls is not None else "",
            other=self.other if self.other is not None else _BLANK_END[lang],
            via=_VIA[lang].format(via=self.via) if self.via else "",
            name=self.name,
            value=self.value,
        )

    def __str__(self) -> str:
        return self.text("en")


@dataclass(frozen=True)
class _Effect:
    """What one statement says about its subject or object: a class, and why."""

    cls: ClassRef
    kind: str  # a kind of ``Reason``
    via: str = ""
    name: str = ""


@dataclass
class Schema:
    """What the rules need of the ontology, read once per ontology graph.

    Attributes:
        groups: disjointness groups: the members and the axiom's text.
        supers: each named class with all its named superclasses (itself included).
        subject_effects: per predicate, the classes its subjects get (domains).
        object_effects: per predicate, the classes its objects get (ranges).
        functional: each predicate with the functional properties it is a sub-property of.
        different: each pair of individuals declared different, with the axiom's text.
    """

    groups: list[tuple[tuple[URIRef, ...], str]] = field(default_factory=list)
    supers: dict[URIRef, set[URIRef]] = field(default_factory=dict)
    subject_effects: dict[URIRef, list[_Effect]] = field(default_factory=dict)
    object_effects: dict[URIRef, list[_Effect]] = field(default_factory=dict)
    functional: dict[URIRef, set[URIRef]] = field(default_factory=dict)
    different: dict[frozenset[Node], str] = field(default_factory=dict)
    _bits: dict[tuple[int, URIRef], int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for g, (members, _) in enumerate(self.groups):
            for member in members:
                self._bits.setdefault((g, member), 1 << len(self._bits))

    @property
    def everything(self) -> int:
        """The mask that restricts nothing."""
        return (1 << len(self._bits)) - 1

    def group_bits(self, g: int) -> int:
        """The bits of group ``g``'s members."""
        return sum(bit for (group, _), bit in self._bits.items() if group == g)

    def allowed(self, g: int, ref: ClassRef) -> set[URIRef] | None:
        """The members of group ``g`` something in ``ref`` can be; None: any of them."""
        members = self.groups[g][0]
        options: set[URIRef] = set()
        for cls in ref if isinstance(ref, tuple) else (ref,):
            inside = [m for m in members if m in self.supers.get(cls, {cls})]
            if not inside:
                return None  # this alternative is outside the group: no restriction
            options.update(inside)
        return options

    def mask(self, ref: ClassRef) -> int:
        """The bits of the group members that a member of ``ref`` may still be."""
        result = self.everything
        for g in range(len(self.groups)):
            options = self.allowed(g, ref)
            if options is not None:
                keep = sum(self._bits[(g, m)] for m in options)
                result &= ~(self.group_bits(g) & ~keep)
        return result


def _class_ref(graph: rdflib.Graph, node: Node) -> ClassRef | None:
    if isinstance(node, URIRef):
        return node
    union = graph.value(node, OWL.unionOf)
    if union is None:
        return None
    members = [c for c in Collection(graph, union) if isinstance(c, URIRef)]
    return tuple(members) if members else None


def read_schema(graph: rdflib.Graph) -> Schema:
    """The disjointness groups, class and property hierarchies, domains, ranges,
    inverse, symmetric and functional properties, and distinct individuals of ``graph``."""
    groups: list[tuple[tuple[URIRef, ...], str]] = []
    for group in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        members = graph.value(group, OWL.members)
        if members is None:
            continue
        listed = tuple(c for c in Collection(graph, members) if isinstance(c, URIRef))
        names = ", ".join(short(str(c)) for c in listed)
        groups.append((listed, f"owl:AllDisjointClasses ({names})"))
    for a, b in graph.subject_objects(OWL.disjointWith):
        if isinstance(a, URIRef) and isinstance(b, URIRef):
            groups.append(((a, b), f"{short(str(a))} owl:disjointWith {short(str(b))}"))
    groups = list(dict.fromkeys(groups))  # the ontology and a store's copy of it

    classes = {n for n in graph.subjects(RDFS.subClassOf) if isinstance(n, URIRef)}
    classes |= {n for n in graph.objects(None, RDF.type) if isinstance(n, URIRef)}
    classes |= {m for members, _ in groups for m in members}
    supers = {
        c: {u for u in graph.transitive_objects(c, RDFS.subClassOf) if isinstance(u, URIRef)}
        for c in classes
    }

    properties = {p for p in graph.subjects(RDFS.subPropertyOf) if isinstance(p, URIRef)}
    for predicate in (RDFS.domain, RDFS.range, OWL.inverseOf):
        properties |= {p for p in graph.subjects(predicate) if isinstance(p, URIRef)}
    properties |= {p for p in graph.objects(None, OWL.inverseOf) if isinstance(p, URIRef)}
    for kind in (OWL.SymmetricProperty, OWL.FunctionalProperty):
        properties |= {p for p in graph.subjects(RDF.type, kind) if isinstance(p, URIRef)}
    inverse: dict[Node | None, set[Node]] = {}
    for a, b in graph.subject_objects(OWL.inverseOf):
        inverse.setdefault(a, set()).add(b)
        inverse.setdefault(b, set()).add(a)
    symmetric = set(graph.subjects(RDF.type, OWL.SymmetricProperty))
    functional_props = set(graph.subjects(RDF.type, OWL.FunctionalProperty))

    def refs(prop: Node | None, predicate: URIRef) -> list[ClassRef]:
        found = [_class_ref(graph, n) for n in graph.objects(prop, predicate)]
        return [r for r in found if r is not None]

    schema = Schema(groups=groups, supers=supers)
    for prop in sorted(properties):
        subjects: list[_Effect] = []
        objects: list[_Effect] = []
        for upper in graph.transitive_objects(prop, RDFS.subPropertyOf):
            via = "" if upper == prop else short(str(upper))
            for ref in refs(upper, RDFS.domain):
                subjects.append(_Effect(ref, "domain", via=via))
            for ref in refs(upper, RDFS.range):
                objects.append(_Effect(ref, "range", via=via))
            for other in sorted(inverse.get(upper, set()), key=str):
                name = short(str(other))
                for ref in refs(other, RDFS.domain):
                    objects.append(_Effect(ref, "inverse-domain", name=name))
                for ref in refs(other, RDFS.range):
                    subjects.append(_Effect(ref, "inverse-range", name=name))
            if upper in symmetric:
                name = short(str(upper))
                for ref in refs(upper, RDFS.domain):
                    objects.append(_Effect(ref, "symmetric-domain", name=name))
                for ref in refs(upper, RDFS.range):
                    subjects.append(_Effect(ref, "symmetric-range", name=name))
            if upper in functional_props and isinstance(upper, URIRef):
                schema.functional.setdefault(prop, set()).add(upper)
        if subjects:
            schema.subject_effects[prop] = list(dict.fromkeys(subjects))
        if objects:
            schema.object_effects[prop] = list(dict.fromkeys(objects))

    for group in graph.subjects(RDF.type, OWL.AllDifferent):
        members = graph.value(group, OWL.distinctMembers) or graph.value(group, OWL.members)
        if members is None:
            continue
        items = list(Collection(graph, members))
        names = ", ".join(short(str(i)) for i in items)
        for a, b in combinations(items, 2):
            schema.different.setdefault(frozenset((a, b)), f"owl:AllDifferent ({names})")
    for a, b in graph.subject_objects(OWL.differentFrom):
        text = f"{short(str(a))} owl:differentFrom {short(str(b))}"
        schema.different.setdefault(frozenset((a, b)), text)
    return schema


@functools.lru_cache(maxsize=4)
def _cached_schema(graph: rdflib.Graph) -> Schema:
    # Keyed by the cached ontology graph object, which is replaced when the file changes.
    return read_schema(graph)


def _store_schema(store: ox.Store) -> rdflib.Graph:
    """The schema statements in the store (the ontology's, and any the data makes)."""
    graph = rdflib.Graph()
    for predicate in (*_SCHEMA_PREDICATES, RDF.first, RDF.rest):
        for quad in store.quads_for_pattern(None, ox.NamedNode(str(predicate)), None, None):
            graph.add(_triple(quad))
    for cls in _SCHEMA_TYPES:
        for quad in store.quads_for_pattern(None, _TYPE, ox.NamedNode(str(cls)), None):
            graph.add(_triple(quad))
    return graph


def _schema_part(graph: rdflib.Graph) -> tuple[set[tuple[Node, Node, Node]], int]:
    """The schema statements of ``graph`` without blank nodes, and how many have one."""
    named: set[tuple[Node, Node, Node]] = set()
    blank = 0
    wanted = {*_SCHEMA_PREDICATES, RDF.first, RDF.rest}
    for s, p, o in graph:
        if p in wanted or (p == RDF.type and o in _SCHEMA_TYPES):
            if isinstance(s, BNode) or isinstance(o, BNode):
                blank += 1
            else:
                named.add((s, p, o))
    return named, blank


@functools.lru_cache(maxsize=4)
def _ontology_part(graph: rdflib.Graph) -> tuple[set[tuple[Node, Node, Node]], int]:
    return _schema_part(graph)


def _triple(quad: ox.Quad) -> tuple[Node, Node, Node]:
    return (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object))  # type: ignore[return-value]


def schema_for(store: ox.Store, ontology: rdflib.Graph | None) -> Schema:
    """The schema of ``ontology`` plus the schema statements in ``store``.

    The bundled ontology's schema is read once per process; when the store holds schema
    statements beyond the ontology's (e.g. a data file declares a sub-class), both are read.
    """
    extra = _store_schema(store)
    if ontology is None:
        return read_schema(extra)
    named, blank = _schema_part(extra)
    known, known_blank = _ontology_part(ontology)
    if named <= known and blank in (0, known_blank):
        # nothing beyond the ontology (the store holds it, its blank nodes renamed, or not)
        return _cached_schema(ontology)
    merged = rdflib.Graph()
    merged += ontology
    merged += extra
    return read_schema(merged)


# ---------------------------------------------------------------------------------------
# Finding the contradictions
# ---------------------------------------------------------------------------------------


def _candidates(store: ox.Store, schema: Schema) -> list[ox.NamedNode | ox.BlankNode]:
    """The resources whose disjointness bits run out (first pass: one scan per class/property)."""
    everything = schema.everything
    state: dict[object, int] = {}
    for cls in schema.supers:
        mask = schema.mask(cls)
        if mask == everything:
            continue
        for quad in store.quads_for_pattern(None, _TYPE, ox.NamedNode(str(cls)), None):
            state[quad.subject] = state.get(quad.subject, everything) & mask
    for effects, at_subject in ((schema.subject_effects, True), (schema.object_effects, False)):
        for prop, listed in effects.items():
            mask = everything
            for effect in listed:
                mask &= schema.mask(effect.cls)
            if mask == everything:
                continue
            for quad in store.quads_for_pattern(None, ox.NamedNode(str(prop)), None, None):
                node = quad.subject if at_subject else quad.object
                if not isinstance(node, ox.Literal):
                    state[node] = state.get(node, everything) & mask
    groups = [schema.group_bits(g) for g in range(len(schema.groups))]
    return [node for node, bits in state.items() if any(bits & g == 0 for g in groups)]  # type: ignore[misc]


def _name(node: object) -> str | None:
    term = to_rdflib(node)
    return f"<{term}>" if isinstance(term, URIRef) else None


def _because(effect: _Effect, prop: URIRef, other: object) -> tuple[ClassRef, Reason]:
    reason = Reason(
        effect.kind,
        effect.cls,
        p=short(str(prop)),
        other=_name(other),
        via=effect.via,
        name=effect.name,
    )
    return effect.cls, reason


def _evidence(store: ox.Store, node: object, schema: Schema) -> list[tuple[ClassRef, Reason]]:
    """Every class (or union) the rules put ``node`` in, with why, declared types first."""
    found: list[tuple[ClassRef, Reason]] = []
    for quad in store.quads_for_pattern(node, _TYPE, None, None):  # type: ignore[arg-type]
        cls = to_rdflib(quad.object)
        if isinstance(cls, URIRef):
            found.append((cls, Reason("declared", cls)))
    for quad in store.quads_for_pattern(node, None, None, None):  # type: ignore[arg-type]
        prop = URIRef(quad.predicate.value)
        for effect in schema.subject_effects.get(prop, ()):
            found.append(_because(effect, prop, quad.object))
    for quad in store.quads_for_pattern(None, None, node, None):  # type: ignore[arg-type]
        prop = URIRef(quad.predicate.value)
        for effect in schema.object_effects.get(prop, ()):
            found.append(_because(effect, prop, quad.subject))
    return found


def _clashes_of(
    resource: URIRef | BNode, evidence: list[tuple[ClassRef, Reason]], schema: Schema
) -> Iterator[Clash]:
    named: dict[URIRef, Reason] = {}
    unions: list[tuple[tuple[URIRef, ...], Reason]] = []
    for ref, why in evidence:
        if isinstance(ref, tuple) and len(ref) > 1:
            unions.append((ref, why))
            continue
        cls = ref[0] if isinstance(ref, tuple) else ref
        for upper in sorted(schema.supers.get(cls, {cls})):
            named.setdefault(upper, why)
    for g, (members, axiom) in enumerate(schema.groups):
        pairs = [(a, b) for a, b in combinations(members, 2) if a in named and b in named]
        for a, b in pairs:
            yield Clash(resource, a, b, axiom, (named[a], named[b]))
        if pairs:
            continue
        present = [m for m in members if m in named]
        restricting = [(u, why, schema.allowed(g, u)) for u, why in unions]
        limits = [(u, why, allowed) for u, why, allowed in restricting if allowed is not None]
        done = False
        for union, why, allowed in limits:
            for member in present:
                if member not in allowed:
                    yield Clash(resource, member, union, axiom, (named[member], why))
                    done = True
                    break
            if done:
                break
        if done:
            continue
        for (u1, why1, a1), (u2, why2, a2) in combinations(limits, 2):
            if not a1 & a2:
                yield Clash(resource, u1, u2, axiom, (why1, why2))
                break


def _value_clashes(store: ox.Store, schema: Schema) -> Iterator[ValueClash]:
    """Two values of one functional property (or its sub-properties) that must differ."""
    by_functional: dict[URIRef, list[URIRef]] = {}
    for prop, uppers in schema.functional.items():
        for upper in uppers:
            by_functional.setdefault(upper, []).append(prop)
    for upper, props in sorted(by_functional.items()):
        values = " ".join(f"<{p}>" for p in sorted(props))
        query = (
            f"SELECT ?x ?p ?a ?q ?b WHERE {{ VALUES ?p {{ {values} }} VALUES ?q {{ {values} }} "
            "?x ?p ?a . ?x ?q ?b . FILTER(!sameTerm(?a, ?b) && STR(?a) < STR(?b)) }"
        )
        seen: set[tuple[Node, ...]] = set()
        for row in store.query(query, use_default_graph_as_union=True):  # type: ignore[union-attr]
            x, p, a, q, b = (to_rdflib(row[i]) for i in range(5))
            if not isinstance(x, URIRef | BNode) or a is None or b is None:
                continue
            axiom = _different(a, b, schema)
            if axiom is None or (x, a, b) in seen:
                continue
            seen.add((x, a, b))
            yield ValueClash(
                x,
                upper,
                (a, b),
                axiom,
                (
                    Reason("value", p=short(str(p)), value=_show(a)),
                    Reason("value", p=short(str(q)), value=_show(b)),
                ),
            )


def _show(value: Node | None) -> str:
    return f"<{value}>" if isinstance(value, URIRef) else str(value)


def _different(a: Node, b: Node, schema: Schema) -> str | None:
    """Why ``a`` and ``b`` cannot be one value (None: they might be)."""
    if isinstance(a, Literal) and isinstance(b, Literal):
        try:
            same = a.eq(b)
        except TypeError:  # ill-typed (the syntax layer reports them): their values are unknown
            return None
        return None if same else _LITERALS
    return schema.different.get(frozenset((a, b)))


#: The "axiom" of two literals that differ: no axiom, the literals themselves.
_LITERALS = "two different literals"
_AXIOM_WORDS = {_LITERALS: {"de": "zwei verschiedene Literale"}}


def find_contradictions(
    store: ox.Store, ontology: rdflib.Graph | None = None
) -> list[Contradiction]:
    """The contradictions of the data in ``store`` under ``ontology`` (see the module text).

    Args:
        store: the data (it may hold the ontology too; every graph of the store is read).
        ontology: the ontology, if the store does not hold it (e.g. ``cached_ontology()``).

    Returns:
        Disjointness clashes sorted by resource, then the functional-property clashes.
    """
    schema = schema_for(store, ontology)
    found: list[Contradiction] = []
    for node in sorted(_candidates(store, schema), key=str):
        resource = to_rdflib(node)
        assert isinstance(resource, URIRef | BNode)
        found.extend(_clashes_of(resource, _evidence(store, node, schema), schema))
    values = sorted(
        _value_clashes(store, schema), key=lambda c: (str(c.resource), *map(str, c.values))
    )
    return [*found, *values]


def graph_store(graph: rdflib.Graph) -> ox.Store:
    """An Oxigraph store of an rdflib graph (for callers that hold the data in rdflib).

    Triples are handed over one by one, so IRIs that rdflib cannot write as N-Triples
    (e.g. with a space, which the vocabulary layer reports) still reach the rules.
    """
    store = ox.Store()
    _add(store, graph)
    return store


def _add(store: ox.Store, graph: rdflib.Graph) -> None:
    store.extend(
        ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]
        for s, p, o in graph
    )


def file_store(files: Iterable[Path], *, allow_network: bool = False) -> ox.Store:
    """An Oxigraph store of RDF files, read under caregraph's parser policy.

    Oxigraph parses each file, leniently (an IRI with a space, which the vocabulary layer
    reports, is kept); a file only rdflib reads goes through rdflib.

    Raises:
        InputError: a file cannot be read, is refused by the parser policy (e.g. a remote
            JSON-LD context without ``allow_network``) or parsed by either parser.
    """
    store = ox.Store()
    for path in files:
        # the parser policy of every caregraph reader (network, entities, byte-order mark)
        text = read_rdf_text(path, allow_network=allow_network)
        try:
            store.bulk_load(
                input=text.encode("utf-8"),
                format=oxigraph_format(path),
                base_iri=path.resolve().as_uri(),
                to_graph=None if oxigraph_format(path).supports_datasets else ox.DefaultGraph(),
                lenient=True,
            )
        except (SyntaxError, ValueError, MemoryError):
            _add(store, parse_file(path, allow_network=allow_network))
        except OSError as exc:
            raise InputError(f"{path}: cannot read the file ({exc}).") from exc
    return store


# ---------------------------------------------------------------------------------------
# Explaining them
# ---------------------------------------------------------------------------------------

_CLASH_TEXT = {
    "en": "{label} is both {a} ({why_a}) and {b} ({why_b}), but {axiom} says nothing can be both.",
    "de": "{label} ist zugleich {a} ({why_a}) und {b} ({why_b}), doch {axiom} schließt das aus.",
}
_VALUE_TEXT = {
    "en": "{label} has two values of the functional property {p} ({why_a}; {why_b}), but "
    "{p} allows only one and the two are different ({axiom}).",
    "de": "{label} hat zwei Werte der funktionalen Eigenschaft {p} ({why_a}; {why_b}), doch "
    "{p} erlaubt nur einen, und die beiden sind verschieden ({axiom}).",
}


def describe(found: Contradiction, label: str | None, lang: str = "en") -> str:
    """The contradiction in words: the resource, its two classes or values, why, the axiom."""
    if isinstance(found.resource, URIRef):
        named = f"{label} <{found.resource}>" if label else f"<{found.resource}>"
    else:
        named = {"de": "Ein leerer Knoten"}.get(lang, "A blank node")
    if isinstance(found, ValueClash):
        return _VALUE_TEXT.get(lang, _VALUE_TEXT["en"]).format(
            label=named,
            p=short(str(found.prop)),
            why_a=found.reasons[0].text(lang),
            why_b=found.reasons[1].text(lang),
            axiom=_AXIOM_WORDS.get(found.axiom, {}).get(lang, found.axiom),
        )
    return _CLASH_TEXT.get(lang, _CLASH_TEXT["en"]).format(
        label=named,
        a=class_name(found.first, lang),
        b=class_name(found.second, lang),
        why_a=found.reasons[0].text(lang),
        why_b=found.reasons[1].text(lang),
        axiom=found.axiom,
    )
