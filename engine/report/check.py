"""Rendering a batch of check results (`engine/batch.py`) for people (text) and machines (JSON).

A batch is a list of outcomes, one per record: a `Result`, or the `KinerjaError` that stopped the
record (bad file, schema violation, no policy in force). Both renderers show every record. A record
whose result cannot be rendered (an unexpected error) is shown as that record's input error instead,
and its outcome becomes that error in place, so the summary and the exit status count it.
"""
from __future__ import annotations

import json

from typing import Callable, TypeVar

from ..batch import Outcome, summarise
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


def text(outcomes: list[Outcome], fail_on: str, show_values: list[str] | None = None) -> str:
    lines: list[str] = []
    for o in outcomes:
        lines += rendered(o, lambda o: _result_lines(o.result, fail_on, show_values), _error_lines)
    s = summarise(outcomes, fail_on)
    counts = ", ".join(plural(n, sev) for sev, n in s.by_severity.items() if n)
    lines.append("")
    lines.append(f"{plural(s.records, 'record')}: {s.passed} passed, {s.failed} failed"
                 + (f", {s.input_errors} with input errors" if s.input_errors else "")
                 + (f" ({counts})" if counts else "")
                 + (f"; {plural(s.outside_period, 'record')} outside the policy's period" if s.outside_period else ""))
    return "\n".join(lines)


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


def as_json(outcomes: list[Outcome], fail_on: str) -> str:
    records = [rendered(o, lambda o: _result_dict(o, fail_on), _error_record) for o in outcomes]
    s = summarise(outcomes, fail_on)
    doc = {"fail_on": fail_on, "summary": {"records": s.records, "passed": s.passed, "failed": s.failed,
                                           "input_errors": s.input_errors, "violations": s.by_severity},
           "records": records}
    return json.dumps(doc, ensure_ascii=False, indent=2)


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
