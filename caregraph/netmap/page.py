"""The interactive map as one self-contained HTML page.

The page inlines the vendored Cytoscape.js (with its licence), its own script and style,
and the network as JSON: it works from a ``file:`` URL with no network request, and its
Content-Security-Policy forbids the browser to make any.
"""

from __future__ import annotations

import json
import math
from typing import Any

from caregraph.netmap.document import asset, document, h
from caregraph.netmap.gaps import GapMatrix, matrix_of
from caregraph.netmap.model import RELATIONS, SECTORS, Filters, Mark, Network, resource_link
from caregraph.netmap.static import LARGE, graphviz_positions, short_label
from caregraph.netmap.style import (
    KIND_SHAPES,
    NO_SECTOR,
    RELATION_STYLES,
    SECTOR_STYLES,
    text,
    texts,
)


def _script_json(value: Any) -> str:
    """JSON safe inside a ``<script>`` element."""
    return (
        json.dumps(value, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _shape_svg(shape: str, fill: str, stroke: str, dash: str = "none", size: int = 18) -> str:
    """A small SVG icon of a Cytoscape node shape (for the legend)."""
    c = size / 2
    r = size / 2 - 1.5
    common = f'fill="{fill}" stroke="{stroke}" stroke-width="1.5" stroke-dasharray="{dash}"'
    if shape == "ellipse":
        body = f'<ellipse cx="{c}" cy="{c}" rx="{r}" ry="{r * 0.8}" {common}/>'
    elif shape in ("rectangle", "round-rectangle"):
        rx = 4 if shape == "round-rectangle" else 0
        body = (
            f'<rect x="1.5" y="{c - r * 0.75}" width="{2 * r}" height="{1.5 * r}" rx="{rx}" '
            f"{common}/>"
        )
    else:
        if shape == "rhomboid":
            pts = [(-r * 0.5, -r * 0.6), (r, -r * 0.6), (r * 0.5, r * 0.6), (-r, r * 0.6)]
        elif shape == "tag":
            pts = [(-r, -r * 0.6), (r * 0.4, -r * 0.6), (r, 0), (r * 0.4, r * 0.6), (-r, r * 0.6)]
        elif shape == "diamond":
            pts = [(0, -r), (r, 0), (0, r), (-r, 0)]
        elif shape == "star":
            pts = [
                (
                    (r if k % 2 == 0 else r * 0.45) * math.sin(math.pi * k / 5),
                    -(r if k % 2 == 0 else r * 0.45) * math.cos(math.pi * k / 5),
                )
                for k in range(10)
            ]
        else:
            corners = {"triangle": 3, "pentagon": 5, "hexagon": 6, "heptagon": 7, "octagon": 8}
            n = corners.get(shape, 6)
            offset = math.pi / n if n % 2 == 0 else 0
            pts = [
                (
                    r * math.sin(2 * math.pi * k / n + offset),
                    -r * math.cos(2 * math.pi * k / n + offset),
                )
                for k in range(n)
            ]
        points = " ".join(f"{c + x:.1f},{c + y:.1f}" for x, y in pts)
        body = f'<polygon points="{points}" {common}/>'
    return (
        f'<svg class="icon" width="{size}" height="{size}" viewBox="0 0 {size} {size}" '
        f'aria-hidden="true">{body}</svg>'
    )


def _line_svg(relation: str) -> str:
    style = RELATION_STYLES[relation]
    dash = {"solid": "none", "dashed": "6 3", "dotted": "2 2"}[style.line]
    return (
        '<svg class="icon" width="34" height="12" viewBox="0 0 34 12" aria-hidden="true">'
        f'<line x1="1" y1="6" x2="29" y2="6" stroke="{style.colour}" '
        f'stroke-width="{style.width}" stroke-dasharray="{dash}"/>'
        f'<polygon points="28,2 34,6 28,10" fill="{style.colour}"/></svg>'
        if style.arrow != "none"
        else '<svg class="icon" width="34" height="12" viewBox="0 0 34 12" aria-hidden="true">'
        f'<line x1="1" y1="6" x2="33" y2="6" stroke="{style.colour}" '
        f'stroke-width="{style.width}"/></svg>'
    )


def legend_html(network: Network) -> str:
    """The legend: sectors (colour and border), kinds (shape) and relations (line)."""
    lang = network.lang
    items = ['<div class="legend-group"><h3>' + h(text("sector", lang)) + "</h3><ul>"]
    for sector in SECTORS:
        s = SECTOR_STYLES[sector]
        items.append(
            f'<li data-sector="{sector}">'
            f"{_shape_svg('rectangle', s.colour, '#222', s.dasharray)}"
            f"<span>{h(network.label(sector))}</span></li>"
        )
    items.append(
        f'<li data-sector="none">{_shape_svg("rectangle", NO_SECTOR.colour, "#222")}'
        f"<span>{h(text('no_sector', lang))}</span></li></ul></div>"
    )
    items.append('<div class="legend-group"><h3>' + h(text("kinds", lang)) + "</h3><ul>")
    kinds = list(dict.fromkeys(n.kind for n in network.nodes))
    kinds.sort(key=lambda k: list(KIND_SHAPES).index(k) if k in KIND_SHAPES else 99)
    for kind in kinds:
        shape = KIND_SHAPES.get(kind, ("ellipse", "ellipse"))[0]
        fill = "#ffffff" if kind.endswith(("Measure", "Task", "Meeting", "Workshop")) else "#d9d9d9"
        items.append(
            f'<li data-kind="{kind}">{_shape_svg(shape, fill, "#222")}'
            f"<span>{h(network.label(kind))}</span></li>"
        )
    items.append("</ul></div>")
    items.append('<div class="legend-group"><h3>' + h(text("relations", lang)) + "</h3><ul>")
    for relation in RELATIONS:
        items.append(
            f'<li data-relation="{relation}">{_line_svg(relation)}'
            f"<span>{h(text(relation, lang))}</span></li>"
        )
    items.append("</ul></div>")
    return "".join(items)


def _marks(network: Network, marks: list[Mark]) -> list[dict[str, Any]]:
    return [
        {
            "property": network.label(m.property),
            "value": network.label(m.value) if m.value.startswith("http") else m.value,
            "certainty": network.label(m.certainty) if m.certainty else None,
            "unconfirmed": bool(m.certainty and m.certainty.endswith("unconfirmed")),
            "rationale": m.rationale,
        }
        for m in marks
    ]


def map_data(
    network: Network,
    *,
    resource_url: str | None = None,
    filters: Filters | None = None,
) -> dict[str, Any]:
    """What the page's script gets: nodes, edges, choices, styles, texts, initial filters."""
    label = network.label
    nodes = []
    for n in network.nodes:
        style = SECTOR_STYLES.get(n.sector or "", NO_SECTOR)
        shape = KIND_SHAPES.get(n.kind, ("ellipse", "ellipse"))[0]
        nodes.append(
            {
                "id": n.id,
                "label": n.label,
                "short": short_label(n.label, lines=3 if n.group == "actor" else 2),
                "group": n.group,
                "kind": n.kind,
                "kindLabel": label(n.kind),
                "shape": shape,
                "sector": n.sector or "none",
                "sectorLabel": label(n.sector) if n.sector else text("no_sector", network.lang),
                "colour": style.colour if n.group == "actor" else "#ffffff",
                "border": style.border if n.group == "actor" else "solid",
                "areas": n.areas,
                "activeIn": [label(a) for a in n.active_in],
                "fields": n.fields,
                "certainty": label(n.certainty) if n.certainty else None,
                "unconfirmed": bool(n.certainty and n.certainty.endswith("unconfirmed")),
                "status": label(n.status) if n.status else None,
                "slides": n.slides,
                "source": label(n.source) if n.source else None,
                "quotes": n.quotes,
                "note": n.note,
                "date": n.date,
                "url": resource_link(resource_url, n.id),
                "marks": _marks(network, n.marks),
                "links": [
                    {
                        "step": link.step,
                        "relation": link.relation,
                        "role": label(link.role) if link.role else None,
                        "certainty": label(link.certainty) if link.certainty else None,
                        "unconfirmed": bool(
                            link.certainty and link.certainty.endswith("unconfirmed")
                        ),
                        "slide": link.slide,
                        "quote": link.quote,
                        "marks": _marks(network, link.marks),
                    }
                    for link in n.links
                ],
            }
        )
    edges = [
        {
            "id": f"e{i}",
            "source": e.source,
            "target": e.target,
            "relation": e.relation,
            "role": label(e.role) if e.role else None,
            "unconfirmed": bool(e.certainty and e.certainty.endswith("unconfirmed")),
        }
        for i, e in enumerate(network.edges)
    ]
    return {
        "lang": network.lang,
        "texts": texts(network.lang),
        "nodes": nodes,
        "edges": edges,
        "areas": [
            {"id": a.id, "label": a.label, "type": a.type, "typeLabel": label(a.type)}
            for a in network.areas
        ],
        "sectors": [{"id": s, "label": label(s)} for s in SECTORS],
        "fields": [{"id": f, "label": label(f)} for f in network.fields],
        "relations": [
            {
                "id": r,
                "label": text(r, network.lang),
                "colour": RELATION_STYLES[r].colour,
                "line": RELATION_STYLES[r].line,
                "width": RELATION_STYLES[r].width,
                "arrow": RELATION_STYLES[r].arrow,
            }
            for r in RELATIONS
        ],
        "initial": {
            "district": filters.district if filters else None,
            "sector": filters.sector if filters else None,
            "field": filters.field if filters else None,
        },
    }


def map_html(
    network: Network,
    *,
    resource_url: str | None = None,
    filters: Filters | None = None,
    matrix: GapMatrix | None = None,
    positions: dict[str, tuple[float, float]] | None = None,
) -> str:
    """The interactive map page.

    Args:
        network: the network (``load_network``).
        resource_url: URL pattern for the resource page of a node, with ``{iri}`` where
            the percent-encoded IRI goes (e.g. ``/resource?iri={iri}``); no links if None.
        filters: the filters the page opens with (the reader can change them).
        matrix: the gap matrix on the page's second tab (default: sectors, and fields of
            action shown on request).
        positions: node positions (e.g. from ``graphviz_positions``); default: the
            page lays the graph out itself (Cytoscape's cose layout), except for a large
            graph, which Graphviz lays out where it is installed.
    """
    lang = network.lang
    matrix = matrix or matrix_of(network, fields=True)
    if positions is None and len(network.nodes) > LARGE:
        # Cytoscape's own layout takes minutes for a thousand nodes; Graphviz's sfdp seconds
        positions = graphviz_positions(network)
    data = map_data(network, resource_url=resource_url, filters=filters)
    if positions:
        for node in data["nodes"]:
            if node["id"] in positions:
                x, y = positions[node["id"]]
                node["position"] = {"x": x, "y": y}
    t = {k: h(v) for k, v in texts(lang).items()}
    body = f"""
<header>
  <div class="titles"><h1>{t["title"]}</h1><p>{t["subtitle"]}</p></div>
  <nav class="tabs" role="tablist">
    <button type="button" role="tab" id="tab-map" aria-selected="true"
      aria-controls="view-map">{t["tab_map"]}</button>
    <button type="button" role="tab" id="tab-gaps" aria-selected="false"
      aria-controls="view-gaps">{t["tab_gaps"]}</button>
  </nav>
</header>
<main id="view-map" role="tabpanel" aria-labelledby="tab-map">
  <aside id="controls" aria-label="{t["filters"]}">
    <label for="search">{t["search"]}</label>
    <input type="search" id="search" placeholder="{t["search_placeholder"]}" autocomplete="off">
    <label for="filter-district">{t["district"]}</label>
    <select id="filter-district"></select>
    <fieldset id="filter-sector"><legend>{t["sector"]}</legend></fieldset>
    <label for="filter-field">{t["field"]}</label>
    <select id="filter-field"></select>
    <fieldset id="filter-relation"><legend>{t["relations"]}</legend></fieldset>
    <button type="button" id="reset">{t["reset"]}</button>
    <p id="count" aria-live="polite"></p>
    <ul id="actor-list"></ul>
  </aside>
  <section id="graph" aria-label="{t["tab_map"]}">
    <div id="cy"></div>
    <div id="legend" aria-label="{t["legend"]}"><h2>{t["legend"]}</h2>{legend_html(network)}</div>
  </section>
  <aside id="panel" aria-live="polite" aria-label="{t["details"]}">
    <p class="hint">{t["click_hint"]}</p>
  </aside>
</main>
<section id="view-gaps" role="tabpanel" aria-labelledby="tab-gaps" hidden>
<p class="check"><input type="checkbox" id="show-fields">
<label for="show-fields">{t["show_fields"]}</label></p>
{matrix.to_html_table()}
</section>
<script type="application/json" id="netmap-data">{_script_json(data)}</script>
"""
    return document(text("title", lang), body, lang, asset("static/netmap.js"))
