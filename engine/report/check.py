"""Rendering a batch of check results (`engine/batch.py`) for people (text) and machines (JSON).

A batch is a list of outcomes, one per record: a `Result`, or the `KinerjaError` that stopped the
record (bad file, schema violation, no policy in force). Both renderers show every record, or with
`quiet` only the failing ones and input errors; `summary_text`/`summary_json` show only the counts
(per outcome, per severity, per rule). A record
whose result cannot be rendered (an unexpected error) is shown as that record's input error instead,
and its outcome becomes that error in place, so the summary and the exit status count it.
"""
from __future__ import annotations

import json

from typing import Callable, TypeVar

from ..batch import Outcome, RuleCount, Summary, failing, summarise
from ..display import plural, value
from ..errors import ErrorList, KinerjaError, Location, SourceError
from ..failures import record_failure
from ..result import SEVERITY_RANK, Result, jsonable


def error_messages(error: KinerjaError) -> list[str]:
    if isinstance(error, ErrorList):
        return [str(e) for e in error.errors]
    return [str(error)]


T = TypeVar("T")


def rendered(o: Outcome, render: Callable[[Outcome], T], render_error: Callable[[Outcome], T]) -> T:
    """`render(o)`, or, if rendering the result fails, `render_error(o)` once `o` holds that failure."""
    if o.error is None:
        try:
            return render(o)
        except Exception as e:   # one record's rendering failure loses no other record
            o.result, o.error = None, record_failure(e, Location(o.source))
    return render_error(o)


def text(outcomes: list[Outcome], fail_on: str, show_values: list[str] | None = None, quiet: bool = False) -> str:
    """Every record (with `quiet`, only the `failing` ones), then the summary line."""
    lines: list[str] = []
    for o in outcomes:
        shown = rendered(o, lambda o: _result_lines(o.result, fail_on, show_values), _error_lines)
        lines += shown if not quiet or failing(o, fail_on) else []
    if lines or not quiet:
        lines.append("")
    lines.append(_summary_line(summarise(outcomes, fail_on)))
    return "\n".join(lines)


def _summary_line(s: Summary) -> str:
    counts = ", ".join(plural(n, sev) for sev, n in s.by_severity.items() if n)
    return (f"{plural(s.records, 'record')}: {s.passed} passed, {s.failed} failed"
            + (f", {s.input_errors} with input errors" if s.input_errors else "")
            + (f" ({counts})" if counts else "")
            + (f"; {plural(s.outside_period, 'record')} outside the policy's period" if s.outside_period else ""))


def summary_text(outcomes: list[Outcome], fail_on: str) -> str:
    """`check --summary`: the summary line, then a table of violations per rule (most severe first)."""
    s = summarise(outcomes, fail_on)
    rows = [(f"{c.policy}/{c.rule}", c.severity, str(c.violations), str(c.records)) for c in _rules(s)]
    if not rows:
        return _summary_line(s) + "\n\nNo violations."
    table = [("RULE", "SEVERITY", "VIOLATIONS", "RECORDS")] + rows
    widths = [max(len(row[i]) for row in table) for i in range(4)]
    lines = [_summary_line(s), "", "Violations per rule:"]
    for row in table:
        lines.append("  " + "  ".join([row[0].ljust(widths[0]), row[1].ljust(widths[1]),
                                       row[2].rjust(widths[2]), row[3].rjust(widths[3])]))
    return "\n".join(lines)


def _rules(s: Summary) -> list[RuleCount]:
    return sorted(s.by_rule.values(), key=lambda c: (-SEVERITY_RANK[c.severity], -c.violations, c.policy, c.rule))


def _error_lines(o: Outcome) -> list[str]:
    lines = [f"INPUT ERROR  {o.source}"]
    for msg in error_messages(o.error):
        lines.extend("  " + m for m in msg.splitlines())
    return lines


def _result_lines(r: Result, fail_on: str, show_values: list[str] | None) -> list[str]:
    verdict = "FAIL" if r.fails(fail_on) else "PASS"
    lines = [f"{verdict}  {r.source}  ({r.policy})"]
    lines.extend([f"  note: {r.outside_period}"] if r.outside_period else [])
    lines.extend([f"  confidential, not shown (--show-confidential): {', '.join(r.hidden)}"] if r.hidden else [])
    for name in show_values if show_values is not None else _headline(r):
        if name in r.values and not isinstance(r.values[name], dict):
            lines.append(f"  {name} = {value(r.values[name])}")
    ordered = sorted(r.violations, key=lambda v: (-SEVERITY_RANK[v.severity], v.line or 0))
    for v in ordered:
        where = f"{r.source}:{v.line}" if v.line else r.source
        at = f" at {v.path}" if v.path else ""
        lines.append(f"  {where}: {v.severity} [{v.rule}]{at}: {v.message}")
        lines.append(f"      {v.cite}" + (f" ({v.status})" if v.status == "provisional" else ""))
    for e in r.errors:
        lines.append(f"  note: {e}")
    return lines


def _headline(r: Result) -> list[str]:
    """Scalar outputs worth a line in text reports."""
    return [k for k, v in r.values.items() if not isinstance(v, (dict, list))]


def as_json(outcomes: list[Outcome], fail_on: str, quiet: bool = False) -> str:
    """The summary and every record (with `quiet`, only the `failing` ones)."""
    records = [rendered(o, lambda o: _result_dict(o, fail_on), _error_record) for o in outcomes]
    if quiet:
        records = [r for r, o in zip(records, outcomes) if failing(o, fail_on)]
    doc = {"fail_on": fail_on, "summary": _summary_dict(summarise(outcomes, fail_on)), "records": records}
    return json.dumps(doc, ensure_ascii=False, indent=2)


def summary_json(outcomes: list[Outcome], fail_on: str) -> str:
    """`check --format json --summary`: the summary with its violations per rule, and no records."""
    s = summarise(outcomes, fail_on)
    rules = [{"policy": c.policy, "rule": c.rule, "severity": c.severity, "violations": c.violations,
              "records": c.records} for c in _rules(s)]
    return json.dumps({"fail_on": fail_on, "summary": {**_summary_dict(s), "rules": rules}}, ensure_ascii=False,
                      indent=2)


def _summary_dict(s: Summary) -> dict:
    return {"records": s.records, "passed": s.passed, "failed": s.failed, "input_errors": s.input_errors,
            "violations": s.by_severity}


def _result_dict(o: Outcome, fail_on: str) -> dict:
    """A result as JSON-ready data (`jsonable` makes every value encodable)."""
    d = jsonable(o.result.to_dict())
    d["passed"] = not o.result.fails(fail_on)
    return d


def _error_record(o: Outcome) -> dict:
    errs = o.error.errors if isinstance(o.error, ErrorList) else [o.error]
    return jsonable({"source": o.source, "input_errors": [_error_dict(e) for e in errs]})


def _error_dict(e: KinerjaError) -> dict:
    if isinstance(e, SourceError) and e.location is not None:
        return {"file": e.location.file, "line": e.location.line, "column": e.location.column,
                "message": e.message}
    return {"file": None, "line": None, "column": None, "message": str(e)}
