"""The `kinerja compare` report as terminal text, at most 100 columns wide.

`render_text(report)` reads the report document (`engine.report.compare_data`) and leads with the
figures: the two policies and the record counts; delta statistics per numeric output; a transition
matrix per text output (with the labels the policies declare equivalent); new and resolved
failures; the attribution tally ("Why"); the provisional figures. Then one line counts the policy
differences and points at `kinerja diff`, which lists them; then the most changed records, one
block each; the records that could not be read; and the legend of the symbols (`LEGEND`: each
symbol means one thing). Text is cut with "…" or wrapped, never a number; every list that could be
long is capped and says where to find the rest.
"""
from __future__ import annotations

import textwrap

from ..display import plural, shortened, signed
from .compare_data import outside_notes, transition_changes
from .compare_values import short_number, shown

WIDTH = 100
ERRORS_PER_FILE = 3     # error messages shown per file
APPROXIMATE = "\u2248"   # before a median estimated from binned deltas
# The symbols of the report, each with one meaning; the legend lists those the report uses (`_legend`).
LEGEND = (("    ", " -> ", "a -> b", "base value -> candidate value"),
          ("    + ", "", "+", "a rule that fails only under the candidate"),
          ("    - ", "", "-", "a rule that fails only under the base"),
          ("    ! ", "", "!", "the record is outside a policy's period"),
          ("    why: ", "", "why:", "policy difference <- the changes it explains"),
          ("", "~", "~", "rounded for display (every digit: --format json)"),
          ("", APPROXIMATE, APPROXIMATE, "a median estimated from binned deltas"),
          ("  equivalent labels", "", "=", "labels the policies declare equivalent (unchanged)"))


def render_text(report: dict, width: int = WIDTH) -> str:
    s = report["summary"]
    lines = _heading(report, width)
    lines += _numeric(s["numeric"], width)
    for t in s["transitions"]:
        lines += _transition(t, width)
    lines += _failures(s, width)
    if s["attribution"]:
        lines += ["", "Why (each difference undone in turn; see `kinerja compare --help`)"]
        lines += [shortened(f"  {r['explains']:>5} of {r['of']:<5} {r['what']}: {r['change']}", width)
                  for r in s["attribution"]]
    if s["provisional"]:
        lines += ["", "Provisional figures behind the differences"]
        for note in s["provisional"]:
            lines += textwrap.wrap(note, width, initial_indent="  ", subsequent_indent="      ",
                                   break_on_hyphens=False)
    lines += _changes(report, width)
    records = [r for r in report["records"] if r["changed"]]
    if records:
        lines += ["", f"Most changed records ({report['records_shown']})" if report["records_shown"].startswith("top")
                  else "Changed records"]
        for r in records:
            lines += _record_lines(r, width)
    lines += _errors(report, width)
    return "\n".join(lines + _legend(lines, width)) + "\n"


def _legend(lines: list[str], width: int) -> list[str]:
    """The meaning of each symbol the report's lines use (a line starting with, or containing, its mark)."""
    used = [(symbol, meaning) for start, inside, symbol, meaning in LEGEND
            if any(line.startswith(start) and inside in line for line in lines)]
    return ["", "Symbols"] + [shortened(f"  {symbol:<6}  {meaning}", width) for symbol, meaning in used] if used else []


def _heading(report: dict, width: int) -> list[str]:
    s, b, c = report["summary"], report["base"], report["candidate"]
    idw = max(len(b["id"]), len(c["id"]))
    lines = [shortened(f"{role:<9}  {p['id']:<{idw}}  {p['instrument']}  {p['title']}", width)
             for role, p in (("base", b), ("candidate", c))]
    lines += ["", f"Records: {s['records']} read, {s['compared']} compared, {s['errors']} could not be read; "
                  f"{s['changed']} changed"]
    return lines + _wrap_plain([f"{note} (judged by it anyway)" for note in outside_notes(s)], width)


def _changes(report: dict, width: int) -> list[str]:
    """The policy differences as one count, with the command that lists them; the outputs not compared."""
    s, changes = report["summary"], report["summary"]["changes"]
    lines = [""]
    if changes:
        effective = sum(1 for ch in changes if ch["effective"])
        lines += [f"Policy differences: {len(changes)}, {effective} of which can change outcomes; listed by",
                  f"  kinerja diff {report['base']['ref']} {report['candidate']['ref']}"]
    only_base, only_candidate = s["outputs"]["only_base"], s["outputs"]["only_candidate"]
    if only_base or only_candidate:
        lines += _wrap_plain([f"Not compared (outputs of one policy only): base {', '.join(only_base) or '-'}; "
                              f"candidate {', '.join(only_candidate) or '-'}"], width)
    return lines if len(lines) > 1 else []


def _wrap_plain(texts: list[str], width: int) -> list[str]:
    """Top-level sentences wrapped to `width` (continuation lines indented), never cut."""
    return [line for text in texts
            for line in textwrap.wrap(text, width, subsequent_indent="    ", break_on_hyphens=False)]


def _transition(t: dict, width: int) -> list[str]:
    """A text output's transition heading (the name shortened, never its counts), the labels declared
    equivalent, and the matrix."""
    what = "items" if t["per_item"] else "records"
    counts = (f": {transition_changes(t)} of {sum(map(sum, t['counts']))} {what} changed "
              "(rows: base, columns: candidate)")
    lines = ["", shortened(t["name"], max(width - len(counts), 8)) + counts]
    if t.get("equivalent"):
        pairs = ", ".join(f"{e['base']} = {e['candidate']}" for e in t["equivalent"])
        policies = ", ".join(dict.fromkeys(e["policy"] for e in t["equivalent"]))
        lines += textwrap.wrap(f"equivalent labels ({policies}): {pairs}", width, initial_indent="  ",
                               subsequent_indent="      ", break_on_hyphens=False)
    return lines + _matrix(t, width)


def _numeric(numeric: list[dict], width: int) -> list[str]:
    if not numeric:
        return []
    lines = ["", "Numeric outputs (delta = candidate - base, over records where both are numbers)"]
    head = ["output", "count", "changed", "mean", "median", "min", "max"]
    rows = [[r["name"] + (" [items]" if r["per_item"] else ""), str(r["count"]), str(r["changed"]),
             short_number(r["mean"]),
             ("" if r["median_exact"] or not r["median"] else APPROXIMATE) + short_number(r["median"]),
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
        if not v["changed"]:
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
