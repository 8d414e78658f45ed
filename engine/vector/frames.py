"""Frames: the rows an expression is evaluated over, and the columns of data they read.

The root frame has one row per record. A `for_each` or an aggregate over a collection makes a child
frame with one row per (parent row, item) pair, in data order, and binds the loop variable: to
`Items` (rows of a data table) or to `Elems` (elements of a parameter list). Every variable visible
in the parent is carried into the child by indexing (`take`), so an expression always reads columns
of its own frame. Aggregates fold a child frame back into its parent: folds.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import compress

import numpy as np

from . import decimals
from .decimals import Dec
from .tables import Table, encoded, floats_of, nones
from .vectors import (MAX_SAFE, Bool, Num, Text, Unsupported, encode, falses, identity, num_from_floats,
                      rows_at, same)


@dataclass
class Items:
    """Rows of a data table (a record, an IKU, a period), one per frame row."""

    table: Table
    idx: np.ndarray
    prefix: str = ""                 # a nested object's fields: "unit." for contract.unit
    miss: np.ndarray | None = None   # rows where that nested object is absent

    def take(self, idx):
        return Items(self.table, rows_at(self.idx, idx), self.prefix, None if self.miss is None else self.miss[idx])


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

    values: list                 # the distinct objects; row i has values[codes[i]] (None where −1)
    codes: np.ndarray
    miss: np.ndarray
    unsure: np.ndarray

    def take(self, idx):
        return Objs(self.values, self.codes[idx], self.miss[idx], self.unsure[idx])


@dataclass
class Collection:
    """The collection an aggregate or for_each goes through: a data table's items under each frame
    row's owner (`owner` indexes `table.parent` rows), or a parameter list. `filled`: an absent data
    list is an empty one (`coalesce(list, [])`), not missing."""

    table: Table | None = None
    owner: np.ndarray | None = None
    values: list | None = None
    filled: bool = False

    def take(self, idx):
        return Collection(self.table, None if self.owner is None else self.owner[idx], self.values, self.filled)


class Frame:
    def __init__(self, size: int, record: np.ndarray, names: dict):
        self.size = size
        self.record = record
        self.names = names          # variable -> Items | Elems | a column

    def child(self, var: str, coll: Collection) -> tuple["Frame", np.ndarray, np.ndarray]:
        """The frame of `var` going through `coll` under each row, the parent row of each child row,
        and which parent rows had no collection at all (an absent list: missing, not empty). Made
        once per frame, variable and collection (aggregates over `contract.iku` share it, and so
        the columns computed on it)."""
        key = (var, id(coll.table), id(coll.owner), id(coll.values), coll.filled)
        cache = self.__dict__.setdefault("_children", {})
        if key not in cache:
            cache[key] = (coll, self._child(var, coll))
        return cache[key][1]

    def _child(self, var: str, coll: Collection):
        if coll.values is not None:
            k = len(coll.values)
            up = np.repeat(np.arange(self.size), k)
            bound = Elems(coll.values, np.tile(np.arange(k), self.size))
            absent = falses(self.size)
        else:
            t = coll.table
            if t.parent is not None and self.size == t.parent.size and coll.owner is identity(self.size):
                up, idx = t.owner, identity(t.size)      # every item of every parent row, in order
            else:
                counts = t.count[coll.owner]
                up = np.repeat(np.arange(self.size), counts)
                first = np.cumsum(counts) - counts
                idx = (np.arange(len(up)) + np.repeat(t.start[coll.owner] - first, counts)).astype(np.int64)
            bound = Items(t, idx)
            absent = falses(self.size) if coll.filled else t.absent[coll.owner]
        names = {n: v.take(up) for n, v in self.names.items()}
        names[var] = bound
        record = up if self.record is identity(self.size) else self.record[up]
        return Frame(len(up), record, names), up, absent

    def take(self, rows: np.ndarray) -> "Frame":
        """The frame of some of its rows (the rows taking one branch of an `if`)."""
        return Frame(len(rows), rows_at(self.record, rows), {n: v.take(rows) for n, v in self.names.items()})

    def with_names(self, names: dict) -> "Frame":
        return Frame(self.size, self.record, names)


class ByRecord:
    """Rows of a frame grouped by their batch record, each record's in data order: `rows(r)` are the
    positions (0 … len(record) − 1) whose record is r (a per-item output's items, a rule's failing
    rows), found by one search instead of a scan per record."""

    def __init__(self, record: np.ndarray, n: int):
        self.order = np.argsort(record, kind="stable") if len(record) and (np.diff(record) < 0).any() else None
        self.starts = np.searchsorted(record if self.order is None else record[self.order], np.arange(n + 1))

    def rows(self, r: int):
        start, stop = int(self.starts[r]), int(self.starts[r + 1])
        return range(start, stop) if self.order is None else self.order[start:stop].tolist()


def column(table: Table, name: str) -> Num | Text | Bool | None:
    """A field of every row of `table` as a column (made once per table and field), numbers as
    `table.numbers` says (tables.from_dicts)."""
    cache = table.__dict__.setdefault("_vectors", {})
    if name not in cache:
        if name not in table.columns:
            return None
        base = table.__dict__.get("base")     # rows of a data table chosen by a filter (collections.py)
        cache[name] = _column(table, name) if base is None else _rows_of(column(base[0], name), base[1])
    vec = cache[name]
    if isinstance(vec, Num) and table.numbers == "decimal":
        vec = cache[name] = decimals.dec_of(vec)       # Arrow columns: exact scaled integers
    return vec


def data_decimals(table, name: str) -> Dec:
    """A data field of every row of `table` as the records' Decimals (made once per table and field):
    a dict record's numbers themselves, an Arrow column's exact scaled integers."""
    cache = table.__dict__.setdefault("_digits", {})
    if name not in cache:
        base = table.__dict__.get("base")     # rows of a data table chosen by a filter (collections.py)
        values = table.columns[name][1]
        if base is not None:
            cache[name] = data_decimals(base[0], name).take(base[1])
        elif isinstance(values, list):
            cache[name] = decimals.from_values(values)
        else:
            cache[name] = decimals.promoted(column(table, name))
    return cache[name]


def _rows_of(vec, rows: np.ndarray):
    return None if vec is None else vec.take(rows)


def _column(table: Table, name: str):
    kind, values = table.columns[name]
    miss = table.missing[name] if name in table.missing else nones(values)
    if kind == "number|string":      # a column of one of the two is that column; a mix has no form
        present = {type(x) for x in values} - {type(None)}
        kind = "string" if present == {str} else "number" if present and str not in present else None
    if kind in ("number", "integer"):
        if table.numbers == "decimal":      # the last pass: the Decimals themselves
            return decimals.from_values(values)
        vec = decimal_floats(values, miss, table.floats.get(name))
        if kind == "integer":     # whole (the column check): below 2⁵² a float that is the number itself
            vec.e[np.abs(vec.v) < MAX_SAFE] = 0.0
        if table.numbers == "scaled":
            vec = with_exact(vec, values)
    elif kind == "string":
        vec = _texts(table, name, values, miss)
    elif kind == "boolean":
        vec = Bool(np.array([bool(x) for x in values], dtype=bool), miss, falses(len(values)))
    else:
        vec = None
    return vec


def _texts(table: Table, name: str, values: list, miss: np.ndarray) -> Text:
    """A text column of data, dictionary-encoded (its distinct words, numbered in order of first
    appearance, and each row's code; tables.encoded, made once, or already by the enum check):
    compared and grouped by code, the strings listed only if read."""
    types = table.types[name] if name in table.types else set(map(type, values))
    if not types <= {str, type(None)}:
        return Text(np.array(values, dtype=object), miss, falses(len(values)))
    words, codes = encoded(table, name, values)
    return Text(None, miss, falses(len(values)), words, codes)


def decimal_floats(values: list, miss: np.ndarray, floats: np.ndarray | None = None) -> Num:
    """Numbers (Decimals) as floats with their bounds (`floats`: their floats, when made already by
    tables.from_dicts); a float 0 is exact only for a zero (1E-400 is 0 as a float: its bound is
    then the least float above 0, which no float test can pass)."""
    vec = num_from_floats(floats_of(values, miss) if floats is None else floats, miss)
    zeros = np.flatnonzero((vec.v == 0) & ~miss)
    if len(zeros):
        vec.e[[i for i in zeros.tolist() if values[i] != 0]] = 5e-324
    return vec


def with_exact(vec: Num, values: list) -> Num:
    """`vec` (the floats of `values`) with exact scaled integers where every present value is a
    Decimal (or a Python int) of at most 15 places: k = rint(float(x)·10ⁿ) is exact there, float(x)
    being correctly rounded and |k| below 2⁵⁰ (rows beyond that are loose). Rows written with another exponent than
    10⁻ⁿ (1.5 beside 2.25) are `odd`: the same value, other digits. Each value's exponent is found by
    `same_quantum` against the few exponents the column has (a C loop per exponent)."""
    present = values if not vec.miss.any() else list(compress(values, (~vec.miss).tolist()))
    types = set(map(type, present))
    if not present or not types <= {Decimal, int}:
        return vec
    if int in types:         # Python ints of the caller's records: the Decimals the per-record path reads
        present = [Decimal(x) if type(x) is int else x for x in present]
    written = _exponents(present)
    if written is None:
        return vec
    places = int(max(0, -written.min()))
    if places > 15:
        return vec
    k = np.rint(vec.v * 10.0 ** places)
    over = np.abs(k) >= 2.0 ** 50
    exponent = np.zeros(len(values), np.int64)
    exponent[~vec.miss] = written
    vec.exact = (np.where(over | vec.miss, 0, k).astype(np.int64), places)
    vec.odd = ~vec.miss & (exponent != -places)
    vec.loose = over if over.any() else None
    signed = (x is not None and type(x) is not int and x.is_signed() for x in values)
    vec.zero_sign = np.fromiter(signed, bool, len(values)) if (k == 0).any() else None
    if vec.zero_sign is not None:
        vec.zero_sign = np.where(vec.zero_sign, -1, 1).astype(np.int8)
    return vec


def _exponents(present: list) -> np.ndarray | None:
    """The exponent each Decimal is written with (None beyond 8 distinct ones or any not finite)."""
    exponent = np.zeros(len(present), np.int64)
    left = np.arange(len(present))
    for _ in range(8):
        if not len(left):
            return exponent
        e = present[int(left[0])].as_tuple().exponent
        if not isinstance(e, int):
            return None
        quantum = Decimal(1).scaleb(e)
        same = np.fromiter(map(quantum.same_quantum, [present[i] for i in left.tolist()]), bool, len(left))
        exponent[left[same]] = e
        left = left[~same]
    return None if len(left) else exponent


def vector_of(values: list) -> Num | Text | Bool | Objs:
    """Python values (from parameters) as a column of the type they all share."""
    miss = np.fromiter((x is None for x in values), bool, len(values))
    present = {type(x) for x in values} - {type(None)}
    n = len(values)
    if present <= {Decimal}:     # parameters: bound 0 where one equals its float (Decimal == float is exact)
        vec = decimal_floats(values, miss)
        vec.e[np.fromiter((x is not None and x == v for x, v in zip(values, vec.v.tolist())), bool, n)] = 0.0
        return with_exact(vec, values)
    if present <= {str}:
        return encoded_text(values, miss)
    if present <= {bool}:
        return Bool(np.array([bool(x) for x in values], dtype=bool), miss, falses(n))
    if present <= {dict}:
        return Objs(list(values), np.where(miss, -1, np.arange(n)), miss, falses(n))
    raise Unsupported("parameter values of mixed types")


def encoded_text(values: list, miss: np.ndarray) -> Text:
    """Text with its distinct words and codes (−1 where missing): for short lists of parameters."""
    words, codes = encode(values)
    v = np.empty(len(values), dtype=object)
    v[:] = values
    return Text(v, miss, falses(len(values)), words, codes)


def by_words(words: list, codes: np.ndarray, lookup, digits: bool = False) -> Num | Dec | Text | Bool | Objs:
    """`lookup(word)` for each row's word (codes index `words`, −1 missing), made once per word; with
    `digits` (the Decimal passes), numbers as their Decimals themselves (vector_of would put 1.20 and
    1.1 at one number of places: other digits)."""
    found = [lookup(w) for w in words] + [None]
    rows = np.where(codes < 0, len(words), codes)
    if digits and words and all(x is None or type(x) is Decimal for x in found):
        return decimals.from_values(found).take(rows)
    return vector_of(found).take(rows)


def scalar(x):
    """Elements of a parameter list of numbers or text as a column (lists of records stay `Elems`)."""
    if isinstance(x, Elems) and not any(isinstance(v, (dict, list)) for v in x.values):
        return vector_of(x.values).take(x.idx)
    return x


def item_count(coll: Collection, size: int) -> Num:
    """The items of a data list under each of `size` frame rows (missing where the list is absent,
    unless `filled`: coalesce(list, []) is empty there): the list's own counts, as a count fold over
    its items gives them (exact, bound 0, sign +)."""
    k = coll.table.count[coll.owner]
    absent = falses(size) if coll.filled else coll.table.absent[coll.owner]
    return Num(k.astype(float), same(np.float64(0), size), absent, falses(size), (k.astype(np.int64), 0),
               same(np.int8(1), size))
