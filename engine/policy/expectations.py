"""What a test case expects, compared with what an evaluation gave: one difference per line of text.

`expect:` of a case (engine/policy/cases.py) holds
- `values:` any computed value of the policy (an output or not) by name: exact decimals; a per-item
  value may list only some items; `null` means missing;
- `violations:` in one of three forms:
  - a list, the complete list of violations: rule ids, or `{rule, message, path}` (message and path
    optional), each matched once;
  - a mapping of rule id to count, the complete counts: `{pk-iku-count: 2, iku-trajectory: 1}`; a rule
    not named must not fire;
  - `{includes: [...]}`, a subset written like the list: these must occur, others may too.
Differences read `values.nko: expected 104.48, got 104.47`, `violations: pk-budget: expected 2, got 1`.
`effect` names what a difference changes (`nko changes`, `pk-iku-count newly fires`), for the report
of the inherited cases that a draft amendment changes.
"""
from __future__ import annotations

import datetime as _dt
import re
from collections import Counter
from decimal import Decimal
from typing import Any

from ..lang.runtime import render
from ..result import Result, Violation


def differences(expect: dict, result: Result, value_names: set[str], policy_id: str) -> list[str]:
    """Every way `result` differs from the case's `expect:` mapping."""
    diffs: list[str] = []
    for name, want in (expect.get("values") or {}).items():
        if name not in value_names:
            diffs.append(f"values.{name}: not a computed value of {policy_id}")
        else:
            _compare(f"values.{name}", want, result.values[name], diffs)
    if "violations" in expect:
        diffs += violation_differences(expect["violations"], result.violations)
    return diffs


def violation_differences(want: Any, got: list[Violation]) -> list[str]:
    """`violations:` as a complete list, complete counts per rule, or `{includes: [...]}`."""
    if want is None or isinstance(want, list):
        return _listed(want or [], got, complete=True)
    if isinstance(want, dict) and set(want) == {"includes"} and isinstance(want["includes"], list):
        return _listed(want["includes"], got, complete=False)
    if isinstance(want, dict) and "includes" not in want and all(_is_count(n) for n in want.values()):
        return _counted(want, got)
    return ["violations: expected a list of rules, counts per rule ({rule-id: 2}) or {includes: [...]}"]


def _is_count(n: Any) -> bool:
    """A whole number ≥ 0 (test files read numbers as Decimal)."""
    return isinstance(n, (int, Decimal)) and not isinstance(n, bool) and n >= 0 and n == int(n)


def _counted(want: dict, got: list[Violation]) -> list[str]:
    counts = Counter(v.rule for v in got)
    rules = list(want) + [r for r in counts if r not in want]
    return [f"violations: {rule}: expected {want.get(rule, 0)}, got {counts[rule]}"
            for rule in rules if want.get(rule, 0) != counts[rule]]


def _listed(want: list, got: list[Violation], complete: bool) -> list[str]:
    diffs: list[str] = []
    expected = [w if isinstance(w, dict) else {"rule": w} for w in want]
    remaining = list(got)
    for w in expected:
        match = next((v for v in remaining if v.rule == w.get("rule")
                      and ("message" not in w or v.message == w["message"])
                      and ("path" not in w or v.path == w["path"])), None)
        if match is not None:
            remaining.remove(match)
            continue
        same_rule = [v for v in remaining if v.rule == w.get("rule")]
        if same_rule and "message" in w:
            diffs.append(f"violations: {w['rule']}: expected message {w['message']!r}, "
                         f"got {same_rule[0].message!r}")
            remaining.remove(same_rule[0])  # reported here; not again as "unexpected"
        else:
            diffs.append(f"violations: expected {w.get('rule')}"
                         + (f" at {w['path']}" if "path" in w else "") + ", but it did not occur")
    if complete:
        diffs += [f"violations: unexpected {v.rule}" + (f" at {v.path}" if v.path else "") + f": {v.message}"
                  for v in remaining]
    return diffs


def _compare(where: str, want, got, diffs: list[str]) -> None:
    if isinstance(want, dict) and isinstance(got, dict):
        for k, w in want.items():
            if k not in got:
                diffs.append(f"{where}[{k}]: expected {render(w)}, but there is no such item "
                             f"(items: {', '.join(map(str, got)) or 'none'})")
            else:
                _compare(f"{where}[{k}]", w, got[k], diffs)
        return
    if isinstance(got, _dt.date) and isinstance(want, str):
        got = got.isoformat()  # expectations are read with dates kept as ISO text
    if want != got:
        diffs.append(f"{where}: expected {render(want)}, got {render(got)}")


_VALUE = re.compile(r"values\.([^\[:]+)")
_UNEXPECTED = re.compile(r"violations: unexpected (\S+?)(?: at \S+)?: ")
_MISSING = re.compile(r"violations: expected (\S+?)(?: at \S+)?, but it did not occur")
_MESSAGE = re.compile(r"violations: (\S+): expected message ")
_COUNT = re.compile(r"violations: (\S+): expected (\d+), got (\d+)$")


def effect(diff: str) -> str:
    """What a difference changes, in a few words: `nko changes`, `pk-iku-count newly fires`."""
    if m := _VALUE.match(diff):
        return f"{m.group(1)} changes"
    if m := _UNEXPECTED.match(diff):
        return f"{m.group(1)} newly fires"
    if m := _MISSING.match(diff):
        return f"{m.group(1)} no longer fires"
    if m := _MESSAGE.match(diff):
        return f"{m.group(1)} message changes"
    if m := _COUNT.match(diff):
        want, got = int(m.group(2)), int(m.group(3))
        return f"{m.group(1)} " + ("newly fires" if want == 0 else "no longer fires" if got == 0
                                   else "fires a different number of times")
    return "errors" if diff.startswith("error: ") else diff
