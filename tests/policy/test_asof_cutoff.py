"""The cumulative cut-off `periode_sampai` of kmk_300_2022 ("as of quarter q"), set in a draft.

A bundled test case cannot override a parameter, so a draft in a temporary folder extends
kmk_300_2022 (and kmk_127_2026, which inherits the parameter) and changes only `periode_sampai`.
The data is the input of the case "Cumulative values up to the latest realised period at the default
cut-off" in policies/kmk_300_2022/tests/consolidation.yaml, whose comments work out every figure
both at the default (terakhir) and as of Q2. S1 is the same cut-off as Q2; Y (or Q4) is the default.
"""
from __future__ import annotations

import textwrap
from decimal import Decimal

import pytest
import yaml

from engine.policy.build import build
from engine.policy.loader import read_spec, resolve
from engine.policy.registry import DEFAULT
from tests.conftest import ROOT

CASE_NAME = ("Cumulative values up to the latest realised period at the default cut-off "
             "(the same data as of Q2 in test_asof_cutoff.py)")
CASES = ROOT / "policies" / "kmk_300_2022" / "tests" / "consolidation.yaml"
CODES = ["q-avg", "q-sum", "q-last", "semester", "tahunan", "bulanan"]


def case_input() -> dict:
    cases = yaml.safe_load(CASES.read_text(encoding="utf-8"))["cases"]
    (case,) = [c for c in cases if c["name"] == CASE_NAME]
    return case["input"]


def draft(tmp_path, cutoff: str, parent: str = "kmk_300_2022"):
    path = tmp_path / "draft_asof" / "policy.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(textwrap.dedent(f"""\
        policy: draft_asof
        extends: {parent}
        parameters:
          periode_sampai:
            value: {cutoff}
            cite: Rancangan laporan Semester I (hipotetis), konsolidasi s.d. {cutoff}
            status: provisional
            note: Hypothetical draft cut-off.
        """), encoding="utf-8")
    return build(resolve(read_spec(path), DEFAULT.find))


def figures(policy) -> dict:
    values = policy.evaluate(case_input()).values
    out = {name: [values[name].get(code) for code in CODES]
           for name in ("target_kumulatif", "realisasi_kumulatif", "capaian_tahunan")}
    out.update(nilai_ss=values["nilai_ss"]["SS1"], nko=values["nko"], predikat=values["predikat"])
    return out


D = Decimal
DEFAULT_FIGURES = {
    "target_kumulatif": [D(92), D(30), D(100), D(90), D(100), D(10)],
    "realisasi_kumulatif": [D(94), D(31), D(95), D(90), D(80), D(10)],
    "capaian_tahunan": [D("102.17"), D("103.33"), D("95.00"), D("100.00"), D("80.00"), D("100.00")],
    "nilai_ss": D("96.75"), "nko": D("96.75"), "predikat": "Baik",
}
Q2_FIGURES = {
    # Q3, S2, Y and M07 end after Q2; the annual IKU has no period left, so it is missing, not 0
    "target_kumulatif": [D(90), D(20), D(90), D(90), None, D(5)],
    "realisasi_kumulatif": [D("94.5"), D(20), D(88), D(81), None, D(6)],
    "capaian_tahunan": [D("105.00"), D("100.00"), D("97.78"), D("90.00"), None, D("120.00")],
    "nilai_ss": D("102.556"), "nko": D("102.56"), "predikat": "Sangat Baik",
}


def test_the_default_is_up_to_the_latest_realised_period():
    parent = DEFAULT.load("kmk_300_2022")
    assert parent.parameters["periode_sampai"].dated[-1][1] == "terakhir"
    assert figures(parent) == DEFAULT_FIGURES


@pytest.mark.parametrize("cutoff", ["Q2", "S1"])
def test_as_of_q2_only_periods_ending_by_q2_count(tmp_path, cutoff):
    assert figures(draft(tmp_path, cutoff)) == Q2_FIGURES


@pytest.mark.parametrize("cutoff", ["Q4", "Y", "S2"])
def test_a_cut_off_at_the_year_end_changes_nothing(tmp_path, cutoff):
    assert figures(draft(tmp_path, cutoff)) == DEFAULT_FIGURES


def test_as_of_q1_and_q3(tmp_path):
    q1 = figures(draft(tmp_path, "Q1"))
    # Q1 only: q-avg 99 / 90 × 100 = 110.00; q-sum 12 / 10 × 100 = 120.00; q-last 85 / 80 × 100 = 106.25;
    # no semester, annual or monthly period ends by Q1 (M05 is in Q2)
    assert q1["capaian_tahunan"] == [D("110.00"), D("120.00"), D("106.25"), None, None, None]
    assert q1["target_kumulatif"] == [D(90), D(10), D(80), None, None, None]
    # (110.00 + 120.00 + 106.25) / 3 = 112.08333…
    assert (q1["nko"], q1["predikat"]) == (D("112.08"), "Sangat Baik")
    q3 = figures(draft(tmp_path, "Q3"))
    # Q1–Q3 are the latest realised quarters anyway; S2 and Y still end after Q3; M07 is in Q3
    assert q3["capaian_tahunan"] == [D("102.17"), D("103.33"), D("95.00"), D("90.00"), None, D("100.00")]
    assert q3["realisasi_kumulatif"] == [D(94), D(31), D(95), D(81), None, D(10)]


def test_the_cut_off_never_adds_periods_after_the_latest_realised_one(tmp_path):
    # q-avg's Q4 has a target but no realisation: as of Q4 it stays out (target 92, not (90+90+96+95)/4)
    assert figures(draft(tmp_path, "Q4"))["target_kumulatif"][0] == D(92)


def test_a_text_that_is_no_period_code_leaves_every_cumulative_value_missing(tmp_path):
    out = figures(draft(tmp_path, "Q5"))
    assert out["target_kumulatif"] == out["realisasi_kumulatif"] == out["capaian_tahunan"] == [None] * 6
    assert out["nko"] is None


def test_kmk_127_2026_inherits_the_parameter_and_its_cut_off(tmp_path):
    child = DEFAULT.load("kmk_127_2026")
    assert child.parameters["periode_sampai"].dated[-1][1] == "terakhir"
    under_default = child.evaluate(case_input()).values
    under_q2 = draft(tmp_path, "Q2", parent="kmk_127_2026").evaluate(case_input()).values
    assert [under_default["target_kumulatif"].get(c) for c in CODES] == DEFAULT_FIGURES["target_kumulatif"]
    assert [under_q2["target_kumulatif"].get(c) for c in CODES] == Q2_FIGURES["target_kumulatif"]
    assert [under_q2["realisasi_kumulatif"].get(c) for c in CODES] == Q2_FIGURES["realisasi_kumulatif"]
