"""When two pieces of a policy mean the same, for `kinerja diff` (engine/policy/diff.py) and compare.

- data (parameter values, table cells): `same` compares as data (2 == 2.0, but never true == 1);
  `yaml_flow` shows a value as compact YAML, quoting text YAML would read as something else;
- formulas (`expr`, `when`, `require`, `reference_date`): compared as syntax trees, so re-wrapping,
  re-indenting or folding over several YAML lines is not a change (`exprs_equal`); `expr_details`
  names the smallest differing sub-expressions; `unparse` re-prints a tree canonically;
- `for_each` clauses by binding name and collection formula, message and key templates by their
  literal text (spacing collapsed) and their `{…}` formulas.
"""
from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal
from typing import Any

from ..lang import syntax
from ..lang.parser import ExpressionError, parse


def same(a: Any, b: Any) -> bool:
    """Equal as data: numbers by value (2 == 2.0), but a number never equals true/false."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, (_dt.date, str)) and isinstance(b, (_dt.date, str)):
        return yaml_flow(a) == yaml_flow(b)
    if isinstance(a, (int, Decimal)) and isinstance(b, (int, Decimal)):
        return a == b
    return type(a) is type(b) and a == b


_PLAIN = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_ .,/%()–-]*$")


def yaml_flow(x: Any) -> str:
    """A value in compact YAML flow style: `{min: 15, max: 20}`, `[a, b]`, `2.5`, `null`. Unlike
    display.inline, text that YAML would read as something else is quoted: a diff shows what is written."""
    if x is None:
        return "null"
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, Decimal):
        return format(x, "f")
    if isinstance(x, (_dt.date, _dt.datetime)):
        return x.isoformat()
    if isinstance(x, dict):
        return "{" + ", ".join(f"{k}: {yaml_flow(v)}" for k, v in x.items()) + "}"
    if isinstance(x, (list, tuple)):
        return "[" + ", ".join(yaml_flow(v) for v in x) + "]"
    if isinstance(x, str):
        return x if _PLAIN.match(x) and x == x.strip() else '"' + x.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(x)


# -- formulas -------------------------------------------------------------------------------------

def parse_or_none(text: Any) -> syntax.Node | None:
    if text is None:
        return None
    try:
        return parse(_source(text))
    except ExpressionError:
        return None


def _source(x: Any) -> str:
    return yaml_flow(x) if isinstance(x, (bool, Decimal, int)) else str(x)


def expr_text(text: Any) -> str:
    """Canonical one-line text of an expression (its syntax tree re-printed), or its text with
    whitespace collapsed if it does not parse."""
    if text is None:
        return "(none)"
    node = parse_or_none(text)
    return unparse(node) if node is not None else " ".join(_source(text).split())


def exprs_equal(a: Any, b: Any) -> bool:
    """Same syntax tree (positions, spacing and line breaks ignored)."""
    if a is None or b is None:
        return a is None and b is None
    na, nb = parse_or_none(a), parse_or_none(b)
    if na is None or nb is None:
        return " ".join(_source(a).split()) == " ".join(_source(b).split())
    return nodes_equal(na, nb)


def expr_details(label: str, a: Any, b: Any) -> list[str]:
    """How an expression changed: the smallest differing sub-expressions, then old and new in full."""
    if exprs_equal(a, b):
        return []
    if a is None:
        return [f"{label} added: {expr_text(b)}"]
    if b is None:
        return [f"{label} removed (was: {expr_text(a)})"]
    na, nb = parse_or_none(a), parse_or_none(b)
    out = []
    if na is not None and nb is not None:
        spots: list[tuple[syntax.Node, syntax.Node]] = []
        _differences(na, nb, spots)
        shown = [(unparse(x), unparse(y)) for x, y in spots]
        whole = len(unparse(na)) + len(unparse(nb))
        if len(spots) <= 3 and sum(len(x) + len(y) for x, y in shown) <= whole / 2:
            out += [f"{label}: {x} → {y}" for x, y in shown]
    return out + [f"{label} was: {expr_text(a)}", f"{label} now: {expr_text(b)}"]


def nodes_equal(a: syntax.Node, b: syntax.Node) -> bool:
    if type(a) is not type(b) or not _same_fields(a, b):
        return False
    ca, cb = a.children(), b.children()
    if isinstance(a, syntax.Aggregate) and (a.where is None) != (b.where is None):
        return False
    return len(ca) == len(cb) and all(nodes_equal(x, y) for x, y in zip(ca, cb))


def _same_fields(a: syntax.Node, b: syntax.Node) -> bool:
    for name in a.COMPARED:
        x, y = getattr(a, name), getattr(b, name)
        if isinstance(x, tuple) and isinstance(y, tuple) and all(isinstance(i, str) for i in x + y):
            if x != y:   # the names a let binds
                return False
            continue
        if isinstance(x, (syntax.Node, tuple)) or isinstance(y, (syntax.Node, tuple)):
            continue  # children, compared by the caller
        if x is None and y is None:
            continue
        if not same(x, y):
            return False
    return True


def _differences(a: syntax.Node, b: syntax.Node, out: list) -> None:
    if nodes_equal(a, b):
        return
    ca, cb = a.children(), b.children()
    shape_ok = (type(a) is type(b) and _same_fields(a, b) and len(ca) == len(cb)
                and not (isinstance(a, syntax.Aggregate) and (a.where is None) != (b.where is None)))
    if not shape_ok:
        out.append((a, b))
        return
    for x, y in zip(ca, cb):
        _differences(x, y, out)


_BINDING = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s+in\s+(.*)$", re.S)


def _clauses(raw: Any) -> list[str]:
    return [] if raw is None else [raw] if isinstance(raw, str) else [str(x) for x in raw]


def _clause_text(clause: str) -> str:
    m = _BINDING.match(clause)
    return f"{m.group(1)} in {expr_text(m.group(2))}" if m else " ".join(clause.split())


def for_each_text(raw: Any) -> str:
    return ", ".join(_clause_text(c) for c in _clauses(raw)) or "(none)"


def for_each_details(a: Any, b: Any) -> list[str]:
    ca, cb = _clauses(a), _clauses(b)
    if len(ca) == len(cb) and all(_clause_equal(x, y) for x, y in zip(ca, cb)):
        return []
    if not ca:
        return [f"for each added: {for_each_text(b)}"]
    if not cb:
        return [f"for each removed (was: {for_each_text(a)})"]
    return [f"for each: {for_each_text(a)} → {for_each_text(b)}"]


def _clause_equal(a: str, b: str) -> bool:
    ma, mb = _BINDING.match(a), _BINDING.match(b)
    if not ma or not mb:
        return " ".join(a.split()) == " ".join(b.split())
    return ma.group(1) == mb.group(1) and exprs_equal(ma.group(2), mb.group(2))


_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")


def templates_equal(a: Any, b: Any) -> bool:
    """Message/key templates: literal text compared with spacing collapsed, {…} as expressions."""
    if a is None or b is None:
        return a is None and b is None
    pa, pb = _template_parts(str(a)), _template_parts(str(b))
    if len(pa) != len(pb):
        return False
    for (ka, va), (kb, vb) in zip(pa, pb):
        if ka != kb or (ka == "text" and va != vb) or (ka == "expr" and not exprs_equal(va, vb)):
            return False
    return True


def _template_parts(text: str) -> list[tuple[str, str]]:
    parts, last = [], 0
    for m in _PLACEHOLDER.finditer(text):
        parts.append(("text", text[last:m.start()]))
        parts.append(("text", m.group(0)[0]) if m.group(1) is None else ("expr", m.group(1)))
        last = m.end()
    parts.append(("text", text[last:]))
    merged: list[tuple[str, str]] = []
    for kind, value in parts:     # adjacent literal pieces are one text; spacing collapsed
        if kind == "text" and merged and merged[-1][0] == "text":
            merged[-1] = ("text", merged[-1][1] + value)
        else:
            merged.append((kind, value))
    return [(k, " ".join(v.split()) if k == "text" else v) for k, v in merged]


# -- re-printing a syntax tree ---------------------------------------------------------------------

_BINARY_LEVEL = {"or": 1, "and": 2, "==": 4, "!=": 4, "<": 4, "<=": 4, ">": 4, ">=": 4, "in": 4, "notin": 4,
                 "+": 5, "-": 5, "*": 6, "/": 6}


def _level(node: syntax.Node) -> int:
    if isinstance(node, (syntax.If, syntax.Let)):
        return 0
    if isinstance(node, syntax.Binary):
        return _BINARY_LEVEL[node.op]
    if isinstance(node, syntax.Unary):
        return 3 if node.op == "not" else 7
    if isinstance(node, syntax.Between):
        return 4
    if isinstance(node, (syntax.Member, syntax.Index, syntax.Call, syntax.Aggregate)):
        return 8
    return 9


def unparse(node: syntax.Node) -> str:
    """Canonical text of a syntax tree: single spaces, parentheses only where precedence needs them."""
    def at(child: syntax.Node, minimum: int) -> str:
        text = unparse(child)
        return f"({text})" if _level(child) < minimum else text

    if isinstance(node, syntax.Literal):
        v = node.value
        if isinstance(v, str):
            return '"' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'
        return yaml_flow(v)
    if isinstance(node, syntax.Name):
        return node.id
    if isinstance(node, syntax.ListLit):
        return "[" + ", ".join(unparse(i) for i in node.items) + "]"
    if isinstance(node, syntax.Member):
        return f"{at(node.obj, 8)}.{node.name}"
    if isinstance(node, syntax.Index):
        return f"{at(node.obj, 8)}[{unparse(node.key)}]"
    if isinstance(node, syntax.Call):
        return f"{node.func}(" + ", ".join(unparse(a) for a in node.args) + ")"
    if isinstance(node, syntax.Aggregate):
        where = f" where {unparse(node.where)}" if node.where is not None else ""
        return f"{node.func}({unparse(node.body)} for {node.var} in {unparse(node.collection)}{where})"
    if isinstance(node, syntax.Unary):
        return f"not {at(node.operand, 3)}" if node.op == "not" else f"-{at(node.operand, 7)}"
    if isinstance(node, syntax.Between):
        return f"{at(node.value, 5)} between {at(node.low, 5)} and {at(node.high, 5)}"
    if isinstance(node, syntax.Binary):
        level = _BINARY_LEVEL[node.op]
        op = "not in" if node.op == "notin" else node.op
        if level == 4:   # comparisons do not chain: both sides are sums
            return f"{at(node.left, 5)} {op} {at(node.right, 5)}"
        return f"{at(node.left, level)} {op} {at(node.right, level + 1)}"
    if isinstance(node, syntax.If):
        return f"if {at(node.cond, 1)} then {at(node.then, 1)} else {unparse(node.otherwise)}"
    if isinstance(node, syntax.Let):
        bindings = ", ".join(f"{name} = {at(value, 5)}" for name, value in zip(node.names, node.values))
        return f"let {bindings} in {unparse(node.body)}"
    raise TypeError(f"unknown node {type(node).__name__}")  # pragma: no cover
