"""A policy with a reference date evaluates from Arrow columns (engine/vector/references.py): the
reference is read from its own columns, each record outside the policy's period gets the same note
the per-record path gives, and a JSON Lines reference field pyarrow reads as doubles sends the
records per record, still with the same results."""
from __future__ import annotations

import json
import random
import shutil

import pytest

import engine
from tests.conftest import ROOT
from tests.vector.corpus import contracts
from tests.vector.test_columnar import assert_file_agrees

pa = pytest.importorskip("pyarrow")
pytest.importorskip("numpy")
from engine.vector.columnar import read_jsonl, read_parquet, write_parquet  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "vector"


@pytest.fixture(scope="module")
def policy(tmp_path_factory):
    """vector_nko with a year in its data and a reference date: in force 2021-01-01 → 2024-12-31."""
    folder = tmp_path_factory.mktemp("dated")
    shutil.copytree(FIXTURES / "schemas", folder / "schemas")
    schema_file = folder / "schemas" / "vector_contract.schema.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    schema["properties"]["year"] = {"type": "number"}
    schema_file.write_text(json.dumps(schema), encoding="utf-8")
    (folder / "vector_dated").mkdir()
    text = (FIXTURES / "vector_nko" / "policy.yaml").read_text(encoding="utf-8")
    text = text.replace("policy: vector_nko", "policy: vector_dated").replace(
        "effective: {from: 2020-01-01}", "effective: {from: 2021-01-01, to: 2024-12-31}\n"
        "reference_date: date(contract.year, 12, 31)")
    assert "reference_date" in text
    (folder / "vector_dated" / "policy.yaml").write_text(text, encoding="utf-8")
    return engine.Registry(engine.SearchPath.of([folder])).load("vector_dated")


def _dated(n: int, seed: int) -> list[dict]:
    """Contracts of 2019 to 2026 (some outside the period), a few without a year."""
    rng = random.Random(seed)
    out = []
    for c in contracts(n, seed=seed):
        if rng.random() > 0.1:
            c["year"] = rng.randint(2019, 2026)
        out.append(c)
    return out


def _notes(results) -> set:
    return {r.outside_period for r in results if not isinstance(r, engine.KinerjaError)}


def test_parquet_rows_with_a_reference_date_go_through_the_columns(policy, tmp_path):
    path = tmp_path / "dated.parquet"
    write_parquet(_dated(300, seed=3), path)
    got = assert_file_agrees(policy, read_parquet(path), path)
    assert got.columns > 150
    assert "reference date 2019-12-31 is outside vector_dated's period (2021-01-01 → 2024-12-31)" in _notes(got)
    assert None in _notes(got)


def test_json_lines_with_whole_years_go_through_the_columns(policy, tmp_path):
    path = tmp_path / "dated.jsonl"
    path.write_text("".join(json.dumps(c, default=float) + "\n" for c in _dated(200, seed=4)), encoding="utf-8")
    got = assert_file_agrees(policy, read_jsonl(path), path)
    assert got.columns > 100
    assert "reference date 2026-12-31 is outside vector_dated's period (2021-01-01 → 2024-12-31)" in _notes(got)


def test_a_json_lines_year_read_as_a_double_goes_per_record(policy, tmp_path):
    records = _dated(60, seed=6)
    for c in records[::7]:
        c["year"] = float(c.get("year", 2022)) + 0.5   # 2022.5: no date
    records[1].pop("year", None)
    lines = [json.dumps(c, default=float) for c in records]
    # the text is no whole year (no reference date per record); its double is 2019.0 (outside the period)
    lines[1] = lines[1].replace('"id":', '"year": 2019.00000000000000001, "id":', 1)
    path = tmp_path / "halves.jsonl"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    batch = read_jsonl(path)
    assert pa.types.is_floating(batch.table.schema.field("year").type)
    got = assert_file_agrees(policy, batch, path)
    assert got.columns == 0
