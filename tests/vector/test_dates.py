"""Dates on the batch path (engine/vector/dates.py, date_calls.py): every record's outcome is the one
`policy.evaluate` gives, for month ends, leap days (and February 29 of other years), weekends and
whole weeks of working days, the years engine/limits.py accepts and just beyond, numbers that are not
whole, missing and invalid date text, dates compared, in `if`, `max`/`min`, per item and quoted in
messages; random records (hypothesis); Parquet rows; and on the generated corpus kmk_467_2014's
date values and rules agree in every pass (parts.py). A record where a date function raises (an
error in its Result, even from a value no output reads) is evaluated per record. The test policy is
tests/fixtures/vector/vector_dates."""
from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal as D

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import engine
from engine.synthetic import generate
from engine.vector.dates import FIRST, LAST, ordinal, ymd
from tests.conftest import ROOT
from tests.vector.corpus import variant as varied
from tests.vector.parts import compare_parts
from tests.vector.test_evaluate_many import assert_same, outcome, per_record

pytest.importorskip("numpy")

FIXTURES = ROOT / "tests" / "fixtures" / "vector"


@pytest.fixture(scope="module")
def policy():
    return engine.Registry(path=[FIXTURES]).load("vector_dates")


ORDINARY = {"id": "A", "year": 2024, "month": D(2), "day": D(29), "offset": D(3), "reason": "cpns",
            "signed_on": "2024-02-10", "started_on": "2024-01-06", "decree_on": "2024-01-27", "note": "2024-03-01",
            "events": [{"kind": "x", "on": "2024-03-01"}, {"kind": "y"}, {"kind": "z", "on": "2024-01-02"}]}


def variant(name, **changes) -> dict:
    return varied(ORDINARY, name, **changes)


def test_the_columns_decide_every_date_construct(policy):
    batch = assert_same(policy, [ORDINARY])
    assert batch.columns == 1 and batch.per_record == {}
    assert {"akhir", "batas", "kerja", "paling_awal", "rule deadline", "rule event-in-time"} <= set(batch.vectorised)
    v = batch[0].values
    assert (v["akhir"], v["tanggal"], v["kerja"], v["geser"]) == (dt.date(2024, 1, 31), dt.date(2024, 2, 29),
                                                                 dt.date(2024, 1, 10), dt.date(2024, 1, 9))
    assert (str(v["selang"]), str(v["bagian"]), v["terlambat"], v["sebelum_cutoff"]) == ("35", "20240210", True, True)
    assert v["sehari_kemudian"] == {"x": dt.date(2024, 3, 2), "y": None, "z": dt.date(2024, 1, 3)}
    assert [x.message for x in batch[0].violations] == [
        "signed 2024-02-10, after 2024-01-31", "event x on 2024-03-01 after 2024-01-31",
        "could not be checked, data missing: event y on (missing) after 2024-01-31"]


NO_SIGN = variant("no-sign", signed_on=None)
EDGES = [
    # month ends, leap years, February 29 of a year without one, months and days that make no date
    variant("leap", year=2000, month=D(2), day=D(29)), variant("not-leap", year=2100, month=D(2), day=D(29)),
    variant("feb-2023", year=2023, month=D(2), day=D(29)), variant("dec-31", year=2199, month=D(12), day=D(31)),
    variant("month-13", month=D(13), day=D(1)), variant("day-0", day=D(0)), variant("apr-31", month=D(4), day=D(31)),
    variant("half", day=D("1.5")), variant("whole-zero", day=D("29.000")), variant("negative-month", month=D(-1)),
    variant("big", day=D("1E+15")),
    # the years accepted: date() of 1899, 2201; a day before 1900-01-01 (akhir_bulan_lalu reads no output)
    variant("y1899", year=1899), variant("y2201", year=2201), variant("y1900", year=1900, month=D(1), day=D(5)),
    variant("y2200", year=2200, month=D(12), day=D(31), started_on="2200-12-30", offset=D(1)),
    variant("over-end", started_on="2200-12-31", offset=D(1)), variant("old", started_on="1850-06-01", offset=D(0)),
    variant("old-plus", started_on="1899-12-25", offset=D(10), signed_on="1950-01-01"),
    # working days: from every weekday and the weekend, 0, negative, whole weeks, past the range
    *(variant(f"wd-{d}-{n}", started_on=f"2024-03-{d:02d}", offset=D(n), reason="other")
      for d in range(1, 8) for n in (0, 1, 4, 5, 6, 11, -3)),
    variant("wd-big", offset=D(10 ** 6)), variant("wd-huge-negative", offset=D(-(10 ** 12))),
    variant("wd-sunday-1900", started_on="1899-12-31", offset=D(1)),
    variant("wd-sunday-1900-week", started_on="1899-12-31", offset=D(5)),    # back to 29 Dec 1899: raises
    variant("wd-friday-1899-week", started_on="1899-12-29", offset=D(5)),    # a weekday is not checked: 5 Jan
    variant("month-1", month=D(1), day=D(5)), variant("month-4", month=D(4), day=D(5)),  # geser_separuh: 0.5, 2.0
    variant("wd-saturday-1900", started_on="1900-01-06", offset=D(2)),
    variant("wd-half", offset=D("2.5")), variant("cpns-decree-sunday", decree_on="2024-02-04", offset=D(15)),
    variant("late", reason="late", started_on="2024-01-20"), variant("late-early", reason="late", started_on="2023-12-01"),
    # missing and invalid text
    variant("no-start", started_on=None), NO_SIGN, variant("no-year", year=None),
    variant("no-offset", offset=None), variant("no-events", events=None), variant("no-reason", reason=None),
    variant("note-bad", note="2024-13-01"), variant("note-word", note="soon"), variant("no-note", note=None),
    variant("note-compact", note="20240301"), variant("events-empty", events=[]),
]


def test_edge_records_agree_and_errors_go_per_record(policy):
    batch = assert_same(policy, EDGES)
    errors = [i for i, r in enumerate(batch) if r.errors]
    assert len(errors) >= 12        # impossible dates, out-of-range years and results, bad numbers, bad text
    from_columns = [i for i in range(len(EDGES)) if batch.results._block[i] >= 0]
    assert not set(errors) & set(from_columns)      # a record with an error is evaluated per record
    # and only those (no-sign's missing product, year(…) * 10000 …, is `odd` in the float pass,
    # numeric._odd: its unrounded output is computed again with Decimals, engine/vector/digits.py)
    assert sorted(set(range(len(EDGES))) - set(from_columns)) == sorted(errors)
    by_id = {r["id"]: batch[i] for i, r in enumerate(EDGES)}
    assert by_id["leap"].values["tanggal"] == dt.date(2000, 2, 29) and by_id["not-leap"].errors
    assert by_id["y1900"].errors and by_id["y1900"].values["akhir"] == dt.date(1900, 1, 31)
    assert by_id["whole-zero"].values["tanggal"] == dt.date(2024, 2, 29) and by_id["half"].errors
    assert by_id["wd-6-1"].values["kerja"] == dt.date(2024, 3, 7)       # Wednesday 6 March + 1: Thursday
    assert by_id["wd-1-1"].values["kerja"] == dt.date(2024, 3, 4)       # Friday + 1: Monday
    assert by_id["wd-2-1"].values["kerja"] == dt.date(2024, 3, 4)       # Saturday: from Friday the 1st
    assert by_id["wd-7-11"].values["kerja"] == dt.date(2024, 3, 22)     # Thursday + 2 weeks + 1
    assert by_id["wd-3-5"].values["kerja"] == dt.date(2024, 3, 8) and by_id["wd-1-0"].values["kerja"] == dt.date(2024, 3, 1)
    assert by_id["old"].values["geser"] == dt.date(1850, 6, 1) or by_id["old"].errors
    assert by_id["no-start"].values["kerja"] is None and not by_id["no-start"].errors
    assert by_id["month-1"].errors and by_id["month-4"].values["geser_separuh"] == dt.date(2024, 1, 8)


def test_day_numbers_are_pythons_ordinals():
    """ordinal() and ymd() against datetime over every day of the accepted years and beyond them."""
    days = np.arange(FIRST - 800, LAST + 800)
    y, m, d = ymd(days)
    python = [dt.date.fromordinal(int(x)) for x in days]
    assert [(a.year, a.month, a.day) for a in python] == list(zip(y.tolist(), m.tolist(), d.tolist()))
    back, ok = ordinal(y, m, d)
    inside = (days >= FIRST) & (days <= LAST)
    assert (ok == inside).all() and (back[inside] == days[inside]).all()
    y, m, d = np.array([2023, 2024, 2100, 2000, 2024, 2024]), np.array([2, 2, 2, 2, 4, 0]), np.array([29, 29, 29, 29, 31, 1])
    assert ordinal(y, m, d)[1].tolist() == [False, True, False, True, False, False]


def texts(draw_date):
    return st.one_of(st.none(), draw_date.map(dt.date.isoformat))


DAYS = st.dates(dt.date(1895, 1, 1), dt.date(2205, 12, 31))
NUMBERS = st.one_of(st.none(), st.integers(-40, 40).map(D), st.integers(-10 ** 6, 10 ** 6).map(D),
                    st.decimals(-50, 50, places=2, allow_nan=False))


@st.composite
def contracts(draw, i):
    out = {"id": f"H{i}"}
    for field, strategy in (("year", st.one_of(st.none(), st.integers(1895, 2205))), ("month", NUMBERS),
                            ("day", NUMBERS), ("offset", NUMBERS), ("reason", st.sampled_from([None, "late", "cpns", "other"])),
                            ("signed_on", texts(DAYS)), ("started_on", texts(DAYS)), ("decree_on", texts(DAYS)),
                            ("note", st.one_of(texts(DAYS), st.sampled_from(["2024-02-30", "x", "2024-1-5"])))):
        value = draw(strategy)
        if value is not None:
            out[field] = value
    events = draw(st.one_of(st.none(), st.lists(st.fixed_dictionaries({"kind": st.sampled_from("abc")},
                                                                      optional={"on": texts(DAYS).filter(bool)}),
                                                max_size=3)))
    if events is not None:
        out["events"] = [e for e in events if e.get("on") is not None or "on" not in e]
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, 10 ** 6), min_size=1, max_size=12).flatmap(
    lambda ids: st.tuples(*(contracts(i) for i in ids))))
def test_random_records_agree(policy, records):
    assert_same(policy, list(records))


def test_parquet_rows_agree(policy, tmp_path):
    """From Parquet the dates are text columns; the schema's `format: date` is checked as a column
    (the fast validator's own date check, shapes.text_test), so the rows come from the columns."""
    from engine.vector.columnar import read_parquet, write_parquet
    from engine import read_records
    records = [ORDINARY, *EDGES[:12]]
    path = tmp_path / "dates.parquet"
    write_parquet(records, path)
    expected = [r if isinstance(r, engine.KinerjaError) else per_record(policy, [r])[0] for r in read_records(path)]
    got = policy.evaluate_many(read_parquet(path))
    assert [outcome(x) for x in got] == [outcome(x) for x in expected]
    assert got.per_record == {} and got.columns > 0


KMK_DATES = ["akhir_januari", "batas_penetapan_kk", "mulai_terakhir", "mulai_setelah_batas"]
KMK_RULES = ["kk-deadline", "kk-late-start", "kk-skp"]


def kmk_variants(records: list[dict]) -> list[dict]:
    """Generated contracts with the head's start facts and the signing date varied: each start reason,
    starts on weekends and after 18 October, decrees before and after 31 January, missing dates."""
    reasons = ["returned_from_secondment", "transfer_in", "new_cpns", "appointed", "other", None]
    starts = ["01-02", "01-20", "02-03", "02-10", "10-18", "10-19", "12-31", None]
    signed = ["01-15", "01-31", "02-01", "02-20", "03-05", None]
    out = []
    for n, base in enumerate(records):
        r = copy.deepcopy(base)
        head, year = r["head"], r["year"]
        reason, start, sign = reasons[n % 6], starts[n % 8], signed[n % 6]
        for field, value in (("start_reason", reason), ("started_on", start and f"{year}-{start}"),
                             ("appointment_decree_on", start and f"{year}-{starts[(n + 3) % 7]}")):
            if value is None:
                head.pop(field, None)
            else:
                head[field] = value
        if sign is None:
            r.pop("signed_on", None)
        else:
            r["signed_on"] = f"{year}-{sign}"
        r["skp"] = n % 5 != 0
        out.append(r)
    return out


@pytest.fixture(scope="module")
def kmk():
    target = engine.load_policy("kmk_467_2014")
    corpus = [r for r in generate(units=8, years=(2023, 2024, 2025), gaps=True) if r.get("kind") == target.subject]
    return target, corpus + kmk_variants(corpus * 3)


def test_kmk_467_dates_agree_on_the_generated_corpus(kmk):
    target, records = kmk
    decided = compare_parts(target, records, KMK_DATES, KMK_RULES)
    valid = [r for r in records if not _invalid(target, r)]
    assert decided["float"] == decided["scaled"] == decided["decimal"] == len(valid)
    batch = target.evaluate_many(records)
    assert {*KMK_DATES, *(f"rule {r}" for r in KMK_RULES)} <= set(batch.vectorised)
    rules = {v.rule for r in batch if not isinstance(r, engine.KinerjaError) for v in r.violations}
    assert set(KMK_RULES) <= rules


def _invalid(policy, record) -> bool:
    try:
        policy.evaluate(record)
    except engine.KinerjaError:
        return True
    return False


def test_every_pass_agrees_on_the_edge_records(policy):
    """The float pass, the scaled pass and the Decimal pass each over every edge record (the later
    passes read whole numbers as exact integers or Decimals)."""
    from engine.record import Record
    records = [Record.from_python(r).data for r in [ORDINARY, *EDGES]]
    decided = compare_parts(policy, records, policy.outputs, [r.id for r in policy.rules])
    errors = sum(1 for r in records if policy.evaluate(r).errors)
    assert decided["float"] == decided["scaled"] == decided["decimal"] == len(records) - errors   # NO_SIGN too (digits.py)
