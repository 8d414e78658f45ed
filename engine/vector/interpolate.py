"""`interpolate(x, points)` as columns: the per-record piecewise-linear scale, operation for operation.

The per-record function (runtime.f_interpolate) takes the first point's y where x <= x0; else the
first segment whose right end holds x (x <= x1), computed as `y0 + (y1 - y0) * (x - x0) / (x1 - x0)`
in the engine's Decimal context; else the last point's y. Here each row's choice is made by the
same comparisons in the same order (numeric.compare: unsure where the bound cannot tell, on the rows
that reach that comparison), and each segment's rows go through the same operations in the same
order (numeric.arith: floats with their bound, exact scaled integers, or the Decimals themselves in
the last pass), with `y1 - y0` and `x1 - x0` the Decimals the per-record path computes from the
parameter. A flat end is the parameter's own y, digits and all. A missing x is missing (safe mode).
Points that are not pairs of numbers (an error per record) have no column form.
"""
from __future__ import annotations

from decimal import Decimal, localcontext

import numpy as np

from ..lang.runtime import CONTEXT
from . import numeric
from .branches import merged
from .vectors import Const, Unsupported, num_const


def interpolate(x, points, strict: bool):
    """The column of interpolate(x, points) for a number column x and a parameter `points`."""
    pts = _points(points)
    n = len(x)
    chosen = np.full(n, len(pts))        # len(pts): beyond the last point
    unsure, decided = x.unsure.copy(), x.miss.copy()
    for j, (xj, _) in enumerate(pts):
        test = numeric.compare("<=", x, num_const(xj, n))
        unsure |= test.unsure & ~decided
        hit = test.v & ~decided
        chosen[hit] = j
        decided |= hit
    parts = []
    for j in range(len(pts) + 1):
        rows = np.flatnonzero((chosen == j) & ~x.miss)
        if j == 0 or j == len(pts):
            parts.append((rows, num_const(pts[0 if j == 0 else -1][1], len(rows))))
        elif len(rows):
            parts.append((rows, _segment(x.take(rows), pts[j - 1], pts[j], strict)))
    return merged(parts, x.miss, unsure, n)


def _segment(x, left, right, strict: bool):
    """y0 + (y1 - y0) * (x - x0) / (x1 - x0) over the rows of one segment (x1 != x0: a row reaches a
    segment only when x > x0 and x <= x1)."""
    (x0, y0), (x1, y1) = left, right
    with localcontext(CONTEXT):
        dy, dx = y1 - y0, x1 - x0
    n = len(x)
    offset = numeric.arith("-", x, num_const(x0, n), strict)
    scaled = numeric.arith("*", num_const(dy, n), offset, strict)
    return numeric.arith("+", num_const(y0, n), numeric.arith("/", scaled, num_const(dx, n), strict), strict)


def _points(points) -> list[tuple[Decimal, Decimal]]:
    """The (x, y) pairs of a parameter, as the per-record function reads them (p[0], p[1])."""
    if not isinstance(points, Const) or not isinstance(points.value, list) or not points.value:
        raise Unsupported("interpolate through computed or empty points")
    out = []
    for p in points.value:
        if not isinstance(p, list) or len(p) < 2 or not all(isinstance(v, Decimal) and v.is_finite() for v in p[:2]):
            raise Unsupported("interpolate through points that are not pairs of numbers")
        out.append((p[0], p[1]))
    return out

