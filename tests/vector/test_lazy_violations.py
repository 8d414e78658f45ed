"""The batch path's violations are pending, as `Policy.evaluate`'s are (engine/result.py `Pending`,
engine/vector/violations.py `Violations.of`): reading a Result's rule ids renders no message, title
or citation, and reading the rest gives exactly what the per-record path gives, from the columns'
messages and from the record's own template alike. Fixture policy tests/fixtures/vector/vector_calls."""
from __future__ import annotations

import json
from dataclasses import asdict
from decimal import Decimal as D

import pytest

import engine
from engine.vector import messages as column_messages
from engine.vector.columnar import read_jsonl
from tests.conftest import ROOT

pytest.importorskip("numpy")

FIXTURES = ROOT / "tests" / "fixtures" / "vector"


@pytest.fixture()
def policy():
    return engine.Registry(path=[FIXTURES]).load("vector_calls")


def period(name, target, realization=None):
    out = {"period": name, "target": D(target)}
    if realization is not None:
        out["realization"] = D(realization)
    return out


def records(n: int) -> list[dict]:
    """Contracts failing several rules: scale-reached and report-present (messages from the
    columns, quoting data), skp (rendered from the record)."""
    return [{"id": f"C{i}", "skp": i % 2 == 0, "tags": ["z", "a"], "reports": [{"iku": "K0", "period": "Q1", "action": "x"}],
             "iku": [{"code": f"K{j}", "periods": [period(f"Q{q}", "100", str(60 + (i * 7 + j * 3 + q) % 39))
                                                   for q in range(1, 4)]} for j in range(2)]} for i in range(n)]


class Counter:
    def __init__(self, fn):
        self.fn, self.calls = fn, 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return self.fn(*args, **kwargs)


@pytest.fixture()
def counted(policy, monkeypatch):
    """Counters of every rendering the batch's violations can do: the compiled message templates
    (from the record), the column messages' value rendering, and titles and citations."""
    counters = {"template": [], "render": Counter(column_messages.render), "text": Counter(policy.text)}
    for rule in policy.rules:
        c = Counter(rule.message)
        counters["template"].append(c)
        monkeypatch.setattr(rule, "message", c)
    monkeypatch.setattr(column_messages, "render", counters["render"])
    monkeypatch.setattr(policy, "text", counters["text"])
    return counters


def calls(counters) -> int:
    return sum(c.calls for c in counters["template"]) + counters["render"].calls + counters["text"].calls


def test_reading_rule_ids_renders_nothing(policy, counted):
    batch = policy.evaluate_many(records(60))
    assert batch.columns >= 45
    ids = [[v.rule for v in r.violations] for r in batch]
    assert sum(map(len, ids)) > 100 and {"skp", "report-present", "scale-reached"} <= {x for i in ids for x in i}
    assert [v.outcome for v in batch[0].violations] and calls(counted) == 0
    assert batch[1].violations[0].message        # one read renders one
    assert 0 < calls(counted) <= 3


def test_pending_violations_are_those_of_the_per_record_path(policy, counted):
    data = records(60)
    batch = policy.evaluate_many(data)
    assert batch.columns >= 45
    assert calls(counted) == 0
    for got, record in zip(batch, data):
        want = policy.evaluate(record)
        assert got.violations == want.violations
        assert [asdict(v) for v in got.violations] == [asdict(v) for v in want.violations]
    assert counted["render"].calls > 0 and sum(c.calls for c in counted["template"]) > 0
    assert [(v.rule, v.path, v.message) for v in batch[1].violations][:2] == [
        ("skp", None, "no SKP"), ("report-present", "iku[0].periods[1]",
                                  "IKU K0 Q2: realisation 69 below 100 without a report")]


def test_pending_lines_from_a_file(policy, counted, tmp_path):
    """From JSON Lines (Arrow columns): the line of each violation's item, made when read."""
    data = records(30)
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps(r, default=int) + "\n" for r in data))
    batch = policy.evaluate_many(read_jsonl(path))
    assert batch.columns >= 20 and calls(counted) == 0
    for i, (got, record) in enumerate(zip(batch, engine.read_records(path))):
        want = policy.evaluate(record)
        assert [asdict(v) for v in got.violations] == [asdict(v) for v in want.violations]
    assert {(v.rule, v.line) for v in batch[3].violations} == {("skp", None), ("report-present", 4)}
