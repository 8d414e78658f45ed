"""A large batch goes through the columns in chunks (engine/vector/run.py CHUNK): each record's
outcome, its location (row or line in its file) and the batch's counts are those of one pass over
the whole batch, from Python records, Parquet and JSON Lines alike."""
from __future__ import annotations

import json

import pytest

import engine
from engine.record import read_records
from tests.conftest import ROOT
from tests.vector.corpus import contracts
from tests.vector.test_evaluate_many import midpoints, outcome, per_record

pytest.importorskip("pyarrow")
pytest.importorskip("numpy")
from engine.vector import run  # noqa: E402
from engine.vector.columnar import read_jsonl, read_parquet, write_parquet  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "vector"


@pytest.fixture(scope="module")
def policy():
    return engine.Registry(path=[FIXTURES]).load("vector_nko")


@pytest.fixture
def records():
    """Ordinary contracts, exact midpoints and a few invalid records (corpus.py), in one batch."""
    return midpoints(7) + contracts(110, seed=11)


def _counts(batch) -> tuple:
    return batch.columns, batch.exact, dict(batch.passes), dict(batch.reasons), sorted(batch.vectorised)


def _in_chunks(monkeypatch, policy, make, size: int):
    """The batch `make()` gives, evaluated whole and in chunks of about `size` records."""
    whole = policy.evaluate_many(make())
    monkeypatch.setattr(run, "CHUNK", size)
    return whole, policy.evaluate_many(make())


def test_python_records_in_chunks_are_the_whole_batch(policy, records, monkeypatch):
    whole, chunked = _in_chunks(monkeypatch, policy, lambda: records, 16)
    want = [outcome(x) for x in per_record(policy, records)]
    assert [outcome(x) for x in chunked] == want == [outcome(x) for x in whole]
    assert _counts(chunked) == _counts(whole)
    assert chunked.columns > 60 and chunked.reasons["invalid or unchecked data"] >= 1


def test_parquet_rows_in_chunks_keep_their_row_numbers(policy, records, tmp_path, monkeypatch):
    path = tmp_path / "c.parquet"
    records[100]["level"] = "four"
    write_parquet(records, path)
    whole, chunked = _in_chunks(monkeypatch, policy, lambda: read_parquet(path), 10)
    assert [outcome(x) for x in chunked] == [outcome(x) for x in whole]
    assert _counts(chunked) == _counts(whole) and chunked.passes["scaled"] >= 7
    assert str(chunked[100]) == f"{path}:101: level: 'four' is not one of: one, two, three"
    assert [r.source for r in chunked[95:99]] == [f"{path}:{n}" for n in range(96, 100)]
    want = [r if isinstance(r, engine.KinerjaError) else per_record(policy, [r])[0] for r in read_records(path)]
    assert [outcome(x) for x in chunked] == [outcome(x) for x in want]


def test_json_lines_in_chunks_keep_their_line_numbers(policy, records, tmp_path, monkeypatch):
    path = tmp_path / "c.jsonl"
    lines = [json.dumps(c, default=float) for c in records]
    path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")    # blank lines between: line = 2·i + 1
    whole, chunked = _in_chunks(monkeypatch, policy, lambda: read_jsonl(path), 12)
    assert [outcome(x) for x in chunked] == [outcome(x) for x in whole]
    assert _counts(chunked) == _counts(whole)
    assert [r.source for r in chunked[40:42]] == [f"{path}:81", f"{path}:83"]


def test_the_chunks_are_of_equal_size(policy, monkeypatch):
    sizes = []
    chunk = run._chunk
    monkeypatch.setattr(run, "_chunk", lambda p, part, *a: sizes.append(len(part)) or chunk(p, part, *a))
    monkeypatch.setattr(run, "CHUNK", 40)
    policy.evaluate_many(contracts(101, seed=4))
    assert sizes == [34, 34, 33]


def test_a_chunk_of_a_dictionary_column_lists_only_its_own_words():
    # a file's id column has one word per row: each chunk must not go through all of them again
    import pyarrow as pa
    from engine.vector.arrow_tables import _strings
    column = pa.array([f"K-{i}" for i in range(1000)]).dictionary_encode()
    words, codes = _strings(column.slice(500, 3))
    assert words == ["K-500", "K-501", "K-502"] and codes.tolist() == [0, 1, 2]
    words, codes = _strings(pa.array(["a", None, "b", "a"]).dictionary_encode().slice(1, 3))
    assert words == ["a", "b"] and codes.tolist() == [-1, 1, 0]      # a small dictionary is kept as it is
