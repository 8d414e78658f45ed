"""Reading the expression text inside a policy entry, with every problem placed at file:line:col.

An expression sits in a YAML field (`expr`, `when`, `require`), in a `for_each` binding after
`NAME in`, or in a `{placeholder}` of a message template. The parser and checker report positions
inside the expression text; here they are shifted by where that text starts in its field and turned
into locations in the policy file. `Problems` collects the errors and warnings the check stages find,
so all of them are reported together.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import ErrorList, PolicyError, PolicyWarning
from ..lang import syntax
from ..lang import types as T
from ..lang.checker import Checker
from ..lang.parser import ExpressionError, parse
from .spec import Entry

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

    def placeholders(self) -> list[Parsed]:
        return [p for p in self.parts if isinstance(p, Parsed)]


@dataclass
class Problems:
    """The errors and warnings found so far while checking one policy."""

    errors: list[PolicyError] = field(default_factory=list)
    warnings: list[PolicyWarning] = field(default_factory=list)

    def fail(self, message: str, entry: Entry, *sub, key=False, hint=None):
        self.errors.append(PolicyError(message, entry.location(*sub, key=key), hint=_with_inherited(hint, entry)))

    def warn(self, message: str, location, kind: str = "warning") -> None:
        self.warnings.append(PolicyWarning(message, location, kind))

    def expression_error(self, e: ExpressionError, entry: Entry, field_path: tuple, column_offset: int = 0):
        line, col = e.pos
        if line == 1:
            col += column_offset
        loc = entry.location(*field_path, offset=(line, col))
        self.errors.append(PolicyError(e.message, loc, hint=_with_inherited(e.hint, entry)))

    def raise_if_any(self) -> None:
        """Raise every error found so far: the single `PolicyError`, or an `ErrorList` of them."""
        if self.errors:
            raise ErrorList(self.errors) if len(self.errors) > 1 else self.errors[0]


def _with_inherited(hint: str | None, entry: Entry) -> str | None:
    """An error's hint, followed by the fields the entry inherited (an error in an override merged
    field by field may come from a field written in the parent)."""
    parts = [h for h in (hint, entry.inherited_hint()) if h]
    return "; ".join(parts) or None


def parse_field(problems: Problems, text, entry: Entry, *field_path, column_offset: int = 0) -> Parsed | None:
    """Parse one expression of `entry` (None, with the error recorded, if it does not parse)."""
    if isinstance(text, bool):
        text = "true" if text else "false"
    elif not isinstance(text, str):
        text = format(text, "f")  # a YAML number written as the whole expression
    try:
        return Parsed(parse(text), entry, field_path, column_offset)
    except ExpressionError as e:
        problems.expression_error(e, entry, field_path, column_offset)
        return None


def check_parsed(problems: Problems, checker: Checker, parsed: Parsed, env=None, condition=False) -> T.Type:
    """Type-check a parsed expression; the checker's new errors are placed in the policy file."""
    before = len(checker.errors)
    t = checker.check_condition(parsed.node, env) if condition else checker.check(parsed.node, env)
    for e in checker.errors[before:]:
        problems.expression_error(e, parsed.entry, parsed.field, parsed.column_offset)
    return t


def bindings(problems: Problems, entry: Entry) -> list[tuple[str, Parsed]] | None:
    """The entry's `for_each` as (variable, collection) pairs, outermost first; None if malformed."""
    raw = entry.get("for_each")
    if raw is None:
        return []
    items = [raw] if isinstance(raw, str) else raw
    out = []
    for i, text in enumerate(items):
        sub = ("for_each",) if isinstance(raw, str) else ("for_each", i)
        m = _BINDING.match(text)
        if not m:
            problems.fail("for_each is written 'NAME in COLLECTION', e.g. 'i in iku'", entry, *sub)
            return None
        parsed = parse_field(problems, text[m.end():], entry, *sub, column_offset=m.end())
        if parsed is None:
            return None
        out.append((m.group(2), parsed))
    return out


def binding_types(problems: Problems, checker: Checker, binds: list[tuple[str, Parsed]]) -> dict[str, T.Type]:
    """Type-check each binding's collection; the types of the bound variables (items of each)."""
    env: dict[str, T.Type] = {}
    for var, parsed in binds:
        collection = check_parsed(problems, checker, parsed, env)
        if collection.kind not in ("list", "any"):
            problems.fail(f"for_each needs a list to go through, but this is a {collection.describe()}",
                          parsed.entry, *parsed.field)
        env = {**env, var: collection.element()}
    return env


def template(problems: Problems, text: str, entry: Entry, *field_path) -> Template:
    """Split a message template into literal text and parsed placeholders (`{{`/`}}` are braces)."""
    tpl = Template()
    last = 0
    for m in _PLACEHOLDER.finditer(text):
        tpl.parts.append(text[last:m.start()])
        last = m.end()
        if m.group(1) is None:
            tpl.parts.append(m.group(0)[0])
            continue
        parsed = parse_field(problems, m.group(1), entry, *field_path, column_offset=m.start() + 1)
        if parsed is not None:
            tpl.parts.append(parsed)
    tpl.parts.append(text[last:])
    return tpl
