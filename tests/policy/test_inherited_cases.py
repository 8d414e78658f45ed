"""`kinerja test` on a draft that `extends` kmk_300_2022: the parents' cases run under the draft and
the report names what the amendment changes (not failures, unless --fail-on-inherited-change);
`kinerja validate` warns about a policy with no cases of its own."""
import json
import textwrap

import pytest
import yaml

from engine.policy.cases import run_policy
from engine.policy.registry import DEFAULT
from tests.conftest import ROOT
from tests.conftest import run_cli as run

PARAMETERS = len(DEFAULT.load("kmk_300_2022").parameters)   # the draft only overrides one cell: no new parameter

pytestmark = pytest.mark.usefixtures("at_root")

TOO_MANY = "22 IKU at eselon I exceeds the UPK One limit of 20"
DRAFT = """\
policy: {id}
extends: {parent}
title: Draft UPK One limit 18
parameters:
  iku_limits.upk_one.max:
    value: 18
    cite: KMK 2/KMK.01/2024 (hipotetis), batas IKU UPK One
    status: provisional
    note: A hypothetical amendment.
"""
PARENT = """\
policy: upk_one_base
extends: kmk_300_2022
title: A parent with a case of its own
"""
OWN_CASE = """\
cases:
  - name: {name}
    input: ../../upk_one_19.yaml
    expect:
      values: {{level: upk_one, target_tahunan: {{1a-C: 95}}}}
      violations: {violations}
"""


@pytest.fixture
def upk_one_19(tmp_path):
    """The DJPB contract (22 IKU) cut to 19 IKU: within kmk_300_2022's 15–20, above the draft's 18."""
    doc = yaml.safe_load((ROOT / "examples/pk_2024_djpb_too_many_iku.yaml").read_text(encoding="utf-8"))
    doc["iku"] = [i for i in doc["iku"] if i["code"] not in ("5c-N", "9b-N", "10c-N")]
    (tmp_path / "upk_one_19.yaml").write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return tmp_path


def policy(folder, text: str, case: str | None = None):
    folder.mkdir()
    (folder / "policy.yaml").write_text(text, encoding="utf-8")
    if case is not None:
        (folder / "tests").mkdir()
        (folder / "tests" / "own.yaml").write_text(case, encoding="utf-8")
    return folder


@pytest.fixture
def draft(upk_one_19):
    return policy(upk_one_19 / "draft_upk_one", DRAFT.format(id="draft_upk_one", parent="kmk_300_2022"),
                  OWN_CASE.format(name="19 IKU exceed the draft limit of 18", violations="{pk-iku-count: 1}"))


def parent_cases() -> tuple[int, int]:
    """How many cases kmk_300_2022 has, and the line of the 22-IKU case (read, not hard-coded)."""
    cases = run_policy(DEFAULT.load("kmk_300_2022"))
    return len(cases), next(c.line for c in cases if c.name == TOO_MANY)


MESSAGE_CHANGE = ("violations: pk-iku-count (message): '22 IKU pada upk_one; batasnya 15–20 IKU'"
                  " → '22 IKU pada upk_one; batasnya 15–18 IKU'")


def test_the_draft_reports_the_inherited_cases_it_changes(draft):
    total, line = parent_cases()
    r = run("test", draft)
    assert (r.exit_code, r.output) == (0, textwrap.dedent(f"""\
        draft_upk_one  (1 case)
          PASS  {draft}/tests/own.yaml:2  19 IKU exceed the draft limit of 18
          inherited from kmk_300_2022: {total} cases run under draft_upk_one (changes read kmk_300_2022 → draft_upk_one)
            CHANGED  policies/kmk_300_2022/tests/examples.yaml:{line}  {TOO_MANY}
                  {MESSAGE_CHANGE}
          1 of {total} inherited cases change outcome: pk-iku-count message changes in 1

        1 passed, 0 failed in 1 policy
        """))


def test_an_inherited_change_fails_only_with_the_option(draft):
    assert run("test", draft).exit_code == 0
    assert run("test", "--fail-on-inherited-change", draft).exit_code == 1
    assert run("test", "--fail-on-inherited-change", "kmk_300_2022").exit_code == 0  # nothing inherited


def test_a_failing_own_case_fails_the_draft_whatever_the_inherited_cases(upk_one_19):
    folder = policy(upk_one_19 / "draft_upk_one", DRAFT.format(id="draft_upk_one", parent="kmk_300_2022"),
                    OWN_CASE.format(name="wrong count", violations="{pk-iku-count: 2}"))
    r = run("test", folder)
    assert r.exit_code == 1
    assert ("  FAIL  " + f"{folder}/tests/own.yaml:2  wrong count\n"
            "        violations: pk-iku-count\n"
            "          expected: 2\n"
            "          got:      1\n") in r.output


def test_json_carries_an_inherited_section(draft):
    total, line = parent_cases()
    r = run("test", "--format", "json", draft)
    doc = json.loads(r.stdout)
    assert doc["summary"] == {"passed": 1, "failed": 0, "deselected": 0, "errors": 0, "inherited_changed": 1}
    inherited = doc["policies"][0]["inherited"]
    assert {k: inherited[k] for k in ("total", "changed", "summary", "effects")} == {
        "total": total, "changed": 1,
        "summary": f"1 of {total} inherited cases change outcome: pk-iku-count message changes in 1",
        "effects": {"pk-iku-count message changes": 1}}
    assert [c for c in inherited["cases"] if c["changed"]] == [{
        "policy": "kmk_300_2022", "file": "policies/kmk_300_2022/tests/examples.yaml", "line": line,
        "name": TOO_MANY, "changed": True, "effects": ["pk-iku-count message changes"],
        "changes": [{"text": "violations: pk-iku-count: expected message '22 IKU pada upk_one; batasnya 15–20 IKU', "
                             "got '22 IKU pada upk_one; batasnya 15–18 IKU'",
                     "field": "violations: pk-iku-count (message)",
                     "expected": "'22 IKU pada upk_one; batasnya 15–20 IKU'",
                     "got": "'22 IKU pada upk_one; batasnya 15–18 IKU'"}]}]
    assert sum(not c["changed"] for c in inherited["cases"]) == total - 1


def test_every_policy_in_the_chain_lends_its_cases(upk_one_19):
    """draft → upk_one_base → kmk_300_2022: the base's own 19-IKU case newly fires under the draft."""
    policy(upk_one_19 / "upk_one_base", PARENT,
           OWN_CASE.format(name="19 IKU are within 15–20", violations="[]"))
    folder = policy(upk_one_19 / "draft_upk_one", DRAFT.format(id="draft_upk_one", parent="upk_one_base"))
    total, line = parent_cases()
    r = run("test", "--policy-path", upk_one_19, folder)
    assert r.exit_code == 0
    assert r.output.splitlines()[1:] == [
        "  no test cases of its own (add cases to tests/*.yaml next to policy.yaml)",
        "  inherited from upk_one_base: 1 case run under draft_upk_one (changes read upk_one_base → draft_upk_one)",
        f"    CHANGED  {upk_one_19}/upk_one_base/tests/own.yaml:2  19 IKU are within 15–20",
        "          violations: unexpected pk-iku-count: 19 IKU pada upk_one; batasnya 15–18 IKU",
        f"  inherited from kmk_300_2022: {total} cases run under draft_upk_one"
        " (changes read kmk_300_2022 → draft_upk_one)",
        f"    CHANGED  policies/kmk_300_2022/tests/examples.yaml:{line}  {TOO_MANY}",
        f"          {MESSAGE_CHANGE}",
        f"  2 of {total + 1} inherited cases change outcome: pk-iku-count newly fires in 1,"
        " pk-iku-count message changes in 1",
        "",
        "0 passed, 0 failed in 1 policy"]


def test_k_selects_inherited_cases_too(draft):
    r = run("test", "-k", "exceeds the UPK one", draft)
    assert r.exit_code == 0   # an inherited case matches, though none of the draft's own does
    assert r.output.splitlines()[:2] == ["draft_upk_one  (0 of 1 cases selected)",
                                         "  inherited from kmk_300_2022: 1 case run under draft_upk_one"
                                         " (changes read kmk_300_2022 → draft_upk_one)"]
    assert "  1 of 1 inherited case change outcome: pk-iku-count message changes in 1\n" in r.output


def test_validate_warns_about_a_policy_without_cases_of_its_own(upk_one_19):
    folder = policy(upk_one_19 / "draft_upk_one", DRAFT.format(id="draft_upk_one", parent="kmk_300_2022"))
    r = run("validate", folder)
    assert (r.exit_code, r.output) == (0, f"  {folder}/policy.yaml: warning: draft_upk_one has no test cases"
                                          " of its own (tests/*.yaml)\n"
                                          f"OK  draft_upk_one: {PARAMETERS} parameters, 22 values, 14 rules\n")
    assert run("validate", "--strict", folder).exit_code == 1


def test_validate_does_not_warn_when_the_draft_has_cases(draft):
    r = run("validate", draft)
    assert (r.exit_code, r.output) == (0, f"OK  draft_upk_one: {PARAMETERS} parameters, 22 values, 14 rules, 1/1 tests passed\n")


def test_the_summary_names_the_most_frequent_change_first():
    from engine.policy.cases import CaseResult, InheritedCase
    from engine.report.cases import inherited_summary

    def case(*changes: str) -> InheritedCase:
        return InheritedCase("parent", CaseResult("t.yaml", 1, "c"), list(changes))

    nko = "values.nko: expected 1, got 2"
    fires = "violations: unexpected pk-iku-count: 19 IKU"
    cases = [case(fires), case(nko, "values.nko[x]: expected 1, got 2"), case(nko, fires), case(nko), case()]
    assert inherited_summary(cases) == "4 of 5 inherited cases change outcome: nko changes in 3, pk-iku-count newly fires in 2"
    assert inherited_summary([case()]) == "0 of 1 inherited case change outcome"
