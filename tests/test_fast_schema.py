"""The fast validators kept in the cache (engine/schemas.py `_compile_fast`, engine/fast_schema.py):
one brought back gives the same verdicts as one generated afresh, a damaged entry is generated again,
and the `date` format check written out for the fast path is jsonschema's."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import cache
from engine.fast_schema import format_check, format_checker
from engine.record import read_records
from engine.schemas import SchemaSet

ROOT = Path(__file__).resolve().parent.parent
DIRS = (ROOT / "schemas",)


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.DIR_ENV, str(folder))
    return folder


def _contracts() -> list:
    records = [r.data for f in sorted((ROOT / "examples").glob("pk_*.yaml")) for r in read_records(f)]
    broken = copy.deepcopy(records[0])
    broken["year"] = "2024"
    bad_period = copy.deepcopy(records[0])
    bad_period["iku"][0]["periods"][0]["period"] = "Q5"
    return records + [broken, bad_period, {"kind": "organization_contract"}]


def _verdicts(schemas: SchemaSet) -> list[bool]:
    return [schemas.fast_valid("organization_contract", data) for data in _contracts()]


def test_a_validator_from_the_cache_gives_the_same_verdicts(cache_dir, monkeypatch):
    fresh = _verdicts(SchemaSet(DIRS))
    assert True in fresh and False in fresh
    monkeypatch.setattr(SchemaSet, "_fast_code", lambda self, name: pytest.fail("generated again"))
    assert _verdicts(SchemaSet(DIRS)) == fresh


def test_a_damaged_entry_is_generated_again(cache_dir):
    fresh = _verdicts(SchemaSet(DIRS))
    for entry in cache.entries("schema"):
        entry.write_bytes(entry.read_bytes()[:60])
    assert _verdicts(SchemaSet(DIRS)) == fresh
    assert all(len(e.read_bytes()) > 1000 for e in cache.entries("schema"))


def test_a_changed_schema_is_generated_again(tmp_path, cache_dir):
    folder = tmp_path / "schemas"
    folder.mkdir()
    for f in DIRS[0].glob("*.json"):
        (folder / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    assert SchemaSet((folder,)).fast_valid("organization_contract", _contracts()[0])
    schema = folder / "organization_contract.schema.json"
    schema.write_text(schema.read_text(encoding="utf-8").replace('"required": [', '"required": ["nothing_has_this", ', 1),
                      encoding="utf-8")
    assert not SchemaSet((folder,)).fast_valid("organization_contract", _contracts()[0])


DATES = ["2024-01-31", "2024-02-30", "2024-13-01", "2024-1-01", "24-01-01", "2024-01-01\n", " 2024-01-01",
         "٢٠٢٤-01-01", "2024-01-01T00:00:00", "", "0000-01-01", "9999-12-31", "2023-02-29", "2024-02-29"]


@pytest.mark.parametrize("text", DATES + [None, 20240101, 3.5])
def test_the_fast_date_check_is_jsonschemas(text):
    assert format_check("date")(text) == format_checker().conforms(text, "date")


@settings(max_examples=300, deadline=None, database=None)
@given(st.from_regex(r"\A[0-9٠-٩]{1,5}-[0-9]{1,3}-[0-9]{1,3}\n?\Z") | st.text(max_size=12))
def test_the_fast_date_check_agrees_on_any_text(text):
    assert format_check("date")(text) == format_checker().conforms(text, "date")
