"""Dates in compiled policies: data dates (ISO text) as dates, whole numbers, and the date functions
(days, working days, quarters).

Every date a function makes lies in engine/limits.py's range (years 1900–2200); beyond it, or where
Python's date arithmetic would overflow, the function raises EvaluationError (the engine's own
error, which fast mode hands over to safe mode and safe mode reports for that value). No function
loops over a count the data chooses: add_working_days adds whole weeks at once.
"""
from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from functools import lru_cache

from ..display import plural
from ..display import value as render
from ..errors import EvaluationError
from ..limits import date_problem


@lru_cache(maxsize=4096)
def _parse_date(text: str) -> _dt.date:
    return _dt.date.fromisoformat(text)


def as_date(x):
    """Data dates arrive as ISO text (validated by the schema); turn them into dates."""
    if x is None or isinstance(x, _dt.date):
        return x
    return _parse_date(x)


def to_int(x) -> int:
    if isinstance(x, bool) or not isinstance(x, (Decimal, int)) or x != int(x):
        raise TypeError(f"expected a whole number, got {render(x)}")
    return int(x)


def _in_range(day: _dt.date) -> _dt.date:
    problem = date_problem(day)
    if problem is not None:
        raise EvaluationError(problem)
    return day


def _days_after(day: _dt.date, n: int) -> _dt.date:
    try:
        return _in_range(day + _dt.timedelta(days=n))
    except OverflowError:  # beyond year 9999 (or before year 1)
        raise EvaluationError(f"date out of range: {plural(n, 'day')} after {day.isoformat()}") from None


def f_date(*args):
    if len(args) == 1:
        return as_date(args[0])
    y, m, d = (to_int(a) for a in args)
    try:
        return _in_range(_dt.date(y, m, d))
    except OverflowError:   # a number beyond C's int (day 1E+15): no such date, as for day 32
        raise EvaluationError(f"no such date: year {y}, month {m}, day {d}") from None


def f_add_days(d, n):
    return _days_after(as_date(d), to_int(n))


def f_add_working_days(d, n):
    """Add n working days (Monday–Friday); public holidays are not known to the engine.

    Whole weeks are added at once (5 working days are 7 days from a weekday; from a weekend day
    they count from the Friday before), so a large n does not loop day by day."""
    day, left = as_date(d), to_int(n)
    if left <= 0:
        return day
    if day.weekday() > 4:
        day = _days_after(day, 4 - day.weekday())
    weeks, left = divmod(left, 5)
    day = _days_after(day, 7 * weeks)
    while left > 0:
        day = _days_after(day, 1)
        if day.weekday() < 5:
            left -= 1
    return day


def f_days_between(a, b):
    return Decimal((as_date(b) - as_date(a)).days)


def f_quarter(d) -> Decimal:
    """The quarter of the year a date lies in: 1 (January–March) … 4 (October–December)."""
    return Decimal((as_date(d).month - 1) // 3 + 1)


def f_quarter_index(*args) -> Decimal:
    """A quarter as one running number, year * 4 + quarter - 1, so quarters subtract across a year
    end: `quarter_index(date)` or `quarter_index(year, quarter)` with quarter 1–4."""
    if len(args) == 1:
        day = as_date(args[0])
        return Decimal(day.year * 4 + (day.month - 1) // 3)
    year, quarter = (to_int(a) for a in args)
    if not 1 <= quarter <= 4:
        raise EvaluationError(f"a quarter is 1 to 4, not {quarter}")
    return Decimal(year * 4 + quarter - 1)


def f_quarters_between(a, b) -> Decimal:
    """Whole quarters from a's quarter to b's (negative if b is earlier): Q3 2025 to Q1 2026 is 2."""
    return f_quarter_index(b) - f_quarter_index(a)
