"""Streaming the comparisons of `kinerja compare` into a report, one format per *sink*, in bounded memory.

A sink receives the comparisons one by one as they are computed and writes its format: JSON Lines
and CSV write each record at once; JSON spools records to a temporary file and writes the document
(summary first) at the end; text, Markdown and HTML keep nothing per record (the summary keeps the
most changed records) and render at the end. Memory stays bounded either way. A sink's per-record
text comes from its `render` function, which depends on the record only, so that worker processes
can render records (`engine.compare.compare_into`) and the main process only `write`s the text in
order. `make_sink` picks the sink of a format name (`FORMATS`).
"""
from __future__ import annotations

import csv
import io
import json
import tempfile
from typing import IO, Any

from ..compare import RecordComparison, Summary
from ..result import jsonable
from .compare_data import error_dict, record_dict, report_dict
from .compare_html import render_html
from .compare_markdown import render_markdown
from .compare_text import render_text

FORMATS = ("text", "json", "jsonl", "csv", "markdown", "html")

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

    def __init__(self, out: IO[str], changed_only: bool = False, made: dict | None = None):
        self.out, self.changed_only, self.made = out, changed_only, made   # made: how the report was made

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
    def finish(self, summary):
        self.out.write(render_html(report_dict(summary, made=self.made)))


def csv_rows(rc: RecordComparison, changed_only: bool = False) -> str | None:
    """A comparison's CSV rows: one per policy whose period the record is outside of (kind
    `outside-period`, the note as message), compared value, appearing or disappearing violation, or read
    error."""
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
    for policy, note in rc.outside_period.items():
        w(head + ["outside-period", policy, "", "", "", "", "", note, ""])
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

    def __init__(self, out, changed_only=False, made=None):
        super().__init__(out, changed_only, made)
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

    def __init__(self, out, changed_only=False, made=None):
        super().__init__(out, changed_only, made)
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


def make_sink(fmt: str, out: IO[str], changed_only: bool = False, made: dict | None = None) -> Sink:
    """The sink of format `fmt`; `made` (`compare_data.made_dict`) is shown by the HTML page."""
    return SINKS[fmt](out, changed_only, made)
