"""Writing an empty template, as an XLSX workbook or a folder of CSV files, with an
instructions sheet in English and Indonesian and drop-down lists for coded columns."""

import csv
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import rdflib
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from smartcity_kg.report import LANGUAGES
from smartcity_kg.tabular.layout import (
    EXAMPLE,
    EXAMPLE_TITLE,
    INSTRUCTIONS,
    LISTS,
    SHEETS,
    WORDS,
    Column,
    Sheet,
    layout,
)


def write_template(target: Path, fmt: str, shapes: rdflib.Graph) -> list[Path]:
    """Write an empty template: an XLSX workbook at `target`, or a folder `target` of CSV
    files (one per sheet, plus instructions.csv). Returns the files written."""
    cols = layout(shapes)
    if fmt == "xlsx":
        _write_xlsx(target, cols)
        return [target]
    if fmt == "csv":
        target.mkdir(parents=True, exist_ok=True)
        written = []
        for sheet in SHEETS:
            path = target / f"{sheet.name}.csv"
            with path.open("w", newline="", encoding="utf-8") as out:
                csv.writer(out).writerow([c.name for c in cols[sheet.name]])
            written.append(path)
        path = target / f"{INSTRUCTIONS}.csv"
        with path.open("w", newline="", encoding="utf-8") as out:
            csv.writer(out).writerows(_instruction_rows(cols))
        return [*written, path]
    raise ValueError(f"unknown template format {fmt!r}")


def _instruction_rows(cols: dict[str, list[Column]]) -> Iterator[list[str]]:
    for lang in LANGUAGES:
        title, lines, _header = WORDS[lang]
        yield [title]
        yield from ([line] for line in lines)
        yield []
    yield [f"{WORDS['en'][2][i]} / {WORDS['id'][2][i]}" for i in range(4)] + [
        "description",
        "keterangan",
    ]
    for sheet in SHEETS:
        for column in cols[sheet.name]:
            yield [
                sheet.name,
                column.name,
                _required_text(sheet, column),
                ", ".join(column.choices()),
                column.description.get("en", ""),
                column.description.get("id", ""),
            ]
    yield []
    yield from example_rows(cols)


def example_rows(cols: dict[str, list[Column]]) -> Iterator[list[str]]:
    """The example of the instructions: its title, then for each sheet a row with the
    sheet's name and the columns it fills, and one row per example row (first cell empty)."""
    yield [EXAMPLE_TITLE]
    for sheet in SHEETS:
        rows = EXAMPLE.get(sheet.name, [])
        used = [c.name for c in cols[sheet.name] if any(row.get(c.name) for row in rows)]
        if rows:
            yield [sheet.name, *used]
            yield from (["", *(row.get(name, "") for name in used)] for row in rows)


def _required_text(sheet: Sheet, column: Column) -> str:
    if not column.required:
        return ""
    if column.required >= set(sheet.types):
        return "required / wajib"
    return "required for / wajib untuk: " + ", ".join(sorted(column.required))


def _write_xlsx(target: Path, cols: dict[str, list[Column]]) -> None:
    book = openpyxl.Workbook()
    info = book.active
    info.title = INSTRUCTIONS
    for row in _instruction_rows(cols):
        info.append(row)
    lists = book.create_sheet(LISTS)
    lists.sheet_state = "hidden"
    list_column = 0
    for sheet in SHEETS:
        ws = book.create_sheet(sheet.name)
        for index, column in enumerate(cols[sheet.name], start=1):
            cell = ws.cell(row=1, column=index, value=column.name)
            cell.font = Font(bold=bool(column.required))
            note = "\n\n".join(column.description.get(lang, "") for lang in LANGUAGES)
            if note.strip():
                cell.comment = Comment(note, "smartcity-kg")
            choices = column.choices()
            if not choices:
                continue
            list_column += 1
            letter = get_column_letter(list_column)
            for row, value in enumerate(choices, start=1):
                lists.cell(row=row, column=list_column, value=value)
            check = DataValidation(
                type="list",
                formula1=f"{LISTS}!${letter}$1:${letter}${len(choices)}",
                allow_blank=True,
                showErrorMessage=column.single,
            )
            ws.add_data_validation(check)
            check.add(f"{get_column_letter(index)}2:{get_column_letter(index)}1000")
    book.save(target)
