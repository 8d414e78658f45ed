"""KMK 127/2026 (policies/kmk_127_2026) from the command line: `--policy auto` picks it for 2026 data and
KMK 300/2022 for 2024 data, and its UPK Three limit of 15 IKU fails a contract KMK 300 lets pass."""
from __future__ import annotations

import json

from tests.conftest import ROOT
from tests.conftest import run_cli as run

TOO_MANY = "examples/pk_2026_kpp_pratama_too_many_iku.yaml"
CLEAN_2026 = "examples/pk_2026_kppn_semarang_i.yaml"
CLEAN_2024 = "examples/pk_2024_kppn_semarang_i.yaml"


def _checked(*args):
    r = run("check", "--format", "json", *args)
    return r.exit_code, json.loads(r.output)["records"]


def _rule_ids(result):
    return [v["rule"] for v in result["violations"]]


def test_auto_picks_kmk_127_for_2026_and_kmk_300_for_2024():
    code, results = _checked("--policy", "auto", CLEAN_2026, CLEAN_2024)
    assert code == 0
    assert [(r["policy"], _rule_ids(r)) for r in results] == [("kmk_127_2026", []), ("kmk_300_2022", [])]


def test_sixteen_iku_at_upk_three_fail_kmk_127_and_pass_kmk_300():
    code, [result] = _checked("--policy", "kmk_127_2026", TOO_MANY)
    assert (code, _rule_ids(result)) == (1, ["pk-iku-count"])
    assert result["violations"][0]["message"] == "16 IKU pada upk_three; paling banyak 15 IKU"
    code, [result] = _checked("--policy", "kmk_300_2022", TOO_MANY)
    assert (code, _rule_ids(result)) == (0, [])
    code, [result] = _checked("--policy", "auto", TOO_MANY)
    assert (code, result["policy"], _rule_ids(result)) == (1, "kmk_127_2026", ["pk-iku-count"])


def test_kmk_127_validates_reporting_the_unassigned_nko_edges_as_open_questions():
    r = run("validate", "kmk_127_2026")
    assert r.exit_code == 0, r.output
    where = ROOT / "policies/kmk_127_2026/policy.yaml"
    gaps = [("80", "Buruk", "Kurang"), ("90", "Kurang", "Cukup"), ("100", "Cukup", "Baik")]
    warnings = [f"  {where}:79:7: open question: bands leave a gap at {x} ('{a}' / '{b}'): a value there gets no label"
                for x, a, b in gaps]
    lines = r.output.splitlines()
    assert lines[:3] == warnings
    assert lines[3].startswith("OK  kmk_127_2026: ") and lines[3].endswith("tests passed")
    strict = run("validate", "--strict", "kmk_127_2026")     # an open question is never a failure
    assert (strict.exit_code, strict.output) == (0, r.output)


def test_an_nko_on_an_unassigned_edge_gets_no_predikat_and_a_warning(tmp_path):
    contract = tmp_path / "nko_100.yaml"
    contract.write_text(
        "kind: organization_contract\nyear: 2026\n"
        "unit: {code: KEMENKEU, name: Kementerian Keuangan, eselon: 0}\n"
        "strategy_map: {objectives: [{code: SS1, perspective: stakeholder}]}\nbudget: {total: 1}\n"
        "iku: [{code: a, name: a, objective: SS1, polarity: maximize, consolidation: last,\n"
        "       periods: [{period: Y, target: 100, realization: 100}]}]\n", encoding="utf-8")
    code, [result] = _checked("--policy", "auto", contract)
    assert (code, result["values"]["nko"], result["values"]["predikat"]) == (0, "100.00", None)
    [finding] = result["violations"]
    assert (finding["rule"], finding["severity"], finding["message"]) == (
        "nko-predikat-determined", "warning",
        "predikat tidak dapat ditentukan (undetermined): sumber tidak menetapkan band untuk NKO 100.00")
    assert run("check", "--policy", "auto", "--fail-on", "warning", contract).exit_code == 1
