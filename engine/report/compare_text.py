"""The `kinerja compare` report as terminal text, at most 100 columns wide.

`render_text(report)` reads the report document (`engine.report.compare_data`) and writes, in
order: the two policies and the record counts; the policy differences that can change outcomes;
delta statistics per numeric output; a transition matrix per text output; new and resolved
failures; the attribution tally ("Why"); the provisional figures; the most changed records, one
block each; the records that could not be read. Long lines are cut with "…" or wrapped; every list
that could be long is capped and says where to find the rest.
"""
from __future__ import annotations

import textwrap

from ..display import plural, shortened, signed
from .compare_data import outside_notes, transition_changes
from .compare_values import differs, short_number, shown

WIDTH = 100
MAX_CHANGES_LISTED = 25  # policy differences listed
ERRORS_PER_FILE = 3     # error messages shown per file


def render_text(report: dict, width: int = WIDTH) -> str:
    s = report["summary"]
    lines = _heading(report, width)
    lines += _changes(s["changes"], width)
    if s["outputs"]["only_base"] or s["outputs"]["only_candidate"]:
        lines.append(shortened(f"Not compared (outputs of one policy only): base "
                               f"{', '.join(s['outputs']['only_base']) or '-'}; "
                               f"candidate {', '.join(s['outputs']['only_candidate']) or '-'}", width))
    lines += _numeric(s["numeric"], width)
    for t in s["transitions"]:
        changed = transition_changes(t)
        total = sum(map(sum, t["counts"]))
        what = "items" if t["per_item"] else "records"
        lines += ["", shortened(f"{t['name']}: {changed} of {total} {what} changed (rows: base, columns: candidate)",
                                width)]
        lines += _matrix(t, width)
    lines += _failures(s, width)
    if s["attribution"]:
        lines += ["", "Why (each difference undone in turn; see `kinerja compare --help`)"]
        lines += [shortened(f"  {r['what']}: {r['change']} explains {r['explains']} of {r['of']}", width)
                  for r in s["attribution"]]
    if s["provisional"]:
        lines += ["", "Provisional figures behind the differences"]
        for note in s["provisional"]:
            lines += textwrap.wrap(note, width, initial_indent="  ", subsequent_indent="      ",
                                   break_on_hyphens=False)
    records = [r for r in report["records"] if r["changed"]]
    if records:
        lines += ["", f"Most changed records ({report['records_shown']})" if report["records_shown"].startswith("top")
                  else "Changed records"]
        for r in records:
            lines += _record_lines(r, width)
    lines += _errors(report, width)
    return "\n".join(lines) + "\n"


def _heading(report: dict, width: int) -> list[str]:
    s, b, c = report["summary"], report["base"], report["candidate"]
    idw = max(len(b["id"]), len(c["id"]))
    lines = [shortened(f"{role:<9}  {p['id']:<{idw}}  {p['instrument']}  {p['title']}", width)
             for role, p in (("base", b), ("candidate", c))]
    lines += ["", f"Records: {s['records']} read, {s['compared']} compared, {s['errors']} could not be read; "
                  f"{s['changed']} changed"]
    return lines + [shortened(f"{note} (judged by it anyway)", width) for note in outside_notes(s)]


def _changes(changes: list[dict], width: int) -> list[str]:
    if not changes:
        return []
    effective = [ch for ch in changes if ch["effective"]]
    lines = ["", f"Policy differences ({len(changes)}, {len(effective)} that can change outcomes)"]
    for ch in effective[:MAX_CHANGES_LISTED]:
        flags = []
        if ch["separable"] is False:
            flags.append("not separable")
        if ch["provisional"]:
            flags.append("provisional")
        detail = "; ".join(ch["details"][:2])
        lines.append(shortened(f"  {ch['label']}{' [' + ', '.join(flags) + ']' if flags else ''}: {detail}", width))
    rest = len(effective) - MAX_CHANGES_LISTED
    quiet = len(changes) - len(effective)
    if rest > 0:
        lines.append(f"  … {rest} more (all of them: --format json or markdown, or `kinerja diff`)")
    if quiet:
        lines.append(f"  {plural(quiet, 'other difference')} (citations, notes, titles, period) cannot change outcomes")
    return lines


def _numeric(numeric: list[dict], width: int) -> list[str]:
    if not numeric:
        return []
    lines = ["", "Numeric outputs (delta = candidate - base, over records where both are numbers)"]
    head = ["output", "count", "changed", "mean", "median", "min", "max"]
    rows = [[r["name"] + (" [items]" if r["per_item"] else ""), str(r["count"]), str(r["changed"]),
             short_number(r["mean"]), short_number(r["median"]) + ("" if r["median_exact"] or not r["median"] else "~"),
             short_number(r["min"]), short_number(r["max"])] for r in numeric]
    lines += _table(head, rows, width, left=1)
    missing = [f"{r['name']}: {r['missing_base']} missing under base, {r['missing_candidate']} under candidate"
               for r in numeric if r["missing_base"] or r["missing_candidate"]]
    return lines + ["  " + shortened(m, width - 2) for m in missing]


def _failures(s: dict, width: int) -> list[str]:
    lines = []
    for key, title in (("new_failures", "New failures (fail under the candidate, not under the base)"),
                       ("resolved_failures", "Resolved failures (fail under the base, not under the candidate)")):
        lines += ["", title]
        if not s[key]:
            lines.append("  none")
        lines += [shortened(f"  {r['records']:>6} {'record ' if r['records'] == 1 else 'records'}  {r['rule']}  "
                            f"{r['title']}", width) for r in s[key]]
    return lines


def _errors(report: dict, width: int) -> list[str]:
    s = report["summary"]
    if not (report["errors"] or s["errors"]):
        return []
    lines = ["", f"Could not be read ({plural(s['errors'], 'record')})"]
    shown_per_file: dict[str, int] = {}
    for e in report["errors"]:
        shown_per_file[e["source"]] = shown_per_file.get(e["source"], 0) + 1
        if shown_per_file[e["source"]] <= ERRORS_PER_FILE:
            where = ":".join(str(x) for x in (e["source"], e["line"], e["column"]) if x is not None)
            lines.append("  " + shortened(f"{where}: {e['message']}", width - 2))
    printed = sum(min(n, ERRORS_PER_FILE) for n in shown_per_file.values())
    total = report.get("errors_total", len(report["errors"]))
    if total > printed:
        lines.append(f"  … {total - printed} more error messages (all of them: --format json or csv)")
    return lines


def _record_lines(r: dict, width: int) -> list[str]:
    where = r["source"] + (f":{r['line']}" if r["line"] is not None else "")
    head = f"  {r['label']}  {where}" if r["label"] else f"  {where}"
    # a record's place is never cut: when label and place do not fit one line, the place gets its own
    lines = [head] if len(head) <= width or not r["label"] else [shortened(f"  {r['label']}", width), f"    {where}"]
    for note in r["outside_period"]:
        lines += _wrap(f"! {note}", width)
    scalar, items = [], {}
    for v in r["values"]:
        if not differs(v["base"], v["candidate"]):
            continue
        if "[" in v["name"]:
            output = v["name"].split("[", 1)[0]
            items[output] = items.get(output, 0) + 1
        else:
            delta = f" ({signed(v['delta'])})" if v["delta"] is not None else ""
            scalar.append(f"{v['name']} {shown(v['base'])} -> {shown(v['candidate'])}{delta}")
    scalar += [f"{name}: {plural(n, 'item')} changed" for name, n in items.items()]
    if scalar:
        lines += _wrap("; ".join(scalar), width)
    for sign, key in (("+", "appeared"), ("-", "disappeared")):
        for v in r[key]:
            at = f" at {v['path']}" if v["path"] else ""
            lines += _wrap(f"{sign} {v['rule']}{at}: {v['message']}", width)
    for change, items in why_groups(r["attribution"]):
        lines += _wrap(f"why: {change} <- {items}", width)
    return lines


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(" ".join(text.split()), width, initial_indent="    ", subsequent_indent="        ",
                         break_on_hyphens=False, break_long_words=True)


def why_groups(attribution: list[str]) -> list[tuple[str, str]]:
    """Per-record attribution grouped by change: ("parameter x", "nko, capaian_tahunan (3 items)")."""
    groups: dict[str, dict[str, int]] = {}
    for text in attribution:
        item, change = text.split(": ", 1)
        key, n = item, 0
        if "[" in item and not item.startswith(("new ", "resolved ")):
            key, n = item.split("[", 1)[0], 1
        per = groups.setdefault(change, {})
        per[key] = per.get(key, 0) + n
    return [(change, ", ".join(k + (f" ({plural(n, 'item')})" if n else "") for k, n in items.items()))
            for change, items in groups.items()]


def _table(head: list[str], rows: list[list[str]], width: int, left: int = 1) -> list[str]:
    """Columns: the first `left` left-aligned, the rest right-aligned; the first column is cut to fit."""
    widths = [max(len(x) for x in col) for col in zip(head, *rows)]
    room = width - 2 - sum(w + 2 for w in widths[1:])
    widths[0] = max(8, min(widths[0], room))

    def line(cells):
        parts = [(shortened(x, widths[i]).ljust(widths[i]) if i < left else x.rjust(widths[i]))
                 for i, x in enumerate(cells)]
        return ("  " + "  ".join(parts)).rstrip()

    return [line(head)] + [line(r) for r in rows]


def _matrix(t: dict, width: int) -> list[str]:
    rows, cols, counts = t["rows"], t["columns"], t["counts"]
    corner = "base \\ candidate"
    first = min(max([len(corner)] + [len(r) for r in rows]), 22)
    digits = max((len(str(n)) for row in counts for n in row), default=1)
    fit = max(digits, 4, (width - 2 - first) // max(len(cols), 1) - 2)
    colw = [max(digits, min(len(c), fit)) for c in cols]
    head = ("  " + shortened(corner, first).ljust(first)
            + "".join("  " + shortened(c, w).rjust(w) for c, w in zip(cols, colw)))
    out = [head.rstrip()]
    for label, row in zip(rows, counts):
        out.append(("  " + shortened(label, first).ljust(first)
                    + "".join("  " + str(n).rjust(w) for n, w in zip(row, colw))).rstrip())
    return out
