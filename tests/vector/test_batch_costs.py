"""What evaluate_many leaves out on large contracts, with every outcome still `policy.evaluate`'s: the
reference date of Python data normalises only the fields it reads (compile.reference_fields); an
optional object a record lacks does not make its required fields missing for the column check."""
from __future__ import annotations

import copy
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import engine
from engine.lang.parser import parse
from engine.policy.compile import reference_fields
from engine.record import normalise
from engine.synthetic import generate
from tests.vector.test_evaluate_many import assert_same

np = pytest.importorskip("numpy")

from engine.vector import run, tables  # noqa: E402


@pytest.mark.parametrize("text, fields", [
    ("date(contract.year, tanggal_acuan.month, tanggal_acuan.day)", {"year"}),
    ("date(contract.year, 1, 1)", {"year"}),
    ("if contract.year > 2020 then date(contract.year, 1, 1) else date(contract.before.year, 1, 1)", {"year", "before"}),
    ("date(2024, 1, 1)", set()),
    ("date(f(contract), 1, 1)", None),                 # the record itself: the whole record is read
    ("date(contract[k].year, 1, 1)", None),
    ("let c = contract in date(c.year, 1, 1)", None),
    ("date(max(x.year for x in contract.iku), 1, 1)", {"iku"}),
])
def test_the_reference_reads_these_top_level_fields(text, fields):
    got = reference_fields(parse(text), "contract")
    assert got == (None if fields is None else frozenset(fields))


def test_the_bundled_policies_keep_their_reference_fields():
    assert engine.load_policy("kmk_467_2014").reference_fields == {"year"}
    assert engine.load_policy("kmk_300_2022_addendum").reference_fields == {"before"}


_leaf = st.one_of(st.none(), st.booleans(), st.integers(1990, 2100), st.floats(1990, 2100), st.text(max_size=4),
                  st.decimals(1990, 2100, places=1), st.sampled_from([D("NaN"), 2024.5, "2024", D("2024.0")]))
_data = st.dictionaries(st.one_of(st.sampled_from(["year", "unit", "iku"]), st.integers(0, 3), st.floats(0, 3)),
                        st.one_of(_leaf, st.lists(_leaf, max_size=2), st.dictionaries(st.sampled_from(["year"]), _leaf)),
                        max_size=5)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_data)
def test_the_reference_date_of_python_data_is_the_one_of_the_whole_record(data):
    policy = engine.load_policy("kmk_467_2014")
    part = run._dating(policy, data)
    assert policy.reference_date(part) == policy.reference_date(normalise(data))
    whole = normalise(data)
    assert repr(part) == repr({k: v for k, v in whole.items() if k in policy.reference_fields})


def test_without_known_fields_the_whole_record_is_normalised(monkeypatch):
    policy = engine.load_policy("kmk_467_2014")
    data = {"year": 2024.0, "unit": {"eselon": 1}}
    monkeypatch.setattr(policy, "reference_fields", None)
    assert run._dating(policy, data) == {"year": D("2024.0"), "unit": {"eselon": D(1)}}


def _contracts(n: int) -> list[dict]:
    return list(generate(units=n, seed=41))


def test_an_absent_optional_object_is_no_missing_required_field():
    policy = engine.load_policy("kmk_467_2014")
    records = _contracts(6)
    without = copy.deepcopy(records[1])
    del without["strategy_map"]                      # optional: valid without it
    lacking = copy.deepcopy(records[2])
    del lacking["strategy_map"]["objectives"]        # present without a required field: invalid
    batch = [normalise(r) for r in (records[0], without, lacking)]
    _, bad = tables.from_dicts(batch, run._shape(policy), policy.spec.subject_schema)
    assert bad.tolist() == [False, False, True]
    with pytest.raises(engine.KinerjaError):
        policy.evaluate(copy.deepcopy(lacking))
    policy.evaluate(copy.deepcopy(without))
    outcome = assert_same(policy, [records[0], without, lacking, records[3]])
    assert outcome.reasons.get("invalid or unchecked data") == 1
