"""`kinerja diff` and `engine.policy.diff`: semantic differences between two resolved policies.

The fixtures are hand-built in a temporary folder: a small but complete base policy and a child that
`extends` it and changes one thing of each kind (a parameter value with a new citation and status, a
band moved/added/removed, a dated value, a table entry, a function and a value formula, a rule's
severity, a removed and an added rule, the effective date and outputs) plus a value re-declared with
only its line breaks changed, which must not be reported. Set KINERJA_UPDATE_GOLDEN=1 to rewrite
tests/golden/diff_*.
"""
from __future__ import annotations

import json
import textwrap

import pytest
from hypothesis import given

from engine.lang.parser import parse
from engine.policy.build import build
from engine.policy.diff import Change, diff_policies
from engine.policy.equivalence import exprs_equal, nodes_equal, same, templates_equal, unparse
from engine.policy.registry import Registry
from tests.conftest import ROOT, golden
from tests.conftest import run_cli as run

pytestmark = pytest.mark.usefixtures("at_root")  # every test runs from the project root
from tests.lang.test_properties import FAST, VALID_EXPRS


BASE = """\
policy: pk_base
title: Kebijakan uji dasar
instrument: KMK 1/KMK.01/2023
effective: {from: 2023-01-01}
subject: {schema: organization_contract, as: contract}
reference_date: date(contract.year, 1, 1)

parameters:
  iku_limits:
    value:
      upk_two: {min: 10, max: 20}
      upk_three: {min: 10, max: 20}
    cite: KMK 1/2023, batas jumlah IKU
    status: secondary
  cascade_max_depth:
    value: 2
    cite: KMK 1/2023, cascading langsung
    status: secondary
  capaian_max:
    values:
      - {from: 2023-01-01, value: 120}
    cite: KMK 1/2023, batas capaian
    status: provisional
    note: Cap assumed.
  nko_decimals:
    value: 2
    cite: Praktik publikasi NKO
    status: provisional
    note: Two decimals assumed.
  predikat_bands:
    type: bands
    value:
      - {label: Sangat Baik, over: 100}
      - {label: Baik, from: 90, to: 100}
      - {label: Cukup, from: 70, under: 90}
      - {label: Buruk, under: 70}
    cite: KMK 1/2023, predikat
    status: provisional
    note: Band edges assumed.

functions:
  capaian:
    params: [target, realisasi]
    cite: KMK 1/2023, rumus capaian
    expr: min(realisasi / target * 100, capaian_max)

values:
  level:
    cite: KMK 1/2023, level UPK
    expr: if contract.unit.eselon == 2 then "upk_two" else "upk_three"
  capaian_tahunan:
    for_each: i in contract.iku
    key: "{i.code}"
    cite: KMK 1/2023, capaian tahunan
    expr: capaian(last(p.target for p in i.periods), last(p.realization for p in i.periods))
  nko:
    cite: KMK 1/2023, NKO
    expr: round(avg(capaian_tahunan), nko_decimals)
  predikat:
    cite: KMK 1/2023, predikat
    expr: band(nko, predikat_bands)

rules:
  - id: pk-iku-count
    title: Jumlah IKU sesuai batas level UPK
    cite: KMK 1/2023, batas jumlah IKU
    status: secondary
    when: level in iku_limits
    require: count(contract.iku) between iku_limits[level].min and iku_limits[level].max
    message: "{count(contract.iku)} IKU pada {level}"
  - id: cascade-depth
    title: Cascading langsung paling banyak dua level
    cite: KMK 1/2023, cascading langsung
    status: secondary
    for_each: i in contract.iku
    when: present(i.cascade) and i.cascade.method == "direct"
    require: i.cascade.depth <= cascade_max_depth
    message: "IKU {i.code} di-cascade {i.cascade.depth} level"
  - id: pk-budget
    title: PK memuat rincian anggaran
    cite: KMK 1/2023, muatan PK
    status: secondary
    require: present(contract.budget.total)
    message: PK tidak memuat rincian anggaran

outputs: [level, nko, predikat]
"""

CHILD = """\
policy: pk_child
extends: pk_base
instrument: KMK 1/KMK.01/2023 sttd KMK 2/KMK.01/2024
effective: {from: 2024-01-01}
supersedes: pk_base

parameters:
  iku_limits:                      # one table entry changes, one is added
    value:
      upk_two: {min: 10, max: 25}
      upk_three: {min: 10, max: 20}
      upk_four: {min: 5, max: 10}
    cite: KMK 2/2024, batas jumlah IKU
    status: secondary
  cascade_max_depth:               # overridden: new value, new citation, new status
    value: 3
    cite: KMK 2/2024 Pasal 7, cascading langsung tiga level
    status: provisional
    note: Read from a draft of the amendment.
  capaian_max:                     # a dated value is added
    values:
      - {from: 2023-01-01, value: 120}
      - {from: 2024-07-01, value: 110, cite: KMK 2/2024 Pasal 9}
    cite: KMK 1/2023, batas capaian
    status: provisional
    note: Cap assumed.
  nko_decimals:                    # confirmed in the amendment: provisional -> confirmed
    value: 2
    cite: KMK 2/2024 Pasal 10, NKO dua desimal
    status: confirmed
  predikat_bands:                  # 'Baik' moves, 'Istimewa' is added, 'Buruk' removed
    type: bands
    value:
      - {label: Istimewa, from: 110}
      - {label: Sangat Baik, over: 100, under: 110}
      - {label: Baik, from: 90, to: 100}
      - {label: Cukup, under: 90}
    cite: KMK 1/2023, predikat
    status: provisional
    note: Band edges assumed.

functions:
  capaian:                         # formula changed
    params: [target, realisasi]
    cite: KMK 1/2023, rumus capaian
    expr: clamp(realisasi / target * 100, 0, capaian_max)

values:
  nko:                             # the same formula, only folded over several lines: no change
    cite: KMK 1/2023, NKO
    expr: >
      round(
        avg(capaian_tahunan),
        nko_decimals)
  predikat:                        # formula changed
    cite: KMK 1/2023, predikat
    expr: band(round(nko, 0), predikat_bands)

rules:
  - id: cascade-depth              # severity error -> warning (re-indented `require` is no change)
    title: Cascading langsung paling banyak dua level
    cite: KMK 1/2023, cascading langsung
    status: secondary
    severity: warning
    for_each: i in contract.iku
    when: present(i.cascade) and i.cascade.method == "direct"
    require: >
      i.cascade.depth
        <= cascade_max_depth
    message: "IKU {i.code} di-cascade {i.cascade.depth} level"
  - id: pk-signed
    title: PK ditandatangani
    cite: KMK 2/2024 Pasal 4
    status: secondary
    require: present(contract.signed_on)
    message: PK belum ditandatangani

remove:
  rules: [pk-budget]

outputs: [level, nko, predikat, capaian_tahunan]
"""


@pytest.fixture
def policies(tmp_path):
    """A policy folder with pk_base and pk_child; returns the folder."""
    for pid, text in (("pk_base", BASE), ("pk_child", CHILD)):
        (tmp_path / pid).mkdir()
        (tmp_path / pid / "policy.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def changes_of(policies) -> list[Change]:
    registry = Registry(policies)
    return diff_policies(registry.spec("pk_base"), registry.spec("pk_child"))


def by_id(changes, section, name) -> Change:
    found = [c for c in changes if c.section == section and c.id == name]
    assert len(found) == 1, [(c.section, c.id) for c in changes]
    return found[0]


# -- the library ----------------------------------------------------------------------------------

def test_fixtures_are_valid_policies(policies):
    registry = Registry(policies)
    assert build(registry.spec("pk_base")).id == "pk_base"
    assert build(registry.spec("pk_child")).id == "pk_child"


def test_identical_policies_have_no_changes(policies):
    registry = Registry(policies)
    assert diff_policies(registry.spec("pk_base"), registry.spec("pk_base")) == []


def test_the_complete_list_of_changes(policies):
    changes = changes_of(policies)
    assert [(c.section, c.id, c.kind) for c in changes] == [
        ("meta", "instrument", "changed"),
        ("meta", "effective", "changed"),
        ("meta", "supersedes", "added"),
        ("meta", "outputs", "changed"),
        ("parameter", "iku_limits", "changed"),
        ("parameter", "cascade_max_depth", "changed"),
        ("parameter", "capaian_max", "changed"),
        ("parameter", "nko_decimals", "changed"),
        ("parameter", "predikat_bands", "changed"),
        ("function", "capaian", "changed"),
        ("value", "predikat", "changed"),
        ("rule", "cascade-depth", "changed"),
        ("rule", "pk-budget", "removed"),
        ("rule", "pk-signed", "added"),
    ]


def test_overridden_parameter_shows_values_status_and_both_citations(policies):
    c = by_id(changes_of(policies), "parameter", "cascade_max_depth")
    assert c.old.origin.file.endswith("pk_base/policy.yaml") and c.new.origin.file.endswith("pk_child/policy.yaml")
    assert c.details == [
        "value: 2 → 3",
        "status: secondary → provisional",
        "note added: Read from a draft of the amendment.",
        "old cite: KMK 1/2023, cascading langsung",
        "new cite: KMK 2/2024 Pasal 7, cascading langsung tiga level",
    ]
    c = by_id(changes_of(policies), "parameter", "nko_decimals")
    assert c.details == ["status: provisional → confirmed", "note removed (was: Two decimals assumed.)",
                         "old cite: Praktik publikasi NKO", "new cite: KMK 2/2024 Pasal 10, NKO dua desimal"]


def test_band_rows_moved_added_removed(policies):
    c = by_id(changes_of(policies), "parameter", "predikat_bands")
    assert c.details == [
        "band 'Sangat Baik' moved from x > 100 to 100 < x < 110",
        "band 'Cukup' moved from 70 ≤ x < 90 to x < 90",
        "band 'Buruk' removed (was x < 70)",
        "band 'Istimewa' added: x ≥ 110",
        "cite (unchanged): KMK 1/2023, predikat",
    ]


def test_band_moved_wording():
    from engine.policy.diff import band_details
    assert band_details([{"label": "Baik", "from": 90, "to": 100}], [{"label": "Baik", "from": 100, "under": 110}]) \
        == ["band 'Baik' moved from 90 ≤ x ≤ 100 to 100 ≤ x < 110"]


def test_table_entries_and_dated_values(policies):
    changes = changes_of(policies)
    assert by_id(changes, "parameter", "iku_limits").details == [
        "value.upk_two.max: 20 → 25",
        "value.upk_four added: {min: 5, max: 10}",
        "old cite: KMK 1/2023, batas jumlah IKU",
        "new cite: KMK 2/2024, batas jumlah IKU",
    ]
    assert by_id(changes, "parameter", "capaian_max").details == [
        "value from 2024-07-01 added: 110",
        "cite (unchanged): KMK 1/2023, batas capaian",
    ]


def test_formula_changes_name_the_differing_part(policies):
    changes = changes_of(policies)
    assert by_id(changes, "function", "capaian").details == [
        "expr was: min(realisasi / target * 100, capaian_max)",
        "expr now: clamp(realisasi / target * 100, 0, capaian_max)",
        "cite (unchanged): KMK 1/2023, rumus capaian",
    ]
    assert by_id(changes, "value", "predikat").details == [
        "expr: nko → round(nko, 0)",
        "expr was: band(nko, predikat_bands)",
        "expr now: band(round(nko, 0), predikat_bands)",
        "cite (unchanged): KMK 1/2023, predikat",
    ]


def test_whitespace_only_changes_are_not_changes(policies):
    changes = changes_of(policies)
    assert not [c for c in changes if c.id == "nko"]          # re-folded over four lines
    rule = by_id(changes, "rule", "cascade-depth")              # `require` re-indented: not listed
    assert rule.details == ["severity: error → warning", "cite (unchanged): KMK 1/2023, cascading langsung"]


def test_rules_removed_and_added_carry_their_entries(policies):
    changes = changes_of(policies)
    removed = by_id(changes, "rule", "pk-budget")
    assert removed.new is None and removed.old.get("cite") == "KMK 1/2023, muatan PK"
    assert removed.details == ["title: PK memuat rincian anggaran", "severity: error",
                               "require: present(contract.budget.total)", "cite: KMK 1/2023, muatan PK"]
    added = by_id(changes, "rule", "pk-signed")
    assert added.old is None and added.new.get("status") == "secondary"


def test_meta_changes(policies):
    changes = changes_of(policies)
    assert by_id(changes, "meta", "effective").details == ["in force: 2023-01-01 to now → 2024-01-01 to now"]
    assert by_id(changes, "meta", "outputs").details == ["outputs added: capaian_tahunan"]
    assert by_id(changes, "meta", "supersedes").details == ["supersedes: none → pk_base"]


def test_rule_message_when_and_for_each_changes(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    rule_a = textwrap.dedent("""\
        rules:
          - id: r
            title: R
            cite: C
            for_each: i in contract.iku
            when: present(i.cascade)
            require: i.cascade.depth <= 2
            message: "IKU {i.code}   terlalu dalam"
        """)
    rule_b = rule_a.replace("for_each: i in contract.iku", "for_each: i in coalesce(contract.iku, [])") \
        .replace("    when: present(i.cascade)\n", "") \
        .replace("{i.code}   terlalu", "{ i.code } terlalu") \
        .replace("cite: C", "cite: D")
    head = "policy: {}\ntitle: T\neffective: {{from: 2023-01-01}}\nsubject: {{schema: organization_contract, as: contract}}\n"
    (tmp_path / "a/policy.yaml").write_text(head.format("a") + rule_a, encoding="utf-8")
    (tmp_path / "b/policy.yaml").write_text(head.format("b") + rule_b, encoding="utf-8")
    registry = Registry(tmp_path)
    [change] = diff_policies(registry.spec("a"), registry.spec("b"))
    assert change.details == [
        "for each: i in contract.iku → i in coalesce(contract.iku, [])",
        "when removed (was: present(i.cascade))",
        "old cite: C",
        "new cite: D",
    ]  # the message differs only in spacing, inside and outside its {placeholder}: not a change


# -- expression comparison ----------------------------------------------------------------------------

@pytest.mark.parametrize("a, b, equal", [
    ("a+b*c", "a + (b * c)", True),
    ("(a + b) * c", "a + b * c", False),
    ("if x then 1 else 2", "if x\n  then 1\n  else 2", True),
    ("x == 1", "x == 1.0", True),
    ("x == 1", "x == true", False),
    ("sum(i.w for i in iku where i.n)", "sum(i.w for i in iku)", False),
    ("count(  iku )", "count(iku)", True),
    ("a b", "a  b", True),                      # not an expression: spacing collapsed
])
def test_exprs_equal(a, b, equal):
    assert exprs_equal(a, b) is equal


def test_templates_equal():
    assert templates_equal("IKU {i.code}  ok", "IKU {i.code} ok")
    assert not templates_equal("IKU {i.code}", "IKU {i.name}")
    assert not templates_equal("{{literal}}", "{literal}")


def test_same_values():
    from decimal import Decimal
    assert same(Decimal("2"), Decimal("2.0")) and same({"a": [1]}, {"a": [Decimal(1)]})
    assert not same(Decimal(1), True) and not same("1", Decimal(1))


@FAST
@given(VALID_EXPRS)
def test_unparse_round_trips(text):
    node = parse(text)
    again = parse(unparse(node))
    assert nodes_equal(node, again), unparse(node)


def test_unparse_parenthesises_only_where_needed():
    assert unparse(parse("(a - (b - c)) * -(d + e) / f.g[h] and not (x or y)")) \
        == "(a - (b - c)) * -(d + e) / f.g[h] and not (x or y)"
    assert unparse(parse("if a then (if b then 1 else 2) else if c then 3 else 4")) \
        == "if a then (if b then 1 else 2) else if c then 3 else 4"
    assert unparse(parse("x not in ['a', \"b\"]")) == 'x not in ["a", "b"]'


# -- the command ----------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt, name", [("text", "diff_extends.txt"), ("json", "diff_extends.json"),
                                       ("markdown", "diff_extends.md")])
def test_diff_golden(policies, monkeypatch, fmt, name):
    monkeypatch.chdir(policies)           # files are shown relative to the working directory
    r = run("diff", "--policy-path", ".", "--format", fmt, "pk_base", "pk_child")
    assert r.exit_code == 1
    golden(name, r.output)


def test_text_fits_100_columns(policies):
    r = run("diff", "--policy-path", str(policies), "pk_base", "pk_child")
    assert max(len(line) for line in r.output.splitlines()) <= 100


def test_json_is_complete(policies):
    r = run("diff", "--policy-path", str(policies), "--format", "json", "pk_base", "pk_child")
    doc = json.loads(r.output)
    assert doc["identical"] is False and doc["summary"]["total"] == 14
    assert doc["summary"]["by_kind"] == {"added": 2, "removed": 1, "changed": 11}
    param = next(c for c in doc["changes"] if c["id"] == "cascade_max_depth")
    assert param["old"]["cite"] == "KMK 1/2023, cascading langsung" and param["old"]["status"] == "secondary"
    assert param["new"]["cite"] == "KMK 2/2024 Pasal 7, cascading langsung tiga level"
    assert param["new"]["line"] == 15 and param["new"]["file"].endswith("pk_child/policy.yaml")


def test_identical_policies_exit_0():
    for fmt in ("text", "json", "markdown"):
        r = run("diff", "--format", fmt, "kmk_300_2022", "kmk_300_2022")
        assert r.exit_code == 0, r.output
    assert run("diff", "kmk_300_2022", "policies/kmk_300_2022").output.splitlines()[-1] == "no differences"


def test_diff_against_a_tmp_policy_extending_kmk_300(tmp_path, monkeypatch):
    child = tmp_path / "kmk_300_2024"
    child.mkdir()
    (child / "policy.yaml").write_text(textwrap.dedent("""\
        policy: kmk_300_2024
        extends: kmk_300_2022
        supersedes: kmk_467_2014
        parameters:
          cascade_max_depth:
            value: 3
            cite: KMK 2/KMK.01/2024 (hipotetis), cascading langsung tiga level
            status: provisional
            note: A hypothetical amendment.
        remove:
          rules: [initiative-complete]
        """), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    r = run("diff", "kmk_300_2022", "kmk_300_2024")     # an id, and a folder in the working directory
    assert r.exit_code == 1
    lines = r.output.splitlines()
    base = ROOT / "policies/kmk_300_2022/policy.yaml"
    # The base's file lies outside the working folder, so it is shown absolute, and the header wraps at
    # 100 columns (keeping the path whole) when the checkout's path is long: compare it unwrapped.
    head = lines[0].split()
    while lines[1].startswith(" " * 11):
        head += lines.pop(1).split()
    assert head == f"base: kmk_300_2022 KMK 300/KMK.01/2022 {base}".split()
    assert lines[1] == "candidate: kmk_300_2024  KMK 300/KMK.01/2022  kmk_300_2024/policy.yaml (extends kmk_300_2022)"
    assert lines[2] == "2 differences: 1 parameter changed, 1 rule removed"
    assert lines[3:11] == [
        "",
        "PARAMETERS",
        "~ cascade_max_depth  [secondary → provisional]  (kmk_300_2024/policy.yaml:5)",
        "    value: 2 → 3",
        "    status: secondary → provisional",
        "    note added: A hypothetical amendment.",
        "    description removed (was: Cascading langsung paling banyak dua level di bawah UPK.)",
        "    old cite: KMK 300/KMK.01/2022, cascading dan alignment (seed briefing)",
    ]
    assert lines[11] == "    new cite: KMK 2/KMK.01/2024 (hipotetis), cascading langsung tiga level"
    rest = " ".join(" ".join(lines[12:]).split())   # the header may wrap, depending on ROOT's length
    assert rest.startswith(f"RULES - initiative-complete [secondary] ({base}:")   # where it was written
    assert "    title: Inisiatif strategis lengkap" in lines


def test_unknown_policy_is_exit_2():
    r = run("diff", "kmk_300_2022", "kmk_300_2020")
    assert r.exit_code == 2
    assert "error: unknown policy 'kmk_300_2020'; did you mean 'kmk_300_2022'?" in r.output


def test_broken_policy_is_exit_2_with_position(tmp_path):
    bad = tmp_path / "policy.yaml"
    bad.write_text("policy: bad\ntitle: [unclosed\n", encoding="utf-8")
    r = run("diff", "kmk_300_2022", str(bad))
    assert r.exit_code == 2
    assert r.output.startswith(f"{bad}:3:1: YAML syntax error: did not find expected ',' or ']'")


def test_missing_argument_is_exit_2():
    r = run("diff", "kmk_300_2022")
    assert r.exit_code == 2 and "Missing argument 'CANDIDATE'" in r.output


@pytest.mark.skipif(not (ROOT / "policies/kmk_467_2014/policy.yaml").exists(), reason="kmk_467_2014 not written yet")
def test_diff_of_two_regulations_is_readable():
    r = run("diff", "kmk_467_2014", "kmk_300_2022")
    assert r.exit_code == 1
    lines = r.output.splitlines()
    assert max(len(line) for line in lines) <= 100
    assert "    in force: 2015-01-01 to 2022-07-27 → 2022-07-28 to 2025-12-31" in lines
    assert "    supersedes: none → kmk_467_2014" in lines
    assert any(line.startswith("+ iku_limits  [secondary]") for line in lines)   # KMK 300's own limits
    assert sum(line.startswith(("+ ", "- ")) for line in lines) > 20             # a different regulation
