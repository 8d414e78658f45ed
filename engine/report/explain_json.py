"""`kinerja explain --format json`: an explanation as one JSON document, for scripts and other tools.

The same content as the text (engine/report/explain.py), with fixed keys:

    {"policy", "instrument", "source", "explained": {"values": [...]} or {"rule": id},
     "values": {name: result of each explained value},
     "steps": [{"name", "for_each": [...], "description", "formula", "cite", "status",
                "result", "inputs": {text: value}, "items": [{"key", "result", "inputs"}]}],
     "parameters": [{"name", "value", "status", "cite", "note"}],
     "violations": [{"rule", "title", "severity", "outcome", "message", "cite", "path", "line", "status"}],
     "rule": {...}  (with --rule: "id", "title", "cite", "status", "severity", "for_each", "when",
                     "require", "note", "outcome", "inputs": [{"path", "inputs"}]),
     "not_explained": [...]  (values left out as confidential),
     "batch": {"record", "vectorised": [...], "per_record": {name: why}}  (with --batch only)}

A step without for_each has its `result` and `inputs` and no `items`; a step with for_each has its
`items` in data order, `result` mapping each item's key to its result, and empty `inputs`. Inputs are
the cells read (engine/policy/inputs_read.py) when given, else the trace's. Numbers are exact text,
as in `check --format json` (`jsonable`).
"""
from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from ..policy.dependencies import reachable
from ..policy.policy import Policy
from ..result import Result, jsonable
from .explain import Inputs, no_violation, step_inputs


def value_explanation(policy: Policy, result: Result, names: list[str], inputs: Inputs | None = None,
                      not_explained: list[str] = (), batch: dict | None = None) -> str:
    """How each of `names` is computed: the steps they depend on, once each, dependencies first."""
    reached = reachable(policy.reads, names) if names else []
    doc = _head(policy, result, {"values": names})
    doc["values"] = {n: _result_of(result, n) for n in names}
    doc["steps"] = _steps(policy, result, [n for n in reached if n in policy.values], inputs)
    doc["parameters"] = _parameters(policy, [p for p in reached if p in policy.parameters])
    doc["violations"] = [asdict(v) for v in result.violations]
    doc["not_explained"] = list(not_explained)
    return _dump(_with_batch(doc, batch))


def rule_explanation(policy: Policy, result: Result, rule_id: str, applies=None,
                     rule_inputs: list[tuple[str | None, dict[str, Any]]] | None = None,
                     batch: dict | None = None) -> str:
    """Why rule `rule_id` failed, passed or did not apply, with the steps of the values it reads."""
    rule = next(r for r in policy.rules if r.id == rule_id)
    data = rule.entry.data
    mine = [v for v in result.violations if v.rule == rule_id]
    deps = policy.rule_deps.get(rule_id, [])
    reached = reachable(policy.reads, deps)
    fe = data.get("for_each")
    doc = _head(policy, result, {"rule": rule_id})
    doc["rule"] = {"id": rule_id, "title": policy.text("rules", rule_id, "title"),
                   "cite": policy.text("rules", rule_id, "cite"), "status": data.get("status"),
                   "severity": data.get("severity", "error"),
                   "for_each": [] if not fe else [fe] if isinstance(fe, str) else list(fe),
                   "when": _flat(data.get("when")), "require": _flat(data["require"]), "note": _flat(data.get("note")),
                   "outcome": f"{len(mine)} violation(s)" if mine else no_violation(data, applies),
                   "inputs": [{"path": path, "inputs": cells} for path, cells in rule_inputs or []]}
    doc["values"] = {d: _result_of(result, d) for d in deps if d in policy.values}
    doc["steps"] = _steps(policy, result, [n for n in reached if n in policy.values], None)
    doc["parameters"] = _parameters(policy, [p for p in reached if p in policy.parameters])
    doc["violations"] = [asdict(v) for v in mine]
    return _dump(_with_batch(doc, batch))


def _with_batch(doc: dict, batch: dict | None) -> dict:
    """With --batch, the batch path's facts (engine/report/explain_batch.py) under "batch"."""
    if batch is not None:
        doc["batch"] = batch
    return doc


def _head(policy: Policy, result: Result, explained: dict) -> dict:
    return {"policy": policy.id, "instrument": policy.spec.instrument, "source": result.source,
            "explained": explained}


def _result_of(result: Result, name: str) -> Any:
    return next((s.result for s in result.trace or [] if s.name == name), result.values.get(name))


def _steps(policy: Policy, result: Result, order: list[str], inputs: Inputs | None) -> list[dict]:
    steps = {s.name: s for s in result.trace or []}
    out = []
    for n in order:
        step, info = steps[n], policy.values[n]
        read = step_inputs(step, inputs)
        entry = {"name": n, "for_each": list(info.bound), "description": _flat(info.entry.get("description")),
                 "formula": _flat(step.expr), "cite": step.cite, "status": step.status, "result": step.result}
        if info.bound:
            entry["inputs"] = {}
            entry["items"] = [{"key": item["key"], "result": item["result"], "inputs": cells}
                              for item, cells in zip(step.items, read)]
        else:
            entry["inputs"], entry["items"] = read[0], []
        out.append(entry)
    return out


def _parameters(policy: Policy, params: list[str]) -> list[dict]:
    return [{"name": p, "value": policy.parameters[p].dated[-1][1], "status": policy.parameters[p].status,
             "cite": policy.text("parameters", p, "cite"), "note": _flat(policy.parameters[p].entry.get("note"))}
            for p in sorted(params)]


def _flat(text) -> str | None:
    return None if text is None else " ".join(str(text).split())


def _dump(doc: dict) -> str:
    return json.dumps(jsonable(doc), ensure_ascii=False, indent=2) + "\n"
