"""`number(x)`: numbers written as text (a spreadsheet export, a JSON feed of strings) read exactly."""
from decimal import Decimal

from tests.conftest import contract

D = Decimal

POLICY = """
values:
  as_number:
    for_each: i in contract.iku
    key: "{i.code}"
    expr: number(i.name) * 2
outputs: [as_number]
"""


def iku(code, name):
    return {"code": code, "name": name, "objective": "S1", "polarity": "maximize",
            "periods": [{"period": "Q1", "target": 100}]}


def test_decimal_text_is_read_exactly_and_other_text_is_an_error(make_policy):
    policy = make_policy(POLICY)
    data = contract(iku=[iku("a", "12.50"), iku("b", " -0.1 "), iku("c", "1e2"), iku("d", "12,5"), iku("e", "n/a")])
    result = policy.evaluate(data)
    assert result.values["as_number"] == {"a": D("25.00"), "b": D("-0.2"), "c": D("2E+2"), "d": None, "e": None}
    assert result.errors == [
        "value 'as_number' for iku[3] could not be computed: number('12,5'): not a number or decimal text",
        "value 'as_number' for iku[4] could not be computed: number('n/a'): not a number or decimal text",
    ]


def test_text_beyond_the_number_limits_is_an_error_not_a_rounded_figure(make_policy):
    policy = make_policy(POLICY)
    result = policy.evaluate(contract(iku=[iku("a", "1" * 30)]))
    assert result.values["as_number"] == {"a": None}
    assert result.errors == ["value 'as_number' for iku[0] could not be computed: number('"
                             + "1" * 30 + "'): number too large: at most 18 digits before the decimal point"]
