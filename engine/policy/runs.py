"""Policies run whole: loaded (so checked) and their test cases run, for `kinerja test` and `validate`.

A `PolicyRun` (`kinerja test`) holds the cases selected by `-k` (and how many were left out), the
errors that kept a policy or a test file from being read (the other files still run), and, on
request, the coverage the cases reached (`coverage.py`). A `Validation` (`kinerja validate`) holds
a policy as loaded, with its warnings, or the errors that kept it from loading, and all its cases.
Rendering lives in `engine/report/cases.py` and `engine/report/validate.py`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator

from ..errors import ErrorList, KinerjaError
from .cases import CaseResult, run_file, run_policy, test_files
from .coverage import Coverage, observe
from .policy import Policy
from .registry import Registry


@dataclass
class PolicyRun:
    target: str
    policy_id: str | None = None                               # None: the policy could not be loaded
    cases: list[CaseResult] = field(default_factory=list)      # the selected cases
    deselected: int = 0
    errors: list[KinerjaError] = field(default_factory=list)   # policy or test file could not be read
    coverage: Coverage | None = None

    @property
    def failed(self) -> bool:
        return any(not c.passed for c in self.cases)

    @property
    def incomplete(self) -> bool:
        """Coverage was measured and left something unexercised."""
        return self.coverage is not None and not self.coverage.complete


def run_cases(registry: Registry, target: str, select: str | None = None,
              with_coverage: bool = False) -> PolicyRun:
    """Run the test cases of policy `target` (id or path) whose name contains `select` (any case)."""
    run = PolicyRun(target)
    try:
        policy = registry.load(target)
    except KinerjaError as e:
        run.errors = _each(e)
        return run
    run.policy_id = policy.id
    runner = policy
    if with_coverage:
        runner, run.coverage = observe(policy)
    for path in test_files(policy):
        try:
            cases = run_file(runner, path)
        except KinerjaError as e:
            run.errors += _each(e)
            continue
        for case in cases:
            if select is None or select.lower() in case.name.lower():
                run.cases.append(case)
            else:
                run.deselected += 1
    return run


@dataclass
class Validation:
    target: str
    policy: Policy | None = None                               # None: the policy could not be loaded
    errors: list[KinerjaError] = field(default_factory=list)   # why it could not be loaded
    cases: list[CaseResult] = field(default_factory=list)

    @property
    def failed_cases(self) -> list[CaseResult]:
        return [c for c in self.cases if not c.passed]

    def failed(self, strict: bool = False) -> bool:
        """Invalid, a case failed, or (`strict`) the policy has warnings."""
        return self.policy is None or bool(self.failed_cases) or (strict and bool(self.policy.warnings))


def validations(registry: Registry, targets: Iterable[str], with_tests: bool = True) -> Iterator[Validation]:
    """Each target (policy id or path) loaded and, `with_tests`, its test cases run; one at a time."""
    for target in targets:
        try:
            policy = registry.load(target)
        except KinerjaError as e:
            yield Validation(target, errors=_each(e))
            continue
        yield Validation(target, policy, cases=run_policy(policy) if with_tests else [])


def _each(error: KinerjaError) -> list[KinerjaError]:
    return list(error.errors) if isinstance(error, ErrorList) else [error]
