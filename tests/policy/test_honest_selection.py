"""Honest policy selection (engine/policy/registry.py): `--policy auto` with two policies in force for a
record's date is an error naming both unless one `supersedes` the other; a broken policy on the search
path is skipped by `--policy auto` (one warning on stderr) and listed as BROKEN by `kinerja policies`;
an `extends` chain too deep or looping through folder names is a clear error, not a traceback."""
from __future__ import annotations

import pytest

from engine.policy.registry import Registry
from engine.search_path import ENV
from tests.conftest import ROOT
from tests.conftest import run_cli as run

PK_2024 = ROOT / "examples" / "pk_2024_kppn_semarang_i.yaml"
KMK300 = ROOT / "policies" / "kmk_300_2022" / "policy.yaml"


@pytest.fixture(autouse=True)
def _no_kinerja_path(monkeypatch, tmp_path):
    monkeypatch.delenv(ENV, raising=False)
    monkeypatch.chdir(tmp_path)


def _policy(folder, pid, text="", since="2022-07-28"):
    (folder / pid).mkdir(parents=True)
    (folder / pid / "policy.yaml").write_text(
        f"policy: {pid}\ntitle: T\neffective: {{from: {since}}}\n"
        "subject: {schema: organization_contract, as: contract}\n"
        f"reference_date: date(contract.year, 1, 1)\n{text}", encoding="utf-8")


def test_two_policies_in_force_for_the_same_date_is_an_error_naming_both(tmp_path):
    _policy(tmp_path / "mine", "my_draft")
    r = run("check", "--policy-path", "mine", "--policy", "auto", PK_2024)
    assert r.exit_code == 2
    assert r.output == (
        f"INPUT ERROR  {PK_2024}\n"
        "  two policies are in force on 2024-01-01 for organization_contract data: "
        f"my_draft (mine/my_draft/policy.yaml) and kmk_300_2022 ({KMK300}); choose one with --policy "
        "(or mark the newer one with `supersedes:`)\n\n"
        "1 record: 0 passed, 0 failed, 1 with input errors\n")


def test_a_policy_that_supersedes_the_other_candidate_wins(tmp_path):
    _policy(tmp_path / "mine", "my_draft", "supersedes: kmk_300_2022\n")
    r = run("check", "--policy-path", "mine", "--policy", "auto", PK_2024)
    assert (r.exit_code, r.output) == (0, f"PASS  {PK_2024}  (my_draft)\n\n1 record: 1 passed, 0 failed\n")


def test_an_amendment_extending_the_policy_in_force_is_ambiguous_unless_it_supersedes_it(tmp_path):
    for folder, text in (("plain", ""), ("superseding", "supersedes: kmk_300_2022\n")):
        (tmp_path / folder / "amend").mkdir(parents=True)
        (tmp_path / folder / "amend" / "policy.yaml").write_text(
            f"policy: amend\ntitle: T\nextends: kmk_300_2022\n{text}", encoding="utf-8")
    r = run("check", "--policy-path", "plain", "--policy", "auto", PK_2024)
    assert r.exit_code == 2 and "two policies are in force on 2024-01-01" in r.output
    r = run("check", "--policy-path", "superseding", "--policy", "auto", PK_2024)
    assert (r.exit_code, r.output.splitlines()[0]) == (0, f"PASS  {PK_2024}  (amend)")


def test_superseding_is_followed_through_a_chain_of_candidates(tmp_path):
    _policy(tmp_path / "d", "second", "supersedes: kmk_300_2022\n")
    _policy(tmp_path / "d", "third", "supersedes: second\n")
    r = run("check", "--policy-path", "d", "--policy", "auto", PK_2024)
    assert (r.exit_code, r.output.splitlines()[0]) == (0, f"PASS  {PK_2024}  (third)")


def test_the_bundled_policies_never_clash():
    # kmk_300_2022 supersedes kmk_467_2014 and their periods do not overlap; the addendum policy judges
    # another subject
    r = run("check", "--policy", "auto", ROOT / "examples", ROOT / "corpus")
    assert "policies are in force" not in r.output


def test_a_broken_policy_is_skipped_by_auto_with_one_warning(tmp_path):
    _policy(tmp_path / "p", "broken", "values:\n  x: {expr: nko +}\n")
    r = run("check", "--policy-path", "p", "--policy", "auto", PK_2024, PK_2024)
    assert r.exit_code == 0
    assert r.stdout.splitlines()[0] == f"PASS  {PK_2024}  (kmk_300_2022)"
    assert r.stderr.splitlines() == [
        "warning: p/broken: could not be loaded, not considered for --policy auto: "
        "p/broken/policy.yaml:7:17: expression ends too early; expected a value or an operator"]


def test_policies_lists_a_broken_policy_with_its_first_error_and_exits_2(tmp_path):
    (tmp_path / "p" / "bad").mkdir(parents=True)
    (tmp_path / "p" / "bad" / "policy.yaml").write_text("policy: bad\ntitle: [\n", encoding="utf-8")
    r = run("policies", "--policy-path", "p")
    assert r.exit_code == 2
    assert r.output.splitlines()[0].split() == ["ID", "INSTRUMENT", "IN", "FORCE", "SUBJECT"]
    assert r.output.splitlines()[-2:] == [
        "BROKEN  bad  (p/bad/policy.yaml)",
        "  p/bad/policy.yaml:3:1: YAML syntax error: did not find expected node content"]
    assert "kmk_300_2022" in r.output
    r = run("policies", "--policy-path", "p", "--format", "json")
    assert r.exit_code == 2 and '"error": "p/bad/policy.yaml:3:1: YAML syntax error' in r.output


def test_a_cycle_through_a_folder_and_id_mismatch_is_a_clear_error_that_breaks_nothing_else(tmp_path):
    (tmp_path / "p" / "a").mkdir(parents=True)
    (tmp_path / "p" / "a" / "policy.yaml").write_text("policy: b\ntitle: T\nextends: a\n", encoding="utf-8")
    r = run("policies", "--policy-path", "p")
    assert r.exit_code == 2
    assert r.output.splitlines()[-2:] == ["BROKEN  a  (p/a/policy.yaml)",
                                          "  p/a/policy.yaml:1:9: policy id 'b' differs from its folder name 'a'"]
    r = run("check", "--policy-path", "p", "--policy", "auto", PK_2024)
    assert r.exit_code == 0 and r.stdout.startswith(f"PASS  {PK_2024}  (kmk_300_2022)")


def test_an_extends_chain_deeper_than_the_limit_is_an_error_at_the_extends_line(tmp_path):
    for i in range(40):
        (tmp_path / "p" / f"p{i}").mkdir(parents=True)
        (tmp_path / "p" / f"p{i}" / "policy.yaml").write_text(
            f"policy: p{i}\ntitle: T\nextends: p{i + 1}\n" if i < 39 else
            "policy: p39\ntitle: T\neffective: {from: 2030-01-01}\n"
            "subject: {schema: organization_contract, as: contract}\n", encoding="utf-8")
    r = run("validate", "--policy-path", "p", "p0")
    assert (r.exit_code, r.output) == (1, "INVALID  p0\n"
                                          "  p/p31/policy.yaml:3:10: the extends chain is longer than 32 policies: "
                                          "p0 → … → p31 → p32\n      extends: p32\n               ^\n")
    assert sorted(Registry([tmp_path / "p"]).broken()) == [f"p{i}" for i in range(8)]
    assert run("validate", "--policy-path", "p", "p8").exit_code == 0   # 32 policies deep


def test_an_extends_chain_of_a_thousand_is_no_recursion_error(tmp_path):
    for i in range(1000):
        (tmp_path / "p" / f"p{i}").mkdir(parents=True)
        (tmp_path / "p" / f"p{i}" / "policy.yaml").write_text(
            f"policy: p{i}\ntitle: T\nextends: p{i + 1}\n" if i < 999 else "policy: p999\ntitle: T\n"
            "effective: {from: 2030-01-01}\nsubject: {schema: organization_contract, as: contract}\n",
            encoding="utf-8")
    r = run("validate", "--policy-path", "p", "p0")
    assert r.exit_code == 1 and "the extends chain is longer than 32 policies: p0 → … → p31 → p32" in r.output
