"""The network of actors read from the graph: nodes, edges, areas, and who is present where.

One model serves the interactive page, the static Graphviz map and the gap matrix, so
they all agree on who is in which district. An actor is *present* in an area as the
stored query ``sector_coverage_per_district`` counts it: it is active in the area (or in
a part of it), or it is responsible for or takes part in a step that targets the area
(or a part of it), the step itself, through its measure, or - a measure - through one of
its tasks. An actor active in an area is also present in every area within it: one working
city-wide counts for every district and locality (as ``actors_in_district`` lists it).
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from urllib.parse import quote

from rdflib import Literal, URIRef
from rdflib.term import Node

from caregraph.binding import term_syntax
from caregraph.errors import UsageError
from caregraph.labels import labels_for
from caregraph.namespaces import CG, CGV, compact
from caregraph.store import GraphStore, select

#: The four sectors of the federal definition, in the report's order.
SECTORS: tuple[str, ...] = (
    str(CGV["sector-citizens"]),
    str(CGV["sector-state"]),
    str(CGV["sector-civil-society"]),
    str(CGV["sector-professional-services"]),
)

#: Kinds of actor, most specific first (an actor is drawn as the first kind it has).
ACTOR_KINDS: tuple[str, ...] = tuple(
    str(CG[name])
    for name in (
        "RoundTable",
        "AdministrativeUnit",
        "WelfareProvider",
        "Initiative",
        "Network",
        "Body",
        "Post",
        "StakeholderGroup",
        "Organisation",
        "Actor",
    )
)

#: Kinds of the other nodes: the steps and meetings actors are linked to.
STEP_KINDS: tuple[str, ...] = tuple(str(CG[n]) for n in ("Task", "Measure", "Workshop", "Meeting"))

#: Area types in the order the gap matrix lists them.
AREA_TYPES: tuple[str, ...] = tuple(
    str(CG[n]) for n in ("City", "UrbanDistrict", "Locality", "Area")
)

#: Relation types (the in-page filter): actor to actor, and actor to step or meeting.
RELATIONS: tuple[str, ...] = (
    "cooperation",
    "membership",
    "responsibility",
    "participation",
    "part",
)

_ACTOR_RELATIONS = {
    str(CG.cooperatesWith): "cooperation",
    str(CG.memberOf): "membership",
    str(CG.subOrganisationOf): "membership",
    str(CG.postIn): "membership",
}

_PREFIXES = """
PREFIX cg: <https://w3id.org/caregraph/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

_ACTORS = (
    _PREFIXES
    + """
SELECT ?actor ?kind ?sector ?certainty ?slide ?source ?quote ?note WHERE {
  ?actor a ?kind . ?kind rdfs:subClassOf* cg:Actor .
  OPTIONAL { ?actor cg:sector ?sector }
  OPTIONAL { ?actor cg:certainty ?certainty }
  OPTIONAL { ?actor cg:sourceSlide ?slide }
  OPTIONAL { ?actor dcterms:source ?source }
  OPTIONAL { ?actor cg:sourceQuote ?quote }
  OPTIONAL { ?actor skos:note ?note }
}"""
)

_STEPS = (
    _PREFIXES
    + """
SELECT ?step ?kind ?status ?field ?target ?date ?slide ?quote WHERE {
  VALUES ?kind { cg:Measure cg:Task cg:Meeting cg:Workshop }
  ?step a ?kind .
  OPTIONAL { ?step cg:status ?status }
  OPTIONAL { ?step cg:fieldOfAction ?field }
  OPTIONAL { ?step cg:targetsArea ?target }
  OPTIONAL { ?step cg:date ?date }
  OPTIONAL { ?step cg:sourceSlide ?slide }
  OPTIONAL { ?step cg:sourceQuote ?quote }
}"""
)

_PARTS = (
    _PREFIXES
    + """
SELECT DISTINCT ?task ?measure WHERE {
  { ?task cg:partOfMeasure ?measure } UNION { ?measure cg:hasTask ?task }
}"""
)

_LINKS = (
    _PREFIXES
    + """
SELECT ?step ?actor ?relation ?role ?certainty ?slide ?quote ?r WHERE {
  {
    ?step cg:hasResponsibility ?r . ?r cg:responsibleActor ?actor .
    OPTIONAL { ?r cg:responsibilityRole ?role }
    OPTIONAL { ?r cg:certainty ?certainty }
    OPTIONAL { ?r cg:sourceSlide ?slide }
    OPTIONAL { ?r cg:sourceQuote ?quote }
    BIND("responsibility" AS ?relation)
  } UNION {
    { ?step cg:participant ?actor } UNION { ?actor cg:participatesIn ?step }
    BIND("participation" AS ?relation)
  }
}"""
)

_ACTOR_LINKS = (
    _PREFIXES
    + """
SELECT ?source ?property ?target WHERE {
  VALUES ?property { cg:cooperatesWith cg:memberOf cg:subOrganisationOf cg:postIn }
  ?source ?property ?target .
}"""
)

_AREAS = (
    _PREFIXES
    + """
SELECT ?area ?type ?parent WHERE {
  VALUES ?type { cg:City cg:UrbanDistrict cg:Locality cg:Area }
  ?area a ?type .
  OPTIONAL { ?area cg:withinArea ?parent }
}"""
)

_MARKS = (
    _PREFIXES
    + """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?subject ?property ?value ?certainty ?rationale WHERE {
  ?mark a rdf:Statement ; rdf:subject ?subject ; rdf:predicate ?property ; rdf:object ?value .
  OPTIONAL { ?mark cg:certainty ?certainty }
  OPTIONAL { ?mark cg:rationale ?rationale }
}"""
)

_ACTIVE = _PREFIXES + "SELECT ?actor ?area WHERE { ?actor cg:activeIn ?area }"

_FIELDS = (
    _PREFIXES
    + """
SELECT DISTINCT ?field WHERE {
  { ?field skos:inScheme <https://w3id.org/caregraph/vocab/FieldOfActionScheme> }
  UNION { ?any cg:fieldOfAction ?field }
}"""
)


@dataclass(frozen=True)
class Filters:
    """What a reader chose to see: IRIs of an area, a sector (or ``"none"``), a field."""

    district: str | None = None
    sector: str | None = None
    field: str | None = None


@dataclass
class Mark:
    """A mark on one statement (an ``rdf:Statement``): how sure its reading is, and why."""

    property: str
    value: str
    certainty: str | None = None
    rationale: str | None = None


@dataclass
class StepLink:
    """How an actor is linked to a step or meeting (shown in the side panel).

    ``responsibility`` is the IRI of the responsibility, if the link is one; ``marks``
    are the marks on its statements (e.g. a role read into a verb).
    """

    step: str
    relation: str
    role: str | None = None
    certainty: str | None = None
    slide: int | None = None
    quote: str | None = None
    responsibility: str | None = None
    marks: list[Mark] = field(default_factory=list)


@dataclass
class MapNode:
    """A node of the map: an actor, or a measure, task or meeting linked to actors.

    Attributes:
        id: the resource's IRI.
        label: its label in the chosen language.
        group: ``"actor"`` or ``"step"``.
        kind: the IRI of its class (most specific kind for actors).
        sector: IRI of its sector (actors), if it has one.
        areas: IRIs of the areas it is present in (see the module docstring), sorted.
        fields: IRIs of the fields of action of its steps (actors) or its own (steps).
        certainty: IRI of its certainty, if the graph gives one.
        status: IRI of its status (steps).
        slides: the source slides of the report it comes from.
        source: IRI of its source document.
        quotes: the quotes from the source.
        note: the editors' note, if any.
        date: the date of a meeting.
        links: for actors, the steps and meetings it is linked to.
        active_in: for actors, the areas it is said to be active in (``cg:activeIn``).
        marks: marks on statements about it (its sector, kind, districts, ...).
    """

    id: str
    label: str
    group: str
    kind: str
    sector: str | None = None
    areas: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    certainty: str | None = None
    status: str | None = None
    slides: list[int] = field(default_factory=list)
    source: str | None = None
    quotes: list[str] = field(default_factory=list)
    note: str | None = None
    date: str | None = None
    links: list[StepLink] = field(default_factory=list)
    active_in: list[str] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)


@dataclass
class Edge:
    """An edge of the map: ``relation`` is one of ``RELATIONS``; ``kind`` the property."""

    source: str
    target: str
    relation: str
    kind: str
    role: str | None = None
    certainty: str | None = None

    @property
    def id(self) -> str:
        """A stable identifier of the edge."""
        return f"{self.source} {self.kind} {self.target} {self.role or ''}".strip()


@dataclass
class Area:
    """An area of the city: its IRI, label, type IRI and the areas it lies within."""

    id: str
    label: str
    type: str
    parents: list[str] = field(default_factory=list)


@dataclass
class Network:
    """The map's content.

    Attributes:
        nodes: actors first, then steps and meetings, each group sorted by label.
        edges: actor-actor relations and links of actors to steps and meetings.
        areas: every area of the graph in gap-matrix order (city, districts, localities).
        labels: labels (chosen language) of every IRI the map mentions: sectors,
            fields, kinds, statuses, roles, certainties, areas, sources.
        fields: IRIs of the fields of action, sorted by label.
        lang: the language of the labels.
        names: every label (both languages) of the areas, sectors and fields, by IRI:
            what a user may call them in a filter.
    """

    nodes: list[MapNode]
    edges: list[Edge]
    areas: list[Area]
    labels: dict[str, str]
    fields: list[str]
    lang: str
    names: dict[str, list[str]] = field(default_factory=dict, repr=False)

    @property
    def actors(self) -> list[MapNode]:
        """The actor nodes."""
        return [n for n in self.nodes if n.group == "actor"]

    def node(self, iri: str) -> MapNode:
        """The node with this IRI (KeyError if there is none)."""
        for n in self.nodes:
            if n.id == iri:
                return n
        raise KeyError(iri)

    def label(self, iri: str | None) -> str:
        """The label of ``iri`` in the network's language, else its compact form."""
        if iri is None:
            return ""
        return self.labels.get(iri) or compact(iri)

    def filtered(
        self, filters: Filters | None = None, relations: Iterable[str] | None = None
    ) -> Network:
        """The part of the network a reader sees with these filters (the page does the same).

        An actor stays if it is present in the filters' district, has their sector
        (``"none"``: no sector) and is linked to a step of their field. A step or meeting
        stays if it passes the district and field filters and is linked to an actor that stays
        (a measure also when one of its tasks stays). An edge stays if both ends do and
        its relation is among ``relations`` (default: all).
        """
        filters = filters or Filters()
        district, sector, field_ = filters.district, filters.sector, filters.field
        wanted = set(relations) if relations is not None else set(RELATIONS)
        edges = [e for e in self.edges if e.relation in wanted]

        def passes(node: MapNode) -> bool:
            if district and district not in node.areas:
                return False
            if field_ and field_ not in node.fields:
                return False
            if node.group == "actor" and sector:
                return (node.sector or "none") == sector
            return True

        actors = {n.id for n in self.actors if passes(n)}
        candidates = {n.id for n in self.nodes if n.group == "step" and passes(n)}
        steps: set[str] = set()
        for kinds in ({"Task", "Meeting", "Workshop"}, {"Measure"}):
            # Each stage sees only what earlier stages kept (as the page does), so the result
            # does not depend on the order of the nodes.
            kept = actors | steps
            for n in self.nodes:
                if n.id not in candidates or n.kind.rsplit("#", 1)[-1] not in kinds:
                    continue
                if any(
                    (e.source == n.id and e.target in kept)
                    or (e.target == n.id and e.source in kept)
                    for e in edges
                ):
                    steps.add(n.id)
        keep = actors | steps
        return replace(
            self,
            nodes=[n for n in self.nodes if n.id in keep],
            edges=[e for e in edges if e.source in keep and e.target in keep],
        )

    def resolve(self, what: str, value: str) -> str:
        """The IRI of the district, sector or field a user named (label, prefixed name, IRI).

        Raises:
            UsageError: nothing, or more than one thing, has that name; the message
                lists the closest names.
        """
        if what == "district":
            options = [a.id for a in self.areas]
        elif what == "sector":
            options = [*SECTORS, "none"]
        else:
            options = list(self.fields)
        lookup: dict[str, set[str]] = defaultdict(set)
        for iri in options:
            for name in (iri, compact(iri), *self.names.get(iri, ())):
                lookup[name.casefold()].add(iri)
        found = lookup.get(value.strip().casefold(), set())
        if len(found) == 1:
            return next(iter(found))
        shown = sorted({self.label(i) for i in options if i != "none"}, key=str.casefold)
        if found:
            raise UsageError(
                f"The {what} '{value}' is ambiguous ({', '.join(sorted(found))}); give the IRI."
            )
        close = difflib.get_close_matches(value, shown, n=3, cutoff=0.5)
        hint = f" Closest: {', '.join(close)}." if close else ""
        raise UsageError(
            f"No {what} is called '{value}'.{hint} Choose one of: {', '.join(shown)}"
            + (" (or 'none' for actors without a sector)." if what == "sector" else ".")
        )

    def resolve_filters(
        self, district: str | None = None, sector: str | None = None, field_: str | None = None
    ) -> Filters:
        """The filters a user named (labels, prefixed names or IRIs), as IRIs.

        Raises:
            UsageError: a name names nothing, or more than one thing.
        """
        return Filters(
            self.resolve("district", district) if district else None,
            self.resolve("sector", sector) if sector else None,
            self.resolve("field", field_) if field_ else None,
        )


def _text(node: Node | None) -> str | None:
    return None if node is None else str(node)


def _int(node: Node | None) -> int | None:
    if isinstance(node, Literal):
        try:
            return int(str(node))
        except ValueError:
            return None
    return None


def _pick(literals: list[Literal], lang: str) -> str | None:
    for wanted in (lang, "en", "de", None):
        for lit in literals:
            if lit.language == wanted:
                return str(lit)
    return str(literals[0]) if literals else None


_ALL_LABELS = (
    _PREFIXES
    + """
SELECT ?resource ?label WHERE {
  VALUES ?resource { %s }
  ?resource rdfs:label|skos:prefLabel ?label .
}"""
)


def load_network(store: GraphStore, lang: str = "de") -> Network:
    """Read the network of actors from ``store``.

    Args:
        store: the graph (with the ontology loaded, so that the kinds of actor are known).
        lang: ``"de"`` or ``"en"``: the language of labels.
    """
    nodes: dict[str, MapNode] = {}
    # --- actors ---
    quotes: dict[str, list[Literal]] = defaultdict(list)
    notes: dict[str, list[Literal]] = defaultdict(list)
    for actor, kind, sector, certainty, slide, source, quote_, note in select(store, _ACTORS):
        if not isinstance(actor, URIRef):
            continue
        iri = str(actor)
        node = nodes.setdefault(iri, MapNode(iri, "", "actor", str(CG.Actor)))
        k = str(kind)
        if k in ACTOR_KINDS and ACTOR_KINDS.index(k) < ACTOR_KINDS.index(node.kind):
            node.kind = k
        node.sector = node.sector or _text(sector)
        node.certainty = node.certainty or _text(certainty)
        node.source = node.source or _text(source)
        if (n := _int(slide)) is not None and n not in node.slides:
            node.slides.append(n)
        if isinstance(quote_, Literal) and quote_ not in quotes[iri]:
            quotes[iri].append(quote_)
        if isinstance(note, Literal) and note not in notes[iri]:
            notes[iri].append(note)
    # --- steps and meetings ---
    steps: dict[str, MapNode] = {}
    targets: dict[str, set[str]] = defaultdict(set)
    for step, kind, status, fld, target, date, slide, quote_ in select(store, _STEPS):
        if not isinstance(step, URIRef) or str(step) in nodes:
            continue
        iri = str(step)
        node = steps.setdefault(iri, MapNode(iri, "", "step", str(kind)))
        if STEP_KINDS.index(str(kind)) < STEP_KINDS.index(node.kind):
            node.kind = str(kind)
        node.status = node.status or _text(status)
        node.date = node.date or _text(date)
        if fld is not None and str(fld) not in node.fields:
            node.fields.append(str(fld))
        if target is not None:
            targets[iri].add(str(target))
        if (n := _int(slide)) is not None and n not in node.slides:
            node.slides.append(n)
        if isinstance(quote_, Literal) and quote_ not in quotes[iri]:
            quotes[iri].append(quote_)
    parts = [(str(t), str(m)) for t, m in select(store, _PARTS) if t is not None and m is not None]
    linked_steps: dict[str, set[str]] = defaultdict(set)  # step -> steps one hop along parts
    for task, measure in parts:
        linked_steps[task].add(measure)
        linked_steps[measure].add(task)
    # --- areas ---
    areas: dict[str, Area] = {}
    for area_term, type_, parent in select(store, _AREAS):
        iri = str(area_term)
        known = areas.setdefault(iri, Area(iri, "", str(type_)))
        if AREA_TYPES.index(str(type_)) < AREA_TYPES.index(known.type):
            known.type = str(type_)
        if parent is not None and str(parent) not in known.parents:
            known.parents.append(str(parent))
    up_cache: dict[str, set[str]] = {}

    def up(area: str) -> set[str]:
        """The area and every area it lies within (cg:withinArea, transitively)."""
        if area not in up_cache:
            seen, todo = {area}, [area]
            while todo:
                for parent in areas.get(todo.pop(), Area("", "", "")).parents:
                    if parent not in seen:
                        seen.add(parent)
                        todo.append(parent)
            up_cache[area] = seen
        return up_cache[area]

    def down(area: str) -> set[str]:
        """Every area that lies within ``area`` (cg:withinArea, transitively)."""
        return {other for other in areas if area in up(other)}

    # where each step is, as the coverage query counts: its own targets, and those of the
    # steps one hop along hasTask/partOfMeasure
    step_areas: dict[str, set[str]] = {}
    for iri in steps:
        direct = set().union(*(up(t) for t in targets.get(iri, ())))
        via = set().union(*(up(t) for s in linked_steps[iri] for t in targets.get(s, ())))
        step_areas[iri] = direct | via
    step_fields: dict[str, set[str]] = {
        iri: set(node.fields).union(*(steps[s].fields for s in linked_steps[iri] if s in steps))
        for iri, node in steps.items()
    }
    # --- links ---
    edges: list[Edge] = []
    seen_edges: set[str] = set()
    actor_areas: dict[str, set[str]] = defaultdict(set)
    actor_fields: dict[str, set[str]] = defaultdict(set)
    for actor_term, active in select(store, _ACTIVE):
        if str(actor_term) in nodes:
            nodes[str(actor_term)].active_in.append(str(active))
            actor_areas[str(actor_term)] |= up(str(active)) | down(str(active))
    for step, actor, relation, role, certainty, slide, quote_, resp in select(store, _LINKS):
        s, a = str(step), str(actor)
        if a not in nodes or s not in steps:
            continue
        rel = str(relation)
        link = StepLink(
            s,
            rel,
            _text(role),
            _text(certainty),
            _int(slide),
            _text(quote_) if quote_ else None,
            _text(resp),
        )
        if link not in nodes[a].links:
            nodes[a].links.append(link)
        actor_areas[a] |= step_areas[s]
        actor_fields[a] |= step_fields[s]
        prop = str(CG.hasResponsibility) if rel == "responsibility" else str(CG.participant)
        edge = Edge(a, s, rel, prop, _text(role), _text(certainty))
        if edge.id not in seen_edges:
            seen_edges.add(edge.id)
            edges.append(edge)
    for source_term, prop_term, target_term in select(store, _ACTOR_LINKS):
        s, t, p = str(source_term), str(target_term), str(prop_term)
        if s not in nodes or t not in nodes:
            continue
        if p == str(CG.cooperatesWith) and s > t:
            s, t = t, s
        edge = Edge(s, t, _ACTOR_RELATIONS[p], p)
        if edge.id not in seen_edges:
            seen_edges.add(edge.id)
            edges.append(edge)
    # steps drawn: those linked to an actor, and the measures of such tasks
    drawn = {e.target for e in edges if e.target in steps}
    for task, measure in parts:
        if task in drawn and measure in steps:
            drawn.add(measure)
            edge = Edge(task, measure, "part", str(CG.partOfMeasure))
            if edge.id not in seen_edges:
                seen_edges.add(edge.id)
                edges.append(edge)
    for iri, node in nodes.items():
        node.areas = sorted(actor_areas[iri])
        node.fields = sorted(actor_fields[iri])
    for iri in drawn:
        node = steps[iri]
        node.areas = sorted(step_areas[iri])
        node.fields = sorted(step_fields[iri])
        nodes[iri] = node
    # --- marks on single statements ---
    rationales: dict[tuple[str, str, str], list[Literal]] = defaultdict(list)
    certainties: dict[tuple[str, str, str], str | None] = {}
    for subject, prop_term, value, certainty, rationale in select(store, _MARKS):
        key = (str(subject), str(prop_term), str(value))
        certainties[key] = certainties.get(key) or _text(certainty)
        if isinstance(rationale, Literal):
            rationales[key].append(rationale)
    marks: dict[str, list[Mark]] = defaultdict(list)
    for key, certainty_iri in sorted(certainties.items()):
        marks[key[0]].append(Mark(key[1], key[2], certainty_iri, _pick(rationales[key], lang)))
    for node in nodes.values():
        node.marks = marks.get(node.id, [])
        for link in node.links:
            link.marks = marks.get(link.responsibility or "", [])
    # --- labels ---
    fields = sorted({str(r[0]) for r in select(store, _FIELDS) if isinstance(r[0], URIRef)})
    mentioned: set[str] = set(nodes) | set(areas) | set(SECTORS) | set(fields)
    mentioned |= set(ACTOR_KINDS) | set(STEP_KINDS) | set(AREA_TYPES)
    for node in nodes.values():
        mentioned |= {x for x in (node.certainty, node.status, node.source) if x}
        for link in node.links:
            mentioned |= {x for x in (link.role, link.certainty) if x}
        for mark in node.marks + [m for link in node.links for m in link.marks]:
            mentioned |= {x for x in (mark.property, mark.value, mark.certainty) if x}
    mentioned |= {str(CGV["certainty-confirmed"]), str(CGV["certainty-unconfirmed"])}
    iris = [URIRef(i) for i in mentioned if i.startswith(("http:", "https:", "urn:"))]
    labels = {str(k): v for k, v in labels_for(store, iris, lang).items()}
    all_labels: dict[str, list[str]] = defaultdict(list)
    values = " ".join(
        term_syntax(URIRef(i)) for i in sorted(set(areas) | set(fields) | set(SECTORS)) if _safe(i)
    )
    if values:
        for resource, label in select(store, _ALL_LABELS % values):
            all_labels[str(resource)].append(str(label))
    for iri, node in nodes.items():
        node.label = labels.get(iri) or compact(iri)
        node.quotes = [str(q) for q in quotes.get(iri, [])]
        node.note = _pick(notes.get(iri, []), lang)
    for place in areas.values():
        place.label = labels.get(place.id) or compact(place.id)
    ordered_areas = sorted(
        areas.values(), key=lambda a: (AREA_TYPES.index(a.type), a.label.casefold())
    )
    ordered_nodes = sorted(
        nodes.values(), key=lambda n: (n.group != "actor", n.label.casefold(), n.id)
    )
    edges.sort(key=lambda e: (RELATIONS.index(e.relation), e.source, e.target, e.role or ""))
    return Network(
        nodes=ordered_nodes,
        edges=edges,
        areas=ordered_areas,
        labels=labels,
        fields=sorted(fields, key=lambda f: (labels.get(f) or f).casefold()),
        lang=lang,
        names=all_labels,
    )


_SAFE_IRI = re.compile(r'^[^\s<>"{}|^`\\]+$')


def _safe(iri: str) -> bool:
    return bool(_SAFE_IRI.match(iri))


def resource_link(pattern: str | None, iri: str) -> str | None:
    """The URL of a resource page: ``pattern`` with ``{iri}`` replaced by the encoded IRI."""
    if not pattern:
        return None
    return pattern.replace("{iri}", quote(iri, safe=""))
