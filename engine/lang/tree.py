"""From lark's parse tree to the syntax tree (`syntax.py`): one transformer method per grammar rule.

Kept apart from parser.py so that lark is imported only when an expression is actually parsed (a
policy brought back from the cache needs no parsing at all).
"""
from __future__ import annotations

from decimal import Decimal

from lark import Transformer, v_args

from . import syntax


def _pos(meta_or_token) -> syntax.Pos:
    return (getattr(meta_or_token, "line", 1) or 1, getattr(meta_or_token, "column", 1) or 1)


def _unescape(token: str) -> str:
    body = token[1:-1]
    out, i = [], 0
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            out.append({"n": "\n", "t": "\t"}.get(nxt, nxt))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


@v_args(meta=True)
class _ToAst(Transformer):
    def if_expr(self, meta, c):
        return syntax.If(_pos(meta), c[0], c[1], c[2])

    def let_expr(self, meta, c):
        *bindings, body = c
        return syntax.Let(_pos(meta), tuple(b[0] for b in bindings), tuple(b[1] for b in bindings), body,
                          tuple(b[2] for b in bindings))

    def let_binding(self, meta, c):
        return (str(c[0]), c[1], _pos(c[0]))

    def or_op(self, meta, c):
        return syntax.Binary(_pos(meta), "or", c[0], c[1])

    def and_op(self, meta, c):
        return syntax.Binary(_pos(meta), "and", c[0], c[1])

    def not_op(self, meta, c):
        return syntax.Unary(_pos(meta), "not", c[0])

    def compare(self, meta, c):
        return syntax.Binary(_pos(c[1]), str(c[1]), c[0], c[2])

    def between(self, meta, c):
        return syntax.Between(_pos(meta), c[0], c[1], c[2])

    def in_op(self, meta, c):
        return syntax.Binary(_pos(meta), "in", c[0], c[1])

    def not_in_op(self, meta, c):
        return syntax.Binary(_pos(meta), "notin", c[0], c[1])

    def binary(self, meta, c):
        return syntax.Binary(_pos(c[1]), str(c[1]), c[0], c[2])

    def neg(self, meta, c):
        return syntax.Unary(_pos(meta), "-", c[0])

    def member(self, meta, c):
        return syntax.Member(_pos(c[1]), c[0], str(c[1]))

    def index(self, meta, c):
        return syntax.Index(_pos(meta), c[0], c[1])

    def call(self, meta, c):
        args = tuple(c[1]) if c[1] is not None else ()
        return syntax.Call(_pos(meta), str(c[0]), args)

    def aggregate(self, meta, c):
        func, body, var, coll, where = c
        return syntax.Aggregate(_pos(meta), str(func), body, str(var), coll, where)

    def arguments(self, meta, c):
        return list(c)

    def number(self, meta, c):
        return syntax.Literal(_pos(meta), Decimal(str(c[0])))

    def string(self, meta, c):
        return syntax.Literal(_pos(meta), _unescape(str(c[0])))

    def true(self, meta, c):
        return syntax.Literal(_pos(meta), True)

    def false(self, meta, c):
        return syntax.Literal(_pos(meta), False)

    def null(self, meta, c):
        return syntax.Literal(_pos(meta), None)

    def name(self, meta, c):
        return syntax.Name(_pos(meta), str(c[0]))

    def list(self, meta, c):
        return syntax.ListLit(_pos(meta), tuple(c[0]) if c[0] is not None else ())


TRANSFORMER = _ToAst()
