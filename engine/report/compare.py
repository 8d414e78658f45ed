"""Rendering a policy comparison: terminal text, JSON, JSON Lines, CSV, Markdown and HTML.

`report_dict` turns a `Summary` (and the records to show) into the report document whose shape is
fixed for every machine-readable form: decimals as exact text, missing values as null. The text,
Markdown and HTML renderers read that document, so they show the same figures.

A *sink* receives the comparisons one by one as they are computed and writes its format:
JSON Lines and CSV write each record at once; JSON spools records to a temporary file and writes
the document (summary first) at the end; text, Markdown and HTML keep nothing per record (the
summary keeps the most changed records) and render at the end. Memory stays bounded either way.
A sink's per-record text comes from its `render` function, which depends on the record only, so
that worker processes can render records (`engine.compare.compare_into`) and the main process
only `write`s the text in order.
"""
from __future__ import annotations

import csv
import io
import json
import tempfile
import textwrap
from decimal import Decimal
from typing import IO, Any

from ..compare import ErrorInfo, RecordComparison, Summary
from ..display import plural
from ..errors import KinerjaError
from ..lang.runtime import render
from ..result import jsonable

WIDTH = 100
MAX_CHANGES_LISTED = 25  # text: policy differences listed
ERRORS_PER_FILE = 3     # text: error messages shown per file
FORMATS = ("text", "json", "jsonl", "csv", "markdown", "html")


# -- the document ---------------------------------------------------------------------------------

def policy_info(policy) -> dict:
    return {"id": policy.id, "title": policy.spec.title, "instrument": policy.spec.instrument}


def record_dict(rc: RecordComparison) -> dict:
    return jsonable({
        "source": rc.source, "line": rc.line, "label": rc.label, "changed": rc.changed,
        "values": [{"name": v.name, "base": v.base, "candidate": v.candidate, "delta": v.delta} for v in rc.values],
        "appeared": [_violation(v) for v in rc.appeared],
        "disappeared": [_violation(v) for v in rc.disappeared],
        "attribution": [str(a) for a in rc.attribution],
        "provisional": rc.provisional})


def _violation(v) -> dict:
    return {"rule": v.rule, "severity": v.severity, "message": v.message, "path": v.path}


def error_dict(e: ErrorInfo) -> dict:
    return {"source": e.source, "line": e.line, "column": e.column, "message": e.message}


def summary_dict(s: Summary) -> dict:
    pair = s.pair
    return jsonable({
        "records": s.records, "compared": s.compared, "errors": s.error_records, "changed": s.changed,
        "outputs": {"common": s.outputs,
                    "only_base": [o for o in pair.base.outputs if o not in s.outputs],
                    "only_candidate": [o for o in pair.candidate.outputs if o not in s.outputs]},
        "numeric": s.numeric_rows(),
        "transitions": s.transitions(),
        "new_failures": s.failures(s.new, s.new_violations, pair.candidate),
        "resolved_failures": s.failures(s.resolved, s.resolved_violations, pair.base),
        "attribution": s.attribution(),
        "changes": s.changes(),
        "provisional": provisional_notes(s)})


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


def report_dict(s: Summary, records: list[dict] | None = None, errors: list[dict] | None = None,
                records_shown: str | None = None) -> dict:
    """The report document. Without `records`, the summary's most changed records are shown."""
    if records is None:
        records = [record_dict(rc) for rc in s.top_records()]
        records_shown = f"top {s.top_n}"
    return {"base": policy_info(s.pair.base), "candidate": policy_info(s.pair.candidate),
            "summary": summary_dict(s), "records": records, "records_shown": records_shown or "all",
            "errors": errors if errors is not None else [error_dict(e) for e in s.errors],
            "errors_total": s.error_messages}


# -- terminal text ----------------------------------------------------------------------------------

def _cut(text: str, width: int) -> str:
    text = str(text).replace("\n", " ")
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def _show(x: Any) -> str:
    if x is None:
        return "missing"
    if isinstance(x, bool):
        return "true" if x else "false"
    return render(x) if not isinstance(x, str) else x


def _signed(d: Any) -> str:
    if d is None:
        return ""
    text = str(d)
    return text if text.startswith("-") else "+" + text


def _differs(a: Any, b: Any) -> bool:
    """Two JSON values differ (exact decimal text compared by value: "100.0" equals "100.00")."""
    if isinstance(a, str) and isinstance(b, str):
        try:
            return Decimal(a) != Decimal(b)
        except ArithmeticError:
            pass
    return a != b


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def render_text(report: dict, width: int = WIDTH) -> str:
    s = report["summary"]
    lines: list[str] = []
    out = lines.append
    b, c = report["base"], report["candidate"]
    idw = max(len(b["id"]), len(c["id"]))
    for role, p in (("base", b), ("candidate", c)):
        out(_cut(f"{role:<9}  {p['id']:<{idw}}  {p['instrument']}  {p['title']}", width))
    out("")
    out(f"Records: {s['records']} read, {s['compared']} compared, {s['errors']} could not be read; "
        f"{s['changed']} changed")
    if s["changes"]:
        out("")
        effective = [ch for ch in s["changes"] if ch["effective"]]
        out(f"Policy differences ({len(s['changes'])}, {len(effective)} that can change outcomes)")
        for ch in effective[:MAX_CHANGES_LISTED]:
            flags = []
            if ch["separable"] is False:
                flags.append("not separable")
            if ch["provisional"]:
                flags.append("provisional")
            detail = "; ".join(ch["details"][:2])
            out(_cut(f"  {ch['label']}{' [' + ', '.join(flags) + ']' if flags else ''}: {detail}", width))
        rest = len(effective) - MAX_CHANGES_LISTED
        quiet = len(s["changes"]) - len(effective)
        if rest > 0:
            out(f"  … {rest} more (all of them: --format json or markdown, or `kinerja diff`)")
        if quiet:
            out(f"  {quiet} other difference{'s' if quiet != 1 else ''} (citations, notes, titles, period) "
                "cannot change outcomes")
    if s["outputs"]["only_base"] or s["outputs"]["only_candidate"]:
        out(_cut(f"Not compared (outputs of one policy only): base {', '.join(s['outputs']['only_base']) or '-'}; "
                 f"candidate {', '.join(s['outputs']['only_candidate']) or '-'}", width))
    if s["numeric"]:
        out("")
        out("Numeric outputs (delta = candidate - base, over records where both are numbers)")
        head = ["output", "count", "changed", "mean", "median", "min", "max"]
        rows = [[r["name"] + (" [items]" if r["per_item"] else ""), str(r["count"]), str(r["changed"]),
                 short_number(r["mean"]), short_number(r["median"]) + ("" if r["median_exact"] or not r["median"] else "~"),
                 short_number(r["min"]), short_number(r["max"])] for r in s["numeric"]]
        lines.extend(_table(head, rows, width, left=1))
        missing = [f"{r['name']}: {r['missing_base']} missing under base, {r['missing_candidate']} under candidate"
                   for r in s["numeric"] if r["missing_base"] or r["missing_candidate"]]
        lines.extend("  " + _cut(m, width - 2) for m in missing)
    for t in s["transitions"]:
        out("")
        changed = sum(n for i, row in enumerate(t["counts"]) for j, n in enumerate(row) if i != j)
        total = sum(map(sum, t["counts"]))
        what = "items" if t["per_item"] else "records"
        out(_cut(f"{t['name']}: {changed} of {total} {what} changed (rows: base, columns: candidate)", width))
        lines.extend(_matrix(t, width))
    for key, title in (("new_failures", "New failures (fail under the candidate, not under the base)"),
                       ("resolved_failures", "Resolved failures (fail under the base, not under the candidate)")):
        out("")
        out(title)
        if not s[key]:
            out("  none")
        for r in s[key]:
            out(_cut(f"  {r['records']:>6} {'record ' if r['records'] == 1 else 'records'}  {r['rule']}  {r['title']}",
                     width))
    if s["attribution"]:
        out("")
        out("Why (each difference undone in turn; see `kinerja compare --help`)")
        for r in s["attribution"]:
            out(_cut(f"  {r['what']}: {r['change']} explains {r['explains']} of {r['of']}", width))
    if s["provisional"]:
        out("")
        out("Provisional figures behind the differences")
        for note in s["provisional"]:
            lines.extend(textwrap.wrap(note, width, initial_indent="  ", subsequent_indent="      ",
                                       break_on_hyphens=False))
    records = [r for r in report["records"] if r["changed"]]
    if records:
        out("")
        out(f"Most changed records ({report['records_shown']})" if report["records_shown"].startswith("top")
            else "Changed records")
        for r in records:
            lines.extend(_record_lines(r, width))
    if report["errors"] or s["errors"]:
        out("")
        out(f"Could not be read ({_plural(s['errors'], 'record')})")
        shown: dict[str, int] = {}
        for e in report["errors"]:
            shown[e["source"]] = shown.get(e["source"], 0) + 1
            if shown[e["source"]] <= ERRORS_PER_FILE:
                where = ":".join(str(x) for x in (e["source"], e["line"], e["column"]) if x is not None)
                out("  " + _cut(f"{where}: {e['message']}", width - 2))
        printed = sum(min(n, ERRORS_PER_FILE) for n in shown.values())
        total = report.get("errors_total", len(report["errors"]))
        if total > printed:
            out(f"  … {total - printed} more error messages (all of them: --format json or csv)")
    return "\n".join(lines) + "\n"


def _record_lines(r: dict, width: int) -> list[str]:
    where = r["source"] + (f":{r['line']}" if r["line"] is not None else "")
    lines = [_cut(f"  {r['label']}  {where}" if r["label"] else f"  {where}", width)]
    scalar, items = [], {}
    for v in r["values"]:
        if not _differs(v["base"], v["candidate"]):
            continue
        if "[" in v["name"]:
            output = v["name"].split("[", 1)[0]
            items[output] = items.get(output, 0) + 1
        else:
            delta = f" ({_signed(v['delta'])})" if v["delta"] is not None else ""
            scalar.append(f"{v['name']} {_show(v['base'])} -> {_show(v['candidate'])}{delta}")
    scalar += [f"{name}: {_plural(n, 'item')} changed" for name, n in items.items()]
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
    out = []
    for change, items in groups.items():
        out.append((change, ", ".join(k + (f" ({_plural(n, 'item')})" if n else "") for k, n in items.items())))
    return out


def short_number(x: str | None, places: int = 4) -> str:
    """A decimal for display: at most `places` decimals, `~` when rounded (the JSON keeps the exact text)."""
    if x is None:
        return "-"
    d = Decimal(x)
    exp = d.as_tuple().exponent
    if isinstance(exp, int) and -exp > places:
        return format(d.quantize(Decimal(1).scaleb(-places)), "f") + "~"
    return x


def _table(head: list[str], rows: list[list[str]], width: int, left: int = 1) -> list[str]:
    """Columns: the first `left` left-aligned, the rest right-aligned; the first column is cut to fit."""
    widths = [max(len(x) for x in col) for col in zip(head, *rows)]
    room = width - 2 - sum(w + 2 for w in widths[1:])
    widths[0] = max(8, min(widths[0], room))

    def line(cells):
        parts = [(_cut(x, widths[i]).ljust(widths[i]) if i < left else x.rjust(widths[i]))
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
    head = "  " + _cut(corner, first).ljust(first) + "".join("  " + _cut(c, w).rjust(w) for c, w in zip(cols, colw))
    out = [head.rstrip()]
    for label, row in zip(rows, counts):
        out.append(("  " + _cut(label, first).ljust(first)
                    + "".join("  " + str(n).rjust(w) for n, w in zip(row, colw))).rstrip())
    return out


# -- Markdown ---------------------------------------------------------------------------------------

def _md(x: Any) -> str:
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
             f"**{s['changed']} changed**", ""]
    if s["numeric"]:
        lines += ["## Numeric outputs", "", "Delta = candidate − base, over records where both are numbers.", ""]
        lines += _md_table(["output", "count", "changed", "mean", "median", "min", "max"],
                           [[f"`{r['name']}`" + (" (per item)" if r["per_item"] else ""), r["count"], r["changed"],
                             short_number(r["mean"]), short_number(r["median"]) + ("" if r["median_exact"] else " (approx.)"),
                             short_number(r["min"]), short_number(r["max"])] for r in s["numeric"]], "lrrrrrr")
        lines.append("")
    for t in s["transitions"]:
        lines += [f"## Transitions of `{t['name']}`", "", "Rows: base; columns: candidate.", ""]
        lines += _md_table(["base \\ candidate"] + t["columns"],
                           [[f"**{label}**"] + row for label, row in zip(t["rows"], t["counts"])],
                           "l" + "r" * len(t["columns"]))
        lines.append("")
    for key, title in (("new_failures", "New failures"), ("resolved_failures", "Resolved failures")):
        lines += [f"## {title}", ""]
        if s[key]:
            lines += _md_table(["rule", "title", "records", "violations"],
                               [[f"`{r['rule']}`", r["title"], r["records"], r["violations"]] for r in s[key]], "llrr")
        else:
            lines.append("None.")
        lines.append("")
    if s["attribution"]:
        lines += ["## Why", "", "Each policy difference is undone in turn; a change is explained by the "
                  "difference(s) whose reversal restores the base outcome.", ""]
        lines += _md_table(["what", "change", "explains", "of"],
                           [[r["what"], r["change"], r["explains"], r["of"]] for r in s["attribution"]], "llrr")
        lines.append("")
    if s["changes"]:
        lines += ["## Policy differences", ""]
        for ch in s["changes"]:
            flags = [] if ch["effective"] else ["no effect on outcomes"]
            if ch["separable"] is False:
                flags.append("not separable")
            if ch["provisional"]:
                flags.append("provisional")
            lines.append(f"- **{ch['label']}**" + (f" ({', '.join(flags)})" if flags else "")
                         + "".join(f"\n  - {_md(d)}" for d in ch["details"]))
        lines.append("")
    if s["provisional"]:
        lines += ["## Provisional figures", ""] + [f"- {_md(n)}" for n in s["provisional"]] + [""]
    records = [r for r in report["records"] if r["changed"]]
    if records:
        title = "Most changed records" if report["records_shown"].startswith("top") else "Changed records"
        lines += [f"## {title}", ""]
        for r in records:
            where = r["source"] + (f":{r['line']}" if r["line"] is not None else "")
            lines.append(f"### {r['label'] or where}" + (f" (`{where}`)" if r["label"] else ""))
            lines.append("")
            changed = [v for v in r["values"] if _differs(v["base"], v["candidate"])]
            if changed:
                lines += _md_table(["value", "base", "candidate", "delta"],
                                   [[f"`{v['name']}`", _show(v["base"]), _show(v["candidate"]),
                                     _signed(v["delta"]) or "–"] for v in changed], "lrrr")
                lines.append("")
            for sign, key in (("New", "appeared"), ("Resolved", "disappeared")):
                for v in r[key]:
                    at = f" at `{v['path']}`" if v["path"] else ""
                    lines.append(f"- {sign} `{v['rule']}`{at}: {_md(v['message'])}")
            lines += [f"- Why: {_md(a)}" for a in r["attribution"]]
            if r["provisional"]:
                lines.append(f"- Depends on provisional: {', '.join(r['provisional'])}")
            lines.append("")
    if report["errors"]:
        lines += ["## Could not be read", ""]
        for e in report["errors"]:
            where = ":".join(str(x) for x in (e["source"], e["line"], e["column"]) if x is not None)
            lines.append(f"- `{where}`: {_md(e['message'])}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# -- sinks ------------------------------------------------------------------------------------------

CSV_COLUMNS = ["source", "line", "label", "changed", "kind", "name", "path", "severity", "base", "candidate",
               "delta", "message", "attribution"]


def _cell(x: Any) -> str:
    x = jsonable(x)
    if x is None:
        return ""
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, (dict, list)):
        return json.dumps(x, ensure_ascii=False)
    return str(x)


def _wanted(rc: RecordComparison, changed_only: bool) -> bool:
    return not rc.ok or rc.changed or not changed_only


class Sink:
    """Receives comparisons in order (`record`), then the finished summary (`finish`).

    `render(rc, changed_only)`, if the format writes records as they come, turns one comparison into
    its text (a plain function of the record, run by worker processes too); `write` adds that text
    to the output, in input order. `record(rc)` is both."""

    render = None

    def __init__(self, out: IO[str], changed_only: bool = False):
        self.out, self.changed_only = out, changed_only

    def wanted(self, rc: RecordComparison) -> bool:
        return _wanted(rc, self.changed_only)

    def record(self, rc: RecordComparison) -> None:
        if self.render is not None:
            text = self.render(rc, self.changed_only)
            if text is not None:
                self.write(text)

    def write(self, text) -> None:
        self.out.write(text)

    def flush(self) -> None:
        """Push buffered output out (before worker processes are forked, so they inherit no copy)."""
        self.out.flush()

    def finish(self, summary: Summary) -> None:
        raise NotImplementedError


class TextSink(Sink):
    def finish(self, summary):
        self.out.write(render_text(report_dict(summary)))


class MarkdownSink(Sink):
    def finish(self, summary):
        self.out.write(render_markdown(report_dict(summary)))


class HtmlSink(Sink):
    def __init__(self, out, changed_only=False):
        super().__init__(out, changed_only)
        try:
            from .compare_html import render_html
        except ImportError:
            raise KinerjaError("html output not available") from None
        self.render_html = render_html

    def finish(self, summary):
        self.out.write(self.render_html(report_dict(summary)))


def csv_rows(rc: RecordComparison, changed_only: bool = False) -> str | None:
    """A comparison's CSV rows: one per compared value, appearing or disappearing violation, or read error."""
    if not _wanted(rc, changed_only):
        return None
    buffer = io.StringIO()
    w = csv.writer(buffer, lineterminator="\n").writerow
    if not rc.ok:
        for e in rc.errors:
            w([e.source, _cell(e.line), "", "", "error", "", "", "", "", "", "", e.message, ""])
        return buffer.getvalue()
    why: dict[str, list[str]] = {}
    for a in rc.attribution:
        why.setdefault(a.item, []).append(a.change)
    head = [rc.source, _cell(rc.line), rc.label, _cell(rc.changed)]
    for v in rc.values:
        w(head + ["value", v.name, "", "", _cell(v.base), _cell(v.candidate), _cell(v.delta), "",
                  "; ".join(why.get(v.name, []))])
    for kind, diffs in (("new", rc.appeared), ("resolved", rc.disappeared)):
        for v in diffs:
            w(head + [kind, v.rule, v.path or "", v.severity, "", "", "", v.message,
                      "; ".join(why.get(f"{kind} {v.where}", []))])
    return buffer.getvalue()


class CsvSink(Sink):
    """One row per compared value, appearing or disappearing violation, or read error."""

    render = staticmethod(csv_rows)

    def __init__(self, out, changed_only=False):
        super().__init__(out, changed_only)
        csv.writer(out, lineterminator="\n").writerow(CSV_COLUMNS)

    def finish(self, summary):
        pass


def jsonl_lines(rc: RecordComparison, changed_only: bool = False) -> str | None:
    """A comparison as JSON Lines: {"record": …}, or one {"error": …} line per error."""
    if not _wanted(rc, changed_only):
        return None
    if rc.ok:
        return json.dumps({"record": record_dict(rc)}, ensure_ascii=False) + "\n"
    return "".join(json.dumps({"error": error_dict(e)}, ensure_ascii=False) + "\n" for e in rc.errors)


class JsonlSink(Sink):
    """One JSON object a line: {"record": …} or {"error": …} in input order, then the summary."""

    render = staticmethod(jsonl_lines)

    def finish(self, summary):
        doc = report_dict(summary, records=[], errors=[])
        self.out.write(json.dumps({"base": doc["base"], "candidate": doc["candidate"], "summary": doc["summary"]},
                                  ensure_ascii=False) + "\n")


def json_spool(rc: RecordComparison, changed_only: bool = False) -> tuple[str, str] | None:
    """A comparison as (record line, error lines) for the JSON sink's spools."""
    if not _wanted(rc, changed_only):
        return None
    if rc.ok:
        return json.dumps(record_dict(rc), ensure_ascii=False) + "\n", ""
    return "", "".join(json.dumps(error_dict(e), ensure_ascii=False) + "\n" for e in rc.errors)


class JsonSink(Sink):
    """The whole document; records and errors are spooled to temporary files until the summary is known."""

    _MARK = "\x00records\x00", "\x00errors\x00"
    render = staticmethod(json_spool)

    def __init__(self, out, changed_only=False):
        super().__init__(out, changed_only)
        self.records = tempfile.TemporaryFile("w+", encoding="utf-8")
        self.errors = tempfile.TemporaryFile("w+", encoding="utf-8")

    def write(self, text):
        records, errors = text
        if records:
            self.records.write(records)
        if errors:
            self.errors.write(errors)

    def finish(self, summary):
        doc = report_dict(summary, records=self._MARK[0], errors=self._MARK[1],   # type: ignore[arg-type]
                          records_shown="changed" if self.changed_only else "all")
        text = json.dumps(doc, ensure_ascii=False, indent=2)
        for mark, spool in zip(self._MARK, (self.records, self.errors)):
            head, text = text.split(json.dumps(mark), 1)
            self.out.write(head)
            self._array(spool)
        self.out.write(text + "\n")
        self.records.close()
        self.errors.close()

    def _array(self, spool) -> None:
        spool.seek(0)
        first = True
        for line in spool:
            item = json.dumps(json.loads(line), ensure_ascii=False, indent=2).replace("\n", "\n    ")
            self.out.write(("[\n    " if first else ",\n    ") + item)
            first = False
        self.out.write("[]" if first else "\n  ]")


SINKS = {"text": TextSink, "markdown": MarkdownSink, "html": HtmlSink, "csv": CsvSink, "jsonl": JsonlSink,
         "json": JsonSink}


def make_sink(fmt: str, out: IO[str], changed_only: bool = False) -> Sink:
    return SINKS[fmt](out, changed_only)
