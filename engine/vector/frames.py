"""Frames: the rows an expression is evaluated over, and the aggregates that fold a child frame back.

The root frame has one row per record. A `for_each` or an aggregate over a collection makes a child
frame with one row per (parent row, item) pair, in data order, and binds the loop variable: to
`Items` (rows of a data table) or to `Elems` (elements of a parameter list). Every variable visible
in the parent is carried into the child by indexing (`take`), so an expression always reads columns
of its own frame. Aggregates fold a child frame into its parent with segment sums (np.bincount),
following safe mode: elements whose `where` is not true or whose body is missing are skipped.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import compress

import numpy as np

from .tables import Table, nones
from .vectors import MAX_SAFE, Bool, Num, Text, Unsupported, falses, num_from_floats, rounding_term


@dataclass
class Items:
    """Rows of a data table (a record, an IKU, a period), one per frame row."""

    table: Table
    idx: np.ndarray
    prefix: str = ""                 # a nested object's fields: "unit." for contract.unit
    miss: np.ndarray | None = None   # rows where that nested object is absent

    def take(self, idx):
        return Items(self.table, self.idx[idx], self.prefix, None if self.miss is None else self.miss[idx])


@dataclass
class Elems:
    """Elements of a parameter list, one per frame row."""

    values: list
    idx: np.ndarray

    def take(self, idx):
        return Elems(self.values, self.idx[idx])


@dataclass
class Objs:
    """Python objects looked up in parameters (a row of a limits table), one per frame row."""

    values: np.ndarray
    miss: np.ndarray
    unsure: np.ndarray

    def take(self, idx):
        return Objs(self.values[idx], self.miss[idx], self.unsure[idx])


@dataclass
class Collection:
    """The collection an aggregate or for_each goes through: a data table's items under each frame
    row's owner (`owner` indexes `table.parent` rows), or a parameter list."""

    table: Table | None = None
    owner: np.ndarray | None = None
    values: list | None = None

    def take(self, idx):
        return Collection(self.table, None if self.owner is None else self.owner[idx], self.values)


class Frame:
    def __init__(self, size: int, record: np.ndarray, names: dict):
        self.size = size
        self.record = record
        self.names = names          # variable -> Items | Elems | a column

    def child(self, var: str, coll: Collection) -> tuple["Frame", np.ndarray, np.ndarray]:
        """The frame of `var` going through `coll` under each row, the parent row of each child row,
        and which parent rows had no collection at all (an absent list: missing, not empty)."""
        if coll.values is not None:
            k = len(coll.values)
            up = np.repeat(np.arange(self.size), k)
            bound = Elems(coll.values, np.tile(np.arange(k), self.size))
            absent = falses(self.size)
        else:
            t = coll.table
            counts = t.count[coll.owner]
            up = np.repeat(np.arange(self.size), counts)
            first = np.cumsum(counts) - counts
            idx = np.arange(len(up)) + np.repeat(t.start[coll.owner] - first, counts)
            bound = Items(t, idx.astype(np.int64))
            absent = t.absent[coll.owner]
        names = {n: v.take(up) for n, v in self.names.items()}
        names[var] = bound
        return Frame(len(up), self.record[up], names), up, absent

    def with_names(self, names: dict) -> "Frame":
        return Frame(self.size, self.record, names)


def column(table: Table, name: str) -> Num | Text | Bool | None:
    """A field of every row of `table` as a column (made once per table and field)."""
    cache = table.__dict__.setdefault("_vectors", {})
    if name in cache:
        return cache[name]
    if name not in table.columns:
        return None
    kind, values = table.columns[name]
    miss = nones(values)
    if kind == "number|string":      # a column of one of the two is that column; a mix has no form
        present = {type(x) for x in values} - {type(None)}
        kind = "string" if present == {str} else "number" if present and str not in present else None
    if kind in ("number", "integer"):
        vec = num_from_floats(floats_of(values, miss), miss)
        if getattr(table, "exact_numbers", False):
            vec.exact = exact_of(values)
    elif kind == "string":
        vec = Text(np.array(values, dtype=object), miss, falses(len(values)))
    elif kind == "boolean":
        vec = Bool(np.array([bool(x) for x in values], dtype=bool), miss, falses(len(values)))
    else:
        vec = None
    cache[name] = vec
    return vec


def floats_of(values: list, miss: np.ndarray) -> np.ndarray:
    """The numbers of a list as floats (0 where missing), converting only the present ones."""
    if not miss.any():
        return np.fromiter(map(float, values), np.float64, len(values))
    floats = np.zeros(len(values))
    present = ~miss
    floats[present] = np.fromiter(map(float, compress(values, present.tolist())), np.float64, int(present.sum()))
    return floats


def exact_of(values: list):
    """(k, n) with every present value exactly k·10⁻ⁿ and written so, when they are all Decimals of
    one exponent (the digits are then the same); else None. A Python pass: for parameters, and for
    the second, exact look at records the float pass left unsure."""
    present = set(values) - {None}
    if not present or {type(x) for x in present} != {Decimal}:
        return None
    exponents = {x.as_tuple().exponent for x in present}
    if len(exponents) != 1 or not isinstance(min(exponents), int) or not -15 <= min(exponents) <= 0:
        return None
    places = -min(exponents)
    k = [0 if x is None else int(x.scaleb(places)) for x in values]
    if max(map(abs, k), default=0) >= MAX_SAFE:
        return None
    return np.array(k, dtype=np.int64), places


def vector_of(values: list) -> Num | Text | Bool | Objs:
    """Python values (from parameters) as a column of the type they all share."""
    miss = np.fromiter((x is None for x in values), bool, len(values))
    present = {type(x) for x in values} - {type(None)}
    n = len(values)
    if present <= {Decimal}:
        vec = num_from_floats(floats_of(values, miss), miss)
        vec.exact = exact_of(values)
        return vec
    if present <= {str}:
        return Text(np.array(values, dtype=object), miss, falses(n))
    if present <= {bool}:
        return Bool(np.array([bool(x) for x in values], dtype=bool), miss, falses(n))
    if present <= {dict}:
        objs = np.empty(n, dtype=object)
        objs[:] = values
        return Objs(objs, miss, falses(n))
    raise Unsupported("parameter values of mixed types")


def scalar(x):
    """Elements of a parameter list of numbers or text as a column (lists of records stay `Elems`)."""
    if isinstance(x, Elems) and not any(isinstance(v, (dict, list)) for v in x.values):
        return vector_of(x.values).take(x.idx)
    return x


def fold(func: str, body, include: np.ndarray, up: np.ndarray, size: int, absent: np.ndarray):
    """Aggregate `func` of `body` over the included child rows, into `size` parent rows."""
    unsure = np.bincount(up, weights=body.unsure & include, minlength=size) > 0
    if func in ("any", "all"):
        return _three_valued(func, body, include, up, size, absent, unsure)
    keep = include & ~body.miss
    n = np.bincount(up, weights=keep, minlength=size)
    if func == "count":
        return Num(n.astype(float), np.zeros(size), absent, unsure & ~absent, (n.astype(np.int64), 0))
    if not isinstance(body, Num):
        raise Unsupported(f"{func} of a non-number")
    if func in ("sum", "avg"):
        w = np.where(keep, body.v, 0.0)
        total = np.bincount(up, weights=w, minlength=size)
        magnitude = np.bincount(up, weights=np.abs(w), minlength=size)
        err = np.bincount(up, weights=np.where(keep, body.e, 0.0), minlength=size)
        err = err + n * rounding_term(magnitude, err)      # n additions, each bounded by δ·Σ|x|
        if func == "sum":
            exact = _exact_sum(body, keep, up, size, n, absent, unsure)
            return exact if exact is not None else Num(total, err, absent, unsure & ~absent)
        empty = n == 0
        mean = total / np.where(empty, 1, n)
        e = err / np.where(empty, 1, n)
        return Num(mean, e + rounding_term(mean, e), absent | empty, unsure & ~absent & ~empty)
    if func in ("min", "max"):
        fill = np.inf if func == "min" else -np.inf
        best = np.full(size, fill)
        (np.minimum if func == "min" else np.maximum).at(best, up[keep], body.v[keep])
        err = np.zeros(size)
        np.maximum.at(err, up[keep], body.e[keep])
        empty = n == 0
        return Num(np.where(empty, 0.0, best), err, absent | empty, unsure & ~absent & ~empty)
    raise Unsupported(f"aggregate {func}")


def _exact_sum(body: Num, keep, up, size: int, n, absent, unsure):
    """The sum of exact numbers, exactly: float sums of integers stay exact below 2⁵³ (checked on the
    whole column). An empty sum is the Decimal 0, without places: marked `odd`."""
    if body.exact is None:
        return None
    k, places = body.exact
    k = np.where(keep, k, 0).astype(np.float64)
    if np.abs(k).sum() >= MAX_SAFE:
        return None
    total = np.rint(np.bincount(up, weights=k, minlength=size))
    v = total / 10.0 ** places
    return Num(v, np.abs(v) * 2.0 ** -53, absent, unsure & ~absent, (total.astype(np.int64), places), None, n == 0)


def _three_valued(func, body, include, up, size, absent, unsure) -> Bool:
    if not isinstance(body, Bool):
        raise Unsupported(f"{func} of a non-condition")
    decisive = func == "any"
    hit = include & ~body.miss & (body.v == decisive)
    decided = np.bincount(up, weights=hit, minlength=size) > 0
    missing = np.bincount(up, weights=include & body.miss, minlength=size) > 0
    value = np.where(decided, decisive, not decisive)
    return Bool(value, absent | (~decided & missing), unsure & ~absent)
