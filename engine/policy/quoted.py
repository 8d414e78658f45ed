"""Citations and titles that quote parameters, so no figure is written twice.

A `cite` or `title` of a parameter, function, value or rule may quote parameters (and constants)
in `{…}`, like a rule's `message`: `cite: "KMK 300/KMK.01/2022 (UPK One {iku_limits.upk_one.min}–
{iku_limits.upk_one.max})"`. When an amendment changes the figure, the citation says the new one.
`{{` and `}}` are literal braces. The check stage `quoted_texts` parses every quote and allows only
parameters in it (an unknown name is an error at file:line:col with *did you mean*; a value, a
function or the data is an error too: a citation does not depend on the contract). Compiled, each
quoting text is a template `(d_root, P, V) -> str` that `Policy.text` renders with the parameter
values in force (the evaluation's, or the latest).
"""
from __future__ import annotations

from ..display import did_you_mean
from ..lang import syntax
from ..lang.parser import ExpressionError
from .expressions import Parsed, check_parsed, template

QUOTING_FIELDS = ("cite", "title")
SECTIONS = {"parameters": "parameter", "functions": "function", "values": "value", "rules": "rule"}
TextKey = tuple[str, str, str]   # (section, entry name or rule id, field)


def quotes(text) -> bool:
    """True if `text` has braces: a quote `{…}` or an escaped brace."""
    return isinstance(text, str) and ("{" in text or "}" in text)


def quoted_texts(checked) -> None:
    """Check stage (on a `CheckedPolicy` of check.py): parse the quotes of every `cite` and `title`
    and check they read parameters only."""
    spec, problems = checked.spec, checked.problems
    for section in SECTIONS:
        for name, entry in getattr(spec, section).items():
            for field in QUOTING_FIELDS:
                if not quotes(entry.get(field)):
                    continue
                tpl = template(problems, entry.get(field), entry, field)
                for part in tpl.placeholders():
                    if _reads_parameters_only(checked, part, field):
                        check_parsed(problems, checked.checker, part)
                checked.quoted[(section, name, field)] = tpl


def _reads_parameters_only(checked, part: Parsed, field: str) -> bool:
    """Record an error for each name in the quote that is not a parameter (and each policy function)."""
    symbols, problems = checked.scope.symbols, checked.problems
    parameters = [n for n, s in symbols.items() if s.kind == "param"]
    ok = True
    for node in syntax.free_names(part.node):
        kind = symbols[node.id].kind if node.id in symbols else None
        if kind == "param":
            continue
        if kind is None:
            message, hint = f"unknown parameter '{node.id}' quoted in {field}", did_you_mean(node.id, parameters)
        else:
            described = "the data" if kind == "root" else f"a {kind.replace('item_', '')}"
            message, hint = f"a {field} may quote only parameters; '{node.id}' is {described}", None
        problems.expression_error(ExpressionError(message, node.pos, hint), part.entry, part.field,
                                  part.column_offset)
        ok = False
    for node in part.node.walk():
        if isinstance(node, syntax.Call) and node.func in checked.spec.functions:
            problems.expression_error(ExpressionError(f"a {field} may quote only parameters; '{node.func}' "
                                                      "is a policy function", node.pos),
                                      part.entry, part.field, part.column_offset)
            ok = False
    return ok


def compiled(checked, compile_one) -> dict[TextKey, object]:
    """The quoting texts as compiled templates; `compile_one(template, bound)` compiles one."""
    return {key: compile_one(tpl, []) for key, tpl in checked.quoted.items()}

