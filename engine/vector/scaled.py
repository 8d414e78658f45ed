"""Exact scaled integers beside the floats: a number column may also carry, per row, an integer k with
d = k·10⁻ⁿ exactly (`Num.exact`, n shared by the column; rows in `Num.loose` do not have one).

Why such a row is the per-record path's value: the Decimal context has 28 digits and every k here is
below 2⁵² (16 digits). The exact result of +, −, · or / of two such numbers, when it is itself such a
number, is therefore representable in the context, and a correctly rounded Decimal operation returns
a representable exact result unchanged. So whenever these functions give a row a k, that k·10⁻ⁿ is
the Decimal the per-record path computes (its value; its digits may differ, `Num.odd`). A row whose
result would not be such a number (a quotient that does not terminate, a k that would reach 2⁵², more
than 15 places) is loose: its float and bound decide, as for any inexact number.

Rounding k·10⁻ⁿ to fewer places is integer arithmetic with the quantize modes (half-up: half away
from zero; floor; ceiling); the sign of a zero result is the operand's (quantize keeps it).
"""
from __future__ import annotations

import numpy as np

from .vectors import MAX_SAFE, any_in, largest

PLACES = 15
QUOTIENT_PLACES = 8    # a quotient needing more is loose: one such row would widen the whole column


def _either(a, b):
    if a is None:
        return b
    return a if b is None else a | b


def product(ka, na: int, kb, nb: int):
    """(k, places, loose) of a·b, or None beyond 15 places."""
    if na + nb > PLACES:
        return None
    if float(largest(ka)) * float(largest(kb)) < MAX_SAFE:   # the row test for the largest of each side
        return ka * kb, na + nb, None                       # (monotonic: every row passes)
    big = np.abs(ka).astype(np.float64) * np.abs(kb).astype(np.float64) >= MAX_SAFE
    if big.any():
        ka = np.where(big, 0, ka)
    return ka * kb, na + nb, big


def quotient(ka, na: int, kb, nb: int, live: np.ndarray):
    """(k, places, loose) of a/b where the quotient terminates within 8 places and stays below 2⁵²
    (`live`: rows with a nonzero divisor to look at; the others are loose, k 0). Each row's quotient
    has the fewest places it needs; the column, the most of those."""
    kb = np.where(live, kb, 1)
    g = np.gcd(ka, kb)
    g = np.where(g == 0, 1, g)
    p, q = ka // g * np.sign(kb), np.abs(kb) // g
    twos, fives, pure = _twos_fives(q)                  # pure: q = 2^twos · 5^fives
    m = np.maximum(twos, fives)
    places = na - nb + m
    ok = live & pure & (m <= PLACES) & (places <= QUOTIENT_PLACES)
    up = np.where(ok, np.maximum(-places, 0), 0)              # a whole quotient: places below 0
    factor = np.where(ok, _power(2, np.clip(m - twos, 0, 62)) * _power(5, np.clip(m - fives, 0, 26)), 0)
    scale = np.abs(p).astype(np.float64) * factor * _power(10.0, up)
    ok &= scale < MAX_SAFE
    places = np.where(ok, np.maximum(places, 0), 0)
    n = int(places.max(initial=0))
    widen = _power(10.0, n - places)
    ok &= scale * widen < MAX_SAFE
    k = np.where(ok, p * np.where(ok, factor, 0) * _power(10, np.where(ok, up + n - places, 0)), 0)
    return k.astype(np.int64), n, ~ok


def _twos_fives(q: np.ndarray):
    """For each q ≥ 1: (a, b, pure) with 2^a the largest power of 2 dividing q and, where q is
    2^a·5^b with b ≤ 26 (`pure`), b (elsewhere b is of no use: such a quotient does not terminate in
    the places allowed). 2^a is q's lowest set bit, exactly a float's power of two; q >> a is then
    looked up among the powers of 5. No loop over the rows' factors, no integer division."""
    lowest = q & -q
    twos = (np.frexp(lowest.astype(np.float64))[1] - 1).astype(np.int64)
    odd = q >> twos
    fives = np.searchsorted(_POWERS[int, 5], odd)
    pure = _POWERS[int, 5][np.minimum(fives, 26)] == odd
    return twos, fives, pure


_POWERS = {(type(base), base): base ** np.arange(size, dtype=np.int64)       # 10 and 10.0: two tables
           for base, size in ((2, 63), (5, 27), (10, 19), (10.0, 64))}


def _power(base, x: np.ndarray) -> np.ndarray:
    """base ** x for an array of exponents, from a table made once (each entry the same power numpy
    computes), the power itself for exponents beyond the table."""
    table = _POWERS[type(base), base]
    if len(x) and (int(x.min()) < 0 or int(x.max()) >= len(table)):
        return base ** x
    return table[x]


def rounded(k, n: int, places: int, mode: str):
    """k·10⁻ⁿ rounded to `places` (< n) decimals: half-up (away from zero), floor or ceiling."""
    d = 10 ** (n - places)
    if mode == "half_up":
        q, r = np.divmod(np.abs(k), d)
        return np.sign(k) * (q + (2 * r >= d))
    if mode == "floor":
        return k // d
    return -((-k) // d)


def sums(k, keep: np.ndarray, loose, up: np.ndarray, size: int):
    """Per parent row, the exact sum of the kept rows' k and the parents with no exact sum (a loose
    element, or Σ|k| reaching 2⁵²: every partial sum, of integers, is then exact in a float)."""
    if not keep.all():
        k = np.where(keep, k, 0)
    if largest(k) * len(k) >= MAX_SAFE and np.abs(k.astype(np.float64)).sum() >= MAX_SAFE:   # else no group can
        reach = np.bincount(up, weights=np.abs(k.astype(np.float64)), minlength=size) >= MAX_SAFE
    else:
        reach = np.zeros(size, bool)
    if loose is not None and (keep & loose).any():
        reach |= any_in(up, keep & loose, size)
    total = np.rint(np.bincount(up, weights=k, minlength=size))
    return (np.where(reach, 0, total) if reach.any() else total).astype(np.int64), reach


either = _either
