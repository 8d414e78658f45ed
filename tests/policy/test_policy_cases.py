"""Every policy's own test cases (policies/<id>/tests/*.yaml) run under pytest too."""
import pytest

import engine
from engine.policy.registry import DEFAULT
from engine.policy.cases import run_policy

CASES = [(pid, case) for pid in DEFAULT.paths() for case in run_policy(engine.load_policy(pid))]


@pytest.mark.parametrize("policy_id, case", CASES, ids=[f"{p}: {c.name}" for p, c in CASES])
def test_policy_case(policy_id, case):
    assert case.passed, "\n".join(case.diffs)


def test_every_policy_has_cases():
    assert {p for p, _ in CASES} == set(DEFAULT.paths())


@pytest.mark.parametrize("policy_id", list(DEFAULT.paths()))
def test_every_rule_and_band_row_is_exercised(policy_id):
    """Each policy's cases make every rule fire, land on every band row and read every parameter."""
    from engine.policy.coverage import measure
    _, coverage = measure(engine.load_policy(policy_id))
    gaps = (coverage.unfired_rules, [r.describe() for r in coverage.unhit_rows], coverage.unread_parameters)
    assert gaps == ([], [], [])
