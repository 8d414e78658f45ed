"""Some values and rules of a policy from the columns, each compared with `policy.evaluate`.

A bundled policy (kmk_300_2022, kmk_467_2014) has values and rules without a column form yet, so
`evaluate_many` sends every record per record and a whole-batch comparison says nothing about the
ones that do vectorise. `compare_parts` runs the columns (plan.run_columns, as run._decided does)
over every record in each of the passes (numbers as floats with their bound, as exact scaled
integers, as the Decimals themselves) and compares, on every record a pass decides, the named
values (with their digits, unrounded ones computed again as run._decided does: digits.py) and the violations of the named rules (messages, paths and lines
included) with the per-record Result."""
from __future__ import annotations

import copy

import numpy as np

from engine.vector.digits import with_digits
from engine.vector.outputs import output_values
from engine.vector.plan import run_columns
from engine.vector.run import _by_parameters, _shape
from engine.vector.tables import from_dicts
from engine.vector.violations import rule_violations


def compare_parts(policy, records: list, values=(), rules=()) -> dict[str, int]:
    """Assert the columns agree with `policy.evaluate` on `values` and `rules` for every record they
    decide; those must all have a column form. The number of records each pass decided."""
    shape = _shape(policy)
    root, invalid = from_dicts(records, shape, policy.spec.subject_schema)
    valid = [records[i] for i in np.flatnonzero(~invalid).tolist()]
    decided = {"float": 0, "scaled": 0, "decimal": 0}
    for when, members, _ in _by_parameters(policy, valid, None, root.plain):
        group = [valid[i] for i in members.tolist()]
        for numbers in decided:
            decided[numbers] += _group(policy, group, shape, policy.parameters_at(when), list(values), set(rules),
                                       numbers)
    return decided


def _group(policy, records, shape, P, values, rules, numbers: str) -> int:
    """One pass over one parameter group: the columns of the values and of the named rules alone (a
    shallow copy of the policy without the other rules, whose unsure rows would hide these)."""
    whole, policy = policy, copy.copy(policy)
    policy.rules = [r for r in policy.rules if r.id in rules]
    root, invalid = from_dicts(records, shape, policy.spec.subject_schema, numbers)
    assert not invalid.any()
    n = len(records)
    with np.errstate(all="ignore"):
        batch = run_columns(policy, P, root, n)
        with_digits(policy, batch, P, root, values)
        got, unsure, skipped = output_values(policy, batch, n, values)
    missing = {k: v for k, v in {**batch.skipped, **skipped}.items() if k in values or k[5:] in rules}
    assert not missing, missing
    decided = ~unsure & ~batch.unsure
    found, refused = rule_violations(policy, batch, records, P, decided, root.plain)
    decided &= ~refused
    for r in np.flatnonzero(decided).tolist():
        want = whole.evaluate(records[r], names=values or None)
        for name in values:
            assert repr(got[name][r]) == repr(want.values[name]), (records[r].get("id"), name)
        mine = [v for v in found.of(r) if v.rule in rules]
        theirs = [v for v in want.violations if v.rule in rules]
        assert mine == theirs, records[r].get("id")
    return int(decided.sum())
