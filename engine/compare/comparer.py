"""One record under two policies: the `Comparer` and the comparison it makes.

`Comparer.compare` evaluates a record under the base and the candidate policy and pairs the outputs
common to both and the values asked for (`PolicyPair.compared`; per-item outputs flattened to
`name[item]`, the delta for numbers), the violations that appear or disappear (by rule id and data
path), and the notes of the policies whose effective period the record's reference date is outside
(`Result.outside_period`). For a changed record it then works out, unless attribution is off, which
policy difference explains each change (`engine.compare.attribution`: each relevant difference
reverted in turn, the variant, focused on the outcomes the difference can reach, evaluated on the
record), and lists the provisional parameters and
rules those differences read (without attribution: those the changed outcomes read). A record that
fails to evaluate becomes a comparison carrying its errors. One comparer serves a process: policies,
variants and the dependency closures of outputs and rules are computed once and cached.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..errors import KinerjaError
from ..policy.policy import Policy
from ..record import Record
from .attribution import Attributor, explain
from .model import Attribution, RecordComparison, ValueDiff, ViolationDiff, error_infos, record_label
from .pair import PolicyPair, closure, is_provisional
from .items import Positions, item_value, same_items, same_labels
from .reach import has_dated_parameters, reached, unreached


class Comparer:
    """Compares one record at a time (one per process; policies and variants compiled once)."""

    def __init__(self, pair: PolicyPair, *, attribute: bool = True, as_of=None, attributor: Attributor | None = None):
        self.pair = pair
        self.base, self.candidate = pair.base, pair.candidate
        self.outputs = pair.compared
        self.as_of = as_of
        self.attributor = (attributor or Attributor(self.base, self.candidate)) if attribute else None
        self._closures: dict[tuple[str, str], frozenset[str]] = {}
        self._provisional: dict[tuple[str, str], frozenset[str]] = {}
        self._change_provisional: dict[int, frozenset[str]] = {}
        self._relevant: dict[tuple[str, str, str | None], list[int]] = {}
        self._reached: dict[tuple[str, str], frozenset[int]] = {}
        self._tried: dict[tuple[str, str], tuple[list[int], bool]] = {}
        self._focus: dict[frozenset[int], tuple[frozenset[str], frozenset[str]]] = {}
        self._seeded: dict[tuple, frozenset[str]] = {}
        self._unlabelled: dict[tuple, frozenset[str]] = {}

    def names(self, kind: str, name: str) -> frozenset[str]:
        """What a parameter, value or function (kind "value") or rule reads under either policy; cached."""
        key = (kind, name)
        found = self._closures.get(key)
        if found is None:
            found = frozenset()
            for p in (self.base, self.candidate):
                if kind == "parameter":
                    found |= {name} if name in p.parameters else frozenset()
                elif kind == "value":   # a value or a policy function
                    found |= closure(p, [name]) if name in p.values or name in p.function_deps else frozenset()
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
        policies = (self.base, self.candidate)
        out = {n for n in self.names(kind, name) if any(is_provisional(p, n) for p in policies)}
        if kind == "rule" and any(is_provisional(p, f"rule {name}") for p in policies):
            out.add(f"rule {name}")
        found = self._provisional[key] = frozenset(out)
        return found

    def change_provisional(self, index: int) -> frozenset[str]:
        """The provisional figures a policy difference (an index into the attributor's changes) reads:
        a parameter itself; what a value or function reads; what a rule reads, and the rule; cached."""
        found = self._change_provisional.get(index)
        if found is None:
            change = self.attributor.changes[index]
            kind = change.section if change.section in ("parameter", "rule") else "value"
            found = self._change_provisional[index] = self.provisional(kind, change.id)
        return found

    def relevant(self, kind: str, name: str, rule: str | None) -> list[int]:
        """The attributor's differences an output (kind "value") or rule can depend on; cached."""
        key = (kind, name, rule)
        found = self._relevant.get(key)
        if found is None:
            found = self._relevant[key] = self.attributor.relevant(self.names(kind, name), rule)
        return found

    def reached(self, kind: str, name: str) -> frozenset[int]:
        """The differences relevant to an output (kind "value") or rule that a variant can compute it
        differently with (engine/compare/reach.py): reverting any other leaves it as the candidate's; cached."""
        key = (kind, name)
        found = self._reached.get(key)
        if found is None:
            relevant = self.relevant(kind, name, name if kind == "rule" else None)
            found = self._reached[key] = reached(self.base, self.candidate, self.attributor.changes, relevant,
                                                 kind, name)
        return found

    def tried(self, kind: str, name: str) -> tuple[list[int], bool]:
        """What `explain` tries for a changed output or rule: the relevant differences it reaches whose
        variant compiles, each alone; and whether it reaches any, for all of them together; cached."""
        key = (kind, name)
        found = self._tried.get(key)
        if found is None:
            reach = self.reached(kind, name)
            relevant = self.relevant(kind, name, name if kind == "rule" else None)
            alone = [i for i in relevant if i in reach and self.attributor.graph(frozenset([i])) is not None]
            found = self._tried[key] = (alone, not reach.isdisjoint(relevant))
        return found

    def evaluate(self, policy: Policy, record: Record, runs: list | None = None):
        """`policy`'s result for `record`, with the compared values it computes (and its run's (V, E)
        appended to `runs`, if given)."""
        return policy.evaluate(record, as_of=self.as_of, names=[n for n in self.outputs if n in policy.values],
                               runs=runs)

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

    def _sides(self, policy: Policy, values: dict, output: str):
        """How `flat` sees an output of one policy: None (the policy does not compute it), a dict of
        item label -> value (a per-item output), or a 1-tuple holding its value."""
        info = policy.values.get(output)
        if info is None:
            return None
        v = values.get(output)
        return v if info.bound and isinstance(v, dict) else (v,)

    def diffs(self, bvalues: dict, cvalues: dict) -> list[ValueDiff]:
        """The compared values of base and candidate paired as `flat` keys them (`name` or
        `name[item]`; the base's keys first, in output order, then the candidate's only), with the
        delta of two numbers; two numbers differ by their delta (one comparison), anything else by
        `PolicyPair.same` (labels the policies declare equivalent are unchanged). Paired output by
        output (a key names its output): no flat dict and no key text is made."""
        same, make, base, candidate = self.pair.same, ValueDiff._make, self.base, self.candidate
        new, vd, dec = tuple.__new__, ValueDiff, Decimal   # `new(vd, fields)`: `make` without its checks
        out, only = [], []   # only: the candidate's keys the base lacks, which come last
        for output in self.outputs:
            b, c = self._sides(base, bvalues, output), self._sides(candidate, cvalues, output)
            if type(b) is tuple and type(c) is tuple:
                out.append(make(_pair(output, None, b[0], c[0], same)))
                continue
            if type(b) is dict and type(c) is dict:
                get = c.get
                if b.keys() == c.keys():   # the usual case: the same items under both, numbers
                    for label, bv in b.items():
                        cv = get(label)
                        out.append(new(vd, (output, label, bv, cv, cv - bv, bv != cv))
                                   if type(bv) is dec and type(cv) is dec else make(_pair(output, label, bv, cv, same)))
                    continue
                out += [make(_pair(output, label, bv, get(label), same))
                        for label, bv in b.items()]
                only += [make(_pair(output, label, None, cv, same)) for label, cv in c.items() if label not in b]
                continue
            if b is not None:
                out += [make(_pair(output, None, b[0], None, same))] if type(b) is tuple else \
                    [make(_pair(output, label, bv, None, same)) for label, bv in b.items()]
            if c is not None:
                only += [make(_pair(output, None, None, c[0], same))] if type(c) is tuple else \
                    [make(_pair(output, label, None, cv, same)) for label, cv in c.items()]
        return out + only if only else out

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
            runs = [] if self.attributor is not None else None   # the candidate's run seeds the variants
            b, c = self.evaluate(self.base, record), self.evaluate(self.candidate, record, runs)
        except KinerjaError as e:
            rc.errors = error_infos(e, record.source)
            for info in rc.errors:   # a JSON Lines record has no source map: point at its line
                if line is not None and info.source == record.source:
                    info.source, info.line = source, line
            return rc
        rc.outside_period = {r.policy: r.outside_period for r in (b, c) if r.outside_period is not None}
        rc.values = self.diffs(b.values, c.values)
        vb, vc = self.keys(b.violations), self.keys(c.violations)
        rc.appeared = [ViolationDiff.of(v) for k, v in vc.items() if k not in vb]
        rc.disappeared = [ViolationDiff.of(v) for k, v in vb.items() if k not in vc]
        if rc.changed:
            if runs == []:   # a Result answered by the batch has no run to seed the variants with: make it
                self.evaluate(getattr(self.candidate, "per_record", self.candidate), record, runs)
            self._explain(rc, record, runs, c.values)
        return rc

    def _explain(self, rc: RecordComparison, record: Record, runs: list | None, c_values: dict) -> None:
        """The provisional figures behind the changes and, unless attribution is off, the attribution:
        with attribution, each change counts the provisional figures the differences that explain it
        read (`change_provisional`); without it, or when unexplained, those its whole outcome reads."""
        if self.attributor is None:
            changed = {("value", v.output) for v in rc.values if v.changed}
            changed |= {("rule", v.rule) for v in rc.appeared + rc.disappeared}
            rc.provisional = sorted(set().union(*(self.provisional(kind, name) for kind, name in changed)))
            return
        positions = Positions(c_values)
        changes = [(v.name, f"changed {v.output}", "value", v.output, self._restores_value(v, positions))
                   for v in rc.values if v.changed]
        for kind, diffs, present in (("new", rc.appeared, False), ("resolved", rc.disappeared, True)):
            changes += [(f"{kind} {v.where}", f"{kind} violations", "rule", v.rule,
                         lambda out, key=(v.rule, v.path), present=present: (key in out[1]) == present)
                        for v in diffs]
        outcome = self._outcomes(record, frozenset(v.rule for v in rc.appeared + rc.disappeared), runs[0], c_values)
        rc.provisional = self._attribute(rc, changes, outcome)

    def _attribute(self, rc: RecordComparison, changes: list[tuple], outcome) -> list[str]:
        """Append each change's attribution to `rc`; the provisional figures behind them. Per output or
        rule, the outcomes of the differences it tries alone are looked up once, and each verdict (which
        of them restore it) is explained once, not once per item."""
        labels, tried, explaining, unexplained = self.attributor.labels, {}, set(), set()
        for item, category, kind, name, restored in changes:
            found = tried.get((kind, name))
            if found is None:   # in the order `explain` asked for them: the variants evaluate in that order
                alone, joint = self.tried(kind, name)
                outs = [(i, out) for i in alone if (out := outcome(frozenset([i]))) is not None]
                found = tried[kind, name] = (self.relevant(kind, name, name if kind == "rule" else None), outs, joint, {})
            relevant, outs, joint, verdicts = found
            hits = tuple([i for i, out in outs if restored(out)])
            together = not hits and joint and len(relevant) > 1 and \
                (out := outcome(frozenset(relevant))) is not None and restored(out)
            label = verdicts.get((hits, together))
            if label is None:
                answer = explain(relevant, hits, labels, together)
                label = verdicts[hits, together] = answer.label
                if answer.changes:
                    explaining.update(answer.changes)
                else:
                    unexplained.add((kind, name))
            rc.attribution.append(Attribution(item, category, label))
        return sorted(set().union(*map(self.change_provisional, explaining),
                                  *(self.provisional(kind, name) for kind, name in unexplained)))

    def _restores_value(self, v: ValueDiff, positions: "Positions"):
        """Whether a variant's outcome gives changed value `v` its base value again (`PolicyPair.same`;
        two numbers by one comparison)."""
        output, base, same = v.output, v.base, self.pair.same
        label, where = v.label, []   # where: the label's position among the candidate's items, once asked

        def restored(out):
            variant, values, unlabelled = out[0]   # the value `flat(variant, values)` has at v.name, without flattening
            x = values.get(output)
            if output in unlabelled:   # (values by item, items): the candidate's items and labels
                if label is not None and not where:
                    where.append(positions.of(output).get(label))
                x = None if label is None else item_value(x, where[0], len(variant.values[output].bound) > 1)
            elif x is not None:
                if variant.values[output].bound and isinstance(x, dict):
                    x = x.get(label) if label is not None else None
                elif label is not None:
                    x = None
            return x == base if type(x) is Decimal and type(base) is Decimal else same(output, base, x)

        return restored

    def focus(self, idxs: frozenset[int]) -> tuple[frozenset[str], frozenset[str]]:
        """The compared values and the rule ids whose outcome a difference in `idxs` reaches (`reached`):
        the only outcomes a variant reverting `idxs` is evaluated for (`_explain`); cached."""
        found = self._focus.get(idxs)
        if found is None:
            rules = dict.fromkeys(r.id for p in (self.base, self.candidate) for r in p.rules)
            found = self._focus[idxs] = (
                frozenset(o for o in self.outputs if not idxs.isdisjoint(self.reached("value", o))),
                frozenset(r for r in rules if not idxs.isdisjoint(self.reached("rule", r))))
        return found

    def seeded(self, idxs: frozenset[int], variant: Policy) -> frozenset[str]:
        """The values of `variant` (reverting `idxs`) that are the candidate's on every record
        (reach.py `unreached`): taken from the candidate's run, not computed again; cached."""
        key = (idxs, id(variant))
        found = self._seeded.get(key)
        if found is None:
            graph = self.attributor.graph(idxs)
            reverted = {self.attributor.changes[i].id for i in idxs if self.attributor.changes[i].section != "rule"}
            dated = has_dated_parameters(self.base) or has_dated_parameters(self.candidate)
            found = self._seeded[key] = unreached(graph.reads, variant.values, self.candidate, reverted, dated)
        return found

    def unlabelled(self, idxs: frozenset[int], variant: Policy) -> frozenset[str]:
        """The per-item outputs of `variant` (reverting `idxs`) labelled as the candidate labels them:
        their entry not reverted, so the same for_each and key, and a key reading nothing but the items
        (`label_reads`). Whether the items are the candidate's is checked on each record (`_outcomes`);
        cached."""
        key = (idxs, id(variant))
        found = self._unlabelled.get(key)
        if found is None:
            reverted = {self.attributor.changes[i].id for i in idxs if self.attributor.changes[i].section == "value"}
            found = self._unlabelled[key] = frozenset(
                o for o in self.outputs if o in variant.values and o in self.candidate.values and o not in reverted
                and same_labels(self.candidate.values[o], variant.values[o]))
        return found

    def _outcomes(self, record: Record, changing: frozenset[str], run: tuple, c_values: dict):
        """`outcome(idxs)`: ((the variant reverting `idxs`, its values of `record`), the keys of its
        violations of the rules `changing`, those whose violations appear or disappear), or None if it
        does not compile or evaluate; each variant evaluated once, and only for the outcomes `idxs` can
        reach (`focus`, `Attributor.focused`), without the rules when none of them changes on the
        record (so at most two focused variants per difference: with and without its rules)."""
        outcomes: dict[frozenset[int], tuple | None] = {}

        def outcome(idxs: frozenset[int]):
            if idxs not in outcomes:
                values, rules = self.focus(idxs)   # the only outcomes `restores` asks a variant about
                if rules and rules.isdisjoint(changing):   # and of rules, only those changing here
                    rules = frozenset()
                variant = self.attributor.focused(idxs, values, rules)
                try:
                    found = None if variant is None else self._variant_outcome(
                        variant, idxs, record, values, changing & rules, run, c_values)
                except KinerjaError:
                    found = None
                outcomes[idxs] = None if found is None else ((variant, found[0], found[2]), found[1])
            return outcomes[idxs]

        return outcome

    def _variant_outcome(self, variant: Policy, idxs: frozenset[int], record: Record, values, rules, run: tuple,
                         c_values: dict):
        """`variant.outcome` of the compared `values` and `rules`, seeded with the candidate's `run`;
        the outputs labelled as the candidate's unlabelled when their items are the candidate's here
        (else labelled after all). Returns (values, failed, the unlabelled outputs)."""
        names = [n for n in self.outputs if n in values and n in variant.values]
        seed, raw = (*run, self.seeded(idxs, variant)), self.unlabelled(idxs, variant) & values
        found = variant.outcome(record, names, rules, as_of=self.as_of, seed=seed, unlabelled=raw)
        if raw and not all(same_items(found[0][o][1], run[1].get(o), c_values.get(o)) for o in raw):
            raw = frozenset()
            found = variant.outcome(record, names, rules, as_of=self.as_of, seed=seed)
        return found[0], found[1], raw


def _pair(output: str, label, bv, cv, same) -> tuple:
    """The fields of one `ValueDiff` (a value one policy lacks is None)."""
    if isinstance(bv, Decimal) and isinstance(cv, Decimal):
        return output, label, bv, cv, cv - bv, bv != cv
    return output, label, bv, cv, None, not same(output, bv, cv)
