"""Attribution: which differences between two policies cause a record's outcome to change.

The differences are those of `engine.policy.diff.diff_policies` (parameters, functions, values and
rules, by name or rule id). A difference is *effective* when it can change an outcome: a parameter's
value, a function's parameters or formula, a value's formula/for_each/key, a rule's
for_each/when/require, or anything added or removed. Citation, status, note, title, message and
severity changes never change which values or violations a record gets, so they are listed but never
blamed; `meta` differences (title, effective period, reference_date, outputs) are not attributed.

The method is reversal. For each effective difference a *variant* of the candidate policy is built
with that one difference reverted to the base (the entry put back, or the added entry removed) and
evaluated on the changed record. A changed outcome (an output value, or a violation appearing or
disappearing, identified by rule id and data path) is then explained as follows; only differences
that the outcome can depend on are tried (its dependency closure under either policy):

- exactly one difference whose reversal alone restores the base outcome: that difference;
- several such differences: each of them is needed, the outcome is labelled
  "A + B (each needed)";
- none alone, but reverting all the relevant differences together restores it (two changes that
  each move a score, or each alone suffices to break a rule): "A + B (together)";
- otherwise "unexplained".

A variant that does not compile (a rule added together with the parameter it reads: removing only
the parameter breaks the rule) means the difference is *not separable*; it is reported as such and
can still be part of a "together" explanation. A changed parameter whose old and new values have
the same shape is reverted without recompiling (`Policy.with_parameters`), since compiled code reads
parameters at run time; anything else is rebuilt with `engine.policy.build.build`.

A variant is only asked about the outcomes its reverted differences can reach
(engine/compare/reach.py), so what is evaluated on a record is a *focused* variant
(`Attributor.focused`): the same reversal, cut down to the values those outcomes reach in its
dependency graph and to those rules, and evaluated without building a `Result` (`Policy.outcome`).
A variant that cannot be cut (a message or label reading a value left out) is evaluated whole. What
a variant reads, and whether it compiles at all (its separability), is known from checking it
(`Attributor.graph`), so a whole variant is compiled only when a record needs it.
"""
from __future__ import annotations

import copy
import datetime as _dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable

from .. import cache
from ..errors import KinerjaError
from ..policy import stored
from ..policy.build import build
from ..policy.check import check
from ..policy.compile import dependency_facts
from ..policy.dependencies import reachable
from ..policy.diff import Change, diff_policies, value_changes
from ..policy.equivalence import exprs_equal, for_each_details, same, templates_equal
from ..policy.policy import Policy
from ..policy.spec import PolicySpec, source_of
from ..lang.runtime import Bands

__all__ = ["Change", "diff_policies", "Attributor", "change_label", "is_effective", "explain"]

SECTION_ATTR = {"parameter": "parameters", "function": "functions", "value": "values", "rule": "rules"}
UNEXPLAINED = "unexplained"


def change_label(change: Change) -> str:
    """`parameter iku_limits`, `rule nko-min (added)`, `value nko (removed)`; a table whose only changed
    figures are cells overridden by path names them: `parameter iku_limits.upk_one.max`,
    `parameter iku_limits (upk_three.min, upk_three.max)`."""
    suffix = "" if change.kind == "changed" else f" ({change.kind})"
    cells = overridden_cells(change)
    if len(cells) == 1:
        return f"{change.section} {change.id}.{cells[0]}"
    return f"{change.section} {change.id}{suffix}" + (f" ({', '.join(cells)})" if cells else "")


def overridden_cells(change: Change) -> list[str]:
    """The dotted paths of a changed parameter's changed figures when each is a cell the candidate
    overrides by path (not a band row, a dated value or a type); else none."""
    if change.section != "parameter" or change.kind != "changed" or not change.new.cells:
        return []
    a, b = change.old.data, change.new.data
    if a.get("type") != b.get("type") or "values" in a or "values" in b:
        return []
    changed = [keys for keys, _ in value_changes(a.get("value"), b.get("value"), "value")]
    if not changed or any(source_of(change.new, keys) is change.new for keys in changed):
        return []
    return [".".join(map(str, keys)) for keys in changed]


def is_effective(change: Change) -> bool:
    """True if the difference can change a value or whether a rule fails (see module docstring)."""
    if change.section == "meta":
        return False
    if change.kind != "changed":
        return True
    a, b = change.old.data, change.new.data
    if change.section == "parameter":
        return a.get("type") != b.get("type") or not same(a.get("value"), b.get("value")) \
            or not same(a.get("values"), b.get("values"))
    if change.section == "function":
        return list(a.get("params") or []) != list(b.get("params") or []) or not exprs_equal(a.get("expr"), b.get("expr"))
    if change.section == "value":
        return bool(for_each_details(a.get("for_each"), b.get("for_each"))) or not exprs_equal(a.get("expr"), b.get("expr")) \
            or not templates_equal(a.get("key"), b.get("key"))
    return bool(for_each_details(a.get("for_each"), b.get("for_each"))) or not exprs_equal(a.get("when"), b.get("when")) \
        or not exprs_equal(a.get("require"), b.get("require"))


def same_shape(a: Any, b: Any) -> bool:
    """Two run-time parameter values the checker would type alike (so compiled code fits both)."""
    if isinstance(a, Bands) or isinstance(b, Bands):
        return isinstance(a, Bands) and isinstance(b, Bands)
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool)
    for kind in (Decimal, str, _dt.date):
        if isinstance(a, kind) or isinstance(b, kind):
            return isinstance(a, kind) and isinstance(b, kind)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_shape(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        items = a + b
        return all(same_shape(items[0], x) for x in items[1:]) if items else True
    return type(a) is type(b)


def revert(spec: PolicySpec, changes: list[Change]) -> PolicySpec:
    """A copy of the candidate `spec` with `changes` undone (back to the base entries)."""
    out = copy.copy(spec)
    for attr in SECTION_ATTR.values():
        setattr(out, attr, dict(getattr(spec, attr)))
    for c in changes:
        table = getattr(out, SECTION_ATTR[c.section])
        if c.kind == "added":
            table.pop(c.id, None)
        else:
            table[c.id] = c.old
    if out.outputs is not None:
        out.outputs = [o for o in out.outputs if o in out.values]
    return out


def focus(spec: PolicySpec, values: set[str], rules: set[str]) -> PolicySpec:
    """A copy of `spec` that computes only `values` and checks only the rules with ids in `rules`."""
    out = copy.copy(spec)
    out.values = {n: e for n, e in spec.values.items() if n in values}
    out.rules = {r: e for r, e in spec.rules.items() if r in rules}
    out.outputs = [o for o in (spec.outputs if spec.outputs is not None else spec.values) if o in out.values]
    out.inherited_outputs = min(spec.inherited_outputs, len(out.outputs))
    out.confidential = [n for n in spec.confidential if n in out.values]
    out.equivalences = {other: kept for other, by_value in spec.equivalences.items()
                        if (kept := {n: e for n, e in by_value.items() if n in out.values})}
    return out


@dataclass
class Graph:
    """What each value, policy function and rule of a policy reads (`Policy.reads`, `Policy.rule_deps`)."""

    values: dict[str, list[str]]
    functions: dict[str, list[str]]
    rules: dict[str, list[str]]

    @classmethod
    def of(cls, policy: Policy) -> "Graph":
        return cls({n: v.depends_on for n, v in policy.values.items()}, policy.function_deps, policy.rule_deps)

    def reads(self, name: str) -> list[str]:
        found = self.values.get(name)
        return found if found is not None else self.functions.get(name, [])


@dataclass
class Explanation:
    """Which change (or joint changes) of the policy diff explains one outcome difference."""
    label: str                 # change label, joint label, or "unexplained"
    changes: tuple[int, ...]   # indexes into Attributor.changes


GRAPH_KIND = "variant-graph"     # engine/cache.py: what a variant's entries read, or why it does not check
DIFF_KIND = "policy-diff"        # engine/cache.py: the differences between two policies


class Attributor:
    """Builds and caches candidate variants with some differences reverted (checked and compiled
    lazily, per process).

    Single-difference variants and their graphs are all kept (at most a few per effective
    difference: their number depends on the two policies, not on the data); variants reverting
    several differences at once ("together") are kept up to `MAX_VARIANTS` of each kind, the least
    recently used dropped first."""

    MAX_VARIANTS = 64

    def __init__(self, base: Policy, candidate: Policy, changes: list[Change] | None = None):
        self.base, self.candidate = base, candidate
        # what the cache keeps for these two policies is keyed by both policies' build facts (their
        # diff follows from them); None when either is unknown or the changes were given
        self._content = cache.digest(base.content, candidate.content) \
            if changes is None and base.content and candidate.content else None
        self.changes, self.effective = self._diff() if changes is None else (changes, _effective(changes))
        self.labels = [change_label(c) for c in self.changes]
        self._variants: dict[frozenset[int], Policy | None] = {}   # single differences: kept
        self._joint: dict[frozenset[int], Policy | None] = {}      # several: bounded, least recently used out
        self._focused: dict[tuple, Policy | None] = {}             # (idxs, values, rules), one difference: kept
        self._focused_joint: dict[tuple, Policy | None] = {}       # several: bounded like `_joint`
        self._graphs: dict[frozenset[int], Graph | None] = {}       # what each variant's entries read
        self._joint_graphs: dict[frozenset[int], Graph | None] = {}
        self.failures: dict[frozenset[int], str] = {}   # variants that did not compile, and why

    def _diff(self) -> tuple[list[Change], list[int]]:
        """The two policies' differences and which of them are effective; kept in the cache (both
        parse every changed expression: a quarter of a small compare, and the import of lark)."""
        def make():
            changes = diff_policies(self.base.spec, self.candidate.spec)
            return changes, _effective(changes)

        return make() if self._content is None else cache.remembered(DIFF_KIND, self._content, make)

    def variant(self, idxs: frozenset[int]) -> Policy | None:
        """The candidate with the changes `idxs` reverted; None if it does not compile."""
        cache = self._variants if len(idxs) == 1 else self._joint
        return self._cached(cache, idxs, lambda: self._make(idxs), bounded=len(idxs) > 1)

    def focused(self, idxs: frozenset[int], values: frozenset[str], rules: frozenset[str]) -> Policy | None:
        """The variant reverting `idxs`, computing only the values that `values` (value names) and the
        rules with ids in `rules` reach, and checking only those rules; the whole variant if it cannot
        be cut; None if the variant does not compile. Cached like `variant`."""
        cache = self._focused if len(idxs) == 1 else self._focused_joint
        return self._cached(cache, (idxs, values, rules), lambda: self._make_focused(idxs, values, rules),
                            bounded=len(idxs) > 1)

    def _cached(self, cache: dict, key, make, bounded: bool) -> Policy | None:
        """`cache[key]`, made on first use; a `bounded` cache (joint variants) drops the least recently used."""
        if key in cache:
            policy = cache.pop(key)   # re-inserted below: most recently used last
            cache[key] = policy
            return policy
        policy = make()
        if bounded and len(cache) >= self.MAX_VARIANTS:
            cache.pop(next(iter(cache)))
        cache[key] = policy
        return policy

    def graph(self, idxs: frozenset[int]) -> "Graph | None":
        """What each entry of the variant reverting `idxs` reads; None if that variant does not check.
        Known from checking the variant, without compiling it (see `separable`); cached like `variant`."""
        cache = self._graphs if len(idxs) == 1 else self._joint_graphs
        return self._cached(cache, idxs, lambda: self._make_graph(idxs), bounded=len(idxs) > 1)

    def _make_graph(self, idxs: frozenset[int]) -> "Graph | None":
        """Checking a variant takes as long as checking a policy (100 of them for the report's
        "separable": most of a small compare), so a process keeps the outcome in the cache for the
        next, keyed by both policies' build facts and the differences reverted."""
        chosen = [self.changes[i] for i in sorted(idxs)]
        if all(self._fast(c) for c in chosen):
            return Graph.of(self.candidate)
        key = self._key(idxs)
        graph, failure = self._checked(chosen) if key is None else \
            cache.remembered(GRAPH_KIND, key, lambda: self._checked(chosen))
        if failure is not None:
            self.failures[idxs] = failure
        return graph

    def _key(self, idxs: frozenset[int], *more: str) -> str | None:
        """A cache key for what is derived from the differences `idxs` of these two policies (and
        `more`); None when the policies' build facts are unknown."""
        if self._content is None:
            return None
        changes = (f"{i}:{self.changes[i].section}:{self.changes[i].id}:{self.changes[i].kind}" for i in sorted(idxs))
        return cache.digest(self._content, *changes, "|", *more)

    def _checked(self, chosen: list[Change]) -> tuple["Graph | None", str | None]:
        """(what each entry of the candidate with `chosen` reverted reads, None) or (None, why it
        does not check)."""
        try:
            return Graph(*dependency_facts(check(revert(self.candidate.spec, chosen)))), None
        except KinerjaError as e:
            return None, str(e).splitlines()[0]

    def _make(self, idxs: frozenset[int]) -> Policy | None:
        chosen = [self.changes[i] for i in sorted(idxs)]
        if self.graph(idxs) is None:   # it does not check: compiling it would fail the same way
            return None
        if all(self._fast(c) for c in chosen):
            return self.candidate.with_parameters({c.id: self.base.parameters[c.id] for c in chosen})
        return self._built(self._key(idxs, "whole"), lambda: build(revert(self.candidate.spec, chosen)))

    def _make_focused(self, idxs: frozenset[int], values: frozenset[str], rules: frozenset[str]) -> Policy | None:
        graph = self.graph(idxs)
        if graph is None:
            return None
        roots = [n for n in values if n in graph.values]
        roots += [name for rule in rules for name in graph.rules.get(rule, ())]
        needed = set(reachable(graph.reads, roots))
        chosen = [self.changes[i] for i in sorted(idxs)]
        key = self._key(idxs, "values", *sorted(values), "rules", *sorted(rules))
        try:
            return self._built(key, lambda: build(focus(revert(self.candidate.spec, chosen), needed, rules)))
        except KinerjaError:   # a message or item label reads a value left out: evaluate it whole
            return self.variant(idxs)

    def _built(self, key: str | None, make: Callable[[], Policy]) -> Policy:
        """`make()`, or the variant an earlier process kept for `key` (None: nothing is kept); a
        variant loads about ten times faster than it builds. An error of `make` is raised, never kept."""
        kept = None if key is None else stored.fetch_variant(key)
        if kept is not None:
            return kept
        policy = make()
        if key is not None:
            stored.keep_variant(key, policy)
        return policy

    def _fast(self, c: Change) -> bool:
        if c.section != "parameter" or c.kind != "changed":
            return False
        old, new = self.base.parameters.get(c.id), self.candidate.parameters.get(c.id)
        if old is None or new is None or len(old.dated) != len(new.dated):
            return False
        return all(same_shape(x[1], y[1]) for x, y in zip(old.dated, new.dated))

    def learn(self, graphs: dict[int, "Graph | None"], failures: dict[int, str]) -> None:
        """Take the graphs of one-difference variants (by difference index) checked elsewhere (by
        worker processes: `engine.compare.parallel`), and why those that do not check fail."""
        for i, graph in graphs.items():
            self._graphs.setdefault(frozenset([i]), graph)
        self.failures.update({frozenset([i]): why for i, why in failures.items()})

    def separable(self) -> dict[int, bool]:
        """For each effective difference: does the candidate with only it reverted compile? (A policy
        that checks compiles, so checking it tells.)"""
        return {i: self.graph(frozenset([i])) is not None for i in self.effective}

    def relevant(self, names: set[str], rule: str | None) -> list[int]:
        """Effective differences an outcome can depend on: names in its closure, or its own rule."""
        out = []
        for i in self.effective:
            c = self.changes[i]
            if c.section == "rule":
                if c.id == rule:
                    out.append(i)
            elif c.id in names:
                out.append(i)
        return out


def _effective(changes: list[Change]) -> list[int]:
    return [i for i, c in enumerate(changes) if is_effective(c)]


def explain(relevant: list[int], alone: list[int], labels: list[str], together: bool = False) -> Explanation:
    """Apply the reversal rule to an outcome that `relevant` differences can change: `alone` are those
    that give the base outcome back when reverted alone (in `relevant`'s order), `together` whether
    reverting all of `relevant` at once does (asked only when none alone does)."""
    if len(alone) == 1:
        return Explanation(labels[alone[0]], (alone[0],))
    if alone:
        return Explanation(" + ".join(labels[i] for i in alone) + " (each needed)", tuple(alone))
    if len(relevant) > 1 and together:
        return Explanation(" + ".join(labels[i] for i in relevant) + " (together)", tuple(relevant))
    return Explanation(UNEXPLAINED, ())
