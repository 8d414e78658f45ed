"""Fields named by a parameter list, for_each values read as lists, and constant arithmetic on the
batch path (engine/vector/named_fields.py's numbers, calls._per_item_values, decimals.folded):
every record's outcome is the one `policy.evaluate` gives, for scores present, missing, absent,
negative zero, with many digits, at rounding midpoints, for ratios at and around the calibration's
threshold, random records (hypothesis), Parquet rows; each pass decides them on its own (parts.py);
and on generated records kmk_127_2026_pegawai's npk_periode, npk and kalibrasi values agree in
every pass. The test policy is tests/fixtures/vector/vector_named."""
from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import engine
from engine.synthetic import generate
from tests.conftest import ROOT
from tests.vector.parts import compare_parts
from tests.vector.test_evaluate_many import assert_same, outcome, per_record

pytest.importorskip("numpy")
from engine.vector.decimals import folded  # noqa: E402
from engine.vector.vectors import Unsupported  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "vector"
VALUES = ["rata_periode", "jumlah_periode", "terbesar_periode", "rata_lain", "terakhir_lain", "per_nilai",
          "rata_tahunan", "jumlah_tahunan", "ekstrem_tahunan", "pertama_terakhir", "jumlah_per_nilai",
          "kalibrasi_rasio", "sepertiga", "sepertiga_bulat", "bagi_nol", "nol_negatif", "tetap", "tetap_per_nilai",
          "tetap_per_periode", "campur", "campur_kosong", "campur_ada",
          "mutu_periode", "faktor_periode"]


@pytest.fixture(scope="module")
def policy():
    return engine.Registry(path=[FIXTURES]).load("vector_named")


def scores(a=None, b=None, c=None, **extra):
    return {k: D(v) if k != "note" else v for k, v in dict(a=a, b=b, c=c, **extra).items() if v is not None}


def record(name, ratio=None, top=None, periods=None):
    out = {"id": name}
    if ratio is not None:
        out["ratio"] = D(ratio)
    if top is not None:
        out["scores"] = top
    if periods is not None:
        out["periods"] = [{"period": f"Q{i + 1}", **({} if s is None else {"scores": s})} for i, s in enumerate(periods)]
    return out


ORDINARY = record("A", "110", scores("99.5", "100", "101.25"), [scores("99", "101", "102.5"), scores("100", None, "98")])


def test_the_columns_decide_every_construct(policy):
    batch = assert_same(policy, [ORDINARY])
    assert batch.per_record == {} and batch.columns == 1
    assert set(VALUES) | {"rule rata-cukup"} <= set(batch.vectorised)
    v = batch[0].values
    assert v["rata_periode"] == {"Q1": D("100.8333333333333333333333333"), "Q2": D(99)}
    assert str(v["jumlah_periode"]["Q1"]) == "403.0" and str(v["terakhir_lain"]) == "99.5"
    assert str(v["rata_lain"]) == "100.0833333333333333333333333"      # c, a, a: x names no field
    assert str(v["kalibrasi_rasio"]) == "107.50" and str(v["tetap"]) == "20.10000000000000000000000000"
    assert str(v["sepertiga"]) == "733.3333333333333333333333334" and v["bagi_nol"] is None
    assert str(v["nol_negatif"]) == "110.00" and str(v["tetap_per_nilai"]["b"]) == "2.00"
    assert str(v["tetap_per_periode"]["Q2"]) == "40" and str(v["campur"]) == "105.00"
    assert str(v["campur_kosong"]) == "9955.00" and v["mutu_periode"] == {"Q1": D("132.00"), "Q2": D(110)}
    assert repr(v["faktor_periode"]) == "{'Q1': Decimal('132.00'), 'Q2': Decimal('121.0')}"


EDGES = [
    record("no-scores", "100", None, [None, scores()]),
    record("no-periods", "120"),
    record("empty", "99.99", scores(), []),
    record("one-field", "100.01", scores(b="7"), [scores(c="5"), scores(a="-0", b="0", c="0")]),
    record("zeros", "0", scores("-0", "0", "-0"), [scores("-0", "-0", "-0")]),
    record("negative-zero", "-0", scores("0.000", "0", "0.0"), [scores("0.0", "0", "-0.00")]),
    record("digits", "100.0000000000000000000000001", scores("33.33333333333333333333333333", "1", "1E+2"),
           [scores("0.1", "2", "0.2"), scores("1E+2", "100", "100.0")]),
    record("huge", "1E+20", scores("1E+25", "1", "-1E+25"), [scores("123456789012345678901234567", "1", "1")]),
    record("midpoints", "0.000075", scores("100.0075"), [scores("100.005", "100", "100.01")]),
    record("calibration-midpoint", "100.01"),
    record("over-the-top", "130", scores(note="x"), [scores("120", "121", "119.995", note="y")]),
    record("threshold", "100", scores("93.33333333333333333333333333", "94"), [scores("93.33333333333333333333333333")]),
    record("below", "-5", scores("-1", "-2", "-3"), [scores("50", "60", "70")]),
]


@pytest.mark.parametrize("rec", EDGES)
def test_edge_records_agree_with_the_exact_path(policy, rec):
    assert_same(policy, [ORDINARY, rec])
    batch = assert_same(policy, [rec])
    assert batch.per_record == {}


def test_every_pass_decides_the_edge_records_on_its_own(policy):
    records = [ORDINARY, *(r for r in EDGES if r["id"] != "huge")]   # huge: rounded beyond 2⁵², per record
    decided = compare_parts(policy, records, VALUES, ["rata-cukup"])
    assert decided == {"float": 1, "scaled": 3, "decimal": len(records)}


_number = st.one_of(st.none(), st.decimals(min_value=-50, max_value=150, places=4, allow_nan=False),
                    st.sampled_from([D("0"), D("-0"), D("100"), D("100.01"), D("120"), D("0.000075"), D("1E+2")]))
_scores = st.one_of(st.none(), st.builds(lambda a, b, c: scores(a, b, c), _number,
                                         st.one_of(st.none(), st.integers(-5, 130).map(D)), _number))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.builds(lambda n, ratio, top, periods: record(f"R{n}", ratio, top, periods), st.integers(0, 99),
                          _number, _scores, st.one_of(st.none(), st.lists(_scores, max_size=4))), min_size=1, max_size=6))
def test_random_records_agree_with_the_exact_path(policy, records):
    assert_same(policy, records)


def test_parquet_rows_agree_with_the_per_record_path(policy, tmp_path):
    pytest.importorskip("pyarrow")
    from engine.record import read_records
    from engine.vector.columnar import read_parquet, write_parquet
    records = [ORDINARY, record("digits", "100.01", scores("0.1", "2", "0.25"), [scores("100.005", "100", "100.01")]),
               record("absent", "99"), record("zero", "-0", scores("-0", "0"), [None, scores(b="3")])]
    path = tmp_path / "named.parquet"
    write_parquet(records, path)
    expected = [r if isinstance(r, engine.KinerjaError) else per_record(policy, [r])[0] for r in read_records(path)]
    got = policy.evaluate_many(read_parquet(path))
    assert [outcome(x) for x in got] == [outcome(x) for x in expected]
    assert got.per_record == {}


_PAIRS = [(D("1.0"), D("2.00")), (D(20), D(3)), (D(100), D("0.5")), (D(0), D(0)), (D(0), D(-3)), (D("-0"), D("-0")),
          (D(1), D(0)), (D(0), D("-0")), (D("1E+2"), D("0.25")), (D("33.33333333333333333333333333"), D(3)),
          (D("123456789012345678901234567"), D("0.1")), (None, D(1)), (D(1), None), (None, None)]


@pytest.mark.parametrize("a, b", _PAIRS)
def test_constants_fold_as_the_per_record_path_computes_them(a, b):
    from engine.lang import safe
    from engine.lang.runtime import decimal_context
    for op, fn in (("+", safe.s_add), ("-", safe.s_sub), ("*", safe.s_mul), ("/", safe.s_div)):
        with decimal_context():
            want = fn(a, b)
        assert repr(folded(op, a, b)) == repr(want), op


def test_constant_folding_keeps_digits_and_refuses_what_has_no_column():
    assert str(folded("+", D("1.0"), D("2.00"))) == "3.00" and str(folded("*", D(0), D(-3))) == "-0"
    assert str(folded("/", D(20), D(3))) == "6.666666666666666666666666667" and folded("/", D(0), D(0)) is None
    with pytest.raises(Unsupported):
        folded("*", D("9E+999999"), D(10))          # an overflow: the per-record path's error, not a column
    with pytest.raises(Unsupported):
        folded("+", "a", D(1))


def test_kmk_127_pegawai_values_agree_on_generated_records():
    target = engine.load_policy("kmk_127_2026_pegawai")
    records = [r for r in generate(units=12, years=(2026,), with_employee_scores=True)
               if r.get("kind") == "employee_score"]
    values = ["npk_periode", "npk_tepat", "npk_awal", "npk_kalibrasi", "nhk_kalibrasi", "nkp_awal", "nhk_awal"]
    decided = compare_parts(target, records, values, [])
    assert decided["decimal"] >= len(records) // 2 and decided["float"] >= len(records) // 3
    batch = target.evaluate_many(records)
    assert {"npk_periode", "npk_tepat", "nhk_kalibrasi_tepat", "npk_kalibrasi_tepat", "nkp_awal_tepat",
            "nkp_awal"} <= set(batch.vectorised)


def test_kmk_467_behaviour_values_agree_on_the_generated_corpus():
    """np_periode's `avg(b[a] for a in aspek_dinilai)`: an assessment's numbers named by a computed list."""
    target = engine.load_policy("kmk_467_2014")
    records = [r for r in generate(units=8, years=(2023, 2025), gaps=True) if r.get("kind") == target.subject]
    decided = compare_parts(target, records, ["np_periode", "np", "nkp"], [])
    assert decided["decimal"] == len(records) and decided["float"] > 0      # nkp reads the NKO: near its bound
    batch = assert_same(target, records)
    assert {"np_periode", "np", "nkp"} <= set(batch.vectorised) and batch.per_record == {}
