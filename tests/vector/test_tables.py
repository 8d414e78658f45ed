"""tables.from_dicts, the records as columns: read a block of objects at a time (generated loops,
required fields by subscript with a loop of `.get`s when an object lacks one), each field's types,
nulls, floats and (an enum's) codes made block by block. Whatever the layouts (fields in any order,
missing, extra, null, of the wrong type, objects that are not objects, spread over blocks in any
order), the columns are each object's fields, and what the check accepts the schema accepts; the
batch's outcome is `policy.evaluate`'s for every record."""
from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import engine
from tests.vector.test_evaluate_many import FIXTURES, PERSPECTIVES, assert_same

np = pytest.importorskip("numpy")

from engine.vector import tables  # noqa: E402
from engine.vector.run import _shape  # noqa: E402

FIELDS = ("code", "ss", "perspective", "polarity", "target", "realization", "weight", "target_low", "target_high")


@pytest.fixture(scope="module")
def policy():
    return engine.Registry(path=[FIXTURES]).load("vector_nko")


@pytest.fixture
def small_blocks(monkeypatch):
    monkeypatch.setattr(tables, "BLOCK", 3)


_wrong = st.sampled_from([None, 7, 2.5, True, "", "x", D("1.5"), D("Infinity"), D("1E+400"), [], {}])
_number = st.one_of(st.decimals(min_value=-50, max_value=500, places=2), _wrong)
_values = {"code": st.one_of(st.sampled_from(["A", "B"]), _wrong), "ss": st.one_of(st.sampled_from(["S1", "S2"]), _wrong),
           "perspective": st.one_of(st.sampled_from(PERSPECTIVES), _wrong),
           "polarity": st.one_of(st.sampled_from(["maximize", "minimize", "stabilize"]), _wrong),
           **{k: _number for k in FIELDS[4:]}}


@st.composite
def _iku(draw):
    """An IKU with any of its fields, in any order, now and then an unknown one or not an object."""
    if draw(st.integers(0, 19)) == 0:
        return draw(_wrong)
    names = draw(st.permutations(FIELDS))
    keep = [k for k in names if k in FIELDS[:7] and draw(st.integers(0, 9)) or draw(st.booleans())]
    item = {k: draw(_values[k]) for k in keep}
    if draw(st.integers(0, 9)) == 0:
        item["extra"] = draw(st.sampled_from([None, 1, "x"]))
    return item


_good = st.fixed_dictionaries(
    {"code": st.sampled_from(["A", "B", "C"]), "ss": st.sampled_from(["S1", "S2"]), "perspective": st.sampled_from(PERSPECTIVES),
     "polarity": st.sampled_from(["maximize", "minimize", "stabilize"]),
     "target": st.decimals(min_value=1, max_value=500, places=2), "realization": st.decimals(min_value=0, max_value=500, places=2),
     "weight": st.decimals(min_value=0, max_value=100, places=2)},
    optional={"target_low": st.decimals(min_value=1, max_value=500, places=2),
              "target_high": st.decimals(min_value=1, max_value=500, places=2)})


def _contracts(item):
    return st.lists(st.builds(lambda n, level, items: {"id": f"K-{n}", "level": level, "iku": items}, st.integers(0, 99),
                              st.sampled_from(["one", "two", "three"]), st.lists(item, max_size=5)), min_size=1, max_size=8)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(_contracts(st.one_of(_good, _iku())))
def test_columns_are_each_objects_fields_and_the_check_is_sound(policy, small_blocks, records):
    root, bad = tables.from_dicts(records, _shape(policy), policy.spec.subject_schema)
    items = tables_items(records)
    child = root.children["iku"]
    assert child.objs == items
    for name in FIELDS:
        want = [o.get(name) if type(o) is dict else None for o in items]
        kind, got = child.columns[name]
        assert got == want and [type(x) for x in got] == [type(x) for x in want]
        assert child.missing[name].tolist() == [x is None for x in want]
        assert child.types[name] == {type(x) for x in want}
        if name in child.floats:          # made only where every value is a Decimal or None
            assert np.array_equal(child.floats[name], [0.0 if x is None else float(x) for x in want], equal_nan=True)
        if name in child.encoded:
            words, codes = child.encoded[name]
            assert words == [w for w in dict.fromkeys(want) if w is not None]
            assert codes.tolist() == [-1 if x is None else words.index(x) for x in want]
    for record, rejected in zip(records, bad):
        if not rejected:                 # sound: what the column check accepts, the schema accepts
            policy.evaluate(record)


def tables_items(records):
    return [x for r in records for x in r["iku"]]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(_contracts(st.one_of(_good, _good, _iku())))
def test_any_layouts_across_blocks_give_what_evaluate_gives(policy, small_blocks, records):
    assert_same(policy, records)


def test_a_required_field_missing_in_one_block_only(policy, small_blocks):
    good = {"code": "A", "ss": "S1", "perspective": "customer", "polarity": "maximize", "target": D("80"),
            "realization": D("72.25"), "weight": D("50")}
    lacking = {k: v for k, v in good.items() if k != "weight"}
    records = [{"id": "K-1", "level": "three", "iku": [good, good, good, good, lacking, {**good, "target_low": None}, good]},
               {"id": "K-2", "level": "three", "iku": [good, good]}]
    root, bad = tables.from_dicts(records, _shape(policy), policy.spec.subject_schema)
    assert bad.tolist() == [True, False]
    assert root.children["iku"].columns["weight"][1] == [D("50")] * 4 + [None] + [D("50")] * 4
    batch = assert_same(policy, records)
    assert isinstance(batch[0], engine.KinerjaError) and batch.columns == 1


def test_encode_numbers_words_in_order_of_first_appearance():
    assert tables.encode(["b", None, "a", "b", None, "c", "a"]) == (["b", "a", "c"], pytest.approx(np.array([0, -1, 1, 0, -1, 2, 1])))
    words, codes = tables.encode([])
    assert words == [] and codes.tolist() == []


def test_numbers_that_are_not_finite_go_to_the_per_record_path(policy, small_blocks):
    # a NaN, an infinity, or a Decimal whose float is infinite: the per-record path says what they are
    good = {"code": "A", "ss": "S1", "perspective": "customer", "polarity": "maximize", "target": D("80"),
            "realization": D("72.25"), "weight": D("50")}
    odd = [{**good, "target": D("Infinity")}, {**good, "realization": D("-1E+400")}, {**good, "target": float("nan")},
           {**good, "realization": D("sNaN")}, {**good, "target": D("NaN"), "realization": 5}]
    records = [{"id": f"K-{i}", "level": "three", "iku": [good, good, item]} for i, item in enumerate(odd)]
    root, bad = tables.from_dicts(records + [{"id": "K", "level": "one", "iku": [good]}], _shape(policy), "vector_contract")
    assert bad.tolist() == [True] * len(odd) + [False]
    assert_same(policy, records)


def test_a_signalling_nan_or_other_numbers_leave_the_floats_to_later(policy, small_blocks):
    good = {"code": "A", "ss": "S1", "perspective": "customer", "polarity": "maximize", "target": D("80"),
            "realization": D("72.25"), "weight": D("50")}
    records = [{"id": "K-1", "level": "three", "iku": [good, good, good, {**good, "target": 80}]},
               {"id": "K-2", "level": "three", "iku": [good, {**good, "realization": D("sNaN")}]}]
    root, bad = tables.from_dicts(records, _shape(policy), policy.spec.subject_schema)
    child = root.children["iku"]
    assert "target" not in child.floats and "realization" not in child.floats and "weight" in child.floats
    assert_same(policy, records)
