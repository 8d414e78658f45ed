"""`kinerja compare --format xlsx -o FILE`: the comparison as an Excel workbook, streamed.

Sheets, in order: `Summary` (the two policies, the record counts, the delta statistics per numeric
output, the rules that newly fail or stop failing, the attribution tally and the provisional notes:
the figures of the report document, engine.report.compare_data.report_dict); one `T <output>` sheet
per transition matrix (base labels down, candidate labels across, counts in the cells; then the label
pairs declared equivalent, which count as unchanged); `Records`
(one row per record and compared output: base, candidate, delta, changed, and why); `Violations`
(the violations that appear or disappear, per record); `Errors` (records that could not be read).

Like the CSV sink it writes each record's rows as the comparison arrives (`xlsx_rows`, run by
worker processes too; openpyxl's write-only mode spools rows to disk), so memory stays bounded; the
Summary and matrices are filled at the end.
With `--changed-only`, unchanged records are left out, as in CSV.
"""
from __future__ import annotations

from typing import IO

from ..compare import RecordComparison, Summary
from .compare_data import report_dict
from .xlsx_cells import Sheets, decimal_of

RECORD_COLUMNS = ["source", "line", "label", "record changed", "output", "base", "candidate", "delta", "changed",
                  "why"]
VIOLATION_COLUMNS = ["source", "line", "label", "kind", "rule", "severity", "path", "message", "why"]
ERROR_COLUMNS = ["source", "line", "column", "message"]
NUMERIC_COLUMNS = ["output", "per item", "count", "changed", "missing base", "missing candidate", "mean delta",
                   "median delta", "median exact", "min delta", "max delta"]
NUMBERS = ("mean", "median", "min", "max")
MAX_SHEET_NAME = 31


def xlsx_rows(rc: RecordComparison, changed_only: bool = False) -> tuple[list, list, list] | None:
    """A comparison's rows for the Records, Violations and Errors sheets (a plain function of the
    record, so worker processes can compute it), or None when `changed_only` leaves it out."""
    if rc.ok and not rc.changed and changed_only:
        return None
    errors = [[e.source, e.line, e.column, e.text.splitlines()[0] if e.text else e.message] for e in rc.errors]
    why: dict[str, list[str]] = {}
    for a in rc.attribution:
        why.setdefault(a.item, []).append(a.change)
    head = [rc.source, rc.line, rc.label, rc.changed]
    values = [head + [v.name, v.base, v.candidate, v.delta, v.changed, "; ".join(why.get(v.name, [])) or None]
              for v in (rc.values if rc.ok else ())]
    violations = [[rc.source, rc.line, rc.label, kind, v.rule, v.severity, v.path, v.message,
                   "; ".join(why.get(f"{kind} {v.where}", [])) or None]
                  for kind, diffs in (("new", rc.appeared), ("resolved", rc.disappeared)) for v in diffs]
    return values, violations, errors


class XlsxSink:
    """A compare sink (the interface of engine.report.compare_sinks.Sink, on a binary stream): rows per
    record as they come (`render`, `write`; `record` is both), then the Summary and transition sheets
    (`finish`)."""

    render = staticmethod(xlsx_rows)

    def __init__(self, out: IO[bytes], changed_only: bool = False):
        self.out, self.changed_only = out, changed_only
        self.sheets = Sheets()
        self.summary = self.sheets.wb.create_sheet("Summary")
        self.records = self.sheets.table("Records", RECORD_COLUMNS)
        self.violations = self.sheets.table("Violations", VIOLATION_COLUMNS)
        self.errors = self.sheets.table("Errors", ERROR_COLUMNS)

    def record(self, rc: RecordComparison) -> None:
        rows = xlsx_rows(rc, self.changed_only)
        if rows is not None:
            self.write(rows)

    def write(self, rows) -> None:
        for sheet, part in zip((self.records, self.violations, self.errors), rows):
            for row in part:
                self.sheets.row(sheet, row)

    def flush(self) -> None:
        """Rows are spooled by openpyxl; nothing reaches the output before `finish`."""

    def finish(self, summary: Summary) -> None:
        report = report_dict(summary, records=[], errors=[])
        self._summary(report)
        for t in report["summary"]["transitions"]:
            self._transitions(t)
        self.sheets.save(self.out)

    def _summary(self, report: dict) -> None:
        s, ws, row = report["summary"], self.summary, self.sheets.row
        bold = lambda text: self.sheets.cell(ws, text, bold=True)   # noqa: E731
        for role in ("base", "candidate"):
            p = report[role]
            row(ws, [role, p["id"], p["title"], p["instrument"]])
        for figure in ("records", "compared", "errors", "changed"):
            row(ws, [figure, s[figure]])
        ws.append([])
        ws.append([bold(h) for h in NUMERIC_COLUMNS])
        for n in s["numeric"]:
            row(ws, [n["name"], n["per_item"], n["count"], n["changed"], n["missing_base"], n["missing_candidate"],
                     *(decimal_of(n[k]) for k in NUMBERS[:2]), n["median_exact"],
                     *(decimal_of(n[k]) for k in NUMBERS[2:])])
        for title, key in (("new failures", "new_failures"), ("resolved failures", "resolved_failures")):
            ws.append([])
            ws.append([bold(h) for h in (title, "title", "records", "violations")])
            for f in s[key]:
                row(ws, [f["rule"], f["title"], f["records"], f["violations"]])
        ws.append([])
        ws.append([bold(h) for h in ("change", "explains", "of", "what")])
        for a in s["attribution"]:
            row(ws, [a["change"], a["explains"], a["of"], a["what"]])
        ws.append([])
        ws.append([bold("provisional")])
        for note in s["provisional"]:
            row(ws, [note])

    def _transitions(self, t: dict) -> None:
        ws = self.sheets.wb.create_sheet(_sheet_name(f"T {t['name']}", self.sheets.wb.sheetnames))
        ws.freeze_panes = "B2"
        ws.append([self.sheets.cell(ws, f"{t['name']}: base \\ candidate", bold=True),
                   *(self.sheets.cell(ws, c, bold=True) for c in t["columns"])])
        for label, counts in zip(t["rows"], t["counts"]):
            ws.append([self.sheets.cell(ws, label, bold=True), *counts])
        if t["equivalent"]:   # labels declared equivalent count as unchanged
            ws.append([])
            ws.append([self.sheets.cell(ws, h, bold=True) for h in ("equivalent: base", "candidate", "declared by")])
            for e in t["equivalent"]:
                ws.append([e["base"], e["candidate"], e["policy"]])


def _sheet_name(name: str, taken: list[str]) -> str:
    """`name` made a valid, unused Excel sheet name (≤ 31 characters, none of []:*?/\\)."""
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:MAX_SHEET_NAME]
    n, candidate = 2, clean
    while candidate.lower() in (t.lower() for t in taken):
        suffix = f" ({n})"
        candidate, n = clean[:MAX_SHEET_NAME - len(suffix)] + suffix, n + 1
    return candidate
