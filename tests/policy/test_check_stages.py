"""The policy check stages: their order as documented, errors of several stages reported together,
and the dependency walks (`dependency_order`, `reachable`) on small graphs."""
from __future__ import annotations

import re

import pytest

import engine
from engine.errors import PolicyError
from engine.policy import check
from engine.policy.dependencies import dependency_order, reachable

BANDS = """\
parameters:
  limit: {value: 20, cite: "Pasal 1", status: confirmed}
  grades:
    type: bands
    value:
      - {from: 0, to: 60, label: C}
      - {%s, to: 100, label: B}
    cite: "Pasal 2"
    status: confirmed
"""


def errors_of(make_policy, body: str, tmp_path) -> list[tuple[str, str, str | None]]:
    with pytest.raises(engine.ErrorList) as info:
        make_policy(body)
    prefix = f"{tmp_path / 'policy.yaml'}:"
    return [(str(e.location).removeprefix(prefix), e.message, e.hint) for e in info.value.errors]


def test_stage_list_is_the_documented_one():
    documented = re.findall(r"^\s+\d+\.\s+(\w+)\s", check.__doc__, re.MULTILINE)
    assert documented == [stage.__name__ for stage in check.STAGES]
    assert documented == ["subject_schema", "parameters", "functions", "values", "dependencies", "raise_errors",
                          "type_check", "item_keys", "rules", "quoted_texts", "reference_date", "outputs",
                          "label_equivalences", "raise_errors",
                          "unused_parameters"]


def test_type_and_output_errors_are_reported_together(make_policy, tmp_path):
    body = BANDS % "over: 60" + """\
values:
  total:
    expr: count(contract.iku) + limt
  grade:
    expr: band(total, grades)
outputs: [total, grde]
"""
    assert errors_of(make_policy, body, tmp_path) == [
        ("16:33", "unknown name 'limt'", "did you mean 'limit'?"),
        ("19:18", "output 'grde' is not a value of this policy", "did you mean 'grade'?"),
    ]


def test_band_overlap_and_cycle_stop_before_type_checking(make_policy, tmp_path):
    # the unknown name 'limt' is not reported: type checking waits for parsed, acyclic input
    body = BANDS % "from: 50" + """\
values:
  total:
    expr: count(contract.iku) + grade + limt
  grade:
    expr: band(total, grades)
"""
    assert errors_of(make_policy, body, tmp_path) == [
        ("11:9", "band 'B' overlaps band 'C'", None),
        ("16:11", "values depend on each other in a cycle: total → grade → total", None),
    ]


def test_unused_and_provisional_parameters_are_warnings(make_policy):
    policy = make_policy("""\
parameters:
  spare: {value: 1, cite: "Pasal 3", status: provisional}
values:
  one:
    expr: 1
""")
    assert [w.message for w in policy.warnings] == [
        "provisional parameter 'spare' has no note explaining the assumption",
        "parameter 'spare' is not used by any value or rule",
    ]
    assert all(isinstance(w, engine.errors.PolicyWarning) for w in policy.warnings)


def test_dependency_order_puts_dependencies_first_and_finds_cycles():
    deps = {"nko": {"capaian", "weight"}, "capaian": {"limit"}, "weight": set(), "predikat": {"nko"}}
    assert dependency_order(["predikat", "nko", "capaian", "weight"], deps) == (
        ["capaian", "weight", "nko", "predikat"], [])
    cyclic = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert dependency_order(["a", "d"], cyclic) == (["c", "b", "a", "d"], [["a", "b", "c", "a"]])


def test_reachable_lists_dependencies_before_dependants_once():
    deps = {"nko": ["capaian", "weight"], "capaian": ["limit"], "weight": ["limit"], "predikat": ["nko", "grades"]}
    assert reachable(deps, ["predikat"]) == ["limit", "capaian", "weight", "nko", "grades", "predikat"]
    assert reachable(deps, ["weight", "capaian"]) == ["limit", "weight", "capaian"]
    assert reachable(lambda n: deps.get(n, []), ["nko"]) == ["limit", "capaian", "weight", "nko"]
    assert reachable({"a": ["b"], "b": ["a"]}, ["a"]) == ["b", "a"]
    assert reachable(deps, []) == []


def test_for_each_over_something_that_is_not_a_list_is_an_error_at_load(make_policy):
    with pytest.raises(PolicyError) as caught:
        make_policy("""
            values:
              v:
                for_each: x in contract.year
                expr: x
                cite: c
            """)
    assert caught.value.message == "for_each needs a list to go through, but this is a number"
    assert (caught.value.location.line, caught.value.location.column) == (8, 15)
