"""Policies run whole: loaded (so checked) and their test cases run, for `kinerja test` and `validate`.

A `PolicyRun` (`kinerja test`) holds the cases selected by `-k` (and how many were left out), the
cases inherited from every policy in its `extends` chain run under it (`InheritedCase`: what the
policy changes; not failures), the errors that kept a policy or a test file from being read (the
other files still run), and, on request, the coverage its own cases reached (`coverage.py`). A `Validation` (`kinerja validate`) holds
a policy as loaded, with its warnings, or the errors that kept it from loading, and all its cases.
Rendering lives in `engine/report/cases.py` and `engine/report/validate.py`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Iterator

from ..errors import ErrorList, KinerjaError, Location, PolicyWarning
from .cases import CaseResult, InheritedCase, run_file, run_inherited, run_policy, test_files
from .policy import Policy
from .registry import Registry

if TYPE_CHECKING:     # coverage.py is imported when coverage is asked for (`kinerja test --coverage`)
    from .coverage import Coverage


@dataclass
class PolicyRun:
    """The outcome of running one policy's test cases: cases, errors and coverage."""
    target: str
    policy_id: str | None = None                               # None: the policy could not be loaded
    cases: list[CaseResult] = field(default_factory=list)      # the selected cases
    deselected: int = 0
    errors: list[KinerjaError] = field(default_factory=list)   # policy or test file could not be read
    coverage: Coverage | None = None
    inherited: list[InheritedCase] = field(default_factory=list)  # ancestors' cases selected, run under it

    @property
    def failed(self) -> bool:
        return any(not c.passed for c in self.cases)

    @property
    def changed(self) -> list[InheritedCase]:
        """The inherited cases whose outcome the policy changes."""
        return [c for c in self.inherited if c.changes]

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
        from .coverage import observe
        runner, run.coverage = observe(policy)
    for path in test_files(policy):
        try:
            cases = run_file(runner, path)
        except KinerjaError as e:
            run.errors += _each(e)
            continue
        for case in cases:
            if _selected(case, select):
                run.cases.append(case)
            else:
                run.deselected += 1
    _run_inherited(registry, policy, select, run)
    return run


def _selected(case: CaseResult, select: str | None) -> bool:
    return select is None or select.lower() in case.name.lower()


def _run_inherited(registry: Registry, policy: Policy, select: str | None, run: PolicyRun) -> None:
    """The cases of each ancestor in `policy`'s `extends` chain, run under it and under `policy`."""
    for ancestor_id in policy.spec.chain[1:]:
        try:
            ancestor = registry.load(ancestor_id)
            for path in test_files(ancestor):
                run.inherited += [c for c in run_inherited(ancestor, policy, path) if _selected(c.case, select)]
        except KinerjaError as e:
            run.errors += _each(e)


@dataclass
class Validation:
    """The outcome of validating one policy: the loaded policy or why it failed, and its cases."""
    target: str
    policy: Policy | None = None                               # None: the policy could not be loaded
    errors: list[KinerjaError] = field(default_factory=list)   # why it could not be loaded
    cases: list[CaseResult] = field(default_factory=list)

    @property
    def failed_cases(self) -> list[CaseResult]:
        return [c for c in self.cases if not c.passed]

    @property
    def warnings(self) -> list[PolicyWarning]:
        """The policy's warnings, and one if it has no test cases of its own (inherited ones do not
        count: they test the parent, not what the policy changes)."""
        if self.policy is None:
            return []
        own = [] if test_files(self.policy) else [PolicyWarning(
            f"{self.policy.id} has no test cases of its own (tests/*.yaml)", Location(self.policy.spec.file))]
        return list(self.policy.warnings) + own

    def failed(self, strict: bool = False) -> bool:
        """Invalid, a case failed, or (`strict`) there are warnings (open questions never fail)."""
        return self.policy is None or bool(self.failed_cases) or \
            (strict and any(w.fails_strict for w in self.warnings))


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
