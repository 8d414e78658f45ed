"""Exact columns: the Decimals themselves, for the records the float bound leaves unsure.

The float pass (numeric.py) cannot decide a record whose result lies within its bound of a rounding
midpoint, a band edge or a comparison (an exact .xx5 NKO, weights summing to exactly 99.99); the
second pass (exact scaled integers, scaled.py) decides most of those. What it leaves gets a last pass
over the same expressions in which every number read from data is a `Dec`: an object array of the
very Decimals the per-record path computes with. Each operation here is the
per-record path's own operation on those Decimals, element by element, in the engine's decimal
context (runtime.CONTEXT), with safe mode's meaning (safe.py):

  a ± b, a · b: the Decimal operation;    a / b: missing where b is missing or zero (`b == 0`);
  comparisons: Decimal comparisons;        -a, abs(a): the Decimal operations (context-rounded);
  clamp(x, lo, hi): max(lo, min(hi, x)), the same operand chosen on a tie (s_clamp, and fast mode);
  min/max(a, b, …): Python's min/max (the first of equal operands);
  sum: sum(xs, ZERO) in data order, the elements whose `where` is not true or whose value is missing
       skipped (s_sum); avg: that sum / len(xs), missing if empty; min/max: the first best element;
  round/floor/ceil: x.quantize(QUANTUM[n], mode); a row that raises there (too many digits) is unsure.

So a present value is, digit for digit, the Decimal the per-record path computes (`faithful`; a value
made from an exact scaled integer whose digits may differ, `Num.odd`, is equal but not faithful and
never leaves the columns). A missing row holds ZERO as a placeholder and is never divided by or
rounded. An exception in any other operation (an overflow) makes the expression Unsupported, and its
records go to the per-record path.
"""
from __future__ import annotations

import copy
import operator
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext

import numpy as np

from ..lang.runtime import CONTEXT, QUANTUM, ZERO
from ..record import normalise
from .vectors import MAX_SAFE, Bool, Num, Unsupported

ONE = Decimal(1)
_MODES = {"half_up": ROUND_HALF_UP, "floor": ROUND_FLOOR, "ceiling": ROUND_CEILING}


@dataclass
class Dec:
    """A number column of the per-record path's own Decimals (the last, exact pass)."""
    d: np.ndarray            # object array of Decimals; ZERO where missing
    miss: np.ndarray
    unsure: np.ndarray
    faithful: bool = True    # every present value has the per-record path's digits, not only its value

    def take(self, idx):
        return Dec(self.d[idx], self.miss[idx], self.unsure[idx], self.faithful)

    def __len__(self):
        return len(self.d)


def objects(values) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def from_values(values: list) -> Dec:
    """Numbers of a data column (Decimals; ints and floats as `normalise` reads them; None missing)."""
    miss = np.fromiter((x is None for x in values), bool, len(values))
    if not all(type(x) is Decimal for x in values if x is not None):
        values = [x if x is None or type(x) is Decimal else normalise(x) for x in values]
        if not all(type(x) is Decimal for x in values if x is not None):
            raise Unsupported("numbers that are not numbers")
    d = objects(values)
    if miss.any():
        d[miss] = ZERO
    return Dec(d, miss, np.zeros(len(values), bool))


def is_dec(*xs) -> bool:
    return any(type(x) is Dec for x in xs)


def dec_of(x, signed: bool = True) -> Dec:
    """A Dec, or an exact number column (k·10⁻ⁿ) as the Decimals it stands for; Unsupported for a
    float-only column. A zero of unknown sign is unsure (`signed`), or 0 where its sign matters not
    (a comparison: −0 == 0)."""
    if type(x) is Dec:
        return x
    if isinstance(x, Num) and x.const is not None:      # a constant: its own Decimal (1/3 has no k·10⁻ⁿ)
        return Dec(objects([x.const] * len(x)), x.miss, x.unsure.copy())
    if isinstance(x, Num) and x.exact is None and x.miss.all():     # `null`: no digits to know
        return Dec(objects([ZERO] * len(x)), x.miss, x.unsure.copy())
    if not isinstance(x, Num) or x.exact is None:
        raise Unsupported("an inexact number in the exact pass")
    k, places = x.exact
    unique, inverse = np.unique(k, return_inverse=True)
    d = objects([Decimal(int(v)).scaleb(-places) for v in unique.tolist()])[inverse.reshape(-1)]
    unsure = x.unsure.copy() if x.loose is None else x.unsure | (x.loose & ~x.miss)
    zeros = np.flatnonzero((k == 0) & ~x.miss)
    if len(zeros):
        sign = x.zero_sign[zeros] if x.zero_sign is not None else np.zeros(len(zeros), np.int8)
        d[zeros[sign < 0]] = Decimal("-0").scaleb(-places)
        if signed:
            unsure[zeros[sign == 0]] = True
    if x.miss.any():
        d[x.miss] = ZERO
    return Dec(d, x.miss, unsure, x.odd is None or not x.odd.any())


def promoted(x) -> Dec:
    """A number column as Decimals with their digits: an exact column's k·10⁻ⁿ, a row with other
    digits (odd) or none (loose, a zero of unknown sign) unsure; a float-only column has no form."""
    if type(x) is Dec:
        return x
    if x.const is not None:
        return dec_of(x)
    if x.exact is None and not x.miss.all():
        raise Unsupported("a number without its digits")
    odd = x.odd
    d = dec_of(x if odd is None else _without_odd(x))
    unsure = d.unsure if odd is None else d.unsure | (odd & ~d.miss)
    return Dec(d.d, d.miss, unsure, True)


def _without_odd(x: Num) -> Num:
    out = copy.copy(x)
    out.odd = None
    return out


def _run(fn, *args):
    """fn(*args) in the engine's decimal context; an arithmetic exception makes it Unsupported."""
    try:
        with localcontext(CONTEXT):
            return fn(*args)
    except ArithmeticError as e:
        raise Unsupported(f"exact pass: {type(e).__name__}") from None


def arith(op: str, a, b) -> Dec:
    a, b = dec_of(a), dec_of(b)
    miss, unsure, faithful = a.miss | b.miss, a.unsure | b.unsure, a.faithful and b.faithful
    if op == "/":
        zero = ~miss & _run(np.equal, b.d, ZERO)
        miss = miss | zero
        d = _run(np.true_divide, a.d, np.where(miss, ONE, b.d))
    else:
        d = _run({"+": np.add, "-": np.subtract, "*": np.multiply}[op], a.d, b.d)
    if miss.any():
        d[miss] = ZERO
    return Dec(d, miss, unsure & ~miss, faithful)


_ORDER = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal,
          "==": np.equal, "!=": np.not_equal}


def folded(op: str, a, b):
    """a ∘ b of two constants (parameters, literals), as the per-record path computes it (safe.py's
    s_add … s_div in the engine's context): None where either is None or a divisor is zero; the result
    is a constant like any other. Anything else (text, an overflow) has no column form."""
    if not all(x is None or type(x) is Decimal for x in (a, b)):
        raise Unsupported("arithmetic on constants that are not numbers")
    if a is None or b is None or (op == "/" and b == 0):
        return None
    return _run({"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}[op], a, b)


def compare(op: str, a, b) -> Bool:
    a, b = dec_of(a, signed=False), dec_of(b, signed=False)
    miss = a.miss | b.miss
    return Bool(np.asarray(_run(_ORDER[op], a.d, b.d), bool), miss, (a.unsure | b.unsure) & ~miss)


def negate(a) -> Dec:
    a = dec_of(a)
    return Dec(_run(np.negative, a.d), a.miss, a.unsure, a.faithful)


def absolute(a) -> Dec:
    a = dec_of(a)
    return Dec(_run(np.absolute, a.d), a.miss, a.unsure, a.faithful)


def _choose(first: Dec, second: Dec, take_second: np.ndarray) -> Dec:
    miss = first.miss | second.miss
    d = np.where(take_second, second.d, first.d)
    if miss.any():
        d[miss] = ZERO
    return Dec(d, miss, (first.unsure | second.unsure) & ~miss, first.faithful and second.faithful)


def clamp(x, lo, hi) -> Dec:
    """max(lo, min(hi, x)): min(hi, x) is x only where x < hi; max(lo, m) is m only where m > lo."""
    x, lo, hi = dec_of(x), dec_of(lo), dec_of(hi)
    m = _choose(hi, x, _run(np.less, x.d, hi.d))
    return _choose(lo, m, _run(np.greater, m.d, lo.d))


def extreme(args: list, largest: bool) -> Dec:
    """min(a, b, …) / max(…): a later operand replaces the best so far only if strictly better."""
    best = dec_of(args[0])
    for a in args[1:]:
        a = dec_of(a)
        best = _choose(best, a, _run(np.greater if largest else np.less, a.d, best.d))
    return best


def rounded(x, places: int, mode: str) -> Num:
    """x.quantize(QUANTUM[places], mode) per present row, as an exact number column k·10⁻ⁿ with the
    sign of a zero result; a row the quantize refuses (or too large for k) is unsure."""
    x = dec_of(x)
    n = len(x.d)
    k, sign, unsure = np.zeros(n, np.int64), np.ones(n, np.int8), x.unsure.copy()
    quantum, rounding = QUANTUM[places], _MODES[mode]
    with localcontext(CONTEXT):
        for i in np.flatnonzero(~x.miss).tolist():
            try:
                q = x.d[i].quantize(quantum, rounding=rounding)
                whole = int(q.scaleb(places))
            except ArithmeticError:
                unsure[i] = True
                continue
            if abs(whole) >= MAX_SAFE:
                unsure[i] = True
                continue
            k[i], sign[i] = whole, -1 if q.is_signed() else 1
    v = k / 10.0 ** places
    return Num(v, np.abs(v) * 2.0 ** -52, x.miss, unsure & ~x.miss, (k, places), sign)


def fold(func: str, body, keep: np.ndarray, up: np.ndarray, size: int, absent: np.ndarray,
         unsure: np.ndarray) -> Dec:
    """sum/avg/min/max of the kept child rows into `size` parent rows, in data order."""
    body = dec_of(body)
    rows = np.flatnonzero(keep & ~body.miss)
    owners, values = up[rows].tolist(), body.d[rows].tolist()
    with localcontext(CONTEXT):
        try:
            out, count = _fold(func, owners, values, size)
        except ArithmeticError as e:
            raise Unsupported(f"exact pass: {type(e).__name__}") from None
    empty = np.asarray([c == 0 for c in count], bool)
    miss = absent | (empty if func != "sum" else np.zeros(size, bool))
    d = objects(out)
    d[miss] = ZERO
    return Dec(d, miss, unsure & ~miss, body.faithful)


def _fold(func: str, owners: list, values: list, size: int):
    count = [0] * size
    if func in ("sum", "avg"):
        total = [ZERO] * size
        for u, x in zip(owners, values):
            total[u] = total[u] + x
            count[u] += 1
        if func == "avg":
            total = [t / c if c else ZERO for t, c in zip(total, count)]
        return total, count
    if func not in ("min", "max"):
        raise Unsupported(f"aggregate {func} in the exact pass")
    best: list = [ZERO] * size
    for u, x in zip(owners, values):
        if count[u] == 0 or (x < best[u] if func == "min" else x > best[u]):
            best[u] = x
        count[u] += 1
    return best, count


def where(pick: np.ndarray, a, b) -> Dec:
    """`if` of two number columns, at least one of them exact Decimals."""
    a, b = dec_of(a), dec_of(b)
    d = np.where(pick, a.d, b.d)
    return Dec(d, np.where(pick, a.miss, b.miss), np.where(pick, a.unsure, b.unsure), a.faithful and b.faithful)
