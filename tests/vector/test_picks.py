"""`first`/`last` and nested for_each values on the batch path (engine/vector/picks.py, plan._nested):
every record's outcome is the one `policy.evaluate` gives, for items, numbers, text and conditions
picked with and without `where`, empty and absent lists, missing fields, null elements, and random
records (hypothesis). The test policy is tests/fixtures/vector/vector_picks."""
from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import engine
from engine.synthetic import generate
from tests.conftest import ROOT
from tests.vector.corpus import period
from tests.vector.test_evaluate_many import assert_same

pytest.importorskip("numpy")

FIXTURES = ROOT / "tests" / "fixtures" / "vector"


@pytest.fixture(scope="module")
def policy():
    return engine.Registry(path=[FIXTURES]).load("vector_picks")


ORDINARY = {"id": "A", "tags": ["x", "b"], "iku": [
    {"code": "K1", "periods": [period("Q1", "40", "30", note="a"), period("Q2", "60", "61.25", final=True),
                               period("Q3", "70")]},
    {"code": "K2", "periods": []},
    {"code": "K3"}]}


def test_picks_and_a_nested_for_each_come_from_the_columns(policy):
    only_k1 = {"id": "C", "iku": ORDINARY["iku"][:1]}
    batch = assert_same(policy, [ORDINARY, {"id": "B", "iku": []}, only_k1])
    # A's K2 sums nothing: the Decimal 0 without places (other digits than the float pass's 0.00) is
    # computed again with the Decimals themselves (digits.py)
    assert batch.per_record == {} and batch.columns == 3 and batch.reasons == {}
    v = batch[0].values
    assert v["periode_terakhir"] == {"K1": "Q2", "K2": None, "K3": None}
    assert str(v["realisasi_terakhir"]["K1"]) == "61.25" and v["belum"]["K1"] == "Q3"
    assert str(v["target_pertama"]["K1"]) == "40.00" and str(v["target_besar_pertama"]["K1"]) == "60.0"
    assert v["catatan_terakhir"] == {"K1": "a", "K2": None, "K3": None}
    assert v["final_pertama"]["K1"] is True and v["iku_terakhir"] == "K3"
    assert v["iku_pertama_berperiode"] == "K1" and v["tag_pertama"] == "b"
    assert v["tag_awal"] == "x" and v["iku_akhir"] == "K3"
    assert list(v["capaian_periode"]) == ["K1 Q1", "K1 Q2", "K1 Q3"]
    assert [str(x) for x in v["capaian_periode"].values() if x is not None] == ["75.00", "102.08"]
    assert str(v["capaian_jumlah"]["K1"]) == "177.08" and v["capaian_jumlah"]["K3"] is None
    assert batch[1].values["capaian_periode"] == {} and batch[1].values["iku_terakhir"] is None


@pytest.mark.parametrize("record", [
    {"id": "empty", "iku": [{"code": "K", "periods": []}]},
    {"id": "absent", "iku": [{"code": "K"}], "tags": []},
    {"id": "no-realisation", "iku": [{"code": "K", "periods": [period("Q1", "60"), period("Q2", "10")]}]},
    {"id": "all-realised", "iku": [{"code": "K", "periods": [period("Q1", "60", "1", final=False)]}]},
    {"id": "null-period", "iku": [{"code": "K", "periods": [None, period("Q2", "10", "5")]}]},
    {"id": "null-tag", "iku": [], "tags": [None, "y"]},
    {"id": "null-field", "iku": [{"code": "K", "periods": [{"period": "Q1", "target": D(5), "note": None}]}]},
    {"id": "zero-target", "iku": [{"code": "K", "periods": [period("Q1", "0", "5"), period("Q2", "0", "0")]}]},
    {"id": "same-labels", "iku": [{"code": "K", "periods": [period("Q1", "2", "1"), period("Q1", "4", "1")]},
                                  {"code": "K", "periods": [period("Q1", "8", "1")]}]},
    {"id": "bad", "iku": [{"code": "K", "periods": [{"period": "Q1"}]}]},
])
def test_edge_records_agree_with_the_exact_path(policy, record):
    assert_same(policy, [ORDINARY, record])
    assert_same(policy, [record])


def test_a_batch_without_any_period_agrees(policy):
    batch = assert_same(policy, [{"id": "A", "iku": [{"code": "K"}, {"code": "L", "periods": []}]}])
    assert batch[0].values["periode_terakhir"] == {"K": None, "L": None}


_number = st.one_of(st.none(), st.decimals(min_value=-200, max_value=200, places=2, allow_nan=False),
                    st.sampled_from([D("0"), D("-0"), D("50"), D("1.005"), D("50.05")]))
_period = st.builds(lambda name, t, r, note, final: {k: v for k, v in {"period": name, "target": t if t is not None else D(1),
                                                                         "realization": r, "note": note, "final": final}.items()
                                                     if v is not None},
                    st.sampled_from(["Q1", "Q2", "Q3", "Q4"]), _number, _number,
                    st.one_of(st.none(), st.sampled_from(["a", "b", ""])), st.one_of(st.none(), st.booleans()))
_iku = st.builds(lambda code, periods: {"code": code, **({} if periods is None else {"periods": periods})},
                 st.sampled_from(["K1", "K2", "K3"]), st.one_of(st.none(), st.lists(_period, max_size=4)))
_record = st.builds(lambda n, ikus, tags: {"id": f"R{n}", "iku": ikus, **({} if tags is None else {"tags": tags})},
                    st.integers(0, 99), st.lists(_iku, max_size=3),
                    st.one_of(st.none(), st.lists(st.sampled_from(["x", "y", "z"]), max_size=3)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(_record, min_size=1, max_size=10))
def test_random_records_agree_with_the_exact_path(policy, records):
    assert_same(policy, records)


def test_kmk_300_no_longer_runs_first_last_or_nested_values_per_record_for_those_reasons():
    target = engine.load_policy("kmk_300_2022")
    corpus = generate(units=4, years=(2024, 2024), gaps=True)
    records = [r for r in corpus if r.get("kind") == target.subject]
    batch = assert_same(target, records)
    assert "periode_realisasi_terakhir" in batch.vectorised
    values = {k: v for k, v in batch.per_record.items() if not k.startswith("rule ")}   # rules: not yet
    assert not set(values.values()) & {"a nested for_each", "aggregate last", "aggregate first"}
    assert {"capaian_periode", "periode_berikut"} <= set(batch.vectorised)      # interpolate, text order: calls


def test_parquet_rows_agree_with_the_per_record_path(policy, tmp_path):
    pytest.importorskip("pyarrow")
    from engine.record import read_records
    from engine.vector.columnar import read_parquet, write_parquet
    from tests.vector.test_evaluate_many import outcome, per_record
    records = [ORDINARY, {"id": "B", "iku": []}, {"id": "C", "iku": [{"code": "K", "periods": [
        period("Q1", "10", "3.335"), period("Q2", "20.5", "20.5", note="n", final=False)]}], "tags": ["z"]}]
    path = tmp_path / "picks.parquet"
    write_parquet(records, path)
    expected = [r if isinstance(r, engine.KinerjaError) else per_record(policy, [r])[0] for r in read_records(path)]
    got = policy.evaluate_many(read_parquet(path))
    assert [outcome(x) for x in got] == [outcome(x) for x in expected]
    assert got.columns >= 2 and got.per_record == {}
