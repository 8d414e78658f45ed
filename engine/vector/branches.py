"""`if c then a else b` as columns: each branch evaluated on the rows that take it, then put together.

The rows where the condition is true go through `a` only, those where it is false through `b` only
(an unsure condition still takes one of them, and the row stays unsure); a row whose condition is
missing takes neither and is missing, as in safe mode. A branch no row takes is still evaluated,
over no rows, for its type. A branch the compiler cannot evaluate over a subset of the records (a
list made per record) is evaluated over all rows and then taken. Exact scaled integers survive the
merge where each branch has them (at the larger number of places); a branch without them makes its
rows loose (scaled.py). When the branches without them take most of the rows that are present, the
result has none (its floats decide, and later passes): in the float pass the capaian chain's quotients have none, and
carrying the few exact rows (a constant branch) through the clamp, the products and the sums cost
more than the chain itself.
"""
from __future__ import annotations

import numpy as np

from .dates import is_date, merged as merged_dates
from .decimals import ZERO, Dec, dec_of, objects
from .frames import Objs
from .vectors import MAX_SAFE, Bool, Const, Num, Text, Unsupported, falses


def if_column(columns, node, frame):
    c = columns.as_bool(columns.eval(node.cond, frame), frame)
    known = ~c.miss
    parts = []
    for rows, branch in ((np.flatnonzero(c.v & known), node.then), (np.flatnonzero(~c.v & known), node.otherwise)):
        parts.append((rows, _branch(columns, branch, frame, rows)))
    n = frame.size
    unsure = c.unsure.copy()       # a missing condition's row is missing (and unsure only if c is)
    values = [x for _, x in parts]
    if any(is_date(x) for x in values):
        return merged_dates(columns, parts, c, unsure, n)
    if any(isinstance(x, Text) or (isinstance(x, Const) and isinstance(x.value, str)) for x in values):
        return _texts(columns, parts, c, unsure, n)
    if any(isinstance(x, Bool) for x in values):
        return _bools(columns, parts, c, unsure, n)
    if any(isinstance(x, Objs) or (isinstance(x, Const) and isinstance(x.value, dict)) for x in values):
        return _objects(parts, c, unsure, n)
    parts = [(rows, columns.as_num(x, _Size(len(rows)))) for rows, x in parts]
    return merged(parts, c.miss, unsure, n)


def merged(parts, miss: np.ndarray, unsure: np.ndarray, n: int):
    """Number columns over disjoint rows (`parts`: (rows, column) each) as one column of n rows: `if`'s
    branches, interpolate's segments; rows in no part are missing where `miss` says (`unsure` is
    changed)."""
    if any(isinstance(x, Dec) for _, x in parts):
        return _decimals(parts, miss, unsure, n)
    return _numbers(parts, miss, unsure, n)


class _Size:
    """The one thing the conversions read of a frame: its number of rows."""

    def __init__(self, size: int):
        self.size = size


def _branch(columns, node, frame, rows: np.ndarray):
    if len(rows) == frame.size:
        return columns.eval(node, frame)
    try:
        return columns.eval(node, frame.take(rows))
    except Unsupported:
        whole = columns.eval(node, frame)
        return whole if isinstance(whole, Const) else whole.take(rows)


def _texts(columns, parts, c, unsure, n):
    return Text(*_scattered(columns.as_text, np.full(n, None, dtype=object), parts, c, unsure))


def _bools(columns, parts, c, unsure, n):
    return Bool(*_scattered(columns.as_bool, np.zeros(n, bool), parts, c, unsure))


def _scattered(convert, v: np.ndarray, parts, c, unsure):
    """(values, miss, unsure) of the branches put together (`convert`: as_text or as_bool)."""
    miss = c.miss.copy()
    for rows, x in parts:
        x = convert(x, _Size(len(rows)))
        v[rows], miss[rows] = x.v, x.miss
        unsure[rows] |= x.unsure
    return v, miss, unsure


def _objects(parts, c, unsure, n) -> Objs:
    """Branches that are parameter objects (`if x < nko then bobot.di_bawah else bobot.dekat`): each
    row the object its branch gives, read by `.field` as a parameter table's row is (Objs)."""
    values, codes, miss = [], np.full(n, -1, np.int64), c.miss.copy()
    for rows, x in parts:
        if isinstance(x, Const) and (x.value is None or isinstance(x.value, dict)):
            x = Objs([x.value], np.zeros(len(rows), np.int64), np.full(len(rows), x.value is None), falses(len(rows)))
        if not isinstance(x, Objs):
            raise Unsupported("an if between an object and another value")
        codes[rows] = np.where(x.codes < 0, -1, x.codes + len(values))
        values.extend(x.values)
        miss[rows], unsure[rows] = x.miss, unsure[rows] | x.unsure
    return Objs(values, np.where(miss, -1, codes), miss, unsure & ~miss)


def _decimals(parts, miss, unsure, n):
    d = objects([ZERO] * n)
    miss, faithful = miss.copy(), True
    for rows, x in parts:
        x = dec_of(x)
        d[rows], miss[rows] = x.d, x.miss
        unsure[rows] |= x.unsure
        faithful = faithful and x.faithful
    return Dec(d, miss, unsure & ~miss, faithful)


def _numbers(parts, miss, unsure, n):
    v, e = np.zeros(n), np.zeros(n)
    miss = miss.copy()
    for rows, x in parts:
        v[rows], e[rows] = x.v, x.e
        if x.miss.any():             # else miss[rows] is c.miss there: false (the rows take a branch)
            miss[rows] = x.miss
        if x.unsure.any():
            unsure[rows] |= x.unsure
    out = Num(v, e, miss, unsure)
    exact = [(rows, x) for rows, x in parts if x.exact is not None]
    loose = sum(len(rows) - int(x.miss.sum()) for rows, x in parts if x.exact is None)   # missing rows need none
    if exact and sum(len(rows) for rows, _ in exact) >= loose:
        _merge_exact(out, parts, exact, n)
    return out


def _merge_exact(out: Num, parts, exact, n: int) -> None:
    """The scaled integers of the branches that have them, at the most places any has; rows of a branch
    without them, or that would overflow at those places, are loose."""
    places = max(x.exact[1] for _, x in exact)
    k, odd, loose, sign = np.zeros(n, np.int64), np.zeros(n, bool), np.zeros(n, bool), np.zeros(n, np.int8)
    for rows, x in parts:
        if x.exact is None:
            loose[rows] = ~x.miss      # a missing row has no digits to be unsure of
            continue
        kx, up = x.exact[0], places - x.exact[1]
        over = np.abs(kx) * 10.0 ** up >= MAX_SAFE
        k[rows] = np.where(over, 0, kx) * 10 ** up
        loose[rows] = over if x.loose is None else over | x.loose
        odd[rows] = up > 0 if x.odd is None else x.odd | (up > 0)      # 1.5 as 1.50: other digits
        if x.zero_sign is not None:
            sign[rows] = x.zero_sign
    out.exact, out.odd, out.zero_sign = (k, places), odd, sign
    out.loose = loose if loose.any() else None
