"""`kinerja diff`: the summary line counts each section by its own kinds, and a table cell overridden
by path (`iku_limits.upk_three.max: {value: 10, cite: …}`) is shown with its own citation, status and
note instead of the table's unchanged citation."""
import json

import pytest

from engine.policy.diff import Change, diff_policies
from engine.policy.registry import DEFAULT, Registry
from engine.report.diff import summary
from tests.conftest import run_cli as run

pytestmark = pytest.mark.usefixtures("at_root")

DRAFT = "tests/fixtures/compare/draft_kmk_300_amendment"
CELL = ("cite: Rancangan perubahan KMK 300/2022 (hipotetis), batas jumlah IKU UPK Three; provisional: "
        "Hypothetical draft figure for tests; UPK Three limited to 8–10 IKU.")


def changes(*spec: tuple[str, str]) -> list[Change]:
    return [Change(section, f"x{i}", kind, None, None) for i, (section, kind) in enumerate(spec)]


@pytest.mark.parametrize("spec, line", [
    ([], "no differences"),
    ([("parameter", "changed")] * 2 + [("value", "changed")] + [("rule", "added")] * 2 + [("rule", "removed")],
     "6 differences: 2 parameters changed, 1 value changed, 3 rules (2 added, 1 removed)"),
    ([("meta", "changed"), ("meta", "removed"), ("function", "added")],
     "3 differences: 2 meta fields (1 removed, 1 changed), 1 function added"),
    ([("rule", "changed")], "1 difference: 1 rule changed"),
])
def test_the_summary_counts_each_section_by_kind(spec, line):
    assert summary(changes(*spec)) == line


def test_an_overridden_cell_shows_its_own_citation():
    found = diff_policies(DEFAULT.spec("kmk_300_2022"), DEFAULT.spec(DRAFT))
    iku = next(c for c in found if c.id == "iku_limits")
    assert iku.details == [f"value.upk_three.min: 10 → 8 ({CELL})",
                           f"value.upk_three.max: 20 → 10 ({CELL})",
                           "status: secondary → provisional"]   # no "cite (unchanged)" of the table


def test_undoing_an_override_names_the_cell_it_was_and_the_table_it_is_now():
    found = diff_policies(DEFAULT.spec(DRAFT), DEFAULT.spec("kmk_300_2022"))
    iku = next(c for c in found if c.id == "iku_limits")
    assert iku.details == [f"value.upk_three.min: 8 → 10 (was {CELL})",
                           f"value.upk_three.max: 10 → 20 (was {CELL})",
                           "status: provisional → secondary",
                           "cite (unchanged): KMK 300/KMK.01/2022; bahan sosialisasi KMK 300 (seed briefing), "
                           "batas jumlah IKU per level UPK"]


def test_the_text_report_wraps_the_cell_lines():
    r = run("diff", "kmk_300_2022", DRAFT)
    assert r.exit_code == 1
    lines = r.output.splitlines()
    assert lines[3] == "7 differences: 2 meta fields changed, 4 parameters (1 added, 3 changed), 1 rule added"
    at = next(i for i, line in enumerate(lines)
              if line.startswith("~ iku_limits  [secondary → provisional]  (policies/kmk_300_2022/policy.yaml:"))
    assert lines[at + 1:at + 4] == [
        "    value.upk_three.min: 10 → 8 (cite: Rancangan perubahan KMK 300/2022 (hipotetis), batas jumlah",
        "      IKU UPK Three; provisional: Hypothetical draft figure for tests; UPK Three limited to 8–10",
        "      IKU.)"]


def test_json_lists_the_overridden_cells_where_they_are_written():
    doc = json.loads(run("diff", "--format", "json", "kmk_300_2022", DRAFT).output)
    iku = next(c for c in doc["changes"] if c["id"] == "iku_limits")
    assert "cells" not in iku["old"]
    assert iku["new"]["cells"] == [
        {"path": "upk_three.max", "file": f"{DRAFT}/policy.yaml", "line": 22, "value": "10",
         "cite": "Rancangan perubahan KMK 300/2022 (hipotetis), batas jumlah IKU UPK Three",
         "status": "provisional", "note": "Hypothetical draft figure for tests; UPK Three limited to 8–10 IKU."},
        {"path": "upk_three.min", "file": f"{DRAFT}/policy.yaml", "line": 16, "value": "8",
         "cite": "Rancangan perubahan KMK 300/2022 (hipotetis), batas jumlah IKU UPK Three",
         "status": "provisional", "note": "Hypothetical draft figure for tests; UPK Three limited to 8–10 IKU."}]
    assert doc["summary"]["by_kind"] == {"added": 2, "removed": 0, "changed": 5}


DATED_BASE = """\
policy: dated_base
title: Dated table
effective: {from: 2023-01-01}
subject: {schema: organization_contract, as: contract}
reference_date: date(contract.year, 1, 1)
parameters:
  limits:
    values:
      - {from: 2023-01-01, value: {upk_two: {min: 10, max: 20}}}
      - {from: 2024-01-01, value: {upk_two: {min: 10, max: 25}}}
    cite: KMK 1/2023, batas
    status: secondary
values:
  batas: {expr: limits.upk_two.max, cite: "KMK 1/2023, batas"}
"""
DATED_CHILD = """\
policy: dated_child
extends: dated_base
parameters:
  limits.upk_two.max: {value: 18, cite: "KMK 2/2024, batas", status: provisional, note: Assumed.}
"""


def test_a_cell_of_a_dated_table_is_cited_in_every_dated_value(tmp_path):
    for pid, text in (("dated_base", DATED_BASE), ("dated_child", DATED_CHILD)):
        (tmp_path / pid).mkdir()
        (tmp_path / pid / "policy.yaml").write_text(text, encoding="utf-8")
    registry = Registry(tmp_path)
    (limits,) = diff_policies(registry.spec("dated_base"), registry.spec("dated_child"))
    assert limits.details == [
        "value from 2023-01-01.upk_two.max: 20 → 18 (cite: KMK 2/2024, batas; provisional: Assumed.)",
        "value from 2024-01-01.upk_two.max: 25 → 18 (cite: KMK 2/2024, batas; provisional: Assumed.)",
        "status: secondary → provisional"]
