"""The numbers and dates the engine accepts from source text, and the decimal precision they need.

Policies and data are exact decimals, and arithmetic is exact up to PRECISION significant digits
(the README's figure): every evaluation runs in a decimal context of its own with that precision
(engine/lang/runtime.py), whatever the caller's thread context is. So that no written figure is
ever rounded twice (once silently when it first enters arithmetic, then again by a policy's
`round`: 99.99 written with 30 digits became 100.00), a number read from a policy or a data file
has at most MAX_DIGITS = PRECISION digits, no digit below 10**MIN_EXPONENT and a magnitude below
10**(MAX_ADJUSTED + 1) (a billion billion: budgets in rupiah fit). A number outside the limits is
rejected where it is written ("number too large" at file:line:col) before any arithmetic sees it:
`1e999999` would otherwise make a whole-number check or a date offset build a million-digit
integer. Dates are accepted for the years MIN_YEAR to MAX_YEAR: date arithmetic near year 9999
overflows. A YAML document may nest MAX_DEPTH collections deep and expand (through aliases) to at
most MAX_NODES nodes (engine/yaml_source.py).
"""
from __future__ import annotations

import datetime as _dt
from decimal import Decimal

PRECISION = 28        # significant digits of every result (Python's default, now fixed)
MAX_DIGITS = PRECISION  # digits written, trailing zeros included (100.00 has 5): never rounded on entry
MAX_ADJUSTED = 17     # |x| < 10**18
MIN_EXPONENT = -28    # at most 28 decimal places
MIN_YEAR, MAX_YEAR = 1900, 2200
MAX_NODES = 100_000   # YAML expansion limit against alias bombs: the largest bundled file has ~1,800 nodes
MAX_DEPTH = 200       # nesting limit of YAML collections: building recurses once per level (real files: < 15)
# A number written without an exponent in fewer characters than this is within every limit above by
# its length alone (today 19: at most 18 digits, none of them beyond a limit), so readers of number
# text (engine/json_source.py, the language's `number(x)`) skip `number_problem` for it.
SHORT_NUMBER = min(MAX_ADJUSTED + 1, MAX_DIGITS, -MIN_EXPONENT + 2) + 1


def short_number(text: str) -> bool:
    """True when number text is within every limit by its length alone (see SHORT_NUMBER)."""
    return len(text) < SHORT_NUMBER and "e" not in text and "E" not in text


NOT_FINITE = "is not a finite decimal number"   # NaN, an infinity (also in Python data: record.py)


def number_problem(value: Decimal) -> str | None:
    """Why a number read from source text is not accepted, or None if it is."""
    if not value.is_finite():
        return NOT_FINITE
    sign, digits, exponent = value.as_tuple()
    if value and value.adjusted() > MAX_ADJUSTED:
        return f"number too large: at most {MAX_ADJUSTED + 1} digits before the decimal point"
    if len(digits) > MAX_DIGITS:
        return f"number has too many digits: at most {MAX_DIGITS} significant digits"
    if exponent < MIN_EXPONENT:
        return f"number too precise: at most {-MIN_EXPONENT} decimal places"
    return None


def date_problem(day: _dt.date) -> str | None:
    """Why a date is not accepted, or None if it is."""
    if MIN_YEAR <= day.year <= MAX_YEAR:
        return None
    return f"date out of range: {day.isoformat()} (years {MIN_YEAR}–{MAX_YEAR} are accepted)"
