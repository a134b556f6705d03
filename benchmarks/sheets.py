"""Measure the spreadsheet workflow on generated sheets: template, import, diff.

Usage: python benchmarks/sheets.py [--rows N] [--formats xlsx,ods,csv] [--no-validate]

Writes an actors template, fills it with N generated actors (each active in a district,
cooperating with an actor of the bundled graph), then times, per format: writing the
filled template, reading and importing it (with the SHACL shapes and rule checks unless
--no-validate), and diffing the result against the bundled graph. Each step is printed with
its wall time and CPU time (user+sys), since other processes may load the machine. Nothing
here asserts a time.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl

from caregraph.diff import diff_graphs
from caregraph.loading import load_graph
from caregraph.resources import data_dir
from caregraph.sheets import build_template, import_sheets, write_template

DISTRICTS = ["Altstadt", "Neustadt", "Pieschen", "Klotzsche", "Loschwitz",
             "Blasewitz", "Leuben", "Prohlis", "Plauen", "Cotta"]  # fmt: skip


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed(label: str, step: Callable[[], Any]) -> Any:
    """Run ``step``, print its wall and CPU seconds, return its result."""
    wall, cpu = time.perf_counter(), _cpu()
    result = step()
    print(f"{label:<34} wall {time.perf_counter() - wall:7.2f} s   cpu {_cpu() - cpu:7.2f} s")
    return result


def filled_workbook(path: Path, rows: int) -> Path:
    """An actors template with ``rows`` generated actors."""
    template = build_template("actors")
    write_template(template, path)
    book = openpyxl.load_workbook(path)
    sheet = book["Akteure"]
    header = template.header
    for n in range(rows):
        row = dict.fromkeys(header, None)
        row.update(
            {
                "Name (deutsch)": f"Nachbarschaftshilfe Nr. {n}",
                "Name (englisch)": f"Neighbourhood help no. {n}",
                "Art": "freier Träger",
                "Sektor": "Organisationen der Zivilgesellschaft",
                "Aktiv in": DISTRICTS[n % len(DISTRICTS)],
                "Kooperiert mit": "Sozialamt",
            }
        )
        sheet.append(list(row.values()))
    book.save(path)
    return path


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print one line per step."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--formats", default="xlsx,ods,csv")
    parser.add_argument("--no-validate", action="store_true")
    args = parser.parse_args(argv)
    layers = () if args.no_validate else ("shapes", "rules")
    with tempfile.TemporaryDirectory() as folder:
        source = timed(
            f"generate {args.rows} rows (xlsx)",
            lambda: filled_workbook(Path(folder) / "akteure.xlsx", args.rows),
        )
        first = timed("import xlsx", lambda: import_sheets(source, layers=layers))
        print(f"{'rows imported':<34} {first.written} of {first.rows}")
        data = Path(folder) / "graph"
        data.mkdir()
        (data / "imported.ttl").write_text(first.graph.serialize(format="turtle"), "utf-8")
        bundled = load_graph()
        context = [data, data_dir()]
        for fmt in args.formats.split(","):
            target = Path(folder) / f"filled.{fmt}"
            template = timed(
                f"template --filled ({fmt})",
                lambda: build_template("actors", filled=True, data=context),
            )
            timed(f"write template ({fmt})", lambda t=template, p=target: write_template(t, p))
            result = timed(
                f"import again ({fmt})",
                lambda p=target: import_sheets(p, kind="actors", layers=layers, data=context),
            )
            diff = timed(
                f"diff against the graph ({fmt})",
                lambda r=result: diff_graphs(
                    bundled + first.graph,
                    r.graph,
                    only_new_resources=True,
                    ignore_import_provenance=True,
                ),
            )
            print(f"{'round trip equal (' + fmt + ')':<34} {diff.empty}")


if __name__ == "__main__":
    main()
