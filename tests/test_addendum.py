"""PK addenda (schemas/pk_addendum, policies/kmk_300_2022_addendum) and the KMK 300 additions that the
policies' own data cases cannot express: the schema copy staying in step with the organisation
contract, policy selection by `kind` and date, input errors inside the nested PK, and the literal
reading of the mandatory-addendum rule."""
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import engine
from cli import main
from tests.conftest import ROOT

ADDENDA = ROOT / "examples" / "addendum"
CLEAN = ADDENDA / "pk_addendum_2024_kppn_semarang_i.yaml"


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


def schema(name: str) -> dict:
    return json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("definition", ["unit", "strategy_map", "objective", "iku", "period_value", "initiative"])
def test_addendum_schema_copies_the_organisation_contract_definitions(definition):
    # The engine does not resolve $ref across schema files, so pk_addendum carries copies. If this fails,
    # copy the definition from organization_contract.schema.json into pk_addendum.schema.json's $defs.
    assert schema("pk_addendum")["$defs"][definition] == schema("organization_contract")["$defs"][definition]


def test_addendum_kind_is_a_constant_and_before_after_hold_pk_content():
    s = schema("pk_addendum")
    assert s["properties"]["kind"] == {"const": "pk_addendum",
                                       "description": "Marks the file as the addendum of a performance agreement."}
    assert s["properties"]["before"]["$ref"] == s["properties"]["after"]["$ref"] == "#/$defs/pk_content"
    assert s["additionalProperties"] is False and s["$defs"]["pk_content"]["additionalProperties"] is False


def test_auto_picks_the_addendum_policy_by_kind_and_each_broken_example_fails():
    r = run("check", "--policy", "auto", ADDENDA)
    assert r.exit_code == 1
    assert "PASS  examples/addendum/pk_addendum_2024_kppn_semarang_i.yaml  (kmk_300_2022_addendum)" in \
        r.output.replace(str(ROOT) + "/", "")
    assert r.output.count("(kmk_300_2022_addendum)") == 6
    assert r.output.rstrip().endswith("6 records: 1 passed, 5 failed (5 errors)")


def test_clean_addendum_passes_alone():
    r = run("check", "--policy", "auto", CLEAN)
    assert r.exit_code == 0
    assert "jumlah_iku_sesudah = 11" in r.output


def test_an_addendum_before_kmk_300_has_no_policy(tmp_path):
    text = CLEAN.read_text(encoding="utf-8").replace("year: 2024", "year: 2021")
    old = tmp_path / "addendum_2021.yaml"
    old.write_text(text, encoding="utf-8")
    r = run("check", "--policy", "auto", old)
    assert r.exit_code == 2
    assert "no policy is in force for this data's date" in r.output


def test_a_schema_error_inside_the_amended_pk_points_at_its_line(tmp_path):
    text = CLEAN.read_text(encoding="utf-8")
    after = text.index("\nafter:")
    broken_text = text[:after] + text[after:].replace("polarity: minimize", "polarity: minimise", 1)
    broken = tmp_path / "addendum_bad.yaml"
    broken.write_text(broken_text, encoding="utf-8")
    line = next(n for n, t in enumerate(broken_text.splitlines(), 1) if "minimise" in t)
    r = run("check", "--policy", "auto", broken)
    assert r.exit_code == 2
    assert (f"{broken}:{line}:17: after.iku[4].polarity: 'minimise' is not one of: maximize, minimize, "
            "stabilize (did you mean 'minimize'?)") in r.output


def test_an_organisation_contract_is_still_judged_by_kmk_300():
    r = run("check", "--policy", "auto", ROOT / "examples/pk_2024_kppn_semarang_i.yaml")
    assert r.exit_code == 0 and "(kmk_300_2022)" in r.output


def test_literal_reading_of_the_mandatory_addendum(tmp_path):
    """With addendum_rising_trajectory_only: false, meeting a flat next target also needs an addendum."""
    folder = tmp_path / "kmk_300_2022"
    folder.mkdir()
    text = (ROOT / "policies/kmk_300_2022/policy.yaml").read_text(encoding="utf-8")
    marker = "  addendum_rising_trajectory_only:\n"
    start = text.index(marker)
    value_at = text.index("    value: true\n", start)
    (folder / "policy.yaml").write_text(text[:value_at] + "    value: false\n" + text[value_at + len("    value: true\n"):],
                                        encoding="utf-8")
    literal = engine.load_policy(folder)
    flat = {"kind": "organization_contract", "unit": {"code": "U", "name": "U", "eselon": 4}, "year": 2024,
            "strategy_map": {"objectives": [{"code": "SS1", "perspective": "stakeholder"}]}, "budget": {"total": 1},
            "iku": [{"code": "flat", "name": "f", "objective": "SS1", "polarity": "maximize", "consolidation": "average",
                     "periods": [{"period": "Q1", "target": 90, "realization": 95}, {"period": "Q2", "target": 90}]}]}
    literal_result = literal.evaluate(flat)
    assert [(v.rule, v.message) for v in literal_result.violations] == [
        ("addendum-required", "IKU flat: realisasi Q1 (95) sudah memenuhi target Q2 (90); addendum PK wajib")]
    assert engine.load_policy("kmk_300_2022").evaluate(flat).violations == []


def test_an_empty_iiaa_component_is_an_input_error(tmp_path):
    text = (ROOT / "examples/pk_2024_kppn_semarang_i.yaml").read_text(encoding="utf-8")
    target = "    raw_data: [Ekstrak aplikasi OM-SPAN menu IKPA 1b-C Q1 2024]"
    assert text.count(target) == 1
    bad = tmp_path / "pk_empty_raw_data.yaml"
    bad.write_text(text.replace(target, "    raw_data: []"), encoding="utf-8")
    line = next(n for n, t in enumerate(bad.read_text().splitlines(), 1) if "raw_data: []" in t)
    r = run("check", "--policy", "auto", bad)
    assert r.exit_code == 2
    assert f"{bad}:{line}:15: achievement_reports[0].raw_data: [] should be non-empty" in r.output
