"""Values with nested `for_each` are kept per binding tuple, not per innermost item.

An inner collection shared between outer items (a parameter list of quarters) used to store each
value under the identity of the quarter alone, so every IKU silently got the last IKU's values.
"""
from decimal import Decimal

import pytest

from tests.conftest import contract

D = Decimal

SHARED_INNER = """
parameters:
  triwulan: {value: [1, 2, 3, 4], cite: Fixture, status: confirmed}
values:
  bobot:
    for_each:
      - i in contract.iku
      - q in triwulan
    key: "{i.code} Q{q}"
    expr: i.weight * q
  total:
    expr: sum(bobot)
  q_first:
    for_each:
      - i in contract.iku
      - q in triwulan
    expr: bobot[q]
outputs: [bobot, total, q_first]
"""


def _iku(code, weight):
    return {"code": code, "name": code, "objective": "SS1", "polarity": "maximize", "weight": weight,
            "periods": [{"period": "Q1", "target": 90, "realization": 100}]}


@pytest.fixture
def result(make_policy):
    policy = make_policy(SHARED_INNER)
    return policy.evaluate(contract(iku=[_iku("a", 10), _iku("b", 20)]), trace=True)


def test_each_outer_item_keeps_its_own_values(result):
    assert result.values["bobot"] == {
        "a Q1": D(10), "a Q2": D(20), "a Q3": D(30), "a Q4": D(40),
        "b Q1": D(20), "b Q2": D(40), "b Q3": D(60), "b Q4": D(80)}
    assert result.values["total"] == D(300)   # every (IKU, quarter) value counted once


def test_the_trace_shows_each_outer_items_own_values(result):
    step = next(s for s in result.trace if s.name == "bobot")
    assert [(item["key"], item["result"]) for item in step.items] == [
        ("a Q1", D(10)), ("a Q2", D(20)), ("a Q3", D(30)), ("a Q4", D(40)),
        ("b Q1", D(20)), ("b Q2", D(40)), ("b Q3", D(60)), ("b Q4", D(80))]


def test_indexing_by_a_shared_inner_item_is_an_error_not_a_wrong_value(result):
    assert list(result.values["q_first"].values()) == [None] * 8
    assert result.errors == ["value 'q_first' could not be computed: bobot[…] is ambiguous: "
                             "this item occurs under several items of the outer for_each"] * 8
