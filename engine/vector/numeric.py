"""Arithmetic, comparison and rounding over number columns, with their error bounds.

Each operation returns the float result, a bound on its distance from the Decimal result of the
per-record path (the rules are in the package docstring), the missing mask of safe mode (a missing
operand, a division by an exact zero) and the unsure mask (a divisor that might be zero, a
comparison or a rounding that the bound cannot decide). Exact scaled integers (`Num.exact`, per row
outside `Num.loose`; scaled.py) go through addition, subtraction and multiplication exactly, through
division too in the exact pass (`strict`: where the quotient terminates), and decide comparisons and
roundings exactly on their rows.
"""
from __future__ import annotations

import numpy as np

from . import decimals, scaled
from .decimals import is_dec
from .scaled import either
from .vectors import DELTA, MAX_SAFE, Bool, Num, aligned, largest


def _exact(a: Num, b: Num, op: str, strict: bool, live):
    """(k, places, loose) of a ∘ b on the rows where both are exact, or None."""
    if a.exact is None or b.exact is None or (op == "/" and not strict):
        return None
    (ka, na), (kb, nb) = a.exact, b.exact
    if op == "*":
        out = scaled.product(ka, na, kb, nb)
    elif op == "/":
        out = scaled.quotient(ka, na, kb, nb, live)
    else:
        both = aligned(a.exact, b.exact)
        if both is None:
            return None
        ka, kb, n, over = both
        k = ka + kb if op == "+" else ka - kb
        if largest(ka) + largest(kb) >= MAX_SAFE:     # else no |k| ≤ |ka| + |kb| reaches it: no row to test
            over = over | (np.abs(k) >= MAX_SAFE)
        out = k, n, over
    if out is None:
        return None
    k, n, loose = out
    loose = either(either(a.loose, b.loose), loose)
    return k, n, loose if loose is not None and loose.any() else None


def arith(op: str, a: Num, b: Num, strict: bool = False) -> Num:
    if is_dec(a, b):
        return decimals.arith(op, a, b)
    miss, unsure = a.miss | b.miss, a.unsure | b.unsure
    live = None
    if op in ("+", "-"):
        v = a.v + b.v if op == "+" else a.v - b.v
        e = np.add(a.e, b.e, dtype=np.float64)
    elif op == "*":
        v = a.v * b.v
        e = _product_bound(a, b)
    else:
        size_b = np.absolute(b.v, dtype=np.float64)
        zero = (b.v == 0) & (b.e == 0)
        near = size_b <= b.e
        near &= ~zero
        off = zero | near
        safe_b = b.v
        if off.any():
            safe_b, size_b = np.where(off, 1.0, b.v), np.where(off, 1.0, size_b)
        v = a.v / safe_b
        e = np.multiply(np.abs(a.v), b.e, dtype=np.float64)
        e += size_b * a.e
        denominator = np.subtract(size_b, b.e, dtype=np.float64)   # |b|·(|b| − eb), 1 where b is (near) 0
        denominator *= size_b
        if off.any():
            denominator[off] = 1.0
        e /= denominator
        miss, unsure = miss | zero, unsure | (near & ~miss)
        live = ~miss & ~near if strict else None       # exact quotients: the exact passes only
    term = np.absolute(v, dtype=np.float64)   # e += rounding_term(v, e), in place (e is this call's own)
    term += e
    top = term.max(initial=0.0)               # NaN if a row is NaN
    term *= DELTA
    e += term
    if not top < _FINITE:    # else every |v| + e < 2¹⁰⁰⁰, so v + e (e now below twice that) is finite
        unsure = unsure | ~np.isfinite(v + e)    # e ≥ 0: v + e is finite only where both are
    exact = _exact(a, b, op, strict, live)
    if exact is None:
        return Num(v, e, miss, unsure)
    k, n, loose = exact
    return Num(v, e, miss, unsure, (k, n), None, _odd(a, b, op, k), loose)


_FINITE = 2.0 ** 1000


def _product_bound(a: Num, b: Num) -> np.ndarray:
    """|a|·eb + |b|·ea + ea·eb, a new array (the terms of an exact constant's 0 bound left out)."""
    if _exact_const(b):
        return np.multiply(np.abs(b.v), a.e, dtype=np.float64)
    if _exact_const(a):
        return np.multiply(np.abs(a.v), b.e, dtype=np.float64)
    e = np.multiply(np.abs(a.v), b.e, dtype=np.float64)
    e += np.abs(b.v) * a.e
    e += a.e * b.e
    return e


def _exact_const(a: Num) -> bool:
    return a.const is not None and len(a.e) > 0 and float(a.e[0]) == 0


def _odd(a: Num, b: Num, op: str, k) -> np.ndarray:
    """Rows whose exact result may have other Decimal digits than k·10⁻ⁿ shows: an operand's, a
    quotient's (Decimal chooses its exponent), and a zero of unknown sign (0 · −5 is −0; −0 + −0 is
    −0; x − x is 0)."""
    n = len(a.v)
    if op == "/":
        return np.ones(n, bool)
    odd = (a.odd if a.odd is not None else np.zeros(n, bool)) | (b.odd if b.odd is not None else np.zeros(n, bool))
    zero = k == 0
    if op == "*":
        return odd | zero
    return odd | (zero & (a.exact[0] == 0) & (b.exact[0] == 0))


def negate(a: Num) -> Num:
    if is_dec(a):
        return decimals.negate(a)
    exact = None if a.exact is None else (-a.exact[0], a.exact[1])
    unsure = a.unsure if a.exact is None else a.unsure | ((a.exact[0] == 0) & _exact_rows(a))   # −0: other digits
    return Num(-a.v, a.e, a.miss, unsure, exact, None, a.odd, a.loose)


def absolute(a: Num) -> Num:
    if is_dec(a):
        return decimals.absolute(a)
    exact = None if a.exact is None else (np.abs(a.exact[0]), a.exact[1])
    return Num(np.abs(a.v), a.e, a.miss, a.unsure, exact, None, a.odd, a.loose)


def _exact_rows(a: Num) -> np.ndarray:
    return np.ones(len(a.v), bool) if a.loose is None else ~a.loose


_ORDER = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal,
          "==": np.equal, "!=": np.not_equal}


def compare(op: str, a: Num, b: Num) -> Bool:
    """Three-valued comparison; unsure where the values are closer than their bounds allow to tell,
    except on rows where both are exact, compared as integers."""
    if is_dec(a, b):
        return decimals.compare(op, a, b)
    miss = a.miss | b.miss
    test = _ORDER[op]
    both = aligned(a.exact, b.exact) if a.exact is not None and b.exact is not None else None
    loose = None
    if both is not None:
        ka, kb, _, over = both
        loose = either(either(a.loose, b.loose), over)
        if not loose.any():
            return Bool(test(ka, kb), miss, (a.unsure | b.unsure) & ~miss)
    value = test(a.v, b.v)
    close = np.abs(a.v - b.v) <= a.e + b.e
    exact_floats = (a.e == 0) & (b.e == 0)
    unsure = (a.unsure | b.unsure | (close & ~exact_floats)) & ~miss
    if both is not None:           # the exact rows by their integers, the others by their floats
        value = np.where(loose, value, test(ka, kb))
        unsure = np.where(loose, unsure, (a.unsure | b.unsure) & ~miss)
    return Bool(value, miss, unsure)


def clamp(x: Num, low: Num, high: Num) -> Num:
    """max(low, min(high, x)): continuous, so the bound is the largest of the three; where x is surely
    below low (above high) the result is low (high) itself, with its bound and exact digits."""
    if is_dec(x, low, high):
        return decimals.clamp(x, low, high)
    if low.const is not None and high.const is not None and len(x.v) and \
            (x.exact is None or (low.exact is not None and high.exact is not None)):
        return _clamp_floats(x, low, high)
    v = np.maximum(low.v, np.minimum(high.v, x.v))
    e = np.maximum(np.maximum(x.e, low.e), high.e)
    below = x.v + x.e < low.v - low.e
    above = (x.v - x.e > high.v + high.e) & ~below
    e = np.where(below, low.e, np.where(above, high.e, e))
    out = Num(v, e, x.miss | low.miss | high.miss, x.unsure | low.unsure | high.unsure)
    if low.exact is not None and high.exact is not None and low.exact[1] == high.exact[1] and not (~(below | above)).any():
        out.exact = (np.where(below, low.exact[0], high.exact[0]), low.exact[1])
        out.zero_sign = np.where(below, low.zero_sign, high.zero_sign)
        out.loose = _pick_loose(below, low.loose, high.loose)
        out.odd = _chosen_odd(below, above, low, high, x, low.exact[1])
    elif low.exact is not None and x.exact is not None and high.exact is not None:
        both = aligned(low.exact, x.exact)
        top = aligned(high.exact, x.exact)
        if both is not None and top is not None and both[2] == top[2]:
            out.exact = (np.where(below, both[0], np.where(above, top[0], both[1])), both[2])
            out.zero_sign = np.where(below, low.zero_sign, np.where(above, high.zero_sign, _sign(x)))
            picked = np.where(below, _rows(low.loose, len(v)), np.where(above, _rows(high.loose, len(v)), _rows(x.loose, len(v))))
            loose = picked | both[3] | top[3]
            out.loose = loose if loose.any() else None
            out.odd = _chosen_odd(below, above, low, high, x, both[2])
    if out.zero_sign is None:     # the sign of a zero result, where it is low's or high's own zero
        out.zero_sign = np.where(below, _sign(low), np.where(above, _sign(high), _sign(x))).astype(np.int8)
    return out


def _clamp_floats(x: Num, low: Num, high: Num) -> Num:
    """clamp between two constants of a number without exact digits: as `clamp`, with scalars (the
    rows below and above written in place, `np.copyto` with a mask: one pass each)."""
    lo, hi, lo_e, hi_e = float(low.v[0]), float(high.v[0]), float(low.e[0]), float(high.e[0])
    v = np.minimum(hi, x.v)
    np.maximum(lo, v, out=v)
    below = x.v + x.e < lo - lo_e
    above = x.v - x.e > hi + hi_e
    above &= ~below
    e = np.maximum(x.e, max(lo_e, hi_e))
    np.copyto(e, lo_e, where=below)
    np.copyto(e, hi_e, where=above)
    sign = np.zeros(len(v), np.int8) if x.zero_sign is None else x.zero_sign.copy()
    np.copyto(sign, low.zero_sign[0], where=below)
    np.copyto(sign, high.zero_sign[0], where=above)
    out = Num(v, e, x.miss, x.unsure, None, sign)
    if x.exact is not None:
        places = max(x.exact[1], low.exact[1], high.exact[1])
        scale = 10 ** (places - x.exact[1])
        over = np.abs(x.exact[0]) * float(scale) >= MAX_SAFE
        k = np.where(over, 0, x.exact[0]) * scale
        np.copyto(k, int(low.exact[0][0]) * 10 ** (places - low.exact[1]), where=below)
        np.copyto(k, int(high.exact[0][0]) * 10 ** (places - high.exact[1]), where=above)
        loose = over if x.loose is None else over | x.loose
        loose &= ~(below | above)
        out.exact, out.loose = (k, places), loose if loose.any() else None
        out.odd = _chosen_odd(below, above, low, high, x, places)
    elif low.exact is not None and high.exact is not None and low.exact[1] == high.exact[1] and (below | above).all():
        out.exact = (np.where(below, low.exact[0][0], high.exact[0][0]), low.exact[1])
        out.odd = _chosen_odd(below, above, low, high, x, low.exact[1])
    return out


def _chosen_odd(below, above, low: Num, high: Num, x: Num, places: int) -> np.ndarray:
    """The rows of a clamp whose chosen operand has other digits than k·10⁻ⁿ at `places`: its own odd
    rows, and every row of an operand written with fewer places (0 shown as 0.00)."""
    def odd(a: Num):
        return True if a.exact is None or a.exact[1] < places else False if a.odd is None else a.odd

    out = np.empty(len(below), bool)
    out[:] = odd(x)
    np.copyto(out, odd(low), where=below)
    np.copyto(out, odd(high), where=above)
    return out


def _pick_loose(below, low_loose, high_loose):
    if low_loose is None and high_loose is None:
        return None
    return np.where(below, _rows(low_loose, len(below)), _rows(high_loose, len(below)))


def _rows(mask, n: int) -> np.ndarray:
    return np.zeros(n, bool) if mask is None else mask


def _sign(x: Num) -> np.ndarray:
    return x.zero_sign if x.zero_sign is not None else np.zeros(len(x.v), np.int8)


def extreme(args: list[Num], largest: bool) -> Num:
    """min(a, b, …) / max(a, b, …) of scalars (the bound of the largest bound, as for clamp)."""
    if is_dec(*args):
        return decimals.extreme(args, largest)
    pick = np.maximum if largest else np.minimum
    v, e = args[0].v, args[0].e
    miss, unsure = args[0].miss.copy(), args[0].unsure.copy()
    for a in args[1:]:
        v, e = pick(v, a.v), np.maximum(e, a.e)
        miss |= a.miss
        unsure |= a.unsure
    return Num(v, e, miss, unsure)


def round_half_up(x: Num, places: int, mode: str = "half_up") -> Num:
    """round/floor/ceil to `places` decimals: exact (`Num.exact`) on the rows where x is exact (integer
    rounding, scaled.rounded) and wherever the interval v ± e holds no point where the result changes
    (a .5 midpoint for half-up, a whole step for floor and ceil); unsure elsewhere, and where the result
    is zero of unknown sign (the Decimal may be −0, other digits)."""
    if is_dec(x):
        return decimals.rounded(x, places, mode)
    if x.exact is not None and places <= 15:
        out = _rounded_exact(x, places, mode)
        if x.loose is None or out is None:
            return out if out is not None else _rounded_floats(x, places, mode)
        floats = _rounded_floats(x, places, mode)
        pick = x.loose
        k = np.where(pick, floats.exact[0], out.exact[0])
        return Num(np.where(pick, floats.v, out.v), np.where(pick, floats.e, out.e), x.miss,
                   np.where(pick, floats.unsure, out.unsure), (k, places), np.where(pick, floats.zero_sign, out.zero_sign))
    return _rounded_floats(x, places, mode)


def _rounded_exact(x: Num, places: int, mode: str) -> Num | None:
    k, n = x.exact
    if n <= places:
        k = k * 10 ** (places - n)
        if largest(np.where(_exact_rows(x), k, 0)) >= MAX_SAFE:
            return None
    else:
        k = scaled.rounded(k, n, places, mode)
    sign = np.where(x.exact[0] != 0, np.sign(x.exact[0]), _sign(x)).astype(np.int8)
    v = k / 10.0 ** places
    unsure = x.unsure | ((k == 0) & (sign == 0) & ~x.miss)
    return Num(v, np.abs(v) * 2.0 ** -52, x.miss, unsure & ~x.miss, (k, places), sign)


def _rounded_floats(x: Num, places: int, mode: str) -> Num:
    scale = 10.0 ** places
    s = x.v * scale
    es = x.e * scale * (1 + 2 ** -52) + np.abs(s) * 2.0 ** -52
    if mode == "half_up":
        a = np.abs(s)
        k = np.sign(s) * np.floor(a + 0.5)
        edge = np.abs(a - np.floor(a) - 0.5)
    else:
        k = np.floor(s) if mode == "floor" else np.ceil(s)
        edge = np.minimum(s - np.floor(s), np.ceil(s) - s)
    undecided = (edge <= es) & (es > 0)      # es == 0: s is exact, and so is the float rounding of it
    known = np.where((s == 0) & (es == 0), _sign(x), 0)      # an exact zero keeps its own sign
    sign = np.where(s > es, 1, np.where(s < -es, -1, known)).astype(np.int8)   # the sign of a zero result
    unsure = x.unsure | undecided | (np.abs(s) >= MAX_SAFE) | ((k == 0) & (sign == 0)) | ~np.isfinite(s)
    k = np.where(unsure | x.miss, 0, k).astype(np.int64)
    v = k / scale
    return Num(v, np.abs(v) * 2.0 ** -52, x.miss, unsure & ~x.miss, (k, places), sign)
