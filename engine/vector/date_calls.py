"""The date functions over columns (engine/lang/dates.py on day numbers): date, add_days,
add_working_days, days_between, year, month, day, quarter, quarter_index, quarters_between.

Each gives what the per-record function gives, row by row: safe mode's missing where an argument is
missing (its `_safe` wrapper answers None before the function could raise), and where the function
would raise (a number that is not whole, an impossible date, a result outside engine/limits.py's
years) an unsure row whose record is doubtful (dates.py). A whole-number argument is read exactly:
a data field from its own values (the runtime's `to_int` of each, so `contract.year` is exact in the
float pass too), otherwise an exact scaled integer or a Decimal of the later passes.
"""
from __future__ import annotations

import numpy as np

from ..lang import syntax
from ..lang.dates import to_int
from ..record import normalise
from .dates import FIRST, LAST, Day, as_day, doubt, ordinal, ymd
from .decimals import Dec
from .frames import Items, scalar
from .vectors import Const, Num, Unsupported, falses

FUNCTIONS = ("date", "add_days", "add_working_days", "days_between", "year", "month", "day", "quarter",
             "quarter_index", "quarters_between")
_CLIP = 10 ** 9      # whole numbers beyond ±this make no date in range: clipped, their sign kept


def date_call(columns, node: syntax.Call, frame):
    name, args = node.func, node.args
    if name == "date" and len(args) == 1:
        return as_day(columns, scalar(columns.eval(args[0], frame)), frame)
    if name == "date":
        return _date(columns, args, frame)
    if name == "quarter_index" and len(args) == 2:
        return _quarter_index(columns, args, frame)
    if name in ("add_days", "add_working_days"):
        day = as_day(columns, scalar(columns.eval(args[0], frame)), frame)
        n, miss, bad = whole(columns, args[1], frame)
        return _added(columns, frame, day, n, miss, bad, name == "add_working_days")
    days = [as_day(columns, scalar(columns.eval(a, frame)), frame) for a in args]
    if name == "days_between":
        a, b = days
        return _integers(b.v - a.v, a.miss | b.miss, a.unsure | b.unsure)
    if name == "quarters_between":
        a, b = days
        return _integers(_quarters(b) - _quarters(a), a.miss | b.miss, a.unsure | b.unsure)
    d = days[0]
    if name in ("quarter", "quarter_index"):
        k = _quarters(d)
        return _integers(k % 4 + 1 if name == "quarter" else k, d.miss, d.unsure)
    parts = ymd(np.where(d.miss | d.unsure, FIRST, d.v))
    return _integers(parts[("year", "month", "day").index(name)], d.miss, d.unsure)


def _quarters(d: Day) -> np.ndarray:
    """f_quarter_index of each date: year * 4 + (month - 1) // 3."""
    year, month, _ = ymd(np.where(d.miss | d.unsure, FIRST, d.v))
    return year * 4 + (month - 1) // 3


def _quarter_index(columns, args, frame):
    """quarter_index(year, quarter): f_quarter_index's to_int of each, the quarter 1 to 4 (else it
    raises); a year clipped by `whole` (beyond ±10⁹, which quarter_index accepts) is left to the
    per-record path too."""
    (y, my, by), (q, mq, bq) = (whole(columns, a, frame) for a in args)
    miss = my | mq
    unsure = ~miss & (by | bq | (np.abs(y) >= _CLIP) | (q < 1) | (q > 4))
    doubt(columns, frame, unsure)
    return _integers(np.where(miss | unsure, 0, y * 4 + q - 1), miss, unsure)


def _date(columns, args, frame) -> Day:
    """date(y, m, d): f_date's to_int of each, the calendar date, its range."""
    (y, my, by), (m, mm, bm), (d, md, bd) = (whole(columns, a, frame) for a in args)
    miss = my | mm | md
    days, ok = ordinal(y, m, d)
    unsure = ~miss & (by | bm | bd | ~ok)
    doubt(columns, frame, unsure)
    return Day(np.where(miss | unsure, 0, days), miss, unsure)


def _added(columns, frame, day: Day, n, n_miss, n_bad, working: bool) -> Day:
    miss = day.miss | n_miss
    if working:
        v, out = _working(day.v, n)
    else:
        v = day.v + n
        out = (v < FIRST) | (v > LAST)
    unsure = ~miss & (day.unsure | n_bad | out)
    doubt(columns, frame, unsure)
    return Day(np.where(miss | unsure, 0, v), miss, unsure)


def _working(d: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """f_add_working_days on day numbers, and where it raises. n ≤ 0: the day itself, unchecked.
    Otherwise a weekend day moves back to its Friday (checked), whole weeks are added at once
    (checked), then the rest day by day (each checked: only the last can pass the range's end),
    skipping Saturday and Sunday."""
    weekday = (d + 6) % 7                       # day number 1, 0001-01-01, is a Monday
    shifted = weekday > 4
    start = np.where(shifted, d + 4 - weekday, d)
    weeks, left = np.divmod(np.maximum(n, 0), 5)
    after_weeks = start + 7 * weeks
    wd = np.minimum(weekday, 4)
    end = after_weeks + left + np.where(wd + left > 4, 2, 0)
    out = (shifted & (start < FIRST)) | (after_weeks < FIRST) | (after_weeks > LAST) | (end > LAST)
    positive = n > 0
    return np.where(positive, end, d), positive & out


def whole(columns, node, frame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A whole-number argument: (its values clipped to ±_CLIP, missing, rows where to_int raises or
    the value is not known exactly)."""
    x = scalar(columns.eval(node, frame))
    size = frame.size
    if isinstance(x, Const):
        k, miss, bad = _ints([x.value], np.array([x.value is None]))
        return np.full(size, k[0]), np.full(size, miss[0]), np.full(size, bad[0])
    raw = _data_values(columns, node, frame)
    if raw is not None:
        return _ints(*raw)
    if isinstance(x, Dec):
        k, miss, bad = _ints(x.d.tolist(), x.miss)
        return k, miss, bad | (x.unsure & ~miss)
    if isinstance(x, Num) and x.exact is not None:
        k, places = x.exact
        scale = 10 ** places
        unknown = x.unsure if x.loose is None else x.unsure | x.loose
        bad = ~x.miss & (unknown | (k % scale != 0))
        return np.clip(k // scale, -_CLIP, _CLIP), x.miss, bad
    raise Unsupported("a whole number not known exactly")


def _data_values(columns, node, frame):
    """(the values, missing) of a number field of the data read by `node`, as the record holds them."""
    if not isinstance(node, syntax.Member):
        return None
    obj = columns.eval(node.obj, frame)
    if not isinstance(obj, Items):
        return None
    kind, values = obj.table.columns.get(obj.prefix + node.name, (None, None))
    if kind not in ("number", "integer", "number|string"):
        return None
    got = [values[j] for j in obj.idx.tolist()]
    miss = np.fromiter((v is None for v in got), bool, len(got))
    return got, miss if obj.miss is None else miss | obj.miss


def _ints(values: list, miss: np.ndarray):
    k, bad = np.zeros(len(values), np.int64), falses(len(values))
    for i in np.flatnonzero(~miss).tolist():
        try:
            k[i] = max(-_CLIP, min(_CLIP, to_int(normalise(values[i]))))
        except Exception:     # noqa: BLE001 - to_int's TypeError (or a Decimal that is not finite)
            bad[i] = True
    return k, miss, bad


def _integers(k: np.ndarray, miss: np.ndarray, unsure: np.ndarray) -> Num:
    """Whole numbers as exact numbers (Decimal(k), as the per-record function makes them)."""
    k = np.where(miss, 0, k).astype(np.int64)
    n = len(k)
    return Num(k.astype(float), np.zeros(n), miss, unsure & ~miss, (k, 0), np.ones(n, np.int8))
