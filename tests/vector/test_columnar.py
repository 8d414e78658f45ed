"""Columnar input (engine/vector/columnar.py): Parquet (one row per contract, the IKU a list<struct>
column) and JSON Lines read column-wise give, through evaluate_many, what the per-record path gives
for the same rows and lines; `kinerja check` and `compare` read .parquet with located errors."""
from __future__ import annotations

import json

import pytest

import engine
from engine.record import read_records
from tests.conftest import ROOT, run_cli
from tests.vector.corpus import contracts
from tests.vector.test_evaluate_many import outcome, per_record

pa = pytest.importorskip("pyarrow")
pytest.importorskip("numpy")
from engine.vector.columnar import read_jsonl, read_parquet, write_parquet  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "vector"


@pytest.fixture(scope="module")
def policy():
    return engine.Registry(path=[FIXTURES]).load("vector_nko")


def assert_file_agrees(policy, batch, path):
    records = list(read_records(path))
    expected = [r if isinstance(r, engine.KinerjaError) else per_record(policy, [r])[0] for r in records]
    got = policy.evaluate_many(batch)
    assert [outcome(x) for x in got] == [outcome(x) for x in expected]
    return got


def test_parquet_rows_agree_with_the_per_record_path(policy, tmp_path):
    path = tmp_path / "contracts.parquet"
    write_parquet(contracts(300, seed=5), path)
    batch = assert_file_agrees(policy, read_parquet(path), path)
    assert batch.columns > 150
    assert {"nko", "predikat", "capaian_bulat", "rule weight-sum"} <= set(batch.vectorised)
    assert batch.reasons["invalid or unchecked data"] == sum(isinstance(r, engine.KinerjaError) for r in batch)


def test_parquet_columns_of_other_types_nulls_and_extra_fields(policy, tmp_path):
    item = {"code": "A", "ss": "S", "perspective": "customer", "polarity": "maximize", "target": 80.0,
            "realization": 72.4, "weight": 100}
    rows = [{"id": "K1", "level": "one", "iku": [item]}, {"id": "K2", "level": None, "iku": [item]},
            {"id": "K3", "level": "two", "iku": None}, {"id": "K4", "level": "two", "iku": [None]},
            {"id": "K5", "level": "two", "iku": [{**item, "weight": -1}]}]
    path = tmp_path / "typed.parquet"
    import pyarrow.parquet as pq
    pq.write_table(pa.Table.from_pylist(rows), path)
    assert_file_agrees(policy, read_parquet(path), path)
    extra = tmp_path / "extra.parquet"
    pq.write_table(pa.Table.from_pylist([{**r, "note": "x"} for r in rows[:1]] + [{**rows[0], "note": None}]), extra)
    got = assert_file_agrees(policy, read_parquet(extra), extra)
    assert isinstance(got[0], engine.KinerjaError) and not isinstance(got[1], engine.KinerjaError)


def test_json_lines_read_column_wise_agree_line_by_line(policy, tmp_path):
    path = tmp_path / "contracts.jsonl"
    path.write_text("".join(json.dumps(c, default=lambda d: float(d)) + "\n" for c in contracts(200, seed=9)),
                    encoding="utf-8")
    batch = read_jsonl(path)
    assert batch.table is not None and len(batch) == 200
    got = assert_file_agrees(policy, batch, path)
    assert got.columns > 100 and got[0].source == f"{path}:1"


def test_check_and_compare_read_parquet_with_located_errors(tmp_path):
    path = tmp_path / "c.parquet"
    records = contracts(12, seed=2)
    records[3]["level"] = "four"
    write_parquet(records, path)
    result = run_cli("check", path, "--policy", "vector_nko", "--policy-path", FIXTURES)
    assert result.exit_code == 2
    assert f"INPUT ERROR  {path}:4\n  {path}:4: level: 'four' is not one of: one, two, three" in result.output
    args = ["compare", path, "--base", "vector_nko", "--candidate", "vector_nko_draft", "--policy-path", FIXTURES]
    plain, batch = run_cli(*args), run_cli(*args, "--batch")
    assert (plain.exit_code, plain.stdout) == (batch.exit_code, batch.stdout) and "12 read, 11 compared" in plain.stdout


def test_text_limits_and_enums_are_checked_on_plain_and_dictionary_columns(policy, tmp_path):
    # write_parquet stores the ids (one per contract) plain and the repeated texts as dictionaries;
    # an empty id or code breaks minLength, a perspective outside the enum the enum, on either kind
    records = contracts(40, seed=8)
    records[2]["id"] = ""
    records[5]["iku"][1]["code"] = ""
    records[7]["iku"][0]["perspective"] = "nowhere"
    records[9]["level"] = "four"
    path = tmp_path / "texts.parquet"
    write_parquet(records, path)
    import pyarrow.parquet as pq
    encodings = {c.path_in_schema: c.encodings for c in map(pq.ParquetFile(path).metadata.row_group(0).column, range(11))}
    assert "RLE_DICTIONARY" not in encodings["id"] and "RLE_DICTIONARY" in encodings["iku.list.element.code"]
    got = assert_file_agrees(policy, read_parquet(path), path)
    assert {2, 5, 7, 9} <= {i for i, r in enumerate(got) if isinstance(r, engine.KinerjaError)}
    assert "'nowhere' is not one of" in str(got[7])
    plain = tmp_path / "plain.parquet"         # every text a dictionary, read in chunks of 13 rows
    pq.write_table(pa.Table.from_pylist(records), plain)
    import engine.vector.run as run
    run_chunk = run.CHUNK
    try:
        run.CHUNK = 13
        chunked = assert_file_agrees(policy, read_parquet(plain), plain)
    finally:
        run.CHUNK = run_chunk
    assert {2, 5, 7, 9} <= {i for i, r in enumerate(chunked) if isinstance(r, engine.KinerjaError)}


@pytest.mark.parametrize("narrow", ["decimal32", "decimal64"])
def test_narrow_decimal_columns_are_read_value_by_value(policy, tmp_path, narrow):
    # a decimal64 column read as if it were decimal128 took every other value of twice the rows;
    # decimal32 could not be read at all: both are now their own values
    import pyarrow.parquet as pq
    records = contracts(40, seed=11)
    table = pa.Table.from_pylist(records)
    item = table.schema.field("iku").type.value_type
    decimal = getattr(pa, narrow)
    fields = [pa.field(f.name, decimal(9 if narrow == "decimal32" else 18, f.type.scale)
                       if pa.types.is_decimal(f.type) else f.type) for f in item]
    table = table.cast(pa.schema([pa.field("iku", pa.list_(pa.struct(fields))) if f.name == "iku" else f
                                  for f in table.schema]))
    path = tmp_path / f"{narrow}.parquet"
    pq.write_table(table, path)
    batch = read_parquet(path)
    assert str(batch.table.schema.field("iku").type.value_type.field("weight").type).startswith(narrow)
    got = assert_file_agrees(policy, batch, path)
    assert got.columns > 20


def test_an_unreadable_parquet_file_is_one_located_error(tmp_path):
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"not parquet")
    result = run_cli("check", path, "--policy", "vector_nko", "--policy-path", FIXTURES)
    assert result.exit_code == 2
    assert f"{path}: cannot read Parquet file: " in result.output


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.vector.test_evaluate_many import _contract  # noqa: E402


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(st.lists(_contract, min_size=1, max_size=10))
def test_random_contracts_through_parquet_agree_with_the_exact_path(policy, tmp_path, records):
    path = tmp_path / "random.parquet"
    write_parquet(records, path)
    assert_file_agrees(policy, read_parquet(path), path)


def test_midpoints_and_weight_edges_from_parquet_are_decided_by_the_exact_passes(policy, tmp_path):
    # decimal128 columns are exact already; the NKO midpoints' quotients all terminate: the second
    # pass (exact scaled integers) decides them, no Record is made for them
    from tests.vector.test_evaluate_many import midpoints
    path = tmp_path / "midpoints.parquet"
    write_parquet(midpoints(30) + contracts(60, seed=3), path)
    batch = assert_file_agrees(policy, read_parquet(path), path)
    assert batch.passes.get("scaled", 0) >= 30 and "near an edge or missing" not in batch.reasons
    assert [str(r.values["nko"]) for r in batch[:3]] == ["80.01", "80.02", "80.03"]


@pytest.mark.parametrize("weights", [("33.33", "33.33", "33.33"), ("33.33", "33.34", "33.34"), ("50", "50", "0.02")])
def test_weight_sums_at_the_tolerance_edge_are_exact_from_decimal_columns(policy, tmp_path, weights):
    from tests.vector.test_evaluate_many import weight_edge
    path = tmp_path / "edge.parquet"
    write_parquet([weight_edge(weights)], path)
    batch = assert_file_agrees(policy, read_parquet(path), path)
    assert batch.columns == 1


def test_json_lines_numbers_are_their_text_not_their_doubles(policy, tmp_path):
    # pyarrow reads 100.0000000000000001 as the double 100; the record reads the text: a weight above
    # 100, whose float is not exact (in a Parquet double column it is: Decimal(repr(x)) is read there)
    line = ('{"id": "K-1", "level": "three", "iku": [{"code": "A", "ss": "S1", "perspective": "customer", '
            '"polarity": "maximize", "target": %s, "realization": 5, "weight": %s}]}')
    path = tmp_path / "text.jsonl"
    path.write_text("\n".join([line % ("80", "100.0000000000000001"), line % ("0", "100"), line % ("1e-400", "100")])
                    + "\n", encoding="utf-8")
    batch = read_jsonl(path)
    assert_file_agrees(policy, batch, path)
    from engine.vector import run
    from engine.vector.arrow_tables import from_arrow
    from engine.vector.frames import column
    root, _ = from_arrow(batch.rows(), run._shape(policy), policy.subject, from_text=True)
    weight, target = column(root.children["iku"], "weight"), column(root.children["iku"], "target")
    assert list(weight.v[:2]) == [100.0, 100.0] and weight.e[0] > 0 and target.e[1] > 0


def test_a_list_no_row_has_is_empty_in_every_row_not_a_missing_column_form(tmp_path):
    # kmk_127_2026_pegawai reads fields of `penalties` items; with no penalty in the file there is no
    # such column, yet every value keeps its column form (before: "field imposed", all per record)
    import itertools

    from engine.synthetic import generate
    policy = engine.load_policy("kmk_127_2026_pegawai")
    records = [r for r in itertools.islice(generate(units=40, years=(2026,), with_employee_scores=True), 4000)
               if r.get("kind") == policy.subject and not r.get("penalties")][:100]
    assert len(records) == 100
    path = tmp_path / "employees.parquet"
    write_parquet(records, path)
    assert "penalties" not in pa.parquet.read_schema(path).names
    got = assert_file_agrees(policy, read_parquet(path), path)
    assert got.per_record == {} and got.columns > 0
