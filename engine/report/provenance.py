"""Provenance of a policy: every parameter, marked formula and rule with its status, citation and note.

Status marks where a figure or a reading comes from (see README, "Parameters"): `provisional` (a
working assumption, explained in a `note`), `secondary` (official unit material or careful
third-party material), `confirmed` (read in the regulation). Provisional entries come first: they
are the ones policy staff should confirm. Formulas (functions and values) and rules may carry a
status too: rules without one are listed last as `unmarked`; formulas without one are only counted
(the text lists the marked ones, JSON all). Entries inherited through `extends` or taken with `uses`
name the policy they come from. Citations quoting parameters are shown with the latest values.
"""
from __future__ import annotations

import json
from pathlib import Path

from ..display import band_row, inline, relative, shortened
from ..policy.policy import Policy
from ..result import jsonable

STATUSES = ("provisional", "secondary", "confirmed")
UNMARKED = "unmarked"


def _rank(status: str | None) -> int:
    return STATUSES.index(status) if status in STATUSES else len(STATUSES)


def parameters(policy: Policy) -> list:
    """Parameters, provisional first, then secondary, then confirmed; file order within each."""
    return sorted(policy.parameters.values(), key=lambda p: _rank(p.status))


def rules(policy: Policy) -> list:
    """Rules in the same order; rules without a status last."""
    return sorted(policy.rules, key=lambda r: _rank(r.entry.get("status")))


def formulas(policy: Policy) -> list[tuple[str, str, object]]:
    """(section, name, entry) of every function and value, in status order (file order within each)."""
    spec = policy.spec
    entries = [("functions", n, e) for n, e in spec.functions.items()] + \
              [("values", n, e) for n, e in spec.values.items()]
    return sorted(entries, key=lambda f: _rank(f[2].get("status")))


def _formula_name(section: str, name: str, entry) -> str:
    return f"{name}({', '.join(entry.data['params'])})" if section == "functions" else name


def counts(statuses: list[str | None]) -> dict[str, int]:
    out = {s: statuses.count(s) for s in STATUSES}
    unmarked = sum(s not in STATUSES for s in statuses)
    if unmarked:
        out[UNMARKED] = unmarked
    return out


def _bands(rows: list[dict]) -> str:
    """A band table in brief: `Sangat Baik x > 100; Baik 90 ≤ x ≤ 100; …`."""
    return "; ".join(f"{inline(r['label'])} {band_row(r)}" for r in rows)


def value_text(info) -> str:
    """The parameter's value as written; band tables as `label bounds; …`; dated values by date."""
    data = info.entry.data
    one = _bands if data.get("type") == "bands" else inline
    if "values" in data:
        return "; ".join(f"from {v['from']}: {one(v['value'])}" for v in data["values"])
    return one(data["value"])


def _origin(policy: Policy, entry) -> str | None:
    """The policy an inherited entry comes from (None if written in this policy's own file)."""
    if Path(entry.origin.file).resolve() == Path(policy.spec.file).resolve():
        return None
    return Path(entry.origin.file).parent.name


def _note(entry) -> str | None:
    note = entry.get("note")
    return " ".join(str(note).split()) if note else None


def _summary(c: dict[str, int]) -> str:
    total = sum(c.values())
    return ", ".join(f"{n} {s}" for s, n in c.items()) + f" ({total})"


def text(policy: Policy, width: int = 100) -> str:
    params, fs, rs = parameters(policy), formulas(policy), rules(policy)
    fc = counts([f[2].get("status") for f in fs])
    lines = [f"Provenance of {policy.id} ({policy.spec.instrument})",
             f"  parameters: {_summary(counts([p.status for p in params]))}",
             f"  formulas:   {_summary(fc)}",
             f"  rules:      {_summary(counts([r.entry.get('status') for r in rs]))}",
             "", "Parameters"]
    for p in params:
        lines.append(f"  {p.status:<12} {p.name} = {shortened(value_text(p), width)}")
        lines += _source_lines(policy, p.entry, policy.text("parameters", p.name, "cite"))
    lines += ["", "Formulas"]
    for section, name, entry in fs:
        if entry.get("status") in STATUSES:
            lines.append(f"  {entry.get('status'):<12} {_formula_name(section, name, entry)} — {section[:-1]}")
            lines += _source_lines(policy, entry, policy.text(section, name, "cite"))
    if fc.get(UNMARKED):
        lines.append(f"  ({fc[UNMARKED]} {UNMARKED}: "
                     f"{', '.join(n for _, n, e in fs if e.get('status') not in STATUSES)})")
    lines += ["", "Rules"]
    for r in rs:
        lines.append(f"  {r.entry.get('status') or UNMARKED:<12} {r.id} — {policy.text('rules', r.id, 'title')}")
        lines += _source_lines(policy, r.entry, policy.text("rules", r.id, "cite"))
    return "\n".join(lines) + "\n"


def _source_lines(policy: Policy, entry, cite: str | None) -> list[str]:
    """Citation, note and (for an inherited entry) the policy it comes from, indented under it."""
    lines = [f"      cite: {' '.join(cite.split())}"] if cite else []
    if _note(entry):
        lines.append(f"      note: {_note(entry)}")
    if _origin(policy, entry):
        lines.append(f"      from: {_origin(policy, entry)}")
    return lines


def as_dict(policy: Policy) -> dict:
    params, rs = parameters(policy), rules(policy)

    def where(entry, **kw) -> str:
        loc = entry.origin.location(**kw)
        return f"{relative(loc.file)}:{loc.line}"

    out_params = []
    for p in params:
        data = p.entry.data
        doc = {"name": p.name, "status": p.status}
        if "values" in data:
            doc["values"] = jsonable(data["values"])
        else:
            doc["value"] = jsonable(data["value"])
        doc.update({"type": data.get("type"), "cite": policy.text("parameters", p.name, "cite"),
                    "note": _note(p.entry), "from": _origin(policy, p.entry) or policy.id,
                    "at": where(p.entry, key=True)})
        out_params.append(doc)
    fs = formulas(policy)
    out_formulas = [{"name": name, "kind": section[:-1], "status": e.get("status"),
                     "cite": policy.text(section, name, "cite") if e.get("cite") else None, "note": _note(e),
                     "from": _origin(policy, e) or policy.id, "at": where(e, key=True)} for section, name, e in fs]
    out_rules = [{"id": r.id, "title": policy.text("rules", r.id, "title"), "status": r.entry.get("status"),
                  "severity": r.entry.get("severity", "error"), "cite": policy.text("rules", r.id, "cite"),
                  "note": _note(r.entry), "from": _origin(policy, r.entry) or policy.id,
                  "at": where(r.entry)} for r in rs]
    return {"policy": policy.id, "instrument": policy.spec.instrument, "title": policy.spec.title,
            "summary": {"parameters": counts([p.status for p in params]),
                        "formulas": counts([e.get("status") for _, _, e in fs]),
                        "rules": counts([r.entry.get("status") for r in rs])},
            "parameters": out_params, "formulas": out_formulas, "rules": out_rules}


def as_json(policy: Policy) -> str:
    return json.dumps(as_dict(policy), indent=2, ensure_ascii=False)
