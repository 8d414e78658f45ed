"""Policy test cases written as data: `policies/<id>/tests/*.yaml`, run by `kinerja validate` and pytest.

A test file holds `cases:`; each case names an input (a data file relative to the test file, or the
contract inline), an optional `as_of` date, and what it expects: values (exact decimals; per-item
values may list only some items) and violations (rule ids, optionally with the exact message).
Differences are reported field by field: `values.nko: expected 104.48, got 104.47`.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..errors import KinerjaError, PolicyError
from ..lang.runtime import render
from .policy import Policy
from ..record import Record, read_records
from ..source import load_yaml, read_text


@dataclass
class CaseResult:
    file: str
    line: int | None
    name: str
    diffs: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.diffs


def test_files(policy: Policy) -> list[Path]:
    folder = Path(policy.spec.file).parent / "tests"
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def run_file(policy: Policy, path: Path) -> list[CaseResult]:
    doc, smap = load_yaml(read_text(path, PolicyError), str(path), PolicyError)
    cases = doc.get("cases") if isinstance(doc, dict) else None
    if not isinstance(cases, list):
        raise PolicyError("a test file needs a list under 'cases:'", smap.location(()))
    results = []
    for i, case in enumerate(cases):
        line = smap.location(("cases", i)).line
        name = str(case.get("name", f"case {i + 1}")) if isinstance(case, dict) else f"case {i + 1}"
        result = CaseResult(str(path), line, name)
        try:
            result.diffs = _run_case(policy, case, path)
        except KinerjaError as e:
            result.diffs = [f"error: {e}"]
        results.append(result)
    return results


def run_policy(policy: Policy) -> list[CaseResult]:
    out = []
    for f in test_files(policy):
        out.extend(run_file(policy, f))
    return out


def _run_case(policy: Policy, case, path: Path) -> list[str]:
    if not isinstance(case, dict) or "input" not in case:
        return ["a case needs 'input:' (a data file path or an inline contract)"]
    source = case["input"]
    if isinstance(source, str):
        records = list(read_records(path.parent / source))
        if isinstance(records[0], KinerjaError):
            raise records[0]
        record = records[0]
    else:
        record = Record.from_python(source, f"{path}:{case.get('name', 'inline')}")
    as_of = case.get("as_of")
    result = policy.evaluate(record, as_of=_dt.date.fromisoformat(as_of) if as_of else None)
    expect = case.get("expect") or {}
    diffs: list[str] = []
    for name, want in (expect.get("values") or {}).items():
        if name not in result.values:
            diffs.append(f"values.{name}: not an output of {policy.id}")
            continue
        _compare(f"values.{name}", want, result.values[name], diffs)
    if "violations" in expect:
        _compare_violations(expect["violations"] or [], result.violations, diffs)
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
    if isinstance(want, Decimal) and isinstance(got, Decimal):
        if want != got:
            diffs.append(f"{where}: expected {render(want)}, got {render(got)}")
        return
    if want != got:
        diffs.append(f"{where}: expected {render(want)}, got {render(got)}")


def _compare_violations(want: list, got, diffs: list[str]) -> None:
    expected = [w if isinstance(w, dict) else {"rule": w} for w in want]
    remaining = list(got)
    for w in expected:
        match = next((v for v in remaining if v.rule == w.get("rule")
                      and ("message" not in w or v.message == w["message"])
                      and ("path" not in w or v.path == w["path"])), None)
        if match is None:
            same_rule = [v for v in remaining if v.rule == w.get("rule")]
            if same_rule and "message" in w:
                diffs.append(f"violations: {w['rule']}: expected message {w['message']!r}, "
                             f"got {same_rule[0].message!r}")
                remaining.remove(same_rule[0])  # reported here; not again as "unexpected"
            else:
                diffs.append(f"violations: expected {w.get('rule')}"
                             + (f" at {w['path']}" if "path" in w else "") + ", but it did not occur")
        else:
            remaining.remove(match)
    for v in remaining:
        diffs.append(f"violations: unexpected {v.rule}" + (f" at {v.path}" if v.path else "") + f": {v.message}")
