"""From spreadsheets into the graph: templates, declarative mappings and the import.

``build_template``/``write_template`` write a workbook to fill in, ``import_sheets`` turns
a filled .xlsx, .ods or .csv file into validated caregraph resources. The mappings are
W3C CSV on the Web metadata files in ``caregraph/sheets/mappings`` (docs/spreadsheets.md).
"""

from caregraph.sheets.importing import IMPORT_PREFIX, ImportResult, import_sheets
from caregraph.sheets.mapping import SheetMapping, kinds, mapping_for
from caregraph.sheets.template import Template, build_template, write_template

__all__ = [
    "IMPORT_PREFIX",
    "ImportResult",
    "SheetMapping",
    "Template",
    "build_template",
    "import_sheets",
    "kinds",
    "mapping_for",
    "write_template",
]
