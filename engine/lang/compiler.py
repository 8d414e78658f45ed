"""Compiling checked expressions to Python source, then to one code object per policy.

Like Jinja2 compiles a template, a policy is compiled once: every value and rule becomes a few
lines of a single generated function `evaluate(d_root, P)`. Each expression is emitted twice: a
fast form with native operators, and a safe form that handles missing data (see safe.py). The
generated code tries the fast form and recomputes with the safe form on any exception, so
evaluating a contract never walks a syntax tree. `generated_source` is kept for inspection.
The forms that yield a missing value without raising are in missing_forms.py; aggregates answered
from accumulators of one pass over their collection (loop fusion) in fusion.py.

Generated names: `d_root` the data, `P` parameters, `V` computed values, `b_x` a bound variable,
`K3` a Decimal constant, `u_f`/`us_f` a policy function (fast/safe), which receives d_root, P and V
before its own arguments.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Container

from . import syntax
from .checker import Scope
from .functions import AGGREGATES, FUNCTIONS, SCALAR_MIN_MAX
from .fusion import group_key
from .invariants import Invariants
from .missing_forms import MissingForms, guarded_by_present
# the program builder moved to program.py; its names stay importable from here
from .program import (Binding, FunctionDef, ProgramBuilder, RuleStep, ValueStep,  # noqa: F401
                      compile_probe, compile_template, runtime_namespace)


class ExprCompiler(MissingForms):
    """Turns expression trees into Python expression source, in fast or safe mode."""

    def __init__(self, scope: Scope, date_nodes: Container[int], root_name: str):
        self.scope = scope
        self.date_nodes = date_nodes
        self.root_name = root_name
        self.constants: dict[Decimal, str] = {}
        # Policy functions small enough to inline on the fast path: name -> (params, body).
        self.inline: dict[str, tuple[list[str], syntax.Node]] = {}
        self._subst: dict[str, str] = {}   # while inlining: parameter name -> argument source
        # Aggregates whose `where x.f == key` scan is answered from a grouping made before the loop:
        # id(aggregate node) -> (group variable, key node). Set by ProgramBuilder per step.
        self.grouped: dict[int, tuple[str, syntax.Node]] = {}
        # Temporaries bound with `:=` (evaluate once, test twice). Python forbids `:=` anywhere in a
        # comprehension's iterable, so while emitting one (`_in_iterable` > 0) the helper forms are used.
        self._temps = 0
        self._in_iterable = 0
        self._locals = 0   # let variables, `_l1`, `_l2`…
        # While the program body is emitted: per-item value name -> the local variable holding it
        # (always bound, so reading it never needs V; see ProgramBuilder.value).
        self.aliases: dict[str, str] = {}
        self.item_index: dict[str, str] = {}   # and nested value name -> its plain dict by item
        # While the program body is emitted: the loop-fusion plan (fusion.py) whose accumulators
        # answer some aggregates; while a host loop's accumulator updates are emitted, `current` is
        # (the host's value name, the variables holding the current item, the local holding its value).
        self.fusion = None
        self.current: tuple[str, set[str], str] | None = None
        self.current_fields: dict[str, str] = {}   # and the current item's fields read into locals
        # While a fused per-item value group's member is emitted (item_fusion.py): (the loop item's
        # variable, earlier member -> the local holding its value for that item).
        self.item_locals: tuple[str, dict[str, str]] | None = None
        # While a program body is emitted with its parameter reads hoisted: parameter -> local.
        self.hoisted: dict[str, str] | None = None
        # While a per-item step's fast form is emitted: its loop-invariant parts (invariants.py).
        self.invariants: Invariants | None = None

    def _temp(self) -> str | None:
        if self._in_iterable:
            return None
        self._temps += 1
        return f"_w{self._temps}"

    def const(self, value: Decimal) -> str:
        key = (value, str(value))  # keep 1.0 and 1 apart: their text differs
        name = self.constants.get(key)
        if name is None:
            name = self.constants[key] = f"K{len(self.constants)}"
        return name

    def constant_table(self) -> dict[str, Decimal]:
        return {name: key[0] for key, name in self.constants.items()}

    # The two modes share the tree walk; `safe` selects the operator forms.
    def fast(self, node: syntax.Node, bound: frozenset[str]) -> str:
        return self._emit(node, bound, False)

    def safe(self, node: syntax.Node, bound: frozenset[str]) -> str:
        return self._emit(node, bound, True)

    def _emit(self, node: syntax.Node, bound: frozenset[str], safe: bool) -> str:
        if not safe and self.invariants is not None and self.invariants.hoistable(node, bound | self._subst.keys()):
            return self._invariant(node, bound)
        e = lambda n, b=bound: self._emit(n, b, safe)  # noqa: E731
        if isinstance(node, syntax.Literal):
            v = node.value
            if v is None:
                return "None" if safe else "f_null()"
            if isinstance(v, Decimal):
                return self.const(v)
            return repr(v)
        if isinstance(node, syntax.Name):
            return self._name(node.id, bound, safe)
        if isinstance(node, syntax.ListLit):
            return "[" + ", ".join(e(i) for i in node.items) + "]"
        if isinstance(node, syntax.Member):
            return self._member(node, bound, safe)
        if isinstance(node, syntax.Index):
            return self._index(node, bound, safe)
        if isinstance(node, syntax.Call):
            return self._call(node, bound, safe)
        if isinstance(node, syntax.Aggregate):
            return self._aggregate(node, bound, safe)
        if isinstance(node, syntax.Unary):
            if safe:
                return f"{'s_not' if node.op == 'not' else 's_neg'}({e(node.operand)})"
            return f"(not {e(node.operand)})" if node.op == "not" else f"(-{e(node.operand)})"
        if isinstance(node, syntax.Binary):
            return self._binary(node, bound, safe)
        if isinstance(node, syntax.Between):  # `lo <= x and x <= hi`: hi is read only if lo <= x is not false
            if safe:
                return f"s_between({e(node.value)}, {e(node.low)}, lambda: {e(node.high)})"
            return f"({e(node.low)} <= {e(node.value)} <= {e(node.high)})"
        if isinstance(node, syntax.If):
            return self._if(node, bound, safe)
        if isinstance(node, syntax.Let):
            return self._let(node, bound, safe)
        raise TypeError(f"cannot compile {type(node).__name__}")  # pragma: no cover

    def _invariant(self, node: syntax.Node, bound: frozenset[str]) -> str:
        """A part of a per-item step that reads no item: its local, computed before the loop (or,
        if that raised, the part computed here as before)."""
        invariants, self.invariants = self.invariants, None
        try:
            code = self._emit(node, bound, False)
        finally:
            self.invariants = invariants
        local = invariants.local(code)
        return f"({local} if {local} is not NOT_HOISTED else {code})"

    def _member(self, node: syntax.Member, bound: frozenset[str], safe: bool) -> str:
        obj = self._emit(node.obj, bound, safe)
        if not safe:
            code = f"{obj}[{node.name!r}]"
            if self.current is not None and obj in self.current[1] and node.name in self.current_fields:
                code = self.current_fields[node.name]   # read once per item (fusion.py)
        elif isinstance(node.obj, syntax.Name):  # cheap to name twice: inline the common dict case
            code = f"({obj}.get({node.name!r}) if type({obj}) is dict else s_member({obj}, {node.name!r}))"
        else:
            code = f"s_member({obj}, {node.name!r})"
        return f"as_date({code})" if id(node) in self.date_nodes else code

    def _index(self, node: syntax.Index, bound: frozenset[str], safe: bool) -> str:
        e = lambda n: self._emit(n, bound, safe)  # noqa: E731
        if isinstance(node.obj, syntax.Name) and node.obj.id not in bound and self._kind(node.obj.id) == "item_value":
            here = None if safe else self._current(node)
            if here is not None:   # the value just computed for this item (None: missing, which raises)
                return f"({here} if {here} is not None else f_null())"
            per_item = f"V.get({node.obj.id!r})" if safe else self._per_item(node.obj.id, lookup=True)
            return f"s_item({per_item}, {e(node.key)})" if safe else f"{per_item}[id({e(node.key)})]"
        if not safe and self._table(node.obj, bound):
            # a parameter table is a dict: subscript it (anything else raises and falls back); a
            # null entry is missing, as f_index says
            w = self._temp()
            if w is not None:
                return f"({w} if ({w} := {e(node.obj)}[{e(node.key)}]) is not None else f_null())"
        return f"{'s_index' if safe else 'f_index'}({e(node.obj)}, {e(node.key)})"

    def _table(self, node: syntax.Node, bound: frozenset[str]) -> bool:
        """A parameter whose value is a table (a record type, so a dict at run time)."""
        if not isinstance(node, syntax.Name) or node.id in bound:
            return False
        sym = self.scope.symbols.get(node.id)
        return sym is not None and sym.kind == "param" and sym.type.kind == "object"

    def _aggregate(self, node: syntax.Aggregate, bound: frozenset[str], safe: bool) -> str:
        agg = AGGREGATES[node.func]
        if safe:
            var = f"b_{node.var}"
            body, where = self._per_element(node, bound, True)
            where_fn = f"lambda {var}: {where}" if where else "None"
            return f"{agg.safe}({self._emit(node.collection, bound, True)}, lambda {var}: {body}, {where_fn})"
        fused = self.fusion.reader(node, bound) if self.fusion is not None else None
        return fused or agg.fast.format(self._aggregate_list(node, bound))

    def _aggregate_list(self, node: syntax.Aggregate, bound: frozenset[str]) -> str:
        """Fast-mode code for the list an aggregate reduces: its body per element that passes `where`."""
        var = f"b_{node.var}"
        body, where = self._per_element(node, bound, False)
        if AGGREGATES[node.func].yields_item:  # (key, element) pairs
            body = f"({body}, {var})"
        counting = node.func == "count" and body == var   # count(x for x in …): the elements themselves
        grouped = self.grouped.get(id(node))
        if grouped is not None:  # only the items whose field equals the key, in data order
            group, key = grouped
            items = f"{group}.get({self.fast(key, bound)}, ())"
            if where is not None and group_key(node, self.date_nodes) is None:   # more than x.f == key
                return f"[{body} for {var} in {items} if {where}]"
            return items if counting else f"[{body} for {var} in {items}]"
        self._in_iterable += 1
        try:
            coll = self._known(node.collection, bound)
        finally:
            self._in_iterable -= 1
        if counting and not where:
            return coll
        return f"[{body} for {var} in {coll}" + (f" if {where}]" if where else "]")

    def _per_element(self, node: syntax.Aggregate, bound: frozenset[str], safe: bool) -> tuple[str, str | None]:
        """The code of an aggregate's body and where, in which its variable hides a same-named let."""
        inner = bound | {node.var}
        saved = self._subst
        self._subst = {k: v for k, v in saved.items() if k != node.var}
        try:
            body = self._emit(node.body, inner, safe)
            where = self._emit(node.where, inner, safe) if node.where is not None else None
        finally:
            self._subst = saved
        return body, where

    def _if(self, node: syntax.If, bound: frozenset[str], safe: bool) -> str:
        e = lambda n: self._emit(n, bound, safe)  # noqa: E731
        if safe:
            w = self._temp()
            if w is None:
                return f"s_if({e(node.cond)}, lambda: {e(node.then)}, lambda: {e(node.otherwise)})"
            return f"(None if ({w} := {e(node.cond)}) is None else ({e(node.then)} if {w} else {e(node.otherwise)}))"
        return f"({e(node.then)} if {e(node.cond)} else {e(node.otherwise)})"

    def _let(self, node: syntax.Let, bound: frozenset[str], safe: bool) -> str:
        """`let a = …, b = … in body`: each value evaluated once, in order, into its variable
        (with `:=` into a fresh name; inside a comprehension's iterable, where Python forbids `:=`, by
        calling a lambda).
        In safe form a missing value binds None, so the body sees it as missing. In fast form too
        where the body only reads the variable once it is known present (`guarded_by_present`: `let m
        = max_by(…) in if not present(m) then 0 else m.x`): a legitimately missing value (`max_by`
        of nothing) is then None rather than an exception and a recomputation."""
        saved, values = self._subst, []
        try:
            for k, (name, value) in enumerate(zip(node.names, node.values)):
                if not safe and not self._in_iterable and self.may_be_missing(value, bound) \
                        and guarded_by_present(name, node.body, node.values[k + 1:]):
                    values.append((self._local(), self.top(value, bound)))   # None, not an exception
                else:
                    values.append((self._local(), self._emit(value, bound, safe)))
                bound = bound | {name}
                self._subst = {**self._subst, name: values[-1][0]}
            body = self._emit(node.body, bound, safe)
        finally:
            self._subst = saved
        if self._in_iterable:
            for var, value in reversed(values):
                body = f"(lambda {var}: {body})({value})"
            return body
        return "(" + "".join(f"({var} := {value}), " for var, value in values) + f"{body})[-1]"

    def _local(self) -> str:
        """A fresh Python name for a let variable: never the same as a loop variable, a parameter or
        another let's, so no binding can overwrite another."""
        self._locals += 1
        return f"_l{self._locals}"

    def _known(self, node: syntax.Node, bound: frozenset[str]) -> str:
        """Fast-path code for a collection an aggregate reads. A missing element (null in a data
        list) hands over to the safe form, which skips it: fast mode never sees a missing value."""
        code = self.fast(node, bound)
        return code if self._no_missing_elements(node) else f"f_known({code})"

    def _no_missing_elements(self, node: syntax.Node) -> bool:
        """Known to hold no null: a list literal (its `null` items raise in fast mode already), an
        aggregate's result, a computed value (missing results are never stored), or a list of
        records that the data schema has validated."""
        if isinstance(node, (syntax.ListLit, syntax.Aggregate)) or id(node) in self.scope.present_elements:
            return True
        if isinstance(node, syntax.Index):
            node = node.obj
        return isinstance(node, syntax.Name) and self._kind(node.id) in ("value", "item_value")

    def _kind(self, name: str) -> str | None:
        sym = self.scope.symbols.get(name)
        return sym.kind if sym else None

    def _name(self, name: str, bound: frozenset[str], safe: bool) -> str:
        if name in bound:
            return self._subst.get(name, f"b_{name}")
        kind = self._kind(name)
        if kind == "root":
            return "d_root"
        if kind == "param":
            if self.hoisted is None:
                return f"P[{name!r}]"
            return self.hoisted.setdefault(name, f"_p_{name}")   # read once, at the program's start
        if kind == "item_value":
            return f"s_values(V.get({name!r}))" if safe else f"list({self._per_item(name)}.values())"
        return f"V.get({name!r})" if safe else f"V[{name!r}]"

    def _current(self, node: syntax.Index) -> str | None:
        """In a fusion host's loop: the local holding `v[x]` when x is the host's current item; in a
        fused per-item value group, the local of an earlier member when x is the loop's item."""
        if self.item_locals is not None and isinstance(node.key, syntax.Name) and f"b_{node.key.id}" == self.item_locals[0]:
            local = self.item_locals[1].get(node.obj.id)
            if local is not None and node.key.id not in self._subst:
                return local
        if self.current is None or node.obj.id != self.current[0] or not isinstance(node.key, syntax.Name):
            return None
        return self.current[2] if f"b_{node.key.id}" in self.current[1] else None

    def _per_item(self, name: str, lookup: bool = False) -> str:
        """Fast-mode code for the per-item values of `name` (a dict by item); for a `lookup` of one
        item's value, of a nested value, its plain dict by item where the program made one
        (`item_index`: runtime.f_by_item)."""
        return (lookup and self.item_index.get(name)) or self.aliases.get(name) or f"V[{name!r}]"

    def _inlined(self, node: syntax.Call, bound: frozenset[str]) -> str:
        """A policy function's fast body with its parameters replaced by the (simple) argument code."""
        params, body = self.inline[node.func]
        args = [self.fast(a, bound) for a in node.args]
        saved = self._subst
        self._subst = dict(zip(params, args))
        try:
            return "(" + self._emit(body, frozenset(params), False) + ")"
        finally:
            self._subst = saved

    _SAFE_OPS = {"+": "s_add", "-": "s_sub", "*": "s_mul", "/": "s_div", "==": "s_eq", "!=": "s_ne",
                 "<": "s_lt", "<=": "s_le", ">": "s_gt", ">=": "s_ge", "in": "s_in", "notin": "s_notin"}

    def _binary(self, node: syntax.Binary, bound, safe) -> str:
        left, right = self._emit(node.left, bound, safe), self._emit(node.right, bound, safe)
        if safe:
            if node.op in ("and", "or"):
                a, b = self._temp(), self._temp()
                if a is None:
                    return f"s_{node.op}({left}, lambda: {right})"
                # three-valued: false wins over missing for `and`, true wins for `or`
                win, lose = ("False", "True") if node.op == "and" else ("True", "False")
                return (f"({win} if ({a} := {left}) is {win} else ({win} if ({b} := {right}) is {win} "
                        f"else (None if {a} is None or {b} is None else {lose})))")
            return f"{self._SAFE_OPS[node.op]}({left}, {right})"
        op = {"notin": "not in"}.get(node.op, node.op)
        return f"({left} {op} {right})"

    def _call(self, node: syntax.Call, bound, safe) -> str:
        sym = self.scope.symbols.get(node.func)
        if sym is not None and sym.kind == "function":
            if not safe and node.func in self.inline and all(syntax.is_simple(a) for a in node.args):
                return self._inlined(node, bound)
            args = "".join(", " + self._emit(a, bound, safe) for a in node.args)
            return f"{'us_' if safe else 'u_'}{node.func}(d_root, P, V{args})"
        if node.func == "clamp" and not safe:
            x, lo, hi = (self._emit(a, bound, False) for a in node.args)
            m, w = self._temp(), self._temp()
            if m is not None:  # max(lo, min(hi, x)) without two calls, returning the same objects
                return f"({m} if ({m} := ({w} if ({w} := {x}) < {hi} else {hi})) > {lo} else {lo})"
        if node.func in SCALAR_MIN_MAX and len(node.args) >= 2:
            fast, safe_fn = SCALAR_MIN_MAX[node.func]
            args = ", ".join(self._emit(a, bound, safe) for a in node.args)
            return f"{safe_fn}({args})" if safe else fast.replace("{*}", args)
        if node.func in AGGREGATES:
            agg = AGGREGATES[node.func]
            if safe:
                return f"{agg.safe}({self._emit(node.args[0], bound, True)})"
            arg = self.fast(node.args[0], bound) if agg.checks_missing else self._known(node.args[0], bound)
            return agg.fast.format(arg)  # run-time collections are lists
        if node.func == "coalesce":
            return self._coalesce(node, bound, safe)
        fn = FUNCTIONS[node.func]
        if not safe and fn.safe_args:
            args = [self._lenient(a, bound) for a in node.args]
        else:
            args = [self._emit(a, bound, safe or fn.safe_args) for a in node.args]
        if safe:
            return f"{fn.safe}({', '.join(args)})"
        fast = fn.fast.get(len(args), "f_need(" + fn.safe + "({*}))") if isinstance(fn.fast, dict) else fn.fast
        return fast.replace("{*}", ", ".join(args)).format(*args)

