"""Output columns back into the Python values of a Result: Decimals with the per-record digits, text,
booleans, and per-item values keyed by their item labels in data order.

A missing value is None, as in the per-record path. Only exactly known numbers leave the columns: a rounded result or a count (`Num.exact`, k·10⁻ⁿ
becomes `Decimal(k).scaleb(-n)`, the digits `quantize` gives). An unrounded number (say a raw
average) is computed again with the Decimals themselves before it gets here (digits.py); where that
could not be done it has no exact column form: that output, and so every record, goes per record.
"""
from __future__ import annotations

import re
from decimal import Decimal

import numpy as np

from ..display import value as render
from .dates import Day, python_dates
from .decimals import Dec
from .frames import ByRecord, Items
from .vectors import Bool, Const, Num, Text, Unsupported, falses

_SIMPLE_KEY = re.compile(r"^\{\s*([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?\s*\}$")


def output_values(policy, batch, n: int, names=None):
    """(name -> each record's value, read by index and made when read; records the outputs leave
    unsure; outputs without a form), for the policy's outputs or the values `names`."""
    values, skipped = {}, {}
    unsure = falses(n)
    for name in policy.outputs if names is None else names:
        if name not in batch.values:
            skipped.setdefault(name, batch.skipped.get(name, "not computed as columns"))
            continue
        kind, col, extra = batch.values[name]
        record = np.arange(n) if kind == "scalar" else _records(kind, extra, n)
        try:
            python = constant(col, len(record)) if isinstance(col, Const) else python_values(col)
        except Unsupported as e:
            skipped[name] = str(e)
            continue
        bad = getattr(col, "unsure", None)
        for mask in (getattr(col, "odd", None), getattr(col, "loose", None)):
            bad = bad if mask is None else bad | mask
        if bad is not None and bad.any():
            unsure[record[bad]] = True
        if kind == "scalar":
            values[name] = python
        else:
            try:
                labels = _labels(policy.values[name], kind, extra, n, batch.columns.P)
                values[name] = PerItem(labels, python, record, n)
            except Unsupported as e:
                skipped[name] = str(e)
    return values, unsure, skipped


def _records(kind: str, extra, n: int) -> np.ndarray:
    if kind == "items":
        return extra.record
    if kind == "nested":
        return extra.frame.record
    return np.repeat(np.arange(n), len(extra))


def constant(col: Const, size: int) -> list:
    """A value that is a constant (`(maks - ambang) / tiga`, a parameter): the same on every row."""
    if col.value is not None and type(col.value) not in (Decimal, str, bool):
        raise Unsupported("a constant that is not a number, text or condition")
    return [col.value] * size


def python_values(col):
    """The column as Python values of the per-record path (None where missing), read by index."""
    if isinstance(col, Dec):
        if not col.faithful:
            raise Unsupported("a number whose digits are not known")
        return _missing_as_none(col.d.tolist(), col.miss)
    if isinstance(col, Num):
        if col.exact is None:
            raise Unsupported("an unrounded number")
        return Exact(col)
    if isinstance(col, (Text, Bool)):
        return _missing_as_none(col.v.tolist(), col.miss)
    if isinstance(col, Day):
        return python_dates(col)
    raise Unsupported("a value that is not a number, text, condition or date")


class Exact:
    """Exact numbers k·10⁻ⁿ as the Decimals the per-record path gives (`Decimal(k).scaleb(−n)`: the
    digits `quantize` gives; −0 where the sign says so), each made when read."""

    def __init__(self, col: Num):
        self.k, self.places = col.exact       # arrays: a row's number is made when read
        self.miss = col.miss
        zeros = (self.k == 0) & (col.zero_sign < 0) if col.zero_sign is not None else None
        self.negative = set(np.flatnonzero(zeros).tolist()) if zeros is not None else ()

    def __len__(self):
        return len(self.k)

    def __getitem__(self, i):
        if self.miss[i]:
            return None
        return Decimal("-0" if i in self.negative else int(self.k[i])).scaleb(-self.places)


def _missing_as_none(values: list, miss: np.ndarray) -> list:
    """A missing value is None in a Result (safe mode's missing, never an error: the columns model
    no operation that raises)."""
    for i in np.flatnonzero(miss).tolist():
        values[i] = None
    return values


class PerItem:
    """Each record's {label: value} of a per-item value, the items in data order, made when read."""

    def __init__(self, labels: list, values, record: np.ndarray, n: int):
        self.labels, self.values, self.by_record = labels, values, ByRecord(record, n)

    def __getitem__(self, r):
        return {self.labels[x]: self.values[x] for x in self.by_record.rows(r)}


def _labels(info, kind: str, extra, n: int, P: dict) -> list[str]:
    key = info.entry.data.get("key")
    if kind == "nested":
        return _nested_labels(key, extra)
    var = info.bound[0]
    m = _SIMPLE_KEY.match(key) if isinstance(key, str) else None
    if kind == "elems":
        if key is None:
            raise Unsupported("labels of a parameter list without a key")
        if m and m.group(1) == var and m.group(2) is None and all(isinstance(v, str) for v in extra):
            return list(extra) * n
        if info.label_reads == [] and info.key is not None:     # the element's own label ("Q{q}")
            return [info.key(None, P, {}, v) for v in extra] * n
        raise Unsupported("a key template reading more than the element")
    table = extra
    if key is None:
        return [render(item) for item in table.objs]
    if m and m.group(1) == var and m.group(2) is not None:
        kind_, col = table.columns.get(m.group(2), (None, None))
        if kind_ == "string" and None not in col:
            return list(col)
    raise Unsupported("a key template other than {i.field} of a text field")


_PLACEHOLDER = re.compile(r"\{\s*([A-Za-z_]\w*)\.([A-Za-z_]\w*)\s*\}")


def _nested_labels(key, nested) -> list[str]:
    """The labels of a nested for_each's binding tuples from a key of text fields of its variables
    and plain text between them (`"{i.code} {p.period}"`: each field's text itself, as the template
    renders a text); anything else (no key, a number field, a missing text, braces) has no form."""
    if not isinstance(key, str):
        raise Unsupported("labels of a nested for_each without a key")
    pieces, fields, at = [], [], 0
    for m in _PLACEHOLDER.finditer(key):
        pieces.append(key[at:m.start()])
        fields.append(_label_texts(nested, m.group(1), m.group(2)))
        at = m.end()
    pieces.append(key[at:])
    if any("{" in p or "}" in p for p in pieces) or not fields:
        raise Unsupported("a key template other than {x.field} of text fields")
    labels = [pieces[0]] * nested.frame.size
    for texts, piece in zip(fields, pieces[1:]):
        labels = [a + b + piece for a, b in zip(labels, texts)]
    return labels


def _label_texts(nested, var: str, name: str) -> list[str]:
    bound = nested.frame.names.get(var) if var in nested.variables else None
    if not isinstance(bound, Items) or bound.prefix or bound.miss is not None:
        raise Unsupported("a key reading other than a loop variable's field")
    kind, col = bound.table.columns.get(name, (None, None))
    if kind != "string" or None in col or not all(type(x) is str for x in col):
        raise Unsupported("a key field that is not always text")
    return [col[j] for j in bound.idx.tolist()]

