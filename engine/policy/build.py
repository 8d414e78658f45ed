"""From a resolved `PolicySpec` to a runnable `Policy`: parse, check, order, compile.

This is where a policy's expressions meet each other: every expression is parsed (errors mapped to
file:line:col), names are resolved and typed against the parameters, values, functions and the
subject's JSON Schema, values are ordered by dependency (cycles are errors), and the whole policy is
compiled into one Python function. All problems found are reported together.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..errors import ErrorList, PolicyError
from ..lang import syntax
from ..lang import types as T
from ..lang.checker import Checker, Scope, Symbol, suggest
from ..lang.compiler import (Binding, ExprCompiler, FunctionDef, ProgramBuilder, RuleStep, ValueStep,
                             compile_probe, compile_template)
from ..lang.parser import ExpressionError, parse
from ..lang.runtime import Bands
from ..record import normalise
from ..schemas import load_schema
from .spec import Entry, PolicySpec

_BINDING = re.compile(r"^(\s*)([A-Za-z_][A-Za-z0-9_]*)\s+in\s+")
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")


@dataclass
class Parsed:
    """A parsed expression and where its text sits (entry, field, offset of the text in the field)."""

    node: syntax.Node
    entry: Entry
    field: tuple
    column_offset: int = 0


@dataclass
class Template:
    """A message template: literal text and parsed {placeholders}, alternating."""

    parts: list = field(default_factory=list)   # str | Parsed


@dataclass
class Warning_:
    message: str
    location: object

    def __str__(self):
        return f"{self.location}: warning: {self.message}"


class Builder:
    def __init__(self, spec: PolicySpec):
        self.spec = spec
        self.errors: list[PolicyError] = []
        self.warnings: list[Warning_] = []

    # -- errors ------------------------------------------------------------------------------
    def fail(self, message: str, entry: Entry, *sub, key=False, hint=None):
        self.errors.append(PolicyError(message, entry.origin.location(*sub, key=key), hint=hint))

    def expr_error(self, e: ExpressionError, entry: Entry, field_path: tuple, column_offset: int = 0):
        line, col = e.pos
        if line == 1:
            col += column_offset
        loc = entry.origin.location(*field_path, offset=(line, col))
        self.errors.append(PolicyError(e.message, loc, hint=e.hint))

    def parse(self, text, entry: Entry, *field_path, column_offset: int = 0) -> Parsed | None:
        if isinstance(text, bool):
            text = "true" if text else "false"
        elif not isinstance(text, str):
            text = format(text, "f")  # a YAML number written as the whole expression
        try:
            return Parsed(parse(text), entry, field_path, column_offset)
        except ExpressionError as e:
            self.expr_error(e, entry, field_path, column_offset)
            return None

    def check(self, checker: Checker, parsed: Parsed, env=None, condition=False) -> T.Type:
        before = len(checker.errors)
        t = checker.check_condition(parsed.node, env) if condition else checker.check(parsed.node, env)
        for e in checker.errors[before:]:
            self.expr_error(e, parsed.entry, parsed.field, parsed.column_offset)
        return t

    # -- pieces ------------------------------------------------------------------------------
    def bindings(self, entry: Entry) -> list[tuple[str, Parsed]] | None:
        raw = entry.get("for_each")
        if raw is None:
            return []
        items = [raw] if isinstance(raw, str) else raw
        out = []
        for i, text in enumerate(items):
            sub = ("for_each",) if isinstance(raw, str) else ("for_each", i)
            m = _BINDING.match(text)
            if not m:
                self.fail("for_each is written 'NAME in COLLECTION', e.g. 'i in iku'", entry, *sub)
                return None
            parsed = self.parse(text[m.end():], entry, *sub, column_offset=m.end())
            if parsed is None:
                return None
            out.append((m.group(2), parsed))
        return out

    def template(self, text: str, entry: Entry, *field_path) -> Template:
        tpl = Template()
        last = 0
        for m in _PLACEHOLDER.finditer(text):
            tpl.parts.append(text[last:m.start()])
            last = m.end()
            if m.group(1) is None:
                tpl.parts.append(m.group(0)[0])
                continue
            parsed = self.parse(m.group(1), entry, *field_path, column_offset=m.start() + 1)
            if parsed is not None:
                tpl.parts.append(parsed)
        tpl.parts.append(text[last:])
        return tpl


def parameter_value(raw, is_bands: bool, entry: Entry, builder: Builder, sub: tuple):
    """The run-time form of a parameter value: band tables become `Bands`, nulls are dropped."""
    if is_bands:
        return _bands(raw, entry, builder, sub)
    return normalise(raw)


def _bands(rows, entry: Entry, builder: Builder, sub: tuple) -> Bands:
    out = []
    for row in rows:
        low, low_inc = (row["over"], False) if "over" in row else (row.get("from"), True)
        high, high_inc = (row["under"], False) if "under" in row else (row.get("to"), True)
        out.append((low, low_inc, high, high_inc, row["label"]))
    # two rows overlap if some x satisfies both; check each pair of intervals
    for i, a in enumerate(out):
        for j, b in enumerate(out[:i]):
            if _overlap(a, b):
                builder.fail(f"band '{a[4]}' overlaps band '{b[4]}'", entry, *sub, i)
    ordered = sorted(out, key=lambda r: (Decimal("-Infinity") if r[0] is None else r[0]))
    for a, b in zip(ordered, ordered[1:]):
        if a[2] is None or b[0] is None:
            continue
        if a[2] < b[0] or (a[2] == b[0] and not a[3] and not b[1]):
            where = entry.origin.location(*sub)
            edge = f"{a[2]}" if a[2] == b[0] else f"{a[2]} … {b[0]}"
            builder.warnings.append(Warning_(f"bands leave a gap at {edge} ('{a[4]}' / '{b[4]}'): "
                                             "a value there gets no label", where))
    return Bands(out)


def _overlap(a, b) -> bool:
    lo = max((a[0], a[1]), (b[0], b[1]), key=lambda x: (Decimal("-Infinity") if x[0] is None else x[0], not x[1]))
    hi = min((a[2], a[3]), (b[2], b[3]), key=lambda x: (Decimal("Infinity") if x[0] is None else x[0], x[1]))
    if lo[0] is None or hi[0] is None:
        return True
    return lo[0] < hi[0] or (lo[0] == hi[0] and lo[1] and hi[1])


def dependency_order(names: list[str], deps: dict[str, set[str]]) -> tuple[list[str], list[list[str]]]:
    """Topological order of `names`; also the cycles found (each as a list of names)."""
    order, state, cycles = [], {}, []

    def visit(n, stack):
        if state.get(n) == 2:
            return
        if state.get(n) == 1:
            cycles.append(stack[stack.index(n):])
            return
        state[n] = 1
        for d in sorted(deps.get(n, ())):
            if d in deps:
                visit(d, stack + [d])
        state[n] = 2
        order.append(n)

    for n in names:
        visit(n, [n])
    return order, cycles


def build(spec: PolicySpec):
    """Check and compile a resolved spec. Raises `ErrorList`/`PolicyError` listing every problem."""
    from .policy import Policy, ParameterInfo, RuleInfo, ValueInfo

    b = Builder(spec)
    scope = Scope()
    try:
        schema = load_schema(spec.subject_schema, spec.schemas)
    except Exception as e:
        raise PolicyError(str(e), spec.root.location("subject", "schema")) from None
    scope.symbols[spec.subject_name] = Symbol("root", T.from_schema(schema, schema))

    # parameters: runtime values (dated ones keep every dated value) and static types
    params: dict[str, ParameterInfo] = {}
    for name, entry in spec.parameters.items():
        is_bands = entry.get("type") == "bands"
        if "values" in entry.data:
            dated = [(v["from"], parameter_value(v["value"], is_bands, entry, b, ("values", i, "value")))
                     for i, v in enumerate(entry.data["values"])]
            dated.sort(key=lambda x: x[0])
        else:
            dated = [(None, parameter_value(entry.data["value"], is_bands, entry, b, ("value",)))]
        if dated[-1][1] is None:
            b.fail(f"parameter '{name}' has no value", entry, "value")
        params[name] = ParameterInfo(name, entry, dated)
        scope.symbols[name] = Symbol("param", T.BANDS if is_bands else T.from_value(dated[-1][1]))
        if entry.get("status") == "provisional" and not entry.get("note"):
            b.warnings.append(Warning_(f"provisional parameter '{name}' has no note explaining the assumption",
                                       entry.origin.location(key=True)))

    def claim(name: str, entry: Entry, symbol: Symbol):
        if name in scope.symbols:
            other = scope.symbols[name].kind
            b.fail(f"'{name}' is already defined as a {'data root' if other == 'root' else other}", entry, key=True)
        else:
            scope.symbols[name] = symbol

    # functions
    fn_parsed: dict[str, Parsed] = {}
    for name, entry in spec.functions.items():
        claim(name, entry, Symbol("function", T.ANY, arity=len(entry.data["params"])))
        p = b.parse(entry.data["expr"], entry, "expr")
        if p is not None:
            fn_parsed[name] = p

    # values: parse, then order by dependencies between values and functions
    val_parsed: dict[str, Parsed] = {}
    val_bindings: dict[str, list[tuple[str, Parsed]]] = {}
    for name, entry in spec.values.items():
        binds = b.bindings(entry)
        claim(name, entry, Symbol("item_value" if binds else "value"))
        p = b.parse(entry.data["expr"], entry, "expr")
        if p is not None and binds is not None:
            val_parsed[name], val_bindings[name] = p, binds

    def refs(nodes) -> set[str]:
        return {n.id for node in nodes for n in syntax.free_names(node) if n.id in scope.symbols} | \
               {n.func for node in nodes for n in node.walk() if isinstance(n, syntax.Call) and n.func in spec.functions}

    deps = {name: refs([p.node] + [bp.node for _, bp in val_bindings[name]]) for name, p in val_parsed.items()}
    deps.update({name: refs([p.node]) for name, p in fn_parsed.items()})
    order, cycles = dependency_order(list(fn_parsed) + list(val_parsed), deps)
    for cyc in cycles:
        entry = spec.values.get(cyc[0]) or spec.functions[cyc[0]]
        b.fail(f"values depend on each other in a cycle: {' → '.join(cyc)}", entry, "expr")
    if b.errors:
        raise ErrorList(b.errors) if len(b.errors) > 1 else b.errors[0]

    checker = Checker(scope)
    val_env: dict[str, dict[str, T.Type]] = {}
    for name in order:
        if name in fn_parsed:
            env = {p: T.ANY for p in spec.functions[name].data["params"]}
            scope.symbols[name].type = b.check(checker, fn_parsed[name], env)
            continue
        env = {}
        for var, bp in val_bindings[name]:
            coll = b.check(checker, bp, env)
            env = {**env, var: coll.element()}
        val_env[name] = env
        scope.symbols[name].type = b.check(checker, val_parsed[name], env)

    keys: dict[str, Template] = {}
    for name in val_parsed:
        key = spec.values[name].get("key")
        if key is not None:
            keys[name] = b.template(key, spec.values[name], "key")
            for part in keys[name].parts:
                if isinstance(part, Parsed):
                    b.check(checker, part, val_env[name])

    # rules
    rule_parsed = []
    for rid, entry in spec.rules.items():
        binds = b.bindings(entry)
        when = b.parse(entry.data["when"], entry, "when") if "when" in entry.data else None
        require = b.parse(entry.data["require"], entry, "require")
        message = b.template(entry.get("message") or entry.data["title"], entry,
                             "message" if "message" in entry.data else "title")
        if binds is None or require is None:
            continue
        env = {}
        for var, bp in binds:
            coll = b.check(checker, bp, env)
            env = {**env, var: coll.element()}
        if when is not None:
            b.check(checker, when, env, condition=True)
        b.check(checker, require, env, condition=True)
        for part in message.parts:
            if isinstance(part, Parsed):
                b.check(checker, part, env)
        rule_parsed.append((rid, entry, binds, when, require, message))

    ref_date = None
    if spec.reference_date is not None:
        ref_date = b.parse(spec.reference_date.data["expr"], spec.reference_date, "reference_date")
        if ref_date is not None:
            t = b.check(checker, ref_date)
            if t.kind not in ("date", "any"):
                b.fail(f"reference_date must be a date, not a {t.describe()}", spec.reference_date, "reference_date")

    outputs = spec.outputs if spec.outputs is not None else list(spec.values)
    for i, name in enumerate(outputs):
        if name not in spec.values:
            b.errors.append(PolicyError(f"output '{name}' is not a value of this policy",
                                        spec.root.location("outputs", i), hint=suggest(name, spec.values)))
    if b.errors:
        raise ErrorList(b.errors) if len(b.errors) > 1 else b.errors[0]

    for name, info in params.items():
        if name not in checker.used:
            b.warnings.append(Warning_(f"parameter '{name}' is not used by any value or rule",
                                       info.entry.origin.location(key=True)))

    # compile
    compiler = ExprCompiler(scope, checker.date_nodes, spec.subject_name)
    functions = [FunctionDef(n, spec.functions[n].data["params"], fn_parsed[n].node)
                 for n in order if n in fn_parsed]
    program = ProgramBuilder(compiler, functions)
    for name in order:
        if name in val_parsed:
            binds = [Binding(v, bp.node) for v, bp in val_bindings[name]]
            program.value(ValueStep(name, val_parsed[name].node, binds))
    for index, (rid, entry, binds, when, require, message) in enumerate(rule_parsed):
        program.rule(RuleStep(index, require.node, when.node if when else None,
                              [Binding(v, bp.node) for v, bp in binds]))
    evaluate, source, namespace = program.build(f"<policy {spec.id}>")

    def template(tpl: Template, bound: list[str]):
        parts = [p if isinstance(p, str) else p.node for p in tpl.parts]
        return compile_template(compiler, parts, bound, namespace, f"<policy {spec.id}>")

    def probe(parsed: Parsed, bound: list[str]):
        return compile_probe(compiler, parsed.node, bound, namespace, f"<policy {spec.id}>")

    values = {}
    for name, entry in spec.values.items():
        bound = [v for v, _ in val_bindings[name]]
        key = template(keys[name], bound) if name in keys else None
        values[name] = ValueInfo(name, entry, bound, key,
                                 val_parsed[name].node, sorted(deps[name] & set(scope.symbols)))
    rules = []
    for rid, entry, binds, when, require, message in rule_parsed:
        bound = [v for v, _ in binds]
        rules.append(RuleInfo(rid, entry, bound, template(message, bound)))
    ref_probe = probe(ref_date, []) if ref_date is not None else None
    policy = Policy(spec, params, values, rules, outputs, evaluate, source, ref_probe, b.warnings,
                    compiler, namespace, scope)
    policy.function_deps = {name: sorted(deps[name]) for name in fn_parsed}
    policy.rule_deps = {rid: sorted(refs([bp.node for _, bp in binds] + [require.node]
                                         + ([when.node] if when else [])))
                        for rid, entry, binds, when, require, message in rule_parsed}
    return policy

