"""Run-time support for compiled policies: the built-in functions and the two evaluation modes.

Compiled code runs every value and rule in **fast mode** first: native Python operators on Decimals,
`obj["field"]` for data access. Anything missing raises (KeyError, `Missing`), so fast mode never
yields a wrong answer, only an exception. On any such exception the same expression is recomputed in
**safe mode**, where missing data (`None`) propagates: arithmetic with a missing operand is missing,
aggregates skip missing elements, division by zero is missing (an undefined ratio), conditions use
three-valued logic. Safe mode defines the meaning; fast mode is the same meaning, faster, whenever
all data is present: a missing value never reaches fast mode (a null list element hands over too).
This module holds what both modes share (the decimal context, `Missing`, `Bands`, `NestedValues`)
and the fast-mode helpers (`f_…`); the safe-mode helpers (`s_…`) are in safe.py. Date functions
are in dates.py; numbers and dates accepted from files in engine/limits.py.
"""
from __future__ import annotations

import decimal
import re
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Callable

from ..display import value as render
from ..errors import EvaluationError
from ..limits import PRECISION, number_problem, short_number
# the date functions live in dates.py; compiled code finds them here with the other helpers
from .dates import (as_date, f_add_days, f_add_working_days, f_date, f_days_between, f_quarter,  # noqa: F401
                    f_quarter_index, f_quarters_between, to_int)

ZERO = Decimal(0)

# The decimal context every evaluation runs in (see decimal_context and engine/limits.py).
CONTEXT = decimal.Context(prec=PRECISION, rounding=decimal.ROUND_HALF_EVEN,
                          traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow])


def decimal_context():
    """`with decimal_context(): …` evaluates with the engine's own decimal context, whatever the
    caller's thread context is."""
    return decimal.localcontext(CONTEXT)


class Missing(KeyError):
    """Fast mode met a missing or undefined result: recompute in safe mode."""


class Bands:
    """A band table: ordered rows of an interval and a label (e.g. NKO ranges to predikat)."""

    __slots__ = ("rows", "_find")

    def __init__(self, rows: list[tuple[Decimal | None, bool, Decimal | None, bool, object]]):
        # each row: (low, low_inclusive, high, high_inclusive, label); None bound = unbounded
        self.rows = rows
        self._find = None

    def lookup(self, x):
        """The label of the first row holding x; None if none does."""
        find = self._find
        if find is None:
            find = self._find = _band_finder(self.rows)
        return find(x)

    def __getstate__(self):
        return self.rows

    def __setstate__(self, rows):
        self.rows, self._find = rows, None

    def __repr__(self):
        return f"Bands({len(self.rows)} rows)"


def _band_finder(rows) -> Callable:
    """`find(x)`: the rows as one if-chain (`x >= low and x < high` per row, the bounds and labels
    as constants), made once per table: a lookup is then a few comparisons, not a loop."""
    lines, constants = ["def find(x):"], {}
    for n, (low, low_inc, high, high_inc, label) in enumerate(rows):
        tests = []
        if low is not None:
            constants[f"lo{n}"] = low
            tests.append(f"x {'>=' if low_inc else '>'} lo{n}")
        if high is not None:
            constants[f"hi{n}"] = high
            tests.append(f"x {'<=' if high_inc else '<'} hi{n}")
        constants[f"label{n}"] = label
        lines.append(f"    if {' and '.join(tests) or 'True'}: return label{n}")
    lines.append("    return None")
    exec("\n".join(lines), constants)   # noqa: S102 - generated from the table's own rows only
    return constants["find"]


FAST_ERRORS = (KeyError, IndexError, TypeError, AttributeError, ZeroDivisionError,
               decimal.InvalidOperation, ValueError, EvaluationError)

QUANTUM = {n: Decimal(1).scaleb(-n) for n in range(0, 13)}


class _Counts(dict):
    """`count(…)` results as Decimals, made once per size (cheaper than Decimal(len(xs)) each time)."""

    def __missing__(self, n: int) -> Decimal:
        value = Decimal(n)
        if n < 10_000:
            self[n] = value
        return value


COUNTS = _Counts()


class NestedValues(dict):
    """The values of a nested `for_each`: entries keyed by the position of their binding tuple in
    `bindings` (E), read with dict.get(values, n) by output and trace.

    Compiled code looks a value up by its innermost item, `value[p]`: `values[id(p)]` and
    `values.get(id(p))` mean that lookup here. An inner item that occurs under several outer items
    (a shared parameter list) is ambiguous, an error rather than some other item's value. The index
    by item is made on first use."""

    __slots__ = ("bindings", "name", "_by_item")

    def __init__(self, values: dict, bindings: list[tuple], name: str):
        super().__init__(values)
        self.bindings = bindings
        self.name = name
        self._by_item: dict | None = None

    def _index(self) -> dict:
        by_item: dict = {}
        for n, binds in enumerate(self.bindings):
            key = id(binds[-1])
            by_item[key] = _AMBIGUOUS if key in by_item else dict.get(self, n)
        self._by_item = by_item
        return by_item

    def get(self, item_id, default=None):
        value = (self._by_item if self._by_item is not None else self._index()).get(item_id)
        if value is _AMBIGUOUS:
            raise ValueError(f"{self.name}[…] is ambiguous: this item occurs under several items of the "
                             "outer for_each")
        return default if value is None else value

    def __getitem__(self, item_id):
        value = self.get(item_id)
        if value is None:
            raise Missing("no value for this item")
        return value

    def by_item(self) -> dict:
        """The values by item as a plain dict (only the items that have one), for compiled lookups
        `values[id(p)]` and `values.get(id(p))` without a call each: the same value, or a KeyError
        where this raises Missing. Itself when an item is ambiguous (its lookups must raise)."""
        index = self._by_item if self._by_item is not None else self._index()
        if any(v is _AMBIGUOUS for v in index.values()):
            return self
        return {k: v for k, v in index.items() if v is not None}


def f_by_item(values):
    """A nested value's plain dict by item (NestedValues.by_item); any other value as it is."""
    return values.by_item() if type(values) is NestedValues else values


_AMBIGUOUS = object()


# ---- fast mode ------------------------------------------------------------------------------

def f_avg(xs):
    if not xs:
        raise Missing("average of nothing")
    return sum(xs, ZERO) / len(xs)


# Fast-mode aggregates: sum/avg/min/max/first/last raise on a missing (None) element themselves
# (None does not add or compare; min/max of [None] and first/last check the element they return).

def f_min(xs):
    if not xs:
        raise Missing("minimum of nothing")
    return _present(min(xs))


def f_max(xs):
    if not xs:
        raise Missing("maximum of nothing")
    return _present(max(xs))


def _present(x):
    if x is None:
        raise Missing("missing element")
    return x


def f_group(items, field: str) -> dict:
    """Items by the value of one field, each group in data order (a fast-path index for `where`)."""
    groups: dict = {}
    for item in items:
        groups.setdefault(item[field], []).append(item)
    return groups


class _Poison:
    """The mark of an accumulator (engine/lang/fusion.py) that met a failure: every arithmetic,
    item assignment and iteration on it raises TypeError, so a reader falls back to safe mode."""

    __slots__ = ()

    def __repr__(self):
        return "POISON"


POISON = _Poison()


def f_acc(acc, key, empty):
    """The group `key` of a grouped accumulator (`empty` if no item had it); raises when poisoned."""
    value = acc.get(key, empty)   # a wholly poisoned accumulator has no .get: AttributeError
    if value is POISON:
        raise Missing("a fused aggregate met a failure")
    return value


def f_poison(acc, key):
    """A grouped accumulator with group `key` poisoned; POISON if the key cannot be a group."""
    if acc is not POISON:
        try:
            acc[key] = POISON
            return acc
        except TypeError:   # unhashable key
            pass
    return POISON


def f_first(xs):
    if not xs:
        raise Missing("first of nothing")
    return _present(xs[0])


def f_last(xs):
    if not xs:
        raise Missing("last of nothing")
    return _present(xs[-1])


def f_max_by(pairs):
    """The item of the largest key among (key, item) pairs; the first one on a tie."""
    if not pairs:
        raise Missing("largest of nothing")
    best_key, best = pairs[0]
    for key, item in pairs:
        if key > best_key:
            best_key, best = key, item
    return best


def f_min_by(pairs):
    """The item of the smallest key among (key, item) pairs; the first one on a tie."""
    if not pairs:
        raise Missing("smallest of nothing")
    best_key, best = pairs[0]
    for key, item in pairs:
        if key < best_key:
            best_key, best = key, item
    return best


def f_count_by(xs) -> dict:
    """{value: how many elements have it}, in order of first appearance; numbers equal by value
    (1 and 1.0 are one key)."""
    counts: dict = {}
    for x in xs:
        counts[x] = counts.get(x, 0) + 1
    return {x: COUNTS[n] for x, n in counts.items()}


def f_distinct(xs):
    return list(dict.fromkeys(xs))


def f_band(x, bands: Bands):
    label = bands.lookup(x)
    if label is None:
        raise Missing("no band")
    return label


def f_index(obj, key):
    value = obj[to_int(key)] if isinstance(obj, list) else obj[key]
    if value is None:  # a null list element: missing, which fast mode hands over to safe mode
        raise Missing("missing element")
    return value


def f_known(xs):
    """A collection for a fast-mode aggregate: a missing (null) element hands over to safe mode,
    which skips it (`count([1, null, 3])` is 2, `first([null, 5])` is 5)."""
    if type(xs) is list:   # not `None in xs`: a Decimal compared with None asks an ABC each time
        for x in xs:
            if x is None:
                raise Missing("missing element")
    elif None in xs:
        raise Missing("missing element")
    return xs


def f_interpolate(x, points):
    """Piecewise-linear scale through [[x0, y0], [x1, y1], …] (x ascending); flat outside."""
    pts = [(p[0], p[1]) for p in points]
    if x <= pts[0][0]:
        return pts[0][1]
    for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
        if x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return pts[-1][1]


_DECIMAL_TEXT = re.compile(r"\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*")


def f_number(x):
    """`number(x)`: a number as it is; decimal text (JSON's number syntax, with an optional sign and
    surrounding spaces) as the exact Decimal it writes, within the limits of engine/limits.py.
    Anything else (other text, a date, true) is an error: a figure is never guessed."""
    if type(x) is Decimal:
        return x
    if isinstance(x, str) and _DECIMAL_TEXT.fullmatch(x):
        value = Decimal(x.strip())
        if short_number(x):   # too short to break any limit
            return value
        problem = number_problem(value)
        if problem is None:
            return value
        raise EvaluationError(f"number({x!r}): {problem}")
    shown = repr(x) if isinstance(x, str) else render(x)
    raise EvaluationError(f"number({shown}): not a number or decimal text")


def f_need(x):
    """Fast mode cannot return 'missing': hand over to safe mode instead."""
    if x is None:
        raise Missing("missing")
    return x


def f_null():
    raise Missing("null")
