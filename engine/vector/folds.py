"""Folds: an aggregate of a child frame's rows into its parent rows (sum, avg, count, min, max, any,
all), with segment sums (np.bincount), following safe mode: elements whose `where` is not true or
whose body is missing are skipped. Sums are exact where their elements carry exact scaled integers
(scaled.sums); the other sums and means carry the float bound of their additions.
"""
from __future__ import annotations

import numpy as np

from . import decimals, scaled
from .decimals import is_dec
from .vectors import DELTA, Bool, Num, Unsupported, any_in, rounding_term, same


def fold(func: str, body, include: np.ndarray, up: np.ndarray, size: int, absent: np.ndarray, counts=None):
    """Aggregate `func` of `body` over the included child rows, into `size` parent rows (`counts`, if
    given: a function giving the rows of each parent, made once for several folds over `up`)."""
    unsure = any_in(up, body.unsure & include, size) if body.unsure.any() else np.zeros(size, bool)
    if func in ("any", "all"):
        return _three_valued(func, body, include, up, size, absent, unsure)
    keep = include & ~body.miss
    every = bool(keep.all())
    if every and counts is not None:
        n = counts()
    else:
        n = np.bincount(up if every else up[keep], minlength=size)     # integers: no mask turned into floats
    if func == "count":          # exact counts: bound 0 and sign + on every row (read-only views)
        k = n if n.dtype == np.int64 else n.astype(np.int64)
        return Num(n.astype(float), same(np.float64(0), size), absent, unsure & ~absent, (k, 0), same(np.int8(1), size))
    if is_dec(body):
        return decimals.fold(func, body, include, up, size, absent, unsure)
    if not isinstance(body, Num):
        raise Unsupported(f"{func} of a non-number")
    if func in ("sum", "avg"):
        exact = _exact_sum(body, keep, up, size, n, absent, unsure) if func == "sum" else None
        if exact is not None and exact.loose is None:
            return exact
        total, err = _float_sum(body, keep, up, size, n)
        if func == "sum":
            if exact is None:
                return Num(total, err, absent, unsure & ~absent)
            exact.v, exact.e = np.where(exact.loose, total, exact.v), np.where(exact.loose, err, exact.e)
            return exact
        empty = n == 0
        mean = total / np.where(empty, 1, n)
        e = err / np.where(empty, 1, n)
        return Num(mean, e + rounding_term(mean, e), absent | empty, unsure & ~absent & ~empty)
    if func in ("min", "max"):
        fill = np.inf if func == "min" else -np.inf
        best = np.full(size, fill)
        (np.minimum if func == "min" else np.maximum).at(best, up[keep], body.v[keep])
        err = np.zeros(size)
        np.maximum.at(err, up[keep], body.e[keep])
        empty = n == 0
        return Num(np.where(empty, 0.0, best), err, absent | empty, unsure & ~absent & ~empty)
    raise Unsupported(f"aggregate {func}")


def _float_sum(body: Num, keep, up, size: int, n):
    """Σx in floats and its bound Σe + n·δ·(Σ|x| + Σe), with n the largest count (one bincount for
    the bound: Σ(e + c·(|x| + e)), c = δ·max n)."""
    every = bool(keep.all())
    total = np.bincount(up, weights=body.v if every else np.where(keep, body.v, 0.0), minlength=size)
    c = DELTA * float(n.max(initial=0))
    err = body.e + c * (np.abs(body.v) + body.e)
    err = np.bincount(up, weights=err if every else np.where(keep, err, 0.0), minlength=size)
    return total, err


def _exact_sum(body: Num, keep, up, size: int, n, absent, unsure) -> Num | None:
    """The sum, exactly where its elements are exact (scaled.sums: float sums of integers stay exact
    below 2⁵³), its groups with a loose element `loose` (the caller gives them their floats).
    sum(xs, ZERO) of Decimals is never −0; an empty sum is the Decimal 0, without places: marked
    `odd`, as is a sum of an element with other digits."""
    if body.exact is None:
        return None
    k, places = body.exact
    total, loose = scaled.sums(k, keep, body.loose, up, size)
    v = total / 10.0 ** places
    odd = n == 0
    if body.odd is not None:
        odd = odd | any_in(up, keep & body.odd, size)
    return Num(v, np.abs(v) * 2.0 ** -53, absent, unsure & ~absent, (total, places), np.ones(size, np.int8), odd,
               loose if loose.any() else None)


def _three_valued(func, body, include, up, size, absent, unsure) -> Bool:
    if not isinstance(body, Bool):
        raise Unsupported(f"{func} of a non-condition")
    decisive = func == "any"
    hit = include & ~body.miss & (body.v == decisive)
    decided = np.bincount(up, weights=hit, minlength=size) > 0
    missing = np.bincount(up, weights=include & body.miss, minlength=size) > 0
    value = np.where(decided, decisive, not decisive)
    return Bool(value, absent | (~decided & missing), unsure & ~absent)
