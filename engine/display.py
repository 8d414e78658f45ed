"""How the engine shows things to people: values, band rows, counts, paths, suggestions.

Every message, trace and report renders through these functions, so a figure reads the same in a
rule's message, in `explain`, in `diff`, in `provenance` and in every `compare` format: exact
decimals as written, ISO dates, one notation for a band row (`90 ≤ x ≤ 100`), one plural rule, paths
relative to the current folder, one did-you-mean.
"""
from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Mapping

MISSING = "(missing)"
UNLABELLED = "{…}"                               # a table in message text: `value` does not spell it out
_LABEL_KEYS = ("code", "id", "name", "period")   # a data item is shown by the first of these it has
PLAIN_EXPONENT = 40    # a decimal is written out in full up to 10**±40; beyond it, scientific (9.0E+999999)
MAX_TEXT = 1000        # a value longer than this is cut with '…' (a message must not grow to a gigabyte)


def number(x: Decimal) -> str:
    """A decimal as exact text: written out in full (`110.42`, `0.0005`) when its magnitude lies within
    10**±PLAIN_EXPONENT, else in scientific notation (`9.0E+999999`), never millions of digits."""
    if x.is_finite() and abs(x.adjusted()) > PLAIN_EXPONENT:
        return str(x)
    return format(x, "f")


def value(x: Any, missing: str = MISSING) -> str:
    """A value as message text: plain decimals (scientific beyond 10**±40), ISO dates, comma-separated
    lists, a data item by its code (or id, name, period), `missing` for a missing value; cut to
    MAX_TEXT characters with a final '…'."""
    text = _value(x, missing)
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _value(x: Any, missing: str) -> str:
    if type(x) is str:
        return x
    if x is None:
        return missing
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, Decimal):
        return number(x)
    if isinstance(x, (list, tuple)):
        return ", ".join(f"[{value(v, missing)}]" if isinstance(v, (list, tuple)) else value(v, missing)
                         for v in x)
    if isinstance(x, _dt.date):
        return x.isoformat()
    if isinstance(x, dict):
        for key in _LABEL_KEYS:
            if key in x:
                return str(x[key])
        return UNLABELLED
    return str(x)


def inline(x: Any, missing: str = "null") -> str:
    """A value written out in full on one line: tables as `{key: value, …}`, lists as `[a, b]`."""
    if x is None:
        return missing
    if isinstance(x, Mapping):
        return "{" + ", ".join(f"{k}: {inline(v, missing)}" for k, v in x.items()) + "}"
    if isinstance(x, (list, tuple)):
        return "[" + ", ".join(inline(v, missing) for v in x) + "]"
    return value(x, missing)


def shortened(text: str, width: int) -> str:
    """`text` on one line, cut to `width` characters with a final '…' when longer."""
    text = str(text).replace("\n", " ")
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def signed(delta: Any) -> str:
    """A difference with its sign: `+1.50`, `-2`, `0`; empty when there is none."""
    if delta is None:
        return ""
    text = value(delta)
    if text.startswith(("-", "+")):
        return text
    try:
        positive = Decimal(text) > 0
    except ArithmeticError:
        positive = False
    return "+" + text if positive else text


_LOW = {"from": "≤", "over": "<"}    # bound keys of a band row and how each reads left of x
_HIGH = {"to": "≤", "under": "<"}


def band_row(row: Mapping[str, Any]) -> str:
    """A band row's interval, one notation everywhere: `90 ≤ x ≤ 100`, `x > 100`, `x < 50`, `any x`."""
    low = next(((k, row[k]) for k in _LOW if k in row and row[k] is not None), None)
    high = next(((k, row[k]) for k in _HIGH if k in row and row[k] is not None), None)
    if low and high:
        return f"{value(low[1])} {_LOW[low[0]]} x {_HIGH[high[0]]} {value(high[1])}"
    if low:
        return f"x {'≥' if low[0] == 'from' else '>'} {value(low[1])}"
    if high:
        return f"x {_HIGH[high[0]]} {value(high[1])}"
    return "any x"


def band_table(rows: Iterable[tuple]) -> list[dict[str, Any]]:
    """A run-time band table's rows, `(low, low_inclusive, high, high_inclusive, label)`, as the rows a
    policy writes: `{label, from|over, to|under}` (unbounded sides left out); `band_row` reads them."""
    out = []
    for low, low_inclusive, high, high_inclusive, label in rows:
        row: dict[str, Any] = {"label": label}
        if low is not None:
            row["from" if low_inclusive else "over"] = low
        if high is not None:
            row["to" if high_inclusive else "under"] = high
        out.append(row)
    return out


def plural(n: int, word: str, many: str | None = None) -> str:
    """`1 record`, `2 records`; `many` for irregular plurals (`policy` → `policies`)."""
    return f"{n} {word if n == 1 else many or word + 's'}"


def relative(path: str | Path) -> str:
    """A path relative to the current folder when it lies below it, else as given."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """`did you mean 'nko'?` for the closest known name, or None when nothing is close."""
    import difflib   # here, not at the top: only an error needs it (cold start)
    close = difflib.get_close_matches(str(name), [str(c) for c in candidates], n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None
