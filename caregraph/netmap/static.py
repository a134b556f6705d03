"""The static map (SVG or PNG) through Graphviz, and Graphviz positions for the page.

Needs Graphviz's programs (Debian package ``graphviz``); the ``graphviz`` package from
PyPI writes the DOT text and runs them.
"""

from __future__ import annotations

import graphviz

from caregraph.errors import MissingProgramError
from caregraph.netmap.model import RELATIONS, SECTORS, Network
from caregraph.netmap.style import (
    KIND_SHAPES,
    NO_SECTOR,
    RELATION_STYLES,
    SECTOR_STYLES,
    text,
)
from caregraph.textsafe import for_xml

#: Static formats: name to Graphviz output format.
STATIC_FORMATS = {"svg": "svg", "png": "png"}

#: Up to this many nodes, neato with curved edges around the nodes; above it, sfdp with
#: straight edges (neato's edge routing grows much faster than linearly with the graph).
LARGE = 150
_FONT = "DejaVu Sans"


class GraphvizMissing(MissingProgramError):
    """Graphviz's programs are not installed (exit code 2)."""


def short_label(label: str, width: int = 20, lines: int = 3) -> str:
    """``label`` wrapped to ``width`` characters, cut after ``lines`` lines with an ellipsis."""
    out: list[str] = []
    for word in label.split():
        if out and len(out[-1]) + 1 + len(word) <= width:
            out[-1] += " " + word
        else:
            out.append(word)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: width - 1] + "…"
    return "\n".join(out)


def _graph(network: Network, *, legend: bool, title: str | None) -> graphviz.Digraph:
    """The network as a Graphviz graph (node names n0, n1, ... in the network's order)."""
    large = len(network.nodes) > LARGE
    g = graphviz.Digraph("netmap", engine="sfdp" if large else "neato")
    g.attr(
        overlap="prism",
        sep="+4",
        splines="line" if large else "true",
        outputorder="edgesfirst",
        fontname=_FONT,
        bgcolor="white",
        pad="0.3",
        esep="+2",
    )
    if title:
        g.attr(label=title, labelloc="t", fontsize="20")
    g.attr("node", fontname=_FONT, fontsize="10", style="filled", penwidth="2")
    g.attr("edge", fontname=_FONT, fontsize="8", len="0.6")
    names = {n.id: f"n{i}" for i, n in enumerate(network.nodes)}
    for n in network.nodes:
        shape = KIND_SHAPES.get(n.kind, ("ellipse", "ellipse"))[1]
        attrs = {
            "shape": shape,
            "label": for_xml(short_label(n.label, lines=99 if n.group == "actor" else 2)),
            "tooltip": for_xml(n.label),
            "id": names[n.id],
        }
        if n.group == "actor":
            s = SECTOR_STYLES.get(n.sector or "", NO_SECTOR)
            attrs |= {
                "fillcolor": s.colour,
                "style": f"filled,{s.dot_style}"
                + (",rounded" if shape == "box" and n.kind.endswith("StakeholderGroup") else ""),
                "peripheries": str(s.peripheries),
                "width": "0.4",
                "height": "0.4",
                "fixedsize": "false",
            }
            if s.colour in ("#0072B2", "#CC79A7"):
                attrs["fontcolor"] = "white"
        else:
            attrs |= {
                "fillcolor": "white",
                "color": "#666666",
                "fontsize": "8",
                "penwidth": "1",
                "fontname": f"{_FONT} Oblique",
            }
        g.node(names[n.id], **attrs)
    for e in network.edges:
        style = RELATION_STYLES[e.relation]
        attrs = {
            "color": style.colour,
            "style": style.line + (",bold" if style.width >= 3 else ""),
            "arrowhead": style.dot_arrow,
            "penwidth": str(style.width),
        }
        if e.role:
            attrs["label"] = for_xml(network.label(e.role))
            attrs["fontcolor"] = "#7a3100"
        if e.certainty and e.certainty.endswith("unconfirmed"):
            attrs["style"] = "dashed"
            attrs["label"] = attrs.get("label", "") + " (?)"
        g.edge(names[e.source], names[e.target], **attrs)
    if legend:
        g.subgraph(_legend(network))
    return g


def _legend(network: Network) -> graphviz.Digraph:
    """A legend as an HTML-like label table in a node of its own."""
    lang = network.lang
    rows = [f'<TR><TD COLSPAN="2" ALIGN="LEFT"><B>{_esc(text("legend", lang))}</B></TD></TR>']
    for sector in SECTORS:
        s = SECTOR_STYLES[sector]
        border = {"solid": "", "dashed": ' STYLE="dashed"', "dotted": ' STYLE="dotted"'}
        rows.append(
            f'<TR><TD BGCOLOR="{s.colour}" WIDTH="24" BORDER="{s.peripheries + 1}"'
            f"{border.get(s.dot_style, '')}> </TD>"
            f'<TD ALIGN="LEFT">{_esc(network.label(sector))}</TD></TR>'
        )
    rows.append(
        f'<TR><TD BGCOLOR="white" BORDER="1"> </TD><TD ALIGN="LEFT">'
        f"{_esc(text('no_sector', lang))}</TD></TR>"
    )
    kinds = list(dict.fromkeys(n.kind for n in network.nodes))
    kinds.sort(key=lambda k: list(KIND_SHAPES).index(k) if k in KIND_SHAPES else 99)
    rows.append(f'<TR><TD COLSPAN="2" ALIGN="LEFT"><B>{_esc(text("kinds", lang))}</B></TD></TR>')
    for kind in kinds:
        page_shape, shape = KIND_SHAPES.get(kind, ("ellipse", "ellipse"))
        word = text("shape_rounded" if page_shape == "round-rectangle" else f"shape_{shape}", lang)
        rows.append(
            f'<TR><TD COLSPAN="2" ALIGN="LEFT">{_esc(network.label(kind))}: {_esc(word)}</TD></TR>'
        )
    rows.append(
        f'<TR><TD COLSPAN="2" ALIGN="LEFT"><B>{_esc(text("relations", lang))}</B></TD></TR>'
    )
    for relation in RELATIONS:
        style = RELATION_STYLES[relation]
        rows.append(
            f'<TR><TD BORDER="0"><FONT COLOR="{style.colour}">'
            f"{_esc(_line_word(style.line, style.dot_arrow))}</FONT></TD>"
            f'<TD ALIGN="LEFT">{_esc(text(relation, lang))}</TD></TR>'
        )
    table = (
        '<<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="2" CELLPADDING="2" BGCOLOR="white">'
        + "".join(rows)
        + "</TABLE>>"
    )
    legend = graphviz.Digraph("cluster_legend")
    legend.attr(style="invis")
    legend.node("legend", label=table, shape="plaintext", style="", fontsize="9", id="legend")
    return legend


def _line_word(line: str, arrow: str) -> str:
    body = {"solid": "───", "dashed": "- - -", "dotted": "·····"}[line]
    return body + ("▶" if arrow not in ("none",) else "")


def _esc(value: str) -> str:
    return for_xml(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_static(
    network: Network, fmt: str = "svg", *, title: str | None = None, legend: bool = True
) -> bytes:
    """Draw the network with Graphviz.

    Args:
        network: the (possibly filtered) network.
        fmt: ``"svg"`` or ``"png"``.
        title: a title above the map (default: the map's title in the network's language).
        legend: draw the legend.

    Raises:
        GraphvizMissing: Graphviz's programs are not installed.
    """
    g = _graph(network, legend=legend, title=title or text("static_title", network.lang))
    try:
        return g.pipe(format=STATIC_FORMATS[fmt], quiet=True)
    except graphviz.ExecutableNotFound as exc:
        raise GraphvizMissing(
            "Graphviz is not installed, so no static map can be drawn. Install it "
            "(Debian/Ubuntu: apt install graphviz; macOS: brew install graphviz), or write "
            "the interactive map instead (caregraph map -o map.html)."
        ) from exc


def graphviz_positions(network: Network) -> dict[str, tuple[float, float]] | None:
    """Node positions (points, y downwards) from Graphviz, or None if it is not installed."""
    g = _graph(network, legend=False, title=None)
    try:
        plain = g.pipe(format="plain", quiet=True).decode("utf-8")
    except (graphviz.ExecutableNotFound, graphviz.CalledProcessError):
        return None
    ids = {f"n{i}": n.id for i, n in enumerate(network.nodes)}
    height = 0.0
    positions: dict[str, tuple[float, float]] = {}
    for line in plain.splitlines():
        parts = line.split(" ")
        if parts[0] == "graph":
            height = float(parts[3])
        elif parts[0] == "node" and parts[1] in ids:
            x, y = float(parts[2]), float(parts[3])
            positions[ids[parts[1]]] = (round(x * 72, 1), round((height - y) * 72, 1))
    return positions
