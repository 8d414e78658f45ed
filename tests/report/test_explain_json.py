"""`kinerja explain --format json` (engine/report/explain_json.py): loaded back, its fields are
exactly the explanation's; and the text form shows the cells each step read, not whole tables."""
from __future__ import annotations

import json

import pytest

from tests.conftest import run_cli

pytestmark = pytest.mark.usefixtures("at_root")
SEMARANG = "examples/pk_2024_kppn_semarang_i.yaml"
TOO_MANY = "examples/pk_2024_djpb_too_many_iku.yaml"


def explain_json(*args) -> dict:
    r = run_cli("explain", "--policy", "kmk_300_2022", *args, "--format", "json")
    assert r.exit_code == 0, r.output
    return json.loads(r.output)


def test_value_explanation_fields():
    doc = explain_json(SEMARANG, "--value", "nko")
    assert list(doc) == ["policy", "instrument", "source", "explained", "values", "steps", "parameters",
                         "violations", "not_explained"]
    assert (doc["policy"], doc["instrument"], doc["source"]) == ("kmk_300_2022", "KMK 300/KMK.01/2022", SEMARANG)
    assert doc["explained"] == {"values": ["nko"]}
    assert doc["values"] == {"nko": "104.48"}
    assert [s["name"] for s in doc["steps"]] == [
        "periode_realisasi_terakhir", "periode_kumulatif", "realisasi_kumulatif", "target_kumulatif",
        "capaian_tahunan", "iku_utama", "nilai_ss", "nilai_perspektif", "nko"]
    assert (doc["violations"], doc["not_explained"]) == ([], [])


def test_a_step_without_for_each_has_result_and_cells_read():
    nko = explain_json(SEMARANG, "--value", "nko")["steps"][-1]
    assert list(nko) == ["name", "for_each", "description", "formula", "cite", "status", "result", "inputs", "items"]
    assert (nko["for_each"], nko["result"], nko["items"], nko["status"]) == ([], "104.48", [], None)
    assert nko["cite"] == "KMK 300/KMK.01/2022, NKO; bobot perspektif provisional"
    assert nko["formula"].startswith("round(sum(perspective_weights[p] * nilai_perspektif[p] for p in perspectives")
    assert nko["inputs"] == {
        "perspective_weights.stakeholder": "25", "nilai_perspektif[stakeholder]": "105.78",
        "perspective_weights.customer": "25", "nilai_perspektif[customer]": "103.11",
        "perspective_weights.internal_process": "25",
        "nilai_perspektif[internal_process]": "103.0816666666666666666666667",
        "perspective_weights.learning_growth": "25", "nilai_perspektif[learning_growth]": "105.955",
        "nko_decimals": "2"}


def test_a_step_with_for_each_has_items_with_key_result_and_inputs():
    steps = {s["name"]: s for s in explain_json(SEMARANG, "--value", "capaian_tahunan")["steps"]}
    capaian = steps["capaian_tahunan"]
    assert (capaian["for_each"], capaian["inputs"], capaian["status"]) == (["i"], {}, "provisional")
    assert capaian["result"]["1a-N"] == "110.42"
    first = capaian["items"][0]
    assert (first["key"], first["result"]) == ("1a-N", "110.42")
    assert {k: v for k, v in first["inputs"].items() if k != "i"} == {"target_kumulatif[i]": "90",
                                                                      "realisasi_kumulatif[i]": "99.38"}
    assert first["inputs"]["i"]["code"] == "1a-N"
    assert steps["target_kumulatif"]["items"][0]["inputs"] == {
        "i.consolidation": "average", "default_consolidation": "average",
        "Q1.target": "90", "Q2.target": "90", "Q3.target": "90", "Q4.target": "90"}


def test_parameters_carry_value_status_citation_and_note():
    params = {p["name"]: p for p in explain_json(SEMARANG, "--value", "nko")["parameters"]}
    assert params["nko_decimals"] == {
        "name": "nko_decimals", "value": "2", "status": "provisional",
        "cite": "Praktik publikasi NKO unit Kemenkeu (2 desimal)",
        "note": "No rounding rule for NKO was found; 2 decimals half-up like capaian is assumed."}


def test_rule_explanation_fields():
    doc = explain_json(TOO_MANY, "--rule", "pk-iku-count")
    assert doc["explained"] == {"rule": "pk-iku-count"}
    rule = doc["rule"]
    assert {k: v for k, v in rule.items() if k not in ("cite", "inputs")} == {
        "id": "pk-iku-count", "title": "Jumlah IKU sesuai batas level UPK", "status": "secondary",
        "severity": "error", "for_each": [], "when": "level in iku_limits",
        "require": "count(iku_utama) between iku_limits[level].min and iku_limits[level].max", "note": None,
        "outcome": "1 violation(s)"}
    [read] = rule["inputs"]
    assert read["path"] is None
    assert {k: v for k, v in read["inputs"].items() if k != "iku_utama"} == {
        "level": "upk_one", "iku_limits keys": ["upk_one", "upk_two", "upk_three"],
        "iku_limits.upk_one.min": "15", "iku_limits.upk_one.max": "20"}
    assert [(v["rule"], v["outcome"], v["message"]) for v in doc["violations"]] == [
        ("pk-iku-count", "failed", "22 IKU pada upk_one; batasnya 15–20 IKU")]
    assert doc["values"]["level"] == "upk_one"


def test_a_rule_that_passes_says_so():
    rule = explain_json(SEMARANG, "--rule", "pk-iku-count")["rule"]
    assert rule["outcome"] == "passed"


def test_text_shows_the_parameter_cells_a_rule_read():
    r = run_cli("explain", "--policy", "kmk_300_2022", TOO_MANY, "--rule", "pk-iku-count")
    lines = r.output.splitlines()
    at = lines.index("Inputs read:")
    assert lines[at + 1:at + 3] == ["  level = upk_one", "  iku_limits keys = upk_one, upk_two, upk_three"]
    assert lines[at + 4:at + 6] == ["  iku_limits.upk_one.min = 15", "  iku_limits.upk_one.max = 20"]
    assert not any("{…}" in line for line in lines)


def test_text_shows_the_cells_of_each_item_of_a_failing_for_each_rule():
    r = run_cli("explain", "--policy", "kmk_300_2022", "examples/pk_2024_kppn_cascade_too_deep.yaml",
                "--rule", "cascade-depth")
    lines = r.output.splitlines()
    at = lines.index("Inputs read where it did not pass:")
    assert lines[at + 1].startswith("  at iku[1]: i.cascade = ")
    assert lines[at + 1].endswith(", i.cascade.method = direct, i.cascade.depth = 3, cascade_max_depth = 2")


def test_text_shows_the_weights_and_values_nko_read():
    r = run_cli("explain", "--policy", "kmk_300_2022", SEMARANG, "--value", "nko")
    assert "  input:   perspective_weights.customer = 25\n  input:   nilai_perspektif[customer] = 103.11\n" in r.output
    assert "  [1a-N] 110.42   ← i = 1a-N, target_kumulatif[i] = 90, realisasi_kumulatif[i] = 99.38\n" in r.output
    assert "  [SS1] 105.78   ← capaian_tahunan[1a-N] = 110.42, capaian_tahunan[1b-C] = 101.14\n" in r.output


def test_confidential_values_are_left_out_of_json_too():
    r = run_cli("explain", "--policy", "auto", "examples/pegawai_2026/nkp_2026_fungsional_addendum.yaml",
                "--format", "json")
    doc = json.loads(r.output)
    assert doc["not_explained"] == ["nkp_awal", "nkp_disesuaikan", "nkp"]
    assert not {"nkp_awal", "nkp_disesuaikan", "nkp"} & ({s["name"] for s in doc["steps"]} | set(doc["values"]))
    assert doc["values"]["predikat"] == "Sangat Baik"
