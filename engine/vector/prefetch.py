"""`kinerja compare --batch`: both policies evaluated over the whole input by `evaluate_many` first.

`batched(pair, inputs, exclude, as_of)` reads every record of the inputs (as compare reads them),
evaluates them under the base and the candidate in one batch each, and returns a pair whose two
policies answer `evaluate(record, as_of=…, names=…)` for those records from the batch: the same
Result (or the same error) the per-record call gives, so the comparison, its summary and every
report are unchanged. Any other call (another date, other names, a record not read here, and the
attribution's variants, which are made from the original policies) evaluates per record as before.
The whole input is held in memory while comparing.
"""
from __future__ import annotations

import copy
import dataclasses

from ..compare.inputs import materialise, tasks
from ..errors import KinerjaError
from ..record import Record


def batched(pair, inputs: list[str], exclude, as_of) -> tuple[object, list[str]]:
    """The pair with batch-backed policies, and one summary line per policy."""
    records = [item for item in (materialise(t) for t in tasks(inputs, exclude) if isinstance(t, tuple))
               if isinstance(item, Record)]
    lines, policies = [], []
    for policy in (pair.base, pair.candidate):
        names = [n for n in pair.compared if n in policy.values]
        outcome = policy.evaluate_many(records, as_of=as_of, names=names)
        lines.append(f"{policy.id}: {outcome.summary()}")
        found = {(r.source, r.line_offset): res for r, res in zip(records, outcome)}
        policies.append(_answering(policy, found, names, as_of))
    return dataclasses.replace(pair, base=policies[0], candidate=policies[1]), lines


def _answering(policy, found: dict, names: list[str], as_of):
    """A copy of `policy` whose evaluate answers the batch's records from `found`."""
    clone = copy.copy(policy)
    evaluate = policy.evaluate

    def answer(record, *, as_of_=None, names_=None, **kwargs):
        key = (record.source, record.line_offset) if isinstance(record, Record) else None
        if key in found and not kwargs and as_of_ == as_of and names_ is not None and list(names_) == names:
            result = found[key]
            if isinstance(result, KinerjaError):
                raise result
            return result
        return evaluate(record, as_of=as_of_, names=names_, **kwargs)

    clone.evaluate = lambda record, as_of=None, names=None, **kw: answer(record, as_of_=as_of, names_=names, **kw)
    return clone
