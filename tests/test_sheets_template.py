"""Templates: explanation, headers in two languages, drop-downs from the graph, filled rows."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest

from caregraph.errors import UsageError
from caregraph.sheets import build_template, write_template

DATA = Path(__file__).parent / "data"


def test_xlsx_template_has_explanation_data_examples_and_lists(tmp_path: Path) -> None:
    path = tmp_path / "aufgaben.xlsx"
    write_template(build_template("tasks"), path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Erläuterung", "Aufgaben", "Beispiele", "Listen"]
    assert book["Listen"].sheet_state == "hidden"
    assert book.active.title == "Aufgaben"
    explanation = [row for row in book["Erläuterung"].iter_rows(values_only=True)]
    assert explanation[2] == ("Spalte", "Bedeutung", "Pflicht", "Beispiel", "Erlaubte Werte")
    status = next(row for row in explanation if row[0] == "Status")
    assert status[2] == "ja" and status[3] == "geplant"
    assert status[4] == "erledigt, geplant, in Prüfung, in Umsetzung, unklar"
    data = book["Aufgaben"]
    header = [c.value for c in data[1]]
    assert header[:5] == ["ID", "Name (deutsch)", "Name (englisch)", "Maßnahme", "Status"]
    assert data.max_row == 1  # empty unless filled
    examples = list(book["Beispiele"].iter_rows(values_only=True))
    assert examples[1][header.index("Status")] == "geplant"


def test_drop_downs_are_drawn_from_the_graphs_schemes_and_areas(tmp_path: Path) -> None:
    path = tmp_path / "akteure.xlsx"
    write_template(build_template("actors"), path)
    book = openpyxl.load_workbook(path)
    data, lists = book["Akteure"], book["Listen"]
    header = [c.value for c in data[1]]
    columns = {c.value: c.column_letter for c in lists[1]}
    values = {
        title: [c.value for c in lists[letter][1:] if c.value is not None]
        for title, letter in columns.items()
    }
    assert values["Sektor"] == [
        "Bürgerinnen und Bürger",
        "Organisationen der Zivilgesellschaft",
        "professionelle Dienstleister",
        "Staat",
    ]
    assert "Prohlis" in values["Aktiv in"] and "Cossebaude" in values["Aktiv in"]
    assert "freier Träger" in values["Art"] and "Stelle" in values["Art"]
    assert values["Gewissheit"] == ["belegt", "nicht belegt"]
    by_column = {
        str(v.sqref).split(":")[0].rstrip("0123456789"): v
        for v in data.data_validations.dataValidation
    }
    sector = by_column[openpyxl.utils.get_column_letter(header.index("Sektor") + 1)]
    assert sector.type == "list" and sector.formula1.startswith("='Listen'!$")
    assert sector.errorStyle == "warning"  # several sectors may be given: a; b
    kind = by_column[openpyxl.utils.get_column_letter(header.index("Art") + 1)]
    assert kind.errorStyle == "stop"


def test_english_headers(tmp_path: Path) -> None:
    path = tmp_path / "responsibilities.xlsx"
    write_template(build_template("responsibilities", lang="en"), path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Explanation", "Responsibilities", "Examples", "Lists"]
    header = [c.value for c in book["Responsibilities"][1]]
    assert header[:7] == [
        "ID",
        "Name (German)",
        "Name (English)",
        "Measure/task",
        "Responsible",
        "Role",
        "Certainty",
    ]


def test_filled_template_holds_the_graphs_resources(tmp_path: Path) -> None:
    template = build_template("measures", filled=True)
    assert len(template.rows) == 7
    header = template.header
    row = next(r for r in template.rows if r[0] == "dd:measure-runder-tisch-soziales-wohnen")
    assert row[header.index("Status")] == "geplant"
    assert row[header.index("Handlungsfelder")] == "Wohnen"
    assert (
        row[header.index("Quelle")]
        == "Sorgende Gemeinschaften – Bericht 13. Juli 2021 – weiteres Vorgehen"
    )
    assert row[header.index("Folie")] == "5"


def test_text_that_looks_like_a_formula_is_written_as_text(tmp_path: Path) -> None:
    data = tmp_path / "evil.ttl"
    data.write_text(
        (DATA / "tiny.ttl").read_text(encoding="utf-8")
        + "\n<https://w3id.org/caregraph/dresden/evil> a <https://w3id.org/caregraph/ontology#Goal> ;"
        + ' <http://www.w3.org/2000/01/rdf-schema#label> "=HYPERLINK(\\"http://x\\")"@de .\n',
        encoding="utf-8",
    )
    path = tmp_path / "ziele.xlsx"
    write_template(build_template("goals", filled=True, data=[data]), path)
    with zipfile.ZipFile(path) as archive:
        sheet = archive.read("xl/worksheets/sheet2.xml").decode()
    assert "<f>" not in sheet and "HYPERLINK" in sheet
    csv_path = tmp_path / "ziele.csv"
    write_template(build_template("goals", filled=True, data=[data]), csv_path)
    assert "'=HYPERLINK" in csv_path.read_text(encoding="utf-8-sig")


def test_ods_template_has_content_validations(tmp_path: Path) -> None:
    path = tmp_path / "treffen.ods"
    write_template(build_template("meetings", filled=True), path)
    with zipfile.ZipFile(path) as archive:
        root = ElementTree.fromstring(archive.read("content.xml"))
    table = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
    conditions = {
        v.get(f"{table}name"): v.get(f"{table}condition")
        for v in root.iter(f"{table}content-validation")
    }
    assert conditions["list-type"] == 'of:cell-content-is-in-list("Treffen";"Workshop")'
    styles = {
        v.get(f"{table}name"): v.find(f"{table}error-message").get(f"{table}message-type")
        for v in root.iter(f"{table}content-validation")
    }
    assert styles["list-type"] == "stop" and styles["list-participants"] == "warning"
    # A label two resources share is still offered where only one of them fits.
    assert '"Runder Tisch „Soziales Wohnen“"' in conditions["list-participants"]
    names = [t.get(f"{table}name") for t in root.iter(f"{table}table")]
    assert names == ["Erläuterung", "Treffen", "Beispiele"]
    cells = [c for c in root.iter(f"{table}table-cell") if c.get(f"{table}content-validation-name")]
    assert {c.get(f"{table}content-validation-name") for c in cells} >= {
        "list-type",
        "list-participants",
    }


def test_csv_template_opens_in_german_excel(tmp_path: Path) -> None:
    path = tmp_path / "ziele.csv"
    write_template(build_template("goals", filled=True), path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    first = raw[3:].decode().splitlines()[0]
    assert first.startswith("ID;Name (deutsch);Name (englisch);Handlungsfelder")


def test_unknown_extension(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"\.xlsx"):
        write_template(build_template("goals"), tmp_path / "ziele.numbers")
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_templates_example_row_imports_without_errors(tmp_path: Path, lang: str) -> None:
    """What the Beispiele sheet shows can be copied into a row: its names (the source's
    label, areas, statuses) are those of the graph."""
    import csv

    from caregraph.sheets.importing import import_sheets
    from caregraph.sheets.mapping import kinds

    for kind in kinds():
        template = build_template(kind, lang=lang)
        assert template.examples, kind
        path = tmp_path / f"{kind}-{lang}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(template.header)
            writer.writerows(template.examples)
        result = import_sheets(path, kind=kind, lang=lang)
        errors = [f.message for f in result.report.findings if f.severity == "error"]
        assert errors == [], (kind, errors)
        assert result.written == len(template.examples)
