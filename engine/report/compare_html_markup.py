"""The small pieces of markup every part of the compare HTML page is built from.

Every piece of data passes through `escape` (html.escape): record labels, messages and sources are
user data. A value is written through `display.value` like in every other format, except that a
missing value is an em dash (`plain`), marked as missing in the page (`value_html`); a delta gets
its sign and an up/down class (`delta_html`); ids and paths get break hints (`ids`).
"""
from __future__ import annotations

import html
from typing import Any

from ..display import signed, value
from .compare_values import decimal_of

MISSING = "\u2014"   # a missing value: an em dash


def escape(x: Any) -> str:
    return html.escape(str(x), quote=True)


def plain(v: Any) -> str:
    """A value as plain text: exact decimals as given, missing as an em dash."""
    return value(v, missing=MISSING)


def ids(x: Any) -> str:
    """Escaped text of an id or path with break hints after "_" and "/" and before "[" (ids such as
    kemenkeu_three or capaian_tahunan[1a-N] wrap there rather than mid-word)."""
    return escape(x).replace("_", "_<wbr>").replace("/", "/<wbr>").replace("[", "<wbr>[")


def value_html(v: Any) -> str:
    """A value as HTML; a missing value is marked as such (never shown as zero)."""
    if v is None:
        return f'<span class="missing" title="missing">{MISSING}</span>'
    return escape(plain(v))


def direction(delta: Any) -> str:
    """The CSS class of a delta: "up", "down", or "" for zero or no number."""
    d = decimal_of(delta)
    return "" if d is None or d == 0 else ("up" if d > 0 else "down")


def delta_html(delta: Any) -> str:
    """A delta with an explicit sign on increases, coloured by its direction."""
    if delta is None:
        return value_html(None)
    d = direction(delta)
    return f'<span class="delta {d}">{escape(signed(delta))}</span>' if d else escape(signed(delta))


def section(anchor: str, heading: str, content: str) -> str:
    return f'<section id="{anchor}">\n<h2>{escape(heading)}</h2>\n{content}\n</section>'
