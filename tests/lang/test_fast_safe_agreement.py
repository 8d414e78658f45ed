"""The fast form and the safe form of a compiled expression mean the same thing.

Every expression is compiled twice (engine/lang/compiler.py): a fast form with native operators that
hands over to the safe form on any exception, and the safe form alone. Here hypothesis generates
well-typed expressions over numbers, `null`, lists with missing elements (literal and from data),
aggregates, `between`, `coalesce`, `if`, three-valued logic, comparisons and arithmetic with possible
division by zero, and checks fast == safe == `reference`, a small interpreter of the parsed syntax
tree written from the README's language reference:

- a missing operand makes arithmetic and comparisons missing; division by zero is missing;
- `false and missing` is false, `true or missing` is true; the right side is read only if needed;
- `x between lo and hi` is `lo <= x and x <= hi` (so `hi` is read only if `lo <= x` is not false);
- `coalesce(a, b, …)` is the first known argument, read left to right (later ones are not read);
- `let a = v, b = w in body` evaluates v, then w (which may read a), then body; a missing value is
  missing in the body (three-valued as everywhere);
- `max_by(key for x in xs)` / `min_by` is the element of the largest / smallest key, the first on a
  tie; `count_by(xs)` is a table {value: count} whose keys are equal by value (1 and 1.0 are one);
- aggregates skip missing elements (nulls in the list; and missing body values): `count` is the
  number of present elements, `first`/`last` the first/last present one; `any`/`all` are
  three-valued over the body values of the present elements and stop at the first true/false one.

An evaluation error (here: `round` with non-whole places) is an outcome too: both forms and the
reference must agree on whether one happens.
"""
from __future__ import annotations

from decimal import Decimal

from hypothesis import example, given
from hypothesis import strategies as st

from engine.lang import syntax
from engine.lang.checker import Checker, Scope
from engine.lang.compiler import ExprCompiler, runtime_namespace
from engine.lang.parser import parse
from engine.lang.runtime import decimal_context
from tests.lang.test_properties import FAST, VALID_EXPRS

D = Decimal

# -- typed expression text ------------------------------------------------------------------------
NUM_ATOMS = st.sampled_from(["0", "1", "2", "3", "0.5", "10", "null", "d.n"])
BOOL_ATOMS = st.sampled_from(["true", "false", "null", "d.b"])
LIST_ATOMS = st.sampled_from(["xs", "ys", "[]", "[1, null, 3]", "[null, 5]", "[null]", "[2, 0.5]"])
BOOL_LISTS = st.sampled_from(["bs", "[true, null]", "[false, null]", "[null]", "[]"])
AGGREGATES = ["count", "sum", "avg", "min", "max", "first", "last"]


def _p(s: str) -> str:
    return f"({s})"


def _numbers(inner_num, inner_bool, inner_list):
    # inside an aggregate's body or where, `x` is one element of the collection
    body = st.one_of(inner_num, st.just("x"), inner_num.map(lambda e: f"x * {_p(e)}"))
    where = st.one_of(inner_bool, inner_num.map(lambda e: f"x > {_p(e)}"))
    return st.one_of(
        st.tuples(inner_num, st.sampled_from(["+", "-", "*", "/"]), inner_num).map(lambda t: f"{_p(t[0])} {t[1]} {_p(t[2])}"),
        inner_num.map(lambda e: f"-{_p(e)}"),
        st.tuples(st.sampled_from(AGGREGATES), inner_list).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(st.sampled_from(AGGREGATES), body, inner_list, where).map(
            lambda t: f"{t[0]}({t[1]} for x in {t[2]} where {t[3]})"),
        st.lists(inner_num, min_size=2, max_size=3).map(lambda xs: f"coalesce({', '.join(xs)})"),
        st.tuples(inner_bool, inner_num, inner_num).map(lambda t: f"if {t[0]} then {t[1]} else {t[2]}"),
        st.tuples(st.sampled_from(["round", "floor", "ceil"]), inner_num, st.sampled_from(["0", "1", "0.5"])).map(
            lambda t: f"{t[0]}({t[1]}, {t[2]})"),
        st.tuples(st.sampled_from(["min", "max"]), inner_num, inner_num).map(lambda t: f"{t[0]}({t[1]}, {t[2]})"),
        st.tuples(st.sampled_from(["2025", "d.n"]), inner_num).map(lambda t: f"quarter_index({t[0]}, {t[1]})"),
        st.tuples(st.sampled_from(["max_by", "min_by"]), body, inner_list, where).map(
            lambda t: f"{t[0]}({t[1]} for x in {t[2]} where {t[3]})"),
        st.tuples(st.one_of(inner_list, body.map(lambda b: f"{b} for x in xs")), inner_num).map(
            lambda t: f"count_by({t[0]})[{t[1]}]"),
        # `a` and `b` are read only inside the let that binds them
        st.tuples(inner_num, st.one_of(inner_num, st.just("a"), inner_num.map(lambda e: f"a * {_p(e)}"))).map(
            lambda t: f"let a = {_p(t[0])} in {t[1]}"),
        st.tuples(inner_num, inner_num).map(lambda t: f"let a = {_p(t[0])}, b = a + {_p(t[1])} in coalesce(b, a) * a"),
        st.tuples(inner_list, st.sampled_from(["0", "1", "-1", "5"])).map(lambda t: f"{_p(t[0])}[{t[1]}]"),
    )


def _bools(inner_num, inner_bool):
    return st.one_of(
        st.tuples(inner_num, st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), inner_num).map(
            lambda t: f"{_p(t[0])} {t[1]} {_p(t[2])}"),
        st.tuples(inner_bool, st.sampled_from(["and", "or"]), inner_bool).map(lambda t: f"{_p(t[0])} {t[1]} {_p(t[2])}"),
        inner_bool.map(lambda e: f"not {_p(e)}"),
        st.tuples(inner_num, inner_num, inner_num).map(lambda t: f"{_p(t[0])} between {_p(t[1])} and {_p(t[2])}"),
        st.tuples(st.sampled_from(["any", "all"]), BOOL_LISTS).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(st.sampled_from(["any", "all"]), st.one_of(inner_bool, inner_num.map(lambda e: f"x == {_p(e)}")),
                  LIST_ATOMS).map(lambda t: f"{t[0]}({t[1]} for x in {t[2]})"),
        st.lists(inner_bool, min_size=2, max_size=3).map(lambda xs: f"coalesce({', '.join(xs)})"),
        st.tuples(inner_num, inner_bool).map(lambda t: f"let a = {_p(t[0])} in present(a) and ({t[1]} or a > 1)"),
        st.tuples(inner_num, LIST_ATOMS).map(lambda t: f"{_p(t[0])} in count_by({t[1]})"),
        st.tuples(inner_bool, inner_bool, inner_bool).map(lambda t: f"if {t[0]} then {t[1]} else {t[2]}"),
    )


def _expressions(depth: int):
    if depth == 0:
        return NUM_ATOMS, BOOL_ATOMS
    num, boolean = _expressions(depth - 1)
    return (st.one_of(NUM_ATOMS, _numbers(num, boolean, LIST_ATOMS)),
            st.one_of(BOOL_ATOMS, _bools(num, boolean)))


NUM_EXPRS, BOOL_EXPRS = _expressions(3)
MAYBE_NUMBER = st.one_of(st.none(), st.sampled_from([D(0), D(1), D(2), D("0.5"), D(-3)]))
# `d` is a data record (absent fields are missing; normalised data has no null fields), the lists are
# bound collections whose elements may be null
DATA = st.fixed_dictionaries({
    "d": st.fixed_dictionaries({}, optional={"n": MAYBE_NUMBER.filter(lambda x: x is not None),
                                             "b": st.booleans()}),
    "xs": st.lists(MAYBE_NUMBER, max_size=4), "ys": st.lists(MAYBE_NUMBER, max_size=4),
    "bs": st.lists(st.one_of(st.none(), st.booleans()), max_size=4),
})
NAMES = ("d", "xs", "ys", "bs")


# -- the two compiled forms -----------------------------------------------------------------------
def compiled(text: str, names=NAMES, whole=False):
    """(fast form with its hand-over to safe, safe form alone) as functions of the bound data. With
    `whole`, the fast form is the one for a step's whole expression (`ExprCompiler.top`), which may
    yield missing without handing over."""
    compiler = ExprCompiler(Scope(), set(), "contract")
    node = parse(text)
    bound = frozenset(names)
    params = ", ".join(["V"] + [f"b_{n}" for n in names])
    fast = compiler.top(node, bound) if whole else compiler.fast(node, bound)
    src = (f"def fast({params}):\n    try:\n        return {fast}\n"
           f"    except FAST_ERRORS:\n        return {compiler.safe(node, bound)}\n"
           f"def safe({params}):\n    return {compiler.safe(node, bound)}\n")
    namespace = runtime_namespace()
    namespace.update(compiler.constant_table())
    exec(compile(src, "<test>", "exec"), namespace)  # noqa: S102
    return node, namespace["fast"], namespace["safe"]


def outcome(fn, *args):
    """A value with its type (True and 1 are different outcomes), or 'error'."""
    try:
        with decimal_context():
            value = fn(*args)
    except Exception:  # noqa: BLE001 - any evaluation error is the outcome "error"
        return "error"
    return (type(value).__name__, value)


# -- the reference interpreter --------------------------------------------------------------------
class EvalError(Exception):
    pass


def reference(node: syntax.Node, env: dict):
    r = lambda n: reference(n, env)  # noqa: E731
    if isinstance(node, syntax.Literal):
        return node.value
    if isinstance(node, syntax.Name):
        return env[node.id]
    if isinstance(node, syntax.Member):
        return r(node.obj).get(node.name)
    if isinstance(node, syntax.ListLit):
        return [r(i) for i in node.items]
    if isinstance(node, syntax.Index):
        xs, key = r(node.obj), r(node.key)
        if key is None or isinstance(xs, dict):   # a table: the entry of an equal key, by value
            return None if key is None else xs.get(key)
        i = int(key)
        return xs[i] if -len(xs) <= i < len(xs) else None
    if isinstance(node, syntax.Unary):
        v = r(node.operand)
        return None if v is None else (not v if node.op == "not" else -v)
    if isinstance(node, syntax.Binary):
        return _binary(node, r)
    if isinstance(node, syntax.Between):  # lo <= x and x <= hi
        pos = node.pos
        return _binary(syntax.Binary(pos, "and", syntax.Binary(pos, "<=", node.low, node.value),
                                     syntax.Binary(pos, "<=", node.value, node.high)), r)
    if isinstance(node, syntax.If):
        cond = r(node.cond)
        return None if cond is None else r(node.then if cond else node.otherwise)
    if isinstance(node, syntax.Let):   # each value once, in order; a missing one is missing in the body
        inner = dict(env)
        for name, value in zip(node.names, node.values):
            inner[name] = reference(value, inner)
        return reference(node.body, inner)
    if isinstance(node, syntax.Aggregate):
        items = [x for x in r(node.collection) if x is not None]
        kept = [x for x in items if node.where is None or reference(node.where, {**env, node.var: x}) is True]
        keys = [reference(node.body, {**env, node.var: x}) for x in kept]
        if node.func in ("max_by", "min_by"):   # the element of the best key, the first on a tie
            return _best_by(node.func, keys, kept)
        return _aggregate(node.func, keys)
    if isinstance(node, syntax.Call):
        return _call(node, r)
    raise AssertionError(f"unexpected node {node}")


def _binary(node: syntax.Binary, r):
    if node.op in ("and", "or"):
        stop = node.op == "or"   # the value that decides alone: false for and, true for or
        a = r(node.left)
        if a is stop:
            return stop
        b = r(node.right)
        if b is stop:
            return stop
        return None if a is None or b is None else not stop
    a, b = r(node.left), r(node.right)
    if a is None or b is None:
        return None
    if node.op == "/":
        return None if b == 0 else a / b
    ops = {"+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b, "==": lambda: a == b,
           "!=": lambda: a != b, "<": lambda: a < b, "<=": lambda: a <= b, ">": lambda: a > b,
           ">=": lambda: a >= b, "in": lambda: a in b}
    return ops[node.op]()


def _best_by(func: str, keys: list, items: list):
    pairs = [(k, x) for k, x in zip(keys, items) if k is not None]
    if not pairs:
        return None
    best = (max if func == "max_by" else min)(k for k, _ in pairs)
    return next(x for k, x in pairs if k == best)


def _aggregate(func: str, values: list):
    """`values`: the element values (or body values); missing ones are skipped, any/all stop early."""
    if func in ("any", "all"):
        stop = func == "any"
        seen_missing = False
        for v in values:
            if v is stop:
                return stop
            seen_missing |= v is None
        return None if seen_missing else not stop
    present = [v for v in values if v is not None]
    if func == "count":
        return D(len(present))
    if func == "count_by":   # {value: how many}, numbers equal by value
        counts: dict = {}
        for v in present:
            counts[v] = counts.get(v, D(0)) + 1
        return counts
    if func == "sum":
        return sum(present, D(0))
    if not present:
        return None
    return {"avg": lambda: sum(present, D(0)) / len(present), "min": lambda: min(present),
            "max": lambda: max(present), "first": lambda: present[0], "last": lambda: present[-1]}[func]()


ROUNDINGS = {"round": "ROUND_HALF_UP", "floor": "ROUND_FLOOR", "ceil": "ROUND_CEILING"}


def _call(node: syntax.Call, r):
    if node.func == "present":
        return r(node.args[0]) is not None
    if node.func == "coalesce":
        for arg in node.args:   # left to right; later arguments are not read
            v = r(arg)
            if v is not None:
                return v
        return None
    if node.func in ("min", "max") and len(node.args) == 2:
        a, b = r(node.args[0]), r(node.args[1])
        return None if a is None or b is None else (min if node.func == "min" else max)(a, b)
    if node.func in ROUNDINGS:   # round half-up, floor towards -infinity, ceil towards +infinity
        x, places = r(node.args[0]), r(node.args[1])
        if x is None or places is None:
            return None
        if places != int(places):
            raise EvalError("places must be whole")
        return x.quantize(D(1).scaleb(-int(places)), rounding=ROUNDINGS[node.func])
    if node.func == "quarter_index":   # quarter_index(year, quarter): year * 4 + quarter - 1
        year, quarter = r(node.args[0]), r(node.args[1])
        if year is None or quarter is None:
            return None
        if year != int(year) or quarter != int(quarter) or not 1 <= quarter <= 4:
            raise EvalError("a quarter is a whole number 1 to 4 of a whole year")
        return year * 4 + quarter - 1
    (arg,) = node.args
    xs = r(arg)
    return None if xs is None else _aggregate(node.func, [x for x in xs if x is not None])


def reference_outcome(node, env):
    try:
        with decimal_context():
            value = reference(node, env)
    except EvalError:
        return "error"
    return (type(value).__name__, value)


def _assert_agree(text: str, data: dict):
    node, fast, safe = compiled(text)
    args = [{}] + [data[n] for n in NAMES]
    expected = reference_outcome(node, data)
    assert outcome(safe, *args) == expected, f"safe form of {text} with {data}"
    assert outcome(fast, *args) == expected, f"fast form of {text} with {data}"
    _, whole, _ = compiled(text, whole=True)
    assert outcome(whole, *args) == expected, f"whole-step fast form of {text} with {data}"


EMPTY = {"d": {}, "xs": [], "ys": [], "bs": []}


@FAST
@given(st.one_of(NUM_EXPRS, BOOL_EXPRS), DATA)
@example("count(xs)", {**EMPTY, "xs": [D(1), None, D(3)]})
@example("first(xs)", {**EMPTY, "xs": [None, D(5)]})
@example("any(x == 1 for x in xs)", {**EMPTY, "xs": [None]})
@example("xs[0] == 1", {**EMPTY, "xs": [None]})
@example("1 between 2 and (1 / 0)", EMPTY)
@example("coalesce(1, round(1, 0.5))", EMPTY)
@example("floor(-(d.n), 0)", {**EMPTY, "d": {"n": D("0.5")}})
@example("ceil((d.n) / 3, 1)", {**EMPTY, "d": {"n": D(2)}})
@example("coalesce(null, 2, round(1, 0.5))", EMPTY)
@example("let a = (d.n) in coalesce(a, 7) + 1", EMPTY)
@example("let a = 1, b = a + (let a = 0 in a) in coalesce(b, a) * a", EMPTY)
@example("sum(x for x in (let a = d.n in [a, 2]))", {**EMPTY, "d": {"n": D(1)}})
@example("sum(x for x in (let a = d.n in [a, 2]))", EMPTY)
@example("max_by(x * 0 for x in xs where true)", {**EMPTY, "xs": [D(2), None, D(1)]})
@example("min_by(x for x in xs where x > 0)", {**EMPTY, "xs": [D(1), D("1.0")]})
@example("count_by(xs)[1]", {**EMPTY, "xs": [D(1), None, D("1.0")]})
@example("quarter_index(d.n, 3)", {**EMPTY, "d": {"n": D("0.5")}})
@example("quarter_index(2025, 5)", EMPTY)
@example("(d.n) / 0", {**EMPTY, "d": {"n": D(1)}})
@example("round(sum(xs) / count(xs), 1)", EMPTY)
@example("if d.b then first(xs) else 1 / (d.n)", {**EMPTY, "d": {"b": False, "n": D(0)}})
@example("max(x for x in xs where x > 1)", {**EMPTY, "xs": [D(1)]})
def test_fast_form_safe_form_and_reference_agree(text, data):
    _assert_agree(text, data)


@FAST
@given(VALID_EXPRS)
def test_any_checked_expression_has_one_outcome_in_both_forms(text):
    """Untyped expressions that pass the static checker: whatever the safe form gives, error or
    value, the fast form gives the same."""
    node = parse(text)
    checker = Checker(Scope())
    checker.check(node)
    if checker.errors:
        return
    node, fast, safe = compiled(text, ())
    assert outcome(fast, {}) == outcome(safe, {}), text
