"""`kinerja compare` with label equivalences: a declared rename is not a change, in either direction.

The bundled KMK 467/2014 → KMK 300/2022 comparison (the sample corpus, 40 contracts) renames every
unit's level (kemenkeu_one → upk_one, …), which kmk_300_2022 declares equivalent: no record's level
counts as changed, in the summary, the transition matrix, the attribution, the approval file or the
record lists, while the matrix shows the mapping. Two tiny policies in a temporary folder (one
output, `level`) check the direction and --fail-on-change exactly: a pure rename is no change, a
real one still is, and without the declaration the rename is a change again.
"""
from __future__ import annotations

import json
import textwrap

import pytest

from engine.compare import Comparer, PolicyPair
from engine.record import read_records
from tests.conftest import ROOT, contract
from tests.conftest import run_cli as run

pytestmark = pytest.mark.usefixtures("at_root")

OLD, NEW = "kmk_467_2014", "kmk_300_2022"
CORPUS = "corpus/kemenkeu_2024.jsonl"


def bundled(base: str, candidate: str, *args: str):
    return run("compare", "--base", base, "--candidate", candidate, *args)


def test_the_bundled_comparison_no_longer_counts_the_level_rename():
    r = bundled(OLD, NEW)
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert "level: 0 of 40 records changed (rows: base, columns: candidate)" in lines
    at = lines.index("level: 0 of 40 records changed (rows: base, columns: candidate)")
    assert lines[at + 1:at + 9] == [
        "  equivalent labels (kmk_300_2022): kemenkeu_wide = kementerian, kemenkeu_one = upk_one,",
        "      kemenkeu_two = upk_two, kemenkeu_three = upk_three",
        "  base \\ candidate  upk_one  upk_three  upk_two  kementerian  missing",
        "  kemenkeu_one           11          0        0            0        0",
        "  kemenkeu_three          0         17        0            0        0",
        "  kemenkeu_two            0          0       11            0        0",
        "  kemenkeu_wide           0          0        0            1        0",
        "  missing                 0          0        0            0        0"]
    assert "predikat: 5 of 40 records changed (rows: base, columns: candidate)" in lines
    assert not any("changed level" in line for line in lines)
    records = lines[lines.index("Most changed records (top 10)"):]
    assert not any(line.lstrip().startswith("level ") or "; level " in line for line in records)


def test_the_json_document_in_both_directions():
    for base, candidate in ((OLD, NEW), (NEW, OLD)):
        doc = json.loads(bundled(base, candidate, "--format", "json").output)
        s = doc["summary"]
        assert (s["records"], s["compared"], s["changed"]) == (40, 40, 40)
        level = next(t for t in s["transitions"] if t["name"] == "level")
        pairs = [(e["base"], e["candidate"]) for e in level["equivalent"]]
        renames = [("kemenkeu_wide", "kementerian"), ("kemenkeu_one", "upk_one"), ("kemenkeu_two", "upk_two"),
                   ("kemenkeu_three", "upk_three")]
        assert pairs == (renames if base == OLD else [(b, a) for a, b in renames])
        assert {e["policy"] for e in level["equivalent"]} == {NEW}
        assert sum(n for i, row in enumerate(level["counts"]) for j, n in enumerate(row) if i != j) == 0
        assert [a for a in s["attribution"] if a["what"] == "changed level"] == []
        levels = [v for r in doc["records"] for v in r["values"] if v["name"] == "level"]
        assert len(levels) == 40 and not any(v["changed"] for v in levels)
        assert sum(v["base"] != v["candidate"] for v in levels) == 40


def test_the_approval_file_has_no_level_change(tmp_path):
    approved = tmp_path / "a.json"
    assert bundled(OLD, NEW, "--approve", approved, CORPUS).exit_code == 0
    changes = json.loads(approved.read_text(encoding="utf-8"))
    text = json.dumps(changes)
    assert '"level"' not in text and "kemenkeu_one" not in text


def test_policy_pair_same_in_either_direction():
    forward, backward = PolicyPair.load(OLD, NEW), PolicyPair.load(NEW, OLD)
    assert forward.same("level", "kemenkeu_one", "upk_one") and backward.same("level", "upk_one", "kemenkeu_one")
    assert not forward.same("level", "upk_one", "kemenkeu_one")      # the pair is (base, candidate)
    assert not forward.same("level", "kemenkeu_one", "upk_two")
    assert not forward.same("predikat", "kemenkeu_one", "upk_one")   # declared for `level` only
    assert forward.same("level", "kemenkeu_four", "kemenkeu_four")
    record = next(iter(read_records(ROOT / CORPUS)))
    values = {v.name: v for v in Comparer(forward, attribute=False).compare(record).values}
    assert (values["level"].base, values["level"].candidate, values["level"].changed) == \
        ("kemenkeu_wide", "kementerian", False)


POLICY = """\
policy: {id}
title: Uji label ({id})
effective: {{from: 2015-01-01}}
subject: {{schema: organization_contract, as: contract}}
values:
  level:
    cite: hipotetis
    expr: if contract.unit.eselon == 3 then "{three}" else if contract.unit.eselon == 2 then "{two}" else "lain"
outputs: [level]
"""
DECLARED = """\
equivalences:
  lama:
    level:
      labels: {{kemenkeu_three: upk_three, kemenkeu_two: upk_two}}
      cite: hipotetis
"""


@pytest.fixture
def tiny(tmp_path):
    """Policies `lama` (kemenkeu_three, kemenkeu_two), `baru` (upk_…, declared equivalent to lama's),
    `tukar` (two and three swapped, declared the same way) and `tanpa` (upk_…, nothing declared), and
    two contracts (eselon 3 and 2)."""
    for pid, three, two, declared in (("lama", "kemenkeu_three", "kemenkeu_two", ""),
                                      ("baru", "upk_three", "upk_two", DECLARED),
                                      ("tukar", "upk_two", "upk_three", DECLARED),
                                      ("tanpa", "upk_three", "upk_two", "")):
        (tmp_path / pid).mkdir()
        (tmp_path / pid / "policy.yaml").write_text(POLICY.format(id=pid, three=three, two=two)
                                                    + declared.format(), encoding="utf-8")
    data = tmp_path / "data.jsonl"
    data.write_text("".join(json.dumps(contract(unit={"code": f"U{e}", "name": "Unit", "eselon": e})) + "\n"
                            for e in (3, 2)), encoding="utf-8")
    return tmp_path


def tiny_compare(folder, base, candidate, *args):
    return run("compare", "--policy-path", folder, "--base", base, "--candidate", candidate,
               folder / "data.jsonl", *args)


@pytest.mark.parametrize("base, candidate", [("lama", "baru"), ("baru", "lama")])
def test_a_pure_rename_is_no_change_in_either_direction(tiny, base, candidate):
    r = tiny_compare(tiny, base, candidate, "--fail-on-change")
    assert r.exit_code == 0, r.output
    assert "Records: 2 read, 2 compared, 0 could not be read; 0 changed" in r.output
    assert "level: 0 of 2 records changed (rows: base, columns: candidate)" in r.output


def test_a_real_change_still_counts_and_an_undeclared_rename_is_a_change(tiny):
    swapped = tiny_compare(tiny, "lama", "tukar", "--fail-on-change", "--format", "json")
    assert swapped.exit_code == 1
    doc = json.loads(swapped.output)
    assert doc["summary"]["changed"] == 2
    assert [(v["base"], v["candidate"], v["changed"]) for r in doc["records"] for v in r["values"]] == [
        ("kemenkeu_three", "upk_two", True), ("kemenkeu_two", "upk_three", True)]
    undeclared = tiny_compare(tiny, "lama", "tanpa", "--fail-on-change")
    assert undeclared.exit_code == 1
    assert "level: 2 of 2 records changed (rows: base, columns: candidate)" in undeclared.output
    assert "equivalent labels" not in undeclared.output


def test_diff_and_validate_still_behave():
    diff = run("diff", OLD, NEW)
    assert diff.exit_code == 1 and "Traceback" not in diff.output
    assert run("diff", NEW, NEW).exit_code == 0
    validate = run("validate", NEW)
    assert validate.exit_code == 0
    assert validate.output.splitlines()[-1] == \
        "OK  kmk_300_2022: 22 parameters, 22 values, 14 rules, 29/29 tests passed"
