"""Static checking of expressions before anything runs.

Given the names a policy defines (parameters, values, functions, the data root typed by its JSON
Schema), the checker walks each expression once and reports every problem it can know at load time:
unknown names and fields (with did-you-mean), wrong arity, arithmetic on text, a comparison with a
value outside a field's enum, a condition that is not true/false. It also records which data fields
hold dates, so the compiler can convert their ISO text.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..display import did_you_mean as suggest
from ..limits import number_problem
from . import syntax
from . import types as T
from .functions import AGGREGATES, FUNCTIONS, SCALAR_MIN_MAX
from .parser import ExpressionError


@dataclass
class Symbol:
    """A policy-level name: the data root, a parameter, a value (scalar or per item), a function."""

    kind: str            # root | param | value | item_value | function
    type: T.Type = T.ANY  # for item_value: the type of one item's value
    arity: int = 0        # for function


@dataclass
class Scope:
    """The names visible to an expression (parameters, values, bound items) and facts about its nodes."""
    symbols: dict[str, Symbol] = field(default_factory=dict)
    # id() of expression nodes that are lists of schema-typed records (-> the node, kept alive: see
    # Checker.date_nodes): validated data holds no null element there, so compiled fast mode need
    # not look for one (see ExprCompiler._known)
    present_elements: dict[int, syntax.Node] = field(default_factory=dict)


def _schema_records(t: T.Type | None) -> bool:
    """Records described by the data schema, which does not allow null for them."""
    if t is None or t.kind != "object" or t.schema is None:
        return False
    kind = t.schema.get("type")
    return kind == "object" or (isinstance(kind, list) and "null" not in kind)


class Checker:
    """Checks expressions against a scope; collects errors instead of stopping at the first."""

    def __init__(self, scope: Scope):
        self.scope = scope
        self.errors: list[ExpressionError] = []
        # id() of Member nodes whose value is a date -> the node, kept alive so that its id is never
        # another node's (a node checked and then dropped would free it) and the cache can store it
        self.date_nodes: dict[int, syntax.Node] = {}
        self.used: set[str] = set()         # policy-level names referenced

    def error(self, message: str, node: syntax.Node, hint: str | None = None) -> T.Type:
        self.errors.append(ExpressionError(message, node.pos, hint))
        return T.ANY

    def check(self, node: syntax.Node, env: dict[str, T.Type] | None = None) -> T.Type:
        t = getattr(self, "_" + type(node).__name__)(node, env or {})
        if t.kind == "list" and _schema_records(t.elem):
            self.scope.present_elements[id(node)] = node
        return t

    def check_condition(self, node: syntax.Node, env: dict[str, T.Type] | None = None) -> T.Type:
        t = self.check(node, env)
        if t.kind not in ("bool", "any"):
            self.error(f"a condition must be true or false, but this is a {t.describe()}", node)
        return t

    # -- leaves -------------------------------------------------------------------------------
    def _Literal(self, node: syntax.Literal, env):
        v = node.value
        if v is None:
            return T.NULL
        if isinstance(v, bool):
            return T.BOOL
        if isinstance(v, str):
            return T.TEXT
        problem = number_problem(v)
        if problem is not None:  # as in a data file: never rounded on entry, never too large
            self.error(problem, node)
        return T.NUMBER

    def _Name(self, node: syntax.Name, env):
        if node.id in env:
            return env[node.id]
        sym = self.scope.symbols.get(node.id)
        if sym is None:
            names = list(env) + list(self.scope.symbols)
            hint = suggest(node.id, names + list(FUNCTIONS) + list(AGGREGATES))
            return self.error(f"unknown name '{node.id}'", node, hint)
        self.used.add(node.id)
        if sym.kind == "function":
            return self.error(f"'{node.id}' is a function; call it with ( )", node)
        if sym.kind == "item_value":
            return T.list_of(sym.type)
        return sym.type

    def _ListLit(self, node: syntax.ListLit, env):
        return T.list_of(T.join([self.check(i, env) for i in node.items]))

    # -- access -------------------------------------------------------------------------------
    def _Member(self, node: syntax.Member, env):
        t = self.check(node.obj, env)
        if t.kind == "any":
            return T.ANY
        if t.kind == "list":
            return self.error(f"'.{node.name}' on a list: use an aggregate, e.g. "
                              f"list(x.{node.name} for x in …), or index one element", node)
        if t.kind != "object":
            return self.error(f"a {t.describe()} has no field '{node.name}'", node)
        m = t.member(node.name)
        if m is None:
            return self.error(f"unknown field '{node.name}'", node, suggest(node.name, t.member_names())
                              or f"fields here: {', '.join(sorted(t.member_names())) or '(none)'}")
        if m.kind == "date":
            self.date_nodes[id(node)] = node
        return m

    def _Index(self, node: syntax.Index, env):
        key_t = self.check(node.key, env)
        if isinstance(node.obj, syntax.Name) and node.obj.id not in env:
            sym = self.scope.symbols.get(node.obj.id)
            if sym is not None and sym.kind == "item_value":
                self.used.add(node.obj.id)
                return sym.type
        t = self.check(node.obj, env)
        if t.kind == "list":
            if key_t.kind not in ("number", "any"):
                self.error(f"a list is indexed by a position number, not a {key_t.describe()}", node.key)
            return t.element()
        if t.kind == "object":
            if t.keys is not None and isinstance(node.key, syntax.Literal) and not isinstance(node.key.value, bool):
                return self._table_entry(t, node.key)
            if isinstance(node.key, syntax.Literal) and isinstance(node.key.value, str):
                m = t.member(node.key.value)
                if m is None:
                    return self.error(f"no entry '{node.key.value}'", node.key, suggest(node.key.value, t.member_names()))
                return m
            if t.fields is not None:
                return T.join(list(t.fields.values()))
            return T.ANY
        if t.kind == "any":
            return T.ANY
        return self.error(f"a {t.describe()} cannot be indexed", node)

    def _table_entry(self, t: T.Type, key: syntax.Literal) -> T.Type:
        """`table[literal]` on a parameter table: the key must be one of its keys, compared by value
        (a number key 1 is found by 1 and 1.0, never by the text "1")."""
        for k in t.keys:
            if type(k) is type(key.value) and k == key.value:
                return t.fields[str(k)]
        shown = repr(key.value) if isinstance(key.value, str) else str(key.value)
        same_text = [k for k in t.keys if str(k) == str(key.value)]
        if same_text:
            kind = "text" if isinstance(same_text[0], str) else "numbers"
            return self.error(f"no entry {shown}", key, f"this table's keys are {kind}: write "
                                                        f"[{T.key_text(same_text[0])}]")
        return self.error(f"no entry {shown}", key, suggest(str(key.value), map(str, t.keys))
                          or f"entries: {', '.join(T.key_text(k) for k in t.keys)}")

    # -- calls ------------------------------------------------------------------------------
    def _Call(self, node: syntax.Call, env):
        args = [self.check(a, env) for a in node.args]
        sym = self.scope.symbols.get(node.func)
        if sym is not None and sym.kind == "function" and node.func not in env:
            self.used.add(node.func)
            if len(args) != sym.arity:
                return self.error(f"{node.func}() takes {sym.arity} argument(s), {len(args)} given", node)
            return sym.type
        if node.func in SCALAR_MIN_MAX and len(args) >= 2:
            for a, t in zip(node.args, args):
                if t.kind not in ("number", "date", "any"):
                    self.error(f"{node.func}() compares numbers or dates, not a {t.describe()}", a)
            return T.join(args)
        if node.func in AGGREGATES:
            if AGGREGATES[node.func].yields_item:
                return self.error(f"{node.func}() needs a key: {node.func}(x.key for x in collection)", node)
            if len(args) != 1:
                return self.error(f"{node.func}() takes one collection, or the form "
                                  f"{node.func}(x for x in collection where …)", node)
            if args[0].kind not in ("list", "any"):
                return self.error(f"{node.func}() needs a list, not a {args[0].describe()}", node.args[0])
            return AGGREGATES[node.func].result(args[0].element())
        fn = FUNCTIONS.get(node.func)
        if fn is None:
            names = list(FUNCTIONS) + list(AGGREGATES) + [n for n, s in self.scope.symbols.items() if s.kind == "function"]
            return self.error(f"unknown function '{node.func}'", node, suggest(node.func, names))
        if len(args) < fn.min_args or (fn.max_args is not None and len(args) > fn.max_args):
            expected = str(fn.min_args) if fn.max_args == fn.min_args else (
                f"{fn.min_args} or more" if fn.max_args is None else f"{fn.min_args} to {fn.max_args}")
            return self.error(f"{node.func}() takes {expected} argument(s), {len(args)} given", node,
                              fn.doc)
        for i, (a, t) in enumerate(zip(node.args, args)):
            want = fn.args[min(i, len(fn.args) - 1)]
            if want == "*":
                want = fn.args[-2]
            if not _fits(t, want):
                self.error(f"{node.func}() expects a {want} here, not a {t.describe()}", a, fn.doc)
        return fn.result(args)

    def _Aggregate(self, node: syntax.Aggregate, env):
        if node.func not in AGGREGATES:
            hint = "aggregates: " + ", ".join(AGGREGATES)
            return self.error(f"'{node.func}' is not an aggregate; '… for … in …' works with aggregates only",
                              node, hint)
        coll = self.check(node.collection, env)
        if coll.kind not in ("list", "any"):
            self.error(f"'for {node.var} in …' needs a list, not a {coll.describe()}", node.collection)
        inner = dict(env)
        inner[node.var] = coll.element()
        body = self.check(node.body, inner)
        if node.where is not None:
            self.check_condition(node.where, inner)
        if node.func in ("any", "all") and body.kind not in ("bool", "any"):
            self.error(f"{node.func}() needs true/false elements, not {body.describe()}", node.body)
        if node.func in ("sum", "avg") and body.kind not in ("number", "any"):
            self.error(f"{node.func}() adds numbers, not {body.describe()}", node.body)
        if node.func in ("max_by", "min_by", "count_by") and body.kind in ("bool", "list", "object", "bands"):
            verb = "counts" if node.func == "count_by" else "orders"
            self.error(f"{node.func}() {verb} numbers, dates or text, not a {body.describe()}", node.body)
        if AGGREGATES[node.func].yields_item:
            return coll.element()
        return AGGREGATES[node.func].result(body)

    # -- operators ------------------------------------------------------------------------------
    def _Unary(self, node: syntax.Unary, env):
        t = self.check(node.operand, env)
        if node.op == "not":
            if t.kind not in ("bool", "any"):
                self.error(f"'not' needs true/false, not a {t.describe()}", node.operand)
            return T.BOOL
        if t.kind not in ("number", "any"):
            self.error(f"cannot negate a {t.describe()}", node.operand)
        return T.NUMBER

    def _Binary(self, node: syntax.Binary, env):
        lt, rt = self.check(node.left, env), self.check(node.right, env)
        op = node.op
        if op in ("and", "or"):
            for side, t in ((node.left, lt), (node.right, rt)):
                if t.kind not in ("bool", "any"):
                    self.error(f"'{op}' needs true/false on both sides, not a {t.describe()}", side)
            return T.BOOL
        if op in "+-*/":
            for side, t in ((node.left, lt), (node.right, rt)):
                if t.kind not in ("number", "any"):
                    hint = "use add_days(date, n) for dates" if t.kind == "date" else None
                    self.error(f"'{op}' needs numbers, not a {t.describe()}", side, hint)
            return T.NUMBER
        if op in ("in", "notin"):
            if rt.kind not in ("list", "object", "any"):
                self.error(f"'in' needs a list or table on its right, not a {rt.describe()}", node.right)
            if isinstance(node.right, syntax.ListLit):
                for item in node.right.items:
                    self._check_enum(lt, item)
            return T.BOOL
        self._check_comparable(node, lt, rt)
        return T.BOOL

    def _check_comparable(self, node: syntax.Binary, lt: T.Type, rt: T.Type):
        kinds = {lt.kind, rt.kind} - {"any", "null"}
        if node.op in ("==", "!="):
            if len(kinds) > 1 and kinds != {"date", "text"}:
                self.error(f"comparing a {lt.describe()} with a {rt.describe()} is always "
                           f"{'false' if node.op == '==' else 'true'}", node)
            self._check_enum(lt, node.right)
            self._check_enum(rt, node.left)
            return
        if len(kinds) > 1 or kinds & {"bool", "list", "object", "bands"}:
            self.error(f"'{node.op}' cannot order a {lt.describe()} and a {rt.describe()}", node)

    def _check_enum(self, t: T.Type, other: syntax.Node):
        if t.enum and isinstance(other, syntax.Literal) and isinstance(other.value, str) and other.value not in t.enum:
            self.error(f"'{other.value}' is not one of: {', '.join(map(str, t.enum))}", other,
                       suggest(other.value, map(str, t.enum)))

    def _Between(self, node: syntax.Between, env):
        ts = [self.check(n, env) for n in (node.value, node.low, node.high)]
        kinds = {t.kind for t in ts} - {"any"}
        if len(kinds) > 1 or kinds - {"number", "date"}:
            self.error("'between' needs numbers (or dates) on all three sides", node)
        return T.BOOL

    def _Let(self, node: syntax.Let, env):
        inner = dict(env)
        for name, value, pos in zip(node.names, node.values, node.name_pos):
            t = self.check(value, inner)
            if name in inner or name in self.scope.symbols:
                self.errors.append(ExpressionError(
                    f"'{name}' is already a name here; a let needs a name of its own", pos,
                    "let names may not hide a parameter, value, function, data root or variable"))
            inner[name] = t
        return self.check(node.body, inner)

    def _If(self, node: syntax.If, env):
        self.check_condition(node.cond, env)
        return T.join([self.check(node.then, env), self.check(node.otherwise, env)])


def _fits(t: T.Type, want: str) -> bool:
    if t.kind in ("any", "null") or want == "any":
        return True
    if want == "date":
        return t.kind in ("date", "text")
    return t.kind == want
