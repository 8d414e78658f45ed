"""engine/json_source.py's fast path: numbers short enough to be within the limits skip the checks,
and null fields are dropped, with the same results and errors as when every number is checked."""
from decimal import Decimal

import pytest

from engine.errors import SourceError
from engine.json_source import load_json
from engine.limits import SHORT_NUMBER
from engine.limits import number_problem


@pytest.mark.parametrize("text", ["123456789012345678", "-12345678901234567", "99999999999999999.9",
                                  "0.0000000000000001", "1234567890123456789", "12345678901234567890.5",
                                  "1e17", "1E18", "1.5e-29", "0.00000000000000000000000000001"])
def test_every_number_gets_the_verdict_of_the_full_check(text):
    problem = number_problem(Decimal(text))
    if problem is None:
        assert load_json(f'{{"x": {text}}}', "f.json") == {"x": Decimal(text)}
    else:
        with pytest.raises(SourceError, match="number") as e:
            load_json(f'{{"x": {text}}}', "f.json")
        assert e.value.location.column == 7


def test_a_number_within_the_limits_by_its_length_alone():
    assert SHORT_NUMBER == 19   # 18 characters: at most 18 digits, within engine/limits.py's limits
    assert load_json('{"x": 123456789012345678}', "f.json") == {"x": Decimal("123456789012345678")}


def test_null_fields_are_dropped_and_nulls_in_text_are_text():
    assert load_json('{"a": null, "b": {"c": null, "d": [null, 1]}}', "f.json") == {"b": {"d": [None, Decimal(1)]}}
    assert load_json('{"a": "null", "b": 2}', "f.json") == {"a": "null", "b": Decimal(2)}


def test_a_duplicate_key_is_rejected_with_or_without_nulls():
    for text in ('{"a": 1, "a": 2}', '{"a": null, "b": {"c": 1, "c": null}}'):
        with pytest.raises(SourceError, match="duplicate key"):
            load_json(text, "f.json")
