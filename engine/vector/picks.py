"""`first` and `last`: per parent row, the first or last kept element of a child frame, as safe mode.

Safe mode (engine/lang/safe.py `_collect`) keeps the elements whose `where` is true and whose body is
present, in data order, and `first`/`last` return the first/last of them: missing when none is kept
or when the list itself is absent. Fast mode gives the same or hands over to safe mode. The element
is the body's own value, so an exact number keeps its digits (`Num.take`) and an item stays an item
(`Items` of its table, one row per parent row; rows without one are `miss`, and their index is a
valid row that nothing reads unmasked; where no row of the batch has one, `Const(None)`, whose fields
are missing too). A parent row with an unsure `where` or body among its elements is unsure: which
element is kept is not known there (an item has no unsure rows: its record is left to a later pass).
"""
from __future__ import annotations

import numpy as np

from .decimals import Dec, ZERO
from .frames import Items
from .tables import mark
from .vectors import Bool, Const, Num, Text, Unsupported, falses


def pick(columns, frame, func: str, body, include: np.ndarray, unsure: np.ndarray, up: np.ndarray,
         absent: np.ndarray):
    """`func` ("first" or "last") of `body` over the `include`d child rows into the rows of `frame`
    (`up`: each child row's parent, in data order; `unsure`: child rows whose inclusion or body is
    not known)."""
    size = frame.size
    if not isinstance(body, (Num, Dec, Text, Bool, Items)) or isinstance(body, Items) and body.prefix:
        raise Unsupported(f"{func} of this body")
    miss = body.miss if not isinstance(body, Items) else body.miss if body.miss is not None else falses(len(up))
    keep = include & ~miss
    rows = np.flatnonzero(keep)
    chosen = np.full(size, -1, np.int64)
    if len(rows):
        owners = up[rows]
        if func == "first":      # child rows are in data order: a parent's first row is where it starts
            starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
        else:
            starts = np.flatnonzero(np.r_[owners[1:] != owners[:-1], True])
        if len(owners) > 1 and (np.diff(owners) < 0).any():
            raise Unsupported(f"{func} over rows out of order")
        chosen[owners[starts]] = rows[starts]
    none = chosen < 0
    doubt = np.bincount(up, weights=unsure & include, minlength=size) > 0 if (unsure & include).any() else falses(size)
    gone = none | absent
    return element_at(columns, frame, body, np.where(none, 0, chosen), gone, doubt & ~absent)


def element_at(columns, frame, body, idx: np.ndarray, gone: np.ndarray, doubt: np.ndarray):
    """`body` at `idx` (one per row of `frame`), missing where `gone` (there is no element), unsure
    where `doubt`; an item carries no unsure rows, so there its records leave the columns
    (`Columns.doubt`): which item it is is not known."""
    n = len(idx)
    if isinstance(body, Items):
        mark(columns.doubt, frame.record, doubt)
        if not len(body.idx):      # no row has an element: missing everywhere, as is every field of it
            return Const(None)
        got = body.take(idx)
        got.miss = gone if got.miss is None else got.miss | gone
        return got
    if not len(body):          # no element at all: every row is missing
        if isinstance(body, Num):
            return Num(np.zeros(n), np.zeros(n), np.ones(n, bool), doubt)
        if isinstance(body, Dec):
            d = np.empty(n, dtype=object)
            d[:] = ZERO
            return Dec(d, np.ones(n, bool), doubt, body.faithful)
        if isinstance(body, Bool):
            return Bool(falses(n), np.ones(n, bool), doubt)
        return Text(np.full(n, None, dtype=object), np.ones(n, bool), doubt)
    got = body.take(idx)
    got.miss = got.miss | gone
    got.unsure = (got.unsure & ~gone) | doubt
    if isinstance(got, Num) and gone.any():
        got.v, got.e = np.where(gone, 0.0, got.v), np.where(gone, 0.0, got.e)
        if got.exact is not None:
            got.exact = (np.where(gone, 0, got.exact[0]), got.exact[1])
    elif isinstance(got, Dec) and gone.any():
        got.d = got.d.copy()
        got.d[gone] = ZERO
    elif isinstance(got, Text) and gone.any():
        v = got.v.copy()
        v[gone] = None
        codes = None if got.codes is None else np.where(gone, -1, got.codes)
        got = Text(v, got.miss, got.unsure, got.words, codes)
    return got
