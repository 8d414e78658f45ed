"""Whole-policy programs: the values, rules and functions of a policy as one generated function.

compiler.py turns a single expression into Python source (fast and safe forms); this module
arranges those expressions into a program: `ProgramBuilder` emits `evaluate(d_root, P)` with the
for_each loops, the fast-then-safe fallback per step, and the groupings that answer `where x.f ==
key` scans (or, where fusion.py can, accumulators in the loop of a per-item value);
`compile_template` and `compile_probe` compile message templates and report probes in the
program's namespace; `runtime_namespace` is the only set of names generated code can see. It is
kept apart from the expression compiler because it is about program layout (steps, loops, error
collection), not about the meaning of an expression.
"""
from __future__ import annotations

import decimal
from dataclasses import dataclass, field
from typing import Any, Callable

from . import runtime, safe as safe_mode, syntax
from .fusion import FusionPlan, scan_key
from .item_fusion import emit_group, plan_groups
from .templates import compile_probe, compile_template  # noqa: F401 - importable from here, as before
from .invariants import NOT_HOISTED, Invariants

# `ExprCompiler` in annotations is compiler.ExprCompiler; not imported, since compiler.py imports
# this module to keep the program names importable from there.


class _NotMade:
    """The mark of a shared grouping no step has made yet (ProgramBuilder._group_local)."""

    __slots__ = ()

    def __repr__(self):
        return "NOT_MADE"


NOT_MADE = _NotMade()


@dataclass
class Binding:
    """A `for_each` variable and the collection it runs over."""
    var: str
    collection: syntax.Node


@dataclass
class ValueStep:
    """One computed value of a policy as the compiler sees it: its expression and bindings."""
    name: str
    expr: syntax.Node
    bindings: list[Binding] = field(default_factory=list)


@dataclass
class RuleStep:
    """One compliance rule as the compiler sees it: `require`, `when` and bindings."""
    index: int
    require: syntax.Node
    when: syntax.Node | None = None
    bindings: list[Binding] = field(default_factory=list)


@dataclass
class FunctionDef:
    """A policy function: named parameters and the expression they are used in."""
    name: str
    params: list[str]
    expr: syntax.Node


def _binds_variables(node: syntax.Node) -> bool:
    """An aggregate or a let somewhere in the expression (it binds variables of its own)."""
    return isinstance(node, (syntax.Aggregate, syntax.Let)) or any(_binds_variables(c) for c in node.children())


def _indent(lines: list[str], n: int = 1) -> list[str]:
    return ["    " * n + line for line in lines]


class ProgramBuilder:
    """Emits the policy's `evaluate(d_root, P, S=None)` returning (V, E, outcomes, errors); a seed S
    (see `_seedable`) gives some values instead of computing them.

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
        # its own (aggregates and lets could capture a same-named argument variable).
        compiler.inline.update({fn.name: (fn.params, fn.expr) for fn in functions if not _binds_variables(fn.expr)})
        self.lines: list[str] = []
        self.tmp = 0
        self.tmp_collections: list[str] = []
        self.steps: list[ValueStep | RuleStep] = []   # emitted by build(), after fusion is planned
        self.plan: FusionPlan | None = None
        self._hoists = 0   # loop-invariant locals made so far (`_h1`…), unique in the program
        self._shared_groups: dict[tuple[str, str], str] = {}   # (collection code, field) -> local
        self._looked_up: set[str] = set()   # nested values read by item: made a plain dict (build)

    def _new(self, prefix: str) -> str:
        self.tmp += 1
        return f"_{prefix}{self.tmp}"

    def _try(self, target: str, node: syntax.Node, bound: frozenset[str], on_error: str,
             on_fallback: str | None = None) -> list[str]:
        """`target = fast` with fallback `target = safe`; a safe-mode exception runs `on_error`;
        `on_fallback`, if given, runs whenever the fast form failed."""
        return [
            "try:",
            f"    {target} = {self.c.top(node, bound)}",
            "except FAST_ERRORS:",
        ] + ([f"    {on_fallback}"] if on_fallback else []) + [
            "    try:",
            f"        {target} = {self.c.safe(node, bound)}",
            "    except Exception as _err:",
            f"        {target} = None",
            f"        {on_error}",
        ]

    def _loops(self, bindings: list[Binding], body: list[str],
               on_missing: Callable[[str], list[str]], poison: str | None = None) -> list[str]:
        """Nested for-loops over each binding's collection.

        A missing collection runs `on_missing(binds)`, with the variables bound so far. Missing
        elements (nulls in a list) are skipped, as aggregates skip them: no step ever runs with a
        missing loop variable, so fast mode never sees one. `poison` (a fusion host: a value step with
        one binding, whose `on_missing` does nothing) runs when the collection is not exactly what
        an aggregate's fast form would read: its fast form failed, it is missing (instead of
        `on_missing`), or it held nulls."""
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
                                     f"errors.append(({b.var!r}, {binds}, _err))", poison), depth)
            if not self.c._no_missing_elements(b.collection):
                out += _indent([f"if {coll} is not None and None in {coll}:"]
                               + ([f"    {poison}"] if poison else [])
                               + [f"    {coll} = [x for x in {coll} if x is not None]"], depth)
            out += _indent([f"if {coll} is None:"], depth)
            out += _indent([poison] if poison else on_missing(binds), depth + 1)
            out += _indent(["else:", f"    for b_{b.var} in {coll}:"], depth)
            depth += 2
            done.append(b.var)
        return out + _indent(body, depth)

    def _groupings(self, nodes: list[syntax.Node | None], loop_vars: frozenset[str]) -> list[str]:
        """Before a per-item step: group each collection the step scans with `where x.f == key`
        (or another condition whose first conjunct that is: `fusion.scan_key`).

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
                found = scan_key(node, self.c.date_nodes)
                if found is None or syntax.free_name_ids(node.collection) & loop_vars or id(node) in self.plan.readers:
                    continue
                field_name, key = found
                coll = self.c.fast(node.collection, frozenset())
                group = made.get((coll, field_name))
                if group is None:
                    group = made[(coll, field_name)] = self._group_local(node.collection, coll, field_name)
                    make = ["try:", f"    {group} = f_group({coll}, {field_name!r})", "except FAST_ERRORS:", f"    {group} = None"]
                    lines += make if group not in self._shared_groups.values() else [f"if {group} is NOT_MADE:"] + _indent(make)
                self.c.grouped[id(node)] = (group, key)
        return lines

    def _group_local(self, collection: syntax.Node, coll: str, field_name: str) -> str:
        """The local of a grouping. A collection of the data, parameters and whole values is the same
        wherever a step reads it (values never change once computed): its grouping is one local of the
        program, made by the first step that runs and needs it, shared by the others (NOT_MADE until
        then). Not with a recording parameter view (see build)."""
        kinds = {self.c._kind(n) for n in syntax.free_name_ids(collection)}
        if self.c.hoisted is None or not kinds <= {"root", "param", "value"}:
            return self._new("g")
        group = self._shared_groups.get((coll, field_name))
        if group is None:
            group = self._shared_groups[(coll, field_name)] = self._new("g")
        return group

    def value(self, step: ValueStep) -> None:
        self.steps.append(step)

    def rule(self, step: RuleStep) -> None:
        self.steps.append(step)

    def _value(self, step: ValueStep, index: int) -> None:
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
        invariants = self._hoisting(name)
        body = self._try(tmp, step.expr, bound, f"errors.append(({name!r}, {binds}, _err))")
        self._hoisted_lines(invariants)
        body += [f"if {tmp} is not None:", f"    {per_item}[{key}] = {tmp}"]
        if nested:  # E records binding tuples; for one binding it is the collection itself
            body.append(f"{items}.append({binds})")
        self.lines += [f"{per_item} = {{}}", f"{items} = []"]
        host, poison = self.plan.hosts.get(index), None
        if host is not None:   # loop fusion: accumulators over this collection (fusion.py)
            self.c.aliases[name] = per_item
            body += self.plan.updates(host, tmp)
            self.lines += self.plan.start(host)
            poison = self.plan.poison(host)
        self.lines += self._loops(step.bindings, body, lambda binds: ["pass"], poison)
        if nested:
            self.lines += [f"{per_item} = NestedValues({per_item}, {items}, {name!r})"]
            if name in self._looked_up:   # later steps read one item's value: a plain dict for that
                self.c.item_index[name] = f"{per_item}i"
                self.lines += [f"{per_item}i = f_by_item({per_item})"]
        else:
            first_collection = self.tmp_collections[-1]
            self.lines += [f"{items} = [] if {first_collection} is None else {first_collection}"]
        self.lines += [f"V[{name!r}] = {per_item}", f"E[{name!r}] = {items}"]
        self.c.aliases[name] = per_item   # later steps read the local, not V

    def _seedable(self, step: ValueStep, lines: list[str]) -> list[str]:
        """A value step that takes its value from the seed S instead when S names it: S is (V, E,
        names) of another run on the same record, whose values `names` are known to be the same as
        this program's (compare's variants take what the reverted differences cannot reach from the
        candidate's run: engine/compare/reach.py `unreached`)."""
        name = step.name
        if step.bindings:
            seeded = [f"{self.c.aliases[name]} = V[{name!r}] = S[0][{name!r}]", f"E[{name!r}] = S[1][{name!r}]"]
            if name in self.c.item_index:
                seeded.append(f"{self.c.item_index[name]} = f_by_item({self.c.aliases[name]})")
        else:
            seeded = [f"if {name!r} in S[0]:", f"    V[{name!r}] = S[0][{name!r}]"]
        return [f"if S is not None and {name!r} in S[2]:"] + _indent(seeded) + ["else:"] + _indent(lines)

    def _rule(self, step: RuleStep) -> None:
        bound = frozenset(b.var for b in step.bindings)
        self.lines += self._groupings([step.when, step.require], bound)
        binds = "(" + "".join(f"b_{b.var}, " for b in step.bindings) + ")"
        ok = self._new("ok")
        invariants = self._hoisting(None) if step.bindings else None
        fast_req = self.c.top(step.require, bound)
        fast_when = self.c.fast(step.when, bound) if step.when is not None else None
        self._hoisted_lines(invariants)
        safe_req = self.c.safe(step.require, bound)
        if step.when is not None:
            fast = f"True if not {fast_when} else {fast_req}"
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

    def _hoisting(self, value: str | None) -> Invariants | None:
        """Start collecting the loop-invariant parts of a per-item step's fast form (invariants.py);
        None when parameters are read where used (a recording view: see build)."""
        if self.c.hoisted is None:
            return None
        self.c.invariants = Invariants(value, self._hoists)
        return self.c.invariants

    def _hoisted_lines(self, invariants: Invariants | None) -> None:
        """Stop collecting; the statements computing the parts go before the step's loops."""
        self.c.invariants = None
        if invariants is not None:
            self._hoists = invariants.next
            self.lines += invariants.lines()

    def function(self, fn: FunctionDef) -> list[str]:
        bound = frozenset(fn.params)
        params = ", ".join(["d_root", "P", "V"] + [f"b_{p}" for p in fn.params])
        return [f"def u_{fn.name}({params}):", f"    return {self.c.fast(fn.expr, bound)}",
                f"def us_{fn.name}({params}):", f"    return {self.c.safe(fn.expr, bound)}"]

    def build(self, filename: str, name: str = "evaluate", hoist: bool = True,
              namespace: dict | None = None) -> tuple[Callable, str, dict]:
        """Emit the steps and compile the program as function `name` (into `namespace` if given).

        With `hoist`, every parameter the steps read is read from P once, at the start, into a local
        (a loop reads a local, not `P[…]` per item); without, each read is a `P[…]` where it happens,
        which a recording parameter view (coverage.py) needs to see exactly what is read."""
        self.plan = self.c.fusion = FusionPlan(self.steps, self.c)
        self._looked_up = _looked_up(self.steps) if hoist else set()
        self.c.hoisted = {} if hoist else None
        try:
            groups = plan_groups(self.steps, self.c, self.plan.hosts, self.functions) if hoist else {}
            grouped = {i for members in groups.values() for i in members}
            for index, step in enumerate(self.steps):
                if index in groups:   # per-item values computed in one loop (item_fusion.py)
                    self.lines += emit_group(self, [(i, self.steps[i]) for i in groups[index]])
                elif index in grouped:
                    continue
                elif isinstance(step, ValueStep):
                    start = len(self.lines)
                    self._value(step, index)
                    if index not in self.plan.hosts:   # a fusion host always runs: others read its accumulators
                        self.lines[start:] = self._seedable(step, self.lines[start:])
                else:
                    self._rule(step)
            hoisted = [f"{local} = P[{param!r}]" for param, local in (self.c.hoisted or {}).items()]
        finally:
            # the locals of `evaluate` exist only there (not in functions, templates, probes)
            self.c.aliases, self.c.fusion, self.c.hoisted, self.c.item_index = {}, None, None, {}
        head: list[str] = []
        for fn in self.functions:
            head += self.function(fn)
        shared = [f"{group} = NOT_MADE" for group in self._shared_groups.values()]
        body = hoisted + shared + ["V = {}", "E = {}", "outcomes = []", "errors = []"] + self.lines + ["return V, E, outcomes, errors"]
        # the engine's own decimal precision, whatever the caller's thread context is (set and put
        # back directly: `localcontext()` copies the context on every call)
        src = "\n".join(head + [f"def {name}(d_root, P, S=None):", "    _caller = getcontext()", "    setcontext(CONTEXT)",
                                "    try:"] + _indent(body, 2) + ["    finally:", "        setcontext(_caller)", ""])
        if namespace is None:
            namespace = runtime_namespace()
        namespace.update(self.c.constant_table())
        exec(compile(src, filename, "exec"), namespace)  # noqa: S102 - source generated from checked ASTs only
        return namespace[name], src, namespace


def _looked_up(steps: list) -> set[str]:
    """The names the steps read one item of (`v[x]`)."""
    roots = [r for step in steps for r in ([getattr(step, "expr", None), getattr(step, "require", None),
                                             getattr(step, "when", None)] + [b.collection for b in step.bindings])]
    return {n.obj.id for root in roots if root is not None for n in root.walk()
            if isinstance(n, syntax.Index) and isinstance(n.obj, syntax.Name)}


def runtime_namespace() -> dict[str, Any]:
    """The only names generated code can see: runtime helpers, no builtins beyond a few pure ones."""
    ns: dict[str, Any] = {k: getattr(runtime, k) for k in dir(runtime)
                          if k.startswith("f_") or k in ("as_date", "FAST_ERRORS", "ZERO", "Decimal", "NestedValues",
                                                         "decimal_context", "POISON")}
    ns.update({k: getattr(safe_mode, k) for k in dir(safe_mode) if k.startswith("s_")})
    ns["s_rule"] = _s_rule
    ns["NOT_HOISTED"] = NOT_HOISTED
    ns["NOT_MADE"] = NOT_MADE
    ns["render"] = runtime.render
    ns["COUNTS"] = runtime.COUNTS
    ns["CONTEXT"], ns["getcontext"], ns["setcontext"] = runtime.CONTEXT, decimal.getcontext, decimal.setcontext
    ns["QUANTUM"] = runtime.QUANTUM  # round(x, n): a Decimal n finds its int key (equal hash)
    ns["HALF_UP"] = runtime.ROUND_HALF_UP
    ns["FLOOR"] = runtime.ROUND_FLOOR
    ns["CEILING"] = runtime.ROUND_CEILING
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
