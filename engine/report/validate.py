"""Rendering `kinerja validate` results (`engine/policy/runs.py::Validation`) as text, one block a policy.

An invalid policy reads `INVALID  target` with each error indented under it; a valid one lists its
warnings, then `OK` (or `FAIL` when a test case failed) with its size and test score, then each
failed case at file:line with what differs.
"""
from __future__ import annotations

from ..policy.runs import Validation


def text(v: Validation) -> str:
    if v.policy is None:
        lines = [f"INVALID  {v.target}"]
        lines += ["  " + line for e in v.errors for line in str(e).splitlines()]
        return "\n".join(lines) + "\n"
    p, bad = v.policy, v.failed_cases
    lines = [f"  {w}" for w in v.warnings]
    tests = f", {len(v.cases) - len(bad)}/{len(v.cases)} tests passed" if v.cases else ""
    lines.append(f"{'FAIL' if bad else 'OK'}  {p.id}: {len(p.parameters)} parameters, "
                 f"{len(p.values)} values, {len(p.rules)} rules{tests}")
    for c in bad:
        lines.append(f"  {c.file}:{c.line}: test '{c.name}' failed")
        lines += [f"      {d}" for d in c.diffs]
    return "\n".join(lines) + "\n"
