"""Aggregates of the form `f(body for x in C where x.field == key)` inside a loop, answered by groups.

Inside a for_each over perspectives (or over the distinct SS of a record), such an aggregate would
go through every item of the record once per loop row: records × loop rows × items. When neither
the body nor the field side of the `where` reads a loop variable, the body is evaluated once per
item of the collection and folded into groups of (record, field value); each loop row then reads the
group of its own (record, key). The result is the same fold over the same elements in the same
order, the per-record path's `f_group` done as columns.
"""
from __future__ import annotations

import numpy as np

from ..lang import syntax
from .decimals import Dec
from .folds import fold
from .frames import Elems, Frame, Items
from .vectors import Bool, Num, same


def grouped(columns, node: syntax.Aggregate, frame: Frame):
    """The aggregate's column over `frame`, or None if it is not of the grouped form."""
    found = _split(node, set(frame.names))
    if found is None or not frame.names:
        return None
    field_side, key_side = found
    coll = columns.collection(columns.eval(node.collection, frame))
    if coll.table is None or coll.table.parent is not columns.root:
        return None
    key = columns.eval(key_side, frame)
    key = columns.as_text(key, frame) if not isinstance(key, (Num, Dec)) else None
    if key is None:
        return None
    top = columns.top
    n = top.size
    inner, up, _ = top.child(node.var, type(coll)(coll.table, top.record))
    values = columns.as_text(columns.eval(field_side, inner), inner)
    body = _body(columns, node, inner)
    codes, item_code = _codes(coll.table, field_side.name, values)
    row_code = _key_codes(key, codes, frame.size)
    width = len(codes) + 1           # the last code of each record is an empty group
    group = _groups(coll.table, field_side.name, inner.record, item_code, width)
    unknown = (row_code < 0) | key.miss
    if unknown.any():
        row_code = np.where(unknown, width - 1, row_code)   # a missing key matches nothing
    groups = fold(node.func, body, ~values.miss, group, n * width, same(np.False_, n * width),
                  lambda: _counts(coll.table, field_side.name, group, n * width))
    out = groups.take(frame.record * width + row_code)
    out.unsure = out.unsure | key.unsure
    absent = coll.table.absent
    if absent.any():
        out.miss = out.miss | absent[coll.owner]
    return out


def _codes(table, field: str, values) -> tuple[dict, np.ndarray]:
    """The distinct values of a text field of a data table, numbered, and each row's number (made once
    per table and field: a loop's aggregates often group by the same field)."""
    cache = table.__dict__.setdefault("_group_codes", {})
    if field not in cache:
        if values.codes is not None:       # dictionary-encoded already (−1 missing: no group)
            codes = {w: i for i, w in enumerate(values.words)}
            item_code = np.where(values.codes < 0, len(codes), values.codes) if values.miss.any() else values.codes
            cache[field] = codes, item_code
        else:
            field_values = values.v.tolist()
            codes = {v: i for i, v in enumerate(dict.fromkeys(field_values))}
            cache[field] = codes, np.fromiter(map(codes.__getitem__, field_values), np.int64, len(field_values))
    return cache[field]


def _groups(table, field: str, record: np.ndarray, item_code: np.ndarray, width: int) -> np.ndarray:
    """Each item's group, record · width + its field's number (made once per table and field)."""
    cache = table.__dict__.setdefault("_groups", {})
    if field not in cache:
        group = record * width
        group += item_code
        cache[field] = group
    return cache[field]


def _counts(table, field: str, group: np.ndarray, size: int) -> np.ndarray:
    """The items of each group (made once per table and field: the sums of a weighted mean share it)."""
    cache = table.__dict__.setdefault("_group_counts", {})
    if field not in cache:
        cache[field] = np.bincount(group, minlength=size)
    return cache[field]


def _key_codes(key, codes: dict, n: int) -> np.ndarray:
    """Each loop row's key as a group code (−1: no item has it), through the key's own words when it
    is dictionary-encoded (a parameter list, a distinct list) rather than row by row."""
    if key.codes is not None:
        words = np.fromiter((codes.get(w, -1) for w in key.words), np.int64, len(key.words))
        if not len(words):
            return np.full(n, -1)
        if not key.miss.any() and (words >= 0).all() and key.codes.min(initial=0) >= 0:   # every row a word items have
            return words[key.codes]
        return np.where(key.codes < 0, -1, words[np.maximum(key.codes, 0)])
    return np.fromiter(map(codes.get, key.v.tolist(), [-1] * n), np.int64, n)


def _body(columns, node: syntax.Aggregate, inner: Frame):
    body = columns.eval(node.body, inner)
    if node.func == "count" and isinstance(body, (Items, Elems)):     # every item, none missing (views)
        return Bool(same(np.True_, inner.size), same(np.False_, inner.size), same(np.False_, inner.size))
    if node.func in ("any", "all"):
        return columns.as_bool(body, inner)
    return columns.as_num(body, inner)


def _split(node: syntax.Aggregate, loop_vars: set):
    """(x.field side, key side) of `where x.field == key` when only the key reads the loop."""
    w = node.where
    if not (isinstance(w, syntax.Binary) and w.op == "=="):
        return None
    if syntax.free_name_ids(node.body, frozenset()) & loop_vars - {node.var} or node.var in loop_vars:
        return None
    if syntax.free_name_ids(node.collection) & loop_vars:
        return None
    for field_side, key in ((w.left, w.right), (w.right, w.left)):
        if (isinstance(field_side, syntax.Member) and isinstance(field_side.obj, syntax.Name)
                and field_side.obj.id == node.var and node.var not in syntax.free_name_ids(key)):
            return field_side, key
    return None

