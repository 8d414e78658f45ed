"""Lists computed per record and per IKU on the batch path (engine/vector/collections.py), `x in`
such a list (members.py) and cells of a parameter table of tables (cells.py): every record's outcome
is the one `policy.evaluate` gives, for empty, absent and one-element lists, missing fields, unknown
keys, exact .xx5 midpoints, random records (hypothesis) and Parquet rows; and the KMK organisation
policies' own values and rules of these forms agree on the generated corpus. The test policy is
tests/fixtures/vector/vector_lists."""
from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import engine
from engine.synthetic import generate
from tests.conftest import ROOT
from tests.vector.corpus import period
from tests.vector.test_evaluate_many import assert_same, outcome

pytest.importorskip("numpy")

FIXTURES = ROOT / "tests" / "fixtures" / "vector"


@pytest.fixture(scope="module")
def policy():
    return engine.Registry(path=[FIXTURES]).load("vector_lists")


ORDINARY = {"id": "A", "level": "one", "tags": ["x", "y", "z"], "map": {"objectives": [{"code": "S1"}, {"code": "S2"}]},
            "iku": [{"code": "K1", "objective": "S1", "validity": "exact", "control": "low", "consolidation": "sum",
                     "periods": [period("Q1", "10", "12", "a", True), period("Q2", "20", "8", final=False),
                                 period("Q3", "30")]},
                    {"code": "K2", "objective": "S9", "validity": "exact", "control": "high",
                     "annual_target": D("55.554"), "periods": [period("Q1", "10", "15.5", "b"), period("Q1", "5", "11")]},
                    {"code": "K3"}]}


def test_lists_per_record_and_per_iku_come_from_the_columns(policy):
    batch = assert_same(policy, [ORDINARY, {**ORDINARY, "id": "B", "tags": ["y"], "level": "two"}])
    assert batch.per_record == {} and batch.columns == 2
    v = batch[0].values
    assert v["jumlah_tag"] == 2 and v["tag_akhir"] == "z" and v["jumlah_aspek"] == 3
    assert v["jumlah_terlapor"] == {"K1": 2, "K2": 2, "K3": None} and v["jumlah_kumulatif"] == {"K1": 1, "K2": 2, "K3": None}
    assert str(v["realisasi_kumulatif"]["K1"]) == "12.00" and v["realisasi_kumulatif"]["K2"] is None
    assert [str(x) for x in v["target_bulat"].values() if x is not None] == ["60.00", "55.55"]
    assert v["catatan_akhir"] == {"K1": "a", "K2": "b", "K3": None} and v["semua_final"]["K1"] is False
    assert v["periode_unik"] == {"K1": 3, "K2": 1, "K3": None} and v["periode_bercabang"]["K2"] == 0
    assert v["diukur"] == {"K1": True, "K2": False, "K3": None}
    assert str(v["kualitas"]["K1"]) == "1.20" and v["kualitas"]["K2"] is None and v["kualitas_teks"]["K2"] is True
    messages = [x.message for x in batch[0].violations]
    assert messages == ["IKU K2 mengukur S9, yang tidak ada pada peta strategi",
                        "could not be checked, data missing: IKU K3 mengukur (missing), yang tidak ada pada peta strategi",
                        "could not be checked, data missing: IKU K3", "IKU K2: exact dengan high tidak diperbolehkan",
                        "tag z tidak boleh"]
    assert batch[1].values["jumlah_aspek"] == 3 and [x.rule for x in batch[1].violations][-1] == "iku-count"


EDGES = [
    {"id": "empty", "iku": [], "tags": [], "map": {"objectives": []}},
    {"id": "absent", "iku": [{"code": "K", "objective": "S1"}]},
    {"id": "no-objectives", "map": {}, "iku": [{"code": "K", "objective": "S1", "periods": []}], "tags": ["x"]},
    {"id": "one", "level": "two", "tags": ["q"], "map": {"objectives": [{"code": "S1"}]},
     "iku": [{"code": "K", "objective": "S1", "periods": [period("Q1", "3", "4", "n", True)]}]},
    {"id": "missing-keys", "level": "nine", "tags": ["y"], "iku": [{"code": "K", "validity": "exact"}, {"code": "L", "control": "low"},
                                                   {"code": "M", "validity": "odd", "control": "low"},
                                                   {"code": "N", "validity": "proxy", "control": "odd"}]},
    {"id": "midpoint-average", "tags": ["y"], "iku": [{"code": "K", "periods": [period("Q1", "10.01", "10", final=True),
                                                                  period("Q2", "10", "10.01", final=True)]}]},
    {"id": "midpoint-target", "tags": ["y"], "iku": [{"code": "K", "annual_target": D("0.125")}, {"code": "L", "annual_target": D("-0.005")}]},
    {"id": "zero", "tags": ["y"], "iku": [{"code": "K", "consolidation": "last", "periods": [period("Q1", "0", "0"), period("Q2", "-0", "-0")]}]},
    {"id": "last", "tags": ["y"], "iku": [{"code": "K", "consolidation": "last", "periods": [period("Q1", "2", "30", final=False),
                                                                            period("Q2", "4", "10.5", final=True)]}]},
    {"id": "near-threshold", "tags": ["y"], "iku": [{"code": "K", "periods": [period("Q1", "1", "9.99999999999999999999", final=True),
                                                                            period("Q2", "1", "12", final=True)]}]},
    {"id": "bad", "iku": [{"code": "K", "periods": [{"period": "Q1"}]}]},
]


@pytest.mark.parametrize("record", EDGES, ids=[r["id"] for r in EDGES])
def test_edge_records_agree_with_the_exact_path(policy, record):
    assert_same(policy, [ORDINARY, record])
    assert_same(policy, [record])


def test_the_edges_come_from_the_columns_where_they_can(policy):
    batch = assert_same(policy, EDGES)
    assert batch.per_record == {}
    # absent tags (the tag rule's list is missing), .xx5 midpoints, a filter the floats cannot decide
    # (9.99999999999999999999 >= 10) and invalid data go per record
    assert batch.columns == 5, batch.reasons
    assert batch[3].values["diukur"] == {"K": True} and batch[3].values["batas_bawah"] == 2
    assert batch[0].values["jumlah_tag"] == 0 and batch[0].values["tag_akhir"] is None


_number = st.one_of(st.none(), st.decimals(min_value=-50, max_value=50, places=2, allow_nan=False),
                    st.sampled_from([D("0"), D("-0"), D("10"), D("1.005"), D("0.125")]))
_period = st.builds(lambda name, t, r, note, final: {k: v for k, v in {"period": name, "target": t if t is not None else D(1),
                                                                         "realization": r, "note": note, "final": final}.items()
                                                     if v is not None},
                    st.sampled_from(["Q1", "Q2", "Q3"]), _number, _number,
                    st.one_of(st.none(), st.sampled_from(["a", "b"])), st.one_of(st.none(), st.booleans()))
_optional = st.one_of(st.none(), st.sampled_from(["exact", "proxy", "activity", "low", "moderate", "high", "S1", "S2",
                                                  "sum", "last", "average"]))
_iku = st.builds(lambda code, periods, objective, validity, control, consolidation, target: {
    k: v for k, v in {"code": code, "periods": periods, "objective": objective, "validity": validity, "control": control,
                      "consolidation": consolidation, "annual_target": target}.items() if v is not None},
    st.sampled_from(["K1", "K2", "K3"]), st.one_of(st.none(), st.lists(_period, max_size=4)), _optional, _optional,
    _optional, _optional, _number)
_map = st.one_of(st.none(), st.builds(lambda codes: {"objectives": [{"code": c} for c in codes]},
                                      st.lists(st.sampled_from(["S1", "S2", "S3"]), max_size=3)))
_record = st.builds(lambda n, ikus, tags, level, smap: {k: v for k, v in {"id": f"R{n}", "iku": ikus, "tags": tags,
                                                                          "level": level, "map": smap}.items()
                                                       if v is not None},
                    st.integers(0, 99), st.lists(_iku, max_size=3),
                    st.one_of(st.none(), st.lists(st.sampled_from(["x", "y", "z"]), max_size=3)),
                    st.one_of(st.none(), st.sampled_from(["one", "two", "three"])), _map)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(_record, min_size=1, max_size=8))
def test_random_records_agree_with_the_exact_path(policy, records):
    assert_same(policy, records)


def test_parquet_rows_agree_with_the_per_record_path(policy, tmp_path):
    pytest.importorskip("pyarrow")
    from engine.record import read_records
    from engine.vector.columnar import read_parquet, write_parquet
    from tests.vector.test_evaluate_many import per_record
    records = [ORDINARY, *EDGES[:-1], {**ORDINARY, "id": "M", "iku": EDGES[5]["iku"] + EDGES[6]["iku"]}]
    path = tmp_path / "lists.parquet"
    write_parquet(records, path)
    expected = [r if isinstance(r, engine.KinerjaError) else per_record(policy, [r])[0] for r in read_records(path)]
    got = policy.evaluate_many(read_parquet(path))
    assert [outcome(x) for x in got] == [outcome(x) for x in expected]
    assert got.per_record == {} and got.columns >= 6, (got.columns, got.reasons)


def test_a_rule_over_a_computed_list_of_numbers_runs_per_record():
    target = engine.Registry(path=[FIXTURES]).load("vector_lists_loop")
    batch = assert_same(target, [{"id": "A", "iku": [{"code": "K", "annual_target": D("-1")}, {"code": "L"}]}])
    assert batch.per_record == {"rule target-nonnegative": "a for_each over a computed list of numbers or conditions"}
    assert "targets" in batch.vectorised and batch[0].violations[0].message == "target -1 negatif"


# -- the KMK organisation policies ----------------------------------------------------------------------
def _columns(policy, records):
    """The batch path's columns of every value over `records` (one parameter group), as plan.py makes them."""
    from engine.vector import run
    from engine.vector.plan import run_columns
    from engine.vector.tables import from_dicts
    root, bad = from_dicts(records, run._shape(policy), policy.spec.subject_schema)
    if bad.any():
        records[:] = [r for r, b in zip(records, bad.tolist()) if not b]
        root, bad = from_dicts(records, run._shape(policy), policy.spec.subject_schema)
    [(when, _, _)] = run._by_parameters(policy, records, None, root.plain)
    return run_columns(policy, policy.parameters_at(when), root, len(records))


def _per_row(kind, col, extra, n):
    """Each record's rows of a value's column: (record, row) in data order."""
    import numpy as np
    record = np.arange(n) if kind == "scalar" else extra.record
    return [np.flatnonzero(record == r).tolist() for r in range(n)]


def _element(col, j):
    """The column's row j as the per-record path's value, or a float interval (v, e) for an unrounded number."""
    from engine.vector.frames import Collection
    from engine.vector.vectors import Num, Text, Bool
    if isinstance(col, Collection):
        table = col.table
        rows = range(table.start[col.owner[j]], table.start[col.owner[j]] + table.count[col.owner[j]])
        return None if table.absent[col.owner[j]] else [table.objs[k] for k in rows]
    if col.miss[j]:
        return None
    if isinstance(col, Num):
        return ("~", float(col.v[j]), float(col.e[j]))
    assert isinstance(col, (Text, Bool))
    return col.v[j]


def _agrees(got, want) -> bool:
    if isinstance(got, tuple) and got[0] == "~":
        return want is not None and abs(D(got[1]) - want) <= D(got[2])
    if isinstance(got, list) and isinstance(want, list):
        return [w if not isinstance(w, dict) else dict(w) for w in want] == got
    return got == want


def assert_columns_agree(policy, records, names):
    """Every row of each value's column is the per-record path's value (a number within its bound),
    except on rows the columns call unsure."""
    batch = _columns(policy, records)
    for name in names:
        kind, col, extra = batch.values[name]
        rows = _per_row(kind, col, extra, len(records))
        for r, record in enumerate(records):
            want = policy.evaluate(record, names=[name]).values[name]
            wants = [want] if kind == "scalar" else list(want.values())
            assert len(rows[r]) == len(wants), (name, r)
            for j, w in zip(rows[r], wants):
                if getattr(col, "unsure", None) is not None and col.unsure[j]:
                    continue
                assert _agrees(_element(col, j), w), (name, r, j, _element(col, j), w)
    return batch


def _corpus(policy_id, years, gaps, seed):
    target = engine.load_policy(policy_id)
    return target, [r for r in generate(units=10, years=years, seed=seed, gaps=gaps) if r.get("kind") == target.subject]


CORPUS = [((2024, 2024), True, 3), ((2023, 2023), False, 5), ((2025, 2025), True, 9)]


@pytest.mark.parametrize("years, gaps, seed", CORPUS)
def test_kmk_300_lists_and_cells_agree_on_the_generated_corpus(years, gaps, seed):
    target, records = _corpus("kmk_300_2022", years, gaps, seed)
    assert_columns_agree(target, records, ["kode_ss", "target_tahunan", "kualitas_iku", "kualitas_target", "level"])


@pytest.mark.parametrize("years, gaps, seed", CORPUS[:2])
def test_kmk_467_lists_agree_on_the_generated_corpus(years, gaps, seed):
    target, records = _corpus("kmk_467_2014", (2021, 2021), gaps, seed)
    assert_columns_agree(target, records, ["kode_ss", "periode_terlapor", "capaian_tahunan", "aspek_dinilai"])


def _only_rules(monkeypatch, allowed: set):
    """The batch path with only the `allowed` rules (the others have no column form yet and would send
    every record per record): the values asked for and those rules' violations are compared alone."""
    from engine.vector import plan
    original = plan._rule

    def some(columns, index, rule, top, batch):
        if rule.id in allowed:
            original(columns, index, rule, top, batch)
    monkeypatch.setattr(plan, "_rule", some)


@pytest.mark.parametrize("policy_id, names, allowed", [
    ("kmk_300_2022", ["kualitas_iku"], {"iku-objective-known", "iku-quality-allowed"}),
    ("kmk_467_2014", ["capaian_tahunan"], {"iku-objective-known"})])
def test_kmk_rules_of_these_forms_come_from_the_columns(monkeypatch, policy_id, names, allowed):
    target, records = _corpus(policy_id, (2021, 2021) if policy_id == "kmk_467_2014" else (2024, 2024), True, 7)
    records += [dict(r, strategy_map={"objectives": r["strategy_map"]["objectives"][1:]}) for r in records
                if r.get("strategy_map", {}).get("objectives")]      # IKU whose objective is not on the map
    _only_rules(monkeypatch, allowed)
    batch = target.evaluate_many(records, names=names)
    failed = 0
    for i, r in enumerate(records):
        want = target.evaluate(r, names=names)
        assert repr(batch[i].values) == repr(want.values), i
        mine = [v for v in batch[i].violations if v.rule in allowed]
        assert mine == [v for v in want.violations if v.rule in allowed], i
        failed += len(mine)
    assert batch.columns > len(records) // 2 and failed > 0, (batch.reasons, failed)


def test_kmk_policies_no_longer_run_these_lists_per_record():
    corpus = list(generate(units=6, years=(2024, 2024), gaps=True))
    for policy_id, moved in (("kmk_300_2022", {"kode_ss", "target_tahunan", "kualitas_iku", "kualitas_target",
                                               "rule pk-iku-count", "rule iku-objective-known", "rule iku-quality-allowed"}),
                             ("kmk_467_2014", {"kode_ss", "periode_terlapor", "capaian_tahunan", "aspek_dinilai",
                                               "rule iku-objective-known"})):
        target = engine.load_policy(policy_id)
        batch = assert_same(target, [r for r in corpus if r.get("kind") == target.subject])
        assert moved <= set(batch.vectorised) and not moved & set(batch.per_record)
        assert not {"list(…) inside a loop", "list of this body"} & set(batch.per_record.values())
        # what still indexes a computed value: a field named by a list element (a report's r[c], an
        # assessment's b[a])
        assert {n for n, why in batch.per_record.items() if why == "index into a computed value"} <= {
            "rule iiaa-report-complete", "np_periode"}
