"""Lists computed per record: `distinct(x.f for x in C)` and `list(x for x in C where …)` as new
tables, so that a for_each or an aggregate can go through them like a data list.

A distinct list becomes a table of its values (first appearance in data order, missing values
skipped, as in safe mode); a filtered list of items becomes a table of the chosen rows that remembers
which rows of the data table they are (`base`), so per-item values of the data table can be read by
its items. Both are made only in the records' own frame: one list per record.
"""
from __future__ import annotations

import numpy as np

from .frames import Collection, Items
from .tables import Table
from .vectors import Text, Unsupported


def derived(columns, node, frame) -> Collection:
    if frame.size != len(columns.root.objs) or not np.array_equal(frame.record, np.arange(frame.size)):
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
        return _distinct(body, keep, inner.record, frame.size)
    raise Unsupported(f"{node.func} of this body")


def _subset(base: Table, rows: np.ndarray, record: np.ndarray, n: int) -> Collection:
    table = Table(base.path, [base.objs[j] for j in rows.tolist()], record, base.parent)
    table.columns = {k: (kind, [vals[j] for j in rows.tolist()]) for k, (kind, vals) in base.columns.items()
                     if kind not in ("array",)}
    table.base = (base, rows)
    table.numbers = base.numbers
    return _collection(table, record, n)


def _distinct(body: Text, keep: np.ndarray, record: np.ndarray, n: int) -> Collection:
    keep = keep & ~body.miss
    if body.unsure[keep].any():
        raise Unsupported("unsure list items")
    values, rec = body.v[keep], record[keep]
    if not len(values):
        empty = Table(("<distinct>",), [], rec)
        empty.columns[""] = ("string", [])
        return _collection(empty, rec, n)
    _, codes = np.unique(values.astype(str), return_inverse=True)
    pair = rec.astype(np.int64) * (int(codes.max()) + 1) + codes
    _, first = np.unique(pair, return_index=True)
    first.sort()
    chosen = values[first].tolist()
    table = Table(("<distinct>",), chosen, rec[first])
    table.columns[""] = ("string", chosen)
    return _collection(table, rec[first], n)


def _collection(table: Table, record: np.ndarray, n: int) -> Collection:
    count = np.bincount(record, minlength=n).astype(np.int64)
    table.count, table.absent = count, np.zeros(n, bool)
    table.start = np.concatenate(([0], np.cumsum(count)[:-1])).astype(np.int64)
    table.owner = record
    return Collection(table, np.arange(n))
