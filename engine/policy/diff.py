"""Comparing two policies: what a candidate policy changes relative to a base policy.

Both policies are compared as RESOLVED specs (`Registry.spec`, after `extends` is merged), so a
child policy that overrides one parameter of its parent differs from the parent by exactly that
parameter, and two unrelated regulations can be compared the same way.

The comparison is semantic, not textual:
- expressions (`expr`, `when`, `require`, `for_each`, `reference_date`, `{…}` in messages) are
  compared as syntax trees, so re-wrapping, re-indenting or folding a formula over several YAML lines
  is not a change; where they differ, the smallest differing sub-expressions are named (the
  equivalences live in engine/policy/equivalence.py);
- band tables (parameters with `type: bands`) are compared row by row by label: a row whose interval
  changed is reported as moved ("band 'Baik' moved from 90 ≤ x ≤ 100 to 100 ≤ x < 110");
- tables are compared key by key (`value.upk_one.max: 20 → 25`), dated values by their `from` date;
- citations and provenance marks travel with every change: a changed parameter shows its old and new
  citation and status, because a figure is only as good as its source; a table cell overridden by
  path (`iku_limits.upk_one.max: {value: 18, cite: …}`) shows its own citation, status and note.

`diff_policies(base, candidate)` returns a list of `Change`s, in the order meta, parameter,
function, value, rule; each names its section, id, kind (added/removed/changed), the old and new
`Entry` and human-readable details. `engine/report/diff.py` renders them as text, Markdown or JSON.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any, Callable

from ..display import band_row
from .equivalence import expr_details, expr_text, for_each_details, for_each_text, same, templates_equal, yaml_flow
from .spec import CellPath, Entry, Origin, PolicySpec, source_of

SECTIONS = ("meta", "parameter", "function", "value", "rule")
KINDS = ("added", "removed", "changed")


@dataclass
class Change:
    """One difference between two policies.

    `old`/`new` are the entries as written in each policy (None when added/removed). For `meta`
    changes they are synthetic entries `{"value": …}` located at the policy file's root."""

    section: str  # "meta" | "parameter" | "function" | "value" | "rule"
    id: str
    kind: str     # "added" | "removed" | "changed"
    old: Entry | None
    new: Entry | None
    details: list[str] = field(default_factory=list)


def diff_policies(base: PolicySpec, candidate: PolicySpec) -> list[Change]:
    """Every difference between two resolved policy specs; empty when they mean the same."""
    changes = _meta(base, candidate)
    changes += _section("parameter", base.parameters, candidate.parameters, _parameter_details, _parameter_summary)
    changes += _section("function", base.functions, candidate.functions, _function_details, _function_summary)
    changes += _section("value", base.values, candidate.values, _value_details, _value_summary)
    changes += _section("rule", base.rules, candidate.rules, _rule_details, _rule_summary)
    return changes


# -- sections --------------------------------------------------------------------------------------

def _section(section: str, old: dict[str, Entry], new: dict[str, Entry],
             details: Callable[[Entry, Entry], list[str]], summary: Callable[[Entry], list[str]]) -> list[Change]:
    out = []
    for name, entry in old.items():
        if name not in new:
            out.append(Change(section, name, "removed", entry, None, summary(entry)))
            continue
        found = details(entry, new[name])
        if found:
            out.append(Change(section, name, "changed", entry, new[name], found))
    for name, entry in new.items():
        if name not in old:
            out.append(Change(section, name, "added", None, entry, summary(entry)))
    return out


def _parameter_summary(e: Entry) -> list[str]:
    lines = []
    if "values" in e.data:
        lines += [f"value from {yaml_flow(v.get('from'))}: {_show_param_value(e, v.get('value'))}" for v in e.data["values"]]
    else:
        lines.append(f"value: {_show_param_value(e, e.data.get('value'))}")
    return lines + [f"cite: {e.get('cite')}"]


def _function_summary(e: Entry) -> list[str]:
    return [f"params: {yaml_flow(e.get('params') or [])}", f"expr: {expr_text(e.get('expr'))}", f"cite: {e.get('cite')}"]


def _value_summary(e: Entry) -> list[str]:
    lines = [f"for each: {for_each_text(e.get('for_each'))}"] if e.get("for_each") is not None else []
    return lines + [f"expr: {expr_text(e.get('expr'))}", f"cite: {e.get('cite')}"]


def _rule_summary(e: Entry) -> list[str]:
    lines = [f"title: {e.get('title')}", f"severity: {e.get('severity', 'error')}"]
    if e.get("for_each") is not None:
        lines.append(f"for each: {for_each_text(e.get('for_each'))}")
    if e.get("when") is not None:
        lines.append(f"when: {expr_text(e.get('when'))}")
    lines.append(f"require: {expr_text(e.get('require'))}")
    lines.append(f"cite: {e.get('cite')}")
    return lines


def _texts(a: Entry, b: Entry, *fields: str) -> list[str]:
    return [line for f in fields for line in _text(f, a.get(f), b.get(f))]


def _cited(a: Entry, b: Entry, out: list[str]) -> list[str]:
    """The details, followed by both citations when anything (the citation included) changed."""
    if out or a.get("cite") != b.get("cite"):
        out += _cites(a.get("cite"), b.get("cite"))
    return out


def _parameter_details(a: Entry, b: Entry) -> list[str]:
    out = []
    bands = a.get("type") == "bands" or b.get("type") == "bands"
    cells = _CellSources(a, b)
    if a.get("type") != b.get("type"):
        out.append(cells.whole(f"type: {a.get('type') or 'plain value'} → {b.get('type') or 'plain value'}"))
    if "values" in a.data and "values" in b.data:
        out += _dated_details(a, b, bands, cells)
    elif "values" in a.data or "values" in b.data:
        out.append(cells.whole(f"value: {_show_any_value(a)} → {_show_any_value(b)}"))
    elif bands and isinstance(a.get("value"), list) and isinstance(b.get("value"), list):
        out += map(cells.whole, band_details(a.get("value"), b.get("value")))
    else:
        out += [cells.cited(keys, line) for keys, line in value_changes(a.get("value"), b.get("value"), "value")]
    out += _texts(a, b, "status", "note", "description")
    if cells.explain_all() and a.get("cite") == b.get("cite"):
        return out   # each changed cell shows its own citation; the table's own is unchanged
    return _cited(a, b, out)


class _CellSources:
    """Which entry gives each changed cell of a parameter: a cell overridden by path (spec.py
    `cell_entries`) carries its own citation, status and note, shown with its change."""

    def __init__(self, old: Entry, new: Entry):
        self.old, self.new = old, new
        self.from_cells = self.from_table = 0   # changed figures given by an overridden cell / the table

    def cited(self, keys: CellPath, line: str) -> str:
        """A changed figure at `keys`, with the citation of the cell that gives it (or gave it)."""
        new, old = source_of(self.new, keys), source_of(self.old, keys)
        if new is not self.new:
            self.from_cells += 1
            return f"{line} ({_provenance(new)})"
        self.from_table += 1
        return f"{line} (was {_provenance(old)})" if old is not self.old else line

    def whole(self, line: str) -> str:
        """A change not of one cell (a band row, a whole dated value): cited by the table."""
        self.from_table += 1
        return line

    def explain_all(self) -> bool:
        """Every changed figure comes from an overridden cell, which shows its own citation."""
        return self.from_cells > 0 and self.from_table == 0


def _provenance(cell: Entry) -> str:
    """`cite: KMK 2/2024; provisional: A hypothetical amendment.`"""
    text = f"cite: {_flat(cell.get('cite')) if cell.get('cite') else '(none)'}"
    if cell.status:
        text += f"; {cell.status}" + (f": {_flat(cell.note)}" if cell.note else "")
    elif cell.note:
        text += f"; note: {_flat(cell.note)}"
    return text


def _dated_details(a: Entry, b: Entry, bands: bool, cells: _CellSources) -> list[str]:
    old = {yaml_flow(v.get("from")): v for v in a.get("values")}
    new = {yaml_flow(v.get("from")): v for v in b.get("values")}
    out = []
    for when, v in old.items():
        if when not in new:
            out.append(cells.whole(f"value from {when} removed (was {_show_param_value(a, v.get('value'))})"))
            continue
        w = new[when]
        if bands and isinstance(v.get("value"), list) and isinstance(w.get("value"), list):
            out += [cells.whole(f"from {when}: {d}") for d in band_details(v.get("value"), w.get("value"))]
        else:
            out += [cells.cited(keys, line)
                    for keys, line in value_changes(v.get("value"), w.get("value"), f"value from {when}")]
        out += _text(f"cite of value from {when}", v.get("cite"), w.get("cite"))
    for when, w in new.items():
        if when not in old:
            out.append(cells.whole(f"value from {when} added: {_show_param_value(b, w.get('value'))}"))
    return out


def _function_details(a: Entry, b: Entry) -> list[str]:
    out = []
    if list(a.get("params") or []) != list(b.get("params") or []):
        out.append(f"params: {yaml_flow(a.get('params') or [])} → {yaml_flow(b.get('params') or [])}")
    out += expr_details("expr", a.get("expr"), b.get("expr"))
    return _cited(a, b, out + _texts(a, b, "description"))


def _value_details(a: Entry, b: Entry) -> list[str]:
    out = for_each_details(a.get("for_each"), b.get("for_each"))
    out += expr_details("expr", a.get("expr"), b.get("expr"))
    if not templates_equal(a.get("key"), b.get("key")):
        out += _text("key", a.get("key"), b.get("key"))
    return _cited(a, b, out + _texts(a, b, "unit", "status", "description"))


def _rule_details(a: Entry, b: Entry) -> list[str]:
    out = _text("title", a.get("title"), b.get("title"))
    sa, sb = a.get("severity", "error"), b.get("severity", "error")
    if sa != sb:
        out.append(f"severity: {sa} → {sb}")
    out += for_each_details(a.get("for_each"), b.get("for_each"))
    out += expr_details("when", a.get("when"), b.get("when"))
    out += expr_details("require", a.get("require"), b.get("require"))
    if not templates_equal(a.get("message"), b.get("message")):
        out += _text("message", a.get("message"), b.get("message"))
    return _cited(a, b, out + _texts(a, b, "status", "note"))


# -- meta ------------------------------------------------------------------------------------------

def _meta(a: PolicySpec, b: PolicySpec) -> list[Change]:
    out: list[Change] = []

    def add(name: str, old, new, details: list[str]):
        if not details:
            return
        kind = "added" if old in (None, "", []) else "removed" if new in (None, "", []) else "changed"
        out.append(Change("meta", name, kind, _meta_entry(a, name, old), _meta_entry(b, name, new), details))

    for name in ("title", "instrument", "description"):
        add(name, getattr(a, name), getattr(b, name), _text(name, getattr(a, name) or None, getattr(b, name) or None))
    pa, pb = period(a.effective_from, a.effective_to), period(b.effective_from, b.effective_to)
    add("effective", pa, pb, [f"in force: {pa} → {pb}"] if pa != pb else [])
    sa, sb = f"{a.subject_schema} as {a.subject_name}", f"{b.subject_schema} as {b.subject_name}"
    add("subject", sa, sb, [f"subject: {sa} → {sb}"] if sa != sb else [])
    ra = a.reference_date.get("expr") if a.reference_date else None
    rb = b.reference_date.get("expr") if b.reference_date else None
    add("reference_date", ra, rb, expr_details("reference_date", ra, rb))
    if a.supersedes != b.supersedes:
        add("supersedes", a.supersedes, b.supersedes,
            [f"supersedes: {a.supersedes or 'none'} → {b.supersedes or 'none'}"])
    add("outputs", a.outputs, b.outputs, _outputs(a.outputs, b.outputs))
    return out


def _meta_entry(spec: PolicySpec, name: str, value) -> Entry | None:
    if value in (None, "", []):
        return None
    if name == "reference_date" and spec.reference_date is not None:
        return spec.reference_date
    return Entry(name, {"value": value}, spec.root or Origin(None, ()))  # type: ignore[arg-type]


def period(start: _dt.date | None, end: _dt.date | None) -> str:
    return f"{start or '…'} to {end or 'now'}"


def _outputs(a: list[str] | None, b: list[str] | None) -> list[str]:
    if a == b:
        return []
    if a is None or b is None:
        return [f"outputs: {yaml_flow(a) if a is not None else '(all values)'} → {yaml_flow(b) if b is not None else '(all values)'}"]
    out = []
    added, removed = [o for o in b if o not in a], [o for o in a if o not in b]
    if removed:
        out.append(f"outputs removed: {', '.join(removed)}")
    if added:
        out.append(f"outputs added: {', '.join(added)}")
    if not out:
        out.append(f"outputs reordered: {yaml_flow(a)} → {yaml_flow(b)}")
    return out


# -- values and band tables ------------------------------------------------------------------------

def value_details(a: Any, b: Any, path: str) -> list[str]:
    """Differences between two parameter values: tables key by key, anything else whole."""
    return [line for _, line in value_changes(a, b, path)]


def value_changes(a: Any, b: Any, path: str, keys: CellPath = ()) -> list[tuple[CellPath, str]]:
    """`value_details` with the path of keys inside the value that each line is about."""
    if same(a, b):
        return []
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in a:
            if k not in b:
                out.append(((*keys, k), f"{path}.{k} removed (was {yaml_flow(a[k])})"))
            else:
                out += value_changes(a[k], b[k], f"{path}.{k}", (*keys, k))
        out += [((*keys, k), f"{path}.{k} added: {yaml_flow(b[k])}") for k in b if k not in a]
        return out
    return [(keys, f"{path}: {yaml_flow(a)} → {yaml_flow(b)}")]


def _band_keys(rows: list) -> list[tuple[str, int]]:
    seen: dict[str, int] = {}
    keys = []
    for row in rows:
        label = yaml_flow(row.get("label")) if isinstance(row, dict) else yaml_flow(row)
        seen[label] = seen.get(label, 0) + 1
        keys.append((label, seen[label]))
    return keys


def band_details(a: list, b: list) -> list[str]:
    """Rows of two band tables matched by label: moved, removed, added."""
    if same(a, b):
        return []
    old = dict(zip(_band_keys(a), a))
    new = dict(zip(_band_keys(b), b))

    def name(key):
        return f"band '{key[0]}'" + (f" (#{key[1]})" if key[1] > 1 else "")

    out = []
    for key, row in old.items():
        if key not in new:
            out.append(f"{name(key)} removed (was {band_row(row)})")
        elif band_row(row) != band_row(new[key]):
            out.append(f"{name(key)} moved from {band_row(row)} to {band_row(new[key])}")
    out += [f"{name(key)} added: {band_row(row)}" for key, row in new.items() if key not in old]
    if not out:
        out.append(f"band rows reordered: {', '.join(k[0] for k in old)} → {', '.join(k[0] for k in new)}")
    return out


def _show_param_value(e: Entry, value: Any) -> str:
    if e.get("type") == "bands" and isinstance(value, list):
        return "; ".join(f"{yaml_flow(r.get('label'))} {band_row(r)}" for r in value if isinstance(r, dict))
    return yaml_flow(value)


def _show_any_value(e: Entry) -> str:
    if "values" in e.data:
        return "dated values " + "; ".join(f"from {yaml_flow(v.get('from'))}: {_show_param_value(e, v.get('value'))}"
                                           for v in e.data["values"])
    return _show_param_value(e, e.data.get("value"))

# -- texts and citations ---------------------------------------------------------------------------

_SHORT = 72


def _text(label: str, a: Any, b: Any) -> list[str]:
    """A plain-text field: added, removed, or changed (on one line when short, else was/now)."""
    if a == b or (isinstance(a, str) and isinstance(b, str) and " ".join(a.split()) == " ".join(b.split())):
        return []
    if a is None:
        return [f"{label} added: {_flat(b)}"]
    if b is None:
        return [f"{label} removed (was: {_flat(a)})"]
    if len(_flat(a)) + len(_flat(b)) <= _SHORT:
        return [f"{label}: {_flat(a)} → {_flat(b)}"]
    return [f"{label} was: {_flat(a)}", f"{label} now: {_flat(b)}"]


def _flat(x: Any) -> str:
    return " ".join(x.split()) if isinstance(x, str) else yaml_flow(x)


def _cites(a: str | None, b: str | None) -> list[str]:
    """Both citations: a changed figure needs its old and its new legal source."""
    if a == b:
        return [f"cite (unchanged): {_flat(a)}"]
    return [f"old cite: {_flat(a) if a else '(none)'}", f"new cite: {_flat(b) if b else '(none)'}"]
