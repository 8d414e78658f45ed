"""`r[c]`: the field of a data item named by a text computed per row (`c` an element of a parameter
list, a computed list of text, a text field).

As safe mode's `s_index` (a dict's `.get`): the value of the item's field of that name, missing where
the item, the key or the field is missing, or where no field has that name (a key that is not text
names no field: missing too). The item's table has a known, finite set of columns, so each row
chooses among the columns its key names (each distinct word read once). Fields of one kind (all
text, all conditions, all numbers: `avg(c.scores[n] for n in nilai_dasar)`) give that column, numbers
with their bounds, exact digits or Decimals as each field has them (branches.merged); otherwise
(lists, objects, a mix) the values stay the records' Python values per row (`Objs`, as for cells of
mixed types, cells.py), which `present`, `is_number` and `is_text` read and every other operation
refuses. (An Arrow table's numbers are read
as the records' Decimals, frames.data_decimals; its lists and objects are only `True`: present.)
"""
from __future__ import annotations

import numpy as np

from .branches import merged
from .frames import Items, Objs, data_decimals
from .vectors import Bool, Const, Num, Text, Unsupported, falses


def field_named(columns, item: Items, key, n: int):
    words, codes, miss, unsure = _key(key, n)
    if item.miss is not None:
        miss = miss | item.miss
    table, chosen = item.table, np.where(miss, -1, codes)
    kinds = {_kind(table, item.prefix + w) for w in words}
    if kinds <= {"string", "absent"} or kinds <= {"boolean", "absent"}:
        fields = [None if _kind(table, item.prefix + w) == "absent" else columns._field(item, w) for w in words]
        return _chosen(Text if "string" in kinds else Bool, fields, chosen, unsure, n)
    if kinds <= _NUMBERS:
        return _numbers(columns, item, words, chosen, unsure, n)
    values = [None] * n
    for j, w in enumerate(words):
        rows = np.flatnonzero(chosen == j).tolist()
        if not rows or _kind(table, item.prefix + w) == "absent":
            continue
        raw = _values(table, item.prefix + w)
        at = item.idx[rows].tolist()
        for r, i in zip(rows, at):
            values[r] = raw[i]
    absent = np.fromiter((v is None for v in values), bool, n)
    return Objs(values, np.where(absent, -1, np.arange(n)), absent, unsure & ~absent)


_NUMBERS = {"number", "integer", "absent"}


def _numbers(columns, item: Items, words: list, chosen: np.ndarray, unsure: np.ndarray, n: int):
    """Number fields: each row's value from the column its key names (branches.merged, as an `if`'s
    branches: bounds, exact digits and Decimals kept), missing where the key names no field."""
    parts, miss = [], chosen < 0
    for j, w in enumerate(words):
        rows = np.flatnonzero(chosen == j)
        if _kind(item.table, item.prefix + w) == "absent":
            miss[rows] = True
        elif len(rows):
            parts.append((rows, columns._field(item, w).take(rows)))
    if not parts:       # missing on every row: exactly so (no digits to compute again)
        return Num(np.zeros(n), np.zeros(n), np.ones(n, bool), falses(n), (np.zeros(n, np.int64), 0))
    return merged(parts, miss, unsure.copy(), n)


def _values(table, name: str):
    """A field's values as the records have them (a number as its Decimal: an Arrow table holds
    floats; a list or an object as itself, or `True` in an Arrow table, None where absent)."""
    raw = table.columns[name][1]
    if isinstance(raw, list) or _kind(table, name) not in ("number", "integer", "number|string"):
        return raw
    dec = data_decimals(table, name)
    if dec.unsure.any():
        raise Unsupported("an Arrow number field without its digits named by a computed key")
    return [None if m else d for d, m in zip(dec.d.tolist(), dec.miss.tolist())]


def _key(key, n: int):
    """(words, each row's code, missing, unsure) of a text key."""
    if isinstance(key, Const):
        if isinstance(key.value, str):
            return [key.value], np.zeros(n, np.int64), falses(n), falses(n)
        return [], np.full(n, -1), np.ones(n, bool), falses(n)
    if isinstance(key, Text):
        words, codes = key.encoded()
        return words, codes, key.miss | (codes < 0), key.unsure
    raise Unsupported("an item's field named by a key that is not text")


def _kind(table, name: str) -> str:
    if name in table.children:
        return "array"
    return table.columns[name][0] if name in table.columns else "absent"


def _chosen(kind, fields: list, chosen: np.ndarray, unsure: np.ndarray, n: int):
    """One column of `kind` whose row r is row r of fields[chosen[r]] (missing where none)."""
    v = np.full(n, None, dtype=object) if kind is Text else falses(n)
    miss, unsure = chosen < 0, unsure.copy()
    for j, field in enumerate(fields):
        rows = np.flatnonzero(chosen == j)
        if field is None:
            miss[rows] = True
            continue
        v[rows], miss[rows] = field.v[rows], field.miss[rows]
        unsure[rows] |= field.unsure[rows]
    return kind(v, miss, unsure & ~miss)


__all__ = ["field_named"]
