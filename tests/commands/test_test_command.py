"""`kinerja test`: per-case PASS/FAIL with file:line, field-level diffs, exit codes, -k, JSON, and
`--coverage` (rules fired, band rows hit, parameters read) on small policies built in tmp folders."""
import json
import textwrap

import pytest

from engine.policy.coverage import measure
from engine.policy.registry import DEFAULT
from engine.policy.cases import run_policy
from tests.conftest import ROOT
from tests.conftest import run_cli as run

pytestmark = pytest.mark.usefixtures("at_root")  # every test runs from the project root

# A small policy: one rule that fires (too-many), one that never applies (budget-floor, whose
# `when` is false for every case, so budget_floor is never read), and a band table whose
# Negative row no count can reach.
POLICY = """\
policy: demo
title: Coverage demo
effective: {from: 2023-01-01}
subject: {schema: organization_contract, as: contract}
parameters:
  max_iku: {value: 3, cite: demo rule 1, status: confirmed}
  budget_floor: {value: 10, cite: demo rule 2, status: secondary}
  grades:
    type: bands
    value:
      - {label: High, over: 2}
      - {label: Low, from: 0, to: 2}
      - {label: Negative, under: 0}
    cite: demo table
    status: provisional
    note: demo assumption
values:
  jumlah:
    expr: count(contract.iku)
    cite: demo
  kelas:
    expr: band(jumlah, grades)
    cite: demo
rules:
  - id: too-many
    title: At most max_iku IKU
    cite: demo rule 1
    require: count(contract.iku) <= max_iku
    message: "{count(contract.iku)} IKU; at most {max_iku}"
  - id: budget-floor
    title: Old contracts need a budget floor
    cite: demo rule 2
    when: contract.year < 2020
    require: contract.budget.total >= budget_floor
"""


def iku(n: int) -> str:
    items = ", ".join(f"{{code: I{k}, name: i, objective: S, polarity: maximize, periods: []}}" for k in range(n))
    return f"[{items}]"


def case(name: str, n: int, expect: str) -> str:
    return textwrap.indent(textwrap.dedent(f"""\
        - name: {name}
          input:
            kind: organization_contract
            unit: {{code: U, name: Unit, eselon: 3}}
            year: 2024
            iku: {iku(n)}
          expect:
        """) + textwrap.indent(textwrap.dedent(expect), "    "), "  ")


PASSING = "cases:\n" + case("four IKU are too many", 4, """\
    values: {jumlah: 4, kelas: High}
    violations: [too-many]
""") + case("one IKU is low", 1, """\
    values: {jumlah: 1, kelas: Low}
    violations: []
""")

BROKEN = "cases:\n" + case("wrong expectations", 1, """\
    values: {jumlah: 2, kelas: High}
    violations: [{rule: too-many, message: 1 IKU; at most 3}]
""") + case("missed violation and wrong message", 5, """\
    violations: [{rule: too-many, message: 4 IKU; at most 3}, budget-floor]
""")


@pytest.fixture
def demo(tmp_path, monkeypatch):
    """Write the demo policy with the given test files into tmp_path/demo; paths print relative to tmp_path."""
    monkeypatch.chdir(tmp_path)

    def make(policy: str = POLICY, **tests: str):
        folder = tmp_path / "demo"
        (folder / "tests").mkdir(parents=True, exist_ok=True)
        (folder / "policy.yaml").write_text(policy, encoding="utf-8")
        for name, text in tests.items():
            (folder / "tests" / f"{name}.yaml").write_text(text, encoding="utf-8")
        return str(folder)  # absolute: the registry caches compiled policies by the given path
    return make


# ---- test results ---------------------------------------------------------------------------

def test_passing_cases_report_each_case_and_a_summary(demo):
    r = run("test", demo(cases=PASSING))
    assert r.exit_code == 0
    assert r.stdout == (
        "demo  (2 cases)\n"
        "  PASS  demo/tests/cases.yaml:2  four IKU are too many\n"
        "  PASS  demo/tests/cases.yaml:11  one IKU is low\n"
        "\n"
        "2 passed, 0 failed in 1 policy\n")


def test_broken_case_fails_with_field_level_diff(demo):
    r = run("test", demo(cases=PASSING, broken=BROKEN))
    assert r.exit_code == 1
    assert r.stdout == (
        "demo  (4 cases)\n"
        "  FAIL  demo/tests/broken.yaml:2  wrong expectations\n"
        "        values.jumlah\n"
        "          expected: 2\n"
        "          got:      1\n"
        "        values.kelas\n"
        "          expected: High\n"
        "          got:      Low\n"
        "        violations: expected too-many, but it did not occur\n"
        "  FAIL  demo/tests/broken.yaml:11  missed violation and wrong message\n"
        "        violations: too-many (message)\n"
        "          expected: '4 IKU; at most 3'\n"
        "          got:      '5 IKU; at most 3'\n"
        "        violations: expected budget-floor, but it did not occur\n"
        "  PASS  demo/tests/cases.yaml:2  four IKU are too many\n"
        "  PASS  demo/tests/cases.yaml:11  one IKU is low\n"
        "\n"
        "2 passed, 2 failed in 1 policy\n")


def test_json_format_carries_the_same_diffs(demo):
    r = run("test", "--format", "json", demo(broken=BROKEN))
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert doc["summary"] == {"passed": 0, "failed": 2, "deselected": 0, "errors": 0, "inherited_changed": 0}
    first = doc["policies"][0]["cases"][0]
    assert (first["file"], first["line"], first["name"], first["passed"]) == (
        "demo/tests/broken.yaml", 2, "wrong expectations", False)
    assert first["diffs"] == [
        {"text": "values.jumlah: expected 2, got 1", "field": "values.jumlah", "expected": "2", "got": "1"},
        {"text": "values.kelas: expected High, got Low", "field": "values.kelas", "expected": "High", "got": "Low"},
        {"text": "violations: expected too-many, but it did not occur"}]


def test_k_selects_cases_by_name(demo):
    r = run("test", "-k", "LOW", demo(cases=PASSING, broken=BROKEN))
    assert r.exit_code == 0
    assert r.stdout == (
        "demo  (1 of 4 cases selected)\n"
        "  PASS  demo/tests/cases.yaml:11  one IKU is low\n"
        "\n"
        "1 passed, 0 failed, 3 deselected in 1 policy\n")


def test_k_selecting_nothing_is_a_usage_error(demo):
    r = run("test", "-k", "nothing like this", demo(cases=PASSING))
    assert r.exit_code == 2
    assert r.stderr == "error: no test case name contains 'nothing like this'\n"


def test_unknown_policy_is_a_usage_error():
    r = run("test", "kmk_300_2020")
    assert r.exit_code == 2
    assert "Error: unknown policy 'kmk_300_2020'; did you mean 'kmk_300_2022'?" in r.stderr
    assert r.stdout == ""


def test_unreadable_test_file_is_an_input_error_and_other_files_still_run(demo):
    folder = demo(cases=PASSING, bad="tests: []\n")
    r = run("test", folder)
    assert r.exit_code == 2
    assert r.stdout == (
        "demo  (2 cases)\n"
        f"  {folder}/tests/bad.yaml:1:1: a test file needs a list under 'cases:'\n"
        "      tests: []\n"
        "      ^\n"
        "  PASS  demo/tests/cases.yaml:2  four IKU are too many\n"
        "  PASS  demo/tests/cases.yaml:11  one IKU is low\n"
        "\n"
        "2 passed, 0 failed, 1 error in 1 policy\n")


def test_invalid_policy_is_an_input_error(demo):
    folder = demo(POLICY.replace("band(jumlah, grades)", "band(jumlah, grade)"), cases=PASSING)
    r = run("test", folder)
    assert r.exit_code == 2
    assert r.stdout == (
        "ERROR  demo: the policy could not be loaded\n"
        f"  {folder}/policy.yaml:22:24: unknown name 'grade'\n"
        "          expr: band(jumlah, grade)\n"
        "                             ^\n"
        "      hint: did you mean 'grades'?\n"
        "\n"
        "0 passed, 0 failed, 1 error in 1 policy\n")
    assert r.stdout.endswith("\n0 passed, 0 failed, 1 error in 1 policy\n")


def test_coverage_with_k_is_refused(demo):
    r = run("test", "--coverage", "-k", "low", demo(cases=PASSING))
    assert r.exit_code == 2
    assert "Error: --coverage measures all cases of a policy; it cannot be combined with -k" in r.stderr


def test_bundled_policies_report_every_case():
    cases = [c for pid in DEFAULT.paths() for c in run_policy(DEFAULT.load(pid))]
    failed = sum(not c.passed for c in cases)
    r = run("test")
    assert r.exit_code == (1 if failed else 0)
    assert r.stdout.endswith(f"\n{len(cases) - failed} passed, {failed} failed in {len(DEFAULT.paths())} policies\n")
    for c in cases:
        line = f"  {'PASS' if c.passed else 'FAIL'}  {c.file[len(str(ROOT)) + 1:]}:{c.line}  {c.name}\n"
        assert line in r.stdout


# ---- coverage -------------------------------------------------------------------------------

def test_coverage_reports_exactly_what_no_case_touched(demo):
    r = run("test", "--coverage", demo(cases=PASSING))
    assert r.exit_code == 0  # gaps are reported; they fail only with --require-full-coverage
    assert r.stdout.split("\n\n")[-1] == (
        "Coverage (rules fired, band rows hit, parameters read by the cases):\n"
        "demo: rules 1/2 fired, band rows 2/3 hit, parameters 2/3 read\n"
        "  rule not fired:      budget-floor  demo/policy.yaml:30\n"
        "  band row not hit:    grades: Negative (x < 0)  demo/policy.yaml:13\n"
        "  parameter not read:  budget_floor  demo/policy.yaml:7\n")


def test_require_full_coverage_fails_on_gaps(demo):
    r = run("test", "--require-full-coverage", demo(cases=PASSING))
    assert r.exit_code == 1
    assert "rule not fired:      budget-floor" in r.stdout


def test_full_coverage_passes_the_requirement(demo):
    # an old contract (year < 2020) with a small budget makes budget-floor fire and read budget_floor;
    # the Negative row is dropped
    policy = POLICY.replace("      - {label: Negative, under: 0}\n", "")
    old = case("old contract under the budget floor", 1, """\
        violations: [budget-floor]
    """).replace("year: 2024", "year: 2019\n      budget: {total: 5}")
    r = run("test", "--require-full-coverage", demo(policy, cases=PASSING + old))
    assert r.exit_code == 0, r.stdout
    assert "demo: rules 2/2 fired, band rows 2/2 hit, parameters 3/3 read — complete\n" in r.stdout


def test_coverage_json(demo):
    r = run("test", "--coverage", "--format", "json", demo(cases=PASSING))
    cov = json.loads(r.stdout)["policies"][0]["coverage"]
    assert cov == {
        "complete": False,
        "rules": {"total": 2, "fired": ["too-many"],
                  "not_fired": [{"rule": "budget-floor", "at": "demo/policy.yaml:30"}]},
        "band_rows": {"total": 3, "not_hit": [{"parameter": "grades", "from": None, "row": 2, "label": "Negative",
                                               "interval": "x < 0", "at": "demo/policy.yaml:13"}]},
        "parameters": {"total": 3, "not_read": [{"parameter": "budget_floor", "at": "demo/policy.yaml:7"}]},
    }


def test_band_row_boundaries_follow_the_table(demo):
    # 2 lies on Low (from 0 to 2), not High (x > 2)
    two = "cases:\n" + case("two IKU", 2, "values: {kelas: Low}\n")
    _, cov = measure(DEFAULT.load(demo(cases=two)))
    assert [(b.label, b.interval) for b in cov.unhit_rows] == [("High", "x > 2"), ("Negative", "x < 0")]


def test_undetermined_rule_is_not_fired(demo):
    # budget missing in an old contract: budget-floor is undetermined, which is not "fired"
    old = case("old contract without budget", 1, """\
        violations: [budget-floor]
    """).replace("year: 2024", "year: 2019")
    results, cov = measure(DEFAULT.load(demo(cases="cases:\n" + old)))
    assert results[0].passed
    assert cov.unfired_rules == ["too-many", "budget-floor"]
    # the `when` holds, so the require is evaluated: the safe form reads budget_floor
    assert cov.unread_parameters == []


def test_reads_on_the_safe_path_count(demo):
    # `scale * contract.budget.total` raises in the fast form when budget is absent; the safe form
    # reads scale again and yields missing. The read counts.
    policy = POLICY.replace("values:\n", "values:\n  scaled:\n    expr: scale * contract.budget.total\n    cite: demo\n") \
                   .replace("parameters:\n", "parameters:\n  scale: {value: 2, cite: demo, status: confirmed}\n")
    one = "cases:\n" + case("no budget", 1, "values: {scaled: null}\n")
    results, cov = measure(DEFAULT.load(demo(policy, cases=one)))
    assert results[0].passed, results[0].diffs
    assert "scale" in cov.read


def test_dated_band_tables_have_rows_per_dated_value(demo):
    policy = POLICY.replace("""    value:
      - {label: High, over: 2}""", """    values:
      - from: 2025-01-01
        value:
          - {label: Many, over: 1}
          - {label: Few, to: 1}
      - from: 2023-01-01
        value:
          - {label: High, over: 2}""").replace("""      - {label: Low, from: 0, to: 2}
      - {label: Negative, under: 0}""", """          - {label: Low, from: 0, to: 2}
          - {label: Negative, under: 0}""")
    one = "cases:\n" + case("one IKU in 2024", 1, "values: {kelas: Low}\n").replace(
        "  input:", "  as_of: \"2024-06-01\"\n    input:", 1)
    results, cov = measure(DEFAULT.load(demo(policy, cases=one)))
    assert results[0].passed, results[0].diffs
    assert [b.describe() for b in cov.unhit_rows] == [
        "grades (from 2025-01-01): Many (x > 1)", "grades (from 2025-01-01): Few (x ≤ 1)",
        "grades (from 2023-01-01): High (x > 2)", "grades (from 2023-01-01): Negative (x < 0)"]


def test_coverage_does_not_change_results():
    policy = DEFAULT.load("kmk_300_2022")
    results, _ = measure(policy)
    assert results == run_policy(policy)
