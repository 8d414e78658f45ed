"""Writing report values into Excel cells: numbers as numbers, dates as dates, sheets as tables.

Excel holds numbers as binary doubles (15 significant digits shown). A Decimal of at most 15
significant digits is written as its float: Excel then shows exactly the Decimal's digits, and
sums, sorts and filters work. A Decimal with more digits (or beyond a double's range) is written as
the float nearest to it with the exact text in the cell's comment ("exact: …"), so nothing is lost
and the number still counts as a number; one beyond a double's range is written as its exact text.
A date (or ISO date text in a date column) becomes an Excel date. Booleans stay booleans.

`Sheets` writes the workbook in openpyxl's write-only (streaming) mode: memory does not grow with
the number of rows. Each table sheet gets a bold, frozen header row and an autofilter over its rows.
"""
from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import IO, Any, Iterable

from ..display import number
from ..xlsx_layout import openpyxl

EXACT_DIGITS = 15      # a Decimal with at most this many significant digits survives float() for display
DATE_FORMAT = "yyyy-mm-dd"


def exact_in_float(d: Decimal) -> bool:
    return d.is_finite() and len(d.as_tuple().digits) <= EXACT_DIGITS


class Sheets:
    """A write-only workbook of sheets, written to a binary stream at `save`."""

    def __init__(self):
        self.wb = openpyxl().Workbook(write_only=True)
        self.rows: dict[str, int] = {}
        self.widths: dict[str, int] = {}

    def table(self, name: str, headers: list[str], freeze: str = "A2"):
        """A new sheet with a bold, frozen header row; `row(sheet, values)` adds its rows."""
        ws = self.wb.create_sheet(name)
        ws.freeze_panes = freeze
        ws.append([self.cell(ws, h, bold=True) for h in headers])
        self.rows[ws.title], self.widths[ws.title] = 1, len(headers)
        return ws

    def row(self, ws, values: Iterable[Any]) -> None:
        ws.append([self.cell(ws, v) for v in values])
        self.rows[ws.title] = self.rows.get(ws.title, 0) + 1

    def cell(self, ws, value: Any, bold: bool = False):
        """A cell holding `value` as Excel should: see the module's docstring."""
        cell = openpyxl("cell").WriteOnlyCell(ws)
        if isinstance(value, Decimal):
            self._number(cell, value)
        elif isinstance(value, (_dt.date, _dt.datetime)):
            cell.value, cell.number_format = value, DATE_FORMAT
        elif value is None or isinstance(value, (str, int, float)):
            cell.value = value
        else:   # a table, a list: as the text report shows it
            cell.value = str(value)
        if bold:
            cell.font = openpyxl("styles").Font(bold=True)
        return cell

    @staticmethod
    def _number(cell, d: Decimal) -> None:
        as_float = float(d) if d.is_finite() else None
        if as_float is None or as_float in (float("inf"), float("-inf")) or (as_float == 0 and d != 0):
            cell.value = number(d)     # NaN, or beyond a double's range: the exact text
            return
        cell.value = as_float
        if not exact_in_float(d):
            cell.comment = openpyxl("comments").Comment(f"exact: {number(d)}", "kinerja")

    def save(self, out: IO[bytes]) -> None:
        """Set each table's autofilter over its rows and write the workbook to `out`."""
        letter = openpyxl("utils").get_column_letter
        for ws in self.wb.worksheets:
            if ws.title in self.widths:
                ws.auto_filter.ref = f"A1:{letter(self.widths[ws.title])}{self.rows[ws.title]}"
        self.wb.save(out)


def decimal_of(text: Any) -> Any:
    """A report document's exact number text (engine.result.jsonable) back as a Decimal; None stays None."""
    return None if text is None else Decimal(text) if isinstance(text, str) else text
