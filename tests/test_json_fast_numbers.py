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


def _number_texts():
    """Number texts around every limit: digits, places, magnitude, exponents, zeros, signs."""
    import random
    rng = random.Random(13)
    texts = ["0", "-0", "0.0", "0E+50", "0E-50", "0e-28", "0e-29", "1E+17", "1E+18", "9.99e17", "1e-28",
             "1e-29", "1.0e-27", "-0.000", "100.00", "5" * 28, "5" * 29, "0." + "1" * 28, "0." + "1" * 29,
             "1" + "0" * 17, "1" + "0" * 18, "12.50", "0.00001", "-7.25E2", "3E-2", "1" * 18 + ".5"]
    for _ in range(400):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 32)))
        point = rng.randint(0, len(digits))
        whole = digits[:point].lstrip("0") or "0"   # JSON writes no leading zeros
        text = rng.choice(["", "-"]) + whole + ("." + digits[point:] if digits[point:] else "")
        if rng.random() < 0.3:
            text += rng.choice(["e", "E"]) + rng.choice(["", "+", "-"]) + str(rng.randint(0, 40))
        texts.append(text)
    return texts


def test_numbers_read_in_c_are_exactly_the_checked_reader_s():
    """The C reader (a trapping decimal context) and the checked one (`number_problem` per number) give
    the same Decimal, to the exponent, or the same error, for numbers on both sides of every limit."""
    for text in _number_texts():
        problem = number_problem(Decimal(text))
        if problem is None:
            value = load_json(f'{{"x": [{text}]}}', "f.json")["x"][0]
            assert (value, value.as_tuple()) == (Decimal(text), Decimal(text).as_tuple()), text
        else:
            with pytest.raises(SourceError, match="number") as e:
                load_json(f'{{"x": [{text}]}}', "f.json")
            assert e.value.location.column == 8, text
