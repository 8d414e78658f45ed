"""Histograms of the deltas of a numeric output, as inline SVG for the compare HTML page.

`histogram` bins deltas with exact Decimal arithmetic on a "nice" step (1, 2 or 5 × 10^k, about
`HIST_TARGET_BINS` bins) centred on zero, so unchanged records fall in the bin around 0;
`histogram_svg` draws one chart with its caption (up, down, unchanged counts). The deltas come from
the records listed in the report (`deltas_of`; a per-item output pools its items). No script, no
external resource: the page stays self-contained.
"""
from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

from ..display import number, plural
from .compare_html_markup import escape
from .compare_values import decimal_of

HIST_TARGET_BINS = 12     # a histogram has at most about this many bins (plus one)


def deltas_of(records: list[dict], name: str, per_item: bool) -> list[Decimal]:
    """The numeric deltas of output `name` in `records`; a per-item output pools its `name[item]` values."""
    prefix = name + "["
    out = []
    for r in records:
        for v in r.get("values") or []:
            n = v.get("name") or ""
            if n == name or (per_item and n.startswith(prefix)):
                d = decimal_of(v.get("delta"))
                if d is not None:
                    out.append(d)
    return out


def _nice_step(span: Decimal) -> Decimal:
    """The smallest of 1, 2, 5 x 10^k not below span / HIST_TARGET_BINS."""
    raw = span / HIST_TARGET_BINS
    k = raw.adjusted()
    for exp in (k, k + 1):
        for m in (1, 2, 5):
            step = Decimal(m).scaleb(exp)
            if step >= raw:
                return step
    return Decimal(1).scaleb(k + 2)  # not reached: 1 x 10^(k+1) > raw


def histogram(deltas: list[Decimal]) -> list[tuple[Decimal, Decimal, Decimal, int]]:
    """Bins (centre, low, high, count) over `deltas`; bin i covers [i*step - step/2, i*step + step/2),
    so 0 is a bin centre and unchanged records fall in the bin around it. Exact Decimal arithmetic.
    All deltas equal (e.g. all zero): one bin holding them all. No deltas: no bins."""
    if not deltas:
        return []
    lo, hi = min(deltas), max(deltas)
    if lo == hi:
        return [(lo, lo, lo, len(deltas))]
    step = _nice_step(hi - lo)
    half = step / 2

    def index(d: Decimal) -> int:
        return int(((d + half) / step).to_integral_value(rounding=ROUND_FLOOR))

    first, last = index(lo), index(hi)
    counts = [0] * (last - first + 1)
    for d in deltas:
        counts[index(d) - first] += 1
    return [((first + i) * step, (first + i) * step - half, (first + i) * step + half, n)
            for i, n in enumerate(counts)]


def _fmt(d: Decimal) -> str:
    s = number(d)
    return "+" + s if d > 0 else ("0" if d == 0 else s)


def histogram_svg(index: int, name: str, deltas: list[Decimal], unit: str) -> str:
    bins = histogram(deltas)
    heading = f'<h3>\u0394 <code>{escape(name)}</code></h3>'
    if not bins:
        return (f'<figure class="chart">{heading}'
                f'<p class="empty">No numeric deltas of {escape(name)} in the records of this report.</p></figure>')
    W, H, left, right, top, bottom = 600, 230, 44, 12, 22, 46
    pw, ph = W - left - right, H - top - bottom
    most = max(n for *_, n in bins)
    slot = pw / len(bins)
    bar = min(slot - 2, 64)
    label_every = 1 if len(bins) <= 13 else 2
    uid = f"hist-{index}"
    parts = [f'<svg class="hist" viewBox="0 0 {W} {H}" role="img" aria-labelledby="{uid}-t {uid}-d">',
             f'<title id="{uid}-t">Distribution of \u0394 {escape(name)}</title>',
             f'<desc id="{uid}-d">{plural(len(deltas), unit)} in {plural(len(bins), "bin")}; '
             f'largest bin {most}.</desc>']
    for tick in sorted({most, most // 2} - {0}):
        y = top + ph - ph * tick / most
        parts.append(f'<line class="grid" x1="{left}" y1="{y:.1f}" x2="{W - right}" y2="{y:.1f}"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>')
    parts.append(f'<text x="{left - 6}" y="{top + ph + 4}" text-anchor="end">0</text>')
    for i, (centre, low, high, n) in enumerate(bins):
        cx = left + slot * (i + 0.5)
        h = ph * n / most
        kind = "same" if low <= 0 < high or low == high == 0 else ("up" if centre > 0 else "down")
        rng = f"\u0394 = {_fmt(centre)}" if low == high else f"\u0394 in [{_fmt(low)}, {_fmt(high)})"
        parts.append(f'<rect class="bar {kind}" x="{cx - bar / 2:.1f}" y="{top + ph - h:.1f}" '
                     f'width="{bar:.1f}" height="{h:.1f}"><title>{escape(rng)}: {plural(n, unit)}</title></rect>')
        if n:
            parts.append(f'<text class="count" x="{cx:.1f}" y="{top + ph - h - 4:.1f}" text-anchor="middle">{n}</text>')
        if i % label_every == 0:
            parts.append(f'<text x="{cx:.1f}" y="{top + ph + 16}" text-anchor="middle">{escape(_fmt(centre))}</text>')
    parts.append(f'<line class="axis" x1="{left}" y1="{top + ph}" x2="{W - right}" y2="{top + ph}"/>')
    parts.append(f'<text x="{left + pw / 2:.1f}" y="{H - 8}" text-anchor="middle">'
                 f'\u0394 {escape(name)} (bin centre)</text>')
    parts.append("</svg>")
    up = sum(d > 0 for d in deltas)
    down = sum(d < 0 for d in deltas)
    same = len(deltas) - up - down
    caption = f"{plural(len(deltas), unit)}: {up} up, {down} down, {same} unchanged"
    if len(bins) == 1:
        value = escape(_fmt(bins[0][0]))
        caption = (f"The one delta is {value}. " if len(deltas) == 1
                   else f"All {len(deltas)} deltas are {value}. ") + caption
    else:
        caption += f"; bin width {format((bins[0][2] - bins[0][1]).normalize(), 'f')}"
    caption += ('. <span class="nw"><span class="swatch down"></span>decrease</span> '
                '<span class="nw"><span class="swatch same"></span>around zero</span> '
                '<span class="nw"><span class="swatch up"></span>increase</span>')
    return f'<figure class="chart">{heading}{"".join(parts)}<figcaption>{caption}</figcaption></figure>'
