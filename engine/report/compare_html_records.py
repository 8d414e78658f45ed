"""The changed records of the compare HTML page: one sortable table, a row per changed record.

Columns: the record (label and source), the delta of each whole-record numeric output (up to
`NUMERIC_COLUMNS`, chosen by the page), the label change of each categorical output, the other
outputs that changed (the first `OTHER_SHOWN`, the rest folded), the rules that newly fail or are
resolved, and why (the policy changes that explain the record's changes, grouped by change, the
first `WHY_SHOWN`). Every cell carries a `data-sort` key for the page's vanilla-JS sorter.
"""
from __future__ import annotations

from typing import Any

from ..display import number, plural
from .compare_html_markup import delta_html, escape, ids, plain, section, value_html
from .compare_values import decimal_of

OTHER_SHOWN = 5           # other changed values listed in a record's row before "N more"
WHY_SHOWN = 4             # policy changes listed in a record's "Why" before "N more"


def records_section(records: list[dict], columns: list[str], categorical: list[str], total_changed: Any,
                    shown: Any) -> str:
    """The "Changed records" section: `columns` get a delta column each, `categorical` a label column."""
    changed = [r for r in records if r.get("changed")]
    total = int(total_changed if total_changed is not None else len(changed))
    if not changed:
        return section("records", "Changed records", '<p class="empty">No record changed.</p>' if not total else
                       f'<p class="empty">{plural(total, "record")} changed; none is listed in this report.</p>')
    intro = f"{plural(len(changed), 'changed record')}"
    if shown not in (None, "all", "changed") or len(changed) != total:
        intro = f"{len(changed)} of {plural(total, 'changed record')} listed" + (f" ({escape(shown)})" if shown else "")
    intro = (f'<p class="note">{intro}; unchanged records are not listed. '
             "Click a column header to sort (again to reverse).</p>")
    rows = [_row(r, columns, categorical) for r in changed]
    # fixed layout: the widths below hold whatever the cells contain (long ids wrap inside their cell)
    weights = [13] + [8] * len(columns) + [10] * len(categorical) + [17, 11, 11, 24]
    cols = "".join(f'<col style="width:{w * 100 / sum(weights):.1f}%">' for w in weights)
    return section("records", "Changed records", (
        intro + f'<table class="data sortable records" id="changed-records"><colgroup>{cols}</colgroup>'
        f'<thead><tr>{_heads(columns, categorical)}</tr></thead><tbody>\n' + "\n".join(rows) + "\n</tbody></table>"))


def _heads(columns: list[str], categorical: list[str]) -> str:
    heads = ['<th scope="col" data-type="text"><button type="button">Record</button></th>']
    heads += [f'<th class="num" scope="col" data-type="number"><button type="button">\u0394 {escape(n)}</button></th>'
              for n in columns]
    heads += [f'<th scope="col" data-type="text"><button type="button">{escape(n)}</button></th>' for n in categorical]
    heads += ['<th scope="col" data-type="number" title="other outputs that changed; sorts by how many">'
              '<button type="button">Other changes</button></th>',
              '<th scope="col" data-type="number"><button type="button">New failures</button></th>',
              '<th scope="col" data-type="number"><button type="button">Resolved</button></th>',
              '<th scope="col" data-type="text"><button type="button">Why</button></th>']
    return "".join(heads)


def _row(r: dict, columns: list[str], categorical: list[str]) -> str:
    values = {v.get("name"): v for v in r.get("values") or []}
    source = plain(r.get("source"))
    if r.get("line") is not None:
        source += f":{r['line']}"
    label = plain(r.get("label") or r.get("source") or "")
    cells = [f'<td data-sort="{escape(label)}">{escape(label)}<span class="src">{ids(source)}</span></td>']
    cells += [_delta_cell(values.get(n)) for n in columns]
    cells += [_label_cell(values.get(n)) for n in categorical]
    own = set(columns) | set(categorical)
    other = [v for k, v in values.items() if k not in own and v.get("changed")]
    listed = "".join(_change_item(v) for v in other[:OTHER_SHOWN])
    if len(other) > OTHER_SHOWN:
        listed += (f'<li><details><summary>{len(other) - OTHER_SHOWN} more</summary><ul>'
                   + "".join(_change_item(v) for v in other[OTHER_SHOWN:]) + "</ul></details></li>")
    cells.append(f'<td data-sort="{len(other)}">' + (f"<ul>{listed}</ul>" if listed else "") + "</td>")
    appeared, disappeared = r.get("appeared") or [], r.get("disappeared") or []
    cells.append(f'<td data-sort="{len(appeared)}">{_rule_list(appeared)}</td>')
    cells.append(f'<td data-sort="{len(disappeared)}">{_rule_list(disappeared)}</td>')
    cells.append(f'<td class="why">{_why(r.get("attribution") or [], r.get("provisional") or [])}</td>')
    return "<tr>" + "".join(cells) + "</tr>"


def _delta_cell(v: dict | None) -> str:
    """A numeric output's cell: its delta (sorted by it), then base → candidate."""
    if v is None:
        return '<td class="num" data-sort="">' + value_html(None) + "</td>"
    d = decimal_of(v.get("delta"))
    return (f'<td class="num" data-sort="{escape(number(d)) if d is not None else ""}">'
            f'{delta_html(v.get("delta"))}'
            f'<span class="bv">{value_html(v.get("base"))} \u2192 {value_html(v.get("candidate"))}</span></td>')


def _label_cell(v: dict | None) -> str:
    """A categorical output's cell: the base label, and the candidate's when it differs: after an arrow
    when it changed, after `=` (muted) when the policies declare the two labels equivalent."""
    if v is None:
        return '<td data-sort="">' + value_html(None) + "</td>"
    base, cand = (value_html(x) if x is None else ids(plain(x)) for x in (v.get("base"), v.get("candidate")))
    if v.get("changed"):
        shown = f' \u2192 <strong class="nw">{cand}</strong>'
    elif plain(v.get("base")) != plain(v.get("candidate")):
        shown = f' <span class="muted nw" title="equivalent labels">= {cand}</span>'
    else:
        shown = ""
    return f'<td><span class="nw">{base}</span>{shown}</td>'


def _rule_list(violations: list[dict]) -> str:
    if not violations:
        return ""
    items = []
    for v in violations:
        sev = v.get("severity") or ""
        tip = v.get("message") or ""
        if v.get("path"):
            tip = f"{v['path']}: {tip}"
        items.append(f'<li><span class="rule" title="{escape(tip)}">{ids(v.get("rule", ""))}</span>'
                     + (f' <span class="sev {escape(sev)}">{escape(sev)}</span>' if sev else "") + "</li>")
    return "<ul>" + "".join(items) + "</ul>"


def _why(attribution: list, provisional: list) -> str:
    """A record's attribution ("<difference>: <change>") grouped by policy change, then its provisional
    figures on one line."""
    groups: dict[str, list[str]] = {}
    for a in attribution:
        difference, sep, change = str(a).partition(": ")
        groups.setdefault(change if sep else difference, []).append(difference if sep else "")
    items = []
    for change, differences in list(groups.items())[:WHY_SHOWN]:
        differences = [d for d in differences if d]
        shown = ", ".join(differences[:3]) + (f" and {len(differences) - 3} more" if len(differences) > 3 else "")
        items.append(f'<li title="{escape(", ".join(differences))}"><strong>{escape(change)}</strong>'
                     + (f": {escape(shown)}" if shown else "") + "</li>")
    if len(groups) > WHY_SHOWN:
        rest = list(groups)[WHY_SHOWN:]
        items.append(f'<li><details><summary>{len(rest)} more</summary><ul>'
                     + "".join(f"<li><strong>{escape(c)}</strong>: {escape(', '.join(d for d in groups[c] if d))}</li>"
                               for c in rest) + "</ul></details></li>")
    if provisional:
        items.append(f'<li class="prov">provisional: {escape(", ".join(str(p) for p in provisional))}</li>')
    return "<ul>" + "".join(items) + "</ul>" if items else ""


def _change_item(v: dict) -> str:
    return (f'<li><code>{ids(v.get("name"))}</code>: '
            f'{value_html(v.get("base"))} \u2192 {value_html(v.get("candidate"))}</li>')
