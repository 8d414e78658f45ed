"""A record judged by a policy (`--policy ID`) that is not in force on the record's reference date is
flagged, not silently judged: `Result.outside_period` (set by Policy.evaluate), a note under the record
in `check`'s text, a field in its JSON, and a count in the summary line."""
from __future__ import annotations

import json

import pytest

import engine
from tests.conftest import ROOT
from tests.conftest import run_cli as run

PK_2024 = ROOT / "examples" / "pk_2024_kppn_semarang_i.yaml"
KK_2021 = ROOT / "examples" / "kk_2021_kppn_semarang_i.yaml"
NOTE = "reference date 2024-01-01 is outside kmk_467_2014's period (2015-01-01 → 2022-07-27)"


def test_evaluate_notes_a_reference_date_outside_the_policys_period():
    [data] = engine.read_records(PK_2024)
    result = engine.load_policy("kmk_467_2014").evaluate(data)
    assert result.outside_period == NOTE
    assert engine.load_policy("kmk_300_2022").evaluate(data).outside_period is None


def test_check_text_shows_the_note_under_the_record_and_counts_it():
    r = run("check", "--policy", "kmk_467_2014", KK_2021, PK_2024)
    lines = r.output.splitlines()
    at = lines.index(f"FAIL  {PK_2024}  (kmk_467_2014)")
    assert lines[at + 1] == f"  note: {NOTE}"
    assert lines.count(f"  note: {NOTE}") == 1 and "outside" not in "".join(lines[:at])
    assert lines[-1] == "2 records: 1 passed, 1 failed (5 errors); 1 record outside the policy's period"


def test_check_json_has_the_note_as_a_field_only_when_outside():
    old = json.loads(run("check", "--policy", "kmk_467_2014", "--format", "json", PK_2024).output)
    assert old["records"][0]["outside_period"] == NOTE
    new = json.loads(run("check", "--policy", "kmk_300_2022", "--format", "json", PK_2024).output)
    assert "outside_period" not in new["records"][0]


@pytest.mark.parametrize("policy", ["auto", "kmk_300_2022"])
def test_a_record_in_the_policys_period_has_no_note(policy):
    r = run("check", "--policy", policy, PK_2024)
    assert "outside" not in r.output
