"""Policy test cases written as data: `policies/<id>/tests/*.yaml`, run by `kinerja test`, `validate` and pytest.

A test file holds `cases:`; each case names an input (a data file relative to the test file, or the
contract inline), an optional `as_of` date, and what it expects (`expect:`, compared in
engine/policy/expectations.py): values and violations. Differences are reported field by field:
`values.nko: expected 104.48, got 104.47`.

A policy that `extends` another inherits its cases too: `run_inherited` runs an ancestor's case under
both policies and keeps, as the case's changes, the differences that only the descendant has: what
the amendment changes (`expected` is what the ancestor gives, `got` what the descendant gives).
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import KinerjaError, PolicyError
from .expectations import differences, effect
from .policy import Policy
from ..record import Record, read_records
from ..source import load_yaml_kept, read_text


@dataclass
class CaseResult:
    """The outcome of one policy test case: the differences from what it expects (none: passed)."""
    file: str
    line: int | None
    name: str
    diffs: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.diffs


@dataclass
class InheritedCase:
    """A case of an ancestor policy run under a policy that extends it."""

    policy: str                 # the ancestor whose tests/*.yaml the case is in
    case: CaseResult            # the case run under the descendant
    changes: list[str]          # its differences under the descendant that the ancestor does not have

    @property
    def effects(self) -> list[str]:
        """What the changes change (`nko changes`, `pk-iku-count newly fires`), each once."""
        return list(dict.fromkeys(effect(d) for d in self.changes))


def test_files(policy: Policy) -> list[Path]:
    folder = Path(policy.spec.file).parent / "tests"
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def read_cases(path: Path) -> list[tuple[int | None, str, Any]]:
    """The cases of a test file: (line, name, the case as written)."""
    text = read_text(path, PolicyError)
    doc, smap = load_yaml_kept(text, str(path), PolicyError)   # parsed once per content
    cases = doc.get("cases") if isinstance(doc, dict) else None
    if not isinstance(cases, list):
        raise PolicyError("a test file needs a list under 'cases:'", smap.location(()))
    return [(smap.location(("cases", i)).line,
             str(case.get("name", f"case {i + 1}")) if isinstance(case, dict) else f"case {i + 1}", case)
            for i, case in enumerate(cases)]


def run_file(policy: Policy, path: Path) -> list[CaseResult]:
    return [run_case(policy, case, path, line, name) for line, name, case in read_cases(path)]


def run_case(policy: Policy, case: Any, path: Path, line: int | None, name: str) -> CaseResult:
    result = CaseResult(str(path), line, name)
    try:
        result.diffs = _run_case(policy, case, path)
    except KinerjaError as e:
        result.diffs = [f"error: {e}"]
    return result


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
        records = list(read_records(path.parent / source))   # YAML kept parsed: engine/source.py
        if isinstance(records[0], KinerjaError):
            raise records[0]
        record = records[0]
    else:
        record = Record.from_python(source, f"{path}:{case.get('name', 'inline')}")
    as_of = case.get("as_of")
    expect = case.get("expect") or {}
    wanted = [n for n in (expect.get("values") or {}) if n in policy.values and n not in policy.outputs]
    result = policy.evaluate(record, as_of=_dt.date.fromisoformat(as_of) if as_of else None,
                             names=[*policy.outputs, *wanted])
    return differences(expect, result, set(policy.values), policy.id)


def run_inherited(ancestor: Policy, policy: Policy, path: Path) -> list[InheritedCase]:
    """The cases of `ancestor`'s test file `path`, each run under `ancestor` and under `policy`."""
    out = []
    for line, name, case in read_cases(path):
        before = run_case(ancestor, case, path, line, name)
        after = run_case(policy, case, path, line, name)
        out.append(InheritedCase(ancestor.id, after, [d for d in after.diffs if d not in before.diffs]))
    return out
