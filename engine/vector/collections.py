"""Lists computed per record: `distinct(x.f for x in C)` and `list(x for x in C where …)` as new
tables, so that a for_each or an aggregate can go through them like a data list.

A distinct list becomes a table of its values (first appearance in data order, missing values
skipped, as in safe mode); a filtered list of items becomes a table of the chosen rows that remembers
which rows of the data table they are (`base`), so per-item values of the data table can be read by
its items. Both are made only in the records' own frame: one list per record.
"""
from __future__ import annotations

import numpy as np

from ..lang import syntax
from .frames import Collection, Items
from .grouped import _codes as grouped_codes, _groups as grouped_pairs
from .tables import Table
from .vectors import Text, Unsupported, identity


def derived(columns, node, frame) -> Collection:
    if frame.size != columns.top.size or frame.record is not columns.top.record:
        raise Unsupported(f"{node.func}(…) inside a loop")
    coll = columns.collection(columns.eval(node.collection, frame))
    inner, up, absent = frame.child(node.var, coll)
    if absent.any() or coll.table is None:
        raise Unsupported(f"{node.func}(…) of a list some records lack")
    keep = np.ones(inner.size, bool)
    if node.where is not None:
        w = columns.as_bool(columns.eval(node.where, inner), inner)
        if w.unsure.any():
            raise Unsupported("an unsure filter")
        keep = w.v & ~w.miss
    body = columns.eval(node.body, inner)
    if node.func == "list" and isinstance(body, Items) and body.table is coll.table and not body.prefix:
        return _subset(coll.table, body.idx[keep], inner.record[keep], frame.size)
    if node.func == "distinct" and isinstance(body, Text):
        return _distinct(body, keep, inner.record, frame.size, _field_codes(node, coll, body, inner.record))
    raise Unsupported(f"{node.func} of this body")


def _subset(base: Table, rows: np.ndarray, record: np.ndarray, n: int) -> Collection:
    table = Table(base.path, [base.objs[j] for j in rows.tolist()], record, base.parent)
    table.columns = {k: (kind, [vals[j] for j in rows.tolist()]) for k, (kind, vals) in base.columns.items()
                     if kind not in ("array",)}
    table.base = (base, rows)
    table.numbers = base.numbers
    return _collection(table, record, n)


def _field_codes(node, coll: Collection, body: Text, record: np.ndarray):
    """(words, each row's code, each row's (record, code) pair or None, the pairs' width) of the
    distinct's body: a data field's codes and pairs (made once per table and field, grouped.py: a
    rule grouping by the field reuses them), or the body's own."""
    if isinstance(node.body, syntax.Member) and isinstance(node.body.obj, syntax.Name) and node.body.obj.id == node.var:
        codes, item_code = grouped_codes(coll.table, node.body.name, body)
        pair = grouped_pairs(coll.table, node.body.name, record, item_code, len(codes) + 1)
        return list(codes), item_code, pair, len(codes) + 1
    if body.codes is not None:
        return body.words, body.codes, None, len(body.words)
    codes = {w: i for i, w in enumerate(dict.fromkeys(body.v.tolist()))}
    return list(codes), np.fromiter(map(codes.__getitem__, body.v.tolist()), np.int64, len(body.v)), None, len(codes)


def _distinct(body: Text, keep: np.ndarray, record: np.ndarray, n: int, encoded) -> Collection:
    """Each record's distinct present values, in the order they first appear: the first row of each
    (record, code) pair."""
    words, codes, pair, width = encoded
    keep = keep & ~body.miss
    if body.unsure[keep].any():
        raise Unsupported("unsure list items")
    if keep.all():
        rows = identity(len(keep))
        pair = _pairs(record, codes, width) if pair is None else pair
    else:
        rows = np.flatnonzero(keep)
        pair = _pairs(record[rows], codes[rows], width)
    chosen = _in_order(_firsts(rows, pair, width, n), len(keep))
    picked = codes[chosen]
    lookup = np.empty(len(words) + 1, dtype=object)     # the texts by their words, not from every row's
    lookup[:-1] = words
    texts = lookup[picked]
    values = texts.tolist()
    rec = record[chosen]
    table = Table(("<distinct>",), values, rec)
    table.columns[""] = ("string", values)
    table.__dict__["_vectors"] = {"": Text(texts, np.zeros(len(chosen), bool), np.zeros(len(chosen), bool),
                                           words, picked)}
    return _collection(table, rec, n)


def _in_order(rows: np.ndarray, size: int) -> np.ndarray:
    """Distinct row numbers below `size`, ascending: marked and listed (one pass, not a sort)."""
    marked = np.zeros(size, bool)
    marked[rows] = True
    return np.flatnonzero(marked)


def _pairs(record: np.ndarray, codes: np.ndarray, width: int) -> np.ndarray:
    pair = record * width if record.dtype == np.int64 else record.astype(np.int64) * width
    pair += codes
    return pair


def _firsts(rows: np.ndarray, pair: np.ndarray, width: int, n: int) -> np.ndarray:
    """The first of `rows` of each (record, code) `pair` (record · width + code): the least row of
    each pair (np.minimum.at, which takes every repeated index into account), over a dense table of
    pairs when it is small."""
    if n * width > 4 * len(rows) + 4096:
        _, at = np.unique(pair, return_index=True)
        return rows[at]
    none = np.iinfo(np.int64).max
    first = np.full(n * width, none, np.int64)
    np.minimum.at(first, pair, rows)
    return first[first < none]


def _collection(table: Table, record: np.ndarray, n: int) -> Collection:
    count = np.bincount(record, minlength=n).astype(np.int64)
    table.count, table.absent = count, np.zeros(n, bool)
    table.start = np.concatenate(([0], np.cumsum(count)[:-1])).astype(np.int64)
    table.owner = record
    return Collection(table, identity(n))
