"""Parsing expression text into the syntax tree (`syntax.py`) with the lark grammar in `grammar.lark`.

Syntax errors become `ExpressionError`s with a line and column inside the expression and a message
in policy staff's terms ("expected a value", not lark's terminal names); the policy loader maps those
positions into the YAML file.

lark is imported on the first parse only, and its parser tables are kept in the cache (engine/cache.py,
keyed by the grammar's text and lark's version), which spares building them again in the next process.
"""
from __future__ import annotations

import io
import re
from functools import lru_cache
from pathlib import Path

from . import syntax
from .. import cache
from ..errors import KinerjaError

GRAMMAR = Path(__file__).with_name("grammar.lark")

_READABLE = {
    "NAME": "a name", "NUMBER": "a number", "STRING": "a text in quotes", "COMPARE": "a comparison",
    "ADD_OP": "+ or -", "MUL_OP": "* or /", "LPAR": "(", "RPAR": ")", "LSQB": "[", "RSQB": "]",
    "COMMA": ",", "DOT": ".", "MINUS": "-", "EQUAL": "=", "$END": "end of expression",
}


class ExpressionError(KinerjaError):
    """A problem inside one expression, at (line, column) of the expression text."""

    def __init__(self, message: str, pos: syntax.Pos, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.pos = pos
        self.hint = hint


@lru_cache(maxsize=1)
def _lark():
    """The grammar's LALR parser: from the cache when its tables are there, else built (and kept)."""
    import lark
    text = GRAMMAR.read_text(encoding="utf-8")
    key = cache.digest(text, lark.__version__, "lalr, propagate_positions, maybe_placeholders")
    kept = cache.read("grammar", key)
    if kept is not None:
        try:
            return lark.Lark.load(io.BytesIO(kept))
        except Exception:  # noqa: BLE001 - a damaged entry: build the parser again
            pass
    parser = lark.Lark(text, parser="lalr", propagate_positions=True, maybe_placeholders=True)
    out = io.BytesIO()
    parser.save(out)
    cache.write("grammar", key, out.getvalue())
    return parser


def parse(text: str) -> syntax.Node:
    """Parse one expression. Raises `ExpressionError` (and only that) on any bad input.

    Each call returns fresh nodes (the checker and compiler key facts on node identity), copied from
    a cache of parsed texts: building many variants of a policy (compare's attribution) then costs
    copies, not parses."""
    if not isinstance(text, str):
        raise ExpressionError("an expression must be text", (1, 1))
    return _parse_text(text).clone()


@lru_cache(maxsize=8192)
def _parse_text(text: str) -> syntax.Node:
    from lark.exceptions import UnexpectedInput

    from .tree import TRANSFORMER
    if not text.strip():
        raise ExpressionError("empty expression", (1, 1))
    try:
        tree = _lark().parse(text)
    except UnexpectedInput as e:
        raise _syntax_error(e, text) from None
    except RecursionError:
        raise ExpressionError("expression is nested too deeply", (1, 1)) from None
    try:
        node = TRANSFORMER.transform(tree)
    except RecursionError:
        raise ExpressionError("expression is nested too deeply", (1, 1)) from None
    except Exception as e:  # lark wraps transformer errors in VisitError
        raise ExpressionError(f"cannot read expression: {getattr(e, 'orig_exc', e)}", (1, 1)) from None
    if _depth(node) > MAX_DEPTH:
        raise ExpressionError(f"expression is nested too deeply (more than {MAX_DEPTH} levels); "
                              "split it into named values", (1, 1))
    return node


# The deepest expression accepted (a leaf counts as one level). Generated Python nests up to four
# brackets per expression level (the fast form of clamp: `(m if (m := (w if (w := x) < hi …`), and
# CPython refuses more than 200 nested brackets ("too many nested parentheses"): 40 levels stay
# well inside that, with room for the wrapper a rule, template or probe adds around an expression.
MAX_DEPTH = 40


def _depth(node: syntax.Node) -> int:
    """Nesting depth, iteratively (a recursive walk could itself overflow)."""
    deepest, stack = 0, [(node, 1)]
    while stack:
        n, d = stack.pop()
        deepest = max(deepest, d)
        stack.extend((c, d + 1) for c in n.children())
    return deepest


def _expected(names) -> str:
    readable = sorted({_READABLE.get(n, n.strip('"').lower()) for n in names})
    if len(readable) > 6:
        return "a value or an operator"
    return ", ".join(readable)


def _syntax_error(e, text: str) -> ExpressionError:
    """lark's `UnexpectedInput` as an ExpressionError in policy staff's terms."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken
    line, col = getattr(e, "line", 1), getattr(e, "column", 1)
    if line is None or line < 1:
        line, col = text.count("\n") + 1, len(text.split("\n")[-1]) + 1
    if isinstance(e, UnexpectedCharacters):
        ch = text[e.pos_in_stream] if e.pos_in_stream < len(text) else "?"
        hint = _HINTS.get(text[e.pos_in_stream:e.pos_in_stream + 2]) or _HINTS.get(ch)
        return ExpressionError(f"unexpected character {ch!r}", (line, col), hint)
    if isinstance(e, UnexpectedEOF):
        return ExpressionError(f"expression ends too early; expected {_expected(e.expected)}", (line, col))
    if isinstance(e, UnexpectedToken):
        tok = e.token
        if tok.type == "$END":
            return ExpressionError(f"expression ends too early; expected {_expected(e.expected)}", (line, col))
        if tok.type == "EQUAL":   # `=` belongs to let only; elsewhere it is a mistyped `==`
            return ExpressionError("unexpected character '='", (line, col), _HINTS["="])
        # inside a let's bound value, which ends at `in` (a value or an operator would also do here)
        in_let = {"IN", "COMMA"} <= set(e.expected) and re.search(r"\blet\b", text[:tok.start_pos or 0])
        return ExpressionError(f"unexpected {str(tok)!r}; expected {_expected(e.expected)}", (line, col),
                               _LET_HINT if in_let else _HINTS.get(str(tok)))
    return ExpressionError("invalid expression", (line, col))  # pragma: no cover


_LET_HINT = "a let's value ends at 'in': put a comparison, and/or or if in parentheses: let ok = (a > b) in …"

_HINTS = {
    "=": "use == to compare", "&&": "write 'and'", "||": "write 'or'", "!": "write 'not' or !=",
    "&": "write 'and'", "|": "write 'or'", "%": "percentages are plain numbers: write 60, not 60%",
    "if": "an if needs 'then' and 'else': if CONDITION then A else B",
}
