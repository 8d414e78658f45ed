"""`kinerja compare --batch`: both policies evaluated by `evaluate_many`, a chunk of records at a time.

`Prefetch(pair, as_of)` holds a pair whose two policies answer `evaluate(record, as_of=…, names=…)`
for the records of the current chunk from the batch, with the same Result (or the same error) the
per-record call gives, so the comparison, its summary and every report are unchanged.
`load(records)` evaluates the next chunk (compare reads and compares the records chunk by chunk,
engine/compare/parallel.py, so memory stays that of a chunk; the first chunk is small, and once a
policy shows an output or rule without a column form, or its columns decide few of a chunk's records
(data numbers compared with equal ones, which the float bound cannot tell apart), its records are
left to the per-record call, which keeps no Results). Any other call (another date, other
names, a record of no loaded chunk, and the attribution's variants, made from the original policies)
evaluates per record as before. A Result from the batch comes without the program's run (V, E) that
the attribution seeds its variants with: the comparer makes that run per record, for the records
that changed (`per_record`, the original policy, engine/compare/comparer.py).
"""
from __future__ import annotations

import copy
import dataclasses

from ..errors import KinerjaError
from .probe import FEW, FEW_LARGE, large, probed   # a first chunk deciding few: the next chunks per record
from .run import BatchOutcome, evaluate_many

CHUNK = 2048   # records per chunk: the columns' fixed costs spread, memory flat (benchmarks/bench_compare.py)
CHUNK_TEXT = 8_000_000   # or fewer, once its JSON lines hold this many characters (≈ 470 corpus contracts, ~100 MiB read)
FIRST = 64     # the first chunk: small, so that a policy found to have no column form costs little


class Prefetch:
    """The batch-answered pair (`pair`) and, per policy, the tally of how its records were computed."""

    def __init__(self, pair, as_of):
        self.as_of = as_of
        self.originals = (pair.base, pair.candidate)
        self.names = [[n for n in pair.compared if n in p.values] for p in self.originals]
        self.found: list[dict] = [{}, {}]
        self.known: list[dict] = [{}, {}]   # per policy, what its earlier chunks found (run.evaluate_many)
        self.tallies = [BatchOutcome(None), BatchOutcome(None)]
        self.records = 0
        answering = [_answering(p, found, names, as_of) for p, found, names in zip(self.originals, self.found, self.names)]
        self.pair = dataclasses.replace(pair, base=answering[0], candidate=answering[1])

    def load(self, records: list) -> None:
        """Evaluate the next chunk under both policies (the previous chunk's answers are dropped)."""
        self.records += len(records)
        for policy, names, found, tally, known in zip(self.originals, self.names, self.found, self.tallies, self.known):
            found.clear()
            if not records:
                continue
            if "per record" in known:   # evaluated per record when compared, kept by none
                per_record, vectorised = known["per record"]
                tally.add(BatchOutcome(None, list(vectorised), dict(per_record), exact=len(records),
                                       reasons={known.get("why", "no column form"): len(records)}))
                continue
            outcome = evaluate_many(policy, records, as_of=self.as_of, names=names, known=known)
            found.update({id(r): (r, outcome.results, i) for i, r in enumerate(records)})
            tally.add(outcome)
            probed(outcome, len(records), known, FEW_LARGE if large(records[0]) else FEW)

    @property
    def idle(self) -> bool:
        """Whether both policies now go per record: a chunk is then only counted, so reading many
        records ahead would only hold them in memory (17 KB contracts: 2 048 of them ≈ 350 MiB)."""
        return all("per record" in known for known in self.known)

    def drain(self) -> list:
        """The tallies since the last drain (picklable: a worker's, for the main process to `merge`)."""
        state = [self.records, self.tallies]
        self.records, self.tallies = 0, [BatchOutcome(None), BatchOutcome(None)]
        return state

    def merge(self, state: list) -> None:
        self.records += state[0]
        for mine, theirs in zip(self.tallies, state[1]):
            mine.add(theirs)

    def lines(self) -> list[str]:
        """One summary line per policy: how many records came from the columns, what vectorised."""
        return [f"{p.id}: {t.summary(self.records)}" for p, t in zip(self.originals, self.tallies)]


def _answering(policy, found: dict, names: list[str], as_of):
    """A copy of `policy` whose evaluate answers the loaded chunk's records from `found`."""
    clone = copy.copy(policy)
    evaluate = policy.evaluate

    def answer(record, as_of_=None, names_=None, runs=None, **kwargs):
        hit = found.get(id(record))
        if hit is not None and hit[0] is record and not kwargs and as_of_ == as_of \
                and names_ is not None and list(names_) == names:
            result = hit[1][hit[2]]
            if isinstance(result, KinerjaError):
                raise result
            return result   # without its run: see the module docstring
        return evaluate(record, as_of=as_of_, names=names_, runs=runs, **kwargs)

    clone.evaluate = lambda record, as_of=None, names=None, runs=None, **kw: answer(record, as_of, names, runs, **kw)
    clone.per_record = policy
    return clone
