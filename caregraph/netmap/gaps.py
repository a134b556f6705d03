"""The gap matrix: areas of the city against the four sectors (and fields of action).

Each cell holds the actors present in the area with that sector, counted as the stored
query ``sector_coverage_per_district`` counts them (see ``caregraph.netmap.model``); an
empty cell is a gap. With fields of action, a field's cell holds the actors responsible
for or taking part in a step of that field that concerns the area.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from caregraph.netmap.document import h, standalone_page
from caregraph.netmap.model import AREA_TYPES, SECTORS, Network
from caregraph.netmap.style import SECTOR_STYLES, text


@dataclass
class GapMatrix:
    """Areas (rows) against sectors and optionally fields of action (columns).

    Attributes:
        rows: ``(area IRI, label, area type IRI)`` per row, city first, then districts,
            localities and other areas, each by label.
        columns: sector IRIs, then field IRIs when asked for.
        cells: ``cells[i][j]``: the IRIs of the actors of row ``i`` in column ``j``, sorted.
        labels: labels of areas, sectors, fields, area types and actors in ``lang``.
        lang: the language of the labels.
    """

    rows: list[tuple[str, str, str]]
    columns: list[str]
    cells: list[list[list[str]]]
    labels: dict[str, str]
    lang: str

    def count(self, area: str, column: str) -> int:
        """The number of actors in one cell."""
        i = next(k for k, row in enumerate(self.rows) if row[0] == area)
        return len(self.cells[i][self.columns.index(column)])

    def grouped(self) -> Iterator[tuple[int, tuple[str, str, str], str | None]]:
        """Each row with its index and, where a new group of areas starts, its heading."""
        previous = None
        for i, row in enumerate(self.rows):
            heading = _type_heading(row[2], self.lang) if row[2] != previous else None
            previous = row[2]
            yield i, row, heading

    def missing(self, i: int) -> list[str]:
        """The sectors missing in row ``i`` (IRIs, in the fixed order)."""
        return [c for j, c in enumerate(self.columns) if c in SECTORS and not self.cells[i][j]]

    def to_csv(self) -> str:
        """One line per area: IRI, label, type, one count per column, missing sectors."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(
            ["area", "area_label", "area_type", *(self.labels[c] for c in self.columns), "missing"]
        )
        for i, (area, label, type_) in enumerate(self.rows):
            counts = [str(len(cell)) for cell in self.cells[i]]
            missing = "; ".join(self.labels[c] for c in self.missing(i))
            writer.writerow([area, label, self.labels.get(type_, type_), *counts, missing])
        return out.getvalue()

    def to_html_table(self) -> str:
        """The matrix as an HTML ``<table>`` (a fragment; styles in ``netmap.css``)."""
        lang = self.lang
        head = "".join(
            f'<th scope="col" class="{_column_class(c)}">{_column_head(self, c)}</th>'
            for c in self.columns
        )
        lines = [
            f'<table class="gaps" lang="{lang}"><caption>{h(text("gaps_caption", lang))}</caption>',
            f'<thead><tr><th scope="col">{h(text("area", lang))}</th>{head}</tr></thead>',
            "<tbody>",
        ]
        for i, (area, label, _), heading in self.grouped():
            if heading:
                lines.append(
                    f'<tr class="group"><th colspan="{len(self.columns) + 1}" scope="rowgroup">'
                    f"{h(heading)}</th></tr>"
                )
            cells = []
            for j, column in enumerate(self.columns):
                actors = self.cells[i][j]
                kind = _column_class(column)
                names = ", ".join(self.labels.get(a, a) for a in actors)
                if actors:
                    cells.append(
                        f'<td class="present {kind}" title="{h(names)}" '
                        f'data-area="{h(area)}" data-column="{h(column)}">'
                        f"{len(actors)}</td>"
                    )
                else:
                    cells.append(
                        f'<td class="empty {kind}" data-area="{h(area)}" '
                        f'data-column="{h(column)}" '
                        f'title="{h(text("gap", lang))}">'
                        f'<span aria-hidden="true">–</span>'
                        f'<span class="sr">{h(text("gap", lang))}</span></td>'
                    )
            lines.append(
                f'<tr data-area="{h(area)}"><th scope="row">{h(label)}</th>'
                + "".join(cells)
                + "</tr>"
            )
        lines.append("</tbody></table>")
        lines.append(f'<p class="gaps-note">{h(text("gaps_note", lang))}</p>')
        return "\n".join(lines)

    def to_html(self) -> str:
        """A complete, self-contained HTML page with the matrix."""
        return standalone_page(text("gaps_title", self.lang), self.to_html_table(), self.lang)

    def to_svg(self) -> str:
        """The matrix as an SVG image: counts in cells, gaps hatched and marked with a dash."""
        lang = self.lang
        label_w, cell_w, cell_h, head_h = 190, 92, 26, 74
        group_rows = len({t for _, _, t in self.rows})
        width = label_w + cell_w * len(self.columns) + 20
        height = head_h + cell_h * (len(self.rows) + group_rows) + 70
        out = [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, Arial, sans-serif" '
            f'font-size="12">',
            f"<title>{h(text('gaps_title', lang))}</title>",
            '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
            'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
            '<line x1="0" y1="0" x2="0" y2="6" stroke="#9a9a9a" stroke-width="2"/>'
            "</pattern></defs>",
            f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
            f'<text x="10" y="20" font-size="15" font-weight="bold">'
            f"{h(text('gaps_title', lang))}</text>",
        ]
        for j, column in enumerate(self.columns):
            x = label_w + j * cell_w
            style = SECTOR_STYLES.get(column)
            if style:
                out.append(
                    f'<rect x="{x + 4}" y="{head_h - 16}" width="{cell_w - 8}" height="10" '
                    f'fill="{style.colour}" stroke="#333" stroke-dasharray="{style.dasharray}"/>'
                )
            words = _wrap(self.labels.get(column, column), 14)[:3]
            for k, word in enumerate(words):
                y = head_h - 22 - (len(words) - 1 - k) * 13
                out.append(
                    f'<text x="{x + cell_w / 2}" y="{y}" text-anchor="middle">{h(word)}</text>'
                )
        y = head_h
        for i, (area, label, _), heading in self.grouped():
            if heading:
                out.append(f'<text x="10" y="{y + 18}" font-weight="bold">{h(heading)}</text>')
                y += cell_h
            out.append(f'<text x="18" y="{y + 17}">{h(label)}</text>')
            for j, column in enumerate(self.columns):
                x = label_w + j * cell_w
                n = len(self.cells[i][j])
                fill = "url(#hatch)" if n == 0 else "#ffffff"
                out.append(
                    f'<rect x="{x}" y="{y}" width="{cell_w}" height="{cell_h}" fill="{fill}" '
                    f'stroke="#444" stroke-width="1"><title>{h(area)} '
                    f"{h(self.labels.get(column, column))}: {n}</title></rect>"
                )
                shown = str(n) if n else "–"
                weight = "bold" if n else "normal"
                out.append(
                    f'<text x="{x + cell_w / 2}" y="{y + 17}" text-anchor="middle" '
                    f'font-weight="{weight}">{shown}</text>'
                )
            y += cell_h
        out.append(
            f'<rect x="10" y="{y + 16}" width="18" height="14" fill="url(#hatch)" stroke="#444"/>'
            f'<text x="34" y="{y + 27}">– = {h(text("gap", lang))}; '
            f"{h(text('gaps_legend_count', lang))}</text>"
        )
        out.append("</svg>")
        return "\n".join(out) + "\n"


def _wrap(words: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in words.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _column_class(column: str) -> str:
    return "sector " + column.rsplit("/", 1)[-1] if column in SECTORS else "field"


def _column_head(matrix: GapMatrix, column: str) -> str:
    label = h(matrix.labels.get(column, column))
    style = SECTOR_STYLES.get(column)
    if style is None:
        return label
    return f'<span class="swatch {column.rsplit("/", 1)[-1]}" aria-hidden="true"></span>{label}'


def _type_heading(type_: str, lang: str) -> str:
    key = {
        AREA_TYPES[0]: "type_city",
        AREA_TYPES[1]: "type_districts",
        AREA_TYPES[2]: "type_localities",
    }.get(type_, "type_other")
    return text(key, lang)


def matrix_of(network: Network, *, fields: bool = False) -> GapMatrix:
    """Count the actors of each sector (and field of action) present in each area.

    Args:
        network: the network read by ``load_network``.
        fields: also a column per field of action.
    """
    columns = list(SECTORS) + (list(network.fields) if fields else [])
    steps = {n.id: n for n in network.nodes if n.group == "step"}
    rows, cells = [], []
    for area in network.areas:
        rows.append((area.id, area.label, area.type))
        row: list[list[str]] = []
        for column in columns:
            if column in SECTORS:
                actors = [a.id for a in network.actors if a.sector == column and area.id in a.areas]
            else:
                actors = [
                    a.id
                    for a in network.actors
                    if any(
                        link.step in steps
                        and area.id in steps[link.step].areas
                        and column in steps[link.step].fields
                        for link in a.links
                    )
                ]
            row.append(sorted(actors))
        cells.append(row)
    labels = dict(network.labels)
    for column in columns:
        labels[column] = network.label(column)
    for node in network.nodes:
        labels[node.id] = node.label
    return GapMatrix(rows, columns, cells, labels, network.lang)
