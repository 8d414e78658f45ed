"""Band tables in JSON (`check --format json`, a result's trace) are written as their rows, as a policy
writes them ({label, from|over, to|under}), and `explain` shows them in the band-row notation."""
from __future__ import annotations

import json

import pytest

from engine.display import band_table
from engine.lang.runtime import Bands
from engine.result import jsonable
from tests.conftest import EXAMPLES, run_cli

POLICY = """\
policy: banded
title: Bands test
instrument: TEST 1
effective: {from: 2020-01-01}
subject: {schema: organization_contract, as: contract}
parameters:
  grades:
    type: bands
    value:
      - {label: high, over: 10}
      - {label: mid, from: 5, to: 10}
      - {label: low, under: 5}
    cite: test
    status: confirmed
values:
  table: {expr: grades, cite: test}
  grade: {expr: "band(count(contract.iku), grades)", cite: test}
"""
ROWS = [{"label": "high", "over": "10"}, {"label": "mid", "from": "5", "to": "10"}, {"label": "low", "under": "5"}]
GOOD = str(EXAMPLES / "pk_2024_kppn_semarang_i.yaml")


@pytest.fixture
def banded(tmp_path):
    (tmp_path / "banded").mkdir()
    (tmp_path / "banded" / "policy.yaml").write_text(POLICY, encoding="utf-8")
    return tmp_path / "banded"


def test_band_table_rows():
    from decimal import Decimal as D
    bands = Bands([(D(10), False, None, False, "high"), (D(5), True, D(10), True, "mid"),
                   (None, False, D(5), False, "low"), (None, False, None, False, "any")])
    assert jsonable(bands) == ROWS + [{"label": "any"}]
    assert band_table(bands.rows)[1] == {"label": "mid", "from": D(5), "to": D(10)}


def test_check_json_writes_a_band_table_value(banded):
    r = run_cli("check", "--policy", banded, "--format", "json", GOOD)
    assert r.exit_code == 0, r.output
    values = json.loads(r.output)["records"][0]["values"]
    assert values == {"table": ROWS, "grade": "high"}


def test_trace_with_a_band_table_input_is_json(banded):
    from engine.policy.registry import DEFAULT
    from engine.record import read_records
    policy = DEFAULT.load(str(banded))
    result = policy.evaluate(next(read_records(GOOD)), trace=True)
    trace = json.loads(json.dumps(result.to_dict()))["trace"]
    step = next(s for s in trace if s["name"] == "grade")
    assert step["inputs"]["grades"] == ROWS


def test_explain_shows_band_rows(banded):
    r = run_cli("explain", "--policy", banded, "--value", "table", GOOD)
    assert r.exit_code == 0
    assert "  result:  table = high: x > 10; mid: 5 ≤ x ≤ 10; low: x < 5\n" in r.output
    assert "  grades = high: x > 10; mid: 5 ≤ x ≤ 10; low: x < 5  [confirmed]\n" in r.output
