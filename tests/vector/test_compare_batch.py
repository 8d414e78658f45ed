"""`kinerja compare --batch`: the same report, byte for byte, as the per-record compare (text and
JSON, with attribution), and a summary line per policy on standard error."""
from __future__ import annotations

import json

import pytest

from tests.conftest import ROOT, run_cli
from tests.vector.corpus import contracts

pytest.importorskip("numpy")

FIXTURES = ROOT / "tests" / "fixtures" / "vector"
# a policy with an output that has no column form (count_by), and one that has
NO_COLUMN_FORM = """
values:
  jumlah:
    expr: count(contract.iku)
  per_polaritas:
    expr: count_by(i.polarity for i in contract.iku)
outputs: [jumlah, per_polaritas]
"""


@pytest.fixture
def data(tmp_path):
    path = tmp_path / "contracts.jsonl"
    path.write_text("".join(json.dumps(c, default=str).replace('"', '"') + "\n" for c in _jsonable(contracts(120))),
                    encoding="utf-8")
    return path


def _jsonable(records):
    """Numbers as JSON numbers (read back as exact Decimals)."""
    from decimal import Decimal

    def plain(x):
        if isinstance(x, dict):
            return {k: plain(v) for k, v in x.items()}
        if isinstance(x, list):
            return [plain(v) for v in x]
        return _Number(x) if isinstance(x, Decimal) else x

    return [plain(r) for r in records]


class _Number(float):
    """A Decimal written by json.dumps as its exact text."""

    def __new__(cls, d):
        self = super().__new__(cls, d)
        self.text = str(d)
        return self

    def __repr__(self):
        return self.text


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_compare_batch_gives_the_per_record_report(data, fmt):
    args = ["compare", data, "--base", "vector_nko", "--candidate", "vector_nko_draft", "--policy-path", FIXTURES,
            "--format", fmt]
    plain, batch = run_cli(*args), run_cli(*args, "--batch")
    assert (batch.exit_code, batch.stdout) == (plain.exit_code, plain.stdout)
    assert plain.exit_code == 2   # the invalid records are reported, the others compared
    lines = batch.stderr.splitlines()
    assert lines[0].startswith("vector_nko: batch: ") and lines[1].startswith("vector_nko_draft: batch: ")
    assert "vectorised: capaian, capaian_bulat" in lines[0]


def test_without_numpy_batch_says_what_to_install(data, monkeypatch):
    import sys
    monkeypatch.setitem(sys.modules, "engine.vector.run", None)   # as if numpy were not installed
    result = run_cli("compare", data, "--base", "vector_nko", "--candidate", "vector_nko_draft",
                     "--policy-path", FIXTURES, "--batch")
    assert result.exit_code == 2
    assert "the batch path needs numpy (pip install 'kinerja[batch]'" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_compare_batch_in_chunks_gives_the_per_record_report(data, monkeypatch, jobs):
    # a first chunk of 8 records, then chunks of 16 (120 records: 8 chunks, the last one short), with
    # one and two workers
    import engine.vector.prefetch as prefetch
    monkeypatch.setattr(prefetch, "CHUNK", 16)
    monkeypatch.setattr(prefetch, "FIRST", 8)
    args = ["compare", data, "--base", "vector_nko", "--candidate", "vector_nko_draft", "--policy-path", FIXTURES,
            "--format", "json", "--jobs", jobs]
    plain, batch = run_cli(*args), run_cli(*args, "--batch")
    assert (batch.exit_code, batch.stdout) == (plain.exit_code, plain.stdout)
    lines = batch.stderr.splitlines()
    assert [line.split(" records from columns")[0].rsplit(" of ", 1)[1] for line in lines] == ["120", "120"]


def test_compare_batch_answers_from_the_columns(data, monkeypatch):
    # Every record the columns decide is not evaluated again: the only per-record evaluations under
    # the two policies are the ones the summary lines count (invalid data, rows near an edge).
    from engine.policy.policy import Policy
    calls = []
    real = Policy.evaluate
    monkeypatch.setattr(Policy, "evaluate", lambda self, *a, **k: calls.append(self.id) or real(self, *a, **k))
    batch = run_cli("compare", data, "--base", "vector_nko", "--candidate", "vector_nko_draft", "--policy-path",
                    FIXTURES, "--no-attribution", "--batch")
    per_record = {line.split(":")[0]: int(line.split(" per record")[0].rsplit(", ", 1)[1])
                  for line in batch.stderr.splitlines()}
    assert per_record["vector_nko"] < 120 and per_record["vector_nko_draft"] < 120
    assert {p: calls.count(p) for p in per_record} == per_record


def test_a_stream_stops_making_columns_once_an_output_has_none(monkeypatch, make_policy):
    # count_by has no column form: the stream's first chunk makes the columns and finds that; its
    # next chunks go per record at once, with the same Results and report
    from engine.vector import run
    from tests.conftest import contract
    made = []
    real = run.run_columns
    monkeypatch.setattr(run, "run_columns", lambda *a: made.append(1) or real(*a))
    policy = make_policy(NO_COLUMN_FORM)
    one = contract()["iku"][0]
    records = [contract(iku=[{**one, "code": f"K{k}", "polarity": p} for k, p in enumerate(["maximize", "minimize"][:n % 3])])
               for n in range(6)]
    known: dict = {}
    first, second = (run.evaluate_many(policy, part, known=known) for part in (records[:3], records[3:]))
    assert len(made) == 1 and second.columns == 0 and second.reasons == {"no column form": 3}
    assert second.per_record == first.per_record and "per_polaritas" in second.per_record
    assert "jumlah" in second.vectorised
    assert [r.to_dict() for r in first] + [r.to_dict() for r in second] == [policy.evaluate(r).to_dict() for r in records]
    alone = run.evaluate_many(policy, records[3:])   # another stream makes its own columns
    assert len(made) == 2 and [r.to_dict() for r in alone] == [r.to_dict() for r in second]


def test_a_stream_whose_first_chunk_the_columns_hardly_decide_goes_per_record(data, monkeypatch):
    # (as kmk_300_2022 from JSON Lines: its data numbers are compared with equal ones, which the
    # float bound leaves to the per-record path) here forced by counting every chunk as "few"
    import engine.vector.prefetch as prefetch
    from engine.vector import run
    made = []
    real = run.run_columns
    monkeypatch.setattr(run, "run_columns", lambda *a: made.append(1) or real(*a))
    monkeypatch.setattr(prefetch, "FIRST", 8)
    monkeypatch.setattr(prefetch, "FEW", 2)   # more than every record: any first chunk is "few"
    args = ["compare", data, "--base", "vector_nko", "--candidate", "vector_nko_draft", "--policy-path", FIXTURES]
    plain, batch = run_cli(*args), run_cli(*args, "--batch")
    assert (batch.exit_code, batch.stdout) == (plain.exit_code, plain.stdout)
    assert all("few from the columns in the first chunk 112" in line for line in batch.stderr.splitlines())
    first = data.parent / "first.jsonl"   # columns were made for the first chunk alone
    first.write_text("".join(data.read_text(encoding="utf-8").splitlines(keepends=True)[:8]), encoding="utf-8")
    whole, made[:] = len(made), []
    run_cli("compare", first, *args[2:], "--batch")
    assert whole == len(made) > 0


def test_a_stream_going_per_record_reads_no_further_ahead_than_the_first_chunk(data, monkeypatch):
    # once both policies go per record, chunks are only counted: they stay FIRST records long (not
    # CHUNK, which would hold that many records in memory for nothing), and the report is unchanged
    import engine.vector.prefetch as prefetch
    sizes = []
    real = prefetch.Prefetch.load
    monkeypatch.setattr(prefetch.Prefetch, "load", lambda self, records: sizes.append(len(records)) or real(self, records))
    monkeypatch.setattr(prefetch, "FIRST", 8)
    monkeypatch.setattr(prefetch, "CHUNK", 50)
    monkeypatch.setattr(prefetch, "FEW", 2)   # every first chunk is "few": both policies go per record
    args = ["compare", data, "--base", "vector_nko", "--candidate", "vector_nko_draft", "--policy-path", FIXTURES]
    plain, batch = run_cli(*args), run_cli(*args, "--batch")
    assert (batch.exit_code, batch.stdout) == (plain.exit_code, plain.stdout)
    assert sizes == [8] * 15 + [0]
    monkeypatch.setattr(prefetch, "FEW", 0)   # the columns answer: chunks of CHUNK after the first
    sizes[:] = []
    assert run_cli(*args, "--batch").stdout == plain.stdout
    assert sizes == [8, 50, 50, 12]


def test_a_chunk_ends_once_its_json_lines_hold_chunk_text_characters(data, monkeypatch):
    # big records (the generated corpus's contracts are 17 KB each) make shorter chunks, so the
    # records read ahead stay within a bound in memory; the report is unchanged
    import engine.vector.prefetch as prefetch
    sizes = []
    real = prefetch.Prefetch.load
    monkeypatch.setattr(prefetch.Prefetch, "load", lambda self, records: sizes.append(len(records)) or real(self, records))
    lengths = [len(line) for line in data.read_text(encoding="utf-8").splitlines()]   # as read: no newline
    monkeypatch.setattr(prefetch, "FIRST", 8)
    monkeypatch.setattr(prefetch, "FEW", 0)
    monkeypatch.setattr(prefetch, "CHUNK_TEXT", sum(lengths[8:18]))   # the second chunk: 10 records
    args = ["compare", data, "--base", "vector_nko", "--candidate", "vector_nko_draft", "--policy-path", FIXTURES]
    plain, batch = run_cli(*args), run_cli(*args, "--batch")
    assert batch.stdout == plain.stdout
    assert sizes[:2] == [8, 10] and sum(sizes) == 120
    start = 0
    for size in sizes[:-1]:   # each chunk ends at the line that reaches the bound
        assert sum(lengths[start:start + size - 1]) < prefetch.CHUNK_TEXT <= sum(lengths[start:start + size]) or size == 8
        start += size
