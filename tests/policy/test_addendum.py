"""PK addenda (schemas/pk_addendum, policies/kmk_300_2022_addendum) and the KMK 300 additions that the
policies' own data cases cannot express: the schema's references into the organisation contract's
schema, policy selection by `kind` and date, input errors inside the nested PK, and the literal
reading of the mandatory-addendum rule."""
import json
import re

import pytest

import engine
from engine import schemas
from engine.schemas import fast_validator, load_schema, resolve_ref, validator
from tests.conftest import ROOT
from tests.conftest import run_cli as run

ADDENDA = ROOT / "examples" / "addendum"
CLEAN = ADDENDA / "pk_addendum_2024_kppn_semarang_i.yaml"


def schema(name: str) -> dict:
    return json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))


SHARED = {"unit": ("unit",), "strategy_map": ("strategy_map",), "iku": ("iku", "items"),
          "initiatives": ("initiatives", "items")}


@pytest.mark.parametrize("field", SHARED)
def test_addendum_pk_content_uses_the_organisation_contract_definitions(field):
    # No copies: pk_content refers to organization_contract.schema.json's own $defs, relative to its $id.
    pk_addendum, contract = load_schema("pk_addendum"), load_schema("organization_contract")
    node = pk_addendum["$defs"]["pk_content"]["properties"]
    for key in SHARED[field]:
        node = node[key]
    definition = {"strategy_map": "strategy_map", "unit": "unit", "iku": "iku", "initiatives": "initiative"}[field]
    assert node["$ref"] == f"organization_contract.schema.json#/$defs/{definition}"
    target, doc = resolve_ref(node["$ref"], pk_addendum)
    assert target is contract["$defs"][definition] and doc is contract
    # the organisation contract's own references then resolve inside its file
    assert resolve_ref("#/$defs/period_value", doc)[0] is contract["$defs"]["period_value"]
    assert not {"unit", "strategy_map", "objective", "iku", "period_value", "initiative"} & set(pk_addendum["$defs"])


def _refs(node):
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for v in node.values():
            yield from _refs(v)
    elif isinstance(node, list):
        for v in node:
            yield from _refs(v)


@pytest.mark.parametrize("name", sorted(p.name.split(".")[0] for p in (ROOT / "schemas").glob("*.schema.json")))
def test_every_schema_reference_resolves_among_our_files(name):
    root = load_schema(name)
    refs = set(_refs(root))
    assert refs
    for ref in refs:
        target, _doc = resolve_ref(ref, root)
        assert isinstance(target, dict) and target
        # jsonschema's registry finds the same node
        assert validator(name)._resolver.lookup(ref).contents is target
    assert fast_validator(name) is not None


def test_a_reference_outside_our_schemas_is_an_error_not_a_download():
    root = load_schema("pk_addendum")
    for ref in ("https://example.org/x.schema.json#/$defs/a", "iku.schema.json#/$defs/iku",
                "organization_contract.schema.json#/$defs/no_such"):
        with pytest.raises(engine.KinerjaError, match=f"schema reference '{re.escape(ref)}' cannot be resolved"):
            resolve_ref(ref, root)


@pytest.fixture
def schema_dir(tmp_path):
    """A scratch schemas/ folder and the SchemaSet reading it (its own caches, nothing global)."""
    return tmp_path, schemas.SchemaSet((tmp_path,))


def _write_schema(folder, name, **body):
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema",
              "$id": f"{schemas.SCHEMA_BASE}{name}.schema.json", **body}
    (folder / f"{name}.schema.json").write_text(json.dumps(schema), encoding="utf-8")


def test_a_broken_reference_or_a_wrong_id_is_reported_before_any_data_is_checked(schema_dir):
    schema_dir, found = schema_dir
    _write_schema(schema_dir, "base", **{"$defs": {"code": {"type": "string", "minLength": 1}}})
    _write_schema(schema_dir, "good", type="object", properties={"c": {"$ref": "base.schema.json#/$defs/code"}})
    _write_schema(schema_dir, "bad", type="object", properties={"c": {"$ref": "base.schema.json#/$defs/kode"}})
    _write_schema(schema_dir, "lost", type="object", properties={"c": {"$ref": "other.schema.json#/$defs/code"}})
    assert found.validate("good", {"c": "x"}, None, "d.json") == []
    assert [e.message for e in found.validate("good", {"c": ""}, None, "d.json")] == ["c: '' should be non-empty"]
    assert found.fast_validator("good") is not None and not found.fast_valid("good", {"c": ""})
    with pytest.raises(engine.KinerjaError, match=re.escape(
            "schema reference 'base.schema.json#/$defs/kode' cannot be resolved (PointerToNowhere)")):
        found.validate("bad", {"c": "x"}, None, "d.json")
    with pytest.raises(engine.KinerjaError, match=re.escape(
            "schema reference 'other.schema.json#/$defs/code' cannot be resolved (NoSuchResource)")):
        found.validate("lost", {"c": "x"}, None, "d.json")
    assert found.fast_validator("lost") is None  # and nothing was fetched: only our files are ever read
    (schema_dir / "moved.schema.json").write_text(json.dumps({"$id": "https://kinerja.local/schemas/x.schema.json"}))
    with pytest.raises(engine.KinerjaError, match=re.escape(
            "'$id' must be 'https://kinerja.local/schemas/moved.schema.json'")):
        found.load("moved")


def _break(text: str, section: str, old: str, new: str) -> str:
    """`text` with the first `old` inside the top-level `section` replaced by `new`."""
    start = text.index(f"\n{section}:")
    return text[:start] + text[start:].replace(old, new, 1)


def _line_col(text: str, needle: str, after: str) -> tuple[int, int]:
    offset = text.index(needle, text.index(f"\n{after}:"))
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def test_iku_errors_inside_an_addendum_point_at_the_referenced_definitions_fields(tmp_path):
    # Each broken field is checked by organization_contract.schema.json's IKU definition, and each
    # error names the addendum's path and the line and column in the addendum file.
    text = CLEAN.read_text(encoding="utf-8")
    text = _break(text, "after", "{period: Q2, target: 94, realization: 94.37}",
                  "{period: Q5, target: 94, realization: 94.37}")
    text = _break(text, "before", "      polarity: maximize\n      consolidation: last\n",
                  "      consolidation: last\n")
    text = _break(text, "after", "method: direct, depth: 1}", "method: direct, depth: 1.5}")
    broken = tmp_path / "addendum_iku.yaml"
    broken.write_text(text, encoding="utf-8")
    [record] = list(engine.read_records(broken))
    with pytest.raises(engine.ErrorList) as info:
        record.validate("pk_addendum")
    found = [(e.location.file, e.location.line, e.location.column, e.message) for e in info.value.errors]
    period = _line_col(text, "Q5", "after")
    iku = _line_col(text, "code: 1b-C", "before")
    depth = _line_col(text, "1.5}", "after")
    assert found == [
        (str(broken), iku[0], iku[1], "before.iku[1]: 'polarity' is required"),
        (str(broken), depth[0], depth[1], "after.iku[1].cascade.depth: expected integer, got '1.5'"),
        (str(broken), period[0], period[1],
         "after.iku[1].periods[1].period: 'Q5' does not match '^(Q[1-4]|S[12]|M(0[1-9]|1[0-2])|Y)$'"),
    ]
    r = run("check", "--policy", "auto", broken)
    assert r.exit_code == 2
    for file, line, column, message in found:
        assert f"{file}:{line}:{column}: {message}" in r.output


ADDENDUM_HEADER = """\
policy: inline_addendum
title: Inline addendum policy
effective: {from: 2023-01-01}
subject: {schema: pk_addendum, as: addendum}
"""


def test_policy_types_follow_the_reference_into_the_contract_schema(make_policy):
    # A misspelt IKU field, period field or enum value is found at load time, as for a PK.
    body = """values:
  a: {for_each: i in addendum.after.iku, expr: i.polarty}
  b: {for_each: i in addendum.before.iku, expr: 'count(p for p in i.periods where p.perod == "Q1")'}
  c: {for_each: i in addendum.after.iku, expr: 'i.polarity == "maximise"'}
  d: {expr: 'addendum.after.unit.eselon + addendum.after.strategy_map.objectives[0].perspektif'}
"""
    with pytest.raises(engine.ErrorList) as info:
        make_policy(body, ADDENDUM_HEADER)
    found = [(e.location.line, e.message, e.hint) for e in info.value.errors]
    assert found == [
        (6, "unknown field 'polarty'", "did you mean 'polarity'?"),
        (7, "unknown field 'perod'", "did you mean 'period'?"),
        (8, "'maximise' is not one of: maximize, minimize, stabilize", "did you mean 'maximize'?"),
        (9, "unknown field 'perspektif'", "did you mean 'perspective'?"),
    ]
    ok = make_policy("values:\n  n: {expr: 'sum(i.weight for i in addendum.after.iku) + addendum.after.unit.eselon'}\n",
                     ADDENDUM_HEADER)
    assert list(ok.values) == ["n"] and ok.warnings == []   # fields through the cross-file refs type-check


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
