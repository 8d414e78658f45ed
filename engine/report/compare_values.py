"""How compare's renderers read the values of the report document (`engine.report.compare_data`).

The document holds decimals as exact text and missing values as null. Every format shows them the
same way through these helpers: `short_number` shortens a statistic for display (the JSON keeps every
digit), `decimal_of` reads a decimal back, and `shown` writes a value as words, a missing one as
`missing`. Whether a value changed is the document's own `changed` (equivalent labels are unchanged). Text, Markdown and
HTML import this module, never each other.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from ..display import value

MISSING = "missing"   # a missing value, in text and Markdown (HTML marks it with an em dash)


def shown(x: Any) -> str:
    """A value as text; a missing value as `missing`."""
    return value(x, missing=MISSING)


def short_number(x: str | None, places: int = 4) -> str:
    """A decimal for display: at most `places` decimals, `~` when rounded (the JSON keeps the exact text)."""
    if x is None:
        return "-"
    d = Decimal(x)
    exp = d.as_tuple().exponent
    if isinstance(exp, int) and -exp > places:
        return format(d.quantize(Decimal(1).scaleb(-places)), "f") + "~"
    return x


def decimal_of(x: Any) -> Decimal | None:
    """A finite Decimal from exact text (or an int), else None."""
    if isinstance(x, bool) or x is None:
        return None
    if isinstance(x, (int, Decimal)):
        d = Decimal(x)
    elif isinstance(x, str):
        try:
            d = Decimal(x.strip())
        except InvalidOperation:
            return None
    else:
        return None
    return d if d.is_finite() else None
