"""engine/policy/runs.py: a policy's test suite run for `kinerja test` and `kinerja validate`."""
from __future__ import annotations

from engine.policy.registry import DEFAULT
from engine.policy.runs import run_cases, validations

UNKNOWN = "unknown policy 'nosuch' (known: kmk_127_2026, kmk_127_2026_pegawai, kmk_300_2022, kmk_300_2022_addendum, kmk_467_2014, permenpan_6_2022)"


def test_selection_keeps_the_matching_cases_and_counts_the_rest():
    run = run_cases(DEFAULT, "kmk_300_2022", select="NKO")
    everything = run_cases(DEFAULT, "kmk_300_2022")
    assert run.cases == [c for c in everything.cases if "nko" in c.name.lower()]
    assert run.deselected == len(everything.cases) - len(run.cases) > 0
    assert (run.policy_id, run.errors, run.failed, run.incomplete, run.coverage) == ("kmk_300_2022", [], False, False, None)


def test_a_policy_that_cannot_load_is_a_run_with_its_error():
    run = run_cases(DEFAULT, "nosuch")
    assert (run.policy_id, [str(e) for e in run.errors], run.cases) == (None, [UNKNOWN], [])


def test_validations_load_each_target_and_fail_the_invalid():
    ok, bad = validations(DEFAULT, ["kmk_467_2014", "nosuch"], with_tests=False)
    assert (ok.policy.id, ok.errors, ok.cases, ok.failed()) == ("kmk_467_2014", [], [], False)
    assert (bad.policy, [str(e) for e in bad.errors], bad.failed()) == (None, [UNKNOWN], True)
