"""Rendering `kinerja test` runs (`engine/policy/runs.py`) as text or JSON.

Text lists each policy with its cases PASS or FAIL at file:line; a failing case shows what differs,
field by field (`expected:` / `got:` on their own lines); a summary line counts passed, failed,
deselected and errors; with coverage, one block per policy names the rules not fired, band rows not
hit and parameters not read, each where it is written. A policy that `extends` others also lists the
inherited cases whose outcome it changes, per ancestor, each change as `field: ancestor → policy`,
and a line counting them by what changes. JSON carries the same, diffs split into field, expected
and got, the inherited cases under `inherited`.
"""
from __future__ import annotations

import json

from collections import Counter

from ..display import plural, relative
from ..policy.cases import InheritedCase
from ..policy.coverage import Coverage
from ..policy.runs import PolicyRun


def split_diff(diff: str) -> tuple[str, str, str] | None:
    """`values.nko: expected 99.99, got 104.48` → (field, expected, got); None for other diffs."""
    head, sep, rest = diff.partition(": expected ")
    if not sep:
        return None
    if rest.startswith("message "):
        head, rest = head + " (message)", rest[len("message "):]
    if rest.count(", got ") != 1:
        return None
    want, got = rest.split(", got ")
    return head, want, got


def _diff_lines(diff: str) -> list[str]:
    parts = split_diff(diff)
    if parts is None:  # verbatim; the lines of a multi-line error indented under its first
        first, *rest = diff.splitlines() or [""]
        return [first] + ["  " + line for line in rest]
    where, want, got = parts
    return [where, f"  expected: {want}", f"  got:      {got}"]


def text(runs: list[PolicyRun], select: str | None) -> str:
    lines: list[str] = []
    for run in runs:
        total = len(run.cases) + run.deselected
        if run.policy_id is None:
            lines.append(f"ERROR  {relative(run.target)}: the policy could not be loaded")
        else:
            count = (f"{len(run.cases)} of {total} cases selected" if select is not None
                     else plural(total, "case"))
            lines.append(f"{run.policy_id}  ({count})")
            if total == 0 and not run.errors:
                own = " of its own" if run.inherited else ""
                lines.append(f"  no test cases{own} (add cases to tests/*.yaml next to policy.yaml)")
        for msg in map(str, run.errors):
            lines.extend("  " + m for m in msg.splitlines())
        for case in run.cases:
            lines.append(f"  {'PASS' if case.passed else 'FAIL'}  {relative(case.file)}:{case.line}  {case.name}")
            for diff in case.diffs:
                lines.extend("        " + d for d in _diff_lines(diff))
        if run.inherited:
            lines += inherited_lines(run)
    lines += ["", summary_line(runs)]
    covered = [r for r in runs if r.coverage is not None]
    if covered:
        lines += ["", "Coverage (rules fired, band rows hit, parameters read by the cases):"]
        for run in covered:
            lines += coverage_lines(run.coverage)
    return "\n".join(lines) + "\n"


def inherited_lines(run: PolicyRun) -> list[str]:
    """Per ancestor, the inherited cases the policy changes, then the line counting them."""
    lines = []
    for ancestor in dict.fromkeys(c.policy for c in run.inherited):
        cases = [c for c in run.inherited if c.policy == ancestor]
        lines.append(f"  inherited from {ancestor}: {plural(len(cases), 'case')} run under {run.policy_id}"
                     f" (changes read {ancestor} → {run.policy_id})")
        for c in cases:
            if c.changes:
                lines.append(f"    CHANGED  {relative(c.case.file)}:{c.case.line}  {c.case.name}")
                lines += ["          " + _change_text(d) for d in c.changes]
    return lines + ["  " + inherited_summary(run.inherited)]


def _change_text(diff: str) -> str:
    parts = split_diff(diff)
    return diff.splitlines()[0] if parts is None else f"{parts[0]}: {parts[1]} → {parts[2]}"


def inherited_summary(cases: list[InheritedCase]) -> str:
    """`14 of 43 inherited cases change outcome: nko changes in 11, pk-iku-count newly fires in 3`: what
    changes, most frequent first."""
    changed = [c for c in cases if c.changes]
    head = f"{len(changed)} of {plural(len(cases), 'inherited case')} change outcome"
    effects = Counter(e for c in changed for e in c.effects).most_common()  # ties in order of appearance
    return head + (": " + ", ".join(f"{e} in {n}" for e, n in effects) if effects else "")


def summary_line(runs: list[PolicyRun]) -> str:
    passed = sum(c.passed for r in runs for c in r.cases)
    failed = sum(not c.passed for r in runs for c in r.cases)
    parts = [f"{passed} passed", f"{failed} failed"]
    deselected = sum(r.deselected for r in runs)
    if deselected:
        parts.append(f"{deselected} deselected")
    errors = sum(len(r.errors) for r in runs)
    if errors:
        parts.append(plural(errors, "error"))
    return ", ".join(parts) + f" in {plural(len(runs), 'policy', 'policies')}"


def coverage_lines(cov: Coverage) -> list[str]:
    rules, rows, params = cov.rules, cov.band_rows, list(cov.policy.parameters)
    unfired, unhit, unread = cov.unfired_rules, cov.unhit_rows, cov.unread_parameters
    head = (f"{cov.policy.id}: rules {len(rules) - len(unfired)}/{len(rules)} fired, "
            f"band rows {len(rows) - len(unhit)}/{len(rows)} hit, "
            f"parameters {len(params) - len(unread)}/{len(params)} read")
    lines = [head + (" — complete" if cov.complete else "")]
    by_id = {r.id: r for r in cov.policy.rules}
    for rid in unfired:
        lines.append(f"  rule not fired:      {rid}  {_where(by_id[rid].entry.origin.location())}")
    for row in unhit:
        lines.append(f"  band row not hit:    {row.describe()}  {_where(row.location)}")
    for name in unread:
        lines.append(f"  parameter not read:  {name}  "
                     f"{_where(cov.policy.parameters[name].entry.origin.location(key=True))}")
    return lines


def _where(location) -> str:
    return f"{relative(location.file)}:{location.line}"


def as_json(runs: list[PolicyRun]) -> str:
    out = []
    for run in runs:
        doc = {"policy": run.policy_id, "target": run.target, "errors": [str(e) for e in run.errors],
               "deselected": run.deselected, "cases": []}
        for case in run.cases:
            doc["cases"].append({"file": relative(case.file), "line": case.line, "name": case.name,
                                 "passed": case.passed, "diffs": _diffs_json(case.diffs)})
        if run.inherited:
            doc["inherited"] = inherited_json(run.inherited)
        if run.coverage is not None:
            doc["coverage"] = coverage_json(run.coverage)
        out.append(doc)
    summary = {"passed": sum(c.passed for r in runs for c in r.cases),
               "failed": sum(not c.passed for r in runs for c in r.cases),
               "deselected": sum(r.deselected for r in runs),
               "errors": sum(len(r.errors) for r in runs),
               "inherited_changed": sum(len(r.changed) for r in runs)}
    return json.dumps({"policies": out, "summary": summary}, indent=2, ensure_ascii=False)


def _diffs_json(diffs: list[str]) -> list[dict]:
    out = []
    for d in diffs:
        parts = split_diff(d)
        out.append({"text": d} if parts is None
                   else {"text": d, "field": parts[0], "expected": parts[1], "got": parts[2]})
    return out


def inherited_json(cases: list[InheritedCase]) -> dict:
    """The inherited cases: each with its changes (`expected`: under the ancestor, `got`: under the policy)."""
    changed = [c for c in cases if c.changes]
    return {"total": len(cases), "changed": len(changed), "summary": inherited_summary(cases),
            "effects": dict(Counter(e for c in changed for e in c.effects).most_common()),
            "cases": [{"policy": c.policy, "file": relative(c.case.file), "line": c.case.line,
                       "name": c.case.name, "changed": bool(c.changes), "effects": c.effects,
                       "changes": _diffs_json(c.changes)} for c in cases]}


def coverage_json(cov: Coverage) -> dict:
    by_id = {r.id: r for r in cov.policy.rules}
    return {
        "complete": cov.complete,
        "rules": {"total": len(cov.rules), "fired": sorted(cov.fired & set(cov.rules)),
                  "not_fired": [{"rule": r, "at": _where(by_id[r].entry.origin.location())}
                                for r in cov.unfired_rules]},
        "band_rows": {"total": len(cov.band_rows),
                      "not_hit": [{"parameter": b.parameter, "from": b.dated_from, "row": b.index,
                                   "label": b.label, "interval": b.interval, "at": _where(b.location)}
                                  for b in cov.unhit_rows]},
        "parameters": {"total": len(cov.policy.parameters),
                       "not_read": [{"parameter": p,
                                     "at": _where(cov.policy.parameters[p].entry.origin.location(key=True))}
                                    for p in cov.unread_parameters]},
    }
