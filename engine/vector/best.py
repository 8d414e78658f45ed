"""`max_by` and `min_by`: per parent row, the element of a child frame with the largest (smallest) key.

Safe mode (engine/lang/safe.py `_best_by`) skips elements whose `where` is not true or whose key is
missing and keeps the first element of the best key in data order (a later equal key does not
replace it); missing when none is kept or the list is absent. Fast mode gives the same or hands over
to safe mode. Keys are numbers or dates. The element is chosen by an exact order where there is one
(dates, exact scaled integers, the Decimals of the last pass); otherwise by the floats, and then
proved: the chosen key is compared (numeric.compare, with its bounds) with every other kept key, and
must be surely greater (before it) or at least as great (after it); a parent row where a comparison
is not sure, or where a `where` or a key is unsure, is unsure.
"""
from __future__ import annotations

import numpy as np

from ..lang import syntax
from . import numeric
from .dates import Day
from .decimals import Dec
from .frames import Items, scalar
from .picks import element_at
from .vectors import Bool, Num, Text, Unsupported, any_in, falses


def best_by(columns, node, frame):
    """`node` (max_by or min_by) over `frame`: the chosen element, one row per frame row."""
    coll = columns.collection(columns.eval(node.collection, frame))
    inner, up, absent = frame.child(node.var, coll)
    include, unsure_where = np.ones(inner.size, bool), falses(inner.size)
    if node.where is not None:
        w = columns.as_bool(columns.eval(node.where, inner), inner)
        include, unsure_where = w.v & ~w.miss, w.unsure
    key = scalar(columns.eval(node.body, inner))
    if not isinstance(key, (Num, Dec, Day)):
        key = columns.as_num(key, inner)        # a constant key (or raises: text keys have no form)
    element = _element(columns.eval(syntax.Name(node.pos, node.var), inner))
    keep = include & ~key.miss & ~_missing(element, inner.size)
    largest = node.func == "max_by"
    rank, exact = _rank(key, keep, largest)
    chosen = _first_best(rank, keep, up, frame.size)
    none = chosen < 0
    chosen = np.where(none, 0, chosen)
    doubt = any_in(up, unsure_where | (include & key.unsure), frame.size)
    if not exact and keep.any():
        doubt |= _unproved(key, keep, chosen, up, frame.size, largest)
    return element_at(columns, frame, element, chosen, none | absent, doubt & ~absent)


def _element(bound):
    """The loop variable's element (as its name reads it: an item, a list's value)."""
    bound = scalar(bound)
    if not isinstance(bound, (Items, Num, Dec, Text, Bool)) or isinstance(bound, Items) and bound.prefix:
        raise Unsupported("max_by or min_by of these elements")
    return bound


def _missing(element, n: int) -> np.ndarray:
    miss = getattr(element, "miss", None)
    return falses(n) if miss is None else miss


def _rank(key, keep: np.ndarray, largest: bool) -> tuple[np.ndarray, bool]:
    """An order of the keys, larger is better, and whether it is the Decimals' own: integers where
    it is exact (day numbers, scaled integers, ranks of the Decimals), else the floats."""
    exact = True
    if isinstance(key, Day):
        r = key.v.astype(np.int64)
    elif isinstance(key, Dec):
        values = key.d[keep].tolist()
        order = {d: i for i, d in enumerate(sorted(set(values)))}     # equal Decimals (1.0, 1): one rank
        r = np.zeros(len(key), np.int64)
        r[keep] = [order[d] for d in values]
    elif key.exact is not None and (key.loose is None or not (key.loose & keep).any()):
        r = np.asarray(key.exact[0], np.int64)
    else:
        r, exact = key.v, False
    return (r if largest else -r), exact


def _first_best(rank: np.ndarray, keep: np.ndarray, up: np.ndarray, size: int) -> np.ndarray:
    """Per parent row, the first kept child row (data order: row order) of the best rank; −1 if none."""
    rows = np.flatnonzero(keep)
    chosen = np.full(size, -1, np.int64)
    if not len(rows):
        return chosen
    low = np.iinfo(np.int64).min if rank.dtype.kind == "i" else -np.inf
    best = np.full(size, low, rank.dtype)
    np.maximum.at(best, up[rows], rank[rows])
    top = rows[rank[rows] == best[up[rows]]]
    first = np.full(size, len(rank), np.int64)
    np.minimum.at(first, up[top], top)
    seen = first < len(rank)
    chosen[seen] = first[seen]
    return chosen


def _unproved(key, keep, chosen, up, size: int, largest: bool) -> np.ndarray:
    """Parent rows where the chosen key is not surely better than every kept key before it and at
    least as good as every kept key after it."""
    rows = np.flatnonzero(keep)
    mine = chosen[up[rows]]
    best = key.take(mine)
    other = key.take(rows)
    before = numeric.compare(">" if largest else "<", best, other)
    after = numeric.compare(">=" if largest else "<=", best, other)
    is_before = rows < mine
    value = np.where(is_before, before.v, after.v)
    unsure = np.where(is_before, before.unsure, after.unsure)
    bad = (rows != mine) & (unsure | ~value)
    out = falses(size)
    out[up[rows[bad]]] = True
    return out
