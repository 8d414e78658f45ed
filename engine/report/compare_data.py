"""The compare report document: the one shape every format of `kinerja compare` is rendered from.

`report_dict` turns a `Summary` (and the records to show) into the document whose shape is fixed for
every machine-readable form: decimals as exact text, missing values as null. The text, Markdown and
HTML renderers read that document, so they show the same figures; JSON, JSON Lines and CSV write it
(`engine.report.compare_sinks`). The summary's figures become sentences here (the provisional notes):
the engine computes, the report words.
"""
from __future__ import annotations

from ..compare import ErrorInfo, RecordComparison, Summary
from ..display import plural
from ..result import jsonable


def transition_changes(t: dict) -> int:
    """How many records (or items) a transition matrix shows with a changed label: the cells whose row
    label (base) differs from their column label (candidate). Matched by label, not by position: the two
    policies' label sets, hence rows and columns, may differ."""
    return sum(n for base, row in zip(t["rows"], t["counts"])
               for candidate, n in zip(t["columns"], row) if base != candidate)


def policy_info(policy) -> dict:
    return {"id": policy.id, "title": policy.spec.title, "instrument": policy.spec.instrument}


def record_dict(rc: RecordComparison) -> dict:
    return jsonable({
        "source": rc.source, "line": rc.line, "label": rc.label, "changed": rc.changed,
        "values": [{"name": v.name, "base": v.base, "candidate": v.candidate, "delta": v.delta} for v in rc.values],
        "appeared": [_violation(v) for v in rc.appeared],
        "disappeared": [_violation(v) for v in rc.disappeared],
        "attribution": [str(a) for a in rc.attribution],
        "provisional": rc.provisional,
        "outside_period": [rc.outside_period[p] for p in rc.outside_period]})


def _violation(v) -> dict:
    return {"rule": v.rule, "severity": v.severity, "message": v.message, "path": v.path}


def error_dict(e: ErrorInfo) -> dict:
    return {"source": e.source, "line": e.line, "column": e.column, "message": e.message}


def summary_dict(s: Summary) -> dict:
    pair = s.pair
    return jsonable({
        "records": s.records, "compared": s.compared, "errors": s.error_records, "changed": s.changed,
        "outside_period": s.outside_period(),
        "outputs": {"common": pair.common_outputs,
                    "values": [v for v in s.outputs if v not in pair.common_outputs],
                    "only_base": [o for o in pair.base.outputs if o not in pair.candidate.outputs],
                    "only_candidate": [o for o in pair.candidate.outputs if o not in pair.base.outputs]},
        "numeric": s.numeric_rows(),
        "transitions": s.transitions(),
        "new_failures": s.failures(s.new, s.new_violations, pair.candidate),
        "resolved_failures": s.failures(s.resolved, s.resolved_violations, pair.base),
        "attribution": s.attribution(),
        "changes": s.changes(),
        "provisional": provisional_notes(s)})


def outside_notes(summary: dict) -> list[str]:
    """The summary's records outside a policy's period, worded: `12 records outside kmk_467_2014's period`."""
    return [f"{plural(row['records'], 'record')} outside {row['policy']}'s period"
            for row in summary.get("outside_period") or []]


def provisional_notes(s: Summary) -> list[str]:
    """One sentence per provisional figure the changed records depend on (`Summary.provisional`)."""
    notes = []
    for p in s.provisional():
        where = p["provisional_in"]
        status = "provisional in " + " and ".join(where) if len(where) < 2 else "provisional"
        changed = ", changed by the candidate" if p["changed_by_candidate"] else ""
        notes.append(f"{p['name']}: {status}{changed}; {p['records']} of {plural(s.changed, 'changed record')} "
                     "depend on it")
    return notes


def report_dict(s: Summary, records: list[dict] | None = None, errors: list[dict] | None = None,
                records_shown: str | None = None) -> dict:
    """The report document. Without `records`, the summary's most changed records are shown."""
    if records is None:
        records = [record_dict(rc) for rc in s.top_records()]
        records_shown = f"top {s.top_n}"
    return {"base": policy_info(s.pair.base), "candidate": policy_info(s.pair.candidate),
            "summary": summary_dict(s), "records": records, "records_shown": records_shown or "all",
            "errors": errors if errors is not None else [error_dict(e) for e in s.errors],
            "errors_total": s.error_messages}
