"""Loop-invariant parts of a per-item step, computed once before its loop (fast mode only).

A per-item value or rule runs its expression for every item, and parts of it often read nothing of
the item: `coalesce(contract.head.position_kind, "structural") == "structural" and contract.unit.eselon
in iiaa_eselon and …` in a rule over every IKU period, a `let` of parameters only in a value over
every IKU. Such a part (a subtree reading no loop, `let` or aggregate variable, nor a parameter of
a policy function being inlined) is computed once, before the step's loops, into a local, and the
expression reads the local.

The early evaluation is speculative: it may compute a part the item's own evaluation would not reach
(the other branch of an `if`, the right of an `and`), so it never raises. On any exception the local
holds NOT_HOISTED and the expression computes that part in place, as it did before. Expressions are
pure and run in the program's one decimal context, so a hoisted value is the value the part has in
place. Not used with a recording parameter view (engine/policy/coverage.py must see only the
parameters a run reads: ProgramBuilder.build with hoist=False).
"""
from __future__ import annotations

from . import syntax

MIN_NODES = 3   # `contract.unit.eselon`: a member chain of two reads and more; not a name or a literal


class _NotHoisted:
    """The mark of a hoisted part whose early evaluation raised: compute it in place."""

    __slots__ = ()

    def __repr__(self):
        return "NOT_HOISTED"


NOT_HOISTED = _NotHoisted()


class Invariants:
    """The parts hoisted out of one step's loops: their code and the locals that hold them."""

    def __init__(self, step_value: str | None, first: int):
        self.step_value = step_value   # the step's own per-item value: filled by the loop, never hoisted
        self.locals: dict[str, str] = {}   # code -> local
        self._next = first

    def hoistable(self, node: syntax.Node, variables) -> bool:
        """Whether `node` reads none of `variables` (the loop, let and aggregate variables in scope,
        and a function's parameters while its body is inlined) and is worth a local."""
        if isinstance(node, (syntax.Literal, syntax.Name, syntax.ListLit)):
            return False
        names = syntax.free_name_ids(node)
        if names & set(variables) or (self.step_value is not None and self.step_value in names):
            return False
        return sum(1 for _ in node.walk()) >= MIN_NODES

    def local(self, code: str) -> str:
        """The local holding `code` (one per distinct code in the step)."""
        name = self.locals.get(code)
        if name is None:
            name = self.locals[code] = f"_h{self._next}"
            self._next += 1
        return name

    @property
    def next(self) -> int:
        return self._next

    def lines(self) -> list[str]:
        """The statements that compute every hoisted part, before the step's loops."""
        out: list[str] = []
        for code, name in self.locals.items():
            out += ["try:", f"    {name} = {code}", "except Exception:", f"    {name} = NOT_HOISTED"]
        return out
