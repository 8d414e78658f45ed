"""What a test case may expect (engine/policy/expectations.py): violations as the complete list, as
counts per rule or as `{includes: [...]}`, values that are not outputs; the exact difference texts
and the effect each names."""
from decimal import Decimal

import pytest

from engine.policy.cases import run_file
from engine.policy.expectations import effect, violation_differences
from engine.policy.registry import DEFAULT
from engine.report.cases import split_diff
from engine.result import Violation
from tests.conftest import ROOT


def v(rule: str, message: str = "m", path: str | None = None) -> Violation:
    return Violation(rule, "title", "error", "failed", message, "cite", path)


GOT = [v("a", "first"), v("a", "second"), v("b", "only b", "iku[1]")]


@pytest.mark.parametrize("want, diffs", [
    ({"a": 2, "b": 1}, []),
    ({"a": Decimal("2"), "b": Decimal("1"), "c": 0}, []),            # numbers as test files read them
    ({"a": 1}, ["violations: a: expected 1, got 2", "violations: b: expected 0, got 1"]),
    ({"c": 1, "a": 2, "b": 1}, ["violations: c: expected 1, got 0"]),
])
def test_counts_per_rule_are_complete(want, diffs):
    assert violation_differences(want, GOT) == diffs


@pytest.mark.parametrize("want, diffs", [
    ({"includes": ["b"]}, []),
    ({"includes": ["a", "a", {"rule": "b", "path": "iku[1]"}]}, []),
    ({"includes": ["c", {"rule": "a", "message": "third"}]},
     ["violations: expected c, but it did not occur",
      "violations: a: expected message 'third', got 'first'"]),
    ({"includes": ["a", "a", "a"]}, ["violations: expected a, but it did not occur"]),
    ({"includes": []}, []),
])
def test_includes_is_a_subset(want, diffs):
    assert violation_differences(want, GOT) == diffs


def test_the_list_is_complete():
    assert violation_differences(["a", "b"], GOT) == ["violations: unexpected a: second"]
    assert violation_differences(None, []) == []


@pytest.mark.parametrize("want", [{"a": "two"}, {"a": -1}, {"a": Decimal("1.5")}, {"a": True},
                                  {"includes": ["a"], "b": 1}, {"includes": "a"}, "a"])
def test_other_forms_are_refused_with_the_forms_named(want):
    assert violation_differences(want, GOT) == [
        "violations: expected a list of rules, counts per rule ({rule-id: 2}) or {includes: [...]}"]


def test_a_count_difference_splits_into_field_expected_got():
    assert split_diff("violations: a: expected 1, got 2") == ("violations: a", "1", "2")


@pytest.mark.parametrize("diff, named", [
    ("values.nko: expected 104.48, got 103.10", "nko changes"),
    ("values.capaian_tahunan[1a-N]: expected 110.42, got 110.00", "capaian_tahunan changes"),
    ("values.capaian[x]: expected 1, but there is no such item (items: none)", "capaian changes"),
    ("violations: unexpected pk-iku-count: 19 IKU pada upk_one; batasnya 15–18 IKU", "pk-iku-count newly fires"),
    ("violations: unexpected iku-trajectory at iku[3]: no trajectory", "iku-trajectory newly fires"),
    ("violations: expected pk-budget, but it did not occur", "pk-budget no longer fires"),
    ("violations: expected pk-budget at iku[2], but it did not occur", "pk-budget no longer fires"),
    ("violations: pk-iku-count: expected message 'a', got 'b'", "pk-iku-count message changes"),
    ("violations: a: expected 0, got 2", "a newly fires"),
    ("violations: a: expected 2, got 0", "a no longer fires"),
    ("violations: a: expected 1, got 2", "a fires a different number of times"),
    ("error: data.yaml:1:1: broken", "errors"),
])
def test_effect_names_what_a_difference_changes(diff, named):
    assert effect(diff) == named


def test_values_may_name_any_computed_value(tmp_path):
    example = ROOT / "examples/pk_2024_kppn_semarang_i.yaml"
    (tmp_path / "cases.yaml").write_text(f"""\
cases:
  - name: not outputs
    input: {example}
    expect:
      values: {{target_tahunan: {{1a-N: 90, 2a-N: 4.50}}, nko: 104.48}}
  - name: wrong and unknown
    input: {example}
    expect:
      values: {{target_tahunan: {{1a-N: 91}}, nilai_ss_kk: 1}}
""", encoding="utf-8")
    right, wrong = run_file(DEFAULT.load("kmk_300_2022"), tmp_path / "cases.yaml")
    assert right.diffs == []
    assert wrong.diffs == ["values.target_tahunan[1a-N]: expected 91, got 90",
                           "values.nilai_ss_kk: not a computed value of kmk_300_2022"]


def test_counts_in_a_case_file_end_to_end(tmp_path):
    example = ROOT / "examples/pk_2024_kanwil_incomplete.yaml"
    (tmp_path / "cases.yaml").write_text(f"""\
cases:
  - name: counts
    input: {example}
    expect:
      violations: {{pk-budget: 1, iku-objective-known: 1, initiative-complete: 1}}
  - name: includes
    input: {example}
    expect:
      violations: {{includes: [pk-budget, cascade-depth]}}
""", encoding="utf-8")
    counts, includes = run_file(DEFAULT.load("kmk_300_2022"), tmp_path / "cases.yaml")
    assert counts.diffs == []
    assert includes.diffs == ["violations: expected cascade-depth, but it did not occur"]
