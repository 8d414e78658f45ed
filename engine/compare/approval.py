"""Approved outcome changes: the file `compare --approve` writes and `compare --expect` checks against.

A CI job gates an amendment on it: the approval file, committed with the amendment, lists for each
record whose outcome changes its key (the record label, or its source `file:line` when it has none)
and its changes: each compared value that changes (name → {base, candidate}) and each violation that
appears or disappears (rule id and data path). `--expect` compares a run's changes with the approved
ones and names the new, missing and different ones, so a pull request shows exactly which units flip.

The changes are collected by `ApprovalSink`, which wraps the report's sink: its `render` runs where
the record is compared (in a worker process with --jobs > 1) and hands the record's changes to the
main process along with the rendered text, so the collected changes are the same for any number of
jobs. Only changed records are kept.
"""
from __future__ import annotations

import functools
import json
from collections import Counter
from typing import Any, Iterable

from ..display import value
from ..errors import KinerjaError
from ..outputs import atomic_output
from ..result import jsonable
from .model import RecordComparison

VERSION = 1
KINDS = ("appeared", "disappeared")


class ApprovalError(KinerjaError):
    """An approval file is missing, unreadable or not an approval file."""


Found = tuple[str, str, dict]   # (label, source, changes) of one changed record


def record_changes(rc: RecordComparison) -> Found | None:
    """The changes of a compared record whose outcome changed; None for an unchanged or unread one."""
    if not rc.ok or not rc.changed:
        return None
    source = rc.source + (f":{rc.line}" if rc.line is not None else "")
    changes: dict[str, Any] = {"values": {v.name: {"base": jsonable(v.base), "candidate": jsonable(v.candidate)}
                                          for v in rc.values if v.changed}}
    for kind in KINDS:
        changes[kind] = sorted(({"rule": v.rule, "path": v.path} for v in getattr(rc, kind)),
                               key=lambda e: (e["rule"], e["path"] or ""))
    return rc.label, source, changes


def _render_with_changes(render, rc: RecordComparison, changed_only: bool) -> tuple[Found | None, Any]:
    return record_changes(rc), (render(rc, changed_only) if render is not None else None)


class ApprovalSink:
    """A compare sink that passes everything on to `inner` and keeps the changes of changed records."""

    def __init__(self, inner):
        self.inner, self.changed_only = inner, inner.changed_only
        self.render = functools.partial(_render_with_changes, inner.render)
        self.found: list[Found] = []

    def write(self, rendered: tuple[Found | None, Any]) -> None:
        found, text = rendered
        if found is not None:
            self.found.append(found)
        if text is not None:
            self.inner.write(text)

    def record(self, rc: RecordComparison) -> None:
        found = record_changes(rc)
        if found is not None:
            self.found.append(found)
        self.inner.record(rc)

    def flush(self) -> None:
        self.inner.flush()

    def finish(self, summary) -> None:
        self.inner.finish(summary)


def approval_document(base: str, candidate: str, found: Iterable[Found]) -> dict:
    """The approval file's content: records by key; a key several changed records share gets its source."""
    found = list(found)
    shared = Counter(label or source for label, source, _ in found)
    records = {}
    for label, source, changes in found:
        key = label or source
        records[f"{key} ({source})" if shared[key] > 1 else key] = {"source": source, **changes}
    return {"version": VERSION, "base": base, "candidate": candidate, "records": records}


def write_approval(path: str, document: dict, inputs: Iterable[str] = ()) -> None:
    """Write `document` to `path` atomically, as sorted, indented JSON."""
    with atomic_output(path, inputs=inputs) as out:
        out.write(json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


def read_approval(path: str) -> dict:
    """The approval document at `path`; ApprovalError when it is missing, unreadable or malformed."""
    try:
        with open(path, encoding="utf-8") as f:
            document = json.load(f)
    except FileNotFoundError:
        raise ApprovalError(f"{path}: approval file not found (write one with --approve {path})") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ApprovalError(f"{path}: cannot read the approval file: {getattr(e, 'strerror', None) or e}") from None
    except json.JSONDecodeError as e:
        raise ApprovalError(f"{path}:{e.lineno}:{e.colno}: not valid JSON: {e.msg}") from None
    problem = _malformed(document)
    if problem:
        raise ApprovalError(f"{path}: not an approval file: {problem}")
    return document


def _malformed(document: Any) -> str | None:
    """What makes `document` not an approval document, or None."""
    if not isinstance(document, dict) or not isinstance(document.get("records"), dict):
        return "expected an object with 'records' (an object of records by key)"
    for key, record in document["records"].items():
        if not isinstance(record, dict) or not isinstance(record.get("values", {}), dict):
            return f"record '{key}': expected an object with 'values' (an object)"
        if any(not isinstance(c, dict) or set(c) != {"base", "candidate"} for c in record.get("values", {}).values()):
            return f"record '{key}': each value change must be an object with exactly 'base' and 'candidate'"
        for kind in KINDS:
            entries = record.get(kind, [])
            if not isinstance(entries, list) or any(not isinstance(e, dict) or not isinstance(e.get("rule"), str)
                                                    for e in entries):
                return f"record '{key}': '{kind}' must be a list of {{rule, path}} objects"
    return None


def _flat(document: dict) -> dict[tuple[str, str], tuple[str, str]]:
    """Each change of `document` by (record key, what changes) → (how it changes exactly, as JSON; and
    as display text)."""
    out = {}
    for key, record in document["records"].items():
        for name, change in record.get("values", {}).items():
            text = f"{value(change['base'])} → {value(change['candidate'])}"
            out[(key, name)] = json.dumps(change, sort_keys=True), text
        for kind in KINDS:
            for e in record.get(kind, []):
                where = e["rule"] + (f" at {e['path']}" if e.get("path") else "")
                out[(key, f"violation {where}")] = kind, kind.removesuffix("ed") + "s"
    return out


def unapproved(approved: dict, current: dict) -> list[str]:
    """One line for each difference between the approved changes and the current ones, in order of
    record and name: `new:` (happens, not approved), `missing:` (approved, no longer happens) and
    `different:` (the same record and name, changing otherwise)."""
    was, now = _flat(approved), _flat(current)
    lines = []
    for key, name in sorted(was.keys() | now.keys()):
        before, after = was.get((key, name)), now.get((key, name))
        if before is None:
            lines.append(f"new: {key}: {name} {after[1]}")
        elif after is None:
            lines.append(f"missing: {key}: {name} {before[1]} (approved, no longer happens)")
        elif before[0] != after[0]:
            lines.append(f"different: {key}: {name} {after[1]} (approved: {before[1]})")
    return lines

