"""Amendments written as drafts that `extend` a bundled policy and change only what they change.

A draft in a temporary folder extends kmk_300_2022 (found by id among the bundled policies) and
overrides one cell of `iku_limits` by path and only the `expr` of a per-item value. The tests check the
merged figures, the evaluation under the draft and under the parent, the record of overridden cells,
the exact errors of wrong paths and broken field-level overrides, outputs inherited and removed,
status on values and functions, and the policy id that must equal its registry folder's name.
"""
from __future__ import annotations

import textwrap
from decimal import Decimal

import pytest

from engine import read_records
from engine.errors import ErrorList, PolicyError
from engine.policy.build import build
from engine.policy.loader import read_spec, resolve
from engine.policy.merge import required_fields
from engine.policy.registry import DEFAULT, Registry
from engine.policy.spec import cell_entries, source_of
from tests.conftest import ROOT, contract

PARENT = DEFAULT.load("kmk_300_2022")
PARENT_CITE = "KMK 300/KMK.01/2022; bahan sosialisasi KMK 300 (seed briefing), batas jumlah IKU per level UPK"

CELL = """\
  iku_limits.upk_one.max:
    value: 18
    cite: Rancangan perubahan KMK 300 (hipotetis), batas IKU UPK One
    status: provisional
    note: Hypothetical draft figure.
"""

DRAFT = f"""\
policy: draft_amend
extends: kmk_300_2022
parameters:
{CELL}values:
  capaian_k3:
    expr: round(min(100, capaian_tahunan[i] * k3[i]), capaian_decimals)
"""


def write(tmp_path, text: str, folder: str = "draft_amend"):
    path = tmp_path / folder / "policy.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def spec_of(tmp_path, text: str):
    return resolve(read_spec(write(tmp_path, text)), DEFAULT.find)


def load(tmp_path, text: str = DRAFT):
    return build(spec_of(tmp_path, text))


def failure(tmp_path, text: str) -> PolicyError:
    with pytest.raises(PolicyError) as info:
        load(tmp_path, text)
    return info.value


def errors_in_draft(tmp_path, text: str) -> list[tuple]:
    """(message, line, column, hint) of each error, all of them in the draft's own file."""
    with pytest.raises(ErrorList) as info:
        load(tmp_path, text)
    assert all(e.location.file.endswith("draft_amend/policy.yaml") for e in info.value.errors)
    return [(e.message, e.location.line, e.location.column, e.hint) for e in info.value.errors]


def upk_one(iku_count: int) -> dict:
    iku = [{"code": f"{n}a-N", "name": f"IKU {n}", "objective": "SS1", "polarity": "maximize",
            "consolidation": "average", "periods": [{"period": "Q1", "target": 90, "realization": 100}]}
           for n in range(1, iku_count + 1)]
    return contract(unit={"code": "U1", "name": "Unit uji", "eselon": 1}, iku=iku)


def test_a_cell_override_keeps_the_rest_of_the_table(tmp_path):
    draft = load(tmp_path)
    assert draft.parameters["iku_limits"].dated[-1][1] == {
        "upk_one": {"min": 15, "max": 18}, "upk_two": {"min": 10, "max": 20},
        "upk_three": {"min": 10, "max": 20}}
    assert PARENT.parameters["iku_limits"].dated[-1][1]["upk_one"]["max"] == 20


def test_the_merged_parameter_records_the_cell_with_its_own_citation(tmp_path):
    entry = load(tmp_path).spec.parameters["iku_limits"]
    cells = cell_entries(entry)
    assert list(cells) == [("upk_one", "max")]
    cell = cells[("upk_one", "max")]
    assert (cell.name, cell.get("value"), cell.status, cell.note) == (
        "iku_limits.upk_one.max", 18, "provisional", "Hypothetical draft figure.")
    assert cell.get("cite") == "Rancangan perubahan KMK 300 (hipotetis), batas IKU UPK One"
    assert (cell.origin.file.endswith("draft_amend/policy.yaml"), cell.origin.location(key=True).line) == (True, 4)
    assert source_of(entry, ("upk_one", "max")) is cell
    assert source_of(entry, ("upk_one", "min")) is entry
    # the table is written in the parent; it is as certain as its least certain cell
    assert entry.origin.file.endswith("kmk_300_2022/policy.yaml") and entry.get("cite") == PARENT_CITE
    assert (PARENT.spec.parameters["iku_limits"].status, entry.status) == ("secondary", "provisional")


def test_nineteen_iku_fail_the_iku_count_rule_under_the_draft_only(tmp_path):
    draft, data = load(tmp_path), upk_one(19)
    under_draft = [v for v in draft.evaluate(data).violations if v.rule == "pk-iku-count"]
    assert [v.message for v in under_draft] == ["19 IKU pada upk_one; batasnya 15–18 IKU"]
    assert [v.rule for v in PARENT.evaluate(data).violations if v.rule == "pk-iku-count"] == []


def test_an_expr_only_override_keeps_the_inherited_for_each_key_and_cite(tmp_path):
    draft = load(tmp_path)
    entry, parent = draft.spec.values["capaian_k3"], PARENT.spec.values["capaian_k3"]
    assert entry.get("for_each") == parent.get("for_each") and entry.get("key") == parent.get("key")
    assert entry.get("expr") == "round(min(100, capaian_tahunan[i] * k3[i]), capaian_decimals)"
    assert sorted(entry.inherited) == sorted(f for f in parent.data if f != "expr")
    assert set(entry.inherited.values()) == {"kmk_300_2022"}
    assert entry.origin.file.endswith("draft_amend/policy.yaml")
    record = next(read_records(ROOT / "examples" / "pk_2024_kppn_semarang_i.yaml"))
    under_draft, under_parent = draft.evaluate(record).values["capaian_k3"], PARENT.evaluate(record).values["capaian_k3"]
    assert under_draft == {k: min(v, Decimal(100)) for k, v in under_parent.items()}
    assert max(under_parent.values()) > 100


def test_a_path_missing_in_the_parent_is_an_error_at_the_childs_line(tmp_path):
    e = failure(tmp_path, DRAFT.replace("iku_limits.upk_one.max", "iku_limits.upk_on.max"))
    assert e.message == "cannot override 'iku_limits.upk_on.max': iku_limits has no key 'upk_on'"
    assert e.hint == "did you mean 'upk_one'?"
    assert (e.location.file.endswith("draft_amend/policy.yaml"), e.location.line) == (True, 4)


def test_a_missing_parameter_and_a_missing_last_key(tmp_path):
    e = failure(tmp_path, DRAFT.replace("iku_limits.upk_one.max", "iku_limit.upk_one.max"))
    assert (e.message, e.hint) == ("cannot override 'iku_limit.upk_one.max': kmk_300_2022 has no parameter "
                                   "'iku_limit'", "did you mean 'iku_limits'?")
    e = failure(tmp_path, DRAFT.replace("iku_limits.upk_one.max", "iku_limits.upk_one.maxx"))
    assert (e.message, e.hint) == ("cannot override 'iku_limits.upk_one.maxx': iku_limits.upk_one has no "
                                   "key 'maxx'", "did you mean 'max'?")


def test_a_path_through_a_number_or_a_band_table_is_an_error(tmp_path):
    e = failure(tmp_path, DRAFT.replace("iku_limits.upk_one.max", "iku_limits.upk_one.max.value"))
    assert e.message == "cannot override 'iku_limits.upk_one.max.value': iku_limits.upk_one.max is the number 20, " \
                        "not a table"
    assert e.location.line == 4
    e = failure(tmp_path, DRAFT.replace("iku_limits.upk_one.max", "predikat_bands.baik"))
    assert e.message.startswith("cannot override 'predikat_bands.baik': predikat_bands is a list [{label: ")
    assert e.message.endswith(", not a table")


def test_a_dated_parameter_gets_the_cell_in_every_dated_value(tmp_path):
    text = """\
    policy: dated_child
    extends: dated_base
    parameters:
      limits.upk_one.max: {value: 18, cite: Rancangan, status: provisional, note: Draft.}
    """
    base = """\
    policy: dated_base
    title: Base
    effective: {from: 2022-01-01}
    subject: {schema: organization_contract, as: contract}
    parameters:
      limits:
        values:
          - {from: 2022-01-01, value: {upk_one: {min: 15, max: 20}}}
          - {from: 2024-01-01, value: {upk_one: {min: 12, max: 22}}}
        cite: Base
        status: secondary
    values:
      top: {expr: "limits.upk_one.max"}
    """
    write(tmp_path, base, "dated_base")
    spec = resolve(read_spec(write(tmp_path, text, "dated_child")), Registry(tmp_path).find)
    assert [d["value"] for d in spec.parameters["limits"].data["values"]] == [
        {"upk_one": {"min": 15, "max": 18}}, {"upk_one": {"min": 12, "max": 18}}]
    write(tmp_path, base.replace("{upk_one: {min: 12, max: 22}}", "{upk_two: {min: 12, max: 22}}"), "dated_base")
    with pytest.raises(PolicyError) as info:
        resolve(read_spec(write(tmp_path, text, "dated_child")), Registry(tmp_path).find)
    assert info.value.message == ("cannot override 'limits.upk_one.max': limits (its value from 2024-01-01) "
                                  "has no key 'upk_one'")


def test_dotted_keys_need_extends(tmp_path):
    text = """\
    policy: no_parent
    title: No parent
    effective: {from: 2022-01-01}
    subject: {schema: organization_contract, as: contract}
    parameters:
      iku_limits.upk_one.max: {value: 18, cite: Rancangan, status: provisional, note: Draft.}
    """
    with pytest.raises(PolicyError) as info:
        read_spec(write(tmp_path, text, "no_parent"))
    assert info.value.message == ("parameter 'iku_limits.upk_one.max' overrides one cell of an inherited table, "
                                  "but this policy does not extend another one")
    assert info.value.location.line == 6


def test_a_broken_field_level_override_is_reported_at_the_childs_line(tmp_path):
    text = DRAFT.replace("capaian_tahunan[i] * k3[i]", "capaian_tahunan[s] * k3[s]")
    hint = "inherited from kmk_300_2022: for_each `i in contract.iku`, key `{i.code}`"
    assert errors_in_draft(tmp_path, text) == [("unknown name 's'", 11, 42, hint), ("unknown name 's'", 11, 50, hint)]


def test_an_error_in_an_inherited_field_points_at_the_childs_key(tmp_path):
    text = DRAFT + "  nilai_ss:\n    key: \"{s.code}\"\n    for_each: q in contract.iku\n"
    hint = "inherited from kmk_300_2022: expr `avg(capaian_tahunan[i] for i in iku_utama where i.objective…`"
    # the inherited expr reads `s`: placed at the child's `nilai_ss:` key; the child's own key at its text
    assert errors_in_draft(tmp_path, text) == [("unknown name 's'", 12, 3, hint), ("unknown name 's'", 13, 12, hint)]


def test_only_severity_of_a_rule_changes(tmp_path):
    text = DRAFT + "rules:\n  - id: pk-iku-count\n    severity: warning\n"
    draft, data = load(tmp_path, text), upk_one(19)
    rule = draft.spec.rules["pk-iku-count"]
    assert rule.get("severity") == "warning" and rule.get("require") == PARENT.spec.rules["pk-iku-count"].get("require")
    assert [(v.rule, v.severity) for v in draft.evaluate(data).violations if v.rule == "pk-iku-count"] == [
        ("pk-iku-count", "warning")]


def test_a_new_entry_of_a_child_still_needs_its_required_fields(tmp_path):
    text = DRAFT + "  capaian_k4:\n    for_each: i in contract.iku\nrules:\n  - id: new-rule\n    severity: warning\n"
    with pytest.raises(ErrorList) as info:
        load(tmp_path, text)
    assert [(e.message, e.location.line, e.hint) for e in info.value.errors] == [
        ("value 'capaian_k4' needs 'expr': kmk_300_2022 has no value 'capaian_k4' to inherit it from", 12,
         "did you mean 'capaian_k3'?"),
        ("rule 'new-rule' needs 'title', 'cite', 'require': kmk_300_2022 has no rule 'new-rule' to inherit "
         "them from", 15, None)]
    assert required_fields("rules") == ["title", "cite", "require"]


def test_outputs_inherit_add_and_remove(tmp_path):
    parent_outputs = PARENT.outputs
    draft = load(tmp_path)
    assert draft.outputs == parent_outputs
    text = DRAFT + "  k3_total:\n    expr: sum(k3)\noutputs: [k3_total]\nremove:\n  outputs: [nko_k3]\n"
    draft = load(tmp_path, text)
    assert draft.outputs == [o for o in parent_outputs if o != "nko_k3"] + ["k3_total"]
    e = failure(tmp_path, DRAFT + "outputs: [k3_totl]\n")
    assert (e.message, e.location.line) == ("output 'k3_totl' is not a value of this policy", 12)
    e = failure(tmp_path, DRAFT + "remove:\n  outputs: [nko_k4]\n")
    assert (e.message, e.hint, e.location.line) == (
        "cannot remove output 'nko_k4': kmk_300_2022 does not report it", "did you mean 'nko_k3'?", 13)


def test_status_and_note_on_values_and_functions(tmp_path):
    text = DRAFT.replace("    expr: round(", "    status: secondary\n    expr: round(") + """\
  k3_total:
    expr: sum(k3)
    status: provisional
functions:
  arah:
    status: secondary
    note: Reading of the polarity rule.
"""
    draft = load(tmp_path, text)
    capaian_k3 = draft.spec.values["capaian_k3"]   # kmk_300_2022 marks it provisional with a note
    assert (capaian_k3.status, capaian_k3.note.startswith("How K3 adjusts capaian"), capaian_k3.inherited["note"]) == (
        "secondary", True, "kmk_300_2022")
    assert (draft.spec.functions["arah"].status, draft.spec.functions["arah"].note) == (
        "secondary", "Reading of the polarity rule.")
    mine = [(w.message, w.location.line) for w in draft.warnings if "draft_amend" in w.location.file]
    assert mine == [("provisional value 'k3_total' has no note explaining the assumption", 13)]


def test_a_provisional_cell_without_a_note_is_warned_about(tmp_path):
    draft = load(tmp_path, DRAFT.replace("    note: Hypothetical draft figure.\n", ""))
    mine = [(w.message, w.location.line) for w in draft.warnings if "draft_amend" in w.location.file]
    assert mine == [("provisional parameter 'iku_limits.upk_one.max' has no note explaining the assumption", 4)]


def test_a_registry_policy_must_be_named_like_its_folder(tmp_path):
    write(tmp_path, DRAFT, "draft_two")
    registry = Registry(tmp_path)
    with pytest.raises(PolicyError) as info:
        registry.spec("draft_two")
    assert (info.value.message, info.value.location.line) == (
        "policy id 'draft_amend' differs from its folder name 'draft_two'", 1)
    # outside a registry's folders (found by no finder) a draft may have any id
    assert resolve(read_spec(tmp_path / "draft_two" / "policy.yaml"), DEFAULT.find).id == "draft_amend"
