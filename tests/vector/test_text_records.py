"""Python records whose numbers are written as text (engine/vector/records_arrow.py): `evaluate_many`
reads them through pyarrow's converter and gives, record for record, what `policy.evaluate` gives
(it reads decimal text where the schema says number); texts it cannot read exactly, types JSON does
not give and keys a closed schema does not name go per record, or the batch through from_dicts."""
from __future__ import annotations

import copy
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import engine
from tests.conftest import ROOT
from tests.vector.corpus import contracts
from tests.vector.test_evaluate_many import assert_same

pytest.importorskip("numpy")
pa = pytest.importorskip("pyarrow")

from engine.vector.records_arrow import numbers_from_text  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "vector"
NUMBERS = ("target", "realization", "weight", "target_low", "target_high")


@pytest.fixture(scope="module")
def nko():
    return engine.Registry(path=[FIXTURES]).load("vector_nko")


@pytest.fixture(scope="module")
def digits():
    return engine.Registry(path=[FIXTURES]).load("vector_digits")


def as_text(record: dict) -> dict:
    """The record with every IKU number written as text (as a JSON feed of strings holds it)."""
    out = copy.deepcopy(record)
    for item in out.get("iku", []):
        for k in NUMBERS:
            if isinstance(item.get(k), D):
                item[k] = str(item[k])
    return out


def test_text_numbers_come_from_the_columns_as_evaluate_reads_them(nko):
    records = [as_text(r) for r in contracts(400)]
    batch = assert_same(nko, records)
    valid = sum(1 for r in records if r["level"] != "four")
    assert batch.columns + batch.exact == 400
    assert batch.columns >= valid - 40           # from the columns: all but those near an edge
    assert "invalid or unchecked data" not in batch.reasons or batch.reasons["invalid or unchecked data"] == 400 - valid


def test_digits_of_text_numbers_are_the_texts_own(nko, digits):
    """1.5 and 2.5 in a column of two places (2.25 elsewhere): a message quoting their sum and the
    unrounded outputs have the per-record digits (4.0, 1.5), not the column's (4.00, 1.50); a -0.00
    keeps its sign."""
    item = {"code": "A", "ss": "S1", "perspective": "customer", "polarity": "maximize", "target": "100",
            "realization": "90.5", "weight": "1.5"}
    records = [{"id": "K-1", "level": "three", "iku": [item, dict(item, code="B", weight="2.5", target="80.00")]},
               {"id": "K-2", "level": "three", "iku": [dict(item, weight="2.25"), dict(item, code="B", weight="60.0")]},
               {"id": "K-3", "level": "three", "iku": [dict(item, weight="-0.00"), dict(item, code="B", weight="0")]}]
    for policy in (nko, digits):
        assert_same(policy, records)
    assert [v.message for v in nko.evaluate_many(records)[0].violations if v.rule == "weight-sum"] == \
        ["weights sum to 4.0"]
    assert [str(v) for v in digits.evaluate_many(records)[2].values["bobot_pilih"].values()] == ["-0.00", "0"]
    zeros = [{"id": "K-4", "level": "three", "iku": [dict(item, weight="-0.00"), dict(item, code="B", weight="0.00")]}]
    batch = assert_same(digits, zeros)
    assert batch.columns == 1 and [str(v) for v in batch[0].values["bobot_pilih"].values()] == ["-0.00", "0.00"]


@pytest.mark.parametrize("text", ["1e3", "1E-2", " 5", "5 ", "١٢", "+2", ".5", "5.", "007", "-0", "-0.00",
                                  "1234567890123456789", "123456789012.345678", "abc", "", "NaN", "--1", "1.2.3"])
def test_every_text_is_read_as_evaluate_reads_it(nko, text):
    base = {"code": "A", "ss": "S1", "perspective": "customer", "polarity": "maximize", "target": "100",
            "realization": "95.25", "weight": "100"}
    records = [{"id": f"K-{k}", "level": "three", "iku": [dict(base, **{field: text})]}
               for k, field in enumerate(("realization", "target", "weight"))]
    records.append({"id": "K-ok", "level": "three", "iku": [base]})
    assert_same(nko, records)


def test_numbers_from_text_masks():
    numbers, unread, odd, negative = numbers_from_text(pa.array(["105.29", "-0.00", "3", None, "+2", ".5", "1e3"]))
    assert numbers.to_pylist() == [D("105.29"), D("0.00"), D("3.00"), None, D("2.00"), D("0.50"), None]
    assert unread.tolist() == [False, False, False, False, False, False, True]
    assert odd.tolist() == [False, False, True, False, True, True, False]
    assert negative.tolist() == [False, True, False, False, False, False, False]
    numbers, unread, _, _ = numbers_from_text(pa.array(["1.5", " 2", "x"]))      # the cast fails: plain only
    assert numbers.to_pylist() == [D("1.5"), None, None] and unread.tolist() == [False, True, True]


@pytest.mark.parametrize("change", [
    lambda r: r["iku"][0].__setitem__("code", b"A"),                        # bytes: not text per record
    lambda r: r["iku"].__setitem__(0, list(r["iku"][0].items())),           # pairs, not an object
    lambda r: r["iku"][0].__setitem__("unknown", "x"),                      # a key the schema does not name
    lambda r: r.__setitem__("unknown", "x"),
    lambda r: r["iku"][0].__setitem__("target_low", None),                  # a null: dropped per record
    lambda r: r["iku"][0].__setitem__("weight", D("100")),                  # a Decimal beside text
    lambda r: r["iku"][0].__setitem__("weight", 100),
    lambda r: r["iku"][0].__setitem__("polarity", True),
    lambda r: r.__setitem__("kind", "vector_contract"),
    lambda r: r.__setitem__("kind", "other"),
])
def test_what_pyarrow_would_take_but_evaluate_refuses_is_as_per_record(nko, change):
    records = [as_text(r) for r in contracts(20, seed=5)]
    change(records[3])
    assert_same(nko, records)


def test_a_batch_that_is_not_all_dicts_is_as_per_record(nko):
    records = [as_text(r) for r in contracts(10, seed=6)] + [None, ["not", "a", "record"]]
    assert_same(nko, records)


def test_numpy_scalars_are_as_per_record(nko):
    np = pytest.importorskip("numpy")
    records = [as_text(r) for r in contracts(10, seed=7)]
    records[2]["iku"][0]["code"] = np.str_("IKU-00")
    records[4]["level"] = np.str_("three")
    assert_same(nko, records)


_TEXTS = st.one_of(
    st.integers(0, 4).flatmap(lambda p: st.decimals(-10**6, 10**6, places=p, allow_nan=False,
                                                   allow_infinity=False)).map(str),
    st.builds(lambda w, f, sign: f"{sign}{w}.{f}", st.integers(0, 10**5), st.text("0123456789", min_size=1, max_size=6),
              st.sampled_from(["", "-", "+"])),
    st.sampled_from(["0", "-0", "0.0", "100", "100.00", "99.995", "1e2", " 1", "1_0", "Infinity"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_TEXTS, _TEXTS, _TEXTS), min_size=1, max_size=6))
def test_random_texts_agree_with_evaluate(nko, triples):
    items = [{"code": f"I{k}", "ss": f"S{k % 3}", "perspective": "customer", "polarity": "maximize",
              "target": t, "realization": r, "weight": w} for k, (t, r, w) in enumerate(triples)]
    records = [{"id": "K", "level": "three", "iku": items}, {"id": "K2", "level": "two", "iku": items[:1]}]
    assert_same(nko, records)
