"""Built-in functions over columns: rounding, clamp, abs, scalar min/max, band, interpolate, present,
coalesce and the type tests; the date functions are in date_calls.py. A function without a column form here raises `Unsupported`."""
from __future__ import annotations

import dataclasses
from decimal import Decimal

import numpy as np

from ..lang import syntax
from ..lang.runtime import Bands
from . import numeric
from . import decimals
from .date_calls import FUNCTIONS as DATE_FUNCTIONS, date_call
from .dates import Day, extreme as date_extreme
from .decimals import Dec, is_dec
from .folds import fold
from .frames import Collection, Elems, Items, Objs, column, item_count, scalar
from .interpolate import interpolate
from .picks import pick
from .vectors import Bool, Const, Num, Text, Unsupported, falses

_ROUNDING = {"round": "half_up", "floor": "floor", "ceil": "ceiling"}


def call(columns, node: syntax.Call, frame):
    name = node.func
    if name in ("present", "is_number", "is_text"):
        return _type_test(name, columns.eval(node.args[0], frame), frame)
    if name in DATE_FUNCTIONS:
        return date_call(columns, node, frame)
    if name in _FOLDS and len(node.args) == 1:
        listed = _per_item_values(columns, node.args[0], frame) if name in _PRESENT_ONLY else None
        if listed is not None:
            return _folded(columns, frame, name, *listed, falses(frame.size))
        return _fold_list(columns, name, columns.eval(node.args[0], frame), frame)
    args = [columns.eval(a, frame) for a in node.args]
    if name in _ROUNDING:
        places = args[1].value if len(args) > 1 else Decimal(0)
        if not isinstance(places, Decimal) or places != int(places) or not 0 <= places <= 12:
            raise Unsupported("rounding to computed places")
        return numeric.round_half_up(columns.as_num(args[0], frame), int(places), _ROUNDING[name])
    if name == "abs":
        return numeric.absolute(columns.as_num(args[0], frame))
    if name == "clamp":
        return numeric.clamp(*(columns.as_num(a, frame) for a in args))
    if name in ("min", "max") and len(args) > 1 and any(isinstance(a, Day) for a in args):
        return date_extreme(columns, args, name == "max", frame)
    if name in ("min", "max") and len(args) > 1:
        return numeric.extreme([columns.as_num(a, frame) for a in args], name == "max")
    if name == "band":
        return band(columns.as_num(args[0], frame), args[1], frame)
    if name == "coalesce":
        return coalesce(columns, args, frame)
    if name == "interpolate":
        return interpolate(columns.as_num(args[0], frame), args[1], columns.strict)
    raise Unsupported(f"function {name}")


_FOLDS = ("count", "sum", "avg", "min", "max", "any", "all", "first", "last")


# Aggregates whose per-record fast form raises on a missing element, so that safe mode's, which
# skips it, decides: over a per-item value's values (None where an item's value is missing) as over
# a list of present values. (count and any/all read the None elements: they go per record.)
_PRESENT_ONLY = ("sum", "avg", "min", "max", "first", "last")


def _fold_list(columns, name: str, value, frame):
    """`count(list)`, `sum(list)`, …: the aggregate of a list's own elements."""
    coll = columns.collection(value)
    if name == "count" and coll.table is not None and "" not in coll.table.columns:
        return item_count(coll, frame.size)       # a list of records: its items, every one counted
    inner, up, absent = frame.child("\0element", coll)
    body = inner.names["\0element"]
    if isinstance(body, Items) and "" in body.table.columns:
        body = column(body.table, "").take(body.idx)
    if isinstance(body, (Items, Elems)) and name not in ("count", "first", "last"):
        raise Unsupported(f"{name} of a list of records")
    if isinstance(body, (Items, Elems)) and name == "count":
        body = Bool(np.ones(inner.size, bool), falses(inner.size), falses(inner.size))
    return _folded(columns, frame, name, body, up, inner.size, absent)


def _folded(columns, frame, name: str, body, up: np.ndarray, inner: int, absent: np.ndarray):
    """The aggregate of `body`'s rows (`inner` of them, row i under frame row up[i]) per frame row."""
    body = scalar(body)
    if name in ("first", "last"):      # of the list's present elements (picks.py)
        unsure = getattr(body, "unsure", falses(inner))
        return pick(columns, frame, name, body, np.ones(inner, bool), unsure, up, absent)
    return fold(name, body, np.ones(inner, bool), up, frame.size, absent)


def _per_item_values(columns, node, frame):
    """(column, parent row of each, count) of the values of a for_each value `v` read as a list
    (`avg(v)`: the per-record path's list of its values, in item order; {} for a record without
    items) under each row of `frame`; None when `node` is no such value with a column form."""
    if not isinstance(node, syntax.Name) or node.id in frame.names or node.id not in columns.values:
        return None
    kind, col, extra = columns.values[node.id]
    if kind == "items":
        inner, up, _ = frame.child("\0values", Collection(extra, frame.record, filled=True))
        return col.take(inner.names["\0values"].idx), up, inner.size
    if kind == "elems":
        inner, up, _ = frame.child("\0values", Collection(values=extra))
        return col.take(frame.record[up] * len(extra) + inner.names["\0values"].idx), up, inner.size
    return None


def _type_test(name: str, x, frame) -> Bool:
    n = frame.size
    if isinstance(x, (Items, Objs)):
        present = ~x.miss if x.miss is not None else np.ones(n, bool)
        value = present if name == "present" else falses(n)
        if isinstance(x, Objs) and name != "present":    # cells of mixed types (cells.py): per cell
            kind = Decimal if name == "is_number" else str
            value = present & np.array([isinstance(v, kind) for v in x.values] + [False], bool)[x.codes]
        return Bool(value, falses(n), falses(n) if isinstance(x, Items) else x.unsure)
    if isinstance(x, Const):
        v = x.value
        test = {"present": v is not None, "is_number": isinstance(v, Decimal), "is_text": isinstance(v, str)}
        return Bool(np.full(n, test[name]), falses(n), falses(n))
    if isinstance(x, (Num, Dec, Text, Bool, Day)):
        kind = {"present": type(x), "is_number": (Num, Dec), "is_text": Text}[name]
        value = ~x.miss if isinstance(x, kind) else falses(n)
        return Bool(value, falses(n), x.unsure)
    if isinstance(x, Elems):
        return Bool(np.ones(n, bool) if name == "present" else falses(n), falses(n), falses(n))
    raise Unsupported(f"{name} of this value")


def band(x: Num, table, frame) -> Text:
    """The label of the first row of the band table holding x; missing if none; unsure where x is
    too close to an edge of a row it might be in or out of."""
    if not isinstance(table, Const) or not isinstance(table.value, Bands):
        raise Unsupported("band of a computed table")
    n = frame.size
    label = np.empty(n, dtype=object)
    found, unsure = falses(n), x.unsure.copy()
    for low, low_inc, high, high_inc, text in table.value.rows:
        if not isinstance(text, str):
            raise Unsupported("band labels that are not text")
        inside = np.ones(n, bool)
        for edge, op in ((low, ">=" if low_inc else ">"), (high, "<=" if high_inc else "<")):
            if edge is None:
                continue
            test = numeric.compare(op, x, _edge(edge, n))
            inside &= test.v
            unsure |= test.unsure & ~found
        new = inside & ~found
        label[new] = text
        found |= new
    return Text(label, x.miss | ~found, unsure & ~x.miss)


def _edge(value: Decimal, n: int) -> Num:
    from .vectors import num_const
    return num_const(value, n)


def coalesce(columns, args: list, frame):
    """The first present argument, left to right (numbers, text or conditions); a data list or `[]`
    (`coalesce(contract.initiatives, [])`: an absent list is an empty one)."""
    if len(args) == 2 and isinstance(args[0], Collection) and args[0].table is not None \
            and isinstance(args[1], Const) and args[1].value == []:
        return dataclasses.replace(args[0], filled=True)
    if all(isinstance(a, Bool) or (isinstance(a, Const) and isinstance(a.value, bool)) for a in args):
        return _first_present([columns.as_bool(a, frame) for a in args], Bool)
    if all(isinstance(a, (Num, Dec)) or (isinstance(a, Const) and isinstance(a.value, Decimal)) for a in args):
        nums = [columns.as_num(a, frame) for a in args]
        out = nums[-1]
        for a in reversed(nums[:-1]):
            use = ~a.miss
            if is_dec(a, out):       # the Decimals themselves (decimals.py, digits.py)
                out = decimals.where(use, a, out)
                continue
            out = Num(np.where(use, a.v, out.v), np.where(use, a.e, out.e), a.miss & out.miss,
                      np.where(use, a.unsure, out.unsure))
        return out
    if all(isinstance(a, Text) or (isinstance(a, Const) and isinstance(a.value, str)) for a in args):
        return _first_present([columns.as_text(a, frame) for a in args], Text)
    raise Unsupported("coalesce of these values")


def _first_present(cols: list, kind):
    """Per row, the first of `cols` (conditions or text) that is present there."""
    out = cols[-1]
    for a in reversed(cols[:-1]):
        use = ~a.miss
        out = kind(np.where(use, a.v, out.v), a.miss & out.miss, np.where(use, a.unsure, out.unsure))
    return out
