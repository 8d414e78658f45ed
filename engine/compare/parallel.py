"""Running a whole comparison, in input order, with one or several worker processes.

`compare_stream` yields the comparison of every record of the inputs in input order.
`compare_into` runs a whole comparison into a `Summary` and a report sink: with several jobs the
workers read, compare, render (`Sink.render`) and fold the records themselves into a partial summary
per chunk; the main process only reads and splits lines, writes the rendered text in order and merges
the partial summaries, so its own work per record is small. Either way the output is byte-identical
to one job's. Work goes out in chunks, a bounded number in flight, so memory stays flat. Workers are
forked where possible and inherit the compiled policies (spawned workers compile them again); each
compiles the attribution variants its own records need, and at the end the workers check the
one-difference variants between them for the report's "separable" (engine/compare/attribution.py). Any failure while reading, comparing or rendering one record (not only a
`KinerjaError`: `engine.failures`) becomes that record's error, and the batch goes on.
"""
from __future__ import annotations

import multiprocessing
from collections import deque
from typing import Iterator

from ..errors import Location
from ..failures import record_failure
from ..policy.registry import Registry
from ..record import Record
from .attribution import Attributor
from .comparer import Comparer
from .inputs import Task, materialise, tasks, unreadable
from .model import RecordComparison
from .pair import PolicyPair
from .summary import Ranked, Summary, offer

_WORKER: Comparer | None = None
_FOLD: dict = {}                 # in a worker: the renderer, the top-N size and the worker's top-N heap
_INHERIT: tuple | None = None    # set by the parent around fork: its policies, so workers need not compile them


def _init_worker(base_ref: str, candidate_ref: str, root: str, values: tuple[str, ...], show_confidential: bool,
                 attribute: bool, as_of, render=None, changed_only: bool = False, top: int = 0,
                 batch: bool = False) -> None:
    global _WORKER
    if _INHERIT is not None:     # forked: the parent's compiled policies (and attributor) are here already
        pair, attributor = _INHERIT
    else:                        # spawned: compile them again
        pair, attributor = PolicyPair.load(base_ref, candidate_ref, Registry(root), values, show_confidential), None
    if attribute and attributor is None:   # its variants are made from the policies themselves
        attributor = Attributor(pair.base, pair.candidate)
    prefetch = _prefetch(pair, as_of) if batch else None
    _WORKER = Comparer(prefetch.pair if prefetch else pair, attribute=attribute, as_of=as_of,
                       attributor=attributor if attribute else None)
    _FOLD.update(render=render, changed_only=changed_only, top=top, heap=[], prefetch=prefetch)


def _prefetch(pair: PolicyPair, as_of):
    from ..vector import require
    require()   # numpy: only for --batch
    from ..vector.prefetch import Prefetch
    return Prefetch(pair, as_of)


def _read(task: Task | RecordComparison):
    """A task's record (or the comparison saying why it could not be read)."""
    try:
        return materialise(task) if isinstance(task, tuple) else task
    except Exception as e:   # one record's failure stops no other record
        return _failed(task, e)


def _prefetched(items, prefetch) -> Iterator[tuple[int, object]]:
    """(index, task) in order; with a prefetch (--batch), a chunk at a time: its records read, then
    evaluated by both policies at once, then handed out."""
    if prefetch is None:
        yield from items
        return
    from ..vector.prefetch import CHUNK, CHUNK_TEXT, FIRST
    chunk: list = []
    size = FIRST   # then CHUNK; FIRST again once both policies go per record (no columns: no need to read ahead)
    text = 0       # characters of the chunk's JSON lines: big records make shorter chunks
    for item in items:
        chunk.append(item)
        task = item[1]
        text += len(task[3]) if type(task) is tuple and task[0] == "line" else 0
        if len(chunk) >= size or text >= CHUNK_TEXT:
            yield from _loaded(prefetch, chunk)
            chunk, size, text = [], FIRST if prefetch.idle else CHUNK, 0
    yield from _loaded(prefetch, chunk)


def _loaded(prefetch, chunk: list) -> list[tuple[int, object]]:
    read = [(index, _read(task)) for index, task in chunk]
    prefetch.load([item for _, item in read if isinstance(item, Record)])
    return read


def _compare_task(comparer: Comparer, index: int, task: Task | RecordComparison) -> RecordComparison:
    """The comparison of one task; an unexpected failure is the record's error, at the task's place."""
    try:
        item = materialise(task) if isinstance(task, tuple) else task
        rc = item if isinstance(item, RecordComparison) else comparer.compare(item, index)
    except Exception as e:   # one record's failure stops no other record
        rc = _failed(task, e)
    rc.index = index
    return rc


def _failed(task: Task | RecordComparison, error: Exception) -> RecordComparison:
    """The comparison of a record whose reading, comparing or rendering failed with `error`."""
    name, line = (task.source, task.line) if isinstance(task, RecordComparison) else \
        (task[1], task[2] if task[0] == "line" else None)
    return unreadable(record_failure(error, Location(name, line)), name)


def _judged(comparer: Comparer, index: int, task: Task, render, changed_only: bool) -> tuple[RecordComparison, object]:
    """A task's comparison and its rendered text (None for an error, rendered by the main process)."""
    rc = _compare_task(comparer, index, task)
    if not rc.ok or render is None:
        return rc, None
    try:
        return rc, render(rc, changed_only)
    except Exception as e:
        failed = _failed(rc, e)
        failed.index = index
        return failed, None


def _work(chunk: list[tuple[int, Task]]) -> list[RecordComparison]:
    return [_compare_task(_WORKER, i, task) for i, task in chunk]


def _work_fold(chunk: list[tuple[int, Task]]) -> tuple[list, dict, list[RecordComparison]]:
    """Compare a chunk and fold it: (per record: (True, rendered output) or (False, unreadable record's
    comparison), the chunk's partial summary, and the records that entered this worker's top-N)."""
    summary = Summary(_WORKER.pair, top=0, keep_errors=0)
    render, changed_only, top, heap = _FOLD["render"], _FOLD["changed_only"], _FOLD["top"], _FOLD["heap"]
    prefetch = _FOLD["prefetch"]
    out: list = []
    entered: set[int] = set()
    for index, task in _prefetched(chunk, prefetch):
        rc, text = _judged(_WORKER, index, task, render, changed_only)
        if not rc.ok:
            out.append((False, rc))   # errors are rare and kept in order by the main process
            continue
        summary.add(rc)
        if top and rc.changed and offer(heap, top, Ranked.of(rc)):
            entered.add(index)
        out.append((True, text))
    tops = [t.rc for t in heap if t.rc.index in entered]
    return out, summary.state(), tops, prefetch.drain() if prefetch else None


def _pool(jobs: int, pair: PolicyPair, attribute: bool, as_of, attributor, *extra):
    """A worker pool; forked where the platform allows it, so that workers inherit the compiled policies."""
    global _INHERIT
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    _INHERIT = (pair, attributor) if "fork" in methods else None
    try:
        return context.Pool(jobs, _init_worker, (pair.base_ref, pair.candidate_ref, pair.root, pair.values,
                                                      pair.show_confidential, attribute,
                                                      as_of)
                            + extra)
    finally:
        _INHERIT = None


def _ordered(pool, work, items: Iterator, jobs: int, chunk_size: int) -> Iterator:
    """Run `work` on chunks of (index, task) in the pool; yield, in input order, each chunk's result
    and, between chunks, the comparisons made by the main process (unreadable files and lines)."""
    window = 4 * jobs   # chunks in flight: bounds memory, keeps every worker busy
    pending: deque = deque()
    chunk: list[tuple[int, Task]] = []

    def flush():
        nonlocal chunk
        if chunk:
            pending.append(pool.apply_async(work, (chunk,)))
            chunk = []

    def take():
        head = pending.popleft()
        return head if isinstance(head, RecordComparison) else head.get()

    for index, task in enumerate(items):
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
                   chunk_size: int = 8, attributor: Attributor | None = None,
                   exclude: tuple[str, ...] = ()) -> Iterator[RecordComparison]:
    """Comparisons of every record of `inputs` (less the files `exclude` patterns drop), in input order
    (identical for any number of jobs). With one job, an `attributor` may be shared with the `Summary`
    (its variants are compiled once)."""
    todo = tasks(inputs, exclude)
    if jobs <= 1:
        comparer = Comparer(pair, attribute=attribute, as_of=as_of, attributor=attributor)
        for index, task in enumerate(todo):
            yield _compare_task(comparer, index, task)
        return
    with _pool(jobs, pair, attribute, as_of, attributor) as pool:
        for result in _ordered(pool, _work, todo, jobs, chunk_size):
            if isinstance(result, RecordComparison):
                yield result
            else:
                yield from result


def compare_into(summary: Summary, sink, pair: PolicyPair, inputs: list[str], *, jobs: int = 1,
                 attribute: bool = True, as_of=None, attributor: Attributor | None = None, chunk_size: int = 256,
                 exclude: tuple[str, ...] = (), progress=None, batch: bool = False):
    """Compare every record of `inputs`, adding each to `summary` and `sink` (an
    `engine.report.compare_sinks.Sink`) in input order; the output is identical for any number of jobs
    and with `batch` (both policies evaluated by evaluate_many, a chunk of records at a time:
    engine/vector/prefetch.py). `progress(n)` is called as records are done. Returns the batch's
    `Prefetch` (its `lines()` say how the records were computed), or None. With several jobs the
    records go out `chunk_size` at a time: each chunk's partial summary is pickled and merged, so
    larger chunks cost less (benchmarks/bench_compare.py, 20 000 records: --jobs 2 1.83-1.89x
    --jobs 1 with 256, 1.74-1.80x with 64)."""
    if jobs <= 1:
        prefetch = _prefetch(pair, as_of) if batch else None
        comparer = Comparer(prefetch.pair if prefetch else pair, attribute=attribute, as_of=as_of,
                            attributor=attributor or (Attributor(pair.base, pair.candidate) if attribute else None))
        for index, task in _prefetched(enumerate(tasks(inputs, exclude)), prefetch):
            rc, text = _judged(comparer, index, task, sink.render, sink.changed_only)
            summary.add(rc)
            if not rc.ok:
                sink.record(rc)
            elif text is not None:
                sink.write(text)
            if progress is not None:
                progress(1)
        return prefetch
    sink.flush()   # a forked worker must not inherit (and one day write) a copy of buffered output
    tally = _prefetch(pair, as_of) if batch else None
    if batch:
        from ..vector.prefetch import CHUNK
        chunk_size = CHUNK
    with _pool(jobs, pair, attribute, as_of, attributor, sink.render, sink.changed_only, summary.top_n, batch) as pool:
        for result in _ordered(pool, _work_fold, tasks(inputs, exclude), jobs, chunk_size):
            if isinstance(result, RecordComparison):
                out = [(False, result)]
            else:
                out, state, tops, counted = result
                summary.merge(state)
                for rc in tops:
                    summary.offer_top(rc)
                if counted is not None:
                    tally.merge(counted)
            for ok, x in out:
                if ok:
                    if x is not None:
                        sink.write(x)
                else:
                    summary.add(x)
                    sink.record(x)
            if progress is not None:
                progress(len(out))
        if attribute and attributor is not None:
            _check_variants(pool, jobs, attributor)
    return tally


def _check_variants(pool, jobs: int, attributor: Attributor) -> None:
    """Whether each one-difference variant checks (the report's "separable"), worked out by the
    workers in parallel (each compiled the variants its own records needed, lazily) and learnt by
    the main process's `attributor`."""
    effective = attributor.effective
    parts = [effective[k::2 * jobs] for k in range(2 * jobs)]
    for graphs, failures in pool.imap_unordered(_variant_graphs, [p for p in parts if p]):
        attributor.learn(graphs, failures)


def _variant_graphs(indexes: list[int]) -> tuple[dict, dict]:
    attributor = _WORKER.attributor
    graphs = {i: attributor.graph(frozenset([i])) for i in indexes}
    return graphs, {i: attributor.failures[frozenset([i])] for i in indexes if frozenset([i]) in attributor.failures}
