"""Run-time limits: date functions raise the engine's own error (never OverflowError, never an
unbounded loop), every evaluation has the engine's decimal precision whatever the caller's context,
and a table keyed by numbers is found by a number.
"""
import datetime as dt
import decimal
import time
from decimal import Decimal

import pytest

from engine.errors import EvaluationError, KinerjaError
from engine.lang.dates import f_add_days, f_add_working_days, f_date
from tests.conftest import contract

D = Decimal


def _day_by_day(day, n):
    while n > 0:
        day += dt.timedelta(days=1)
        n -= day.weekday() < 5
    return day


@pytest.mark.parametrize("start", [dt.date(2024, 1, 1) + dt.timedelta(days=k) for k in range(7)])
def test_add_working_days_agrees_with_counting_day_by_day(start):
    assert [f_add_working_days(start, D(n)) for n in range(-1, 23)] == [
        start if n <= 0 else _day_by_day(start, n) for n in range(-1, 23)]


def test_add_working_days_does_not_loop_over_a_huge_count():
    began = time.perf_counter()
    with pytest.raises(EvaluationError) as info:
        f_add_working_days(dt.date(2024, 1, 1), D(10) ** 15)
    assert time.perf_counter() - began < 0.1
    assert str(info.value) == "date out of range: 1400000000000000 days after 2024-01-01"


@pytest.mark.parametrize("call, message", [
    (lambda: f_add_days("9999-12-31", D(1)), "date out of range: 1 day after 9999-12-31"),
    (lambda: f_add_days("2200-12-31", D(1)), "date out of range: 2201-01-01 (years 1900–2200 are accepted)"),
    (lambda: f_date(D(1800), D(1), D(1)), "date out of range: 1800-01-01 (years 1900–2200 are accepted)"),
])
def test_date_functions_raise_the_engines_error(call, message):
    with pytest.raises(EvaluationError) as info:
        call()
    assert str(info.value) == message


DATES = """
values:
  due:
    expr: add_days(date(contract.year, 12, 31), contract.budget.total)
  third:
    expr: 1 / 3
  label:
    expr: tabel[contract.unit.eselon]
  known:
    expr: contract.unit.eselon in tabel
parameters:
  tabel: {value: {1: satu, 3: tiga}, cite: Fixture, status: confirmed}
outputs: [due, third, label, known]
"""


def test_a_date_out_of_range_is_a_value_error_not_a_crash(make_policy):
    result = make_policy(DATES).evaluate(contract(budget={"total": 10 ** 9}))
    assert result.values["due"] is None
    assert result.errors == ["value 'due' could not be computed: date out of range: 1000000000 days after 2024-12-31"]


def test_evaluation_has_its_own_decimal_precision(make_policy):
    policy = make_policy(DATES)
    with decimal.localcontext(decimal.Context(prec=5)):
        third = policy.evaluate(contract()).values["third"]
    assert third == D("0.3333333333333333333333333333")


def test_a_table_keyed_by_numbers_is_found_by_a_number(make_policy):
    values = make_policy(DATES).evaluate(contract()).values
    assert (values["label"], values["known"]) == ("tiga", True)


def test_a_number_literal_in_an_expression_has_the_same_limits(make_policy):
    with pytest.raises(KinerjaError) as info:
        make_policy("values:\n  big:\n    expr: 1234567890123456789 + 1\n")
    assert "number too large: at most 18 digits before the decimal point" in str(info.value)
