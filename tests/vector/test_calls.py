"""interpolate, text ordering, conditions compared, coalesce of lists and conditions, and rules of a
nested for_each on the batch path (engine/vector/interpolate.py, ordering.py, calls.coalesce,
plan._rule): every record's outcome is the one `policy.evaluate` gives, at the scale's knots,
between and outside them, at Decimal midpoints, for texts that sort around each other, missing
fields and absent lists, random records (hypothesis), Parquet rows; and on the generated corpus the
values and rules of kmk_300_2022 and kmk_467_2014 that use them agree in every pass (parts.py). The
test policy is tests/fixtures/vector/vector_calls."""
from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import engine
from engine.synthetic import generate
from tests.conftest import ROOT
from tests.vector.parts import compare_parts
from tests.vector.corpus import period
from tests.vector.test_evaluate_many import assert_same

pytest.importorskip("numpy")

FIXTURES = ROOT / "tests" / "fixtures" / "vector"


@pytest.fixture(scope="module")
def policy():
    return engine.Registry(path=[FIXTURES]).load("vector_calls")


def contract(name, periods, **extra):
    return {"id": name, "iku": [{"code": "K1", "periods": periods}], **extra}


ORDINARY = {"id": "A", "skp": True, "tags": ["z", "a", "m"], "reports": [{"iku": "K1", "period": "Q1", "action": "x"}],
            "iku": [{"code": "K1", "periods": [period("Q1", "100", "95"), period("Q2", "50", "40"), period("Q3", "50")]},
                    {"code": "K2", "periods": [period("Q1", "4.5", "4.2")]}]}


def test_the_columns_decide_every_construct(policy):
    batch = assert_same(policy, [ORDINARY, contract("B", [period("Q1", "100", "91")], skp=False)])
    assert batch.per_record == {} and batch.columns == 2
    v = batch[0].values
    assert v["skala_periode"] == {"K1 Q1": D("110.00"), "K1 Q2": D("88.89"), "K1 Q3": None, "K2 Q1": D("106.67")}
    assert str(v["skala_aneh_periode"]["K1 Q1"]) == "3.500" and str(v["skala_aneh_periode"]["K2 Q1"]) == "5.000"
    assert v["berikut"] == {"K1": "Q3", "K2": None} and v["sampai_q2"] == {"K1": 2, "K2": 1}
    assert (v["tag_akhir"], v["tag_terkecil"], v["skp_ada"], v["tanda"]) == ("z", "a", True, True)
    assert [x.rule for x in batch[0].violations] == ["scale-reached", "report-present", "report-present"]
    assert batch[0].violations[1].message == "IKU K1 Q2: realisation 40 below 50 without a report"
    assert batch[0].violations[1].path == "iku[0].periods[1]"
    assert [x.rule for x in batch[1].violations] == ["scale-reached", "skp", "report-present"] and batch[1].values["tanda"] is False


SCALE = [  # realisation of a target of 100: interpolate(x, [[0, 0], [90, 100], [100, 120]]), then round 2
    "0", "-0", "-5", "45", "90", "90.0025", "90.0024999", "95", "99.99", "100", "100.00", "150", "0.000001",
    "89.99999999999999999999", "90.00000000000000000001", "1E+2", "33.333333333333333333333333",
]


@pytest.mark.parametrize("realisation", SCALE)
def test_interpolation_at_knots_between_and_outside(policy, realisation):
    odd = D(realisation) / 4      # through skala_aneh, whose points are not ascending
    record = contract("S", [period("Q1", "100", realisation), period("Q2", "4", odd), period("Q3", "-100", realisation)])
    assert_same(policy, [ORDINARY, record])
    assert_same(policy, [record])


def test_knots_and_midpoints_from_parquet_are_decided_by_the_exact_passes(policy, tmp_path):
    pytest.importorskip("pyarrow")
    from engine.vector.columnar import read_parquet, write_parquet
    from tests.vector.test_evaluate_many import outcome, per_record
    from engine.record import read_records
    records = [contract(f"P{n}", [period("Q1", "100", x), period("Q2", "4", D(x) / 4)], skp=True,
                        reports=[{"iku": "K1", "period": "Q2", "action": "a"}]) for n, x in enumerate(SCALE[:13])]
    path = tmp_path / "knots.parquet"
    write_parquet(records, path)
    got = policy.evaluate_many(read_parquet(path))
    assert [outcome(x) for x in got] == [outcome(x) for x in per_record(policy, list(read_records(path)))]
    assert got.columns == len(records) and sum(got.passes.values()) >= 4


def test_interpolation_through_an_unsorted_scale(policy):
    records = [contract(f"U{x}", [period("Q1", "1", x)])
               for x in ["10", "9.999", "10.5", "20.5", "20.4999", "17", "15", "30", "35", "12.1234567"]]
    batch = assert_same(policy, records)
    got = [str(r.values["skala_aneh_periode"]["K1 Q1"]) for r in batch]
    assert got == ["5.000", "5.000", "6.726", "1.250", "1.250", "3.167", "4.262", "3.500", "3.500", "5.837"]


def test_a_midpoint_rounds_half_up_as_per_record(policy):
    batch = assert_same(policy, [contract("M", [period("Q1", "100", "90.0025"), period("Q2", "100", "90.0075")])])
    assert batch[0].values["skala_periode"] == {"K1 Q1": D("100.01"), "K1 Q2": D("100.02")}


@pytest.mark.parametrize("record", [
    contract("no-realisation", [period("Q1", "1"), period("Q2", "1")]),
    contract("empty", []),
    {"id": "absent", "iku": [{"code": "K1"}]},
    {"id": "no-iku", "iku": [], "tags": [], "reports": []},
    contract("texts", [period("Q10", "1", "1"), period("Q2", "1"), period("Q1", "1", "1"), period("q1", "1")]),
    contract("unicode", [period("Ä", "1", "1"), period("Z", "1"), period("é", "1"), period("a", "1")],
             tags=["é", "e", "Z", "ma", "m", "M"]),
    contract("same", [period("Q1", "1", "1"), period("Q1", "1")], tags=["m", "m"]),
    contract("prefix", [period("Q", "1", "1"), period("Q ", "1"), period("Q1", "1")], tags=["a", "ab", "a b"]),
    contract("late-last", [period("Q4", "1", "1"), period("Q1", "1")]),
    contract("flags", [], skp=False, flag=False),
    contract("flag-only", [], flag=True),
    contract("reports", [period("Q1", "2", "1")], reports=[{"iku": "K1", "period": "Q1"}, {"iku": "K2", "period": "Q1"}]),
    contract("null-report", [period("Q1", "2", "1")], reports=[None, {"iku": "K1", "period": "Q1", "action": "a"}]),
    contract("zero-target", [period("Q1", "0", "1"), period("Q2", "0", "0")]),
    contract("bad", [{"period": "Q1"}]),
])
def test_edge_records_agree_with_the_exact_path(policy, record):
    assert_same(policy, [ORDINARY, record])
    assert_same(policy, [record])


_number = st.one_of(st.none(), st.decimals(min_value=-50, max_value=150, places=3, allow_nan=False),
                    st.sampled_from([D("0"), D("-0"), D("90"), D("100"), D("90.0025"), D("10"), D("20.5")]))
_text = st.sampled_from(["Q1", "Q2", "Q10", "q1", "Ä", "é", "Q", "Q "])
_period = st.builds(lambda name, t, r: {k: v for k, v in {"period": name, "target": t, "realization": r}.items()
                                        if v is not None},
                    _text, st.sampled_from([D(100), D(50), D("4.5"), D(1), D(0)]), _number)
_iku = st.builds(lambda code, periods: {"code": code, **({} if periods is None else {"periods": periods})},
                 st.sampled_from(["K1", "K2"]), st.one_of(st.none(), st.lists(_period, max_size=4)))
_report = st.builds(lambda i, p, a: {"iku": i, "period": p, **({} if a is None else {"action": a})},
                    st.sampled_from(["K1", "K2"]), _text, st.one_of(st.none(), st.just("a")))


def _optional(name, strategy):
    return st.one_of(st.just({}), strategy.map(lambda x: {name: x}))


_record = st.builds(lambda n, ikus, *extras: {"id": f"R{n}", "iku": ikus, **{k: v for e in extras for k, v in e.items()}},
                    st.integers(0, 99), st.lists(_iku, max_size=3), _optional("skp", st.booleans()),
                    _optional("flag", st.booleans()), _optional("tags", st.lists(_text, max_size=3)),
                    _optional("reports", st.lists(_report, max_size=3)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(_record, min_size=1, max_size=8))
def test_random_records_agree_with_the_exact_path(policy, records):
    assert_same(policy, records)


def test_parquet_rows_agree_with_the_per_record_path(policy, tmp_path):
    pytest.importorskip("pyarrow")
    from engine.record import read_records
    from engine.vector.columnar import read_parquet, write_parquet
    from tests.vector.test_evaluate_many import outcome, per_record
    records = [ORDINARY, contract("M", [period("Q1", "100", "90.0025"), period("Q10", "100", "150")], tags=["b", "n"]),
               contract("F", [period("Q2", "4", "2.5"), period("Q1", "4")], skp=False,
                        reports=[{"iku": "K1", "period": "Q2"}]),
               {"id": "E", "iku": []}]
    path = tmp_path / "calls.parquet"
    write_parquet(records, path)
    expected = [r if isinstance(r, engine.KinerjaError) else per_record(policy, [r])[0] for r in read_records(path)]
    got = policy.evaluate_many(read_parquet(path))
    assert [outcome(x) for x in got] == [outcome(x) for x in expected]
    assert got.columns == len(records) and got.per_record == {}


@pytest.fixture(scope="module")
def corpus():
    return list(generate(units=8, years=(2023, 2025), gaps=True))


def test_kmk_300_values_and_rules_agree_on_the_generated_corpus(corpus):
    target = engine.load_policy("kmk_300_2022")
    records = [r for r in corpus if r.get("kind") == target.subject]
    decided = compare_parts(target, records, ["capaian_periode"],
                            ["cascade-accompanied", "initiative-complete", "iiaa-report-present"])
    assert decided["decimal"] == len(records) and decided["scaled"] == len(records)
    batch = target.evaluate_many(records)
    assert {"capaian_periode", "periode_berikut", "rule cascade-accompanied", "rule initiative-complete",
            "rule iiaa-report-present"} <= set(batch.vectorised)


def test_kmk_467_values_and_rules_agree_on_the_generated_corpus(corpus):
    target = engine.load_policy("kmk_467_2014")
    records = [r for r in corpus if r.get("kind") == target.subject]
    rules = ["kk-ss-measured", "kk-iku-per-ss", "kk-ss-not-activity-only", "kk-initiatives", "kk-commitment"]
    decided = compare_parts(target, records, ["capaian_periode", "penilaian_perilaku"][:1], rules)
    assert decided["decimal"] == len(records) and decided["float"] > len(records) // 2
    batch = target.evaluate_many(records)
    assert {"penilaian_perilaku", *(f"rule {r}" for r in rules)} <= set(batch.vectorised)
