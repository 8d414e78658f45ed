"""Safe-mode run-time helpers (`s_…`): missing data (None) propagates, conditions are three-valued.

Compiled code recomputes a value or rule here when its fast form (runtime.py) raised. Safe mode
defines the meaning of the language: arithmetic with a missing operand is missing, aggregates skip
missing elements, division by zero is missing (an undefined ratio), `and`/`or`/`any`/`all` use
three-valued logic (false wins over missing for `and`, true for `or`). Kept apart from runtime.py so
that each mode's rules can be read in one place; generated code sees both through
program.runtime_namespace.
"""
from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from .dates import (as_date, f_add_days, f_add_working_days, f_date, f_days_between, f_quarter, f_quarter_index,
                    f_quarters_between, to_int)
from .runtime import QUANTUM, ZERO, f_avg, f_number, f_count_by, f_distinct, f_first, f_interpolate, f_last, render


def s_render(thunk) -> str:
    """Render a safe-mode placeholder; an error shows as (?) rather than losing the message."""
    try:
        return render(thunk())
    except Exception:
        return "(?)"


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
s_count_by = _safe_list(f_count_by, {})


def _best_by(better):
    def best_by(coll, key, where=None):
        """The present element whose key is best (the first on a tie), elements with a missing key
        skipped; missing if there is none."""
        if coll is None:
            return None
        best_key = best = None
        for item in coll:
            if item is None or (where is not None and where(item) is not True):
                continue
            k = key(item)
            if k is not None and (best_key is None or better(k, best_key)):
                best_key, best = k, item
        return best
    return best_by


s_max_by = _best_by(lambda a, b: a > b)
s_min_by = _best_by(lambda a, b: a < b)


def _three_valued(decisive: bool):
    """Three-valued `or` (decisive True) or `and` (decisive False) over the present elements: the first
    decisive body value decides; otherwise a missing body value makes the result missing; an empty or
    all-indecisive collection gives `not decisive`."""
    def fold(coll, body=None, where=None):
        if coll is None:
            return None
        seen_missing = False
        for item in coll:
            if item is None or (where is not None and where(item) is not True):
                continue
            v = (body or _identity)(item)
            if v is decisive:
                return decisive
            if v is None:
                seen_missing = True
        return None if seen_missing else not decisive
    return fold


s_any = _three_valued(True)
s_all = _three_valued(False)


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


def _rounding(mode):
    """round/floor/ceil in safe mode: to `places` decimals (a whole number 0–12) in one direction."""
    return _safe(lambda x, places=ZERO: x.quantize(QUANTUM[to_int(places)], rounding=mode))


s_round = _rounding(ROUND_HALF_UP)
s_floor = _rounding(ROUND_FLOOR)
s_ceil = _rounding(ROUND_CEILING)
s_abs = _safe(abs)
s_number = _safe(f_number)
s_interpolate = _safe(f_interpolate)
s_date = _safe(f_date)
s_add_days = _safe(f_add_days)
s_add_working_days = _safe(f_add_working_days)
s_days_between = _safe(f_days_between)
s_quarter = _safe(f_quarter)
s_quarter_index = _safe(f_quarter_index)
s_quarters_between = _safe(f_quarters_between)
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
