"""engine.synthetic stands alone (stdlib and pyyaml only), and its benchmark options (`breaches`,
`gaps`) change only what they promise."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from engine.synthetic import CONTRACT_BREACHES, GAPS_NOTE, dumps, generate
from tests.conftest import ROOT

PACKAGE = ROOT / "engine" / "synthetic"
OWN_MODULES = {p.stem for p in PACKAGE.glob("*.py")}


def imports(path: Path) -> list[tuple[int, str]]:
    """(level, module) of every import in a module: level 1 is `from .x`, 2 is `from ..x`."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(0, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            out.append((node.level, node.module or ""))
    return out


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*.py")), ids=lambda p: p.name)
def test_synthetic_imports_nothing_else_from_the_engine(path):
    outside = [(level, module) for level, module in imports(path)
               if level > 1 or (level == 0 and module.split(".")[0] not in sys.stdlib_module_names | {"yaml"})
               or (level == 1 and module and module.split(".")[0] not in OWN_MODULES)]
    assert outside == []


def test_the_import_check_sees_relative_and_engine_imports(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("from ..record import Record\nimport engine.display\nfrom . import units\n", encoding="utf-8")
    assert imports(probe) == [(2, "record"), (0, "engine.display"), (1, "")]


def test_breaches_limits_the_rules_broken():
    records = list(generate(units=60, seed=3, violations=0.5, breaches=["pk-budget", "pk-strategy-map"]))
    notes = [r["notes"].split("Sengaja melanggar: ")[1] for r in records if "Sengaja" in r["notes"]]
    assert len(notes) == 30 and set(notes) == {"pk-budget.", "pk-strategy-map."}


def test_breaches_must_be_known():
    with pytest.raises(ValueError, match="unknown breach pk-nope; known: pk-iku-count"):
        next(generate(units=1, breaches=["pk-nope"]))


def test_ministry_is_left_clean_when_no_chosen_breach_applies_to_it():
    [ministry] = generate(units=1, violations=1, breaches=["pk-iku-count"])
    assert "Sengaja" not in ministry["notes"]


def test_gaps_leave_figures_out_and_say_so_in_the_notes():
    clean = list(generate(units=120, seed=5))
    gapped = list(generate(units=120, seed=5, gaps=True))
    touched = [g for g in gapped if GAPS_NOTE in g["notes"]]
    assert 20 < len(touched) < 100
    untouched = [(c, g) for c, g in zip(clean, gapped) if GAPS_NOTE not in g["notes"]]
    assert all(dumps(c) == dumps(g) for c, g in untouched)
    iku = [i for g in gapped for i in g["iku"]]
    assert any("parent_iku" in i for i in iku)
    assert any("consolidation" not in i for i in iku)
    assert any(all("realization" not in p for p in i["periods"]) for i in iku)


def test_gaps_keep_the_clean_part_of_each_record():
    for c, g in zip(generate(units=40, seed=5), generate(units=40, seed=5, gaps=True)):
        assert [i["code"] for i in c["iku"]] == [i["code"] for i in g["iku"] if "parent_iku" not in i]
        assert c["head"] == g["head"] and c["budget"] == g["budget"]
