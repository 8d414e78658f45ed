"""`kinerja compare`: an unexpected failure while comparing or rendering one record (not only a
KinerjaError) is that record's error, with any --jobs; every other record is still compared."""
from __future__ import annotations

import json

import pytest

from engine.policy.policy import Policy
from engine.report.compare_sinks import JsonlSink
from tests.conftest import run_cli as run

pytestmark = pytest.mark.usefixtures("at_root")

RECORDS = 6
BAD_LINE = 4


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    path = tmp_path_factory.mktemp("corpus") / "corpus.jsonl"
    assert run("generate", "--units", RECORDS, "-o", path).exit_code == 0
    return path


def _compare(corpus, jobs):
    r = run("compare", "--base", "kmk_300_2022", "--candidate", "tests/fixtures/compare/draft_kmk_300_amendment",
            "--format", "jsonl", "--jobs", jobs, corpus)
    lines = [json.loads(line) for line in r.output.splitlines()]
    return r.exit_code, [x["record"] for x in lines if "record" in x], [x["error"] for x in lines if "error" in x], \
        lines[-1]["summary"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_evaluation_failure_is_one_records_error(corpus, monkeypatch, jobs):
    evaluate = Policy.evaluate

    def flaky(self, record, *args, **kwargs):
        if record.source.endswith(f":{BAD_LINE}"):
            raise RecursionError("maximum recursion depth exceeded")
        return evaluate(self, record, *args, **kwargs)

    monkeypatch.setattr(Policy, "evaluate", flaky)
    code, records, errors, summary = _compare(corpus, jobs)
    assert code == 2
    assert (summary["records"], summary["compared"], summary["errors"]) == (RECORDS, RECORDS - 1, 1)
    assert [r["line"] for r in records] == [n for n in range(1, RECORDS + 1) if n != BAD_LINE]
    assert errors == [{"source": str(corpus), "line": BAD_LINE, "column": None,
                       "message": "could not be judged: RecursionError: maximum recursion depth exceeded"}]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_rendering_failure_is_one_records_error(corpus, monkeypatch, jobs):
    render = JsonlSink.render

    def flaky(rc, changed_only=False):
        if rc.ok and rc.line == BAD_LINE:
            raise ArithmeticError("cannot show this")
        return render(rc, changed_only)

    monkeypatch.setattr(JsonlSink, "render", staticmethod(flaky))
    code, records, errors, summary = _compare(corpus, jobs)
    assert code == 2
    assert (summary["records"], summary["compared"], summary["errors"]) == (RECORDS, RECORDS - 1, 1)
    assert len(records) == RECORDS - 1
    assert errors == [{"source": str(corpus), "line": BAD_LINE, "column": None,
                       "message": "could not be judged: ArithmeticError: cannot show this"}]
