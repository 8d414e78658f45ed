"""Unrounded outputs with their digits: computed again over the same tables with the Decimals themselves.

The float pass bounds an average (nilai_ss) or a consolidated target, but a Result needs the very
Decimal the per-record path computes, digit for digit (Decimal('105.0') is not Decimal('105')). An
output whose column has no such form (a float without `Num.exact`, or exact rows with other digits
or loose, `Num.odd`/`Num.loose`) is evaluated again by `Digits`, a Columns over the same tables in
which every number is a `Dec` (decimals.py): numbers read from dict records are the record's
Decimals, decimal128 columns theirs; a constant, a count, a rounding or another exact column
becomes the Decimals it stands for (`promoted`). So every operation is the per-record path's own on
the per-record path's operands: the digits are that path's. A row whose operand digits are not
known (odd, loose, a zero of unknown sign) is unsure there, and its record goes to the per-record
path; an operand without exact rows (a float-only number: a double column) has no form.

Only the outputs that need it are evaluated again, with the unrounded values they read (an average
of averages: nilai_perspektif reads nilai_ss); the exact values they read keep their columns, and
the rules are not evaluated again. A value the Decimals cannot compute keeps its float column (its
output then has no form, as before).
"""
from __future__ import annotations

from decimal import Decimal

import numpy as np

from ..lang import syntax
from .compiler import Columns
from .decimals import from_values, promoted
from .frames import Items, data_decimals, scalar
from .plan import value_order, _value
from .vectors import Const, Num, Text, Unsupported, masked, taken


def with_digits(policy, batch, P, root, names) -> None:
    """Replace in `batch.values` the columns of the outputs `names` (default: the policy's) that need
    digits by their Decimal columns, where those can be made; their doubt goes to `batch.unsure`."""
    names = policy.outputs if names is None else names
    wanted = [name for name in names if _needs(batch.values.get(name))]
    if not wanted:
        return
    again = _closure(policy, batch.values, wanted)
    digits = Digits(policy, P, root, dict(batch.values))
    for name in value_order(policy):
        if name in again:
            try:
                digits.values[name] = _value(digits, policy.values[name], digits.top)
            except Unsupported:
                continue            # keeps its float column
            if name in wanted:
                batch.values[name] = digits.values[name]
    batch.unsure |= digits.doubt


def _needs(entry) -> bool:
    if entry is None or not isinstance(entry[1], Num):
        return False
    col = entry[1]
    return col.exact is None or any(m is not None and m.any() for m in (col.odd, col.loose))


def _closure(policy, values: dict, wanted: list) -> set:
    """The outputs `wanted` and the values needing digits they read (through functions too)."""
    found, todo, seen = set(), list(wanted), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        if name in policy.values:
            if name not in wanted and not _needs(values.get(name)):
                continue
            found.add(name)
        todo.extend(d for d in policy.reads(name) if d in policy.values or d in policy.function_deps)
    return found


class Digits(Columns):
    """Columns in which every number is a Dec with the per-record digits."""

    def __init__(self, policy, P: dict, root, values: dict):
        super().__init__(policy, P, root, values)
        self.strict = self.digits = True

    def as_num(self, x, frame):
        return promoted(super().as_num(x, frame))

    def _field(self, items: Items, name: str):
        col = super()._field(items, name)
        if not isinstance(col, Num):
            return col
        dec = taken(data_decimals(items.table, items.prefix + name), items.idx, items.table.size)
        return dec if items.miss is None else masked(dec, miss=dec.miss | items.miss)

    def _name(self, node, frame):
        bound = frame.names.get(node.id)
        if isinstance(bound, Items) and "" in bound.table.columns:     # an element of a list of scalars
            got = super()._name(node, frame)
            if isinstance(got, Num):
                return taken(data_decimals(bound.table, ""), bound.idx, bound.table.size)
            return got
        return super()._name(node, frame)


__all__ = ["with_digits", "Digits"]
