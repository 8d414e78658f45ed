"""Reading a contract from an Excel workbook laid out like `kinerja template` (`engine.xlsx_layout`).

The workbook becomes the same mapping a YAML file gives: numbers as Decimals (an Excel number is a
binary double; its shortest text, `repr`, is what was typed, so 99.4 stays 99.4; a number typed as
text in a number column is read from that text), dates as ISO text, empty cells left out. A value
the schema will reject (text in a number column, an unknown header) is kept as written, so that
validation reports it where it is.

Where things are: a `CellMap` is the YAML reader's `SourceMap` with cells for positions; its
locations are `CellLocation`s, a `Location` whose text form is `pk.xlsx:iku!D7` (file:sheet!cell).
This is the minimal choice: `file` stays the workbook's path and `line`/`column` stay None, so every
error message (text reports, compare's error texts) reads `file:sheet!cell: …`, while the machine
fields of JSON and SARIF name the file only. A violation of a policy rule carries no line (its data
path, e.g. `iku[3]`, says where). Formulas are read as the values Excel last computed.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from .errors import DataError, Location
from .schemas import SchemaSet, standard
from .source import DataPath, SourceMap
from .xlsx_layout import FIELDS_SHEET, Column, Table, layout, openpyxl

DEFAULT_SCHEMA = "organization_contract"
NUMBER_TEXT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


@dataclass(frozen=True)
class CellLocation(Location):
    """A cell of a workbook: shown as `file:sheet!cell` (or `file:sheet` for a whole sheet)."""

    sheet: str | None = None
    cell: str | None = None

    def __str__(self) -> str:
        if self.sheet is None:
            return self.file
        return f"{self.file}:{self.sheet}!{self.cell}" if self.cell else f"{self.file}:{self.sheet}"


@dataclass
class CellMap(SourceMap):
    """`SourceMap` for a workbook: `values` and `keys` hold (sheet, cell) by data path, not positions."""

    def location(self, path: DataPath = (), *, key: bool = False, offset=None) -> Location:
        """The cell of the node at `path` (its header or field name if `key`), or of its nearest ancestor."""
        where = self.nearest(path, key=key)
        return CellLocation(self.file, sheet=where[0], cell=where[1]) if where else Location(self.file)


def read_workbook(path: str, schema_name: str | None = None,
                  schemas: SchemaSet | None = None) -> tuple[dict, CellMap]:
    """The contract in workbook `path` and where each value is; DataError if it cannot be read.
    The layout is that of `schema_name`, by default the one the `kind` field names (if it is a
    known data schema), else organization_contract."""
    xl = openpyxl()
    try:
        wb = xl.load_workbook(path, data_only=True)
    except Exception as e:   # a damaged or non-xlsx file: zipfile, XML and openpyxl errors alike
        raise DataError(f"cannot read this workbook: {e}", Location(path)) from None
    try:
        reader = _Reader(path, wb)
        root = layout(schema_name or _kind(wb, schemas), schemas)
        data = reader.fields(root)
        reader.collections(root, data)
        return data, reader.cells
    finally:
        wb.close()


def _kind(wb, schemas: SchemaSet | None) -> str:
    """The data schema the fields sheet's `kind` row names, if it is one, else the default."""
    if FIELDS_SHEET in wb.sheetnames:
        for name, value, *_ in wb[FIELDS_SHEET].iter_rows(min_row=2, max_col=2, values_only=True):
            if name == "kind" and isinstance(value, str) and value.strip() in (schemas or standard()).names():
                return value.strip()
    return DEFAULT_SCHEMA


class _Reader:
    def __init__(self, file: str, wb):
        self.wb, self.cells = wb, CellMap(file)
        self.items: dict[str, dict[Any, tuple[DataPath, dict]]] = {}   # sheet -> key value -> (path, item)

    def fields(self, root: Table) -> dict:
        """The fields sheet's `field | value` rows as the record's scalar fields."""
        data: dict = {}
        if FIELDS_SHEET not in self.wb.sheetnames:
            return data
        columns = {c.header: c for c in root.columns}
        for row in self.wb[FIELDS_SHEET].iter_rows(min_row=2):
            name_cell = row[0] if row else None
            value_cell = row[1] if len(row) > 1 else None
            if name_cell is None or not isinstance(name_cell.value, str) or not name_cell.value.strip():
                continue
            name = name_cell.value.strip()
            column = columns.get(name) or Column(tuple(name.split(".")), "text")
            self._put(data, (), column, value_cell, FIELDS_SHEET, key_cell=name_cell.coordinate)
        return data

    def collections(self, table: Table, record: dict) -> None:
        for child in table.children:
            if child.sheet in self.wb.sheetnames:
                self._rows(child, record)
            self.collections(child, record)

    def _rows(self, table: Table, record: dict) -> None:
        """Each row of a collection sheet as an item, appended to its parent item's list."""
        rows = self.wb[table.sheet].iter_rows()
        header = next(rows, ())
        columns = [(cell.column - 1, cell.coordinate, _column(cell.value, table))
                   for cell in header if isinstance(cell.value, str) and cell.value.strip()]
        for row in rows:
            cells = {i: row[i] for i, _, _ in columns if i < len(row) and _filled(row[i].value)}
            if not cells:
                continue
            base, container = self._owner(table, row, columns, cells, record)
            items = _list_at(container, table.path)
            path = base + table.path + (len(items),)
            item: dict = {}
            items.append(item)
            self.cells.values[path] = (table.sheet, row[min(cells)].coordinate)
            for i, header_cell, column in columns:
                if column is not None and i in cells:
                    self._put(item, path, column, cells[i], table.sheet, key_cell=header_cell)
            if table.children:
                self.items.setdefault(table.sheet, {}).setdefault(_key_of(item, table), (path, item))

    def _owner(self, table: Table, row, columns, cells, record) -> tuple[DataPath, dict]:
        """The item a row belongs to: the record, or the parent item its key column names."""
        if table.parent is None:
            return (), record
        key_index = next((i for i, _, c in columns if c is None), None)
        if key_index is None or key_index not in cells:
            raise DataError(f"{table.key_header} is required: it names the {table.parent.sheet} row this row "
                            "belongs to", CellLocation(self.cells.file, sheet=table.sheet,
                                                       cell=row[min(cells)].coordinate))
        key = _value(cells[key_index].value, table.parent_key)   # read as the parent's key column is
        found = self.items.get(table.parent.sheet, {}).get(key)
        if found is None:
            raise DataError(f"no {table.parent.sheet} row has {table.parent_key.header} {key!r}",
                            CellLocation(self.cells.file, sheet=table.sheet, cell=cells[key_index].coordinate))
        return found

    def _put(self, item: dict, base: DataPath, column: Column, cell, sheet: str, key_cell: str) -> None:
        """Set the cell's value at the column's (dotted) path inside `item`, and remember both cells."""
        if cell is None or not _filled(cell.value):
            return
        target = item
        for n, part in enumerate(column.path[:-1], start=1):
            target = target.setdefault(part, {})
            if not isinstance(target, dict):
                return
            self.cells.values.setdefault(base + column.path[:n], (sheet, cell.coordinate))   # its first cell
        path = base + column.path
        value = _value(cell.value, column)
        target[column.path[-1]] = value
        self.cells.values[path] = (sheet, cell.coordinate)
        self.cells.keys[path] = (sheet, key_cell)
        if isinstance(value, list):
            for i in range(len(value)):
                self.cells.values[path + (i,)] = (sheet, cell.coordinate)


def _column(header: str, table: Table) -> Column | None:
    """The column a header names; None for the parent-key column; an unknown header as a text column
    (the schema then reports it as an unknown field, at the header)."""
    name = header.strip()
    if name == table.key_header:
        return None
    known = next((c for c in table.columns if c.header == name), None)
    return known or Column(tuple(name.split(".")), "text")


def _list_at(container: dict, path: tuple[str, ...]) -> list:
    for part in path[:-1]:
        container = container.setdefault(part, {})
    return container.setdefault(path[-1], [])


def _key_of(item: dict, table: Table):
    value: Any = item
    for part in table.key.path if table.key else ():
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _filled(value) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _number(value) -> Decimal:
    return Decimal(value) if isinstance(value, int) else Decimal(repr(value))


def _value(value, column: Column) -> Any:
    """A cell's value as contract data, by what the schema expects in its column."""
    kind = column.kind
    if kind == "list":
        return [line.strip() for line in str(value).splitlines() if line.strip()]
    if isinstance(value, bool):
        return value
    if isinstance(value, _dt.datetime) and value.time() == _dt.time():
        value = value.date()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return _number(value) if kind in ("integer", "number", "number_or_text") else _text_of_number(value)
    text = value.strip() if isinstance(value, str) else value
    if kind in ("integer", "number", "number_or_text") and isinstance(text, str) and NUMBER_TEXT.match(text):
        try:
            return Decimal(text)
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            return text
    if kind == "boolean" and isinstance(text, str) and text.lower() in ("true", "false"):
        return text.lower() == "true"
    return text


def _text_of_number(value) -> str:
    """A number typed into a text column (a code such as 1, a year as text): its digits."""
    return str(value) if isinstance(value, int) or not value.is_integer() else str(int(value))
