"""Turning spreadsheet rows into validated Turtle.

Each row becomes one resource (its IRI from the ``ID`` column, else from an existing
resource of that kind with the same German name, else derived from the name), each cell a
statement as the sheet's mapping says (``caregraph.sheets.mapping``). Every imported
resource names the row it came from as a source: ``dd:import-<file>-<sheet>-row-<n>``, a
``cg:Source`` that is part of ``dd:import-<file>``, which records the file and the import
date. Problems are findings (sheet, row, column, value, hint) in the validation report
formats; the result is checked with the SHACL shapes and rule checks against the graph it
joins, and nothing is written while anything is wrong unless ``partial`` is asked for.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from rdflib import RDF, RDFS, XSD, Literal, URIRef
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from caregraph.datafiles import PathLike
from caregraph.errors import UsageError
from caregraph.loading import cached_ontology, load_graph
from caregraph.namespaces import CG, DD, is_safe_iri
from caregraph.sheets.mapping import DATATYPES, ColumnSpec, SheetMapping, mapping_for, mappings
from caregraph.sheets.matching import Resolver, Unresolved, new_iri, slug
from caregraph.sheets.reading import MAX_SHEET_BYTES, CellValue, Sheet, Uncomputed, read_workbook
from caregraph.validation import validate
from caregraph.validation.findings import Finding, ValidationReport

#: Import sources (file and row records) have IRIs starting with this.
IMPORT_PREFIX = str(DD) + "import-"

#: Sheets of a template that hold no data.
AUX_SHEETS = {"erläuterung", "explanation", "beispiele", "examples", "listen", "lists"}

_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$")

_TEXTS: dict[str, dict[str, str]] = {
    "where": {"de": "Blatt „{sheet}“, Zeile {row}", "en": "Sheet „{sheet}“, row {row}"},
    "column": {"de": ", Spalte „{column}“", "en": ", column „{column}“"},
    "required": {
        "de": "Der Wert fehlt; die Spalte ist Pflicht.",
        "en": "The value is missing; the column is required.",
    },
    "required-hint": {
        "de": "Trage einen Wert ein. {description}",
        "en": "Enter a value. {description}",
    },
    "unknown": {
        "de": "„{value}“ benennt nichts Passendes im Graphen.",
        "en": "„{value}“ names nothing suitable in the graph.",
    },
    "ambiguous": {
        "de": "„{value}“ benennt mehrere Ressourcen: {names}.",
        "en": "„{value}“ names several resources: {names}.",
    },
    "closest": {"de": "Am ähnlichsten: {names}.", "en": "Closest: {names}."},
    "unknown-hint": {
        "de": "Gib einen Namen (deutsch oder englisch), eine Abkürzung oder die IRI an.",
        "en": "Give a name (German or English), an abbreviation or the IRI.",
    },
    "german-date": {
        "de": "„{value}“ ist ein Datum in deutscher Schreibweise.",
        "en": "„{value}“ is a date in German notation.",
    },
    "german-date-hint": {
        "de": "Schreibe es als {iso} (JJJJ-MM-TT) oder formatiere die Zelle als Datum.",
        "en": "Write it as {iso} (YYYY-MM-DD), or format the cell as a date.",
    },
    "bad-value": {
        "de": "„{value}“ ist kein gültiger Wert vom Typ {datatype}.",
        "en": "„{value}“ is not a valid {datatype}.",
    },
    "bad-value-hint": {"de": "Erwartet: {expected}.", "en": "Expected: {expected}."},
    "formula": {
        "de": "Die Zelle enthält die Formel {value} ohne gespeichertes Ergebnis.",
        "en": "The cell holds the formula {value} without a stored result.",
    },
    "formula-hint": {
        "de": "caregraph berechnet keine Formeln: trage den Wert selbst ein, oder öffne und "
        "speichere die Datei in Excel/LibreOffice.",
        "en": "caregraph never computes formulas: type the value, or open and save the file "
        "in Excel/LibreOffice.",
    },
    "duplicate": {
        "de": "Die Zeile beschreibt dieselbe Ressource wie Zeile {other}.",
        "en": "The row describes the same resource as row {other}.",
    },
    "duplicate-hint": {
        "de": "Fasse die Zeilen zusammen oder gib ihnen verschiedene Namen.",
        "en": "Merge the rows, or give them different names.",
    },
    "missing-column": {
        "de": "Die Pflichtspalte „{column}“ fehlt.",
        "en": "The required column „{column}“ is missing.",
    },
    "missing-column-hint": {
        "de": "Füge die Spalte hinzu (Überschrift „{de}“ oder „{en}“), z. B. aus "
        "`caregraph template {kind}`.",
        "en": "Add the column (header „{de}“ or „{en}“), e.g. from `caregraph template {kind}`.",
    },
    "unknown-column": {
        "de": "Die Spalte „{column}“ gehört nicht zur Vorlage „{kind}“ und wird ignoriert.",
        "en": "The column „{column}“ is not part of the template „{kind}“ and is ignored.",
    },
    "unknown-column-hint": {
        "de": "Meintest du „{closest}“? Sonst entferne die Spalte.",
        "en": "Did you mean „{closest}“? Otherwise remove the column.",
    },
    "extra-cells": {
        "de": "Die Zeile hat {cells} Zellen, die Kopfzeile nur {columns} Spalten.",
        "en": "The row has {cells} cells, the header only {columns} columns.",
    },
    "extra-cells-hint": {
        "de": "Wahrscheinlich steht ein Trennzeichen (; oder ,) ungeschützt in einer Zelle und "
        "verschiebt die Zellen danach: setze solche Zellen in Anführungszeichen.",
        "en": "Probably a separator (; or ,) stands unquoted in a cell and shifts the cells "
        "after it: put such cells in quotes.",
    },
    "bad-id": {
        "de": "„{value}“ ist keine IRI und kein dd:-Name.",
        "en": "„{value}“ is neither an IRI nor a dd: name.",
    },
    "bad-id-hint": {
        "de": "Lass die ID leer (caregraph bildet sie aus dem Namen) oder schreibe dd:kurzer-name.",
        "en": "Leave the ID empty (caregraph derives it from the name) or write dd:short-name.",
    },
    "macros": {
        "de": "Die Arbeitsmappe enthält Makros; sie wurden ignoriert "
        "(nie gelesen oder ausgeführt).",
        "en": "The workbook contains macros; they were ignored (never read or run).",
    },
    "row-label": {
        "de": "Zeile {row} des Blatts „{sheet}“ in {file}",
        "en": "Row {row} of sheet „{sheet}“ in {file}",
    },
    "file-label": {"de": "Tabellenimport {file}", "en": "Spreadsheet import {file}"},
}


def _t(key: str, lang: str, **values: object) -> str:
    texts = _TEXTS[key]
    return (texts.get(lang) or texts["en"]).format(**values)


@dataclass
class RowRecord:
    """Where an imported resource came from."""

    sheet: str
    row: int
    label: str


@dataclass
class ImportResult:
    """What an import produced.

    Attributes:
        graph: the statements to write: imported resources and their provenance (empty
            when nothing may be written).
        report: every problem, as findings of the ``import`` layer (plus the shapes and
            rules layers on the imported resources).
        resources: the imported resources and the rows they came from.
        rows: how many data rows were read.
        written: how many of them made it into ``graph``.
    """

    graph: rdflib.Graph
    report: ValidationReport
    resources: dict[URIRef, RowRecord] = field(default_factory=dict)
    rows: int = 0
    written: int = 0


@dataclass
class _Row:
    sheet: Sheet
    mapping: SheetMapping
    number: int
    cells: dict[str, CellValue]
    columns: dict[str, int]
    iri: URIRef | None = None
    classes: list[URIRef] = field(default_factory=list)
    bad: bool = False
    triples: list[tuple[Node, Node, Node]] = field(default_factory=list)


class _Importer:
    def __init__(self, path: Path, base: rdflib.Graph, lang: str, today: datetime.date) -> None:
        self.path = path
        self.lang = lang
        self.today = today
        self.base = base
        self.resolver = Resolver(base)
        self.findings: list[Finding] = []
        self.read = 0  # data rows read, also of sheets that could not be imported

    # -- findings -------------------------------------------------------------------------

    def problem(
        self,
        row: _Row | None,
        sheet: Sheet,
        key: str,
        *,
        column: ColumnSpec | None = None,
        column_title: str | None = None,
        value: object = None,
        hint: str = "",
        severity: str = "error",
        line: int | None = None,
        **values: object,
    ) -> None:
        number = row.number if row else (line or sheet.header_row)
        where = _t("where", self.lang, sheet=sheet.name, row=number)
        title = column_title or (column.title(self.lang) if column else None)
        if title:
            where += _t("column", self.lang, column=title)
        position = None
        if row is not None and column is not None and column.name in row.columns:
            position = row.columns[column.name] + 1
        self.findings.append(
            Finding(
                severity=severity,
                focus=str(row.iri) if row is not None and row.iri else "",
                focus_label=None if row is None else _text(row.cells.get("label_de")),
                path=str(column.prop) if column is not None and column.prop else None,
                value=None if value is None else _text(value),
                message=f"{where}: "
                + _t(key, self.lang, value=_text(value), column=title or "", **values),
                shape="import",
                layer="import",
                file=self.path,
                line=number,
                column=position,
                hint=hint,
                rule=f"import/{key}",
            )
        )
        if row is not None and severity == "error":
            row.bad = True

    # -- reading rows ---------------------------------------------------------------------

    def rows_of(self, sheet: Sheet, mapping: SheetMapping) -> list[_Row]:
        columns: dict[str, int] = {}
        titles = {_norm(t): c for c in mapping.columns for t in (*c.titles.values(), c.name)}
        for index, header in enumerate(sheet.header):
            if not header:
                continue
            spec = titles.get(_norm(header))
            if spec is None:
                known = [c.title(self.lang) for c in mapping.columns]
                # "Name" for „Name (deutsch)“: a header that a column's title starts with
                close = [k for k in known if _norm(k).startswith(_norm(header))][:1]
                close = close or difflib.get_close_matches(header, known, n=1, cutoff=0.5)
                self.problem(
                    None,
                    sheet,
                    "unknown-column",
                    column_title=header,
                    severity="warning",
                    column=None,
                    kind=mapping.kind,
                    hint=_t("unknown-column-hint", self.lang, closest=close[0]) if close else "",
                )
                continue
            columns.setdefault(spec.name, index)
        missing = [c for c in mapping.columns if c.required and c.name not in columns]
        for column in missing:
            self.problem(
                None,
                sheet,
                "missing-column",
                column=column,
                hint=_t(
                    "missing-column-hint",
                    self.lang,
                    de=column.title("de"),
                    en=column.title("en"),
                    kind=mapping.kind,
                ),
            )
        self.read += len(sheet.rows)
        if missing:
            return []
        rows = []
        width = len(sheet.header)
        for number, cells in sheet.rows:
            values = {name: cells[i] if i < len(cells) else None for name, i in columns.items()}
            row = _Row(sheet, mapping, number, values, columns)
            if any(_text(c) for c in cells[width:]):
                # an unquoted separator in a CSV cell shifts every cell after it
                self.problem(
                    row,
                    sheet,
                    "extra-cells",
                    column=None,
                    cells=len(cells),
                    columns=width,
                    hint=_t("extra-cells-hint", self.lang),
                )
            rows.append(row)
        return rows

    def identify(self, row: _Row, seen: dict[URIRef, _Row]) -> None:
        """Pass 1: the row's IRI and classes, so that other rows may name it."""
        mapping = row.mapping
        label = _text(row.cells.get("label_de"))
        given = _text(row.cells.get("id"))
        if given:
            iri = self.resolver.as_iri(given)
            if iri is None and re.fullmatch(r"[a-z0-9][a-z0-9\-]*", given):
                iri = DD[given]
            if iri is None:
                self.problem(
                    row,
                    row.sheet,
                    "bad-id",
                    column=mapping.column("id"),
                    value=given,
                    hint=_t("bad-id-hint", self.lang),
                )
                return
            row.iri = iri
        elif label:
            same = self.resolver.named(label, {"class": [str(c) for c in mapping.classes]})
            row.iri = same[0] if len(same) == 1 else new_iri(mapping.iri_prefix, label)
        else:
            return  # reported as a missing label in pass 2
        if row.iri in seen:
            other = seen[row.iri]
            self.problem(
                row,
                row.sheet,
                "duplicate",
                hint=_t("duplicate-hint", self.lang),
                other=other.number,
            )
            return
        seen[row.iri] = row
        type_column = mapping.type_column
        row.classes = [mapping.classes[0]]
        if type_column is not None and row.cells.get("type") in (None, ""):
            self.missing(row, type_column)
        elif type_column is not None:
            assert type_column.lookup is not None
            found = self.resolver.resolve(
                _text(row.cells["type"]), {**type_column.lookup, "type": True}
            )
            if isinstance(found, URIRef):
                row.classes = [found]
            else:
                self.unresolved(row, type_column, found)
        names = [_text(row.cells.get(n)) for n in ("label_de", "label_en")]
        self.resolver.add_resource(row.iri, row.classes, [n for n in names if n])

    def describe(self, row: _Row) -> None:
        """Pass 2: one statement per cell value."""
        for column in row.mapping.columns:
            if column.prop is None or column.type_column:
                continue
            raw = row.cells.get(column.name)
            if raw is None or raw == "":
                if column.required and (column.name in row.columns or row.iri is not None):
                    self.missing(row, column)
                continue
            if isinstance(raw, Uncomputed):
                self.problem(
                    row,
                    row.sheet,
                    "formula",
                    column=column,
                    value=str(raw),
                    hint=_t("formula-hint", self.lang),
                )
                continue
            parts: list[CellValue] = [raw]
            if column.separator and isinstance(raw, str):
                parts = [p.strip() for p in raw.split(column.separator) if p.strip()]
            for part in parts:
                term = self.term(row, column, part)
                if term is None or row.iri is None:
                    continue
                if column.inverse:
                    row.triples.append((term, column.prop, row.iri))
                else:
                    row.triples.append((row.iri, column.prop, term))
        if row.iri is not None:
            for cls in row.classes:
                row.triples.append((row.iri, RDF.type, cls))

    def term(self, row: _Row, column: ColumnSpec, value: CellValue) -> Node | None:
        if column.lookup is not None:
            found = self.resolver.resolve(_text(value), column.lookup)
            if isinstance(found, Unresolved):
                self.unresolved(row, column, found)
                return None
            return found
        if column.lang:
            return Literal(_text(value), lang=column.lang)
        datatype = column.datatype or "string"
        literal = _literal(value, datatype)
        if literal is not None:
            return literal
        german = _GERMAN_DATE.match(_text(value))
        if datatype == "date" and german:
            day, month, year = german.groups()
            year = year if len(year) == 4 else "20" + year
            self.problem(
                row,
                row.sheet,
                "german-date",
                column=column,
                value=value,
                hint=_t(
                    "german-date-hint",
                    self.lang,
                    iso=f"{year}-{int(month):02d}-{int(day):02d}",
                ),
            )
            return None
        expected = {
            "date": "YYYY-MM-DD",
            "gYear": "YYYY",
            "positiveInteger": "1, 2, 3 …",
            "integer": "… -1, 0, 1 …",
            "anyURI": "https://…",
        }.get(datatype, datatype)
        self.problem(
            row,
            row.sheet,
            "bad-value",
            column=column,
            value=value,
            datatype=datatype,
            hint=_t("bad-value-hint", self.lang, expected=expected),
        )
        return None

    def missing(self, row: _Row, column: ColumnSpec) -> None:
        """Report an empty cell in a required column."""
        description = column.description.get(self.lang, "")
        hint = _t("required-hint", self.lang, description=description)
        self.problem(row, row.sheet, "required", column=column, hint=hint)

    def unresolved(self, row: _Row, column: ColumnSpec, found: Unresolved) -> None:
        if found.matches:
            self.problem(
                row,
                row.sheet,
                "ambiguous",
                column=column,
                value=found.value,
                names="; ".join(found.candidates),
                hint=_t("unknown-hint", self.lang),
            )
            return
        hint = _t("unknown-hint", self.lang)
        if found.candidates:
            hint = _t("closest", self.lang, names="; ".join(found.candidates)) + " " + hint
        self.problem(row, row.sheet, "unknown", column=column, value=found.value, hint=hint)


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _literal(value: CellValue, datatype: str) -> Literal | None:
    """The typed literal for a cell value, or None when it is not valid for the type."""
    if datatype == "string":
        return Literal(_text(value))
    if datatype == "date":
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            return Literal(value.isoformat(), datatype=XSD.date)
        text = _text(value)
        try:
            datetime.date.fromisoformat(text)
        except ValueError:
            return None
        return (
            Literal(text, datatype=XSD.date) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
        )
    if datatype == "gYear":
        text = _text(value)
        return Literal(text, datatype=XSD.gYear) if re.fullmatch(r"\d{4}", text) else None
    if datatype in ("positiveInteger", "integer"):
        text = _text(value)
        if not re.fullmatch(r"[+-]?\d+", text) or (datatype == "positiveInteger" and int(text) < 1):
            return None
        return Literal(str(int(text)), datatype=DATATYPES[datatype])
    if datatype == "anyURI":
        text = _text(value)
        if not (text.startswith(("http://", "https://")) and is_safe_iri(text)):
            return None
        return URIRef(text)  # type: ignore[return-value]
    return None


def sheet_kinds(sheets: Sequence[Sheet], kind: str | None) -> list[tuple[Sheet, SheetMapping]]:
    """Which sheet holds which kind: by ``kind``, else by the sheet's title or file name.

    Raises:
        UsageError: no sheet could be matched to a kind.
    """
    data = [s for s in sheets if _norm(s.name) not in AUX_SHEETS]
    if kind is not None:
        mapping = mapping_for(kind)
        titled = [s for s in data if slug(s.name) in _titles(mapping)]
        chosen = titled or data[:1]
        return [(s, mapping) for s in chosen]
    found = []
    for sheet in data:
        # "Akteure", "actors", or a file name that starts so: "akteure-2024.csv".
        names = {slug(sheet.name), slug(re.split(r"[-_ .]", sheet.name)[0])}
        for mapping in mappings().values():
            if names & _titles(mapping):
                found.append((sheet, mapping))
                break
    if not found:
        listed = ", ".join(f"„{s.name}“" for s in data) or "none"
        raise UsageError(
            f"Cannot tell which kind of data the sheets hold (sheets: {listed}). Give --kind "
            f"({', '.join(mappings())}), or name the sheet or file after the kind."
        )
    return sorted(found, key=lambda pair: pair[1].order)


def _titles(mapping: SheetMapping) -> set[str]:
    """The names a sheet or file of this kind may have, as slugs (Maßnahmen = massnahmen)."""
    return {slug(t) for t in (*mapping.titles.values(), mapping.kind)}


def import_sheets(
    path: PathLike,
    *,
    kind: str | None = None,
    data: Iterable[PathLike] | None = None,
    output: PathLike | None = None,
    lang: str = "de",
    partial: bool = False,
    today: datetime.date | None = None,
    layers: Sequence[str] = ("shapes", "rules"),
    max_bytes: int = MAX_SHEET_BYTES,
) -> ImportResult:
    """Import a spreadsheet (.xlsx, .ods or .csv) as caregraph resources.

    Args:
        path: the file.
        kind: the kind of rows (``actors`` ...); default: from the sheet titles or file name.
        data: the graph the rows join and may refer to (default: the bundled graph).
        output: an existing Turtle file the import goes into: its resources are kept, the
            imported ones replace their earlier description.
        lang: language of messages and hints.
        partial: keep the valid rows when others have errors.
        today: the import date recorded in the provenance (default: today).
        layers: validation layers run on the result (``shapes``, ``rules``).
        max_bytes: larger files are refused.

    Raises:
        InputError: the file cannot be read, is too large, or is a zip bomb.
        UsageError: the kind is unknown or cannot be told.
    """
    path = Path(path)
    workbook = read_workbook(path, max_bytes)
    pairs = sheet_kinds(workbook.sheets, kind)
    base = load_graph(data)
    previous = rdflib.Graph()
    if output is not None and Path(output).is_file() and Path(output).stat().st_size:
        previous = load_graph([output])
        base += previous
    world = base + cached_ontology()
    importer = _Importer(path, world, lang, today or datetime.date.today())
    if workbook.notes:
        importer.findings.append(
            Finding(
                "info",
                "",
                None,
                None,
                None,
                _t("macros", lang),
                "import",
                "import",
                path,
                rule="import/macros",
            )
        )
    rows: list[_Row] = []
    for sheet, mapping in pairs:
        rows += importer.rows_of(sheet, mapping)
    seen: dict[URIRef, _Row] = {}
    for row in rows:
        importer.identify(row, seen)
    for row in rows:
        importer.describe(row)
    result = _assemble(importer, rows, base, previous, path, layers, partial)
    return result


def _provenance(importer: _Importer, row: _Row, graph: rdflib.Graph) -> URIRef:
    path = importer.path
    file_iri = DD["import-" + slug(path.name)]
    row_iri = DD[f"import-{slug(path.name)}-{slug(row.sheet.name)}-row-{row.number}"]
    if (file_iri, RDF.type, CG.Source) not in graph:
        graph.add((file_iri, RDF.type, CG.Source))
        for lang in ("de", "en"):
            graph.add(
                (file_iri, RDFS.label, Literal(_t("file-label", lang, file=path.name), lang=lang))
            )
        graph.add((file_iri, DCTERMS.title, Literal(path.name)))
        graph.add(
            (file_iri, DCTERMS.created, Literal(importer.today.isoformat(), datatype=XSD.date))
        )
        graph.add((file_iri, DCTERMS.source, file_iri))
    graph.add((row_iri, RDF.type, CG.Source))
    for lang in ("de", "en"):
        text = _t("row-label", lang, row=row.number, sheet=row.sheet.name, file=path.name)
        graph.add((row_iri, RDFS.label, Literal(text, lang=lang)))
    graph.add((row_iri, DCTERMS.isPartOf, file_iri))
    graph.add((row_iri, DCTERMS.source, file_iri))
    graph.add((row.iri, DCTERMS.source, row_iri))  # type: ignore[arg-type]
    return row_iri


def _replaced(graph: rdflib.Graph, rows: Iterable[_Row]) -> rdflib.Graph:
    """``graph`` without what the rows describe anew (the columns they have)."""
    out = rdflib.Graph()
    out += graph
    for row in rows:
        if row.iri is None:
            continue
        props = {c.prop for c in row.mapping.columns if c.name in row.columns and c.prop}
        props.add(RDF.type)
        for column in row.mapping.columns:
            if column.inverse and column.name in row.columns:
                out.remove((None, column.prop, row.iri))
                props.discard(column.prop)
        for prop in props:
            out.remove((row.iri, prop, None))
        for source in list(out.objects(row.iri, DCTERMS.source)):
            if str(source).startswith(IMPORT_PREFIX):
                out.remove((row.iri, DCTERMS.source, source))
    _drop_orphan_imports(out)
    return out


def _drop_orphan_imports(graph: rdflib.Graph) -> None:
    """Remove import records that no resource names as its source any more."""
    for _ in range(2):  # rows first, then the files they were part of
        for record in {s for s in graph.subjects() if str(s).startswith(IMPORT_PREFIX)}:
            if not any(s != record for s in graph.subjects(DCTERMS.source, record)):
                graph.remove((record, None, None))


def _assemble(
    importer: _Importer,
    rows: list[_Row],
    base: rdflib.Graph,
    previous: rdflib.Graph,
    path: Path,
    layers: Sequence[str],
    partial: bool,
) -> ImportResult:
    new = rdflib.Graph()
    records: dict[URIRef, RowRecord] = {}
    for row in rows:
        if row.bad or row.iri is None:
            continue
        for triple in row.triples:
            new.add(triple)
        _provenance(importer, row, new)
        records[row.iri] = RowRecord(row.sheet.name, row.number, _text(row.cells.get("label_de")))
    good = [r for r in rows if not r.bad and r.iri is not None]
    checks: list[str] = []
    if layers and good:
        merged = _replaced(base, good) + new
        checked = validate(data_graph=merged, layers=list(layers), lang=importer.lang)
        checks = checked.checks
        by_iri = {str(r.iri): r for r in good}
        for finding in checked.findings:
            found = by_iri.get(finding.focus)
            if found is None:
                continue
            row = found
            where = _t("where", importer.lang, sheet=row.sheet.name, row=row.number)
            column = next(
                (
                    c
                    for c in row.mapping.columns
                    if finding.path and str(c.prop) == finding.path and c.name in row.columns
                ),
                None,
            )
            if column is not None:
                where += _t("column", importer.lang, column=column.title(importer.lang))
            importer.findings.append(
                Finding(
                    severity=finding.severity,
                    focus=finding.focus,
                    focus_label=finding.focus_label,
                    path=finding.path,
                    value=finding.value,
                    message=f"{where}: {finding.message}",
                    shape=finding.shape,
                    layer=finding.layer,
                    file=path,
                    line=row.number,
                    column=None if column is None else row.columns[column.name] + 1,
                    hint=finding.hint,
                    rule=finding.rule,
                )
            )
            if finding.severity == "error":
                row.bad = True
    report = ValidationReport(
        files=[path], findings=importer.findings, layers=["import", *layers], checks=checks
    )
    report.findings.sort(key=Finding.sort_key)
    failed = any(f.severity == "error" for f in report.findings)
    output = rdflib.Graph()
    written = [r for r in rows if not r.bad and r.iri is not None]
    if failed and not partial:
        written = []
    if written:
        output = _replaced(previous, written)
        kept = {r.iri for r in written}
        for row in written:
            for triple in row.triples:
                output.add(triple)
            _provenance(importer, row, output)
        records = {iri: rec for iri, rec in records.items() if iri in kept}
    else:
        records = {}
    return ImportResult(output, report, records, rows=importer.read, written=len(written))
