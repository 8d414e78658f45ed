"""One contract file, two regulations: KMK 467/KMK.01/2014 (Kontrak Kinerja, 2015 … 2022-07-27) and
KMK 300/KMK.01/2022 (Perjanjian Kinerja, from 2022-07-28) read the same organisation contract data.
These tests judge the same files with both policies through the Python API and assert, exactly, the
differences the regulations imply (and the values they share)."""
from decimal import Decimal as D

import pytest

import engine
from engine.policy.registry import DEFAULT
from tests.conftest import EXAMPLES

KMK467 = "kmk_467_2014"
KMK300 = "kmk_300_2022"


def judge(policy_id: str, data):
    record = next(engine.read_records(EXAMPLES / data)) if isinstance(data, str) else data
    return engine.load_policy(policy_id).evaluate(record)


def found(result) -> list[tuple[str, str | None, str]]:
    return [(v.rule, v.path, v.outcome) for v in result.violations]


def regulation(result) -> list:
    """Violations of the regulation itself. kmk_300_2022 also carries the unit practice of IIAA
    achievement reports (rules iiaa-*, seed 003, not a reading of either KMK); KK files of the KMK 467
    era carry no such reports, so those findings are left out of the comparison."""
    return [v for v in result.violations if not v.rule.startswith("iiaa-")]


def test_22_iku_at_eselon_one_is_within_467_but_over_300():
    # KMK 467: eselon I map owner at most 25 IKU; KMK 300: UPK One 15-20.
    old, new = judge(KMK467, "pk_2024_djpb_too_many_iku.yaml"), judge(KMK300, "pk_2024_djpb_too_many_iku.yaml")
    assert (old.values["level"], new.values["level"]) == ("kemenkeu_one", "upk_one")
    assert "kk-iku-count" not in [v.rule for v in old.violations]
    assert [(v.rule, v.message) for v in regulation(new)] == [("pk-iku-count", "22 IKU pada upk_one; batasnya 15–20 IKU")]
    # what KMK 467 does object to: activity-high IKU of a map owner, and no SKP stated in the file
    assert found(old) == [("iku-quality", "iku[16]", "failed"), ("iku-quality", "iku[17]", "failed"),
                          ("kk-skp", None, "undetermined")]


def test_four_iku_on_one_ss_and_a_late_signature_break_467_only():
    # KMK 467: at most 3 IKU per SS and a KK set by 31 January; KMK 300 states neither.
    old, new = judge(KMK467, "kk_2021_kanwil_djpb_jateng.yaml"), judge(KMK300, "kk_2021_kanwil_djpb_jateng.yaml")
    assert [(v.rule, v.path, v.message) for v in old.violations] == [
        ("kk-iku-per-ss", "strategy_map.objectives[0]", "SS1 diukur 4 IKU; paling banyak 3 IKU per SS"),
        ("kk-deadline", None, "KK ditetapkan 2021-02-08, setelah batas 2021-01-31"),
    ]
    assert regulation(new) == []
    # the score chain is the same reading in both (no maximum-target IKU here): same NKO
    assert old.values["nko"] == new.values["nko"] == D("103.78")
    assert old.values["nilai_ss"]["SS1"] == new.values["nilai_ss"]["SS1"] == D("104.6725")


def test_clean_kk_lacks_what_a_pk_needs():
    # KMK 467 has no IKU minimum and no budget component; KMK 300 asks UPK Three for 10-20 IKU and a budget.
    old, new = judge(KMK467, "kk_2021_kppn_semarang_i.yaml"), judge(KMK300, "kk_2021_kppn_semarang_i.yaml")
    assert old.violations == []
    assert [(v.rule, v.message) for v in regulation(new)] == [
        ("pk-iku-count", "9 IKU pada upk_three; batasnya 10–20 IKU"),
        ("pk-budget", "PK tidak memuat rincian anggaran (budget.total)"),
    ]
    # the published KPPN Semarang I 2021 capaian, reproduced by both
    for r in (old, new):
        cap = r.values["capaian_periode"]
        assert (cap["1a-N Q1"], cap["1a-N Q2"], r.values["capaian_tahunan"]["1a-N"]) == \
            (D("111.11"), D("110.56"), D("110.42"))
    assert old.values["nko"] == new.values["nko"] == D("104.01")
    assert old.values["predikat"] == new.values["predikat"] == "Sangat Baik"


def test_executor_kk_is_level_five_with_employee_scores_only_under_467():
    old, new = judge(KMK467, "kk_2021_pelaksana_kppn_semarang_i.yaml"), judge(KMK300, "kk_2021_pelaksana_kppn_semarang_i.yaml")
    assert (old.values["level"], new.values["level"]) == ("kemenkeu_five", "kemenkeu_five")
    assert (old.values["ckp"], old.values["np"], old.values["nkp"]) == (D("105.62"), D("87.30"), D("98.29"))
    assert "nkp" not in new.values
    assert old.violations == []
    assert [v.rule for v in regulation(new)] == []   # not a PK under KMK 300: no budget required


def iku(code: str, objective: str, **extra) -> dict:
    return {"code": code, "name": "IKU uji", "objective": objective, "polarity": "maximize",
            "validity": "proxy", "control": "moderate",
            "periods": [{"period": "Y", "target": 100, "realization": 100}], **extra}


def inline_contract(**changes) -> dict:
    """An eselon II map owner's contract that both regulations accept (11 IKU over 4 SS, budget, SKP)."""
    base = {
        "kind": "organization_contract", "year": 2021, "signed_on": "2021-01-20",
        "statement_of_commitment": True, "skp": True, "budget": {"total": 1},
        "unit": {"code": "U2", "name": "Kanwil uji", "eselon": 2, "owns_strategy_map": True},
        "strategy_map": {"objectives": [{"code": f"SS{n}", "perspective": p} for n, p in
                                        enumerate(["stakeholder", "customer", "internal_process", "learning_growth"], 1)]},
        "initiatives": [{"name": "Inisiatif uji", "output": "Keluaran", "completion_period": "Q4",
                         "milestones": [{"period": "Q4", "target": 100}]}],
        "iku": [iku("K01", "SS1"), iku("K02", "SS1"), iku("K03", "SS1"),
                iku("K04", "SS2"), iku("K05", "SS2"), iku("K06", "SS2"),
                iku("K07", "SS3"), iku("K08", "SS3"), iku("K09", "SS3"),
                iku("K10", "SS4"), iku("K11", "SS4")],
    }
    base.update(changes)
    return base


def test_the_inline_contract_passes_both():
    assert judge(KMK467, inline_contract()).violations == []
    assert judge(KMK300, inline_contract()).violations == []


def test_same_iku_under_two_ss_and_a_sub_iku_at_eselon_two_break_467_only():
    data = inline_contract()
    data["iku"][5] = iku("K01", "SS2")                          # IKU K01 measures SS1 and, again, SS2
    data["iku"].append(iku("K02.1", "SS1", parent_iku="K02"))    # a sub-IKU in an eselon II contract
    data["iku"] += [iku("K12", "SS4"), iku("K13", "SS4")]       # SS4 measured by 4 IKU
    old, new = judge(KMK467, data), judge(KMK300, data)
    assert [(v.rule, v.path) for v in old.violations] == [
        ("kk-iku-per-ss", "strategy_map.objectives[3]"),
        ("kk-iku-single-ss", "iku[5]"),
        ("sub-iku-level", "iku[11]"),
    ]
    assert new.violations == []


@pytest.mark.parametrize("year, policy_id", [(2015, KMK467), (2021, KMK467), (2022, KMK467), (2023, KMK300)])
def test_auto_selection_by_1_january_of_the_performance_year(year, policy_id):
    # KMK 467 is in force until 2022-07-27: a 2022 contract (reference date 2022-01-01) is still judged by it.
    assert DEFAULT.select(inline_contract(year=year), "organization_contract").id == policy_id
