"""Run-time support for compiled policies: the built-in functions and the two evaluation modes.

Compiled code runs every value and rule in **fast mode** first: native Python operators on Decimals,
`obj["field"]` for data access. Anything missing raises (KeyError, `Missing`), so fast mode never
yields a wrong answer, only an exception. On any such exception the same expression is recomputed in
**safe mode**, where missing data (`None`) propagates: arithmetic with a missing operand is missing,
aggregates skip missing elements, division by zero is missing (an undefined ratio), conditions use
three-valued logic. Safe mode defines the meaning; fast mode is the same meaning, faster, whenever
all data is present: a missing value never reaches fast mode (a null list element hands over too).
Date functions are in dates.py; numbers and dates accepted from files in engine/limits.py.
"""
from __future__ import annotations

import decimal
from decimal import ROUND_HALF_UP, Decimal

from ..display import value as render
from ..errors import EvaluationError
from ..limits import PRECISION
# the date functions live in dates.py; compiled code finds them here with the other helpers
from .dates import as_date, f_add_days, f_add_working_days, f_date, f_days_between, to_int  # noqa: F401

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

    __slots__ = ("rows",)

    def __init__(self, rows: list[tuple[Decimal | None, bool, Decimal | None, bool, object]]):
        # each row: (low, low_inclusive, high, high_inclusive, label); None bound = unbounded
        self.rows = rows

    def lookup(self, x):
        for low, low_inc, high, high_inc, label in self.rows:
            if low is not None and (x < low or (x == low and not low_inc)):
                continue
            if high is not None and (x > high or (x == high and not high_inc)):
                continue
            return label
        return None

    def __repr__(self):
        return f"Bands({len(self.rows)} rows)"


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


_AMBIGUOUS = object()


# ---- shared helpers (both modes) -------------------------------------------------------------

# ---- fast mode ------------------------------------------------------------------------------

def s_render(thunk) -> str:
    """Render a safe-mode placeholder; an error shows as (?) rather than losing the message."""
    try:
        return render(thunk())
    except Exception:
        return "(?)"


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


def f_first(xs):
    if not xs:
        raise Missing("first of nothing")
    return _present(xs[0])


def f_last(xs):
    if not xs:
        raise Missing("last of nothing")
    return _present(xs[-1])


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
    if None in xs:
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


# ---- safe mode: None is "missing" and propagates ----------------------------------------------

def s_values(per_item):
    return None if per_item is None else list(per_item.values())


def s_member(obj, name):
    if obj is None:
        return None
    if isinstance(obj, dict):
        return obj.get(name)
    raise TypeError(f"{render(obj)} has no field {name!r}")


def s_index(obj, key):
    if obj is None or key is None:
        return None
    if isinstance(obj, list):
        i = to_int(key)
        return obj[i] if -len(obj) <= i < len(obj) else None
    return obj.get(key)


def s_item(per_item, item):
    return None if per_item is None else per_item.get(id(item))


def s_neg(a):
    return None if a is None else -a


def s_add(a, b):
    return None if a is None or b is None else a + b


def s_sub(a, b):
    return None if a is None or b is None else a - b


def s_mul(a, b):
    return None if a is None or b is None else a * b


def s_div(a, b):
    if a is None or b is None or b == 0:
        return None  # an undefined ratio is missing, never zero
    return a / b


def s_eq(a, b):
    return None if a is None or b is None else a == b


def s_ne(a, b):
    return None if a is None or b is None else a != b


def s_lt(a, b):
    return None if a is None or b is None else a < b


def s_le(a, b):
    return None if a is None or b is None else a <= b


def s_gt(a, b):
    return None if a is None or b is None else a > b


def s_ge(a, b):
    return None if a is None or b is None else a >= b


def s_in(a, coll):
    if a is None or coll is None:
        return None
    return a in coll


def s_notin(a, coll):
    r = s_in(a, coll)
    return None if r is None else not r


def s_between(x, lo, hi_thunk):
    """`lo <= x and x <= hi`, three-valued (false wins over missing); hi is read only if needed."""
    low_ok = s_le(lo, x)
    if low_ok is False:
        return False
    high_ok = s_le(x, hi_thunk())
    if high_ok is False:
        return False
    return None if low_ok is None or high_ok is None else True


def s_not(a):
    return None if a is None else not a


def s_and(a, b_thunk):
    """Three-valued 'and': false wins over missing."""
    if a is False:
        return False
    b = b_thunk()
    if b is False:
        return False
    if a is None or b is None:
        return None
    return True


def s_or(a, b_thunk):
    """Three-valued 'or': true wins over missing."""
    if a is True:
        return True
    b = b_thunk()
    if b is True:
        return True
    if a is None or b is None:
        return None
    return False


def s_if(cond, then_thunk, else_thunk):
    if cond is None:
        return None
    return then_thunk() if cond else else_thunk()



def _collect(coll, body, where):
    """Elements of an aggregate in safe mode; None if the collection itself is missing. A missing
    element (null in a list) is skipped, and so is a missing body value."""
    if coll is None:
        return None
    out = []
    for item in coll:
        if item is None or (where is not None and where(item) is not True):
            continue
        value = body(item)
        if value is not None:
            out.append(value)
    return out


def _safe(fn):
    def wrapped(*args):
        return None if any(a is None for a in args) else fn(*args)
    wrapped.__name__ = fn.__name__
    return wrapped


def _safe_list(fn, empty):
    def wrapped(coll, body=None, where=None):
        xs = _collect(coll, body or _identity, where)
        if xs is None:
            return None
        return fn(xs) if xs else empty
    return wrapped


def _identity(x):
    return x


s_sum = _safe_list(lambda xs: sum(xs, ZERO), ZERO)
s_count = _safe_list(lambda xs: Decimal(len(xs)), ZERO)
s_avg = _safe_list(f_avg, None)
s_min_list = _safe_list(min, None)
s_max_list = _safe_list(max, None)
s_first = _safe_list(f_first, None)
s_last = _safe_list(f_last, None)
s_list = _safe_list(list, [])
s_distinct = _safe_list(f_distinct, [])


def s_any(coll, body=None, where=None):
    """Three-valued 'or' over the present elements: a missing body value makes the result missing
    unless some element is true."""
    if coll is None:
        return None
    seen_missing = False
    for item in coll:
        if item is None or (where is not None and where(item) is not True):
            continue
        v = (body or _identity)(item)
        if v is True:
            return True
        if v is None:
            seen_missing = True
    return None if seen_missing else False


def s_all(coll, body=None, where=None):
    """Three-valued 'and' over the present elements (true if none)."""
    if coll is None:
        return None
    seen_missing = False
    for item in coll:
        if item is None or (where is not None and where(item) is not True):
            continue
        v = (body or _identity)(item)
        if v is False:
            return False
        if v is None:
            seen_missing = True
    return None if seen_missing else True


def s_min(*args):
    return None if any(a is None for a in args) else min(args)


def s_max(*args):
    return None if any(a is None for a in args) else max(args)


def s_band(x, bands):
    return None if x is None or bands is None else bands.lookup(x)


def s_present(x):
    return x is not None


def s_coalesce(*thunks):
    """The first known argument, each argument a thunk read left to right; the rest are not read."""
    for thunk in thunks:
        a = thunk()
        if a is not None:
            return a
    return None


s_round = _safe(lambda x, places=ZERO: x.quantize(QUANTUM[to_int(places)], rounding=ROUND_HALF_UP))
s_abs = _safe(abs)
s_interpolate = _safe(f_interpolate)
s_date = _safe(f_date)
s_add_days = _safe(f_add_days)
s_add_working_days = _safe(f_add_working_days)
s_days_between = _safe(f_days_between)
s_year = _safe(lambda d: Decimal(as_date(d).year))
s_month = _safe(lambda d: Decimal(as_date(d).month))
s_day = _safe(lambda d: Decimal(as_date(d).day))


def s_clamp(x, lo, hi):
    if x is None or lo is None or hi is None:
        return None
    return max(lo, min(hi, x))


def s_is_number(x):
    return isinstance(x, Decimal)


def s_is_text(x):
    return isinstance(x, str)




def f_need(x):
    """Fast mode cannot return 'missing': hand over to safe mode instead."""
    if x is None:
        raise Missing("missing")
    return x


def f_null():
    raise Missing("null")
