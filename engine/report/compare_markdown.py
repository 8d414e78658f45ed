"""The `kinerja compare` report as Markdown, for a pull request, a wiki page or a review.

`render_markdown(report)` reads the report document (`engine.report.compare_data`) and, like the
text report, leads with the figures: the two policies and the record counts, then one section each
for numeric outputs, the transitions of each text output (with the labels declared equivalent), new
and resolved failures, the attribution tally ("Why") and the provisional figures; then the policy
differences (their count, the `kinerja diff` command, the list folded in `<details>`), the most
changed records and the records that could not be read. Text from the data (messages, labels) is
escaped so it cannot break a table.
"""
from __future__ import annotations

from typing import Any

from ..display import signed
from .compare_data import outside_notes, transition_changes
from .compare_values import short_number, shown


def _md(x: Any) -> str:
    """Text safe inside a Markdown table cell: pipes escaped, on one line."""
    return str(x).replace("|", "\\|").replace("\n", " ")


def _md_table(head: list[str], rows: list[list[Any]], align: str) -> list[str]:
    marks = {"l": "---", "r": "---:"}
    return (["| " + " | ".join(_md(h) for h in head) + " |",
             "|" + "|".join(marks[a] for a in align) + "|"]
            + ["| " + " | ".join(_md(x) for x in r) + " |" for r in rows])


def render_markdown(report: dict) -> str:
    s = report["summary"]
    b, c = report["base"], report["candidate"]
    lines = [f"# {b['id']} → {c['id']}", "",
             f"- **Base:** `{b['id']}`: {b['instrument']}, {b['title']}",
             f"- **Candidate:** `{c['id']}`: {c['instrument']}, {c['title']}",
             f"- **Records:** {s['records']} read, {s['compared']} compared, {s['errors']} could not be read; "
             f"**{s['changed']} changed**"]
    lines += [f"- **{_md(note)}** (judged by it anyway)" for note in outside_notes(s)]
    lines += [""] + _numeric(s["numeric"])
    for t in s["transitions"]:
        lines += _transition(t)
    lines += _failures(s)
    if s["attribution"]:
        lines += ["## Why", "", "Each policy difference is undone in turn; a change is explained by the "
                  "difference(s) whose reversal restores the base outcome.", ""]
        lines += _md_table(["what", "change", "explains", "of"],
                           [[r["what"], r["change"], r["explains"], r["of"]] for r in s["attribution"]], "llrr")
        lines.append("")
    if s["provisional"]:
        lines += ["## Provisional figures", ""] + [f"- {_md(n)}" for n in s["provisional"]] + [""]
    lines += _changes(s["changes"], report)
    records = [r for r in report["records"] if r["changed"]]
    if records:
        title = "Most changed records" if report["records_shown"].startswith("top") else "Changed records"
        lines += [f"## {title}", ""]
        for r in records:
            lines += _record(r)
    if report["errors"]:
        lines += ["## Could not be read", ""]
        for e in report["errors"]:
            where = ":".join(str(x) for x in (e["source"], e["line"], e["column"]) if x is not None)
            lines.append(f"- `{where}`: {_md(e['message'])}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _numeric(numeric: list[dict]) -> list[str]:
    if not numeric:
        return []
    lines = ["## Numeric outputs", "", "Delta = candidate − base, over records where both are numbers.", ""]
    rows = [[f"`{r['name']}`" + (" (per item)" if r["per_item"] else ""), r["count"], r["changed"],
             short_number(r["mean"]), short_number(r["median"]) + ("" if r["median_exact"] else " (approx.)"),
             short_number(r["min"]), short_number(r["max"])] for r in numeric]
    lines += _md_table(["output", "count", "changed", "mean", "median", "min", "max"], rows, "lrrrrrr")
    if any("~" in str(x) for row in rows for x in row[3:]):
        lines += ["", "`~`: rounded for display (every digit: `--format json`)."]
    return lines + [""]


def _failures(s: dict) -> list[str]:
    lines = []
    for key, title in (("new_failures", "New failures"), ("resolved_failures", "Resolved failures")):
        lines += [f"## {title}", ""]
        if s[key]:
            lines += _md_table(["rule", "title", "records", "violations"],
                               [[f"`{r['rule']}`", r["title"], r["records"], r["violations"]] for r in s[key]], "llrr")
        else:
            lines.append("None.")
        lines.append("")
    return lines


def _transition(t: dict) -> list[str]:
    what = "items" if t["per_item"] else "records"
    lines = [f"## Transitions of `{t['name']}`", "",
             f"{transition_changes(t)} of {sum(map(sum, t['counts']))} {what} changed. Rows: base; columns: candidate.",
             ""]
    if t.get("equivalent"):
        policies = ", ".join(dict.fromkeys(e["policy"] for e in t["equivalent"]))
        lines += [f"Labels declared equivalent by {policies} (unchanged): "
                  + ", ".join(f"`{e['base']}` = `{e['candidate']}`" for e in t["equivalent"]) + ".", ""]
    lines += _md_table(["base \\ candidate"] + t["columns"],
                       [[f"**{label}**"] + row for label, row in zip(t["rows"], t["counts"])],
                       "l" + "r" * len(t["columns"]))
    return lines + [""]


def _changes(changes: list[dict], report: dict) -> list[str]:
    """The policy differences: a count and the `kinerja diff` command, the list folded away."""
    if not changes:
        return []
    effective = sum(1 for ch in changes if ch["effective"])
    lines = ["## Policy differences", "",
             f"{len(changes)} differences, {effective} of which can change outcomes; "
             f"`kinerja diff {report['base']['ref']} {report['candidate']['ref']}` explains each.", "",
             "<details><summary>The differences</summary>", ""]
    for ch in changes:
        flags = [] if ch["effective"] else ["no effect on outcomes"]
        if ch["separable"] is False:
            flags.append("not separable")
        if ch["provisional"]:
            flags.append("provisional")
        lines.append(f"- **{ch['label']}**" + (f" ({', '.join(flags)})" if flags else "")
                     + "".join(f"\n  - {_md(d)}" for d in ch["details"]))
    return lines + ["", "</details>", ""]


def _record(r: dict) -> list[str]:
    where = r["source"] + (f":{r['line']}" if r["line"] is not None else "")
    lines = [f"### {r['label'] or where}" + (f" (`{where}`)" if r["label"] else ""), ""]
    lines += [f"- Outside the period: {_md(note)}" for note in r["outside_period"]]
    changed = [v for v in r["values"] if v["changed"]]
    if changed:
        lines += _md_table(["value", "base", "candidate", "delta"],
                           [[f"`{v['name']}`", shown(v["base"]), shown(v["candidate"]), signed(v["delta"]) or "–"]
                            for v in changed], "lrrr")
        lines.append("")
    for sign, key in (("New", "appeared"), ("Resolved", "disappeared")):
        for v in r[key]:
            at = f" at `{v['path']}`" if v["path"] else ""
            lines.append(f"- {sign} `{v['rule']}`{at}: {_md(v['message'])}")
    lines += [f"- Why: {_md(a)}" for a in r["attribution"]]
    if r["provisional"]:
        lines.append(f"- Depends on provisional: {', '.join(r['provisional'])}")
    return lines + [""]
