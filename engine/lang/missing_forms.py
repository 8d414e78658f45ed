"""The fast-mode forms that yield or tolerate a missing value without raising.

Fast mode (compiler.py) normally raises on anything missing and lets the safe form recompute. Where
a value is *legitimately* missing often (a ratio with a zero divisor, `first` of nothing, a per-item
value missing for one item) that costs an exception and a recomputation per occurrence; these forms
avoid it: `top` for a step's whole expression (yields None), `_lenient` for arguments that may be
missing (of `present`, `coalesce`), `_coalesce` itself, and `guarded_by_present` for a `let` whose
body reads its variable only where it is present (compiler.py `_let` binds it with `top`). Safe mode gives the same answers
(tests/lang/test_fast_safe_agreement.py).
"""
from __future__ import annotations

from . import syntax
from .functions import AGGREGATES, FUNCTIONS


class MissingForms:
    """Mixed into ExprCompiler: uses its fast/safe emitters, symbol kinds and temporaries."""

    # -- a step's whole expression ------------------------------------------------------------
    _MAYBE_NOTHING = ("first", "last", "min", "max", "avg", "max_by", "min_by")   # missing when there is nothing

    def top(self, node: syntax.Node, bound: frozenset[str]) -> str:
        """Fast-mode code for the whole expression of a step (a value, a rule's requirement, a loop's
        collection), which yields None, without raising, where the result is legitimately missing
        and that is cheap to see: a ratio with a zero divisor, `first`/`last`/`min`/`max`/`avg`/
        `max_by`/`min_by` of nothing, a per-item value missing for this item, and `round`, a field, or `if` over those.
        Safe mode gives None for each of them too, so no exception and no recomputation is needed
        (tests/lang/test_fast_safe_agreement.py). Everything else is the ordinary fast form."""
        if not self.may_be_missing(node, bound):
            return self.fast(node, bound)
        if isinstance(node, syntax.Binary):   # a / b, with a read first, as safe mode does
            a, b = self._temp(), self._temp()
            return (f"(({a} / {b} if ({b} := {self.fast(node.right, bound)}) else None) "
                    f"if ({a} := {self.fast(node.left, bound)}) is not None else None)")
        if isinstance(node, syntax.If):
            return f"({self.top(node.then, bound)} if {self.fast(node.cond, bound)} else {self.top(node.otherwise, bound)})"
        if isinstance(node, syntax.Index):
            return self._current(node) or f"{self._per_item(node.obj.id, lookup=True)}.get(id({self.fast(node.key, bound)}))"
        w = self._temp()
        if isinstance(node, syntax.Member):
            return f"(None if ({w} := {self.top(node.obj, bound)}) is None else {w}[{node.name!r}])"
        if isinstance(node, syntax.Aggregate):
            return f"(None if not ({w} := {self._aggregate_list(node, bound)}) else {AGGREGATES[node.func].fast.format(w)})"
        if node.func in AGGREGATES:
            return f"(None if not ({w} := {self.fast(node.args[0], bound)}) else {AGGREGATES[node.func].fast.format(w)})"
        fast = FUNCTIONS[node.func].fast[len(node.args)]   # round, floor, ceil over a missing-able number
        args = [w] + [self.fast(a, bound) for a in node.args[1:]]
        return f"(None if ({w} := {self.top(node.args[0], bound)}) is None else {fast.format(*args)})"

    def may_be_missing(self, node: syntax.Node, bound: frozenset[str]) -> bool:
        """`top` has a form for `node` that yields None instead of raising."""
        if isinstance(node, syntax.Binary):
            return node.op == "/"
        if isinstance(node, syntax.If):
            return self.may_be_missing(node.then, bound) or self.may_be_missing(node.otherwise, bound)
        if isinstance(node, syntax.Index):
            return (isinstance(node.obj, syntax.Name) and node.obj.id not in bound
                    and self._kind(node.obj.id) == "item_value")
        if isinstance(node, syntax.Member):
            return id(node) not in self.date_nodes and self.may_be_missing(node.obj, bound)
        if isinstance(node, syntax.Aggregate):
            return node.func in self._MAYBE_NOTHING
        if isinstance(node, syntax.Call) and self._kind(node.func) != "function":
            if node.func in AGGREGATES:
                return node.func in self._MAYBE_NOTHING and len(node.args) == 1
            return (node.func in ("round", "floor", "ceil") and all(syntax.is_simple(a) for a in node.args[1:])
                    and self.may_be_missing(node.args[0], bound))
        return False

    def _lenient(self, node: syntax.Node, bound: frozenset[str]) -> str:
        """Fast-path code for an argument that may be missing (of present, coalesce): it yields None
        for an absent field instead of raising; anything unusual raises and hands over to safe mode."""
        if isinstance(node, syntax.Member) and id(node) not in self.date_nodes and syntax.is_simple(node.obj):
            return f"{self._lenient(node.obj, bound)}.get({node.name!r})"
        if (isinstance(node, syntax.Index) and isinstance(node.obj, syntax.Name) and node.obj.id not in bound
                and self._kind(node.obj.id) == "item_value"):
            return self._current(node) or f"{self._per_item(node.obj.id, lookup=True)}.get(id({self.fast(node.key, bound)}))"
        if isinstance(node, syntax.Name) or (isinstance(node, syntax.Literal) and node.value is not None):
            return self.fast(node, bound)
        if (isinstance(node, syntax.Index) and isinstance(node.obj, syntax.Name)
                and (isinstance(node.key, syntax.Name) or isinstance(node.key, syntax.Literal) and node.key.value is not None)):
            # s_index's own dict case, without its call: `r[c]` with a field name c, per element
            obj, key = self.fast(node.obj, bound), self.fast(node.key, bound)
            known = "" if isinstance(node.key, syntax.Literal) else f" and {key} is not None"
            return f"({obj}.get({key}) if type({obj}) is dict{known} else {self.safe(node, bound)})"
        return self.safe(node, bound)

    def _coalesce(self, node: syntax.Call, bound: frozenset[str], safe: bool) -> str:
        """`coalesce(a, b, …)`: the first known argument, read left to right; the arguments after it
        are not evaluated (in both forms). Fast mode cannot return missing, so a missing last
        argument hands over to the safe form."""
        args = [self.safe(a, bound) if safe else self._lenient(a, bound) for a in node.args]
        code = args[-1] if safe or self._never_missing(node.args[-1]) else f"f_need({args[-1]})"
        for arg_node, arg in zip(reversed(node.args[:-1]), reversed(args[:-1])):
            if syntax.is_simple(arg_node):  # cheap: evaluate it twice rather than bind it
                code = f"({arg} if {arg} is not None else {code})"
                continue
            w = self._temp()
            if w is None:  # inside a comprehension's iterable: thunks instead of temporaries
                thunks = ", ".join(f"lambda: {a}" for a in args)
                return f"s_coalesce({thunks})" if safe else f"f_need(s_coalesce({thunks}))"
            code = f"({w} if ({w} := {arg}) is not None else {code})"
        return code

    def _never_missing(self, node: syntax.Node) -> bool:
        return ((isinstance(node, syntax.Literal) and node.value is not None)
                or isinstance(node, syntax.ListLit)
                or (isinstance(node, syntax.Name) and self._kind(node.id) == "param"))


def guarded_by_present(name: str, body: syntax.Node, later: tuple = ()) -> bool:
    """Whether `body` reads let variable `name` only where it is present: `if not present(name) then
    A else B` (or `if present(name) then B else A`) with A not reading it, and no later value of the
    let (`later`) reading it either. Fast code may then bind None to it: the condition is
    `name is not None`, and B runs only when it is not."""
    if not isinstance(body, syntax.If) or any(name in syntax.free_name_ids(v, frozenset()) for v in later):
        return False
    cond, negated = body.cond, False
    if isinstance(cond, syntax.Unary) and cond.op == "not":
        cond, negated = cond.operand, True
    if not (isinstance(cond, syntax.Call) and cond.func == "present" and len(cond.args) == 1
            and isinstance(cond.args[0], syntax.Name) and cond.args[0].id == name):
        return False
    return name not in syntax.free_name_ids(body.then if negated else body.otherwise, frozenset())
