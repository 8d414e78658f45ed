"""Dates as columns: each row's date as its day number (`date.toordinal()`, int64), exact in every pass.

Only what the per-record path holds as a date becomes one: a data field the checker typed as a date
(its node in the checker's `date_nodes`, which the compiled code reads through `as_date`), a date
parameter, and what the date functions make (date_calls.py). Data text becomes a day number by the
runtime's own `as_date`, once per distinct text. Wherever the per-record path would raise (a text
that is no date, an impossible date, one outside engine/limits.py's years, a number that is not
whole) or the columns cannot tell whether it would, the row is unsure and its record is marked
`doubt` (compiler.Columns): an error the per-record path reports in its Result, even for a value
nothing reads, so those records go to the next pass and at last to `policy.evaluate`.
Comparisons, `if` and `min`/`max` of dates work on the day numbers; a date leaves the columns (an
output, a message) as the `datetime.date` itself, rendered by engine.display as the template does.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

import numpy as np

from ..lang.dates import as_date
from ..limits import MAX_YEAR, MIN_YEAR
from .tables import mark
from .vectors import Bool, Const, Text, Unsupported, falses

FIRST = _dt.date(MIN_YEAR, 1, 1).toordinal()     # the range every date a function makes must lie in
LAST = _dt.date(MAX_YEAR, 12, 31).toordinal()
_EPOCH = _dt.date(1970, 1, 1).toordinal()          # day 0 of numpy's datetime64[D]


@dataclass
class Day:
    """A date column: day numbers with missing and unsure rows."""
    v: np.ndarray       # int64 day numbers (0 where missing)
    miss: np.ndarray
    unsure: np.ndarray  # rows where the per-record path may raise (their records are doubtful)

    def take(self, idx):
        return Day(self.v[idx], self.miss[idx], self.unsure[idx])

    def __len__(self):
        return len(self.v)


def doubt(columns, frame, rows: np.ndarray) -> None:
    """Rows of `frame` where the per-record path may raise: their records leave the columns."""
    mark(columns.doubt, frame.record, rows)


def from_text(columns, col, frame) -> Day:
    """A data field the checker typed as a date: each distinct text through the runtime's `as_date`
    once (a text it refuses makes its rows doubtful)."""
    if isinstance(col, Day):
        return col
    if isinstance(col, Const):
        return as_day(columns, col, frame)
    if not isinstance(col, Text):
        raise Unsupported("a date field that is not text")
    words, codes = col.encoded()
    days, bad = np.zeros(len(words) + 1, np.int64), np.zeros(len(words) + 1, bool)
    for i, word in enumerate(words):
        try:
            days[i] = as_date(word).toordinal()
        except Exception:     # noqa: BLE001 - whatever as_date raises, the record's error is per record
            bad[i] = True
    present = ~col.miss
    v, unsure = np.where(present, days[codes], 0), present & (bad[codes] | col.unsure)
    doubt(columns, frame, unsure)
    return Day(v, col.miss, unsure)


def as_day(columns, x, frame) -> Day:
    """A date column of `x`: a Day, a date parameter, null, text known to be a date (`as_date`)."""
    if isinstance(x, Day):
        return x
    n = frame.size
    if isinstance(x, Const):
        value = x.value
        if isinstance(value, str):
            try:
                value = as_date(value)
            except Exception:     # noqa: BLE001 - an error on every row: per record
                raise Unsupported("a text that is no date") from None
        if value is None:
            return Day(np.zeros(n, np.int64), np.ones(n, bool), falses(n))
        if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
            return Day(np.full(n, value.toordinal(), np.int64), falses(n), falses(n))
        raise Unsupported("not a date")
    if isinstance(x, Text):
        return from_text(columns, x, frame)
    raise Unsupported("not a date")


def is_date(x) -> bool:
    return isinstance(x, Day) or (isinstance(x, Const) and isinstance(x.value, _dt.date))


_ORDER = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal,
          "==": np.equal, "!=": np.not_equal}


def compare(columns, op: str, a, b, frame):
    """Dates compared by day number; missing where either is (safe mode's comparison)."""
    if isinstance(a, Text) or isinstance(b, Text) or op not in _ORDER:
        raise Unsupported("a date compared with text")
    a, b = as_day(columns, a, frame), as_day(columns, b, frame)
    miss = a.miss | b.miss
    return Bool(_ORDER[op](a.v, b.v), miss, (a.unsure | b.unsure) & ~miss)


def extreme(columns, args: list, largest: bool, frame) -> Day:
    """`max(a, b, …)` / `min(…)` of dates: missing if any is (safe mode's s_max)."""
    days = [as_day(columns, a, frame) for a in args]
    v, miss, unsure = days[0].v, days[0].miss, days[0].unsure
    for d in days[1:]:
        v = np.maximum(v, d.v) if largest else np.minimum(v, d.v)
        miss, unsure = miss | d.miss, unsure | d.unsure
    return Day(np.where(miss, 0, v), miss, unsure & ~miss)


def merged(columns, parts, c, unsure: np.ndarray, n: int) -> Day:
    """`if`'s branches (`parts`: rows and column each) as one date column; a row whose condition is
    missing is missing."""
    v, miss = np.zeros(n, np.int64), c.miss.copy()
    for rows, x in parts:
        if not isinstance(x, (Day, Const)):
            raise Unsupported("an if of a date and another value")
        x = as_day(columns, x, _Rows(len(rows)))
        v[rows], miss[rows] = x.v, x.miss
        unsure[rows] |= x.unsure
    return Day(v, miss, unsure)


class _Rows:
    """What as_day reads of a frame for a branch: its size (a constant branch has no rows to doubt)."""

    def __init__(self, size: int):
        self.size = size


def python_dates(col: Day) -> list:
    """The dates of a column as `datetime.date` (None where missing), as the per-record path has them
    (None also where unsure: those records leave the columns)."""
    out = [None] * len(col)
    for i in np.flatnonzero(~col.miss & ~col.unsure).tolist():
        out[i] = _dt.date.fromordinal(int(col.v[i]))
    return out


def ymd(v: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month and day of each day number (numpy's proleptic Gregorian calendar, as Python's)."""
    days = (v - _EPOCH).astype("datetime64[D]")
    months = days.astype("datetime64[M]")
    year = days.astype("datetime64[Y]").astype(np.int64) + 1970
    month = months.astype(np.int64) % 12 + 1
    day = (days - months.astype("datetime64[D]")).astype(np.int64) + 1
    return year, month, day


_BEFORE_MONTH = np.array([0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334], np.int64)
_LENGTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], np.int64)


def ordinal(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The day number of each (y, m, d) and where that is a date `date()` accepts: a real calendar
    date (February 29 only in leap years) in engine/limits.py's years."""
    leap = (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))
    month = np.clip(m, 1, 12)
    length = _LENGTH[month] + (leap & (month == 2))
    ok = (y >= MIN_YEAR) & (y <= MAX_YEAR) & (m >= 1) & (m <= 12) & (d >= 1) & (d <= length)
    y1 = np.where(ok, y, MIN_YEAR) - 1
    days = y1 * 365 + y1 // 4 - y1 // 100 + y1 // 400 + _BEFORE_MONTH[month] + (leap & (month > 2)) + d
    return np.where(ok, days, 0), ok
