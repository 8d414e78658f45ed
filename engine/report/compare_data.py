"""The compare report document: the one shape every format of `kinerja compare` is rendered from.

`report_dict` turns a `Summary` (and the records to show) into the document whose shape is fixed for
every machine-readable form: decimals as exact text, missing values as null. The text, Markdown and
HTML renderers read that document, so they show the same figures; JSON, JSON Lines and CSV write it
(`engine.report.compare_sinks`). Each compared value says whether it `changed` (labels a policy
declares equivalent have not), each transition matrix lists its `equivalent` label pairs, each
policy its `ref` (as the comparison named it, for `kinerja diff`), and `made` (`made_dict`, the HTML
page's "how this was made") the version, date, inputs, policy files and options of the run. The
summary's figures become sentences here (the provisional notes): the engine computes, the report words.
"""
from __future__ import annotations

import datetime as _dt
import os

from ..compare import ErrorInfo, PolicyPair, RecordComparison, Summary
from ..display import plural, relative
from ..result import jsonable
from ..version import tool_version


def transition_changes(t: dict) -> int:
    """How many records (or items) a transition matrix shows with a changed label: the cells whose row
    label (base) differs from their column label (candidate) and is not declared equivalent to it.
    Matched by label, not by position: the two policies' label sets, hence rows and columns, may differ."""
    return sum(n for base, row in zip(t["rows"], t["counts"])
               for candidate, n in zip(t["columns"], row) if not same_label(t, base, candidate))


def same_label(t: dict, base: str, candidate: str) -> bool:
    """Whether a transition matrix's base label and candidate label mean the same: equal, or equivalent."""
    return base == candidate or any(e["base"] == base and e["candidate"] == candidate
                                    for e in t.get("equivalent") or ())


def transitions(s: Summary) -> list[dict]:
    """The summary's transition matrices, each with the label pairs its rows and columns show that a
    policy declares equivalent (`equivalent`: base, candidate, the declaring policy), and its columns
    ordered so that each candidate label stands under the base label it equals or is equivalent to."""
    out = []
    for t in s.transitions():
        declared = s.pair.labels.get(t["name"], {})
        t["equivalent"] = [{"base": b, "candidate": c, "policy": policy} for (b, c), policy in declared.items()
                           if b in t["rows"] and c in t["columns"]]
        facing = {e["candidate"]: t["rows"].index(e["base"]) for e in t["equivalent"]}
        facing.update({c: t["rows"].index(c) for c in t["columns"] if c in t["rows"]})
        order = sorted(range(len(t["columns"])), key=lambda i: (facing.get(t["columns"][i], len(t["rows"])), i))
        t["columns"] = [t["columns"][i] for i in order]
        t["counts"] = [[row[i] for i in order] for row in t["counts"]]
        out.append(t)
    return out


def policy_info(policy, ref: str) -> dict:
    """A policy's id, title and instrument, and `ref`: how the comparison named it (an id or a path)."""
    return {"id": policy.id, "title": policy.spec.title, "instrument": policy.spec.instrument, "ref": ref}


def record_dict(rc: RecordComparison) -> dict:
    return jsonable({
        "source": rc.source, "line": rc.line, "label": rc.label, "changed": rc.changed,
        "values": [{"name": v.name, "base": v.base, "candidate": v.candidate, "delta": v.delta, "changed": v.changed}
                   for v in rc.values],
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
        "transitions": transitions(s),
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


def made_dict(pair: PolicyPair, inputs: list[tuple[str, int]], options: list[str]) -> dict:
    """How a report was made: the kinerja version, the date (from SOURCE_DATE_EPOCH when set, for
    reproducible reports), each input with its record count, each policy with the files it was read
    from (its own first, then those it extends or uses) and the options given."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    today = _dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc).date() if epoch else _dt.date.today()
    sides = (("base", pair.base, pair.base_ref), ("candidate", pair.candidate, pair.candidate_ref))
    policies = [{"role": role, "id": p.id, "ref": ref, "files": policy_files(p)} for role, p, ref in sides]
    return {"kinerja": tool_version(), "date": today.isoformat(),
            "inputs": [{"path": path, "records": n} for path, n in inputs], "policies": policies, "options": options}


def policy_files(policy) -> list[str]:
    """The files a policy was read from, relative to the current folder when below it: its own, then
    those its entries come from (what it extends or uses), in order of first appearance."""
    spec = policy.spec
    entries = [e for section in (spec.parameters, spec.functions, spec.values, spec.rules) for e in section.values()]
    return [relative(f) for f in dict.fromkeys([spec.file] + [e.origin.file for e in entries])]


def report_dict(s: Summary, records: list[dict] | None = None, errors: list[dict] | None = None,
                records_shown: str | None = None, made: dict | None = None) -> dict:
    """The report document. Without `records`, the summary's most changed records are shown. `made`
    (`made_dict`), when given, says how the report was made."""
    if records is None:
        records = [record_dict(rc) for rc in s.top_records()]
        records_shown = f"top {s.top_n}"
    return {"base": policy_info(s.pair.base, s.pair.base_ref),
            "candidate": policy_info(s.pair.candidate, s.pair.candidate_ref),
            "summary": summary_dict(s), "records": records, "records_shown": records_shown or "all",
            "errors": errors if errors is not None else [error_dict(e) for e in s.errors],
            "errors_total": s.error_messages, **({"made": made} if made is not None else {})}
