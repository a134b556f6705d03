"""Reading rows from .xlsx, .ods and .csv files, safely.

Formulas are never computed: a workbook's cells give the value the spreadsheet program
stored with the formula, and a formula without one is reported. Oversized files and
archives that would unpack far beyond their size (zip bombs) are refused before any
parser sees them; macros (``vbaProject.bin``) are never read. CSV is read as German
Excel writes it (semicolons; Windows-1252 or UTF-8 with byte-order mark) and as most
other programs do (commas, UTF-8); which one, is detected.
"""

from __future__ import annotations

import csv
import datetime
import io
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from caregraph.errors import InputError

#: Spreadsheet files larger than this are refused (bytes).
MAX_SHEET_BYTES = 20_000_000
#: An archive may unpack to at most this many bytes ...
MAX_UNPACKED_BYTES = 200_000_000
#: ... and at most this many times its own size (beyond a small allowance).
MAX_RATIO = 100
#: Rows and columns read per sheet at most.
MAX_ROWS = 100_000
MAX_COLUMNS = 500

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".ods", ".csv")

CellValue = str | int | float | bool | datetime.date | datetime.datetime | None


class Uncomputed(str):
    """A formula without a stored result: caregraph never computes one."""


@dataclass
class Sheet:
    """The rows of one sheet.

    Attributes:
        name: the sheet's title (a CSV file's stem).
        header: the texts of the first non-empty row.
        rows: ``(row number, cells)`` for the rows below it; numbers as the program shows them.
        header_row: the row number of the header.
    """

    name: str
    header: list[str]
    rows: list[tuple[int, list[CellValue]]] = field(default_factory=list)
    header_row: int = 1


@dataclass
class Workbook:
    """What a file holds: its sheets, and notes about what was left out (macros)."""

    path: Path
    sheets: list[Sheet]
    notes: list[str] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None


def read_workbook(path: Path, max_bytes: int = MAX_SHEET_BYTES) -> Workbook:
    """Read every sheet of a spreadsheet or CSV file.

    Raises:
        InputError: the file is missing, too large, a zip bomb, or not a spreadsheet.
    """
    suffix = path.suffix.lower()
    if suffix not in SPREADSHEET_SUFFIXES:
        raise InputError(
            f"{path}: caregraph imports {', '.join(SPREADSHEET_SUFFIXES)} files; save the "
            "sheet in one of these formats."
        )
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror}).") from exc
    if size > max_bytes:
        raise InputError(
            f"{path}: the file has {size / 1e6:.1f} MB, more than the limit of "
            f"{max_bytes / 1e6:.1f} MB for spreadsheets; split it, or raise the limit with "
            "--max-file-size."
        )
    if suffix == ".csv":
        return _read_csv(path)
    notes = _check_archive(path, size)
    if suffix == ".ods":
        return Workbook(path, _read_ods(path), notes)
    return Workbook(path, _read_xlsx(path), notes)


def _check_archive(path: Path, size: int) -> list[str]:
    """Refuse archives that unpack to too much; say whether macros are left out."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(
            f"{path}: not a valid {path.suffix} workbook ({exc}). Open it in Excel or "
            "LibreOffice and save it again."
        ) from None
    unpacked = sum(m.file_size for m in members)
    if (
        len(members) > 10_000
        or unpacked > MAX_UNPACKED_BYTES
        or unpacked > 1_000_000 + (size * MAX_RATIO)
    ):
        raise InputError(
            f"{path}: the workbook would unpack to {unpacked / 1e6:.0f} MB from "
            f"{size / 1e6:.1f} MB ({len(members)} parts), which looks like a zip bomb; "
            "caregraph refuses it. Save the sheet again, or import it as CSV."
        )
    notes = []
    if any(m.filename.lower().endswith("vbaproject.bin") for m in members) or any(
        m.filename.startswith("Basic/") for m in members
    ):
        notes.append("The workbook contains macros; they were ignored (never run or read).")
    return notes


def _trim(cells: list[CellValue]) -> list[CellValue]:
    cells = [
        c.strip() if isinstance(c, str) and not isinstance(c, Uncomputed) else c for c in cells
    ]
    cells = [None if c == "" else c for c in cells]
    while cells and cells[-1] is None:
        cells.pop()
    return cells[:MAX_COLUMNS]


def _sheet(name: str, rows: list[tuple[int, list[CellValue]]]) -> Sheet:
    """Split rows into the header (first non-empty row) and the data rows."""
    rows = [(n, _trim(cells)) for n, cells in rows]
    rows = [(n, cells) for n, cells in rows if cells]
    if not rows:
        return Sheet(name, [])
    (header_row, header), data = rows[0], rows[1:]
    return Sheet(name, ["" if c is None else str(c) for c in header], data, header_row)


def _read_xlsx(path: Path) -> list[Sheet]:
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Data Validation extension is not supported" …
            values = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_vba=False)
            formulas = openpyxl.load_workbook(path, read_only=True, data_only=False, keep_vba=False)
    except Exception as exc:  # openpyxl raises many kinds for broken files
        cause = exc.__cause__ or exc
        if type(cause).__name__.endswith("Forbidden"):  # defusedxml refused a DTD or entity
            raise InputError(
                f"{path}: not a readable Excel workbook: its XML declares entities or a DTD "
                f"({type(cause).__name__}), which can expand without bound (an XML bomb); "
                "caregraph refuses it. Save the sheet again in Excel or LibreOffice."
            ) from None
        raise InputError(
            f"{path}: not a readable Excel workbook ({type(exc).__name__}: {exc}). Open it in "
            "Excel or LibreOffice and save it again as .xlsx."
        ) from None
    sheets = []
    try:
        for name in values.sheetnames:
            rows: list[tuple[int, list[CellValue]]] = []
            pairs = zip(
                values[name].iter_rows(values_only=True),
                formulas[name].iter_rows(values_only=True),
                strict=False,
            )
            for number, (stored, written) in enumerate(pairs, start=1):
                if number > MAX_ROWS:
                    raise InputError(
                        f"{path}: sheet '{name}' has more than {MAX_ROWS} rows; split it."
                    )
                cells: list[CellValue] = []
                for value, source in zip(stored, written, strict=False):
                    if value is None and isinstance(source, str) and source.startswith("="):
                        cells.append(Uncomputed(source))
                    else:
                        cells.append(value)
                rows.append((number, cells))
            sheets.append(_sheet(name, rows))
    finally:
        values.close()
        formulas.close()
    return sheets


def _ods_value(cell: Any) -> CellValue:
    from odf.namespaces import OFFICENS, TABLENS

    kind = cell.attributes.get((OFFICENS, "value-type"))
    formula = cell.attributes.get((TABLENS, "formula"))
    if kind in ("float", "percentage", "currency"):
        number = float(cell.attributes[(OFFICENS, "value")])
        return int(number) if number.is_integer() else number
    if kind == "date":
        text = cell.attributes[(OFFICENS, "date-value")]
        try:
            return (
                datetime.datetime.fromisoformat(text)
                if "T" in text
                else datetime.date.fromisoformat(text)
            )
        except ValueError:
            return text
    if kind == "boolean":
        return cell.attributes[(OFFICENS, "boolean-value")] == "true"
    text = "\n".join(_text(p) for p in cell.childNodes if p.qname[1] == "p")
    if formula and kind is None:
        return Uncomputed(formula)
    return text


def _text(node: Any) -> str:
    parts = []
    for child in node.childNodes:
        if child.nodeType == child.TEXT_NODE:
            parts.append(str(child.data))
        elif child.qname[1] == "s":
            parts.append(" " * int(child.attributes.get((child.qname[0], "c"), 1)))
        else:
            parts.append(_text(child))
    return "".join(parts)


def _read_ods(path: Path) -> list[Sheet]:
    from odf.namespaces import TABLENS
    from odf.opendocument import load
    from odf.table import Table, TableRow

    try:
        document = load(str(path))
    except Exception as exc:  # odfpy raises many kinds for broken files
        raise InputError(
            f"{path}: not a readable OpenDocument spreadsheet ({type(exc).__name__}: {exc})."
        ) from None
    sheets = []
    for table in document.spreadsheet.getElementsByType(Table):
        rows: list[tuple[int, list[CellValue]]] = []
        number = 0
        for row in table.getElementsByType(TableRow):
            repeat = int(row.attributes.get((TABLENS, "number-rows-repeated"), 1))
            cells: list[CellValue] = []
            for cell in row.childNodes:
                if cell.qname[1] not in ("table-cell", "covered-table-cell"):
                    continue
                times = int(cell.attributes.get((TABLENS, "number-columns-repeated"), 1))
                value = _ods_value(cell)
                # Programs pad rows with thousands of repeated empty cells: keep them bounded.
                cells.extend([value] * min(times, MAX_COLUMNS - len(cells)))
                if len(cells) >= MAX_COLUMNS:
                    break
            if any(c not in (None, "") for c in cells):
                for _ in range(min(repeat, MAX_ROWS)):
                    number += 1
                    rows.append((number, list(cells)))
            else:
                number += repeat
            if len(rows) > MAX_ROWS:
                raise InputError(
                    f"{path}: sheet '{table.getAttribute('name')}' has more than {MAX_ROWS} "
                    "rows; split it."
                )
        sheets.append(_sheet(str(table.getAttribute("name")), rows))
    return sheets


def decode(path: Path, data: bytes) -> tuple[str, str]:
    """The text of a CSV file and its encoding: UTF-8 (with or without BOM), else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def sniff_delimiter(text: str) -> str:
    """``;``, ``,`` or tab: whichever splits the header line into the most columns."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: len(next(csv.reader([first], delimiter=d), [])) for d in (";", ",", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ";"))


def _read_csv(path: Path) -> Workbook:
    text, encoding = decode(path, path.read_bytes())
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[CellValue]]] = []
    line = 0
    try:
        for record in reader:
            if reader.line_num > MAX_ROWS:
                raise InputError(f"{path}: more than {MAX_ROWS} lines; split the file.")
            rows.append((line + 1, list(record)))  # where the record starts
            line = reader.line_num
    except csv.Error as exc:
        raise InputError(f"{path}, line {reader.line_num}: not valid CSV ({exc}).") from None
    return Workbook(path, [_sheet(path.stem, rows)], encoding=encoding, delimiter=delimiter)
