"""Band tables: a parameter of `type: bands` turned into run-time `Bands`, with its rows checked.

Each row is an interval (`from`/`over` below, `to`/`under` above, either side open) and a label.
Two rows that some number satisfies both are an error (which label would it get?); a hole between
consecutive rows is only a warning, since a policy may mean to leave some values unlabelled.
"""
from __future__ import annotations

from decimal import Decimal

from ..lang.runtime import Bands
from .expressions import Problems
from .spec import Entry


def band_table(rows: list[dict], entry: Entry, problems: Problems, sub: tuple) -> Bands:
    """The run-time table of `rows` (at `sub` inside `entry`); overlaps and gaps go to `problems`."""
    out = []
    for row in rows:
        low, low_inc = (row["over"], False) if "over" in row else (row.get("from"), True)
        high, high_inc = (row["under"], False) if "under" in row else (row.get("to"), True)
        out.append((low, low_inc, high, high_inc, row["label"]))
    # two rows overlap if some x satisfies both; check each pair of intervals
    for i, a in enumerate(out):
        for b in out[:i]:
            if _overlap(a, b):
                problems.fail(f"band '{a[4]}' overlaps band '{b[4]}'", entry, *sub, i)
    _report_gaps(out, entry, problems, sub)
    return Bands(out)


def _report_gaps(rows: list[tuple], entry: Entry, problems: Problems, sub: tuple) -> None:
    ordered = sorted(rows, key=lambda r: (Decimal("-Infinity") if r[0] is None else r[0]))
    for a, b in zip(ordered, ordered[1:]):
        if a[2] is None or b[0] is None:
            continue
        if a[2] < b[0] or (a[2] == b[0] and not a[3] and not b[1]):
            edge = f"{a[2]}" if a[2] == b[0] else f"{a[2]} … {b[0]}"
            problems.warn(f"bands leave a gap at {edge} ('{a[4]}' / '{b[4]}'): a value there gets no label",
                          entry.origin.location(*sub), kind="open question")


def _overlap(a, b) -> bool:
    lo = max((a[0], a[1]), (b[0], b[1]), key=lambda x: (Decimal("-Infinity") if x[0] is None else x[0], not x[1]))
    hi = min((a[2], a[3]), (b[2], b[3]), key=lambda x: (Decimal("Infinity") if x[0] is None else x[0], x[1]))
    if lo[0] is None or hi[0] is None:
        return True
    return lo[0] < hi[0] or (lo[0] == hi[0] and lo[1] and hi[1])
