"""`kinerja provenance`: parameters, formulas (functions and values) and rules by status (provisional, secondary, confirmed) with value,
citation and note; JSON; inherited entries; and `validate`'s warning on a provisional parameter
without a note.

Set KINERJA_UPDATE_GOLDEN=1 to rewrite tests/golden/provenance_kmk_300_2022.txt after an intended
change to the policy."""
import json

import pytest

from engine.policy.registry import Registry
from engine.report import provenance
from tests.conftest import golden
from tests.conftest import run_cli as run

pytestmark = pytest.mark.usefixtures("at_root")  # every test runs from the project root


PARENT = """\
policy: parent
title: Parent policy
instrument: PARENT 1/2020
effective: {from: 2020-01-01}
subject: {schema: organization_contract, as: contract}
parameters:
  limit: {value: 20, cite: Pasal 3 ayat (1), status: confirmed}
  weights:
    value: {a: 60, b: 40}
    cite: Lampiran II
    status: provisional
    note: >
      Weights were not found;
      a 60/40 split is assumed.
  grades:
    type: bands
    value:
      - {label: Baik, from: 90}
      - {label: Cukup, under: 90}
    cite: Lampiran III
    status: secondary
  floor:
    values:
      - {from: 2020-01-01, value: 10}
      - {from: 2022-01-01, value: 12.5}
    cite: Pasal 5
    status: provisional
values:
  n:
    expr: count(contract.iku)
    cite: Pasal 3
  kelas:
    expr: band(n * weights["a"] / 60 + floor, grades)
    cite: Lampiran III
    status: provisional
    note: The weighting of n is assumed.
rules:
  - id: count-limit
    title: Jumlah IKU dibatasi
    cite: Pasal 3 ayat (1)
    status: confirmed
    require: n <= limit
  - id: has-iku
    title: PK memuat IKU
    cite: Pasal 4
    require: n > 0
  - id: guessed
    title: Aturan tafsiran
    cite: Bahan sosialisasi
    status: provisional
    note: A reading of a briefing sentence.
    require: n >= 0
"""

CHILD = """\
policy: child
title: Child policy
instrument: CHILD 2/2023
effective: {from: 2023-01-01}
extends: parent
parameters:
  limit: {value: 25, cite: CHILD Pasal 1, status: secondary}
"""


def registry(tmp_path) -> Registry:
    for name, text in (("parent", PARENT), ("child", CHILD)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "policy.yaml").write_text(text, encoding="utf-8")
    return Registry(tmp_path)


def test_text_orders_by_status_with_values_citations_and_notes(tmp_path):
    assert provenance.text(registry(tmp_path).load("parent")) == """\
Provenance of parent (PARENT 1/2020)
  parameters: 2 provisional, 1 secondary, 1 confirmed (4)
  formulas:   1 provisional, 0 secondary, 0 confirmed, 1 unmarked (2)
  rules:      1 provisional, 0 secondary, 1 confirmed, 1 unmarked (3)

Parameters
  provisional  weights = {a: 60, b: 40}
      cite: Lampiran II
      note: Weights were not found; a 60/40 split is assumed.
  provisional  floor = from 2020-01-01: 10; from 2022-01-01: 12.5
      cite: Pasal 5
  secondary    grades = Baik x ≥ 90; Cukup x < 90
      cite: Lampiran III
  confirmed    limit = 20
      cite: Pasal 3 ayat (1)

Formulas
  provisional  kelas — value
      cite: Lampiran III
      note: The weighting of n is assumed.
  (1 unmarked: n)

Rules
  provisional  guessed — Aturan tafsiran
      cite: Bahan sosialisasi
      note: A reading of a briefing sentence.
  confirmed    count-limit — Jumlah IKU dibatasi
      cite: Pasal 3 ayat (1)
  unmarked     has-iku — PK memuat IKU
      cite: Pasal 4
"""


def test_inherited_entries_name_their_policy(tmp_path):
    assert provenance.text(registry(tmp_path).load("child")) == """\
Provenance of child (CHILD 2/2023)
  parameters: 2 provisional, 2 secondary, 0 confirmed (4)
  formulas:   1 provisional, 0 secondary, 0 confirmed, 1 unmarked (2)
  rules:      1 provisional, 0 secondary, 1 confirmed, 1 unmarked (3)

Parameters
  provisional  weights = {a: 60, b: 40}
      cite: Lampiran II
      note: Weights were not found; a 60/40 split is assumed.
      from: parent
  provisional  floor = from 2020-01-01: 10; from 2022-01-01: 12.5
      cite: Pasal 5
      from: parent
  secondary    limit = 25
      cite: CHILD Pasal 1
  secondary    grades = Baik x ≥ 90; Cukup x < 90
      cite: Lampiran III
      from: parent

Formulas
  provisional  kelas — value
      cite: Lampiran III
      note: The weighting of n is assumed.
      from: parent
  (1 unmarked: n)

Rules
  provisional  guessed — Aturan tafsiran
      cite: Bahan sosialisasi
      note: A reading of a briefing sentence.
      from: parent
  confirmed    count-limit — Jumlah IKU dibatasi
      cite: Pasal 3 ayat (1)
      from: parent
  unmarked     has-iku — PK memuat IKU
      cite: Pasal 4
      from: parent
"""


def test_json_lists_everything_with_locations(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    doc = provenance.as_dict(registry(tmp_path).load("child"))
    assert doc["summary"] == {"parameters": {"provisional": 2, "secondary": 2, "confirmed": 0},
                              "formulas": {"provisional": 1, "secondary": 0, "confirmed": 0, "unmarked": 1},
                              "rules": {"provisional": 1, "secondary": 0, "confirmed": 1, "unmarked": 1}}
    assert [(p["name"], p["status"], p["from"]) for p in doc["parameters"]] == [
        ("weights", "provisional", "parent"), ("floor", "provisional", "parent"),
        ("limit", "secondary", "child"), ("grades", "secondary", "parent")]
    weights = doc["parameters"][0]
    assert weights == {"name": "weights", "status": "provisional", "value": {"a": "60", "b": "40"}, "type": None,
                       "cite": "Lampiran II", "note": "Weights were not found; a 60/40 split is assumed.",
                       "from": "parent", "at": "parent/policy.yaml:8"}
    assert doc["parameters"][1]["values"] == [{"from": "2020-01-01", "value": "10"},
                                              {"from": "2022-01-01", "value": "12.5"}]
    assert doc["parameters"][2]["at"] == "child/policy.yaml:7"
    assert doc["rules"][0] == {"id": "guessed", "title": "Aturan tafsiran", "status": "provisional",
                               "severity": "error", "cite": "Bahan sosialisasi",
                               "note": "A reading of a briefing sentence.", "from": "parent",
                               "at": "parent/policy.yaml:47"}
    assert doc["formulas"] == [
        {"name": "kelas", "kind": "value", "status": "provisional", "cite": "Lampiran III",
         "note": "The weighting of n is assumed.", "from": "parent", "at": "parent/policy.yaml:32"},
        {"name": "n", "kind": "value", "status": None, "cite": "Pasal 3", "note": None, "from": "parent",
         "at": "parent/policy.yaml:29"}]


def test_cli_provenance_golden():
    r = run("provenance", "kmk_300_2022")
    assert r.exit_code == 0
    golden("provenance_kmk_300_2022.txt", r.stdout)


def test_cli_provenance_json_counts_match_the_policy():
    r = run("provenance", "kmk_300_2022", "--format", "json")
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    statuses = [p["status"] for p in doc["parameters"]]
    assert statuses == sorted(statuses, key=["provisional", "secondary", "confirmed"].index)
    assert doc["summary"]["parameters"] == {s: statuses.count(s) for s in ("provisional", "secondary", "confirmed")}
    assert all(p["note"] for p in doc["parameters"] if p["status"] == "provisional")
    assert all(p["cite"] for p in doc["parameters"])


def test_cli_provenance_unknown_policy():
    r = run("provenance", "kmk_300_2020")
    assert r.exit_code == 2
    assert r.stderr == "error: unknown policy 'kmk_300_2020'; did you mean 'kmk_300_2022'?\n"


def test_validate_warns_about_a_provisional_parameter_without_note(tmp_path):
    text = PARENT.replace("""    note: >
      Weights were not found;
      a 60/40 split is assumed.
""", "")
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    r = run("validate", str(path))
    assert r.exit_code == 0  # a warning; --strict makes it fail
    assert r.stdout.splitlines()[:2] == [
        f"  {path}:8:3: warning: provisional parameter 'weights' has no note explaining the assumption",
        f"  {path}:19:3: warning: provisional parameter 'floor' has no note explaining the assumption"]
    assert run("validate", "--strict", str(path)).exit_code == 1
