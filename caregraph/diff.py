"""What changed between two versions of the graph, per resource and by label.

Each side is a file, a folder, or a git revision of one (``HEAD~1:data/``). Blank nodes are
compared by graph isomorphism (rdflib's canonical labelling), not by their random ids; a
change inside a blank node is shown on the named resource that points to it. The result
reads like "Aufgabe X: Status geplant → erledigt; neue Zuständigkeit: Sozialamt
(federführend)", in German or English, as text, Markdown (for a pull-request comment),
JSON, or the added and removed triples as two named graphs (TriG).
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from rdflib import RDF, RDFS, SKOS, BNode, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from caregraph.datafiles import FORMATS
from caregraph.errors import InputError
from caregraph.labels import label_of
from caregraph.loading import cached_ontology, load_graph
from caregraph.namespaces import CG, bind_prefixes, compact

DIFF_FORMATS = ("text", "markdown", "json", "ttl")
ADDED = URIRef("urn:caregraph:diff:added")
REMOVED = URIRef("urn:caregraph:diff:removed")
_IMPORT_PREFIX = "https://w3id.org/caregraph/dresden/import-"

_WORDS = {
    "de": {
        "new": "neu",
        "removed": "entfernt",
        "changed": "geändert",
        "new_value": "neu",
        "gone_value": "entfällt",
        "nothing": "Keine Unterschiede.",
        "summary": "{new} neu, {changed} geändert, {removed} entfernt",
        "resource": "Ressource",
    },
    "en": {
        "new": "new",
        "removed": "removed",
        "changed": "changed",
        "new_value": "new",
        "gone_value": "no longer",
        "nothing": "No differences.",
        "summary": "{new} new, {changed} changed, {removed} removed",
        "resource": "resource",
    },
}


@dataclass
class PropertyChange:
    """The values of one property of one resource that went and came."""

    prop: URIRef
    removed: list[Node] = field(default_factory=list)
    added: list[Node] = field(default_factory=list)


@dataclass
class ResourceChange:
    """One resource that is new, removed or changed."""

    resource: Node
    status: str
    changes: list[PropertyChange] = field(default_factory=list)


@dataclass
class GraphDiff:
    """The difference of two graphs.

    Attributes:
        old, new: the two graphs (blank nodes canonically relabelled).
        added, removed: the triples only in ``new`` / only in ``old``.
        resources: the changes grouped per named resource.
    """

    old: rdflib.Graph
    new: rdflib.Graph
    added: rdflib.Graph
    removed: rdflib.Graph
    resources: list[ResourceChange]

    @property
    def empty(self) -> bool:
        """True when the graphs hold the same statements (up to blank-node names)."""
        return not len(self.added) and not len(self.removed)


def load_side(spec: str, *, allow_network: bool = False) -> rdflib.Graph:
    """A file, a folder, or ``REVISION:PATH`` from git, parsed into one graph.

    Raises:
        InputError: the path is missing or the revision or path unknown to git.
    """
    if Path(spec).exists():
        return load_graph([spec], allow_network=allow_network)
    if ":" in spec and not spec.startswith(("http://", "https://")):
        revision, _, path = spec.partition(":")
        return _from_git(revision, path or ".", spec, allow_network)
    raise InputError(
        f"{spec}: no such file or folder, and not a git revision (REVISION:PATH, e.g. "
        "HEAD~1:data/)."
    )


def _git(*args: str) -> bytes:
    try:
        done = subprocess.run(["git", *args], capture_output=True, check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise InputError(f"git could not run ({exc}); is git installed?") from exc
    if done.returncode != 0:
        raise InputError(done.stderr.decode("utf-8", "replace").strip() or "git failed")
    return done.stdout


def _from_git(revision: str, path: str, spec: str, allow_network: bool) -> rdflib.Graph:
    prefix = _git("rev-parse", "--show-prefix").decode().strip()
    try:
        names = _git("ls-tree", "-r", "--name-only", "--full-tree", revision, "--", prefix + path)
    except InputError as exc:
        raise InputError(f"{spec}: {exc}. Give REVISION:PATH, e.g. HEAD~1:data/.") from None
    files = [n for n in names.decode().splitlines() if Path(n).suffix.lower() in FORMATS]
    if not files:
        raise InputError(f"{spec}: git has no RDF files there at revision {revision}.")
    # The files go through the same parser (and its network refusals) as files on disk.
    with tempfile.TemporaryDirectory(prefix="caregraph-diff-") as folder:
        for name in files:
            target = Path(folder) / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(_git("show", f"{revision}:{name}"))
        try:
            return load_graph([folder], allow_network=allow_network)
        except InputError as exc:
            raise InputError(f"{spec} (at revision {revision}): {exc}") from None


def _without_import_provenance(graph: rdflib.Graph) -> rdflib.Graph:
    out = rdflib.Graph()
    for s, p, o in graph:
        if not str(s).startswith(_IMPORT_PREFIX) and not str(o).startswith(_IMPORT_PREFIX):
            out.add((s, p, o))
    return out


def _scoped(graph: rdflib.Graph, subjects: set[Node]) -> rdflib.Graph:
    out = rdflib.Graph()
    for s, p, o in graph:
        if s in subjects:
            out.add((s, p, o))
    return out


def diff_graphs(
    old: rdflib.Graph,
    new: rdflib.Graph,
    *,
    only_new_resources: bool = False,
    ignore_import_provenance: bool = False,
) -> GraphDiff:
    """Compare two graphs per resource.

    Args:
        old, new: the two versions.
        only_new_resources: compare only the resources ``new`` gives a type (``new`` holds
            some resources, e.g. an import, and ``old`` the whole graph).
        ignore_import_provenance: leave out the row and file records ``caregraph import``
            adds (``dd:import-…``).
    """
    if ignore_import_provenance:
        old, new = _without_import_provenance(old), _without_import_provenance(new)
    if only_new_resources:
        subjects: set[Node] = {s for s in new.subjects(RDF.type, None) if isinstance(s, URIRef)}
        old, new = _scoped(old, subjects), _scoped(new, subjects)
    old_c, new_c = to_canonical_graph(old), to_canonical_graph(new)
    old_set, new_set = set(old_c), set(new_c)
    added, removed = rdflib.Graph(), rdflib.Graph()
    for triple in new_set - old_set:
        added.add(triple)
    for triple in old_set - new_set:
        removed.add(triple)
    return GraphDiff(old_c, new_c, added, removed, _group(old_c, new_c, added, removed))


def _owner(graph: rdflib.Graph, node: BNode) -> tuple[Node, URIRef | None, Node]:
    """The named resource a blank node hangs from, the property it uses and the topmost
    blank node on the way (``(node, None, node)`` when nothing named points to it)."""
    seen = {node}
    current: Node = node
    while True:
        parents = sorted(graph.subject_predicates(current))
        if not parents:
            return current, None, current
        subject, predicate = parents[0]
        if not isinstance(subject, BNode):
            assert isinstance(predicate, URIRef)
            return subject, predicate, current
        if subject in seen:
            return current, None, current
        seen.add(subject)
        current = subject


def _group(
    old: rdflib.Graph, new: rdflib.Graph, added: rdflib.Graph, removed: rdflib.Graph
) -> list[ResourceChange]:
    changes: dict[Node, dict[URIRef, PropertyChange]] = defaultdict(dict)
    for graph, side, source in ((removed, "removed", old), (added, "added", new)):
        for s, p, o in graph:
            assert isinstance(p, URIRef)
            owner, value = s, o
            if isinstance(s, BNode):
                named, link, top = _owner(source, s)
                if link is not None:
                    # Shown as a changed value (the whole blank node) of the named resource.
                    owner, p, value = named, link, top
            change = changes[owner].setdefault(p, PropertyChange(p))
            values = getattr(change, side)
            if value not in values:
                values.append(value)
    out = []
    for resource, props in changes.items():
        was = any(True for _ in old.triples((resource, None, None)))
        now = any(True for _ in new.triples((resource, None, None)))
        status = "changed" if was and now else ("new" if now else "removed")
        out.append(ResourceChange(resource, status, sorted(props.values(), key=lambda c: c.prop)))
    return sorted(
        out, key=lambda c: ({"changed": 0, "new": 1, "removed": 2}[c.status], str(c.resource))
    )


#: Names of the standard properties the ontology does not label itself.
_STANDARD = {
    str(RDF.type): {"de": "Typ", "en": "type"},
    str(RDFS.label): {"de": "Name", "en": "name"},
    str(RDFS.seeAlso): {"de": "siehe auch", "en": "see also"},
    str(SKOS.prefLabel): {"de": "Name", "en": "name"},
    str(SKOS.altLabel): {"de": "anderer Name", "en": "other name"},
    str(SKOS.note): {"de": "Anmerkung", "en": "note"},
    str(DCTERMS.source): {"de": "Quelle", "en": "source"},
    str(DCTERMS.title): {"de": "Titel", "en": "title"},
    str(DCTERMS.created): {"de": "erstellt", "en": "created"},
    str(DCTERMS.isPartOf): {"de": "Teil von", "en": "part of"},
    str(DCTERMS.subject): {"de": "Thema", "en": "subject"},
}


class _Namer:
    """Labels of resources, properties and classes in the reader's language."""

    def __init__(self, diff: GraphDiff, lang: str) -> None:
        self.lang = lang
        self.graphs = [diff.new, diff.old, cached_ontology()]

    def name(self, node: Node, side: rdflib.Graph | None = None) -> str:
        """The label of ``node``; a blank node as ``[property value; …]`` as ``side`` has it."""
        if isinstance(node, Literal):
            return str(node)
        if isinstance(node, BNode):
            return self.blank(node, side)
        for graph in self.graphs:
            label = label_of(graph, node, self.lang)
            if label:
                return self._qualified(node, label)
        if str(node) in _STANDARD:
            return _STANDARD[str(node)][self.lang]
        return compact(str(node))

    def _qualified(self, node: Node, label: str) -> str:
        # A responsibility reads best as "who (role)".
        for graph in self.graphs[:2]:
            if (node, RDF.type, CG.Responsibility) in graph:
                actor = graph.value(node, CG.responsibleActor)
                role = graph.value(node, CG.responsibilityRole)
                if actor is not None:
                    text = self.name(actor)
                    return f"{text} ({self.name(role)})" if role is not None else text
        return label

    def blank(self, node: BNode, side: rdflib.Graph | None = None) -> str:
        for graph in [side] if side is not None else self.graphs[:2]:
            pairs = list(graph.predicate_objects(node))
            if pairs:
                inner = "; ".join(f"{self.name(p)} {self.name(o, graph)}" for p, o in sorted(pairs))
                return f"[{inner}]"
        return "[]"

    def kind(self, node: Node) -> str:
        for graph in self.graphs[:2]:
            for cls in graph.objects(node, RDF.type):
                return self.name(cls)
        return _WORDS[self.lang]["resource"]

    def title(self, node: Node) -> str:
        kind = self.kind(node)
        return f"{kind[:1].upper()}{kind[1:]} {self.name(node)}"


def _change_texts(
    change: PropertyChange, namer: _Namer, diff: GraphDiff, status: str = "changed"
) -> list[str]:
    words = _WORDS[namer.lang]
    prop = namer.name(change.prop)
    gone = [namer.name(v, diff.old) for v in change.removed]
    came = [namer.name(v, diff.new) for v in change.added]
    if status != "changed":  # a new or removed resource: what it says (said)
        return [f"{prop} {', '.join(sorted(came or gone))}"]
    if len(gone) == len(came) == 1:
        return [f"{prop} {gone[0]} → {came[0]}"]
    texts = [f"{words['new_value']}: {prop} {v}" for v in came]
    texts += [f"{words['gone_value']}: {prop} {v}" for v in gone]
    return sorted(texts)


def to_text(diff: GraphDiff, lang: str = "de", markdown: bool = False) -> str:
    """One line per resource: what it is, and each change."""
    words = _WORDS[lang]
    if diff.empty:
        return words["nothing"] + "\n"
    namer = _Namer(diff, lang)
    lines = []
    counts = {"new": 0, "changed": 0, "removed": 0}
    for resource in diff.resources:
        counts[resource.status] += 1
        texts = [
            t
            for c in resource.changes
            if c.prop != RDF.type or resource.status == "changed"
            for t in _change_texts(c, namer, diff, resource.status)
        ]
        head = namer.title(resource.resource)
        if resource.status != "changed":
            head += f" ({words[resource.status]})"
        if markdown:
            lines.append(f"- **{_md(head)}**: " + "; ".join(_md(t) for t in texts))
        else:
            lines.append(f"{head}: " + "; ".join(texts))
    lines.append("")
    lines.append(words["summary"].format(**counts) + ".")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").replace("|", "\\|")


def _term(node: Node) -> object:
    if isinstance(node, Literal):
        out: dict[str, object] = {"value": str(node)}
        if node.language:
            out["lang"] = node.language
        elif node.datatype:
            out["datatype"] = str(node.datatype)
        return out
    return str(node) if isinstance(node, URIRef) else f"_:{node}"


def to_json(diff: GraphDiff, lang: str = "de") -> str:
    """Per resource: its IRI, label, status and the values added and removed per property."""
    namer = _Namer(diff, lang)
    document = {
        "equal": diff.empty,
        "added_triples": len(diff.added),
        "removed_triples": len(diff.removed),
        "resources": [
            {
                "resource": _term(r.resource),
                "label": namer.name(r.resource),
                "kind": namer.kind(r.resource),
                "status": r.status,
                "changes": [
                    {
                        "property": str(c.prop),
                        "property_label": namer.name(c.prop),
                        "added": [_term(v) for v in c.added],
                        "removed": [_term(v) for v in c.removed],
                        "added_labels": [namer.name(v, diff.new) for v in c.added],
                        "removed_labels": [namer.name(v, diff.old) for v in c.removed],
                    }
                    for c in r.changes
                ],
            }
            for r in diff.resources
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def to_trig(diff: GraphDiff) -> str:
    """The added and removed triples as two named graphs (TriG, Turtle inside each)."""
    heads, blocks = [], []
    # One namespace manager for both, so that a generated prefix (ns1) means one thing.
    namespaces = bind_prefixes(rdflib.Graph()).namespace_manager
    for name, triples in ((ADDED, diff.added), (REMOVED, diff.removed)):
        graph = rdflib.Graph(namespace_manager=namespaces)
        for triple in triples:
            graph.add(triple)
        lines = graph.serialize(format="turtle").splitlines()
        heads += [line for line in lines if line.startswith("@prefix")]
        body = [f"    {line}" if line else "" for line in lines if not line.startswith("@prefix")]
        blocks.append(f"<{name}> {{\n" + "\n".join(body).strip("\n") + "\n}\n")
    return "\n".join(sorted(set(heads))) + "\n\n" + "\n".join(blocks)


def render_diff(diff: GraphDiff, fmt: str, lang: str = "de") -> str:
    """The diff in one of ``DIFF_FORMATS``."""
    if fmt == "json":
        return to_json(diff, lang)
    if fmt == "ttl":
        return to_trig(diff)
    return to_text(diff, lang, markdown=fmt == "markdown")


__all__ = [
    "DIFF_FORMATS",
    "GraphDiff",
    "diff_graphs",
    "load_side",
    "render_diff",
]
