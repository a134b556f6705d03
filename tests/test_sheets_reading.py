"""Reading spreadsheets safely: CSV dialects, formulas, macros, zip bombs, oversize files."""

from __future__ import annotations

import datetime
import zipfile
from pathlib import Path

import openpyxl
import pytest

from caregraph.errors import InputError
from caregraph.sheets.reading import Uncomputed, decode, read_workbook, sniff_delimiter

SHEETS = Path(__file__).parent / "data" / "sheets"


def test_windows_1252_with_semicolons_is_detected() -> None:
    book = read_workbook(SHEETS / "akteure-cp1252.csv")
    assert (book.encoding, book.delimiter) == ("cp1252", ";")
    sheet = book.sheets[0]
    assert sheet.header[0] == "Name (deutsch)"
    assert sheet.rows == [
        (
            2,
            [
                "Seniorentreff Löbtau",
                "Senior meeting point Löbtau",
                "Initiative",
                "Bürgerinnen und Bürger",
                "Löbtau-Süd",
            ],
        )
    ]


def test_utf8_with_bom_and_semicolons_is_detected() -> None:
    book = read_workbook(SHEETS / "akteure-doppelt.csv")
    assert (book.encoding, book.delimiter) == ("utf-8-sig", ";")
    assert book.sheets[0].header[0] == "Name (deutsch)"  # no BOM left in the first header


def test_commas_and_utf8_are_detected_and_quoted_cells_kept() -> None:
    book = read_workbook(SHEETS / "akteure-neu.csv")
    assert (book.encoding, book.delimiter) == ("utf-8", ",")
    assert book.sheets[0].rows[1][1][0] == "Nachbarschaftshilfe Prohlis, Leuben"


def test_decode_and_sniff() -> None:
    assert decode(Path("x.csv"), "Straße".encode("cp1252")) == ("Straße", "cp1252")
    assert sniff_delimiter("a;b,c;d\n") == ";"
    assert sniff_delimiter('"a;b",c,d\n') == ","


def test_a_multi_line_cell_keeps_the_row_number_where_it_starts(tmp_path: Path) -> None:
    path = tmp_path / "akteure.csv"
    path.write_text('Name (deutsch);Name (englisch)\n"Zwei\nZeilen";two\nDrei;three\n', "utf-8")
    rows = read_workbook(path).sheets[0].rows
    assert [number for number, _ in rows] == [2, 4]


def _xlsx(path: Path, rows: list[list[object]], title: str = "Akteure") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_formulas_are_never_computed(tmp_path: Path) -> None:
    # openpyxl stores no result with a formula: the reader must not compute one.
    path = _xlsx(tmp_path / "f.xlsx", [["Name (deutsch)", "Folie"], ["X", "=1+1"]])
    cells = read_workbook(path).sheets[0].rows[0][1]
    assert cells[0] == "X"
    assert isinstance(cells[1], Uncomputed) and cells[1] == "=1+1"


def test_a_formula_with_a_stored_result_gives_that_result(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "f.xlsx", [["Name (deutsch)", "Folie"], ["X", "=1+1"]])
    # Add the cached value Excel would have stored: <v>5</v> (deliberately not 2).
    patched = tmp_path / "g.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(patched, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<f>1+1</f><v />", b"<f>1+1</f><v>5</v>")
                assert b"<v>5</v>" in data
            target.writestr(item, data)
    assert read_workbook(patched).sheets[0].rows[0][1] == ["X", 5]


def test_dates_from_excel_stay_dates(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "d.xlsx", [["Datum"], [datetime.datetime(2022, 3, 15)]])
    assert read_workbook(path).sheets[0].rows[0][1] == [datetime.datetime(2022, 3, 15)]


def test_macros_are_ignored_and_noted(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "m.xlsx", [["Name (deutsch)"], ["X"]])
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\x00" * 64)
    book = read_workbook(path)
    assert book.sheets[0].rows[0][1] == ["X"]
    assert any("macros" in note for note in book.notes)


def test_a_zip_bomb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * 20_000_000)
    assert path.stat().st_size < 100_000
    with pytest.raises(InputError, match="zip bomb"):
        read_workbook(path)


def test_an_entity_bomb_inside_a_workbook_is_refused(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "laughs.xlsx", [["Name (deutsch)"], ["X"]])
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
            for i in range(1, 10)
        )
        + b"]>"
    )
    patched = tmp_path / "akteure.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(patched, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = data.split(b"?>", 1)[-1]  # without an XML declaration, if any
                data = bomb + body.replace(b"<t>X</t>", b"<t>&lol9;</t>")
                assert b"&lol9;" in data
            target.writestr(item, data)
    with pytest.raises(InputError, match="an XML bomb"):
        read_workbook(patched)


def test_an_oversized_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text("Name (deutsch)\n" + "x\n" * 1000, encoding="utf-8")
    with pytest.raises(InputError, match="more than the limit"):
        read_workbook(path, max_bytes=1000)


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("hello", encoding="utf-8")
    with pytest.raises(InputError, match=r"not a valid \.xlsx workbook"):
        read_workbook(path)
    with pytest.raises(InputError, match="imports"):
        read_workbook(tmp_path / "sheet.numbers")


def test_ods_cells_and_repeats(tmp_path: Path) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    table = Table(name="Ziele")
    for values in (["Name (deutsch)", "Folie"], ["Ein Ziel", 4]):
        row = TableRow()
        for value in values:
            if isinstance(value, int):
                cell = TableCell(valuetype="float", value=str(value))
            else:
                cell = TableCell(valuetype="string")
            cell.addElement(P(text=str(value)))
            row.addElement(cell)
        # What LibreOffice writes at the end of every row: a huge run of empty cells.
        row.addElement(TableCell(numbercolumnsrepeated="16380"))
        table.addElement(row)
    table.addElement(TableRow(numberrowsrepeated="1048000"))
    formula = TableRow()
    formula.addElement(TableCell(formula="of:=1+1"))
    table.addElement(formula)
    document.spreadsheet.addElement(table)
    document.save(str(tmp_path / "z.ods"))
    sheet = read_workbook(tmp_path / "z.ods").sheets[0]
    assert sheet.name == "Ziele" and sheet.header == ["Name (deutsch)", "Folie"]
    assert sheet.rows[0] == (2, ["Ein Ziel", 4])
    number, cells = sheet.rows[1]
    assert number == 1048003 and isinstance(cells[0], Uncomputed)
