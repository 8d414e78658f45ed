"""Plain data handed to `policy.evaluate`: numbers written as text read where the schema says number,
exactly; a `kind` field that names no data schema is ordinary data."""
from decimal import Decimal

import pytest

import engine
from engine.errors import DataError
from tests.conftest import contract

D = Decimal


def _iku(target, **extra):
    return {"code": "1a-N", "name": "x", "objective": "S1", "polarity": "maximize",
            "periods": [{"period": "Q1", "target": target, "realization": "95.5"}], **extra}


def test_decimal_text_where_the_schema_says_number_is_read_exactly():
    policy = engine.load_policy("kmk_300_2022")
    as_text = contract(iku=[_iku(D(100), weight="100")])
    as_numbers = contract(iku=[_iku(D(100), weight=D(100))])
    as_numbers["iku"][0]["periods"][0]["realization"] = D("95.5")
    assert policy.evaluate(as_text).values == policy.evaluate(as_numbers).values


def test_text_where_the_schema_allows_text_stays_text():
    """`periods[].target` is a number or a qualitative text: "100" there stays the text "100"."""
    policy = engine.load_policy("kmk_300_2022")
    data = contract(iku=[_iku("100")])
    record = policy._prepare(data, None)[0]
    assert record.data["iku"][0]["periods"][0]["target"] == "100"
    assert record.data["iku"][0]["periods"][0]["realization"] == D("95.5")


def test_text_that_is_not_a_decimal_is_reported_by_the_schema_check():
    policy = engine.load_policy("kmk_300_2022")
    with pytest.raises(DataError, match=r"iku\[0\]\.weight: expected number, got '12,5'"):
        policy.evaluate(contract(iku=[_iku(D(100), weight="12,5")]))


def test_a_kind_that_names_no_data_schema_is_ordinary_data():
    """`kind` is not reserved: a record whose own `kind` field names no data schema is judged by the
    schema like any other field (here: organization_contract's `kind` must be its own name)."""
    policy = engine.load_policy("kmk_300_2022")
    data = contract(iku=[_iku(D(100))])
    data["kind"] = "ordinary"
    with pytest.raises(DataError) as caught:
        policy.evaluate(data)
    assert "this is 'ordinary' data" not in str(caught.value)
    assert str(caught.value).startswith("<data>: kind: ")


def test_a_kind_that_names_another_data_schema_gets_one_sentence():
    policy = engine.load_policy("kmk_300_2022")
    data = contract(iku=[_iku(D(100))])
    data["kind"] = "pk_addendum"
    with pytest.raises(DataError, match="this is 'pk_addendum' data, but the policy judges 'organization_contract' data"):
        policy.evaluate(data)
