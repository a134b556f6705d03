"""Importing spreadsheets: round trip, new resources in the graph, row-level problems."""

from __future__ import annotations

import datetime
from pathlib import Path

import openpyxl
import pytest
import rdflib
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import DCTERMS

import caregraph
from caregraph.diff import diff_graphs
from caregraph.errors import UsageError
from caregraph.loading import load_graph
from caregraph.namespaces import CG, CGV, DD
from caregraph.output import format_graph
from caregraph.resources import data_dir
from caregraph.sheets import build_template, import_sheets, kinds, write_template

SHEETS = Path(__file__).parent / "data" / "sheets"
TODAY = datetime.date(2024, 5, 6)


def workbook(path: Path, kind: str, rows: list[dict[str, object]], lang: str = "de") -> Path:
    """A template for ``kind`` with ``rows`` (by column title) added to its data sheet."""
    template = build_template(kind, lang=lang)
    write_template(template, path)
    book = openpyxl.load_workbook(path)
    sheet = book[template.mapping.title(lang)]
    for row in rows:
        sheet.append([row.get(title) for title in template.header])
    book.save(path)
    return path


def errors(result) -> list[str]:
    return [f.message for f in result.report.findings if f.severity == "error"]


@pytest.mark.parametrize("kind", kinds())
def test_round_trip_of_a_filled_template_changes_nothing(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"{kind}.xlsx"
    write_template(build_template(kind, filled=True), path)
    result = import_sheets(path, kind=kind, today=TODAY)
    assert errors(result) == []
    assert result.written == result.rows > 0
    diff = diff_graphs(
        load_graph(), result.graph, only_new_resources=True, ignore_import_provenance=True
    )
    assert diff.empty, [(str(c.resource), c.changes) for c in diff.resources]


@pytest.mark.parametrize(
    ("kind", "suffix"),
    [("actors", ".ods"), ("tasks", ".csv"), ("meetings", ".ods"), ("responsibilities", ".csv")],
)
def test_round_trip_through_ods_and_csv_in_english(tmp_path: Path, kind: str, suffix: str) -> None:
    path = tmp_path / f"{kind}{suffix}"
    write_template(build_template(kind, filled=True, lang="en"), path)
    result = import_sheets(path, kind=kind, layers=())
    assert errors(result) == []
    diff = diff_graphs(
        load_graph(), result.graph, only_new_resources=True, ignore_import_provenance=True
    )
    assert diff.empty


def test_new_actors_and_tasks_in_two_districts_join_the_graph(tmp_path: Path) -> None:
    out = tmp_path / "neu.ttl"
    actors = workbook(
        tmp_path / "akteure.xlsx",
        "actors",
        [
            {
                "Name (deutsch)": "Seniorentreff Cotta",
                "Name (englisch)": "Senior meeting point Cotta",
                "Art": "Initiative",
                "Sektor": "Bürgerinnen und Bürger",
                "Aktiv in": "Cotta",
            },
            {
                "Name (deutsch)": "Nachbarschaftshilfe Prohlis",
                "Name (englisch)": "Neighbourhood help Prohlis",
                "Art": "welfare provider",  # English names work too
                "Sektor": "civil-society organisations; Bürgerinnen und Bürger",
                "Aktiv in": "Prohlis",
                "Kooperiert mit": "FASA",  # an abbreviation
            },
        ],
    )
    first = import_sheets(actors, output=out, today=TODAY)
    assert errors(first) == [] and first.written == 2
    out.write_text(format_graph(first.graph, "turtle"), encoding="utf-8")
    tasks = workbook(
        tmp_path / "aufgaben.xlsx",
        "tasks",
        [
            {
                "Name (deutsch)": "Mittagstisch in Cotta einrichten",
                "Name (englisch)": "Set up a lunch table in Cotta",
                "Maßnahme": "dd:measure-foerderrichtlinie-soziale-orte",  # an IRI
                "Status": "planned",
                "Stadtbezirke/Ortschaften": "Cotta",
                "Beteiligte": "Seniorentreff Cotta",
                "Fällig am": datetime.date(2024, 9, 30),  # a real Excel date
            },
            {
                "Name (deutsch)": "Besuchsdienst in Prohlis",
                "Name (englisch)": "Visiting service in Prohlis",
                "Maßnahme": "Nutzung der Förderrichtlinie Soziale Orte",
                "Status": "geplant",
                "Stadtbezirke/Ortschaften": "Prohlis",
                "Beteiligte": "Neighbourhood help Prohlis",
            },
        ],
    )
    second = import_sheets(tasks, output=out, today=TODAY)
    assert errors(second) == [] and second.written == 2
    graph = second.graph
    # The earlier import stays in the output file; the new one is added.
    assert (DD["seniorentreff-cotta"], RDF.type, CG.Initiative) in graph
    assert (DD["task-mittagstisch-in-cotta-einrichten"], CG.dueDate, None) in graph
    assert set(graph.objects(DD["nachbarschaftshilfe-prohlis"], CG.sector)) == {
        CGV["sector-civil-society"],
        CGV["sector-citizens"],
    }
    assert (
        DD["nachbarschaftshilfe-prohlis"],
        CG.cooperatesWith,
        DD["fasa"],
    ) in graph
    out.write_text(format_graph(graph, "turtle"), encoding="utf-8")
    report = caregraph.validate(
        [data_dir(), out], layers=("syntax", "vocabulary", "shapes", "rules")
    )
    assert [f.message for f in report.findings if f.severity == "error"] == []
    store = caregraph.open_store([data_dir(), out])
    for district, actor in (
        ("Cotta", "seniorentreff-cotta"),
        ("Prohlis", "nachbarschaftshilfe-prohlis"),
    ):
        rows = caregraph.run_query("actors_in_district", district=district, store=store).to_dicts()
        assert DD[actor] in {URIRef(r["actor"]) for r in rows}, district


def test_one_workbook_with_actors_and_tasks(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "beides.xlsx",
        "actors",
        [
            {
                "Name (deutsch)": "Treff Leuben",
                "Name (englisch)": "Leuben meeting point",
                "Art": "Initiative",
            }
        ],
    )
    tasks = build_template("tasks")
    book = openpyxl.load_workbook(path)
    sheet = book.create_sheet("Aufgaben")
    sheet.append(tasks.header)
    row = dict.fromkeys(tasks.header, None) | {
        "Name (deutsch)": "Kaffeerunde Leuben",
        "Name (englisch)": "Coffee round Leuben",
        "Maßnahme": "Nutzung der Förderrichtlinie Soziale Orte",
        "Status": "geplant",
        "Beteiligte": "Treff Leuben",  # named before it is in any graph: same workbook
    }
    sheet.append(list(row.values()))
    book.save(path)
    result = import_sheets(path, layers=())
    assert errors(result) == [] and result.written == 2
    assert (DD["task-kaffeerunde-leuben"], CG.participant, DD["treff-leuben"]) in result.graph


def test_provenance_names_file_sheet_row_and_date() -> None:
    result = import_sheets(SHEETS / "akteure-neu.csv", today=TODAY, layers=())
    row = DD["import-akteure-neu-csv-akteure-neu-row-3"]
    file = DD["import-akteure-neu-csv"]
    actor = DD["nachbarschaftshilfe-prohlis-leuben"]
    graph = result.graph
    assert (actor, DCTERMS.source, row) in graph
    assert (row, RDF.type, CG.Source) in graph and (row, DCTERMS.isPartOf, file) in graph
    assert Literal("Row 3 of sheet „akteure-neu“ in akteure-neu.csv", lang="en") in set(
        graph.objects(row, RDFS.label)
    )
    assert graph.value(file, DCTERMS.created) == Literal("2024-05-06", datatype=rdflib.XSD.date)
    assert graph.value(file, DCTERMS.title) == Literal("akteure-neu.csv")
    assert result.resources[actor].row == 3


def test_importing_again_updates_instead_of_duplicating(tmp_path: Path) -> None:
    out = tmp_path / "out.ttl"
    first = import_sheets(SHEETS / "akteure-neu.csv", output=out, layers=())
    out.write_text(first.graph.serialize(format="turtle"), encoding="utf-8")
    changed = tmp_path / "akteure-neu.csv"
    changed.write_text(
        (SHEETS / "akteure-neu.csv")
        .read_text(encoding="utf-8")
        .replace("Senior meeting point Cotta", "Senior club Cotta"),
        encoding="utf-8",
    )
    second = import_sheets(changed, output=out, layers=())
    graph = second.graph
    assert len(set(graph.subjects(RDF.type, CG.Initiative))) == 1
    assert set(graph.objects(DD["seniorentreff-cotta"], RDFS.label)) == {
        Literal("Seniorentreff Cotta", lang="de"),
        Literal("Senior club Cotta", lang="en"),
    }
    # One row record per resource: the older ones are gone with the rows they described.
    records = {s for s in graph.subjects(RDF.type, CG.Source)}
    assert len(records) == 3


def test_rows_naming_bundled_resources_update_them(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "akteure.xlsx",
        "actors",
        [
            {
                "Name (deutsch)": "Sozialamt",
                "Name (englisch)": "Social Welfare Office",
                "Art": "Verwaltungseinheit",
                "Sektor": "Staat",
            }
        ],
    )
    result = import_sheets(path, layers=())
    assert list(result.resources) == [DD["sozialamt"]]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "akteure-unbekannter-bezirk.csv",
            [
                "Blatt „akteure-unbekannter-bezirk“, Zeile 2, Spalte „Aktiv in“: „Prohlitz“ benennt nichts Passendes im Graphen."
            ],
        ),
        (
            "akteure-doppelt.csv",
            [
                "Blatt „akteure-doppelt“, Zeile 3: Die Zeile beschreibt dieselbe Ressource wie Zeile 2."
            ],
        ),
        (
            "akteure-ohne-name.csv",
            [
                "Blatt „akteure-ohne-name“, Zeile 1, Spalte „Name (deutsch)“: Die Pflichtspalte „Name (deutsch)“ fehlt."
            ],
        ),
        (
            "aufgaben-deutsches-datum.csv",
            [
                "Blatt „aufgaben-deutsches-datum“, Zeile 2, Spalte „Fällig am“: „30.06.2022“ ist ein Datum in deutscher Schreibweise."
            ],
        ),
        (
            "akteure-cp1252.csv",
            [
                "Blatt „akteure-cp1252“, Zeile 2, Spalte „Aktiv in“: „Löbtau-Süd“ benennt nichts Passendes im Graphen."
            ],
        ),
    ],
)
def test_each_bad_sheet_gets_its_row_level_message_and_writes_nothing(
    name: str, expected: list[str]
) -> None:
    result = import_sheets(SHEETS / name, layers=())
    assert errors(result) == expected
    assert len(result.graph) == 0 and result.written == 0
    assert result.report.exit_code() == 1


def test_hints_name_the_closest_candidates_and_the_iso_date() -> None:
    unknown = import_sheets(SHEETS / "akteure-unbekannter-bezirk.csv", layers=(), lang="en")
    assert unknown.report.findings[0].hint.startswith("Closest: Prohlis;")
    assert unknown.report.findings[0].value == "Prohlitz"
    assert unknown.report.findings[0].column == 5
    date = import_sheets(SHEETS / "aufgaben-deutsches-datum.csv", layers=(), lang="en")
    assert date.report.findings[0].hint.startswith("Write it as 2022-06-30")


def test_partial_writes_the_valid_rows() -> None:
    result = import_sheets(SHEETS / "akteure-doppelt.csv", layers=(), partial=True)
    assert result.written == 1 and result.rows == 2
    assert result.resources[DD["seniorentreff-prohlis"]].row == 2
    assert len(errors(result)) == 1


def test_ambiguous_names_list_the_resources(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "ziele.xlsx",
        "goals",
        [
            {
                "Name (deutsch)": "Ein Ziel",
                "Name (englisch)": "A goal",
                "Siehe auch": "Runder Tisch „Soziales Wohnen“",
            }
        ],
    )
    result = import_sheets(path, layers=(), lang="en")
    (message,) = errors(result)
    assert "names several resources" in message
    assert (
        "dd:measure-runder-tisch-soziales-wohnen" in message
        and "dd:runder-tisch-soziales-wohnen" in message
    )


def test_a_formula_without_a_stored_result_is_an_error(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "ziele.xlsx",
        "goals",
        [{"Name (deutsch)": "Ein Ziel", "Name (englisch)": "A goal", "Folie": "=2+2"}],
    )
    result = import_sheets(path, layers=(), lang="en")
    (finding,) = [f for f in result.report.findings if f.severity == "error"]
    assert finding.rule == "import/formula" and finding.value == "=2+2"
    assert "never computes formulas" in finding.hint


def test_shape_and_rule_findings_point_to_the_row(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "aufgaben.xlsx",
        "tasks",
        [
            {
                "Name (deutsch)": "Rückwärts",
                "Name (englisch)": "Backwards",
                "Maßnahme": "Nutzung der Förderrichtlinie Soziale Orte",
                "Status": "geplant",
                "Beginn": "2024-05-01",
                "Ende": "2024-01-01",
            }
        ],
    )
    result = import_sheets(path)
    found = [f for f in result.report.findings if f.severity == "error"]
    assert {(f.layer, f.rule, f.line, f.file) for f in found} == {
        ("rules", "rules/end_before_start", 2, path),
        ("shapes", "shapes/LessThanOrEquals", 2, path),
    }
    shape = next(f for f in found if f.layer == "shapes")
    assert shape.message.startswith("Blatt „Aufgaben“, Zeile 2, Spalte „Beginn“: ")
    assert shape.column == build_template("tasks").header.index("Beginn") + 1
    assert len(result.graph) == 0


def test_unknown_columns_are_warnings_with_a_suggestion(tmp_path: Path) -> None:
    path = tmp_path / "ziele.csv"
    path.write_text(
        "Name (deutsch);Name (englisch);Handlungsfeld\nZiel;Goal;Wohnen\n", encoding="utf-8"
    )
    result = import_sheets(path, layers=(), lang="de")
    (warning,) = result.report.findings
    assert warning.severity == "warning" and "Handlungsfelder" in warning.hint
    assert result.written == 1


def test_kind_cannot_be_told(tmp_path: Path) -> None:
    path = tmp_path / "liste.csv"
    path.write_text("Name (deutsch);Name (englisch)\nx;y\n", encoding="utf-8")
    with pytest.raises(UsageError, match="--kind"):
        import_sheets(path)
    assert import_sheets(path, kind="goals", layers=()).rows == 1


def test_a_row_without_its_kind_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "akteure.csv"
    path.write_text("Name (deutsch);Name (englisch);Art\nTreff;Meeting point;\n", encoding="utf-8")
    result = import_sheets(path, layers=())
    assert errors(result) == [
        "Blatt „akteure“, Zeile 2, Spalte „Art“: Der Wert fehlt; die Spalte ist Pflicht."
    ]


def test_an_unquoted_separator_that_shifts_cells_is_named(tmp_path: Path) -> None:
    """„Cotta; Löbtau“ unquoted in a CSV cell makes one cell too many: the row says so
    (besides what the shifted cells then fail), and the rows read are counted."""
    path = tmp_path / "akteure.csv"
    path.write_text(
        "Name (deutsch);Name (englisch);Art;Sektor;Aktiv in\n"
        "Seniorentreff Cotta;Senior meeting point Cotta;Initiative;Zivilgesellschaft;Cotta; "
        "Löbtau\n",
        encoding="utf-8",
    )
    result = import_sheets(path, layers=())
    assert "Blatt „akteure“, Zeile 2: Die Zeile hat 6 Zellen, die Kopfzeile nur 5 Spalten." in (
        errors(result)
    )
    assert (result.rows, result.written) == (1, 0)


def test_a_header_that_starts_a_columns_title_is_suggested(tmp_path: Path) -> None:
    path = tmp_path / "akteure.csv"
    path.write_text("Name;Art\nTreff;Initiative\n", encoding="utf-8")
    result = import_sheets(path, kind="actors", layers=())
    [unknown] = [f for f in result.report.findings if "„Name“ gehört nicht" in f.message]
    assert unknown.hint == "Meintest du „Name (deutsch)“? Sonst entferne die Spalte."
    assert (result.rows, result.written) == (1, 0)  # a required column is missing


def test_a_sector_by_its_short_name(tmp_path: Path) -> None:
    """„Zivilgesellschaft“, as people say it, names the sector (skos:altLabel)."""
    path = tmp_path / "akteure.csv"
    path.write_text(
        "Name (deutsch);Name (englisch);Art;Sektor\n"
        "Seniorentreff Cotta;Senior meeting point Cotta;Initiative;Zivilgesellschaft\n",
        encoding="utf-8",
    )
    result = import_sheets(path, layers=())
    assert not [e for e in errors(result) if "Sektor" in e]
    [record] = result.resources
    assert (record, CG.sector, CGV["sector-civil-society"]) in result.graph
