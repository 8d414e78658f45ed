"""quarter(d), quarter_index(d) / quarter_index(year, quarter) and quarters_between(a, b): quarter
arithmetic across a year end, in both forms, missing in → missing out."""
import datetime as dt
from decimal import Decimal

import pytest

from tests.conftest import contract
from tests.lang.test_checker import one_error
from tests.lang.test_fast_safe_agreement import compiled, outcome

D = Decimal


def both_forms(text: str, d: dict):
    _, fast, safe = compiled(text)
    args = [{}, d, [], [], []]
    return outcome(fast, *args), outcome(safe, *args)


def same(value):
    return (("Decimal", value),) * 2


@pytest.mark.parametrize("day, quarter", [("2025-01-01", 1), ("2025-03-31", 1), ("2025-04-01", 2),
                                          ("2025-09-30", 3), ("2025-10-01", 4), ("2025-12-31", 4)])
def test_quarter_of_a_date(day, quarter):
    assert both_forms("quarter(d.day)", {"day": dt.date.fromisoformat(day)}) == same(D(quarter))
    assert both_forms(f'quarter("{day}")', {}) == same(D(quarter))


def test_quarter_index_from_a_date_and_from_year_and_quarter():
    assert both_forms('quarter_index("2025-08-15")', {}) == same(D(2025 * 4 + 2))
    assert both_forms("quarter_index(2025, 3)", {}) == same(D(8102))
    assert both_forms("quarter_index(2026, 1) - quarter_index(2025, 4)", {}) == same(D(1))


def test_a_penalty_from_q3_2025_runs_four_quarters_across_the_year_end():
    runs = "quarters_between(d.imposed, d.period) between 0 and 3"
    imposed = dt.date(2025, 8, 1)
    seen = {}
    for year, month in [(2025, 6), (2025, 7), (2025, 12), (2026, 1), (2026, 6), (2026, 7)]:
        fast, safe = both_forms(runs, {"imposed": imposed, "period": dt.date(year, month, 1)})
        assert fast == safe
        seen[(year, month)] = fast[1]
    assert seen == {(2025, 6): False, (2025, 7): True, (2025, 12): True, (2026, 1): True, (2026, 6): True,
                    (2026, 7): False}


def test_quarters_between_is_negative_backwards():
    assert both_forms('quarters_between("2026-02-01", "2025-07-01")', {}) == same(D(-2))


def test_missing_in_is_missing_out():
    missing = (("NoneType", None),) * 2
    assert both_forms("quarter(d.day)", {}) == missing
    assert both_forms('quarters_between(d.day, "2025-01-01")', {}) == missing
    assert both_forms("quarter_index(d.year, 2)", {}) == missing


def test_a_quarter_outside_1_to_4_is_an_error():
    assert both_forms("quarter_index(2025, 5)", {}) == ("error", "error")
    assert both_forms("quarter_index(2025, 1.5)", {}) == ("error", "error")


def test_quarter_functions_are_checked(make_policy):
    assert one_error(make_policy, "values:\n  x: {expr: 'quarter(1)'}\n")[2] == (
        "quarter() expects a date here, not a number")
    assert one_error(make_policy, "values:\n  x: {expr: 'quarters_between(\"2025-01-01\")'}\n")[2] == (
        "quarters_between() takes 2 argument(s), 1 given")


def test_quarter_of_a_data_date_in_a_policy(make_policy):
    policy = make_policy("values:\n  q: {expr: 'quarter(date(contract.year, 11, 5))'}\noutputs: [q]\n")
    assert policy.evaluate(contract()).values["q"] == D(4)
