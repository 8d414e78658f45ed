"""Which differences can move an outcome of a variant away from the candidate's: what an outcome *reaches*.

A variant is the candidate policy with some differences reverted (engine/compare/attribution.py).
Its computation of an outcome (a compared value with its item labels, or the items a rule reports)
reads entries of the variant: walking the candidate's dependency graph from the outcome, every entry
met before the first reverted one is the candidate's own entry, so it reads what the candidate's
reads. Hence if no reverted difference lies in the candidate's closure of the outcome, the variant
computes that outcome exactly as the candidate does, it cannot be restored to the base's, and the
variant need not be evaluated for it. A difference only the base reads (an entry the candidate
removed, or no longer reads) can explain a change only together with differences the candidate
reads. An entry the variant adds back is read by none of the candidate's entries (the candidate
would not have compiled with a name it does not define).

The closure starts from a value and the names its item label (`key:`) reads (`ValueInfo.label_reads`), or from what a rule
reads (its for_each, when and require); a reverted rule reaches its own outcomes. Parameters enter
a computation in one more way: the reference date, which may read them, chooses which value of a
dated parameter applies. So when either policy has dated parameters, every parameter and function
difference counts as reaching every outcome.

The same walk tells which values of a variant are the candidate's (`unreached`): a value whose
closure in the variant's graph meets no reverted entry is computed from the candidate's own entries,
so on the same record it comes out as the candidate's run has it, and the variant's evaluation takes
it from that run (a *seed*) instead of computing it again. Not with dated parameters: a reverted
parameter or function may move the reference date, and with it every dated parameter.
"""
from __future__ import annotations

from typing import Callable, Iterable

from ..policy.dependencies import reachable
from ..policy.policy import Policy
from .pair import closure


def has_dated_parameters(policy: Policy) -> bool:
    return any(len(p.dated) > 1 for p in policy.parameters.values())


def reached(base: Policy, candidate: Policy, changes: list, relevant: list[int], kind: str, name: str) -> frozenset[int]:
    """Of the differences `relevant` to an outcome (kind "value": the compared value `name`; kind
    "rule": rule `name`), those a variant reverting them can compute it differently with."""
    if kind == "rule":
        roots = list(candidate.rule_deps.get(name, ()))
    else:
        label = candidate.values[name].label_reads
        if label is None:   # not known: anything may reach it
            return frozenset(relevant)
        roots = [name, *label]
    names = closure(candidate, roots)
    dated = has_dated_parameters(base) or has_dated_parameters(candidate)
    out = []
    for i in relevant:
        c = changes[i]
        if c.section == "rule":
            hit = kind == "rule" and c.id == name
        else:
            hit = c.id in names or (dated and c.section in ("parameter", "function"))
        if hit:
            out.append(i)
    return frozenset(out)


def unreached(reads: Callable[[str], list[str]], values: Iterable[str], candidate: Policy, reverted: set[str],
              dated: bool) -> frozenset[str]:
    """Of a variant's `values` (its graph: `reads`), those no `reverted` entry name reaches, which the
    candidate computes too: the same as the candidate's on any record (none with `dated` parameters)."""
    if dated:
        return frozenset()
    return frozenset(n for n in values if n in candidate.values and n not in reverted
                     and reverted.isdisjoint(reachable(reads, [n])))
