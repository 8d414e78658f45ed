"""One batch through a policy's values and rules as columns: what vectorises, and every row's outcome.

`run_columns` computes the values in dependency order, each over its own frame (the records, or a
for_each over a data list or a parameter list), and the rules over theirs. A value or rule without a
column form is recorded with the reason and left out; anything that reads it is left out too. The
`Batch` it returns says, per record, whether the columns decide everything the Result needs (every
output present, no unsure row anywhere) and which rules did not pass.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from ..lang.parser import parse
from .collections import loopable
from .compiler import Columns, expression_text
from .tables import mark
from .frames import Frame
from .vectors import Unsupported, falses

_BINDING = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s+in\s+")


@dataclass
class Batch:
    """What one column evaluation of a chunk gives: output columns, what ran per record, and why."""
    values: dict = field(default_factory=dict)        # name -> (kind, column, table | list | None)
    skipped: dict[str, str] = field(default_factory=dict)   # value or rule -> why it runs per record
    unsure: np.ndarray | None = None                   # records the columns cannot decide
    failing: list = field(default_factory=list)        # (rule index, frame, outcome rows) of rules not passing everywhere
    columns: object = None                             # the Columns that computed them (messages use it)


def value_order(policy) -> list[str]:
    """The policy's values, each after the values it reads (through functions too)."""
    order, seen = [], set()

    def visit(name):
        if name in seen:
            return
        seen.add(name)
        for dep in policy.reads(name):
            if dep in policy.values or dep in policy.function_deps:
                visit(dep)
        if name in policy.values:
            order.append(name)

    for name in policy.values:
        visit(name)
    return order


def run_columns(policy, P: dict, root, n: int) -> Batch:
    batch = Batch(unsure=falses(n))
    columns = batch.columns = Columns(policy, P, root, batch.values)
    top = columns.top
    for name in value_order(policy):
        try:
            batch.values[name] = _value(columns, policy.values[name], top)
        except Unsupported as e:
            batch.skipped[name] = str(e)
    for index, rule in enumerate(policy.rules):
        try:
            _rule(columns, index, rule, top, batch)
        except Unsupported as e:
            batch.skipped[f"rule {rule.id}"] = str(e)
    batch.unsure |= columns.doubt          # lists left undecided, dates that may raise
    return batch


def bindings(entry) -> list[tuple[str, str]]:
    raw = entry.data.get("for_each")
    if raw is None:
        return []
    out = []
    for text in [raw] if isinstance(raw, str) else raw:
        m = _BINDING.match(text)
        out.append((m.group(1), text[m.end():]))
    return out


def _value(columns: Columns, info, top: Frame):
    binds = bindings(info.entry)
    if len(binds) > 1:
        return "nested", *_nested(columns, info, binds, top)
    if not binds:
        return "scalar", columns.eval(info.node, top), None
    var, text = binds[0]
    coll = columns.collection(columns.eval(parse(text), top))
    frame, _, _ = top.child(var, coll)      # a record without the list has no items: {} as per record
    col = columns.eval(info.node, frame)
    if coll.values is not None:
        return "elems", col, coll.values
    if coll.table.parent is not columns.root:
        raise Unsupported("a for_each over a nested list")
    return "items", col, coll.table


@dataclass
class Nested:
    """The loop of a nested for_each over data lists: its innermost frame (one row per binding tuple,
    in data order, as the per-record path lists them) and the variables it binds, outermost first."""

    frame: Frame
    variables: list


def _nested(columns: Columns, info, binds: list, top: Frame):
    """A value of a nested for_each over data lists (`[i in contract.iku, p in i.periods]`): each
    list read in the frame of the bindings before it. A list absent under a row has no items there
    (the per-record loop skips it)."""
    frame = top
    for var, text in binds:
        coll = columns.collection(columns.eval(parse(text), frame))
        if coll.table is None:
            raise Unsupported("a nested for_each over a parameter list")
        frame, _, _ = frame.child(var, coll)
    return columns.eval(info.node, frame), Nested(frame, [var for var, _ in binds])


def _rule(columns: Columns, index: int, rule, top: Frame, batch: Batch) -> None:
    frame = top
    for var, node in zip(rule.bound, rule.collections):    # a nested for_each: each list in the frame before it
        coll = columns.collection(columns.eval(node, frame))
        if coll.table is None and len(rule.collections) > 1:
            raise Unsupported("a nested for_each over a parameter list")
        loopable(coll)
        child, _, lacking = frame.child(var, coll)
        mark(batch.unsure, frame.record, lacking)      # a for_each list absent: undetermined, per record
        frame = child
    node = rule.require if rule.require is not None else parse(expression_text(rule.entry.data["require"]))
    require = columns.as_bool(columns.eval(node, frame), frame)    # the checked node: its dates are known
    unsure, outcome = require.unsure.copy(), np.where(require.miss, 2, np.where(require.v, 0, 1))
    if rule.when is not None:
        when = columns.as_bool(columns.eval(rule.when, frame), frame)
        applies = ~when.miss & when.v
        unsure = when.unsure | (applies & unsure)
        outcome = np.where(when.miss, 2, np.where(applies, outcome, 0))
    mark(batch.unsure, frame.record, unsure)
    if (outcome != 0).any():
        batch.failing.append((index, frame, outcome))
