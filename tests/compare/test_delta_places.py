"""`engine.compare.statistics`: decimal places read from a number's text, and adding deltas at once."""
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.compare.statistics import DeltaStats, decimal_places


@pytest.mark.parametrize("text", ["0", "0.00", "-1.25", "120", "1E+3", "1.5E-7", "-0.000001", "12345678901234567.8",
                                  "1E-30", "NaN", "Infinity", "-Infinity", "100.000"])
def test_decimal_places_are_the_negated_exponent(text):
    exponent = Decimal(text).as_tuple().exponent
    assert decimal_places(Decimal(text)) == (-exponent if isinstance(exponent, int) and exponent < 0 else 0)


def test_adding_deltas_at_once_is_adding_them_one_by_one():
    deltas = [Decimal(x) for x in ("0.00", "1.5", "-2.25", "1.50", "0", "3.125", "-2.25")]
    one, batch = DeltaStats(False), DeltaStats(False)
    for d in deltas:
        one.add(d)
    batch.add_all(deltas)
    assert vars(one) == vars(batch)
    assert (batch.count, batch.changed, batch.lo, batch.hi, batch.places, batch.mean()) == \
        (7, 5, Decimal("-2.25"), Decimal("3.125"), 3, Decimal("0.23214"))


def _figures(s: DeltaStats) -> tuple:
    """Every figure as text, so that 1.5 and 1.50 (equal numbers) count as different."""
    return (s.count, s.changed, str(s.total), str(s.lo), str(s.hi), s.places, str(s.quantum), s.exact,
            [(str(k), n) for k, n in s.counts.items()])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["0", "0.00", "-0", "-0.0", "1.5", "1.50", "-2.25", "3.125", "1E+2",
                                          "100", "2.5E-3", "-7", "12345678901234567.8"]), max_size=8), max_size=6))
def test_adding_a_batch_at_once_keeps_the_figures_and_texts_of_adding_one_by_one(batches):
    """The fast path of `add_all` (sum, min, max and counts in C) against `_add_each`, batch by batch:
    the same sums in the same order, the first of equal minima, maxima and table keys kept."""
    fast, slow = DeltaStats(True), DeltaStats(True)
    for texts in batches:
        deltas = [Decimal(t) for t in texts]
        fast.add_all(deltas)
        slow._add_each(deltas)
    assert _figures(fast) == _figures(slow)


def test_a_batch_that_may_need_binning_is_added_one_by_one(monkeypatch):
    monkeypatch.setattr("engine.compare.statistics.MEDIAN_DISTINCT", 4)
    fast, slow = DeltaStats(False), DeltaStats(False)
    deltas = [Decimal(t) for t in ("0.11", "0.12", "0.13", "0.14", "0.21", "0.22", "0.31")]
    fast.add_all(deltas[:3])
    fast.add_all(deltas[3:])
    slow._add_each(deltas)
    assert _figures(fast) == _figures(slow) and fast.quantum is not None
