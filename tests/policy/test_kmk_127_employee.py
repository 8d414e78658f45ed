"""KMK 127/2026 employee scoring (policies/kmk_127_2026_pegawai) from the command line: `--policy auto`
picks it for the four 2026 employee files of examples/pegawai_2026/, each passes with the hand-worked
NHK, NPK, NKP, ratings and predikat; the distance from the unit head and the functional role choose the
NKO blending tier; the penalty of Q4 2025 counts in the 2026 quarters only; NKP values are listed as
confidential."""
from __future__ import annotations

import json

import pytest
import yaml

from tests.conftest import ROOT
from tests.conftest import run_cli as run

pytestmark = pytest.mark.usefixtures("at_root")

FOLDER = "examples/pegawai_2026"
EXPECTED = {   # file: (nhk, npk, nkp, rating_hasil_kerja, rating_perilaku_kerja, predikat)
    "nkp_2026_fungsional_addendum.yaml": ("109.19", "103.50", "107.77", "Di Atas Ekspektasi", "Di Atas Ekspektasi", "Sangat Baik"),
    "nkp_2026_kabid_pkn.yaml": ("103.13", "101.55", "102.79", "Di Atas Ekspektasi", "Di Atas Ekspektasi", "Sangat Baik"),
    "nkp_2026_kasi_pembobotan.yaml": ("105.95", "100.97", "104.76", "Di Atas Ekspektasi", "Di Atas Ekspektasi", "Sangat Baik"),
    "nkp_2026_pelaksana_hukdis.yaml": ("98.38", "95.70", "97.71", "Sesuai Ekspektasi", "Sesuai Ekspektasi", "Baik"),
}
SCORE_NAMES = ("nhk", "npk", "nkp", "rating_hasil_kerja", "rating_perilaku_kerja", "predikat")


def _records(*args):
    r = run("check", "--format", "json", "--show-confidential", *args)   # the scores include NKP
    doc = json.loads(r.output)
    return r.exit_code, doc["summary"], {rec["source"].rsplit("/", 1)[-1]: rec for rec in doc["records"]}


def test_auto_picks_the_employee_policy_and_every_example_passes_with_its_hand_worked_scores():
    code, summary, records = _records("--policy", "auto", FOLDER)
    assert (code, summary["records"], summary["passed"]) == (0, 4, 4)
    assert {name: rec["policy"] for name, rec in records.items()} == dict.fromkeys(EXPECTED, "kmk_127_2026_pegawai")
    scores = {name: tuple(rec["values"][v] for v in SCORE_NAMES) for name, rec in records.items()}
    assert scores == EXPECTED
    assert all(rec["violations"] == [] for rec in records.values())


def test_a_heavy_penalty_of_q4_2025_counts_in_the_2026_quarters_q1_to_q3_but_not_in_the_annual_value():
    _, _, records = _records("--policy", "auto", f"{FOLDER}/nkp_2026_pelaksana_hukdis.yaml")
    values = records["nkp_2026_pelaksana_hukdis.yaml"]["values"]
    assert values["hukdis_triwulan"] == {"Q1": "20", "Q2": "20", "Q3": "20", "Q4": "3"}
    assert (values["hukdis_tahunan"], values["nkp_awal"], values["nkp_disesuaikan"]) == ("3", "100.23", "97.23")


def test_the_addendum_weighs_each_iki_by_k3_and_days_active():
    _, _, records = _records("--policy", "auto", f"{FOLDER}/nkp_2026_fungsional_addendum.yaml")
    values = records["nkp_2026_fungsional_addendum.yaml"]["values"]
    assert values["bobot"] == {"1a-N": "35.04", "2a-N": "32.12", "3a-N": "16.79", "4a-N": "16.06"}
    assert (values["nhk_awal"], values["koreksi"]) == ("115.18", "5")


@pytest.mark.parametrize(("levels_below_head", "functional_role", "nkp"), [
    (2, None, "104.76"),               # two levels below: 30 % NKO + 70 % value
    (1, None, "103.97"),               # one level below: 50/50 = (102 + 105.947942…) / 2
    (1, "non_substantive", "104.76"),  # non-substantive functional: 30/70 whatever the distance
    (2, "substantive", "103.97"),      # substantive functional: 50/50 whatever the distance
])
def test_the_distance_from_the_head_and_the_functional_role_choose_the_nko_blending_tier(
        tmp_path, levels_below_head, functional_role, nkp):
    data = yaml.safe_load((ROOT / FOLDER / "nkp_2026_kasi_pembobotan.yaml").read_text(encoding="utf-8"))
    data["employee"]["levels_below_head"] = levels_below_head
    if functional_role:
        data["employee"]["functional_role"] = functional_role
    data["skp"]["set_on"] = "2026-01-22"          # safe_load reads it as a date object; JSON takes the text
    path = tmp_path / "kasi.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code, _, records = _records("--policy", "kmk_127_2026_pegawai", path)
    assert (code, records["kasi.json"]["values"]["nkp"], records["kasi.json"]["values"]["nkp_disesuaikan"]) == (0, nkp, "105.95")


def test_the_policy_validates_strictly_and_its_cases_cover_every_rule_band_and_parameter():
    r = run("validate", "--strict", "kmk_127_2026_pegawai")
    assert (r.exit_code, r.output) == (0, "OK  kmk_127_2026_pegawai: 27 parameters, 47 values, 6 rules, 9/9 tests passed\n")
    r = run("test", "--require-full-coverage", "kmk_127_2026_pegawai")
    assert r.exit_code == 0, r.output
    assert "rules 6/6 fired, band rows 6/6 hit, parameters 27/27 read — complete" in r.output


def test_every_nkp_value_is_listed_as_confidential():
    policy = yaml.safe_load((ROOT / "policies/kmk_127_2026_pegawai/policy.yaml").read_text(encoding="utf-8"))
    nkp_values = sorted(name for name in policy["values"] if name.startswith("nkp"))
    assert sorted(policy["confidential"]) == nkp_values
