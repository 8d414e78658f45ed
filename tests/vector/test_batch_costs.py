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
from tests.vector.test_compare_batch import NO_COLUMN_FORM
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


@pytest.fixture
def small_probe(monkeypatch):
    """A probe of 4 records, for batches of more than 16 records of at least 8 values."""
    from engine.vector import probe
    monkeypatch.setattr(run, "PROBE", 4)
    monkeypatch.setattr(probe, "LARGE", 8)
    made = []
    real = run.from_dicts
    monkeypatch.setattr(run, "from_dicts", lambda datas, *a, **k: made.append(len(datas)) or real(datas, *a, **k))
    return made


def test_spans_put_a_probe_first_then_chunks_of_equal_size(monkeypatch):
    monkeypatch.setattr(run, "CHUNK", 10)
    assert run._spans(24, False) == [(0, 8), (8, 16), (16, 24)]
    monkeypatch.setattr(run, "PROBE", 4)
    assert run._spans(24, True) == [(0, 4), (4, 14), (14, 24)]
    assert run._spans(0, False) == [(0, 0)]


def test_large_counts_a_records_values_up_to_large():
    from engine.vector import probe
    assert probe.large({"a": [{"b": i} for i in range(probe.LARGE)]})
    assert not probe.large({"a": [{"b": i} for i in range(probe.LARGE - 1)]})
    assert probe.large(engine.Record({"a": list(range(probe.LARGE))}, "<data>"))
    assert not probe.large(None)


def test_a_probe_the_columns_hardly_decide_sends_the_rest_per_record(small_probe):
    # kmk_300_2022 compares data numbers with equal ones: the float pass decides none of the probe
    policy = engine.load_policy("kmk_300_2022")
    records = _contracts(24)
    outcome = assert_same(policy, records)
    assert small_probe == [4]                  # tables for the probe only
    assert outcome.columns == 0 and outcome.reasons == {"near an edge or missing": 4,
                                                       "few from the columns in the first chunk": 20}
    assert "few from the columns in the first chunk 20" in outcome.summary()
    assert outcome.vectorised and "nko" in outcome.vectorised


def test_a_probe_without_a_column_form_sends_the_rest_per_record(small_probe, make_policy):
    from tests.conftest import contract
    policy = make_policy(NO_COLUMN_FORM)
    one = contract()["iku"][0]
    records = [contract(iku=[{**one, "code": f"K{k}"} for k in range(1 + n % 3)]) for n in range(20)]
    outcome = assert_same(policy, records)
    assert small_probe == [4]
    assert outcome.reasons == {"no column form": 20} and "per_polaritas" in outcome.per_record
    assert "jumlah" in outcome.vectorised and "per_polaritas" not in outcome.vectorised


def test_a_probe_the_columns_decide_leaves_the_rest_to_the_columns(small_probe, make_policy):
    from tests.conftest import contract
    policy = make_policy("""
values:
  jumlah:
    expr: count(contract.iku)
outputs: [jumlah]
""")
    one = contract()["iku"][0]
    records = [contract(iku=[{**one, "code": f"K{k}"} for k in range(1 + n % 3)]) for n in range(20)]
    outcome = assert_same(policy, records)
    assert small_probe == [4, 16] and outcome.columns == 20 and outcome.reasons == {}


def test_small_records_and_small_batches_are_not_probed(monkeypatch):
    from tests.vector.test_evaluate_many import FIXTURES, contract, iku
    made = []
    real = run.from_dicts
    monkeypatch.setattr(run, "from_dicts", lambda datas, *a, **k: made.append(len(datas)) or real(datas, *a, **k))
    policy = engine.Registry(path=[FIXTURES]).load("vector_nko")
    records = [contract(n, [iku("A", "S1", "customer", "100", f"{70 + n % 30}", "100")]) for n in range(300)]
    assert_same(policy, records)
    big = engine.load_policy("kmk_300_2022")
    assert_same(big, _contracts(5))
    assert made == [300, 5]


def test_the_identity_of_a_size_in_use_stays_that_array():
    # the row index of a table in use must stay `identity(n)` however many other sizes come and go
    from engine.vector.vectors import identity
    mine = identity(5)
    for k in range(1000, 1200):
        identity(k)
        assert identity(5) is mine
    assert identity(5).tolist() == [0, 1, 2, 3, 4] and not mine.flags.writeable
