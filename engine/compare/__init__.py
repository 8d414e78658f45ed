"""Comparing two policies over many contracts: what changes for each unit if CANDIDATE replaces BASE.

Every record is evaluated under both policies. A `RecordComparison` holds, for each output common
to both (per-item outputs flattened to `name[item]`), the value under each policy and the delta for
numbers; the violations that appear or disappear (identified by rule id and data path); for a
changed record, which policy differences explain each change (`engine.compare.attribution`); and the
provisional parameters and rules the changes depend on.

`compare_stream` reads the inputs lazily and yields comparisons in input order, with one or several
worker processes; a record that cannot be read or validated becomes a comparison carrying its
errors, and the batch goes on. `Summary` folds the stream into bounded aggregates: counts, delta
statistics per numeric output, transition matrices for text outputs with few labels, rules that
newly fail or stop failing, the attribution tally, and the most changed records. `compare_into`
runs a whole comparison into a summary and a report sink; with several jobs the workers read,
compare, render and fold the records themselves (main process: reading lines, writing text, merging
partial summaries), and the output is byte-identical to one job's.

Memory does not grow with the number of records: the median is computed from the counts of
distinct deltas (outputs are rounded, so they are few); beyond `MEDIAN_DISTINCT` distinct values
they are binned (rounded down to fewer decimals) and the median is flagged as not exact. Workers
are forked where possible and inherit the compiled policies and attribution variants.
"""
from __future__ import annotations

import heapq
import multiprocessing
from collections import Counter, deque
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Iterable, Iterator

from .attribution import UNEXPLAINED, Attributor, explain
from ..errors import DataError, ErrorList, KinerjaError, SourceError
from ..lang.runtime import Bands
from ..policy.diff import same
from ..policy.policy import Policy
from ..policy.registry import DEFAULT, Registry
from ..search_path import SearchPath
from ..record import Record, expand_inputs, read_records, record_from_line
from ..source import read_lines

MAX_LABELS = 12            # a text output with more distinct labels gets no transition matrix
MEDIAN_DISTINCT = 20_000   # distinct deltas kept per numeric output before merging to fewer decimals
MISSING = "missing"
DISTRIBUTION_MAX = 200   # numeric rows list their distinct deltas with counts when there are at most this many


# -- per record --------------------------------------------------------------------------------------

@dataclass
class ValueDiff:
    name: str                  # output, or output[item label]
    output: str
    base: Any
    candidate: Any
    delta: Decimal | None      # candidate − base, when both are numbers
    changed: bool = None       # type: ignore[assignment]  # base and candidate differ (computed once)

    def __post_init__(self):
        if self.changed is None:
            self.changed = not same(self.base, self.candidate)


@dataclass
class ViolationDiff:
    rule: str
    severity: str
    message: str
    path: str | None

    @property
    def where(self) -> str:
        return self.rule + (f" at {self.path}" if self.path else "")


@dataclass
class ErrorInfo:
    source: str
    line: int | None
    column: int | None
    message: str
    text: str                  # file:line:col: message, the source line and a caret


@dataclass
class Attribution:
    item: str                  # "nko", "capaian_tahunan[1a-N]", "new pk-iku-count", "resolved r at iku[3]"
    category: str              # "changed nko", "new violations", "resolved violations"
    change: str                # change label, joint label, or "unexplained"

    def __str__(self) -> str:
        return f"{self.item}: {self.change}"


@dataclass
class RecordComparison:
    index: int
    source: str
    line: int | None = None
    label: str = ""
    values: list[ValueDiff] = field(default_factory=list)
    appeared: list[ViolationDiff] = field(default_factory=list)
    disappeared: list[ViolationDiff] = field(default_factory=list)
    attribution: list[Attribution] = field(default_factory=list)
    provisional: list[str] = field(default_factory=list)
    errors: list[ErrorInfo] = field(default_factory=list)   # non-empty: the record was not compared

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> bool:
        return bool(self.appeared or self.disappeared or any(v.changed for v in self.values))


def error_infos(error: KinerjaError, source: str) -> list[ErrorInfo]:
    errs = error.errors if isinstance(error, ErrorList) else [error]
    out = []
    for e in errs:
        loc = e.location if isinstance(e, SourceError) else None
        message = e.message if isinstance(e, SourceError) else str(e)
        out.append(ErrorInfo(loc.file if loc else source, loc.line if loc else None, loc.column if loc else None,
                             message, str(e)))
    return out


def record_label(data: Any) -> str:
    """A short name for a contract: its unit code (or code, id, name) and year, when present."""
    if not isinstance(data, dict):
        return ""
    unit = data.get("unit") if isinstance(data.get("unit"), dict) else {}
    name = next((str(x) for x in (unit.get("code"), unit.get("name"), data.get("code"), data.get("id"),
                                  data.get("name")) if x is not None), "")
    year = data.get("year")
    return " ".join(str(x) for x in (name, year) if x not in ("", None))


# -- the two policies ---------------------------------------------------------------------------------

@dataclass
class PolicyPair:
    """The base and candidate policies, loaded by id or path (a draft may `extends` a bundled one)."""

    base_ref: str
    candidate_ref: str
    root: SearchPath     # the registry's search path, for spawned workers
    base: Policy
    candidate: Policy

    @classmethod
    def load(cls, base_ref: str, candidate_ref: str, registry: Registry | None = None) -> "PolicyPair":
        registry = registry or DEFAULT
        base, candidate = registry.load(base_ref), registry.load(candidate_ref)
        if base.subject != candidate.subject:
            raise KinerjaError(f"cannot compare: {base.id} judges {base.subject} data, "
                               f"{candidate.id} judges {candidate.subject} data")
        return cls(base_ref, candidate_ref, registry.path, base, candidate)

    @property
    def common_outputs(self) -> list[str]:
        return [o for o in self.base.outputs if o in self.candidate.outputs]


def _reads(policy: Policy, name: str) -> list[str]:
    if name in policy.values:
        return policy.values[name].depends_on
    return policy.function_deps.get(name, [])


def closure(policy: Policy, roots: Iterable[str]) -> frozenset[str]:
    """Every value, function and parameter that `roots` read, directly or not (roots included)."""
    seen: set[str] = set()
    stack = list(roots)
    while stack:
        n = stack.pop()
        if n not in seen:
            seen.add(n)
            stack.extend(_reads(policy, n))
    return frozenset(seen)


class Comparer:
    """Compares one record at a time (one per process; policies and variants compiled once)."""

    def __init__(self, pair: PolicyPair, *, attribute: bool = True, as_of=None, attributor: Attributor | None = None):
        self.pair = pair
        self.base, self.candidate = pair.base, pair.candidate
        self.outputs = pair.common_outputs
        self.as_of = as_of
        self.attributor = (attributor or Attributor(self.base, self.candidate)) if attribute else None
        self._closures: dict[tuple[str, str], frozenset[str]] = {}
        self._provisional: dict[tuple[str, str], frozenset[str]] = {}
        self._relevant: dict[tuple[str, str, str | None], list[int]] = {}

    # closures of an output or rule under both policies, cached
    def names(self, kind: str, name: str) -> frozenset[str]:
        key = (kind, name)
        found = self._closures.get(key)
        if found is None:
            found = frozenset()
            for p in (self.base, self.candidate):
                if kind == "value":
                    found |= closure(p, [name]) if name in p.values else frozenset()
                else:
                    found |= closure(p, p.rule_deps.get(name, []))
            self._closures[key] = found
        return found

    def provisional(self, kind: str, name: str) -> frozenset[str]:
        """Provisional parameters (and the rule itself, if provisional) an output or rule depends on; cached."""
        key = (kind, name)
        found = self._provisional.get(key)
        if found is not None:
            return found
        out = {n for n in self.names(kind, name)
               for p in (self.base, self.candidate)
               if n in p.parameters and p.parameters[n].status == "provisional"}
        if kind == "rule":
            for p in (self.base, self.candidate):
                rule = next((r for r in p.rules if r.id == name), None)
                if rule is not None and rule.entry.get("status") == "provisional":
                    out.add(f"rule {name}")
        found = self._provisional[key] = frozenset(out)
        return found

    def relevant(self, kind: str, name: str, rule: str | None) -> list[int]:
        """The attributor's differences an output (kind "value") or rule can depend on; cached."""
        key = (kind, name, rule)
        found = self._relevant.get(key)
        if found is None:
            found = self._relevant[key] = self.attributor.relevant(self.names(kind, name), rule)
        return found

    def flat(self, policy: Policy, values: dict) -> dict[str, tuple[str, Any]]:
        """Output values keyed by `name` or `name[item]`, each with its output name."""
        out: dict[str, tuple[str, Any]] = {}
        for name in self.outputs:
            if name not in policy.values:
                continue
            v = values.get(name)
            if policy.values[name].bound and isinstance(v, dict):
                for k, x in v.items():
                    out[f"{name}[{k}]"] = (name, x)
            else:
                out[name] = (name, v)
        return out

    @staticmethod
    def keys(violations) -> dict[tuple[str, str | None], Any]:
        out = {}
        for v in violations:
            out.setdefault((v.rule, v.path), v)
        return out

    def compare(self, record: Record, index: int = 0) -> RecordComparison:
        source, line = (record.source.rsplit(":", 1)[0], record.line_offset) if record.line_offset \
            else (record.source, None)
        rc = RecordComparison(index, source, line, record_label(record.data))
        try:
            b = self.base.evaluate(record, as_of=self.as_of)
            c = self.candidate.evaluate(record, as_of=self.as_of)
        except KinerjaError as e:
            rc.errors = error_infos(e, record.source)
            for info in rc.errors:   # a JSON Lines record has no source map: point at its line
                if line is not None and info.source == record.source:
                    info.source, info.line = source, line
            return rc
        fb, fc = self.flat(self.base, b.values), self.flat(self.candidate, c.values)
        for key in list(fb) + [k for k in fc if k not in fb]:
            output, bv = fb.get(key, (None, None))
            output2, cv = fc.get(key, (None, None))
            delta = cv - bv if _number(bv) and _number(cv) else None
            rc.values.append(ValueDiff(key, output or output2, bv, cv, delta))
        vb, vc = self.keys(b.violations), self.keys(c.violations)
        rc.appeared = [_vd(v) for k, v in vc.items() if k not in vb]
        rc.disappeared = [_vd(v) for k, v in vb.items() if k not in vc]
        if rc.changed:
            self._explain(rc, record, fb, vb, vc)
        return rc

    def _explain(self, rc: RecordComparison, record: Record, fb, vb, vc) -> None:
        prov: set[str] = set()
        for v in rc.values:
            if v.changed:
                prov |= self.provisional("value", v.output)
        for v in rc.appeared + rc.disappeared:
            prov |= self.provisional("rule", v.rule)
        rc.provisional = sorted(prov)
        if self.attributor is None:
            return
        items = []   # (item, category, relevant differences, restored-test)
        for v in rc.values:
            if v.changed:
                items.append((v.name, f"changed {v.output}", self.relevant("value", v.output, None),
                              lambda out, k=v.name, base=v.base: same(out[0].get(k, (None, None))[1], base)))
        for kind, diffs, present in (("new", rc.appeared, False), ("resolved", rc.disappeared, True)):
            for v in diffs:
                key = (v.rule, v.path)
                items.append((f"{kind} {v.where}", f"{kind} violations", self.relevant("rule", v.rule, v.rule),
                              lambda out, key=key, present=present: (key in out[1]) == present))
        outcomes: dict[frozenset[int], tuple | None] = {}

        def outcome(idxs: frozenset[int]):
            if idxs not in outcomes:
                variant = self.attributor.variant(idxs)
                try:
                    r = variant.evaluate(record, as_of=self.as_of) if variant is not None else None
                except KinerjaError:
                    r = None
                outcomes[idxs] = None if r is None else (self.flat(variant, r.values), self.keys(r.violations))
            return outcomes[idxs]

        labels = self.attributor.labels
        for item, category, relevant, restored in items:

            def restores(idxs, restored=restored):
                out = outcome(idxs)
                return out is not None and restored(out)

            rc.attribution.append(Attribution(item, category, explain(relevant, restores, labels).label))


def _number(x) -> bool:
    return isinstance(x, Decimal)


def _label(x) -> str | None:
    """A value as a transition label: text as is, true/false, `missing`; None if not categorical."""
    if x is None:
        return MISSING
    if isinstance(x, bool):
        return "true" if x else "false"
    return x if isinstance(x, str) else None


def _vd(v) -> ViolationDiff:
    return ViolationDiff(v.rule, v.severity, v.message, v.path)


# -- streaming, with worker processes -------------------------------------------------------------------
#
# The inputs become *tasks* in input order: a JSON Lines line as its raw text, or a YAML/JSON file by
# name (the main process only reads and splits lines); `_materialise` parses a task into a Record, or
# a comparison carrying its errors. Files or lines that cannot even be read are comparisons already.
# With several jobs, workers parse, validate, compare, render each record's output (`Sink.render`)
# and fold the records into a partial `Summary` per chunk; the main process writes the rendered text
# in order and merges the partial summaries, so its own work per record is small.

def _error_item(error: KinerjaError, name: str) -> RecordComparison:
    infos = error_infos(error, name)
    return RecordComparison(0, name, infos[0].line if name.endswith(".jsonl") else None, errors=infos)


def _tasks(inputs: list[str]) -> Iterator[tuple | RecordComparison]:
    for path in expand_inputs(list(inputs)):
        if isinstance(path, KinerjaError):
            yield RecordComparison(0, str(path.location or path), errors=error_infos(path, str(path.location)))
            continue
        name = str(path)
        if not name.endswith(".jsonl"):
            yield ("file", name)
            continue
        for n, line in read_lines(path, DataError):   # streamed: memory does not grow with the file
            if isinstance(line, DataError):
                yield _error_item(line, name)
            elif line.strip():
                yield ("line", name, n, line)


def _materialise(task: tuple) -> Record | RecordComparison:
    """A task as a Record, or as a comparison with the errors that kept it from being read (the same
    records and errors as `engine.record.read_records`)."""
    if task[0] == "line":
        _, name, n, line = task
        item = record_from_line(line, name, n)
        return item if isinstance(item, Record) else _error_item(item, name)
    name = task[1]
    for item in read_records(name):   # a YAML or JSON file: one record, or its error
        return item if isinstance(item, Record) else _error_item(item, name)
    raise AssertionError(f"{name}: no record")  # pragma: no cover


def count_records(inputs: list[str]) -> int:
    """How many records the inputs hold (for a progress bar): one per file, one per JSON Lines line."""
    n = 0
    for path in expand_inputs(list(inputs)):
        if isinstance(path, Path) and path.suffix == ".jsonl":
            try:
                with open(path, "rb") as f:
                    n += sum(1 for line in f if line.strip())
            except OSError:
                n += 1
        else:
            n += 1
    return n


_WORKER: Comparer | None = None
_FOLD: dict = {}                 # in a worker: the renderer, the top-N size and the worker's top-N heap
_INHERIT: tuple | None = None    # set by the parent around fork: its policies, so workers need not compile them


def _init_worker(base_ref: str, candidate_ref: str, root: str, attribute: bool, as_of,
                 render=None, changed_only: bool = False, top: int = 0) -> None:
    global _WORKER
    if _INHERIT is not None:     # forked: the parent's compiled policies (and attributor) are here already
        pair, attributor = _INHERIT
    else:                        # spawned: compile them again
        pair, attributor = PolicyPair.load(base_ref, candidate_ref, Registry(root)), None
    _WORKER = Comparer(pair, attribute=attribute, as_of=as_of, attributor=attributor if attribute else None)
    _FOLD.update(render=render, changed_only=changed_only, top=top, heap=[])


def _compare_task(index: int, task) -> RecordComparison:
    item = _materialise(task) if isinstance(task, tuple) else task
    if isinstance(item, RecordComparison):
        item.index = index
        return item
    return _WORKER.compare(item, index)


def _work(chunk: list[tuple[int, tuple]]) -> list[RecordComparison]:
    return [_compare_task(i, task) for i, task in chunk]


def _work_fold(chunk: list[tuple[int, tuple]]) -> tuple[list, dict, list[RecordComparison]]:
    """Compare a chunk and fold it: (per record: (True, rendered output) or (False, unreadable record's
    comparison), the chunk's partial summary, and the records that entered this worker's top-N)."""
    summary = Summary(_WORKER.pair, top=0, keep_errors=0)
    render, changed_only, top, heap = _FOLD["render"], _FOLD["changed_only"], _FOLD["top"], _FOLD["heap"]
    out: list = []
    entered: set[int] = set()
    for index, task in chunk:
        rc = _compare_task(index, task)
        if not rc.ok:
            out.append((False, rc))   # errors are rare and kept in order by the main process
            continue
        summary.add(rc)
        if top and rc.changed and offer(heap, top, _Top.of(rc)):
            entered.add(index)
        out.append((True, render(rc, changed_only) if render is not None else None))
    tops = [t.rc for t in heap if t.rc.index in entered]
    return out, summary.state(), tops


def _pool(jobs: int, pair: PolicyPair, attribute: bool, as_of, attributor, *extra):
    """A worker pool; forked where the platform allows it, so that workers inherit the compiled policies."""
    global _INHERIT
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    _INHERIT = (pair, attributor) if "fork" in methods else None
    try:
        return context.Pool(jobs, _init_worker, (pair.base_ref, pair.candidate_ref, pair.root, attribute, as_of)
                            + extra)
    finally:
        _INHERIT = None


def _ordered(pool, work, tasks: Iterator, jobs: int, chunk_size: int) -> Iterator:
    """Run `work` on chunks of (index, task) in the pool; yield, in input order, each chunk's result
    and, between chunks, the comparisons made by the main process (unreadable files and lines)."""
    window = 4 * jobs   # chunks in flight: bounds memory, keeps every worker busy
    pending: deque = deque()
    chunk: list[tuple[int, tuple]] = []

    def flush():
        nonlocal chunk
        if chunk:
            pending.append(pool.apply_async(work, (chunk,)))
            chunk = []

    def take():
        head = pending.popleft()
        return head if isinstance(head, RecordComparison) else head.get()

    for index, task in enumerate(tasks):
        if isinstance(task, RecordComparison):
            task.index = index
            flush()
            pending.append(task)
        else:
            chunk.append((index, task))
            if len(chunk) >= chunk_size:
                flush()
        while len(pending) > window:
            yield take()
    flush()
    while pending:
        yield take()


def compare_stream(pair: PolicyPair, inputs: list[str], *, jobs: int = 1, attribute: bool = True, as_of=None,
                   chunk_size: int = 8, attributor: Attributor | None = None) -> Iterator[RecordComparison]:
    """Comparisons of every record of `inputs`, in input order (identical for any number of jobs).
    With one job, an `attributor` may be shared with the `Summary` (its variants are compiled once)."""
    tasks = _tasks(inputs)
    if jobs <= 1:
        comparer = Comparer(pair, attribute=attribute, as_of=as_of, attributor=attributor)
        for index, task in enumerate(tasks):
            if isinstance(task, RecordComparison):
                task.index = index
                yield task
            else:
                item = _materialise(task)
                if isinstance(item, RecordComparison):
                    item.index = index
                    yield item
                else:
                    yield comparer.compare(item, index)
        return
    with _pool(jobs, pair, attribute, as_of, attributor) as pool:
        for result in _ordered(pool, _work, tasks, jobs, chunk_size):
            if isinstance(result, RecordComparison):
                yield result
            else:
                yield from result


def compare_into(summary: "Summary", sink, pair: PolicyPair, inputs: list[str], *, jobs: int = 1,
                 attribute: bool = True, as_of=None, attributor: Attributor | None = None, chunk_size: int = 32,
                 progress=None) -> None:
    """Compare every record of `inputs`, adding each to `summary` and `sink` (an
    `engine.report.compare.Sink`) in input order; the output is identical for any number of jobs.
    `progress(n)` is called as records are done."""
    if jobs <= 1:
        for rc in compare_stream(pair, inputs, attribute=attribute, as_of=as_of, attributor=attributor):
            summary.add(rc)
            sink.record(rc)
            if progress is not None:
                progress(1)
        return
    sink.flush()   # a forked worker must not inherit (and one day write) a copy of buffered output
    if attribute and attributor is not None:
        attributor.separable()   # compile every single-difference variant once, here: forked workers inherit them
    with _pool(jobs, pair, attribute, as_of, attributor, sink.render, sink.changed_only, summary.top_n) as pool:
        for result in _ordered(pool, _work_fold, _tasks(inputs), jobs, chunk_size):
            if isinstance(result, RecordComparison):
                out = [(False, result)]
            else:
                out, state, tops = result
                summary.merge(state)
                for rc in tops:
                    summary.offer_top(rc)
            for ok, x in out:
                if ok:
                    if x is not None:
                        sink.write(x)
                else:
                    summary.add(x)
                    sink.record(x)
            if progress is not None:
                progress(len(out))


# -- summary ---------------------------------------------------------------------------------------------

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
        self.counts: dict[Decimal, int] = {}
        self.quantum: Decimal | None = None   # bin width, once values are binned
        self.exact = True

    def add(self, d: Decimal) -> None:
        self.count += 1
        if d:
            self.changed += 1
        self.total += d
        if self.lo is None or d < self.lo:
            self.lo = d
        if self.hi is None or d > self.hi:
            self.hi = d
        exp = d.as_tuple().exponent
        if isinstance(exp, int) and -exp > self.places:
            self.places = -exp
        key = d if self.quantum is None else d.quantize(self.quantum, ROUND_FLOOR)
        counts = self.counts
        counts[key] = counts.get(key, 0) + 1
        if len(counts) > MEDIAN_DISTINCT:
            self._coarsen()

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


@dataclass
class _Top:
    score: tuple
    rc: RecordComparison

    def __lt__(self, other):
        return (self.score, -self.rc.index) < (other.score, -other.rc.index)

    @classmethod
    def of(cls, rc: RecordComparison) -> "_Top":
        """How changed a record is: outputs changed and violations appearing or disappearing, then the
        largest delta of a scalar output; ties go to the earlier record."""
        scalar = [abs(v.delta) for v in rc.values if v.name == v.output and v.delta is not None]
        return cls((sum(1 for v in rc.values if v.name == v.output and v.changed) + len(rc.appeared)
                    + len(rc.disappeared), max(scalar, default=Decimal(0))), rc)


def offer(heap: list[_Top], size: int, entry: _Top) -> bool:
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
        self.outputs = pair.common_outputs
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
        self.top: list[_Top] = []
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
        per_item = {}
        for v in rc.values:
            per_item.setdefault(v.output, v.name != v.output)
            self._value(v, per_item[v.output])
        if not rc.changed:
            return
        self.changed += 1
        for rule in {v.rule for v in rc.appeared}:
            self.new[rule] += 1
        for rule in {v.rule for v in rc.disappeared}:
            self.resolved[rule] += 1
        self.new_violations.update(v.rule for v in rc.appeared)
        self.resolved_violations.update(v.rule for v in rc.disappeared)
        for a in rc.attribution:
            self.explained[(a.category, a.change)] += 1
            self.of[a.category] += 1
        self.prov.update(rc.provisional)
        if self.top_n:
            offer(self.top, self.top_n, _Top.of(rc))

    # -- partial summaries (worker processes fold their records; see `compare_into`) -------------------
    _COUNTERS = ("new", "new_violations", "resolved", "resolved_violations", "explained", "of", "prov")

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
            offer(self.top, self.top_n, _Top.of(rc))

    def _value(self, v: ValueDiff, per_item: bool) -> None:
        b, c = v.base, v.candidate
        if _number(b) or _number(c):
            stats = self.numeric.get(v.output)
            if stats is None:
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
        titles = {r.id: r.entry.data["title"] for r in policy.rules}
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
        if self.attributor is None:
            return []
        a = self.attributor
        separable = a.separable()
        changed_params = set()
        out = []
        for i, c in enumerate(a.changes):
            entries = [e for e in (c.old, c.new) if e is not None]
            provisional = c.section in ("parameter", "rule") and any(e.get("status") == "provisional" for e in entries)
            if c.section == "parameter":
                changed_params.add(c.id)
            out.append({"section": c.section, "id": c.id, "kind": c.kind, "label": a.labels[i],
                        "details": list(c.details), "separable": separable.get(i, None) if i in a.effective else None,
                        "effective": i in a.effective, "provisional": provisional})
        return out

    def provisional_notes(self) -> list[str]:
        differs = set()
        if self.attributor is not None:
            differs = {("rule " if c.section == "rule" else "") + c.id
                       for i, c in enumerate(self.attributor.changes)
                       if c.section in ("parameter", "rule") and i in self.attributor.effective}
        notes = []
        for name, n in sorted(self.prov.items(), key=lambda x: (x[0] not in differs, -x[1], x[0])):
            where = []
            for side, p in (("base", self.pair.base), ("candidate", self.pair.candidate)):
                if name.startswith("rule "):
                    rule = next((r for r in p.rules if r.id == name[5:]), None)
                    if rule is not None and rule.entry.get("status") == "provisional":
                        where.append(side)
                elif name in p.parameters and p.parameters[name].status == "provisional":
                    where.append(side)
            status = "provisional in " + " and ".join(where) if len(where) < 2 else "provisional"
            note = f"{name}: {status}{', changed by the candidate' if name in differs else ''}; " \
                   f"{n} of {self.changed} changed record{'' if self.changed == 1 else 's'} depend on it"
            notes.append(note)
        return notes
