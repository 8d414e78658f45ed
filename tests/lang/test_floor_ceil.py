"""floor(x, places=0) and ceil(x, places=0): exact decimal rounding down and up, next to round."""
from decimal import Decimal

import pytest

from tests.lang.test_checker import one_error
from tests.lang.test_fast_safe_agreement import compiled, outcome

D = Decimal


def both_forms(text: str, n=None):
    """(fast outcome, safe outcome) of `text` with `d.n` bound to n (absent if None)."""
    _, fast, safe = compiled(text)
    args = [{}, {} if n is None else {"n": n}, [], [], []]
    return outcome(fast, *args), outcome(safe, *args)


@pytest.mark.parametrize("text, n, expected", [
    ("floor(d.n)", D("2.7"), D(2)),
    ("floor(d.n)", D("-2.1"), D(-3)),
    ("ceil(d.n)", D("2.1"), D(3)),
    ("ceil(d.n)", D("-2.7"), D(-2)),
    ("floor(d.n, 2)", D("2.349"), D("2.34")),
    ("ceil(d.n, 2)", D("2.341"), D("2.35")),
    ("ceil(d.n, 2)", D("2.34"), D("2.34")),
    ("floor(d.n / 3, 1)", D(10), D("3.3")),
])
def test_floor_and_ceil_are_exact_in_both_forms(text, n, expected):
    assert both_forms(text, n) == (("Decimal", expected), ("Decimal", expected))
    assert str(both_forms(text, n)[0][1]) == str(expected)


def test_missing_in_is_missing_out():
    assert both_forms("floor(d.n)") == (("NoneType", None), ("NoneType", None))
    assert both_forms("ceil(d.n, 1)") == (("NoneType", None), ("NoneType", None))


def test_places_must_be_whole_in_both_forms():
    assert both_forms("floor(d.n, 0.5)", D(1)) == ("error", "error")


def test_floor_is_checked_like_round(make_policy):
    assert one_error(make_policy, "values:\n  x: {expr: 'floor(1, 2, 3)'}\n")[2] == (
        "floor() takes 1 to 2 argument(s), 3 given")
    assert one_error(make_policy, "values:\n  x: {expr: 'ceil(contract.unit.name)'}\n")[2] == (
        "ceil() expects a number here, not a text")


def test_floor_in_a_policy(make_policy):
    from tests.conftest import contract
    policy = make_policy("values:\n  x: {expr: 'floor(contract.budget.total / 3, 2)'}\noutputs: [x]\n")
    assert policy.evaluate(contract()).values["x"] == D("33.33")
