"""`engine.compare.statistics`: decimal places read from a number's text, and adding deltas at once."""
from decimal import Decimal

import pytest

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
