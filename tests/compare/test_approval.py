"""`kinerja compare` as a CI gate: --fail-on-change, --approve FILE and --expect FILE
(`engine.compare.approval`)."""
from __future__ import annotations

import json

import pytest

from tests.conftest import run_cli as run

pytestmark = pytest.mark.usefixtures("at_root")

CORPUS = "corpus/kemenkeu_2024.jsonl"


def bundled(*args):
    return run("compare", "--base", "kmk_467_2014", "--candidate", "kmk_300_2022", "-q", *args)


@pytest.fixture
def approved(tmp_path):
    path = tmp_path / "a.json"
    result = bundled("--approve", path, CORPUS)
    assert result.exit_code == 0, result.output
    return path


def _edited_corpus(tmp_path, line: int, edit) -> str:
    """A copy of the bundled corpus with record `line` (1-based) changed by `edit(record)`."""
    lines = open(CORPUS, encoding="utf-8").read().splitlines()
    record = json.loads(lines[line - 1])
    edit(record)
    lines[line - 1] = json.dumps(record)
    copy = tmp_path / "kemenkeu_2024.jsonl"
    copy.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(copy)


def test_approval_file_lists_each_changed_record_by_label_with_sorted_keys(approved):
    text = approved.read_text(encoding="utf-8")
    doc = json.loads(text)
    assert text == json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert (doc["base"], doc["candidate"], doc["version"]) == ("kmk_467_2014", "kmk_300_2022", 1)
    assert len(doc["records"]) == 40
    bkf = doc["records"]["BKF 2024"]
    assert bkf["source"] == "corpus/kemenkeu_2024.jsonl:11"
    assert bkf["appeared"] == [{"path": "initiatives[0]", "rule": "initiative-complete"}]
    assert bkf["disappeared"] == []
    assert bkf["values"]["capaian_periode[3a-N Q4]"] == {"base": "100.00", "candidate": "120.00"}
    assert bkf["values"]["capaian_periode[6a-N Q1]"] == {"base": None, "candidate": "71.43"}


def test_expect_passes_on_the_approved_changes(approved):
    result = bundled("--expect", approved, CORPUS)
    assert result.exit_code == 0, result.output
    assert "not as approved" not in result.output


def test_expect_names_the_record_whose_outcome_changed_otherwise(approved, tmp_path):
    def lower_q1(record):
        record["iku"][0]["periods"][0]["realization"] = 50
    corpus = _edited_corpus(tmp_path, 3, lower_q1)
    result = bundled("--expect", approved, corpus)
    assert result.exit_code == 1
    assert result.output.endswith(
        f"{approved}: 2 outcome changes not as approved:\n"
        "  different: ITJEN 2024: nko 102.59 → 105.09 (approved: 103.24 → 105.74)\n"
        "  new: ITJEN 2024: violation iiaa-report-present at iku[0].periods[0] appears\n")


def test_expect_reports_a_change_missing_from_the_approval_as_new(approved):
    doc = json.loads(approved.read_text(encoding="utf-8"))
    del doc["records"]["BKF 2024"]["values"]["capaian_periode[3a-N Q4]"]
    doc["records"]["BKF 2024"]["appeared"] = []
    approved.write_text(json.dumps(doc), encoding="utf-8")
    result = bundled("--expect", approved, CORPUS)
    assert result.exit_code == 1
    assert f"{approved}: 2 outcome changes not as approved:\n" \
           "  new: BKF 2024: capaian_periode[3a-N Q4] 100.00 → 120.00\n" \
           "  new: BKF 2024: violation initiative-complete at initiatives[0] appears\n" in result.output


def test_expect_reports_approved_changes_that_no_longer_happen_as_missing(approved):
    doc = json.loads(approved.read_text(encoding="utf-8"))
    doc["records"]["GHOST 2024"] = {"source": "x.jsonl:1", "values": {"nko": {"base": "1", "candidate": "2"}},
                                    "appeared": [], "disappeared": [{"rule": "r", "path": None}]}
    approved.write_text(json.dumps(doc), encoding="utf-8")
    result = bundled("--expect", approved, CORPUS)
    assert result.exit_code == 1
    assert "  missing: GHOST 2024: nko 1 → 2 (approved, no longer happens)\n" \
           "  missing: GHOST 2024: violation r disappears (approved, no longer happens)\n" in result.output


def test_expect_without_a_usable_approval_file_is_an_error(tmp_path):
    missing = tmp_path / "none.json"
    result = bundled("--expect", missing, CORPUS)
    assert result.exit_code == 2
    assert f"{missing}: approval file not found (write one with --approve {missing})" in result.output
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    result = bundled("--expect", broken, CORPUS)
    assert result.exit_code == 2
    assert f"{broken}:1:2: not valid JSON" in result.output
    wrong = tmp_path / "wrong.json"
    wrong.write_text("[]", encoding="utf-8")
    result = bundled("--expect", wrong, CORPUS)
    assert result.exit_code == 2
    assert f"{wrong}: not an approval file: expected an object with 'records'" in result.output


def test_fail_on_change_exits_1_on_changes_and_0_without():
    assert bundled("--fail-on-change", CORPUS).exit_code == 1
    same = run("compare", "--base", "kmk_300_2022", "--candidate", "kmk_300_2022", "-q", "--fail-on-change", CORPUS)
    assert same.exit_code == 0, same.output


def test_approving_a_comparison_without_changes_writes_no_records(tmp_path):
    path = tmp_path / "a.json"
    result = run("compare", "--base", "kmk_300_2022", "--candidate", "kmk_300_2022", "-q", "--approve", path, CORPUS)
    assert result.exit_code == 0
    assert json.loads(path.read_text(encoding="utf-8"))["records"] == {}


def test_the_approval_file_is_the_same_for_any_number_of_jobs(approved, tmp_path):
    two = tmp_path / "two.json"
    assert bundled("--jobs", "2", "--format", "jsonl", "--approve", two, CORPUS).exit_code == 0
    assert two.read_text(encoding="utf-8") == approved.read_text(encoding="utf-8")


def test_approve_is_refused_with_expect_and_over_an_input(tmp_path):
    result = bundled("--approve", tmp_path / "a.json", "--expect", tmp_path / "a.json", CORPUS)
    assert result.exit_code == 2
    assert "--approve records the changes: use it without --expect and --fail-on-change" in result.output
    result = bundled("--approve", CORPUS, CORPUS)
    assert result.exit_code == 2
    assert f"refusing to write {CORPUS}: it is also an input" in result.output
