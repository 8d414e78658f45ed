"""Statistics of the deltas of one numeric output over many records, in bounded memory (`DeltaStats`).

Count, changes, values missing on either side, exact sum, minimum and maximum, and the median. The
median comes from the counts of distinct deltas: outputs are rounded, so they are few. Beyond
`MEDIAN_DISTINCT` distinct values they are binned (rounded down to fewer decimals) and the median is
flagged as not exact; memory does not grow with the number of records. Partial statistics built by
worker processes merge into exactly what one process builds.
"""
from __future__ import annotations

from collections import Counter
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

MEDIAN_DISTINCT = 20_000   # distinct deltas kept per numeric output before merging to fewer decimals


def decimal_places(d: Decimal) -> int:
    """How many decimals `d` is written with (its exponent negated; 0 for whole numbers and
    non-finite ones), read from its text: cheaper than `as_tuple` but for the rare exponent form."""
    return text_places(str(d))


def text_places(text: str) -> int:
    """`decimal_places` of the Decimal whose text (`str`, which is exact) is `text`."""
    if "E" in text:
        exponent = Decimal(text).as_tuple().exponent
        return -exponent if isinstance(exponent, int) and exponent < 0 else 0
    dot = text.find(".")
    return 0 if dot < 0 else len(text) - dot - 1


class DeltaStats:
    """Count, changes, exact sum/min/max and a bounded table of distinct values for the median.

    The table holds at most `MEDIAN_DISTINCT` values. Past that, values are binned: rounded down
    (floor) to the most decimals at which at most `MEDIAN_DISTINCT` distinct bins remain, and the
    median is the midpoint of its bin (flagged not exact). Rounding down composes (flooring to 2
    decimals, then to 1, is flooring to 1), so the bins depend only on the values, not on their order:
    partial tables built by worker processes merge (`merge`) into exactly the table one process builds."""

    def __init__(self, per_item: bool):
        self.per_item = per_item
        self.count = self.changed = self.missing_base = self.missing_candidate = 0
        self.total = Decimal(0)
        self.lo: Decimal | None = None
        self.hi: Decimal | None = None
        self.places = 0
        self.counts: dict[Decimal, int] = Counter()   # a dict; `Counter.update` counts in C
        self.quantum: Decimal | None = None   # bin width, once values are binned
        self.exact = True

    def add(self, d: Decimal) -> None:
        self.add_all((d,))

    def add_all(self, deltas: list[Decimal]) -> None:
        """`add` each of `deltas` in turn (one call per output and record: this runs for every value).
        Unless they may have to be binned, they are added at once, to the same figures: the sum in
        the same order, the first of equal minima (maxima, table keys) kept, as one by one."""
        counts = self.counts
        if self.quantum is not None or len(counts) + len(deltas) > MEDIAN_DISTINCT or type(counts) is not Counter:
            self._add_each(deltas)
            return
        if not deltas:
            return
        zeros = counts.get(0, 0)   # every zero delta (0, 0.00, -0) counts under one key
        counts.update(deltas)
        self.count += len(deltas)
        self.changed += len(deltas) - (counts.get(0, 0) - zeros)
        self.total = sum(deltas, self.total)
        lo, hi = min(deltas), max(deltas)
        if self.lo is None or lo < self.lo:
            self.lo = lo
        if self.hi is None or hi > self.hi:
            self.hi = hi
        self.places = max(self.places, *map(text_places, set(map(str, deltas))))

    def _add_each(self, deltas) -> None:
        count, changed, total, lo, hi, places = self.count, self.changed, self.total, self.lo, self.hi, self.places
        counts, quantum = self.counts, self.quantum
        for d in deltas:
            count += 1
            if d:
                changed += 1
            total += d
            if lo is None:
                lo = hi = d
            elif d < lo:
                lo = d
            elif d > hi:
                hi = d
            written = decimal_places(d)
            if written > places:
                places = written
            key = d if quantum is None else d.quantize(quantum, ROUND_FLOOR)
            counts[key] = counts.get(key, 0) + 1
            if len(counts) > MEDIAN_DISTINCT:
                self.places = places
                self._coarsen()
                counts, quantum = self.counts, self.quantum
        self.count, self.changed, self.total, self.lo, self.hi, self.places = count, changed, total, lo, hi, places

    def merge(self, other: "DeltaStats") -> None:
        """Add the values counted by `other` (which saw later records: on ties, this one's text wins)."""
        self.count += other.count
        self.changed += other.changed
        self.missing_base += other.missing_base
        self.missing_candidate += other.missing_candidate
        self.total += other.total
        if other.lo is not None and (self.lo is None or other.lo < self.lo):
            self.lo = other.lo
        if other.hi is not None and (self.hi is None or other.hi > self.hi):
            self.hi = other.hi
        self.places = max(self.places, other.places)
        quanta = [q for q in (self.quantum, other.quantum) if q is not None]
        quantum = max(quanta) if quanta else None
        if quantum is not None and self.quantum != quantum:
            self._rebin(quantum)
        counts = self.counts
        for k, n in other.counts.items():
            if quantum is not None and other.quantum != quantum:
                k = k.quantize(quantum, ROUND_FLOOR)
            counts[k] = counts.get(k, 0) + n
        if len(counts) > MEDIAN_DISTINCT:
            self._coarsen()

    def _rebin(self, quantum: Decimal) -> None:
        merged: dict[Decimal, int] = {}
        for k, n in self.counts.items():
            q = k.quantize(quantum, ROUND_FLOOR)
            merged[q] = merged.get(q, 0) + n
        self.counts, self.quantum, self.exact = merged, quantum, False

    def _coarsen(self) -> None:
        """Bin to one decimal fewer at a time until at most `MEDIAN_DISTINCT` bins remain."""
        places = self.places if self.quantum is None else -self.quantum.as_tuple().exponent
        while len(self.counts) > MEDIAN_DISTINCT:
            places -= 1
            self._rebin(Decimal(1).scaleb(-places))

    def mean(self) -> Decimal | None:
        if not self.count:
            return None
        places = min(self.places, 4) + 2   # two more decimals than the deltas, at most six
        return (self.total / self.count).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)

    def median(self) -> Decimal | None:
        if not self.count:
            return None
        ordered = sorted(self.counts.items())
        lo_rank, hi_rank = (self.count - 1) // 2, self.count // 2
        seen, lo = 0, None
        for value, n in ordered:
            if lo is None and seen + n > lo_rank:
                lo = value
            if seen + n > hi_rank:
                middle = lo if lo == value else (lo + value) / 2
                return middle if self.quantum is None else middle + self.quantum / 2   # midpoint of the bin
            seen += n
        return lo  # pragma: no cover (ranks are below count)
