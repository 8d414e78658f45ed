"""Compiling checked expressions to Python source, then to one code object per policy.

Like Jinja2 compiles a template, a policy is compiled once: every value and rule becomes a few
lines of a single generated function `evaluate(d_root, P)`. Each expression is emitted twice: a
fast form with native operators, and a safe form that handles missing data (see runtime.py). The
generated code tries the fast form and recomputes with the safe form on any exception, so
evaluating a contract never walks a syntax tree. `generated_source` is kept for inspection.

Generated names: `d_root` the data, `P` parameters, `V` computed values, `b_x` a bound variable,
`K3` a Decimal constant, `u_f`/`us_f` a policy function (fast/safe), which receives d_root, P and V
before its own arguments.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable

from . import runtime, syntax
from .checker import Scope
from .functions import AGGREGATES, FUNCTIONS, SCALAR_MIN_MAX


class ExprCompiler:
    """Turns expression trees into Python expression source, in fast or safe mode."""

    def __init__(self, scope: Scope, date_nodes: set[int], root_name: str):
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
            obj = e(node.obj)
            if not safe:
                code = f"{obj}[{node.name!r}]"
            elif isinstance(node.obj, syntax.Name):  # cheap to name twice: inline the common dict case
                code = f"({obj}.get({node.name!r}) if type({obj}) is dict else s_member({obj}, {node.name!r}))"
            else:
                code = f"s_member({obj}, {node.name!r})"
            return f"as_date({code})" if id(node) in self.date_nodes else code
        if isinstance(node, syntax.Index):
            if isinstance(node.obj, syntax.Name) and node.obj.id not in bound and self._kind(node.obj.id) == "item_value":
                per_item = f"V.get({node.obj.id!r})" if safe else f"V[{node.obj.id!r}]"
                return f"s_item({per_item}, {e(node.key)})" if safe else f"{per_item}[id({e(node.key)})]"
            return f"{'s_index' if safe else 'f_index'}({e(node.obj)}, {e(node.key)})"
        if isinstance(node, syntax.Call):
            return self._call(node, bound, safe)
        if isinstance(node, syntax.Aggregate):
            inner = bound | {node.var}
            var = f"b_{node.var}"
            body = self._emit(node.body, inner, safe)
            self._in_iterable += not safe
            try:
                coll = e(node.collection) if safe else self._known(node.collection, bound)
            finally:
                self._in_iterable -= not safe
            where = self._emit(node.where, inner, safe) if node.where is not None else None
            agg = AGGREGATES[node.func]
            if safe:
                where_fn = f"lambda {var}: {where}" if where else "None"
                return f"{agg.safe}({coll}, lambda {var}: {body}, {where_fn})"
            grouped = self.grouped.get(id(node))
            if grouped is not None:  # only the items whose field equals the key, in data order
                group, key = grouped
                return agg.fast.format(f"[{body} for {var} in {group}.get({e(key)}, ())]")
            comp = f"[{body} for {var} in {coll}" + (f" if {where}]" if where else "]")
            return agg.fast.format(comp)
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
            if safe:
                w = self._temp()
                if w is None:
                    return f"s_if({e(node.cond)}, lambda: {e(node.then)}, lambda: {e(node.otherwise)})"
                return f"(None if ({w} := {e(node.cond)}) is None else ({e(node.then)} if {w} else {e(node.otherwise)}))"
            return f"({e(node.then)} if {e(node.cond)} else {e(node.otherwise)})"
        raise TypeError(f"cannot compile {type(node).__name__}")  # pragma: no cover

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
            return f"P[{name!r}]"
        if kind == "item_value":
            return f"s_values(V.get({name!r}))" if safe else f"list(V[{name!r}].values())"
        return f"V.get({name!r})" if safe else f"V[{name!r}]"

    def _lenient(self, node: syntax.Node, bound: frozenset[str]) -> str:
        """Fast-path code for an argument that may be missing (of present, coalesce): it yields None
        for an absent field instead of raising; anything unusual raises and hands over to safe mode."""
        if isinstance(node, syntax.Member) and id(node) not in self.date_nodes and _simple(node.obj):
            return f"{self._lenient(node.obj, bound)}.get({node.name!r})"
        if (isinstance(node, syntax.Index) and isinstance(node.obj, syntax.Name) and node.obj.id not in bound
                and self._kind(node.obj.id) == "item_value"):
            return f"V[{node.obj.id!r}].get(id({self.fast(node.key, bound)}))"
        if isinstance(node, syntax.Name) or (isinstance(node, syntax.Literal) and node.value is not None):
            return self.fast(node, bound)
        return self.safe(node, bound)

    def _coalesce(self, node: syntax.Call, bound: frozenset[str], safe: bool) -> str:
        """`coalesce(a, b, …)`: the first known argument, read left to right; the arguments after it
        are not evaluated (in both forms). Fast mode cannot return missing, so a missing last
        argument hands over to the safe form."""
        args = [self.safe(a, bound) if safe else self._lenient(a, bound) for a in node.args]
        code = args[-1] if safe or self._never_missing(node.args[-1]) else f"f_need({args[-1]})"
        for arg_node, arg in zip(reversed(node.args[:-1]), reversed(args[:-1])):
            if _simple(arg_node):  # cheap: evaluate it twice rather than bind it
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
            if not safe and node.func in self.inline and all(_simple(a) for a in node.args):
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


# ---- whole-policy programs -----------------------------------------------------------------------

@dataclass
class Binding:
    var: str
    collection: syntax.Node


@dataclass
class ValueStep:
    name: str
    expr: syntax.Node
    bindings: list[Binding] = field(default_factory=list)


@dataclass
class RuleStep:
    index: int
    require: syntax.Node
    when: syntax.Node | None = None
    bindings: list[Binding] = field(default_factory=list)


@dataclass
class FunctionDef:
    name: str
    params: list[str]
    expr: syntax.Node


def _simple(node: syntax.Node) -> bool:
    """Cheap and side-effect free to evaluate more than once: names, literals, member chains."""
    if isinstance(node, (syntax.Name, syntax.Literal)):
        return True
    return isinstance(node, syntax.Member) and _simple(node.obj)


def _has_aggregate(node: syntax.Node) -> bool:
    return isinstance(node, syntax.Aggregate) or any(_has_aggregate(c) for c in node.children())


def _group_key(agg: syntax.Aggregate) -> tuple[str, syntax.Node] | None:
    """For `… for x in C where x.f == key` (either side): the field f and the key expression."""
    w = agg.where
    if not (isinstance(w, syntax.Binary) and w.op == "=="):
        return None
    for field_side, key in ((w.left, w.right), (w.right, w.left)):
        if (isinstance(field_side, syntax.Member) and isinstance(field_side.obj, syntax.Name)
                and field_side.obj.id == agg.var and agg.var not in syntax.free_name_ids(key)):
            return field_side.name, key
    return None


def _indent(lines: list[str], n: int = 1) -> list[str]:
    return ["    " * n + line for line in lines]


class ProgramBuilder:
    """Emits the policy's `evaluate(d_root, P)` returning (V, E, outcomes, errors).

    V: value name -> value (per-item values: dict id(item) -> value, or for nested bindings a
       runtime.NestedValues keyed by the binding tuple's position in E; missing results are absent).
    E: per-item value name -> its items in data order (for reporting keys): the collection itself for
       one binding, a list of binding tuples for nested bindings.
    outcomes: (rule index, bindings tuple, False | None | exception) for each rule that did not pass.
    errors: (value name, bindings tuple, exception) for values whose safe evaluation raised.
    """

    def __init__(self, compiler: ExprCompiler, functions: list[FunctionDef]):
        self.c = compiler
        self.functions = functions
        # Inlining a body into an argument's place is safe only when the body binds no variables of
        # its own (aggregates could capture a same-named argument variable).
        compiler.inline.update({fn.name: (fn.params, fn.expr) for fn in functions if not _has_aggregate(fn.expr)})
        self.lines: list[str] = []
        self.tmp = 0
        self.tmp_collections: list[str] = []

    def _new(self, prefix: str) -> str:
        self.tmp += 1
        return f"_{prefix}{self.tmp}"

    def _try(self, target: str, node: syntax.Node, bound: frozenset[str], on_error: str) -> list[str]:
        """`target = fast` with fallback `target = safe`; a safe-mode exception runs `on_error`."""
        return [
            "try:",
            f"    {target} = {self.c.fast(node, bound)}",
            "except FAST_ERRORS:",
            "    try:",
            f"        {target} = {self.c.safe(node, bound)}",
            "    except Exception as _err:",
            f"        {target} = None",
            f"        {on_error}",
        ]

    def _loops(self, bindings: list[Binding], body: list[str],
               on_missing: Callable[[str], list[str]]) -> list[str]:
        """Nested for-loops over each binding's collection.

        A missing collection runs `on_missing(binds)`, with the variables bound so far. Missing
        elements (nulls in a list) are skipped, as aggregates skip them: no step ever runs with a
        missing loop variable, so fast mode never sees one."""
        if not bindings:
            return body
        out: list[str] = []
        done: list[str] = []
        depth = 0
        for b in bindings:
            coll = self._new("c")
            self.tmp_collections.append(coll)
            binds = "(" + "".join(f"b_{v}, " for v in done) + ")"
            out += _indent(self._try(coll, b.collection, frozenset(done),
                                     f"errors.append(({b.var!r}, {binds}, _err))"), depth)
            if not self.c._no_missing_elements(b.collection):
                out += _indent([f"if {coll} is not None and None in {coll}:",
                                f"    {coll} = [x for x in {coll} if x is not None]"], depth)
            out += _indent([f"if {coll} is None:"], depth)
            out += _indent(on_missing(binds), depth + 1)
            out += _indent(["else:", f"    for b_{b.var} in {coll}:"], depth)
            depth += 2
            done.append(b.var)
        return out + _indent(body, depth)

    def _groupings(self, nodes: list[syntax.Node | None], loop_vars: frozenset[str]) -> list[str]:
        """Before a per-item step: group each collection the step scans with `where x.f == key`.

        Inside the loop, such an aggregate reads one group instead of scanning the whole collection
        (e.g. the IKU of one SS), which turns an items × collection scan into one pass. If building
        the grouping fails (a missing field, an unhashable key), the group is None and the
        aggregate's fast form fails over to the safe form, which scans as before."""
        if not loop_vars:
            return []
        lines: list[str] = []
        made: dict[tuple[str, str], str] = {}
        for root in nodes:
            for node in (root.walk() if root is not None else ()):
                if not isinstance(node, syntax.Aggregate):
                    continue
                found = _group_key(node)
                if found is None or syntax.free_name_ids(node.collection) & loop_vars:
                    continue
                field_name, key = found
                coll = self.c.fast(node.collection, frozenset())
                group = made.get((coll, field_name))
                if group is None:
                    group = made[(coll, field_name)] = self._new("g")
                    lines += ["try:", f"    {group} = f_group({coll}, {field_name!r})",
                              "except FAST_ERRORS:", f"    {group} = None"]
                self.c.grouped[id(node)] = (group, key)
        return lines

    def value(self, step: ValueStep) -> None:
        name = step.name
        if not step.bindings:
            tmp = self._new("x")
            lines = self._try(tmp, step.expr, frozenset(), f"errors.append(({name!r}, (), _err))")
            lines += [f"if {tmp} is not None:", f"    V[{name!r}] = {tmp}"]
            self.lines += lines
            return
        per_item, items = self._new("m"), self._new("e")
        bound = frozenset(b.var for b in step.bindings)
        self.lines += self._groupings([step.expr], bound)
        binds = "(" + ", ".join(f"b_{b.var}" for b in step.bindings) + ",)"
        nested = len(step.bindings) > 1
        # One binding: keyed by the item's identity. Nested: by the binding tuple's position in E,
        # since an inner item (e.g. of a parameter list) may occur under every outer item.
        key = f"len({items})" if nested else f"id(b_{step.bindings[0].var})"
        tmp = self._new("x")
        body = self._try(tmp, step.expr, bound, f"errors.append(({name!r}, {binds}, _err))")
        body += [f"if {tmp} is not None:", f"    {per_item}[{key}] = {tmp}"]
        if nested:  # E records binding tuples; for one binding it is the collection itself
            body.append(f"{items}.append({binds})")
        self.lines += [f"{per_item} = {{}}", f"{items} = []"]
        self.lines += self._loops(step.bindings, body, lambda binds: ["pass"])
        if nested:
            self.lines += [f"{per_item} = NestedValues({per_item}, {items}, {name!r})"]
        else:
            first_collection = self.tmp_collections[-1]
            self.lines += [f"{items} = [] if {first_collection} is None else {first_collection}"]
        self.lines += [f"V[{name!r}] = {per_item}", f"E[{name!r}] = {items}"]

    def rule(self, step: RuleStep) -> None:
        bound = frozenset(b.var for b in step.bindings)
        self.lines += self._groupings([step.when, step.require], bound)
        binds = "(" + "".join(f"b_{b.var}, " for b in step.bindings) + ")"
        ok = self._new("ok")
        fast_req = self.c.fast(step.require, bound)
        safe_req = self.c.safe(step.require, bound)
        if step.when is not None:
            fast = f"True if not {self.c.fast(step.when, bound)} else {fast_req}"
            safe = f"s_rule({self.c.safe(step.when, bound)}, lambda: {safe_req})"
        else:
            fast, safe = fast_req, safe_req
        body = [
            "try:",
            f"    {ok} = {fast}",
            "except FAST_ERRORS:",
            "    try:",
            f"        {ok} = {safe}",
            "    except Exception as _err:",
            f"        {ok} = _err",
            f"if {ok} is not True:",
            f"    outcomes.append(({step.index}, {binds}, {ok}))",
        ]
        self.lines += self._loops(step.bindings, body, lambda binds: [f"outcomes.append(({step.index}, {binds}, None))"])

    def function(self, fn: FunctionDef) -> list[str]:
        bound = frozenset(fn.params)
        params = ", ".join(["d_root", "P", "V"] + [f"b_{p}" for p in fn.params])
        return [f"def u_{fn.name}({params}):", f"    return {self.c.fast(fn.expr, bound)}",
                f"def us_{fn.name}({params}):", f"    return {self.c.safe(fn.expr, bound)}"]

    def build(self, filename: str) -> tuple[Callable, str, dict]:
        head: list[str] = []
        for fn in self.functions:
            head += self.function(fn)
        body = ["V = {}", "E = {}", "outcomes = []", "errors = []"] + self.lines + ["return V, E, outcomes, errors"]
        # the engine's own decimal precision, whatever the caller's thread context is
        src = "\n".join(head + ["def evaluate(d_root, P):", "    with decimal_context():"] + _indent(body, 2) + [""])
        namespace = runtime_namespace()
        namespace.update(self.c.constant_table())
        exec(compile(src, filename, "exec"), namespace)  # noqa: S102 - source generated from checked ASTs only
        return namespace["evaluate"], src, namespace


def runtime_namespace() -> dict[str, Any]:
    """The only names generated code can see: runtime helpers, no builtins beyond a few pure ones."""
    ns: dict[str, Any] = {k: getattr(runtime, k) for k in dir(runtime)
                          if k.startswith(("f_", "s_")) or k in ("as_date", "FAST_ERRORS", "ZERO", "Decimal", "NestedValues",
                                                                 "decimal_context")}
    ns["s_rule"] = _s_rule
    ns["render"] = runtime.render
    ns["COUNTS"] = runtime.COUNTS
    ns["QUANTUM"] = runtime.QUANTUM  # round(x, n): a Decimal n finds its int key (equal hash)
    ns["HALF_UP"] = runtime.ROUND_HALF_UP
    ns["__builtins__"] = {"type": type, "dict": dict, "min": min, "max": max, "sum": sum, "len": len, "abs": abs, "any": any, "all": all,
                          "list": list, "id": id, "True": True, "False": False, "None": None,
                          "Exception": Exception}
    return ns


def _s_rule(when, require_thunk):
    """Safe-mode rule: not applicable when `when` is false; undetermined (None) when it is missing."""
    if when is False:
        return True
    if when is None:
        return None
    return require_thunk()


def compile_template(compiler: ExprCompiler, parts: list, bound: list[str], program_namespace: dict,
                     filename: str) -> Callable:
    """A message or label template `text {expr} text` as one function `(d_root, P, V, *bound) -> str`.

    The placeholders run in fast mode; if any raises, the whole template is rendered in safe mode,
    where a missing value shows as "(missing)" and an error as "(?)"."""
    params = ", ".join(["d_root", "P", "V"] + [f"b_{v}" for v in bound])
    bset = frozenset(bound)
    parts = [p for p in parts if p != ""]
    fast = [repr(p) if isinstance(p, str) else f"render({compiler.fast(p, bset)})" for p in parts] or ["''"]
    safe = [repr(p) if isinstance(p, str) else f"s_render(lambda: {compiler.safe(p, bset)})" for p in parts] or ["''"]
    src = (f"def template({params}):\n"
           f"    try:\n        return {' + '.join(fast)}\n"
           f"    except FAST_ERRORS:\n        return {' + '.join(safe)}\n")
    namespace = dict(program_namespace)
    namespace.update(compiler.constant_table())
    exec(compile(src, filename, "exec"), namespace)  # noqa: S102
    return namespace["template"]


def compile_probe(compiler: ExprCompiler, node: syntax.Node, bound: list[str], program_namespace: dict,
                  filename: str) -> Callable:
    """A safe-mode function `probe(d_root, P, V, *bound_values)` for messages, keys and traces.

    It runs in a copy of the program's namespace, so it sees the policy's own functions."""
    params = ", ".join(["d_root", "P", "V"] + [f"b_{v}" for v in bound])
    src = f"def probe({params}):\n    return {compiler.safe(node, frozenset(bound))}\n"
    namespace = dict(program_namespace)
    namespace.update(compiler.constant_table())
    exec(compile(src, filename, "exec"), namespace)  # noqa: S102
    return namespace["probe"]
