"""The summary of a comparison: every record folded, in input order, into bounded aggregates (`Summary`).

Counts (records read, compared, unreadable, changed, and outside each policy's effective period); delta statistics per numeric output
(`engine.compare.statistics`); a transition matrix per text output with few labels (e.g. predikat:
base label × candidate label, ordered as the policies' bands order them); the rules that newly fail
or stop failing; the attribution tally (which policy difference explains how many changes); the
policy differences themselves; the provisional figures the changes depend on; and the most changed
records. Memory does not grow with the number of records.

These are figures only: the sentences a reader sees are written by the renderers (`engine.report`).
Worker processes fold their records into partial summaries (`state`), which `merge` into exactly the
summary one process builds.
"""
from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby
from operator import attrgetter

from ..lang.runtime import Bands
from ..policy.policy import Policy
from .attribution import UNEXPLAINED, Attributor
from .model import ErrorInfo, RecordComparison, ValueDiff
from .pair import PolicyPair, closure, is_provisional
from .statistics import DeltaStats

MAX_LABELS = 12            # a text output with more distinct labels gets no transition matrix
MISSING = "missing"        # the transition label of a missing value
DISTRIBUTION_MAX = 200     # numeric rows list their distinct deltas with counts when there are at most this many
_OUTPUT, _DELTA = attrgetter("output"), attrgetter("delta")


def _label(x) -> str | None:
    """A value as a transition label: text as is, true/false, `missing`; None if not categorical."""
    if x is None:
        return MISSING
    if isinstance(x, bool):
        return "true" if x else "false"
    return x if isinstance(x, str) else None


@dataclass
class Ranked:
    """A changed record with its score, for the bounded heap of the most changed records."""

    score: tuple
    rc: RecordComparison

    def __lt__(self, other):
        return (self.score, -self.rc.index) < (other.score, -other.rc.index)

    @classmethod
    def of(cls, rc: RecordComparison) -> "Ranked":
        """How changed a record is: outputs changed and violations appearing or disappearing, then the
        largest delta of a scalar output; ties go to the earlier record."""
        whole = [v for v in rc.values if v.label is None]   # a few: the per-item values are most
        scalar = [abs(v.delta) for v in whole if v.delta is not None]
        return cls((sum(1 for v in whole if v.changed) + len(rc.appeared)
                    + len(rc.disappeared), max(scalar, default=Decimal(0))), rc)


def offer(heap: list[Ranked], size: int, entry: Ranked) -> bool:
    """Keep `entry` in the bounded min-heap of the `size` most changed records; True if it went in."""
    if len(heap) < size:
        heapq.heappush(heap, entry)
        return True
    if heap and heap[0] < entry:
        heapq.heapreplace(heap, entry)
        return True
    return False


class Summary:
    """Folds comparisons (in input order) into bounded aggregates; see the module docstring."""

    def __init__(self, pair: PolicyPair, attributor: Attributor | None = None, *, top: int = 10,
                 keep_errors: int = 50):
        self.pair = pair
        self.outputs = pair.compared
        self.attributor = attributor
        self.top_n, self.keep_errors = top, keep_errors
        self.records = self.compared = self.error_records = self.changed = self.error_messages = 0
        self.numeric: dict[str, DeltaStats] = {}
        self.labels: dict[str, Counter | None] = {}
        self.label_seen: dict[str, set] = {}
        self.new: Counter = Counter()
        self.new_violations: Counter = Counter()
        self.resolved: Counter = Counter()
        self.resolved_violations: Counter = Counter()
        self.explained: Counter = Counter()
        self.of: Counter = Counter()
        self.prov: Counter = Counter()
        self.outside: Counter = Counter()   # policy id -> records outside its effective period
        self.top: list[Ranked] = []
        self.errors: list[ErrorInfo] = []

    def add(self, rc: RecordComparison) -> None:
        self.records += 1
        if not rc.ok:
            self.error_records += 1
            self.error_messages += len(rc.errors)
            room = self.keep_errors - len(self.errors)
            self.errors.extend(rc.errors[:max(room, 0)])
            return
        self.compared += 1
        if rc.outside_period:
            self.outside.update(list(rc.outside_period))
        numeric, value, values = self.numeric, self._value, rc.values
        for output, run in groupby(values, _OUTPUT):   # an output's values come together
            stats = numeric.get(output)
            if stats is None:   # a text output, or a number output not seen before: one value at a time
                for v in run:
                    value(v, values)
                continue
            run = list(run)   # the common case, numbers under both policies: their deltas added at once
            deltas = [d for d in map(_DELTA, run) if d is not None]
            stats.add_all(deltas)
            if len(deltas) < len(run):
                for v in run:
                    if v.delta is None:
                        value(v, values)
        if not rc.changed:
            return
        self.changed += 1
        for rule in {v.rule for v in rc.appeared}:
            self.new[rule] += 1
        for rule in {v.rule for v in rc.disappeared}:
            self.resolved[rule] += 1
        self.new_violations.update(v.rule for v in rc.appeared)
        self.resolved_violations.update(v.rule for v in rc.disappeared)
        self.explained.update([(a.category, a.change) for a in rc.attribution])
        self.of.update([a.category for a in rc.attribution])
        self.prov.update(rc.provisional)
        if self.top_n:
            offer(self.top, self.top_n, Ranked.of(rc))

    # -- partial summaries (worker processes fold their records; see `compare_into`) -------------------
    _COUNTERS = ("new", "new_violations", "resolved", "resolved_violations", "explained", "of", "prov",
                 "outside")

    def state(self) -> dict:
        """The aggregates of the records added so far, without the most changed records and the error
        list (picklable, for `merge`)."""
        return {"counts": (self.records, self.compared, self.error_records, self.changed, self.error_messages),
                "numeric": self.numeric, "labels": self.labels, "label_seen": self.label_seen,
                "counters": [getattr(self, name) for name in self._COUNTERS]}

    def merge(self, state: dict) -> None:
        """Add a `state()` of records that come after those added so far. Every aggregate comes out as
        if the records had been added one by one (the median bins: see `DeltaStats`)."""
        r, c, e, ch, m = state["counts"]
        self.records += r
        self.compared += c
        self.error_records += e
        self.changed += ch
        self.error_messages += m
        for name, stats in state["numeric"].items():
            if name in self.numeric:
                self.numeric[name].merge(stats)
            else:
                self.numeric[name] = stats
        for name, counter in state["labels"].items():
            if name in self.labels and self.labels[name] is None:
                continue
            if counter is None:
                self.labels[name] = None
                continue
            seen = self.label_seen.setdefault(name, set())
            seen |= state["label_seen"].get(name, set())
            if len(seen - {MISSING}) > MAX_LABELS:
                self.labels[name] = None
                continue
            self.labels.setdefault(name, Counter()).update(counter)
        for name, counter in zip(self._COUNTERS, state["counters"]):
            getattr(self, name).update(counter)

    def offer_top(self, rc: RecordComparison) -> None:
        """Consider a changed record for the most changed records (a worker's candidate)."""
        if self.top_n:
            offer(self.top, self.top_n, Ranked.of(rc))

    def _value(self, v: ValueDiff, values: list[ValueDiff]) -> None:
        """Fold one value of a record (`values`: all of them) the slow way, in the record's order."""
        b, c = v.base, v.candidate
        if isinstance(b, Decimal) or isinstance(c, Decimal):
            stats = self.numeric.get(v.output)
            if stats is None:   # per item or not: the output's first value in this record says
                per_item = next(x.label is not None for x in values if x.output == v.output)
                stats = self.numeric[v.output] = DeltaStats(per_item)
            if v.delta is not None:
                stats.add(v.delta)
            elif b is None:
                stats.missing_base += 1
            elif c is None:
                stats.missing_candidate += 1
            return
        if v.output in self.labels and self.labels[v.output] is None:
            return   # too many labels: no matrix
        lb, lc = _label(b), _label(c)
        if lb is None or lc is None:   # lists, tables: not categorical
            self.labels[v.output] = None
            return
        seen = self.label_seen.setdefault(v.output, set())
        seen.update((lb, lc))
        if len(seen - {MISSING}) > MAX_LABELS:
            self.labels[v.output] = None
            return
        self.labels.setdefault(v.output, Counter())[(lb, lc)] += 1

    # -- results -----------------------------------------------------------------------------------
    def top_records(self) -> list[RecordComparison]:
        return [t.rc for t in sorted(self.top, reverse=True)]

    def transitions(self) -> list[dict]:
        out = []
        for name in self.outputs:
            counter = self.labels.get(name)
            if not counter or name in self.numeric:
                continue
            if {x for pair in counter for x in pair} <= {MISSING}:
                continue
            order = self._band_order(name)

            def ranked(labels):
                return sorted(labels - {MISSING}, key=lambda x: (order.get(x, len(order)), x)) + [MISSING]

            rows, columns = ranked({b for b, _ in counter}), ranked({c for _, c in counter})
            counts = [[counter.get((r, c), 0) for c in columns] for r in rows]
            out.append({"name": name, "per_item": bool(self.pair.base.values[name].bound),
                        "rows": rows, "columns": columns, "counts": counts})
        return out

    def _band_order(self, name: str) -> dict[str, int]:
        order: dict[str, int] = {}
        for p in (self.pair.base, self.pair.candidate):
            if name not in p.values:
                continue
            for n in sorted(closure(p, [name])):
                info = p.parameters.get(n)
                if info is not None and isinstance(info.dated[-1][1], Bands):
                    for row in info.dated[-1][1].rows:
                        order.setdefault(str(row[4]), len(order))
        return order

    def numeric_rows(self) -> list[dict]:
        rows = []
        for name in self.outputs:
            s = self.numeric.get(name)
            if s is None:
                continue
            rows.append({"name": name, "per_item": s.per_item, "count": s.count, "changed": s.changed,
                         "missing_base": s.missing_base, "missing_candidate": s.missing_candidate,
                         "mean": s.mean(), "median": s.median(), "median_exact": s.exact, "min": s.lo, "max": s.hi,
                         "distribution": [[k, n] for k, n in sorted(s.counts.items())]
                         if len(s.counts) <= DISTRIBUTION_MAX else None})
        return rows

    def failures(self, counter: Counter, violations: Counter, policy: Policy) -> list[dict]:
        titles = {r.id: policy.text("rules", r.id, "title") for r in policy.rules}
        return [{"rule": rule, "title": titles.get(rule, ""), "records": n, "violations": violations[rule]}
                for rule, n in sorted(counter.items(), key=lambda x: (-x[1], x[0]))]

    def attribution(self) -> list[dict]:
        categories = [f"changed {o}" for o in self.outputs] + ["new violations", "resolved violations"]
        rank = {c: i for i, c in enumerate(categories)}
        rows = [{"change": change, "explains": n, "of": self.of[cat], "what": cat}
                for (cat, change), n in self.explained.items()]
        return sorted(rows, key=lambda r: (rank.get(r["what"], len(rank)), r["change"] == UNEXPLAINED,
                                           -r["explains"], r["change"]))

    def changes(self) -> list[dict]:
        """The differences between the policies (those of the attributor): label, the diff's details,
        whether it can change outcomes (`effective`), can be reverted alone (`separable`) and touches
        a provisional parameter or rule."""
        if self.attributor is None:
            return []
        a = self.attributor
        separable = a.separable()
        out = []
        for i, c in enumerate(a.changes):
            entries = [e for e in (c.old, c.new) if e is not None]
            provisional = c.section in ("parameter", "rule") and any(e.get("status") == "provisional" for e in entries)
            out.append({"section": c.section, "id": c.id, "kind": c.kind, "label": a.labels[i],
                        "details": list(c.details), "separable": separable.get(i, None) if i in a.effective else None,
                        "effective": i in a.effective, "provisional": provisional})
        return out

    def outside_period(self) -> list[dict]:
        """Per policy (base first) with records outside its effective period: `policy`, `records`."""
        ids = dict.fromkeys((self.pair.base.id, self.pair.candidate.id))
        return [{"policy": policy, "records": self.outside[policy]} for policy in ids if self.outside[policy]]

    def provisional(self) -> list[dict]:
        """The provisional figures the changed records depend on: `name` (a parameter, or `rule <id>`),
        `provisional_in` (the policies that mark it provisional), `changed_by_candidate` and
        `records` (how many changed records depend on it); those the candidate changes come first."""
        differs = set()
        if self.attributor is not None:
            differs = {("rule " if c.section == "rule" else "") + c.id
                       for i, c in enumerate(self.attributor.changes)
                       if c.section in ("parameter", "rule") and i in self.attributor.effective}
        rows = []
        for name, n in sorted(self.prov.items(), key=lambda x: (x[0] not in differs, -x[1], x[0])):
            where = [side for side, p in (("base", self.pair.base), ("candidate", self.pair.candidate))
                     if is_provisional(p, name)]
            rows.append({"name": name, "provisional_in": where, "changed_by_candidate": name in differs,
                         "records": n})
        return rows

