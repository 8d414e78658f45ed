"""`kinerja check --format xlsx -o FILE`: a batch of check results as an Excel workbook.

Sheets: `Summary` (the counts the text report's last line gives), `Records` (one row per record:
its verdict, policy and headline values as numbers, or its input errors), `Violations` (one row
per violation, with rule, severity, data path, line, message and citation). Like the text and JSON
renderers it reads the outcomes and `summarise` (engine/batch.py) and computes nothing new; a record
whose result cannot be rendered becomes that record's input error (engine.report.check.rendered).
"""
from __future__ import annotations

from typing import IO

from ..batch import Outcome, summarise
from ..result import SEVERITY_RANK, Result
from .check import _headline, error_messages, rendered
from .xlsx_cells import Sheets

VIOLATION_COLUMNS = ["source", "policy", "verdict", "rule", "severity", "outcome", "path", "line", "message",
                     "cite", "status"]


def write_xlsx(outcomes: list[Outcome], fail_on: str, out: IO[bytes]) -> None:
    sheets = Sheets()
    summary = sheets.table("Summary", ["figure", "value"])
    rows = [rendered(o, lambda o: _record_rows(o.result, fail_on), _error_rows) for o in outcomes]
    s = summarise(outcomes, fail_on)
    for figure, n in [("fail on", fail_on), ("records", s.records), ("passed", s.passed), ("failed", s.failed),
                      ("input errors", s.input_errors), ("outside the policy's period", s.outside_period),
                      *((f"{sev} violations", n) for sev, n in s.by_severity.items())]:
        sheets.row(summary, [figure, n])
    names = list(dict.fromkeys(name for record, _ in rows for name in record[4]))
    records = sheets.table("Records", ["source", "policy", "verdict", "note", *names])
    for record, _ in rows:
        source, policy, verdict, note, values = record
        sheets.row(records, [source, policy, verdict, note, *(values.get(n) for n in names)])
    violations = sheets.table("Violations", VIOLATION_COLUMNS)
    for _, lines in rows:
        for line in lines:
            sheets.row(violations, line)
    sheets.save(out)


def _record_rows(r: Result, fail_on: str) -> tuple[tuple, list[list]]:
    """(source, policy, verdict, note, headline values) and the record's violation rows."""
    verdict = "FAIL" if r.fails(fail_on) else "PASS"
    values = {name: r.values[name] for name in _headline(r)}
    ordered = sorted(r.violations, key=lambda v: (-SEVERITY_RANK[v.severity], v.line or 0))
    lines = [[r.source, r.policy, verdict, v.rule, v.severity, v.outcome, v.path, v.line, v.message, v.cite,
              v.status] for v in ordered]
    note = "; ".join(([r.outside_period] if r.outside_period else []) + [str(e) for e in r.errors]) or None
    return (r.source, r.policy, verdict, note, values), lines


def _error_rows(o: Outcome) -> tuple[tuple, list[list]]:
    return (o.source, None, "INPUT ERROR", "\n".join(error_messages(o.error)), {}), []
