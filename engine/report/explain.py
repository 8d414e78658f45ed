"""Human-readable explanations: how a value was computed, or why a rule failed, with citations.

Reads a `Result.trace` and the policy: for a value, it walks the value's dependencies (other values
first, then the value itself) and prints each formula, its citation and provenance, its inputs and
its result; the parameters involved are listed with their citations, provisional ones marked. For a
rule it also reads where the rule applies (`Policy.applicability`), so that a rule reporting nothing
reads "passed" or "not applicable" (its `when` false, its for_each collection empty), per item.
"""
from __future__ import annotations

from typing import Any, Mapping

from .. import display
from ..lang.runtime import Bands
from ..policy.dependencies import reachable
from ..policy.policy import Policy
from ..result import Result, TraceStep


Inputs = Mapping[str, list[dict[str, Any]]]   # value name → per item (one without for_each): text → value


def _values_in(policy: Policy, names: list[str]) -> list[str]:
    return [n for n in names if n in policy.values]


def step_inputs(step: TraceStep, inputs: Inputs | None) -> list[dict[str, Any]]:
    """A step's inputs per item (one entry without for_each): from `inputs` when given, else the trace's."""
    if inputs is not None and step.name in inputs:
        return inputs[step.name]
    return [item["inputs"] for item in step.items] if step.items else [step.inputs]


def _short(value, width: int = 100) -> str:
    """One line: data items by their code (as in messages), tables in full as {key: value}, band tables
    as `label: interval` rows."""
    if isinstance(value, Bands):
        rows = display.band_table(value.rows)
        return display.shortened("; ".join(f"{display.value(r['label'])}: {display.band_row(r)}" for r in rows), width)
    text = display.value(value)
    return display.shortened(display.inline(value) if text == display.UNLABELLED else text, width)


def explain_value(policy: Policy, result: Result, name: str, max_items: int = 50,
                  inputs: Inputs | None = None) -> str:
    """How value `name` is computed. `inputs` (engine/policy/inputs_read.py: per value, per item, the
    cells read) replaces the trace's inputs, which name whole tables and collections."""
    steps = {s.name: s for s in result.trace or []}
    reached = reachable(policy.reads, [name])
    order = _values_in(policy, reached)
    lines = [f"How {name} is computed under {policy.id} ({policy.spec.instrument}) for {result.source}", ""]
    for n in order:
        step = steps[n]
        info = policy.values[n]
        status = f" [{step.status}]" if step.status else ""
        lines.append(f"{n}{' for each ' + ', '.join(info.bound) if info.bound else ''}"
                     f"{' — ' + info.entry.get('description') if info.entry.get('description') else ''}")
        lines.append(f"  formula: {' '.join(step.expr.split())}")
        if step.cite:
            lines.append(f"  cite:    {step.cite}{status}")
        read = step_inputs(step, inputs)
        if not info.bound:
            for text, value in read[0].items():
                lines.append(f"  input:   {text} = {_short(value)}")
            lines.append(f"  result:  {n} = {_short(step.result)}")
        else:
            for item, cells in list(zip(step.items, read))[:max_items]:
                shown = ", ".join(f"{k} = {_short(v, 40)}" for k, v in cells.items())
                lines.append(f"  [{item['key']}] {display.value(item['result'])}" + (f"   ← {shown}" if shown else ""))
            if len(step.items) > max_items:
                lines.append(f"  … {len(step.items) - max_items} more")
        lines.append("")
    lines += _parameters(policy, [n for n in reached if n in policy.parameters])
    return "\n".join(lines).rstrip() + "\n"


def _parameters(policy: Policy, params: list[str]) -> list[str]:
    """The parameters involved, provisional first, each with value, provenance, citation and note."""
    if not params:
        return []
    lines = ["Parameters used:"]
    for p in sorted(params, key=lambda p: (policy.parameters[p].status != "provisional", p)):
        info = policy.parameters[p]
        lines.append(f"  {p} = {_short(info.dated[-1][1], 110)}  [{info.status}]")
        lines.append(f"      {policy.text('parameters', p, 'cite')}")
        if info.entry.get("note"):
            lines.append(f"      note: {' '.join(str(info.entry.get('note')).split())}")
    return lines


def no_violation(data: dict, applies: list[tuple[str | None, bool]] | None) -> str:
    """The outcome of a rule that reports nothing: passed, not applicable, or both, per item."""
    if applies is None:
        return "passed (or not applicable) everywhere"
    if not data.get("for_each"):
        return "passed" if all(holds for _, holds in applies) else "not applicable (its when is false)"
    if not applies:
        return "not applicable (no items to check)"
    passed = sum(1 for _, holds in applies if holds)
    skipped = len(applies) - passed
    if not skipped:
        return f"passed for {display.plural(passed, 'item')}"
    if not passed:
        return f"not applicable to any of {display.plural(skipped, 'item')} (its when is false)"
    return f"passed for {display.plural(passed, 'item')}; not applicable to {skipped} (its when is false)"


def _rule_inputs(rule_inputs: list[tuple[str | None, dict[str, Any]]] | None, data: dict,
                 failed_paths: set[str | None]) -> list[str]:
    """The cells the rule read: all of them for a rule without for_each, else those of each item that
    did not pass (one line per item)."""
    if not rule_inputs:
        return []
    if not data.get("for_each"):
        return ["", "Inputs read:"] + [f"  {k} = {_short(v)}" for k, v in rule_inputs[0][1].items()]
    rows = [f"  at {path}: " + ", ".join(f"{k} = {_short(v, 40)}" for k, v in cells.items())
            for path, cells in rule_inputs if path in failed_paths and cells]
    return ["", "Inputs read where it did not pass:"] + rows if rows else []


def explain_rule(policy: Policy, result: Result, rule_id: str,
                 applies: list[tuple[str | None, bool]] | None = None,
                 rule_inputs: list[tuple[str | None, dict[str, Any]]] | None = None) -> str:
    """Why rule `rule_id` failed, passed or did not apply; `applies` is `Policy.applicability` for the
    contract (without it a rule that reports nothing "passed (or not applicable)"); `rule_inputs`
    (`Evaluation.rule_inputs`) the cells its `when` and `require` read, per item."""
    rule = next(r for r in policy.rules if r.id == rule_id)
    data = rule.entry.data
    mine = [v for v in result.violations if v.rule == rule_id]
    title, cite = (mine[0].title, mine[0].cite) if mine else (policy.text("rules", rule_id, "title"),
                                                              policy.text("rules", rule_id, "cite"))
    lines = [f"Rule {rule_id}: {title}  ({policy.id})",
             f"  cite:     {cite}" + (f" [{data['status']}]" if data.get("status") else ""),
             f"  severity: {data.get('severity', 'error')}"]
    if data.get("for_each"):
        fe = data["for_each"]
        lines.append(f"  for each: {fe if isinstance(fe, str) else ', '.join(fe)}")
    if data.get("when"):
        lines.append(f"  when:     {' '.join(data['when'].split())}")
    lines.append(f"  require:  {' '.join(data['require'].split())}")
    if data.get("note"):
        lines.append(f"  note:     {' '.join(str(data['note']).split())}")
    lines.append("")
    if not mine:
        lines.append(f"Outcome for {result.source}: {no_violation(data, applies)}.")
    else:
        lines.append(f"Outcome for {result.source}: {len(mine)} violation(s)")
        for v in mine:
            where = f" at {v.path}" + (f" (line {v.line})" if v.line else "") if v.path else ""
            lines.append(f"  {v.outcome}{where}: {v.message}")
    lines += _rule_inputs(rule_inputs, data, {v.path for v in mine})
    reached = reachable(policy.reads, policy.rule_deps.get(rule_id, []))
    deps = [d for d in policy.rule_deps.get(rule_id, []) if d in policy.values]
    if deps:
        lines += ["", "Values this rule reads:"]
        for d in deps:
            value = next((s.result for s in result.trace or [] if s.name == d), None)
            lines.append(f"  {d} = {_short(value)}")
    lines += [""] + _parameters(policy, [n for n in reached if n in policy.parameters])
    return "\n".join(lines).rstrip() + "\n"
