"""An empty workbook laid out for entering one contract of a data schema (`kinerja template`).

The layout is `engine.xlsx_layout`'s, so a filled template is read back by `engine.xlsx_source`.
Each field's schema description is its header's cell comment, an enum becomes a drop-down list
(data validation), text columns are formatted as text (a civil-servant number such as
`197604152000122001` would otherwise lose digits as a number) and date columns as `yyyy-mm-dd`.
A field with a constant value (`kind: organization_contract`) is filled in already.
"""
from __future__ import annotations

from typing import IO

from .schemas import SchemaSet, load_schema
from .xlsx_layout import Column, Table, layout, openpyxl

ENTRY_ROWS = 200        # rows of a collection sheet that get the column formats and drop-downs
DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"


def write_template(schema_name: str, out: IO[bytes], schemas: SchemaSet | None = None) -> None:
    """Write the data-entry workbook of schema `schema_name` to the binary stream `out`."""
    xl = openpyxl()
    root = layout(schema_name, schemas)
    constants = {k: v["const"] for k, v in load_schema(schema_name, schemas).get("properties", {}).items()
                 if isinstance(v, dict) and "const" in v}
    wb = xl.Workbook()
    wb.remove(wb.active)
    for table in root.tables():
        ws = wb.create_sheet(table.sheet)
        if table.fields_sheet:
            _fields_sheet(ws, table, constants)
        else:
            _collection_sheet(ws, table)
    wb.save(out)


def _fields_sheet(ws, table: Table, constants: dict) -> None:
    """`field | value` rows: the field name (with its description as a comment), an empty value cell."""
    ws.append(["field", "value"])
    _bold(ws[1])
    for row, column in enumerate(table.columns, start=2):
        name = ws.cell(row, 1, column.header)
        name.comment = _comment(column)
        value = ws.cell(row, 2, constants.get(column.header) if len(column.path) == 1 else None)
        _format(value, column)
        if column.enum:
            _drop_down(ws, column, f"B{row}")
    ws.column_dimensions["A"].width = max(len(c.header) for c in table.columns) + 2
    ws.column_dimensions["B"].width = 60
    ws.freeze_panes = "A2"


def _collection_sheet(ws, table: Table) -> None:
    """One header row (the parent's key first, for a nested collection); formats and drop-downs below."""
    letter = openpyxl("utils").get_column_letter
    columns = ([Column((table.key_header,), table.parent_key.kind,
                       f"{table.parent_key.header} of the {table.parent.sheet} row this row belongs to")]
               if table.parent_key else []) + table.columns
    ws.append([c.header for c in columns])
    _bold(ws[1])
    for i, column in enumerate(columns, start=1):
        ws.cell(1, i).comment = _comment(column)
        ws.column_dimensions[letter(i)].width = max(12, len(column.header) + 2)
        for row in range(2, ENTRY_ROWS + 2):
            _format(ws.cell(row, i), column)
        if column.enum:
            _drop_down(ws, column, f"{letter(i)}2:{letter(i)}{ENTRY_ROWS + 1}")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{letter(len(columns))}1"


def _comment(column: Column):
    text = column.description or ""
    if column.kind == "list":
        text = (text + "\n" if text else "") + "One value per line."
    if column.required:
        text = "Required. " + text
    return openpyxl("comments").Comment(text, "kinerja") if text else None


def _format(cell, column: Column) -> None:
    if column.kind == "date":
        cell.number_format = DATE_FORMAT
    elif column.kind in ("text", "list"):
        cell.number_format = TEXT_FORMAT


def _drop_down(ws, column: Column, cells: str) -> None:
    listed = ",".join(str(v) for v in column.enum)
    check = openpyxl("worksheet.datavalidation").DataValidation(
        type="list", formula1=f'"{listed}"', allow_blank=True, showErrorMessage=True,
        errorTitle=column.header, error=f"one of: {', '.join(str(v) for v in column.enum)}")
    check.add(cells)
    ws.add_data_validation(check)


def _bold(row) -> None:
    font = openpyxl("styles").Font(bold=True)
    for cell in row:
        cell.font = font
