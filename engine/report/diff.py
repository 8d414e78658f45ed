"""Rendering a policy diff (`engine/policy/diff.py`) as text (100 columns), Markdown or JSON.

Text is for a terminal or a review comment in plain text: a header naming both policies, a one-line
summary, then one block per section with `+` added, `-` removed, `~` changed, each entry's status
and where it is written, and its details wrapped at 100 columns. Markdown is for pull-request
descriptions; JSON keeps every detail line plus the location, citation and status of both entries.
"""
from __future__ import annotations

import json
import re
import textwrap

from ..display import plural, relative
from ..policy.diff import KINDS, SECTIONS, Change
from ..policy.spec import Entry, PolicySpec, cell_entries

WIDTH = 100
_MARK = {"added": "+", "removed": "-", "changed": "~"}
_TITLE = {"meta": "META", "parameter": "PARAMETERS", "function": "FUNCTIONS", "value": "VALUES", "rule": "RULES"}
_PLURAL = {"meta": "meta", "parameter": "parameters", "function": "functions", "value": "values", "rule": "rules"}
_SINGULAR = {"meta": "meta field", "parameter": "parameter", "function": "function", "value": "value", "rule": "rule"}


def where(entry: Entry | None, section: str | None = None) -> str | None:
    """`file:line` where an entry is written; for meta fields, the line of the key in the policy's own
    file (None when it is inherited from a parent)."""
    if entry is None or entry.origin is None or entry.origin.smap is None:
        return None
    if section == "meta":
        smap = entry.origin.smap
        if (entry.name,) not in smap.keys:
            return None
        loc = smap.location((entry.name,), key=True)
    else:   # the line of the entry's name (`nko:`), or of its `- id:` in a list of rules
        path = entry.origin.path
        loc = entry.origin.location(key=bool(path) and isinstance(path[-1], str))
    return f"{relative(loc.file)}:{loc.line}" if loc.line else relative(loc.file)


def _status(c: Change) -> str:
    a = c.old.get("status") if c.old is not None else None
    b = c.new.get("status") if c.new is not None else None
    if c.section == "meta" or (a is None and b is None):
        return ""
    if c.kind == "changed" and a != b:
        return f"[{a or 'no status'} → {b or 'no status'}]"
    return f"[{b or a}]"


def summary(changes: list[Change]) -> str:
    """`8 differences: 3 meta fields (2 changed, 1 removed), 4 parameters (1 added, 3 changed), 1 rule
    added`: each section counted by kind, the kind named once when all its changes are of one kind."""
    if not changes:
        return "no differences"
    return f"{plural(len(changes), 'difference')}: " + ", ".join(
        _section_count(s, group) for s in SECTIONS if (group := [c for c in changes if c.section == s]))


def _section_count(section: str, group: list[Change]) -> str:
    counted = plural(len(group), _SINGULAR[section])
    kinds = [(k, n) for k in KINDS if (n := sum(c.kind == k for c in group))]
    if len(kinds) == 1:
        return f"{counted} {kinds[0][0]}"
    return f"{counted} ({', '.join(f'{n} {k}' for k, n in kinds)})"


def _identity(spec: PolicySpec) -> str:
    extra = f" (extends {' → '.join(spec.chain[1:])})" if len(spec.chain) > 1 else ""
    return f"{spec.id}  {spec.instrument or '(no instrument)'}  {relative(spec.file)}{extra}"


def text(base: PolicySpec, candidate: PolicySpec, changes: list[Change], width: int = WIDTH) -> str:
    lines = _wrap(f"base:      {_identity(base)}", width, "           ")
    lines += _wrap(f"candidate: {_identity(candidate)}", width, "           ")
    lines += _wrap(summary(changes), width, "    ")
    for section in SECTIONS:
        group = [c for c in changes if c.section == section]
        if not group:
            continue
        lines += ["", _TITLE[section]]
        for c in group:
            head = f"{_MARK[c.kind]} {c.id}"
            status = _status(c)
            if status:
                head += f"  {status}"
            at = where(c.new if c.new is not None else c.old, c.section)
            if at:
                head += f"  ({at})"
            lines += _wrap(head, width, "    ")
            for d in c.details:
                lines += _wrap(d, width, "      ", "    ")
    return "\n".join(lines) + "\n"


def _wrap(line: str, width: int, indent: str, first: str = "") -> list[str]:
    return textwrap.wrap(line, width=width, initial_indent=first, subsequent_indent=indent,
                         break_long_words=False, break_on_hyphens=False) or [first.rstrip()]


_MD_SPECIAL = re.compile(r"[\\`*]|<(?=[A-Za-z/!?])|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")


def _md(s: str) -> str:
    """Escape what Markdown would read as markup: backslash, code, emphasis, an HTML tag. `_` inside
    a word (as in `nko_k3`) and `<` before a number (`x<50`) are left alone: they are not markup."""
    return _MD_SPECIAL.sub(lambda m: "\\" + m.group(0), s)


def markdown(base: PolicySpec, candidate: PolicySpec, changes: list[Change]) -> str:
    out = [f"# Policy diff: `{base.id}` → `{candidate.id}`", "",
           "| | policy | instrument | file | extends |", "|---|---|---|---|---|"]
    for role, spec in (("base", base), ("candidate", candidate)):
        chain = " → ".join(f"`{p}`" for p in spec.chain[1:]) or "—"
        out.append(f"| {role} | `{spec.id}` | {_md(spec.instrument or '—')} | `{relative(spec.file)}` | {chain} |")
    out += ["", f"**{summary(changes)}**"]
    for section in SECTIONS:
        group = [c for c in changes if c.section == section]
        if not group:
            continue
        out += ["", f"## {_PLURAL[section].capitalize()}", ""]
        for c in group:
            head = f"- **{c.kind}** `{c.id}`"
            status = _status(c)
            if status:
                head += f" — {status.strip('[]')}"
            at = where(c.new if c.new is not None else c.old, c.section)
            if at:
                head += f" (`{at}`)"
            out.append(head)
            out += [f"  - {_md(d)}" for d in c.details]
    return "\n".join(out) + "\n"


def _entry_json(e: Entry | None, section: str) -> dict | None:
    if e is None:
        return None
    out: dict = {}
    at = where(e, section)
    if at is not None:
        file, _, line = at.rpartition(":")
        out.update(file=file, line=int(line)) if line.isdigit() else out.update(file=at)
    if section == "meta":
        value = e.get("value", e.get("expr"))
        out["value"] = value if isinstance(value, (str, list)) or value is None else str(value)
    for key in ("status", "cite", "severity"):
        if e.get(key) is not None:
            out[key] = e.get(key)
    if section == "rule" and "severity" not in out:
        out["severity"] = "error"
    if e.cells:
        out["cells"] = [_cell_json(path, cell) for path, cell in cell_entries(e).items()]
    return out


def _cell_json(path: tuple, cell: Entry) -> dict:
    """A table cell overridden by path: where, its value and its own citation, status and note."""
    out: dict = {"path": ".".join(map(str, path))}
    at = where(cell)
    if at is not None:
        file, _, line = at.rpartition(":")
        out.update(file=file, line=int(line)) if line.isdigit() else out.update(file=at)
    out["value"] = cell.get("value")
    out.update({key: cell.get(key) for key in ("cite", "status", "note") if cell.get(key) is not None})
    return out


def as_json(base: PolicySpec, candidate: PolicySpec, changes: list[Change]) -> str:
    doc = {
        "base": _spec_json(base),
        "candidate": _spec_json(candidate),
        "identical": not changes,
        "summary": {"total": len(changes),
                    "by_section": {s: sum(c.section == s for c in changes) for s in SECTIONS},
                    "by_kind": {k: sum(c.kind == k for c in changes) for k in KINDS}},
        "changes": [{"section": c.section, "id": c.id, "kind": c.kind,
                     "old": _entry_json(c.old, c.section), "new": _entry_json(c.new, c.section),
                     "details": c.details} for c in changes],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n"


def _spec_json(spec: PolicySpec) -> dict:
    return {"id": spec.id, "title": spec.title, "instrument": spec.instrument,
            "file": relative(spec.file), "chain": spec.chain,
            "effective_from": spec.effective_from and spec.effective_from.isoformat(),
            "effective_to": spec.effective_to and spec.effective_to.isoformat()}

