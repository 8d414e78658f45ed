"""The compare text report counts a transition's changes by label (row label ≠ column label, and not
declared equivalent), as the matrix shows them, also when the base and candidate label sets differ (so
rows and columns do not line up); it leads with the figures, never cuts a count, and explains its symbols."""
from __future__ import annotations

import json
import re

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


def test_labels_declared_equivalent_count_as_unchanged():
    declared = {**MATRIX, "equivalent": [{"base": "A", "candidate": "C", "policy": "p"}]}
    assert transition_changes(declared) == 6 + 3 + 4 - 1


@pytest.mark.usefixtures("at_root")
def test_text_report_never_cuts_a_count_leads_with_figures_and_explains_its_symbols():
    text = run_cli("compare", "--base", "kmk_467_2014", "--candidate", "kmk_300_2022").output
    lines = text.splitlines()
    why = lines[lines.index("Why (each difference undone in turn; see `kinerja compare --help`)") + 1:]
    why = why[:why.index("")]
    assert len(why) == 23 and all(len(line) <= 100 for line in lines)
    assert all(re.match(r" {2,}\d+ of \d+ +[a-z]", line) for line in why)   # the counts first, never cut
    assert why[-4] == ("      1 of 4     resolved violations: parameter iku_max_per_ss (removed) + rule "
                       "kk-iku-per-ss (remo…")
    heads = [line for line in lines if line and not line.startswith(" ")]
    assert heads.index("Numeric outputs (delta = candidate - base, over records where both are numbers)") < \
        heads.index("Policy differences: 118, 95 of which can change outcomes; listed by") < \
        heads.index("Most changed records (top 10)")
    assert lines[lines.index("Policy differences: 118, 95 of which can change outcomes; listed by") + 1] == \
        "  kinerja diff kmk_467_2014 kmk_300_2022"
    assert lines[lines.index("Symbols"):] == [
        "Symbols",
        "  a -> b  base value -> candidate value",
        "  +       a rule that fails only under the candidate",
        "  -       a rule that fails only under the base",
        "  !       the record is outside a policy's period",
        "  why:    policy difference <- the changes it explains",
        "  ~       rounded for display (every digit: --format json)",
        "  =       labels the policies declare equivalent (unchanged)"]
