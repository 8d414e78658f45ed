"""engine/xlsx_source.py and `kinerja template`: a contract typed into the template workbook reads back
as the same contract, is judged the same as its YAML, and its errors point at file:sheet!cell."""
from __future__ import annotations

import json
from decimal import Decimal

import openpyxl
import pytest
import yaml

from conftest import EXAMPLES, run_cli
from engine.errors import KinerjaError
from engine.record import read_records
from engine.xlsx_layout import MISSING_OPENPYXL, openpyxl as load_openpyxl
from engine.xlsx_source import CellLocation
from xlsx_fill import filled_template

EXAMPLE = EXAMPLES / "pk_2024_kppn_semarang_i.yaml"


@pytest.fixture
def workbook(tmp_path):
    return filled_template(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")), tmp_path / "pk.xlsx")


def test_the_template_has_a_sheet_per_collection_with_comments_and_drop_downs(tmp_path):
    r = run_cli("template", "organization_contract", "-o", tmp_path / "pk.xlsx")
    assert r.exit_code == 0, r.output
    wb = openpyxl.load_workbook(tmp_path / "pk.xlsx")
    assert wb.sheetnames == ["contract", "behaviour_assessments", "strategy_map.objectives", "iku", "iku.periods",
                             "initiatives", "initiatives.milestones", "achievement_reports", "budget.lines"]
    fields = wb["contract"]
    assert [fields.cell(r, 1).value for r in range(1, 6)] == ["field", "kind", "title", "unit.code", "unit.name"]
    assert fields["B2"].value == "organization_contract"
    assert fields["A13"].value == "head.nip" and fields["B13"].number_format == "@"
    periods = wb["iku.periods"]
    assert [c.value for c in periods[1]] == ["iku.code", "period", "target", "realization"]
    assert periods["B1"].comment.text.startswith("Required. Q1–Q4, S1–S2")
    assert periods.freeze_panes == "A2" and periods.auto_filter.ref == "A1:D1"
    iku = wb["iku"]
    polarity = next(dv for dv in iku.data_validations.dataValidation if "maximize" in dv.formula1)
    assert polarity.formula1 == '"maximize,minimize,stabilize"' and str(polarity.sqref) == "I2:I201"


def test_a_filled_template_reads_back_as_the_yaml_contract(workbook):
    [from_xlsx] = read_records(workbook)
    [from_yaml] = read_records(EXAMPLE)
    # Excel keeps no trailing zeros (99.40 is 99.4): the same numbers, as Decimals
    canonical = lambda d: json.dumps(d, sort_keys=True, default=lambda x: str(x.normalize()))  # noqa: E731
    assert canonical(from_xlsx.data) == canonical(from_yaml.data)
    assert from_xlsx.data["iku"][0]["periods"][2] == {"period": "Q3", "target": Decimal(90),
                                                      "realization": Decimal("98.76")}
    assert from_xlsx.data["signed_on"] == "2024-01-05"
    assert from_xlsx.data["head"]["nip"] == "197604152000122001"


def test_check_gives_the_same_verdicts_on_the_workbook_as_on_the_yaml(tmp_path):
    data = yaml.safe_load((EXAMPLES / "pk_2024_kppn_iiaa_missing.yaml").read_text(encoding="utf-8"))
    workbook = filled_template(data, tmp_path / "pk.xlsx")
    on_yaml = run_cli("check", "--policy", "kmk_300_2022", "--format", "json",
                      EXAMPLES / "pk_2024_kppn_iiaa_missing.yaml")
    on_xlsx = run_cli("check", "--policy", "kmk_300_2022", "--format", "json", workbook)
    assert on_yaml.exit_code == on_xlsx.exit_code == 1
    yaml_doc, xlsx_doc = json.loads(on_yaml.output), json.loads(on_xlsx.output)
    assert yaml_doc["summary"] == xlsx_doc["summary"] == {
        "records": 1, "passed": 0, "failed": 1, "input_errors": 0, "violations": {"error": 2, "warning": 0, "info": 0}}
    rules = lambda doc: [(v["rule"], v["path"], v["message"]) for v in doc["records"][0]["violations"]]  # noqa: E731
    assert rules(xlsx_doc) == rules(yaml_doc)
    assert xlsx_doc["records"][0]["values"]["nko"] == yaml_doc["records"][0]["values"]["nko"]


def test_the_clean_example_passes_from_its_workbook(workbook):
    r = run_cli("check", "--policy", "kmk_300_2022", workbook)
    assert r.exit_code == 0, r.output
    assert r.output.splitlines()[0] == f"PASS  {workbook}  (kmk_300_2022)"


def test_a_schema_error_is_reported_at_the_sheet_and_cell(workbook):
    wb = openpyxl.load_workbook(workbook)
    wb["iku"]["R4"] = "banyak"              # iku[2].weight
    wb["iku"]["I5"] = "maximise"            # iku[3].polarity
    wb.save(workbook)
    r = run_cli("check", "--policy", "kmk_300_2022", workbook)
    assert r.exit_code == 2
    assert f"{workbook}:iku!R4: iku[2].weight: expected number, got 'banyak'" in r.output
    assert (f"{workbook}:iku!I5: iku[3].polarity: 'maximise' is not one of: maximize, minimize, stabilize "
            "(did you mean 'maximize'?)") in r.output


def test_an_unknown_header_and_a_missing_required_field_are_located(workbook):
    wb = openpyxl.load_workbook(workbook)
    wb["iku"]["Z1"] = "bobot"
    wb["iku"]["Z2"] = 10
    wb["iku"]["I3"] = None                  # iku[1] loses its polarity
    wb.save(workbook)
    [record] = read_records(workbook)
    with pytest.raises(KinerjaError) as e:
        record.validate("organization_contract")
    messages = [str(x) for x in getattr(e.value, "errors", [e.value])]
    assert f"{workbook}:iku!Z1: iku[0]: unknown field(s): 'bobot' was unexpected" in messages
    assert f"{workbook}:iku!A3: iku[1]: 'polarity' is required" in messages


def test_a_period_row_naming_no_iku_is_an_error_at_its_key_cell(workbook):
    wb = openpyxl.load_workbook(workbook)
    wb["iku.periods"]["A3"] = "9z-N"
    wb.save(workbook)
    [error] = read_records(workbook)
    assert str(error) == f"{workbook}:iku.periods!A3: no iku row has code '9z-N'"
    assert isinstance(error.location, CellLocation) and error.location.file == str(workbook)


def test_a_file_that_is_not_a_workbook_is_an_input_error(tmp_path):
    bad = tmp_path / "pk.xlsx"
    bad.write_text("not a zip", encoding="utf-8")
    r = run_cli("check", "--policy", "kmk_300_2022", bad)
    assert r.exit_code == 2
    assert f"{bad}: cannot read this workbook: File is not a zip file" in r.output


def test_without_openpyxl_the_error_says_how_to_install_it(monkeypatch):
    import importlib
    real = importlib.import_module
    monkeypatch.setattr(importlib, "import_module",
                        lambda name, *a: (_ for _ in ()).throw(ImportError(name)) if name.startswith("openpyxl")
                        else real(name, *a))
    with pytest.raises(KinerjaError) as e:
        load_openpyxl()
    assert str(e.value) == MISSING_OPENPYXL
    assert MISSING_OPENPYXL == "install kinerja[excel] to read or write .xlsx"


def test_a_folder_walk_reads_workbooks_but_not_excel_lock_files(workbook, tmp_path):
    (tmp_path / "~$pk.xlsx").write_bytes(b"lock")
    r = run_cli("check", "--policy", "kmk_300_2022", tmp_path)
    assert r.exit_code == 0, r.output
    assert r.output.splitlines()[-1] == "1 record: 1 passed, 0 failed"


@pytest.mark.parametrize("schema, sheets", [
    ("employee_performance", ["contract", "employees", "employees.result_indicators", "employees.core_values",
                              "employees.ratings"]),
    ("pk_addendum", ["contract", "before.strategy_map.objectives", "before.iku", "before.iku.periods",
                     "before.initiatives", "before.initiatives.milestones", "after.strategy_map.objectives",
                     "after.iku", "after.iku.periods", "after.initiatives", "after.initiatives.milestones",
                     "superior_targets"]),
])
def test_every_bundled_schema_has_a_template(tmp_path, schema, sheets):
    """Definitions from another schema file (pk_addendum uses organization_contract's iku) resolve there."""
    r = run_cli("template", schema, "-o", tmp_path / "t.xlsx")
    assert r.exit_code == 0, r.output
    assert openpyxl.load_workbook(tmp_path / "t.xlsx").sheetnames == sheets


def test_an_unknown_schema_is_exit_2_and_writes_nothing(tmp_path):
    r = run_cli("template", "nope", "-o", tmp_path / "t.xlsx")
    assert r.exit_code == 2
    assert "unknown data schema 'nope' (known: employee_performance, employee_score, organization_contract, pk_addendum)" in r.output
    assert list(tmp_path.iterdir()) == []


def test_compare_reads_a_workbook_like_its_yaml(workbook):
    draft = EXAMPLES.parent / "tests" / "fixtures" / "compare" / "draft_kmk_300_amendment"
    docs = []
    for data in (EXAMPLE, workbook):
        r = run_cli("compare", "--base", "kmk_300_2022", "--candidate", draft, "--format", "json", "-q", data)
        assert r.exit_code == 0, r.output
        docs.append(json.loads(r.output))
    on_yaml, on_xlsx = docs
    assert on_xlsx["summary"]["changed"] == on_yaml["summary"]["changed"] == 1
    assert on_xlsx["summary"]["transitions"] == on_yaml["summary"]["transitions"]
    changed = lambda doc: [v for v in doc["records"][0]["values"] if v["delta"] and Decimal(v["delta"])]  # noqa: E731
    assert changed(on_xlsx) == changed(on_yaml) and len(changed(on_yaml)) == 24


def test_a_missing_field_of_a_nested_object_points_at_its_first_cell(workbook):
    wb = openpyxl.load_workbook(workbook)
    wb["contract"]["B4"] = None             # unit.code
    wb.save(workbook)
    r = run_cli("check", "--policy", "kmk_300_2022", workbook)
    assert r.exit_code == 2
    assert f"{workbook}:contract!B5: unit: 'code' is required" in r.output
