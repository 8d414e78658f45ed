"""Filling a `kinerja template` workbook from contract data, as a person would type it (for the xlsx tests)."""
from __future__ import annotations

import datetime as _dt
import io
from pathlib import Path

import openpyxl

from engine.xlsx_layout import FIELDS_SHEET, Table, layout
from engine.xlsx_template import write_template


def filled_template(data: dict, target: Path, schema: str = "organization_contract") -> Path:
    """Write the template of `schema` to `target` with `data` typed into it; dates as Excel dates."""
    buffer = io.BytesIO()
    write_template(schema, buffer)
    wb = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    root = layout(schema)
    rows = {c.header: r for r, c in enumerate(root.columns, start=2)}
    for column in root.columns:
        value = _at(data, column.path)
        if value is not None:
            wb[FIELDS_SHEET].cell(rows[column.header], 2, _typed(value, column.kind))
    for table in root.children:
        _fill(wb, table, [data], None)
    wb.save(target)
    return target


def _fill(wb, table: Table, parents: list, parent_table: Table | None) -> None:
    ws = wb[table.sheet]
    headers = [c.value for c in ws[1]]
    for parent in parents:
        for item in _at(parent, table.path) or []:
            row = _next_row(ws)
            for i, header in enumerate(headers, start=1):
                if header == table.key_header:
                    value, kind = _at(parent, parent_table.key.path), parent_table.key.kind
                else:
                    column = next(c for c in table.columns if c.header == header)
                    value, kind = _at(item, column.path), column.kind
                if value is not None:
                    ws.cell(row, i, _typed(value, kind))
    for child in table.children:
        _fill(wb, child, [i for p in parents for i in (_at(p, table.path) or [])], table)


def _next_row(ws) -> int:
    row = 2
    while any(ws.cell(row, i).value is not None for i in range(1, ws.max_column + 1)):
        row += 1
    return row


def _at(data, path):
    for part in path:
        data = data.get(part) if isinstance(data, dict) else None
    return data


def _typed(value, kind):
    if kind == "list":
        return "\n".join(value)
    if kind == "date":
        return _dt.date.fromisoformat(str(value))
    return value
