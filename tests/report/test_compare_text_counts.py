"""The compare text report counts a transition's changes by label (row label ≠ column label), as the
matrix shows them, also when the base and candidate label sets differ (so rows and columns do not line up)."""
from __future__ import annotations

import json

import pytest

from engine.report.compare_data import transition_changes
from engine.report.compare_text import render_text
from tests.conftest import run_cli

MATRIX = {"name": "predikat", "per_item": False, "rows": ["A", "B", "missing"], "columns": ["B", "C", "missing"],
          #            B  C  missing
          "counts": [[5, 1, 0],      # A: 6 changed
                     [3, 2, 1],      # B: 3 unchanged (B→B is off the positional diagonal), 3 changed
                     [0, 4, 9]]}     # missing: 4 changed, 9 unchanged


def test_changes_counted_by_label():
    assert transition_changes(MATRIX) == 6 + 3 + 4
    same = {**MATRIX, "rows": ["B", "C", "missing"]}
    assert transition_changes(same) == 1 + 3 + 1 + 4


@pytest.mark.usefixtures("at_root")
def test_text_report_gives_the_matrix_count():
    r = run_cli("compare", "--base", "kmk_300_2022", "--candidate", "tests/fixtures/compare/draft_kmk_300_amendment",
                "--format", "json", "tests/fixtures/compare/corpus")
    report = json.loads(r.output)
    report["summary"]["transitions"] = [MATRIX]
    assert "predikat: 13 of 25 records changed (rows: base, columns: candidate)" in render_text(report)
