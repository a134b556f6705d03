"""Spreadsheet templates: a workbook a person fills in without reading documentation.

An ``.xlsx`` template has an explanation sheet (each column: meaning, required, example,
allowed values), the data sheet (headers in German or English, drop-down lists drawn from
the graph's SKOS schemes, areas and resources, and with ``filled`` the resources already
in the graph), a sheet of example rows and a hidden sheet with the lists. ``.ods`` has the
same sheets and drop-downs; ``.csv`` is the data sheet alone (UTF-8 with byte-order mark,
semicolons: what Excel opens by double-click in a German locale).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import rdflib
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCTERMS

from caregraph.cells import protect
from caregraph.datafiles import PathLike
from caregraph.errors import UsageError
from caregraph.loading import cached_ontology, load_graph
from caregraph.namespaces import compact
from caregraph.outfile import write_atomic
from caregraph.sheets.importing import IMPORT_PREFIX
from caregraph.sheets.mapping import ColumnSpec, SheetMapping, mapping_for
from caregraph.sheets.matching import Resolver

TEMPLATE_SUFFIXES = (".xlsx", ".ods", ".csv")

_SHEETS = {
    "explanation": {"de": "Erläuterung", "en": "Explanation"},
    "examples": {"de": "Beispiele", "en": "Examples"},
    "lists": {"de": "Listen", "en": "Lists"},
}
_EXPLANATION_HEADER = {
    "de": ["Spalte", "Bedeutung", "Pflicht", "Beispiel", "Erlaubte Werte"],
    "en": ["Column", "Meaning", "Required", "Example", "Allowed values"],
}
_INTRO = {
    "de": "Trage im Blatt „{sheet}“ je Eintrag eine Zeile ein. Mehrere Werte in einer Zelle "
    "trennst du mit ;. Namen dürfen deutsch oder englisch, als Abkürzung oder als IRI "
    "geschrieben werden. Danach: caregraph import DATEI.",
    "en": "Enter one row per entry in the sheet „{sheet}“. Separate several values in one "
    "cell with ;. Names may be German or English, an abbreviation or an IRI. Then: "
    "caregraph import FILE.",
}
_YES = {"de": ("ja", "nein"), "en": ("yes", "no")}
_SEE_LIST = {"de": "Auswahlliste im Blatt „{sheet}“", "en": "drop-down, see sheet „{sheet}“"}


@dataclass
class Template:
    """The content of a template, before it is written in some format.

    Attributes:
        mapping: the kind of sheet.
        lang: language of headers and explanations.
        header: the column titles.
        rows: the data rows (the graph's resources when filled).
        examples: example rows.
        lists: the allowed values per column name (for drop-downs).
    """

    mapping: SheetMapping
    lang: str
    header: list[str]
    rows: list[list[str]]
    examples: list[list[str]]
    lists: dict[str, list[str]]

    def explanation(self) -> list[list[str]]:
        """One row per column: title, meaning, required, example, allowed values."""
        yes, no = _YES[self.lang]
        lists_title = _SHEETS["lists"][self.lang]
        out = []
        for column in self.mapping.columns:
            allowed = ""
            if column.name in self.lists:
                values = self.lists[column.name]
                allowed = (
                    ", ".join(values)
                    if len(values) <= 12
                    else _SEE_LIST[self.lang].format(sheet=lists_title)
                )
            out.append(
                [
                    column.title(self.lang),
                    column.description.get(self.lang, ""),
                    yes if column.required else no,
                    column.example.get(self.lang, ""),
                    allowed,
                ]
            )
        return out

    def intro(self) -> str:
        """The sentence above the explanation."""
        return _INTRO[self.lang].format(sheet=self.mapping.title(self.lang))


def build_template(
    kind: str,
    *,
    lang: str = "de",
    filled: bool = False,
    data: Iterable[PathLike] | None = None,
) -> Template:
    """The content of the template for ``kind``.

    Args:
        kind: ``actors``, ``measures`` ... (see ``caregraph.sheets.mapping.kinds``).
        lang: language of headers, explanations and names in the lists.
        filled: add a row per resource of this kind in the graph.
        data: the graph (default: the bundled one).
    """
    mapping = mapping_for(kind)
    graph = load_graph(data)
    world = graph + cached_ontology()
    resolver = Resolver(world)
    lists: dict[str, list[str]] = {}
    for column in mapping.columns:
        if column.lookup is None or column.lookup.get("any"):
            continue
        lookup = {**column.lookup, "type": True} if column.type_column else column.lookup
        lists[column.name] = resolver.choices(lookup, lang)
    rows = _rows(mapping, graph, world, resolver, lang) if filled else []
    examples = [[column.example.get(lang, "") for column in mapping.columns]]
    header = [column.title(lang) for column in mapping.columns]
    return Template(mapping, lang, header, rows, examples, lists)


def _rows(
    mapping: SheetMapping,
    graph: rdflib.Graph,
    world: rdflib.Graph,
    resolver: Resolver,
    lang: str,
) -> list[list[str]]:
    """One row per resource of the kind in ``graph``: every mapped statement in its cell."""
    resources = sorted(
        {
            r
            for r in graph.subjects(RDF.type, None)
            if isinstance(r, URIRef)
            and not str(r).startswith(IMPORT_PREFIX)
            and any(t in mapping.classes for t in graph.objects(r, RDF.type))
        }
    )
    rows = []
    for resource in resources:
        rows.append([_cell(column, resource, graph, resolver, lang) for column in mapping.columns])
    return rows


def _cell(
    column: ColumnSpec, resource: URIRef, graph: rdflib.Graph, resolver: Resolver, lang: str
) -> str:
    if column.prop is None:
        return compact(str(resource))
    if column.inverse:
        values = list(graph.subjects(column.prop, resource))
    else:
        values = list(graph.objects(resource, column.prop))
    if column.prop == DCTERMS.source:
        values = [v for v in values if not str(v).startswith(IMPORT_PREFIX)]
    if column.lang:
        values = [v for v in values if isinstance(v, Literal) and v.language == column.lang]
    texts = []
    for value in values:
        if isinstance(value, URIRef) and (column.lookup is not None):
            lookup = {**column.lookup, "type": True} if column.type_column else column.lookup
            texts.append(resolver.display(value, lang, lookup))
        else:
            texts.append(str(value))
    texts.sort(key=str.casefold)
    separator = f"{column.separator} " if column.separator else " "
    return separator.join(texts)


def write_template(template: Template, path: PathLike) -> None:
    """Write ``template`` as .xlsx, .ods or .csv (by the extension), atomically.

    Raises:
        UsageError: the extension is none of these.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        text = io.StringIO()
        writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
        writer.writerow(template.header)
        writer.writerows(protect_row(r) for r in template.rows)
        write_atomic(path, "\ufeff" + text.getvalue())
        return
    if suffix not in TEMPLATE_SUFFIXES:
        raise UsageError(
            f"{path}: templates are written as {', '.join(TEMPLATE_SUFFIXES)}; choose one of "
            "these extensions."
        )
    buffer = io.BytesIO()
    (_xlsx if suffix == ".xlsx" else _ods)(template, buffer)
    write_atomic(path, buffer.getvalue())


def protect_row(row: list[str]) -> list[str]:
    """Cells as Excel shows them as text: see ``caregraph.cells.protect``."""
    return [protect(c) for c in row]


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def _xlsx(template: Template, target: io.BytesIO) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    lang = template.lang
    book = Workbook()
    explanation = book.active
    assert explanation is not None
    explanation.title = _SHEETS["explanation"][lang]
    explanation.append([template.intro()])
    explanation.append([])
    explanation.append(_EXPLANATION_HEADER[lang])
    for cell in explanation[3]:
        cell.font = Font(bold=True)
    for row in template.explanation():
        _append_text(explanation, row)
    for letter, width in zip("ABCDE", (26, 60, 9, 36, 50), strict=True):
        explanation.column_dimensions[letter].width = width
        for cell in explanation[letter]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    data = book.create_sheet(template.mapping.title(lang))
    examples = book.create_sheet(_SHEETS["examples"][lang])
    lists = book.create_sheet(_SHEETS["lists"][lang])
    lists.sheet_state = "hidden"
    for sheet, rows in ((data, template.rows), (examples, template.examples)):
        sheet.append(template.header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            _append_text(sheet, row)
        sheet.freeze_panes = "A2"
        for index, column in enumerate(template.mapping.columns, start=1):
            sheet.column_dimensions[_column_letter(index)].width = max(
                14, min(40, len(column.title(lang)) + 4)
            )
    last_row = max(len(template.rows) + 1, 1000)
    list_index = 0
    for index, column in enumerate(template.mapping.columns, start=1):
        values = template.lists.get(column.name)
        if not values:
            continue
        list_index += 1
        letter = _column_letter(list_index)
        lists.cell(row=1, column=list_index, value=column.title(lang))
        for number, value in enumerate(values, start=2):
            lists.cell(row=number, column=list_index, value=value).data_type = "s"
        quoted = lists.title.replace("'", "''")
        validation = DataValidation(
            type="list",
            formula1=f"='{quoted}'!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            # Several values per cell (a; b) are allowed: warn instead of refusing them.
            errorStyle="warning" if column.separator else "stop",
            errorTitle=column.title(lang),
            error=column.description.get(lang, ""),
            promptTitle=column.title(lang),
            prompt=column.description.get(lang, "")[:255],
            showInputMessage=True,
        )
        cells = _column_letter(index)
        validation.add(f"{cells}2:{cells}{last_row}")
        data.add_data_validation(validation)
    book.active = 1
    book.save(target)


def _append_text(sheet: Any, row: list[str]) -> None:
    """Append a row whose cells are text, even where one starts with ``=`` (never a formula)."""
    sheet.append(row)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def _ods(template: Template, target: io.BytesIO) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style, TableColumnProperties, TextProperties
    from odf.table import (
        ContentValidation,
        ContentValidations,
        ErrorMessage,
        Table,
        TableCell,
        TableColumn,
        TableRow,
    )
    from odf.text import P

    lang = template.lang
    document = OpenDocumentSpreadsheet()
    bold = Style(name="bold", family="table-cell")
    bold.addElement(TextProperties(fontweight="bold"))
    wide = Style(name="wide", family="table-column")
    wide.addElement(TableColumnProperties(columnwidth="5cm"))
    document.automaticstyles.addElement(bold)
    document.automaticstyles.addElement(wide)

    validations = ContentValidations()
    names: dict[str, str] = {}
    for column in template.mapping.columns:
        values = template.lists.get(column.name)
        if not values:
            continue
        name = f"list-{column.name}"
        items = ";".join('"' + v.replace('"', '""') + '"' for v in values)
        validation = ContentValidation(
            name=name,
            condition=f"of:cell-content-is-in-list({items})",
            allowemptycell="true",
            displaylist="unsorted",
        )
        message = ErrorMessage(
            display="true",
            # Several values per cell (a; b) are allowed: warn instead of refusing them.
            messagetype="warning" if column.separator else "stop",
            title=column.title(lang),
        )
        message.addElement(P(text=column.description.get(lang, "")))
        validation.addElement(message)
        validations.addElement(validation)
        names[column.name] = name
    document.spreadsheet.addElement(validations)

    def table(title: str, rows: list[list[str]], header: list[str] | None, drop: bool) -> None:
        sheet = Table(name=title)
        width = max([len(header or [])] + [len(r) for r in rows] + [1])
        sheet.addElement(TableColumn(numbercolumnsrepeated=width, stylename=wide))
        if header is not None:
            row = TableRow()
            for text in header:
                cell = TableCell(valuetype="string", stylename=bold)
                cell.addElement(P(text=text))
                row.addElement(cell)
            sheet.addElement(row)
        for values in rows + ([[""] * width] * 200 if drop else []):
            row = TableRow()
            for index, text in enumerate(values):
                attributes = {}
                column = template.mapping.columns[index] if drop else None
                if column is not None and column.name in names:
                    attributes["contentvalidationname"] = names[column.name]
                cell = (
                    TableCell(valuetype="string", **attributes) if text else TableCell(**attributes)
                )
                if text:
                    cell.addElement(P(text=text))
                row.addElement(cell)
            sheet.addElement(row)
        document.spreadsheet.addElement(sheet)

    explanation = [[template.intro()], [], _EXPLANATION_HEADER[lang], *template.explanation()]
    table(_SHEETS["explanation"][lang], explanation, None, False)
    table(template.mapping.title(lang), template.rows, template.header, True)
    table(_SHEETS["examples"][lang], template.examples, template.header, False)
    document.save(target)
