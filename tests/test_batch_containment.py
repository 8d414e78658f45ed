"""engine/batch.py and `kinerja check`: an unexpected failure while evaluating or rendering one record
(an OverflowError, a RecursionError, …) is that record's error; every other record is still judged."""
from __future__ import annotations

import json

import pytest

import engine.report.check as check_report
from engine.policy.policy import Policy
from tests.conftest import ROOT, run_cli

RECORDS = 5
BAD_LINE = 3


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    path = tmp_path_factory.mktemp("corpus") / "corpus.jsonl"
    r = run_cli("generate", "--units", RECORDS, "-o", path)
    assert r.exit_code == 0, r.output
    return path


@pytest.fixture
def failing_evaluate(monkeypatch):
    evaluate = Policy.evaluate

    def flaky(self, record, *args, **kwargs):
        if record.source.endswith(f":{BAD_LINE}"):
            raise OverflowError("the number is too large")
        return evaluate(self, record, *args, **kwargs)

    monkeypatch.setattr(Policy, "evaluate", flaky)


def test_an_evaluation_failure_is_one_records_error(corpus, failing_evaluate):
    r = run_cli("check", "--policy", "kmk_300_2022", "--format", "json", corpus)
    assert r.exit_code == 2
    doc = json.loads(r.output)
    assert doc["summary"]["records"] == RECORDS and doc["summary"]["input_errors"] == 1
    assert doc["summary"]["passed"] + doc["summary"]["failed"] == RECORDS - 1
    errors = [rec for rec in doc["records"] if "input_errors" in rec]
    assert errors == [{"source": f"{corpus}:{BAD_LINE}", "input_errors": [
        {"file": str(corpus), "line": BAD_LINE, "column": None,
         "message": "could not be judged: OverflowError: the number is too large"}]}]


def test_text_report_counts_the_failed_record(corpus, failing_evaluate):
    r = run_cli("check", "--policy", "kmk_300_2022", corpus)
    assert r.exit_code == 2
    assert (f"INPUT ERROR  {corpus}:{BAD_LINE}\n  {corpus}:{BAD_LINE}: could not be judged: OverflowError: "
            "the number is too large\n") in r.output
    assert r.output.rstrip().splitlines()[-1].startswith(f"{RECORDS} records: ")
    assert ", 1 with input errors" in r.output


def test_a_rendering_failure_is_one_records_error(corpus, monkeypatch):
    lines = check_report._result_lines

    def flaky(r, *args):
        if r.source.endswith(f":{BAD_LINE}"):
            raise ValueError("cannot show this")
        return lines(r, *args)

    monkeypatch.setattr(check_report, "_result_lines", flaky)
    r = run_cli("check", "--policy", "kmk_300_2022", corpus)
    assert r.exit_code == 2
    assert r.output.count("INPUT ERROR") == 1 and r.output.count("PASS") + r.output.count("FAIL  ") == RECORDS - 1
    assert f"  {corpus}:{BAD_LINE}: could not be judged: ValueError: cannot show this\n" in r.output


def test_interrupts_are_not_contained(corpus, monkeypatch):
    def interrupted(self, record, *args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(Policy, "evaluate", interrupted)
    from engine.batch import check_inputs
    with pytest.raises(KeyboardInterrupt):
        check_inputs([str(corpus)], Policy.__new__(Policy))


def test_a_number_too_large_is_that_records_error_and_the_batch_goes_on(tmp_path):
    text = (ROOT / "examples" / "pk_2024_kppn_semarang_i.yaml").read_text(encoding="utf-8")
    huge = tmp_path / "huge.yaml"
    huge.write_text(text.replace("realization: 100}", "realization: 1.0e+999999999}", 1), encoding="utf-8")
    r = run_cli("check", "--policy", "kmk_300_2022", huge, ROOT / "examples" / "pk_2024_kppn_semarang_i.yaml")
    assert r.exit_code == 2
    assert f"  {huge}:53:47: number too large: at most 18 digits before the decimal point\n" in r.output
    assert r.output.rstrip().splitlines()[-1] == "2 records: 1 passed, 0 failed, 1 with input errors"


def test_a_decimal_overflow_is_named_plainly():
    import decimal
    from engine.errors import Location
    from engine.failures import record_failure
    error = record_failure(decimal.Overflow(), Location("f.yaml", 6, 1))
    assert str(error) == ("f.yaml:6:1: could not be judged: a number is too large or too small for exact "
                          "arithmetic (decimal Overflow)")
