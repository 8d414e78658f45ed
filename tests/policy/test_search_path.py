"""The search path (engine/search_path.py): `--policy-path` folders, then KINERJA_PATH, then the bundled
policies and schemas; a policy id or schema name in two places is an error naming both; a draft with
its own `schemas/` folder works through `--policy-path`, KINERJA_PATH or its own path."""
from __future__ import annotations

import json
import shutil

import pytest

import engine
from engine.search_path import ENV, SearchPath, bundled
from tests.conftest import ROOT
from tests.conftest import run_cli as run

DRAFTS = ROOT / "tests" / "fixtures" / "drafts"
SKP_FAIL = ("FAIL  {data}  (skp_draft)\n"
            "  {data}: error [indikator-cukup]: 2 indikator; paling sedikit 3\n"
            "      Rancangan, jumlah indikator\n\n"
            "1 record: 0 passed, 1 failed (1 error)\n")
SKP_OK = "OK  skp_draft: 1 parameters, 1 values, 1 rules, 1/1 tests passed\n"


@pytest.fixture
def drafts(tmp_path, monkeypatch):
    """A copy of tests/fixtures/drafts in a scratch folder, which is also the working folder."""
    shutil.copytree(DRAFTS, tmp_path / "drafts")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(ENV, raising=False)
    return tmp_path / "drafts"


def _policy(folder, pid, title="T"):
    (folder / pid).mkdir(parents=True)
    (folder / pid / "policy.yaml").write_text(
        f"policy: {pid}\ntitle: {title}\neffective: {{from: 2023-01-01}}\n"
        "subject: {schema: organization_contract, as: contract}\n", encoding="utf-8")


def test_order_is_policy_path_then_kinerja_path_then_bundled(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV, f"{tmp_path / 'e1'}:{tmp_path / 'e2'}")
    path = SearchPath.standard([tmp_path / "p1", tmp_path / "p2"])
    assert [f.policies for f in path.folders] == [tmp_path / n for n in ("p1", "p2", "e1", "e2")] \
        + [bundled().policies]
    assert path.schema_dirs()[:4] == tuple(tmp_path / n / "schemas" for n in ("p1", "p2", "e1", "e2"))
    assert bundled() == type(bundled())(ROOT / "policies", ROOT / "schemas")  # a checkout: the top-level folders


def test_folders_are_searched_in_order_and_bundled_policies_stay_visible(tmp_path, monkeypatch):
    _policy(tmp_path / "first", "only_first")
    _policy(tmp_path / "env", "only_env")
    monkeypatch.setenv(ENV, str(tmp_path / "env"))
    registry = engine.Registry(path=[tmp_path / "first"])
    found = registry.paths()
    assert list(found)[:2] == ["only_first", "only_env"]
    assert found["kmk_300_2022"] == ROOT / "policies" / "kmk_300_2022" / "policy.yaml"
    assert engine.Registry(SearchPath.of([tmp_path / "first"])).paths() == \
        {"only_first": tmp_path / "first" / "only_first" / "policy.yaml"}


def test_a_policy_id_in_two_places_is_an_error_naming_both(tmp_path):
    _policy(tmp_path / "a", "twin")
    _policy(tmp_path / "b", "twin")
    r = run("check", "--policy-path", tmp_path / "a", "--policy-path", tmp_path / "b", "--policy", "twin",
            ROOT / "examples" / "pk_2024_kppn_semarang_i.yaml")
    assert r.exit_code == 2
    assert r.output == (f"error: policy 'twin' is found twice on the search path, in {tmp_path}/a/twin/policy.yaml "
                        f"and in {tmp_path}/b/twin/policy.yaml; rename one, or take its folder off "
                        f"--policy-path or KINERJA_PATH\n")


def test_a_bundled_id_shadowed_from_kinerja_path_is_an_error_not_a_silent_pick(tmp_path, monkeypatch):
    _policy(tmp_path, "kmk_300_2022")
    monkeypatch.setenv(ENV, str(tmp_path))
    with pytest.raises(engine.KinerjaError) as info:
        engine.load_policy("kmk_300_2022")
    assert str(info.value) == (
        f"policy 'kmk_300_2022' is found twice on the search path, in {tmp_path}/kmk_300_2022/policy.yaml and in "
        f"{ROOT}/policies/kmk_300_2022/policy.yaml; rename one, or take its folder off --policy-path or KINERJA_PATH")
    assert engine.load_policy("kmk_467_2014").id == "kmk_467_2014"   # only the clashing id is refused


def test_the_same_folder_twice_is_not_a_clash():
    r = run("policies", "--policy-path", ROOT / "policies", "--policy-path", ROOT / "policies")
    assert (r.exit_code, r.output) == (0, run("policies").output)


def test_a_schema_name_in_two_places_is_an_error_naming_both(drafts, tmp_path):
    (tmp_path / "other" / "schemas").mkdir(parents=True)
    shutil.copy(drafts / "schemas" / "employee_skp.schema.json", tmp_path / "other" / "schemas")
    r = run("validate", "--policy-path", "drafts", "--policy-path", "other", "skp_draft")
    assert r.exit_code == 1
    assert r.output == (
        "INVALID  skp_draft\n"
        f"  drafts/skp_draft/policy.yaml:6:19: data schema 'employee_skp' is found twice on the search path, "
        f"in {tmp_path}/drafts/schemas/employee_skp.schema.json and in {tmp_path}/other/schemas/employee_skp.schema.json; "
        "rename one, or take its folder off --policy-path or KINERJA_PATH\n"
        "      subject: {schema: employee_skp, as: skp}\n"
        "                        ^\n")


def test_a_draft_with_its_own_schema_through_policy_path(drafts):
    assert (lambda r: (r.exit_code, r.output))(run("validate", "--policy-path", "drafts", "skp_draft")) == (0, SKP_OK)
    r = run("check", "--policy-path", "drafts", "--policy", "skp_draft", "drafts/skp_two_indicators.yaml")
    assert (r.exit_code, r.output) == (1, SKP_FAIL.format(data="drafts/skp_two_indicators.yaml"))


def test_a_draft_with_its_own_schema_through_kinerja_path(drafts, monkeypatch):
    monkeypatch.setenv(ENV, str(drafts))
    assert (lambda r: (r.exit_code, r.output))(run("validate", "skp_draft")) == (0, SKP_OK)
    r = run("check", "--policy", "skp_draft", "drafts/skp_two_indicators.yaml")
    assert (r.exit_code, r.output) == (1, SKP_FAIL.format(data="drafts/skp_two_indicators.yaml"))
    assert engine.load_policy("skp_draft").subject == "employee_skp"


def test_a_draft_given_by_path_uses_its_folders_schemas(drafts):
    r = run("check", "--policy", "drafts/skp_draft", "drafts/skp_two_indicators.yaml")
    assert (r.exit_code, r.output) == (1, SKP_FAIL.format(data="drafts/skp_two_indicators.yaml"))
    r = run("check", "--policy", "skp_draft", "drafts/skp_two_indicators.yaml")   # by id: not on the path
    assert (r.exit_code, r.output) == (2, "unknown policy 'skp_draft' (known: kmk_127_2026, kmk_127_2026_pegawai, kmk_300_2022, kmk_300_2022_addendum, "
                                          "kmk_467_2014, permenpan_6_2022)\n")


def test_an_amendment_of_a_bundled_policy_validates_checks_and_compares(drafts):
    r = run("validate", "--policy-path", "drafts", "my_amendment")
    assert (r.exit_code, r.output) == (0, "  drafts/my_amendment/policy.yaml: warning: my_amendment has no test cases"
                                          " of its own (tests/*.yaml)\n"
                                          "OK  my_amendment: 22 parameters, 22 values, 14 rules\n")
    r = run("check", "--policy-path", "drafts", "--policy", "my_amendment", ROOT / "examples" / "pk_2024_kppn_semarang_i.yaml")
    assert r.exit_code == 0 and "  nko = 104.01\n" in r.output          # 104.48 with KMK 300's cap of 120
    r = run("compare", "--policy-path", "drafts", "--base", "kmk_300_2022", "--candidate", "my_amendment",
            "--format", "json", ROOT / "corpus" / "kemenkeu_2024.jsonl")
    summary = json.loads(r.output)["summary"]
    assert r.exit_code == 0 and (summary["records"], summary["compared"], summary["changed"]) == (40, 40, 40)


def test_schema_caches_are_per_search_path(drafts, tmp_path):
    # another folder's employee_skp (wanting a NIP of 18 digits) does not leak into the drafts' search path
    (tmp_path / "strict" / "schemas").mkdir(parents=True)
    strict = (drafts / "schemas" / "employee_skp.schema.json").read_text().replace('"minLength": 1', '"minLength": 19')
    (tmp_path / "strict" / "schemas" / "employee_skp.schema.json").write_text(strict)
    shutil.copytree(drafts / "skp_draft", tmp_path / "strict" / "skp_draft")
    loose, tight = engine.Registry(path=[drafts]).load("skp_draft"), engine.Registry(path=[tmp_path / "strict"]).load("skp_draft")
    data = {"kind": "employee_skp", "nip": "199001012015011001", "year": 2024, "indicators": []}
    assert loose.evaluate(data).violations[0].rule == "indikator-cukup"
    with pytest.raises(engine.DataError, match="nip: '199001012015011001' is too short"):
        tight.evaluate(data)
