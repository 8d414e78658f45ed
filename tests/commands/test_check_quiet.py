"""`kinerja check --quiet` (only failing records, input errors and the summary) and `--summary` (only
the counts: per outcome, per severity, per rule), in each format where they apply; elsewhere a usage
error (exit 2)."""
from __future__ import annotations

import json

import pytest

from tests.conftest import EXAMPLES, run_cli

GOOD = EXAMPLES / "pk_2024_kppn_semarang_i.yaml"
TOO_MANY = EXAMPLES / "pk_2024_djpb_too_many_iku.yaml"
CASCADE = EXAMPLES / "pk_2024_kppn_cascade_too_deep.yaml"   # an error and a warning
BROKEN = EXAMPLES / "invalid" / "pk_2024_yaml_error.yaml"
BATCH = [GOOD, TOO_MANY, CASCADE, BROKEN]
SUMMARY = "4 records: 1 passed, 2 failed, 1 with input errors (2 errors, 1 warning)"


def check(*args):
    return run_cli("check", "--policy", "kmk_300_2022", *args)


def test_quiet_text_shows_failing_records_input_errors_and_the_summary():
    r = check("--quiet", *BATCH)
    assert r.exit_code == 2
    heads = [line for line in r.output.splitlines() if line and not line.startswith(" ")]
    assert heads == [f"FAIL  {TOO_MANY}  (kmk_300_2022)", f"FAIL  {CASCADE}  (kmk_300_2022)",
                     f"INPUT ERROR  {BROKEN}", SUMMARY]
    assert r.output.endswith(f"\n\n{SUMMARY}\n")
    assert str(GOOD) not in r.output


def test_quiet_text_of_passing_records_is_the_summary_alone():
    r = check("-q", GOOD)
    assert (r.exit_code, r.output) == (0, "1 record: 1 passed, 0 failed\n")


def test_quiet_keeps_every_record_the_fail_on_threshold_fails():
    r = check("-q", "--fail-on", "warning", GOOD, CASCADE)
    assert r.exit_code == 1
    assert [line for line in r.output.splitlines() if line.startswith(("FAIL", "PASS"))] == \
        [f"FAIL  {CASCADE}  (kmk_300_2022)"]


def test_summary_text_counts_per_outcome_and_per_rule():
    r = check("--summary", *BATCH)
    assert r.exit_code == 2
    assert r.output.splitlines() == [
        SUMMARY,
        "",
        "Violations per rule:",
        "  RULE                              SEVERITY  VIOLATIONS  RECORDS",
        "  kmk_300_2022/cascade-depth        error              1        1",
        "  kmk_300_2022/pk-iku-count         error              1        1",
        "  kmk_300_2022/cascade-accompanied  warning            1        1",
    ]


def test_summary_without_violations():
    r = check("--summary", GOOD)
    assert (r.exit_code, r.output) == (0, "1 record: 1 passed, 0 failed\n\nNo violations.\n")


def test_quiet_json_lists_only_failing_and_unreadable_records_but_counts_all():
    r = check("--format", "json", "--quiet", *BATCH)
    doc = json.loads(r.output)
    assert r.exit_code == 2
    assert [rec["source"] for rec in doc["records"]] == [str(TOO_MANY), str(CASCADE), str(BROKEN)]
    assert doc["summary"] == {"records": 4, "passed": 1, "failed": 2, "input_errors": 1,
                              "violations": {"error": 2, "warning": 1, "info": 0}}


def test_summary_json_has_rules_and_no_records():
    r = check("--format", "json", "--summary", *BATCH)
    doc = json.loads(r.output)
    assert r.exit_code == 2
    assert list(doc) == ["fail_on", "summary"]
    assert doc["summary"]["rules"] == [
        {"policy": "kmk_300_2022", "rule": "cascade-depth", "severity": "error", "violations": 1, "records": 1},
        {"policy": "kmk_300_2022", "rule": "pk-iku-count", "severity": "error", "violations": 1, "records": 1},
        {"policy": "kmk_300_2022", "rule": "cascade-accompanied", "severity": "warning", "violations": 1,
         "records": 1},
    ]
    assert doc["summary"]["records"] == 4


def test_quiet_sarif_and_github_leave_out_the_findings_of_passing_records(tmp_path):
    """A record with only a warning passes at --fail-on error: --quiet leaves its warning out."""
    warning_only = tmp_path / "warning_only.yaml"
    warning_only.write_text(CASCADE.read_text(encoding="utf-8").replace("depth: 3", "depth: 1"), encoding="utf-8")
    loud = json.loads(check("--format", "sarif", warning_only, TOO_MANY).output)
    quiet = json.loads(check("--format", "sarif", "--quiet", warning_only, TOO_MANY).output)
    assert [res["ruleId"] for res in loud["runs"][0]["results"]] == \
        ["kmk_300_2022/cascade-accompanied", "kmk_300_2022/pk-iku-count"]
    assert [res["ruleId"] for res in quiet["runs"][0]["results"]] == ["kmk_300_2022/pk-iku-count"]
    r = check("--format", "github", "--quiet", warning_only, TOO_MANY)
    assert r.exit_code == 1
    assert [line.split(" ")[0] for line in r.output.splitlines()] == ["::error", "kinerja:"]
    assert r.output.splitlines()[-1] == "kinerja: 2 records, 1 failing at --fail-on error"


@pytest.mark.parametrize("args, message", [
    (["--quiet", "--summary"], "--quiet and --summary exclude each other: --summary prints no records at all"),
    (["--quiet", "--format", "junit"],
     "--quiet does not apply to --format junit (it lists every record); it works with text, json, sarif, github"),
    (["--summary", "--format", "sarif"], "--summary does not apply to --format sarif; it works with text, json"),
    (["--summary", "--format", "github"], "--summary does not apply to --format github; it works with text, json"),
])
def test_combinations_that_make_no_sense_are_usage_errors(args, message):
    r = check(*args, GOOD)
    assert r.exit_code == 2
    assert r.output.splitlines()[-1] == f"Error: {message}"


def test_quiet_and_summary_with_xlsx_are_usage_errors(tmp_path):
    r = check("--quiet", "-o", tmp_path / "r.xlsx", GOOD)
    assert r.exit_code == 2
    assert "--quiet does not apply to --format xlsx" in r.output
    assert not (tmp_path / "r.xlsx").exists()


@pytest.mark.parametrize("args", [[], ["--quiet"], ["--summary"], ["--format", "json", "--quiet"],
                                  ["--format", "json", "--summary"], ["--format", "sarif", "--quiet"],
                                  ["--format", "github", "--quiet"], ["--format", "junit"]])
def test_jobs_give_the_same_report(args, tmp_path):
    corpus = EXAMPLES.parent / "corpus" / "kemenkeu_2024.jsonl"
    broken = tmp_path / "broken.jsonl"
    lines = corpus.read_text(encoding="utf-8").splitlines()
    broken.write_text("\n".join([lines[0], "{oops", lines[1], '{"kind": "organization_contract"}']) + "\n",
                      encoding="utf-8")
    schema_errors = EXAMPLES / "invalid" / "pk_2024_schema_error.yaml"   # several errors: an ErrorList
    batch = [*BATCH, corpus, broken, schema_errors, "nosuch.yaml"]
    one = run_cli("check", "--policy", "auto", *args, *batch)
    two = run_cli("check", "--policy", "auto", *args, "--jobs", "2", *batch)
    assert one.exit_code == two.exit_code == 2
    assert one.output == two.output
    assert ("maximise" in one.output) == ("--summary" not in args)   # the ErrorList came back whole


def test_check_without_a_policy_picks_the_policy_in_force():
    """`--policy` defaults to `auto` (issue 14's "kinerja check --format sarif examples/")."""
    path = str(EXAMPLES / "pk_2024_kppn_semarang_i.yaml")
    plain, auto = run_cli("check", path), run_cli("check", "--policy", "auto", path)
    assert (plain.exit_code, plain.output) == (auto.exit_code, auto.output)
    assert auto.exit_code == 0 and auto.output.splitlines()[-1] == "1 record: 1 passed, 0 failed"
