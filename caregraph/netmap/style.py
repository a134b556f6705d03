"""How the map looks: colours, border patterns and shapes, and the texts of the page.

Sector colours are from the Okabe-Ito palette (distinguishable with the common forms of
colour vision deficiency) and chosen at four clearly different lightness levels, so they
stay apart when printed in grey; each sector also has its own border pattern, so the map
never relies on colour alone. Kinds of actor are told apart by shape.
"""

from __future__ import annotations

from dataclasses import dataclass

from caregraph.namespaces import CG, CGV


@dataclass(frozen=True)
class SectorStyle:
    """How the nodes of one sector are drawn.

    Attributes:
        colour: fill colour.
        border: Cytoscape border style (``solid``, ``double``, ``dashed``, ``dotted``).
        dasharray: the same border as an SVG ``stroke-dasharray`` (``none`` for solid).
        dot_style: the same border for Graphviz (``style`` attribute values).
        peripheries: Graphviz border lines (2 for double).
    """

    colour: str
    border: str
    dasharray: str
    dot_style: str
    peripheries: int = 1


SECTOR_STYLES: dict[str, SectorStyle] = {
    # lightness (relative luminance) 0.78, 0.16, 0.41, 0.31: four grey levels
    str(CGV["sector-citizens"]): SectorStyle("#F0E442", "solid", "none", "solid"),
    str(CGV["sector-state"]): SectorStyle("#0072B2", "double", "none", "solid", 2),
    str(CGV["sector-civil-society"]): SectorStyle("#56B4E9", "dashed", "6 3", "dashed"),
    str(CGV["sector-professional-services"]): SectorStyle("#CC79A7", "dotted", "2 2", "dotted"),
}
NO_SECTOR = SectorStyle("#FFFFFF", "solid", "none", "solid")

#: Shape of each kind of node: (Cytoscape shape, Graphviz shape).
KIND_SHAPES: dict[str, tuple[str, str]] = {
    str(CG.AdministrativeUnit): ("rectangle", "box"),
    str(CG.Post): ("ellipse", "ellipse"),
    str(CG.Body): ("hexagon", "hexagon"),
    str(CG.RoundTable): ("octagon", "octagon"),
    str(CG.WelfareProvider): ("pentagon", "pentagon"),
    str(CG.Initiative): ("triangle", "triangle"),
    str(CG.Network): ("diamond", "diamond"),
    str(CG.StakeholderGroup): ("round-rectangle", "box"),
    str(CG.Organisation): ("heptagon", "septagon"),
    str(CG.Actor): ("heptagon", "septagon"),
    str(CG.Measure): ("tag", "cds"),
    str(CG.Task): ("tag", "cds"),
    str(CG.Meeting): ("rhomboid", "parallelogram"),
    str(CG.Workshop): ("rhomboid", "parallelogram"),
}


@dataclass(frozen=True)
class RelationStyle:
    """How the edges of one relation type are drawn (Cytoscape and Graphviz)."""

    colour: str
    line: str  # solid, dashed, dotted
    width: float
    arrow: str  # Cytoscape target-arrow-shape
    dot_arrow: str


RELATION_STYLES: dict[str, RelationStyle] = {
    "cooperation": RelationStyle("#000000", "solid", 3, "none", "none"),
    "membership": RelationStyle("#555555", "solid", 2, "triangle", "normal"),
    "responsibility": RelationStyle("#D55E00", "solid", 2, "triangle-backcurve", "vee"),
    "participation": RelationStyle("#009E73", "dashed", 2, "circle", "dot"),
    "part": RelationStyle("#999999", "dotted", 1.5, "tee", "tee"),
}

_TEXTS: dict[str, dict[str, str]] = {
    "title": {
        "de": "Netzwerkkarte Sorgende Gemeinschaften",
        "en": "Network map: caring communities",
    },
    "subtitle": {
        "de": "Wer wird für Sorgende Gemeinschaften gebraucht? Akteure und ihre Beziehungen",
        "en": "Who is needed for caring communities? Actors and their relations",
    },
    "tab_map": {"de": "Karte", "en": "Map"},
    "tab_gaps": {"de": "Lückenmatrix", "en": "Gap matrix"},
    "filters": {"de": "Filter", "en": "Filters"},
    "district": {"de": "Gebiet", "en": "Area"},
    "all_areas": {"de": "alle Gebiete", "en": "all areas"},
    "sector": {"de": "Sektor", "en": "Sector"},
    "all_sectors": {"de": "alle Sektoren", "en": "all sectors"},
    "no_sector": {"de": "ohne Sektor", "en": "no sector"},
    "field": {"de": "Handlungsfeld", "en": "Field of action"},
    "all_fields": {"de": "alle Handlungsfelder", "en": "all fields of action"},
    "relations": {"de": "Beziehungen", "en": "Relations"},
    "search": {"de": "Suche nach Namen", "en": "Search by name"},
    "search_placeholder": {"de": "z. B. Sozialamt", "en": "e.g. Social Welfare Office"},
    "reset": {"de": "Filter zurücksetzen", "en": "Reset filters"},
    "visible": {"de": "sichtbare Akteure", "en": "visible actors"},
    "legend": {"de": "Legende", "en": "Legend"},
    "kinds": {"de": "Art", "en": "Kind"},
    "steps_meetings": {"de": "Maßnahme, Schritt, Treffen", "en": "Measure, task, meeting"},
    "details": {"de": "Details", "en": "Details"},
    "click_hint": {
        "de": "Einen Knoten anklicken, um seine Angaben zu sehen.",
        "en": "Click a node to see its details.",
    },
    "close": {"de": "Schließen", "en": "Close"},
    "kind": {"de": "Art", "en": "Kind"},
    "steps": {"de": "Schritte und Treffen", "en": "Steps and meetings"},
    "status": {"de": "Status", "en": "Status"},
    "role": {"de": "Rolle", "en": "Role"},
    "certainty": {"de": "Sicherheit", "en": "Certainty"},
    "areas": {"de": "Gebiete", "en": "Areas"},
    "active_in": {"de": "aktiv in", "en": "active in"},
    "source": {"de": "Quelle", "en": "Source"},
    "slide": {"de": "Folie", "en": "slide"},
    "quote": {"de": "Zitat", "en": "Quote"},
    "note": {"de": "Anmerkung", "en": "Note"},
    "readings": {"de": "Deutungen", "en": "Readings"},
    "date": {"de": "Datum", "en": "Date"},
    "fields": {"de": "Handlungsfelder", "en": "Fields of action"},
    "none": {"de": "keine Angabe", "en": "not given"},
    "open_resource": {"de": "Ressource öffnen", "en": "Open resource page"},
    "participates": {"de": "nimmt teil", "en": "takes part"},
    "cooperation": {"de": "Zusammenarbeit", "en": "cooperation"},
    "membership": {"de": "Mitgliedschaft / gehört zu", "en": "membership / part of"},
    "responsibility": {"de": "Zuständigkeit für Maßnahme", "en": "responsibility for a step"},
    "participation": {"de": "Teilnahme (Treffen)", "en": "participation (meeting)"},
    "part": {"de": "Schritt einer Maßnahme", "en": "task of a measure"},
    "area": {"de": "Gebiet", "en": "Area"},
    "gap": {"de": "Lücke: kein Akteur", "en": "gap: no actor"},
    "show_fields": {"de": "auch Handlungsfelder zeigen", "en": "also show fields of action"},
    "gaps_title": {
        "de": "Lückenmatrix: Gebiete und Sektoren",
        "en": "Gap matrix: areas and sectors",
    },
    "gaps_caption": {
        "de": "Zahl der Akteure je Gebiet und Sektor; „–“ markiert eine Lücke.",
        "en": "Number of actors per area and sector; „–“ marks a gap.",
    },
    "gaps_note": {
        "de": "Ein Akteur zählt in einem Gebiet, wenn er dort (oder in einem Teilgebiet) aktiv "
        "ist oder für einen Schritt dort zuständig ist bzw. teilnimmt. Stadtweit tätige Akteure "
        "zählen nur für die Stadt (wie die Abfrage sector_coverage_per_district).",
        "en": "An actor counts in an area when it is active there (or in a part of it), or is "
        "responsible for or takes part in a step there. Actors working city-wide count for the "
        "city only (as the query sector_coverage_per_district counts).",
    },
    "gaps_legend_count": {"de": "Zahl = Akteure im Gebiet", "en": "number = actors in the area"},
    "type_city": {"de": "Stadt", "en": "City"},
    "type_districts": {"de": "Stadtbezirke", "en": "Urban districts (Stadtbezirke)"},
    "type_localities": {"de": "Ortschaften", "en": "Localities (Ortschaften)"},
    "type_other": {"de": "Weitere Gebiete", "en": "Other areas"},
    "static_title": {
        "de": "Netzwerkkarte Sorgende Gemeinschaften Dresden",
        "en": "Network map: caring communities in Dresden",
    },
    "filtered_by": {"de": "Filter", "en": "Filter"},
    "shape_box": {"de": "Rechteck", "en": "rectangle"},
    "shape_ellipse": {"de": "Ellipse", "en": "ellipse"},
    "shape_hexagon": {"de": "Sechseck", "en": "hexagon"},
    "shape_octagon": {"de": "Achteck", "en": "octagon"},
    "shape_pentagon": {"de": "Fünfeck", "en": "pentagon"},
    "shape_triangle": {"de": "Dreieck", "en": "triangle"},
    "shape_diamond": {"de": "Raute", "en": "diamond"},
    "shape_septagon": {"de": "Siebeneck", "en": "heptagon"},
    "shape_cds": {"de": "Fähnchen", "en": "tag"},
    "shape_parallelogram": {"de": "Parallelogramm", "en": "parallelogram"},
    "shape_rounded": {"de": "abgerundetes Rechteck", "en": "rounded rectangle"},
}


def text(key: str, lang: str) -> str:
    """The page text ``key`` in ``lang`` (German if there is no such language)."""
    entry = _TEXTS[key]
    return entry.get(lang) or entry["de"]


def texts(lang: str) -> dict[str, str]:
    """All page texts in ``lang`` (for the page's script)."""
    return {key: text(key, lang) for key in _TEXTS}
