"""engine/display.py: huge or tiny decimals render in scientific notation, never as millions of digits,
and any value longer than MAX_TEXT characters is cut with '…', in messages, JSON and reports."""
from __future__ import annotations

import json
from decimal import Decimal as D

import pytest

from engine.display import MAX_TEXT, number, value
from engine.record import Record
from engine.result import jsonable
from tests.conftest import contract


@pytest.mark.parametrize("x, text", [
    ("9.0E+999999", "9.0E+999999"),
    ("1.0e+999999999", "1.0E+999999999"),
    ("-2.5e+999999999", "-2.5E+999999999"),
    ("1E+40", "1" + "0" * 40),
    ("1E+41", "1E+41"),
    ("110.42", "110.42"),
    ("0.0005", "0.0005"),
    ("1E-40", "0." + "0" * 39 + "1"),
    ("1E-41", "1E-41"),
    ("1.0e-999999999", "1.0E-999999999"),
    ("Infinity", "Infinity"),
])
def test_decimals_plain_or_scientific(x, text):
    assert number(D(x)) == text
    assert value(D(x)) == text
    assert jsonable(D(x)) == text


def test_long_values_are_cut():
    assert MAX_TEXT == 1000
    assert value("x" * 1000) == "x" * 1000
    assert value("x" * 1001) == "x" * 999 + "…"
    assert value("x" * 10**7) == "x" * 999 + "…"
    assert value(["a" * 600, "b" * 600]) == "a" * 600 + ", " + "b" * 397 + "…"
    assert value(D("1" * 1500)) == "1" * 999 + "…"


def test_a_violation_message_with_a_huge_value_stays_short(make_policy):
    policy = make_policy("""\
        rules:
          - id: budget-cap
            title: Budget cap
            cite: test
            require: contract.budget.total < 100
            message: "budget {contract.budget.total} is over the cap; unit {contract.unit.name}"
        """)
    data = contract(budget={"total": D("1.0e+999999999")}, unit={"code": "U1", "name": "n" * 5000, "eselon": 3})
    result = policy.evaluate(Record(data, "big.yaml"))
    assert [v.message for v in result.violations] == [
        "budget 1.0E+999999999 is over the cap; unit " + "n" * 999 + "…"]
    assert len(json.dumps(jsonable(result.to_dict()))) < 20_000
