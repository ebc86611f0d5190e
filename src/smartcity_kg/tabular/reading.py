"""Reading a filled template, an XLSX workbook or a folder of CSV files, into tables and
importing them."""

import csv
from pathlib import Path

import openpyxl
import rdflib

from smartcity_kg.errors import LoadError
from smartcity_kg.tabular.importing import Imported, Importer, Table
from smartcity_kg.tabular.layout import INSTRUCTIONS, LISTS, layout


def read(source: Path, shapes: rdflib.Graph) -> Imported:
    """Import a filled template (an XLSX workbook, or a folder of CSV files) as RDF.
    TemplateError lists every problem by sheet, row and column."""
    tables = _read_xlsx(source) if source.is_file() else _read_csv_folder(source)
    return Importer(layout(shapes), source).run(tables)


def _read_xlsx(source: Path) -> dict[str, tuple[list[str], Table]]:
    try:
        book = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises zipfile, KeyError and XML errors alike
        raise LoadError(f"{source}: not an Excel workbook (.xlsx): {error}") from None
    tables = {}
    for ws in book.worksheets:
        if ws.title in (INSTRUCTIONS, LISTS):
            continue
        rows = [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
        tables[ws.title] = _table(rows)
    book.close()
    return tables


def _read_csv_folder(source: Path) -> dict[str, tuple[list[str], Table]]:
    tables = {}
    for path in sorted(source.glob("*.csv")):
        if path.stem == INSTRUCTIONS:
            continue
        try:
            with path.open(newline="", encoding="utf-8-sig") as handle:
                rows = [[cell.strip() for cell in row] for row in csv.reader(handle)]
        except (UnicodeDecodeError, csv.Error) as error:
            raise LoadError(f"{path}: not a UTF-8 CSV file: {error}") from None
        tables[path.stem] = _table(rows)
    return tables


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _table(rows: list[list[str]]) -> tuple[list[str], Table]:
    header = rows[0] if rows else []
    body = [
        (number, {name: row[i] if i < len(row) else "" for i, name in enumerate(header) if name})
        for number, row in enumerate(rows[1:], start=2)
        if any(row)
    ]
    return header, body
