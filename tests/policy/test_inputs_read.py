"""engine/policy/inputs_read.py: the cells a formula read in one evaluation, keys filled in."""
from __future__ import annotations

from decimal import Decimal

import engine
from engine.policy.inputs_read import Evaluation
from engine.record import read_records
from tests.conftest import EXAMPLES, contract

KMK_300 = engine.load_policy("kmk_300_2022")


def evaluation(name: str) -> Evaluation:
    return Evaluation(KMK_300, next(read_records(EXAMPLES / name)))


def test_weighted_mean_reads_each_perspective_weight_and_value():
    cells = evaluation("pk_2024_kppn_semarang_i.yaml").value_inputs("nko")
    assert cells == [{
        "perspective_weights.stakeholder": Decimal("25"), "nilai_perspektif[stakeholder]": Decimal("105.78"),
        "perspective_weights.customer": Decimal("25"), "nilai_perspektif[customer]": Decimal("103.11"),
        "perspective_weights.internal_process": Decimal("25"),
        "nilai_perspektif[internal_process]": Decimal("103.0816666666666666666666667"),
        "perspective_weights.learning_growth": Decimal("25"), "nilai_perspektif[learning_growth]": Decimal("105.955"),
        "nko_decimals": Decimal("2")}]


def test_an_aggregate_reads_only_the_items_its_where_keeps():
    per_ss = evaluation("pk_2024_kppn_semarang_i.yaml").value_inputs("nilai_ss")
    assert per_ss[0] == {"capaian_tahunan[1a-N]": Decimal("110.42"), "capaian_tahunan[1b-C]": Decimal("101.14")}
    assert len(per_ss) == 7


def test_consolidated_target_and_realisation_are_read_per_period():
    ev = evaluation("pk_2024_kppn_semarang_i.yaml")
    target = ev.value_inputs("target_kumulatif")[0]
    assert target == {"i.consolidation": "average", "default_consolidation": "average", "Q1.target": Decimal("90"),
                      "Q2.target": Decimal("90"), "Q3.target": Decimal("90"), "Q4.target": Decimal("90")}
    capaian = ev.value_inputs("capaian_tahunan")[0]
    assert [k for k in capaian] == ["i", "target_kumulatif[i]", "realisasi_kumulatif[i]"]
    assert (capaian["target_kumulatif[i]"], capaian["realisasi_kumulatif[i]"]) == (Decimal("90"), Decimal("99.38"))


def test_a_rule_reads_the_parameter_cells_of_the_units_level():
    [(path, cells)] = evaluation("pk_2024_djpb_too_many_iku.yaml").rule_inputs("pk-iku-count")
    assert path is None
    assert {k: v for k, v in cells.items() if k != "iku_utama"} == {
        "level": "upk_one", "iku_limits keys": ["upk_one", "upk_two", "upk_three"],
        "iku_limits.upk_one.min": Decimal("15"), "iku_limits.upk_one.max": Decimal("20")}
    assert len(cells["iku_utama"]) == 22


def test_a_for_each_rule_reads_per_item_with_its_path():
    read = evaluation("pk_2024_kppn_cascade_too_deep.yaml").rule_inputs("cascade-depth")
    failing = dict(read)["iku[1]"]
    assert (failing["i.cascade.depth"], failing["cascade_max_depth"]) == (Decimal("3"), Decimal("2"))


def test_an_if_reads_only_the_branch_it_took(make_policy):
    policy = make_policy("""
    parameters:
      big: {value: 10, cite: c, status: confirmed}
      small: {value: 1, cite: c, status: confirmed}
    values:
      pick: {expr: "if count(contract.iku) > 0 then big else small"}
    """)
    assert Evaluation(policy, contract()).value_inputs("pick") == [{"big": Decimal("10")}]


def test_a_cell_the_table_lacks_is_read_as_missing(make_policy):
    policy = make_policy("""
    parameters:
      limits: {value: {a: 1}, cite: c, status: confirmed}
    values:
      limit: {expr: "limits[contract.unit.code]"}
    """)
    assert Evaluation(policy, contract()).value_inputs("limit") == [{"contract.unit.code": "U1", "limits.U1": None}]
