"""Expressions as column operations: a walk of the checked syntax tree over a whole frame at once.

`Columns.eval(node, frame)` gives the column of an expression (engine/lang/syntax.py nodes) for
every row of `frame`, with safe mode's meaning: missing propagates through arithmetic and
comparisons, conditions are three-valued, aggregates skip elements whose `where` is not true or whose
body is missing. The walk happens once per batch, not per record, so its cost is spread over all of
them. Anything without a column form raises `Unsupported`, and the value or rule that needs it runs
on the per-record path instead.
"""
from __future__ import annotations

from decimal import Decimal

import numpy as np

from ..lang import syntax
from . import numeric
from .calls import call
from .collections import derived
from .dates import compare as date_compare, from_text, is_date
from .folds import fold
from .frames import Collection, Elems, Frame, Items, Objs, by_words, column, scalar, vector_of
from .best import best_by
from .branches import if_column
from .cells import cell
from .decimals import Dec, folded
from .grouped import grouped
from .members import in_computed_list
from .named_fields import field_named
from .ordering import bool_equal, number_in, text_order
from .picks import pick
from .vectors import Bool, Const, Num, Text, Unsupported, falses, identity, masked, num_const, taken

_PICKS = ("first", "last")
_AGGREGATES = {"sum", "count", "avg", "min", "max", "any", "all", *_PICKS}
_HELD = (syntax.Aggregate, syntax.Call, syntax.Index, syntax.Member)    # computed once per frame


class Columns:
    """Evaluates expressions of one policy over the tables of one batch."""

    def __init__(self, policy, P: dict, root, values: dict):
        self.policy = policy
        self.symbols = policy._scope.symbols
        self.root_name = policy.spec.subject_name
        self.P = P
        self.root = root            # the records' table
        self.strict = root.numbers != "float"    # the exact passes: exact quotients where they terminate
        self.digits = root.numbers == "decimal"  # the last pass: parameter numbers looked up as their Decimals
        self.values = values        # value name -> (kind, column, extra): see plan.py
        self.functions = policy_functions(policy)
        self.dates = policy._compiler.date_nodes    # Member nodes the checker typed as dates (dates.py)
        self._nodes: dict[int, tuple] = {}          # id(node) -> (node, its structural twin)
        self._twins: dict[tuple, syntax.Node] = {}    # (node, a date?) -> its first structural twin
        self._memo: dict[tuple[int, int], tuple] = {}   # (twin, frame) -> (frame, column)
        self.top = Frame(root.size, identity(root.size), {})   # one row per record
        # records the columns must leave to a later pass: a list made per row left undecided
        # (collections.py), or the per-record path may raise there (a date function: dates.py)
        self.doubt = falses(root.size)

    # -- names and data ---------------------------------------------------------------------------
    def eval(self, node: syntax.Node, frame: Frame):
        """The column of `node` over `frame`; aggregates, calls and lookups are computed once per batch
        for each expression and frame (a rule's message often repeats its condition's aggregates:
        `sum(i.weight for i in …)`). Nodes, frames and those columns are held until the batch ends,
        so no id is reused meanwhile; a column is never changed once made. (Arithmetic is not held:
        over every item, that would double the batch's memory.)"""
        if not isinstance(node, _HELD):
            return self._compute(node, frame)
        seen = self._nodes.get(id(node))
        if seen is None or seen[0] is not node:
            seen = self._nodes[id(node)] = (node, self._twins.setdefault((node, id(node) in self.dates), node))
        key = (id(seen[1]), id(frame))
        hit = self._memo.get(key)
        if hit is not None:
            return hit[1]
        out = self._compute(node, frame)
        self._memo[key] = (frame, out)
        return out

    def _compute(self, node: syntax.Node, frame: Frame):
        method = getattr(self, "_" + type(node).__name__.lower(), None)
        if method is None:
            raise Unsupported(type(node).__name__)
        return method(node, frame)

    def _literal(self, node, frame):
        return Const(node.value)      # null: missing on every row (as_num, as_text, as_bool)

    def _listlit(self, node, frame):
        items = [self.eval(i, frame) for i in node.items]
        if not all(isinstance(i, Const) for i in items):
            raise Unsupported("a list of computed items")
        return Const([i.value for i in items])

    def _name(self, node, frame):
        if node.id in frame.names:
            bound = frame.names[node.id]
            if isinstance(bound, Items) and "" in bound.table.columns:   # an element of a list of scalars
                return taken(column(bound.table, ""), bound.idx, bound.table.size)
            return bound
        sym = self.symbols.get(node.id)
        kind = sym.kind if sym else None
        if kind == "root":
            return Items(self.root, frame.record)
        if kind == "param":
            return Const(self.P[node.id])
        if kind == "value" and node.id in self.values:
            kind_, col, _ = self.values[node.id]
            if kind_ == "scalar":
                return taken(col, frame.record, self.top.size)
        if kind in ("value", "item_value") and node.id not in self.values:
            raise Unsupported(f"reads {node.id}, computed per record")
        raise Unsupported(f"name {node.id}")

    def _member(self, node, frame):
        obj = self.eval(node.obj, frame)
        if isinstance(obj, Items):
            col = self._field(obj, node.name)
            return from_text(self, col, frame) if id(node) in self.dates else col
        if isinstance(obj, Elems):
            return self._elements([_get(v, node.name) for v in obj.values], obj.idx)
        if isinstance(obj, Objs):
            if not all(isinstance(v, dict) for v in obj.values if v is not None):
                raise Unsupported("member of a value that is not a table")
            got = by_words(obj.values, obj.codes, lambda v: _get(v, node.name), self.digits)
            return masked(got, miss=got.miss | obj.miss)
        if isinstance(obj, Const) and isinstance(obj.value, dict):
            return Const(obj.value.get(node.name))
        if isinstance(obj, Const) and obj.value is None:      # no item on any row (picks.py): nor a field
            return obj
        if isinstance(obj, (Num, Text, Bool)) and obj.miss.all():     # missing on every row: so is its field
            return obj
        raise Unsupported("member of a computed value")

    def _field(self, items: Items, name: str):
        table, name = items.table, items.prefix + name
        if name in table.children:
            if not items.prefix and items.miss is not None and items.miss.any():   # picks.py
                raise Unsupported(f"the list {name} of an item that may be missing")
            return Collection(table.children[name], items.idx)
        kind = table.columns.get(name, (None,))[0]
        if kind == "object":
            absent = np.fromiter((x is None for x in table.columns[name][1]), bool, table.size)[items.idx]
            return Items(table, items.idx, name + ".", absent if items.miss is None else absent | items.miss)
        col = column(table, name)
        if col is None:
            raise Unsupported(f"field {name}")
        col = taken(col, items.idx, table.size)
        if items.miss is not None:
            col = masked(col, miss=col.miss | items.miss)
        return col

    def _elements(self, values: list, idx: np.ndarray):
        if any(isinstance(v, (dict, list)) for v in values):
            return Elems(values, idx)
        return vector_of(values).take(idx)

    def _index(self, node, frame):
        if isinstance(node.obj, syntax.Name) and node.obj.id in self.values and node.obj.id not in frame.names:
            return self._item_value(node.obj.id, self.eval(node.key, frame), frame)
        obj = self.eval(node.obj, frame)
        if isinstance(obj, Objs):
            return cell(obj, self.eval(node.key, frame), frame.size, self.digits)
        if isinstance(obj, (Num, Text, Bool)) and obj.miss.all():     # missing on every row: so is its entry
            return obj
        if isinstance(obj, Items):
            return field_named(self, obj, scalar(self.eval(node.key, frame)), frame.size)
        if not isinstance(obj, Const) or not isinstance(obj.value, dict):
            raise Unsupported("index into a computed value")
        key = self.eval(node.key, frame)
        table = obj.value
        if isinstance(key, Elems):
            return self._elements([table.get(v) if isinstance(v, (str, Decimal)) else None for v in key.values], key.idx)
        if isinstance(key, Text):
            words, codes = key.encoded()
            vec = by_words(words, codes, table.get, self.digits)
            return masked(vec, miss=vec.miss | key.miss, unsure=vec.unsure | key.unsure)
        if isinstance(key, Const):
            return Const(table.get(key.value))
        raise Unsupported("index by a computed key")

    def _item_value(self, name: str, key, frame: Frame):
        kind, col, extra = self.values[name]
        if isinstance(key, Items) and key.miss is not None and key.miss.any():
            raise Unsupported(f"{name}[…] by an item that may be missing")
        if kind == "items" and isinstance(key, Items) and key.table is extra:
            return taken(col, key.idx, extra.size)
        base = key.table.__dict__.get("base") if isinstance(key, Items) else None
        if kind == "items" and base is not None and base[0] is extra:   # an item of a filtered list
            return col.take(base[1][key.idx])
        if kind == "nested" and isinstance(key, Items):     # by its innermost item: one row per item
            inner = extra.frame.names[extra.variables[-1]]
            if isinstance(inner, Items) and key.table is inner.table and inner.idx is identity(inner.table.size):
                return taken(col, key.idx, inner.table.size)
        if kind == "elems" and isinstance(key, Elems) and key.values is extra:
            return col.take(frame.record * len(extra) + key.idx)
        raise Unsupported(f"{name}[…] by this key")

    # -- operators --------------------------------------------------------------------------------
    def _unary(self, node, frame):
        x = self.eval(node.operand, frame)
        if node.op == "not":
            b = self.as_bool(x, frame)
            return Bool(~b.v, b.miss, b.unsure)
        return numeric.negate(self.as_num(x, frame))

    def _binary(self, node, frame):
        op = node.op
        a, b = scalar(self.eval(node.left, frame)), scalar(self.eval(node.right, frame))
        if op in ("and", "or"):
            return logic(op, self.as_bool(a, frame), self.as_bool(b, frame))
        if op in ("in", "notin"):
            return self._membership(op, a, b, frame)
        if op in ("+", "-", "*", "/"):
            if isinstance(a, Const) and isinstance(b, Const):
                return Const(folded(op, a.value, b.value))
            return numeric.arith(op, self.as_num(a, frame), self.as_num(b, frame), self.strict)
        if is_date(a) or is_date(b):
            return date_compare(self, op, a, b, frame)
        if isinstance(a, Text) or isinstance(b, Text) or _text_const(a) or _text_const(b):
            return self._text_compare(op, a, b, frame)
        if isinstance(a, Bool) or isinstance(b, Bool):
            return bool_equal(op, self.as_bool(a, frame), self.as_bool(b, frame))
        return numeric.compare(op, self.as_num(a, frame), self.as_num(b, frame))

    def _text_compare(self, op, a, b, frame):
        if op not in ("==", "!="):
            return text_order(op, self.as_text(a, frame), self.as_text(b, frame))
        if isinstance(a, Const):
            a, b = b, a
        if isinstance(a, Text) and a.codes is not None and isinstance(b, Const) and isinstance(b.value, str):
            equal = a.codes == a.code_of(b.value)         # dictionary-encoded: one integer comparison
            return Bool(equal if op == "==" else ~equal, a.miss.copy(), a.unsure)
        a, b = self.as_text(a, frame), self.as_text(b, frame)
        if a.codes is not None and b.codes is not None and a.words is b.words:
            equal = a.codes == b.codes
        else:
            equal = a.v == b.v
        return Bool(equal if op == "==" else ~equal, a.miss | b.miss, a.unsure | b.unsure)

    def _membership(self, op, a, coll, frame):
        if isinstance(coll, Collection):
            return in_computed_list(self, op, a, coll, frame)
        if not isinstance(coll, Const) or not isinstance(coll.value, (dict, list)):
            raise Unsupported("membership in a computed collection")
        keys = coll.value
        numbers = isinstance(keys, list) and keys and all(type(k) is Decimal for k in keys)
        if numbers and not isinstance(a, (Text, Bool)):
            return number_in(op, self.as_num(a, frame), keys)
        if not all(isinstance(k, str) for k in keys):
            raise Unsupported("membership in non-text keys")
        a = self.as_text(a, frame)
        found = np.isin(a.v.astype(str), np.array(list(keys), dtype=str)) if len(keys) else falses(frame.size)
        return Bool(found if op == "in" else ~found, a.miss, a.unsure)

    def _between(self, node, frame):
        x = self.as_num(self.eval(node.value, frame), frame)
        low = numeric.compare("<=", self.as_num(self.eval(node.low, frame), frame), x)
        high = numeric.compare("<=", x, self.as_num(self.eval(node.high, frame), frame))
        return logic("and", low, high)

    def _if(self, node, frame):
        return if_column(self, node, frame)

    def _let(self, node, frame):
        names = dict(frame.names)
        for name, value in zip(node.names, node.values):
            names[name] = self.eval(value, frame.with_names(names))
        return self.eval(node.body, frame.with_names(names))

    # -- calls and aggregates ---------------------------------------------------------------------
    def _call(self, node, frame):
        if node.func in self.functions:
            params, body = self.functions[node.func]
            args = {p: self.eval(a, frame) for p, a in zip(params, node.args)}
            return self.eval(body, frame.with_names(args))
        return call(self, node, frame)

    def _aggregate(self, node, frame):
        if node.func in ("distinct", "list"):
            return derived(self, node, frame)
        if node.func in ("max_by", "min_by"):
            return best_by(self, node, frame)
        if node.func not in _AGGREGATES:
            raise Unsupported(f"aggregate {node.func}")
        by_group = grouped(self, node, frame) if node.func not in _PICKS else None
        if by_group is not None:
            return by_group
        coll = self.collection(self.eval(node.collection, frame))
        inner, up, absent = frame.child(node.var, coll)
        include = np.ones(inner.size, bool)
        unsure_where = np.zeros(inner.size, bool)
        if node.where is not None:
            w = self.as_bool(self.eval(node.where, inner), inner)
            include, unsure_where = w.v & ~w.miss, w.unsure
        body = self.eval(node.body, inner)
        if node.func in _PICKS:
            body = scalar(body)
            unsure = unsure_where | getattr(body, "unsure", False)      # Items: never unsure
            return pick(self, frame, node.func, body, include | unsure_where, unsure, up, absent)
        if node.func == "count" and isinstance(body, (Items, Elems)):
            body = Bool(np.ones(inner.size, bool), falses(inner.size), falses(inner.size))
        elif node.func in ("any", "all"):
            body = self.as_bool(body, inner)
        else:
            body = self.as_num(body, inner) if node.func != "count" else body
        body = masked(body, unsure=body.unsure | unsure_where)
        include = include | unsure_where
        counts = None if coll.table is None else lambda: coll.table.count[coll.owner]    # the items of each row
        return fold(node.func, body, include, up, frame.size, absent, counts)

    def collection(self, value) -> Collection:
        if isinstance(value, Collection):
            return value
        if isinstance(value, Const) and isinstance(value.value, list):
            return Collection(values=value.value)
        raise Unsupported("a collection that is not a data list or a parameter list")

    # -- conversions ------------------------------------------------------------------------------
    def as_num(self, x, frame) -> Num:
        x = scalar(x)
        if isinstance(x, (Num, Dec)):
            return x
        if isinstance(x, Const) and isinstance(x.value, Decimal):
            return num_const(x.value, frame.size)
        if isinstance(x, Const) and x.value is None:
            n = frame.size
            return Num(np.zeros(n), np.zeros(n), np.ones(n, bool), falses(n))
        raise Unsupported("not a number")

    def as_bool(self, x, frame) -> Bool:
        x = scalar(x)
        if isinstance(x, Bool):
            return x
        if isinstance(x, Const) and (isinstance(x.value, bool) or x.value is None):
            return Bool(np.full(frame.size, bool(x.value)), np.full(frame.size, x.value is None), falses(frame.size))
        raise Unsupported("not a condition")

    def as_text(self, x, frame) -> Text:
        x = scalar(x)
        if isinstance(x, Text):
            return x
        if isinstance(x, Const) and (isinstance(x.value, str) or x.value is None):
            v = np.empty(frame.size, dtype=object)
            v[:] = x.value
            return Text(v, np.full(frame.size, x.value is None), falses(frame.size))
        raise Unsupported("not text")


def logic(op: str, a: Bool, b: Bool) -> Bool:
    """Three-valued and/or: false (and) or true (or) wins over missing. Where `a` surely wins, the
    per-record path does not evaluate `b` (both its forms short-circuit): `b` being unsure there
    (a comparison too close to tell, a call that may raise) changes nothing."""
    win = op == "or"
    a_wins = ~a.miss & (a.v == win)
    b_wins = ~b.miss & (b.v == win)
    decided = a_wins | b_wins
    value = np.where(decided, win, not win)
    miss = ~decided & (a.miss | b.miss)
    unsure = a.unsure | b.unsure
    if unsure.any():
        unsure = unsure & ~(a_wins & ~a.unsure)
    return Bool(value, miss, unsure)


def policy_functions(policy) -> dict[str, tuple[list[str], syntax.Node]]:
    """The policy's own functions as (parameters, body), parsed from the checked policy."""
    cached = policy.__dict__.get("_vector_functions")
    if cached is None:
        from ..lang.parser import parse
        cached = {}
        for name, entry in policy.spec.functions.items():
            cached[name] = (list(entry.data["params"]), parse(expression_text(entry.data["expr"])))
        policy.__dict__["_vector_functions"] = cached
    return cached


def expression_text(expr) -> str:
    """An expression field's text (YAML may give a bool or a number for a bare literal)."""
    if isinstance(expr, bool):
        return "true" if expr else "false"
    return expr if isinstance(expr, str) else format(expr, "f")


def _get(value, name):
    return value.get(name) if isinstance(value, dict) else None


def _text_const(x) -> bool:
    return isinstance(x, Const) and isinstance(x.value, str)
