"""Rule messages rendered from the columns, for every failing row of a rule at once.

A message template is text with `{expression}` placeholders. When every placeholder has a column
form whose per-row values are exactly known (text, conditions, exact numbers: counts, rounded
results, sums of decimal columns), the message of each row is the text with each value rendered by
`engine.display.value`, as the compiled template renders it; a missing value renders as the template
renders a missing one. Otherwise (`None`), the violation is rendered from the record itself.
"""
from __future__ import annotations

import numpy as np

from ..display import value as render
from ..policy.expressions import Problems, template
from .dates import Day, python_dates
from .decimals import Dec
from .outputs import Exact
from .vectors import Bool, Const, Num, Text, Unsupported


def column_messages(columns, rule, frame, rows: np.ndarray):
    """The messages of `rows` of `frame` (a `Messages`, each rendered when read), or None if some
    placeholder has no exact column form; also the rows whose values are not known exactly (their
    records go per record)."""
    parts = _parts(columns.policy, rule)
    rendered = []
    unsure = np.zeros(len(rows), bool)
    for part in parts:
        if isinstance(part, str):
            rendered.append(part)
            continue
        try:
            col = columns.eval(part.node, frame)
            texts, bad = _texts(col, rows)
        except Unsupported:
            return None, None
        rendered.append(texts)
        unsure |= bad
    return Messages(rendered), unsure


class Messages:
    """The message of each row: the template's text with each placeholder's value rendered by
    `engine.display.value`, as the compiled template renders it (a missing value as it renders one)."""

    def __init__(self, parts: list):
        self.parts = parts

    def __getitem__(self, i: int) -> str:
        return "".join(p if isinstance(p, str) else render(p[i]) for p in self.parts)


def _parts(policy, rule) -> list:
    cache = policy.__dict__.setdefault("_vector_messages", {})
    if rule.id not in cache:
        tpl = template(Problems(), rule.entry.data.get("message", ""), rule.entry, "message")
        cache[rule.id] = [p for p in tpl.parts if p != ""]
    return cache[rule.id]


def _texts(col, rows: np.ndarray) -> tuple[list, np.ndarray]:
    """The placeholder's value on each of `rows` (None where missing, rendered when read), and the
    rows where it is not known exactly."""
    if isinstance(col, Const):
        if isinstance(col.value, (dict, list)):
            raise Unsupported("a table in a message")
        return [col.value] * len(rows), np.zeros(len(rows), bool)
    if isinstance(col, Dec):
        if not col.faithful:
            raise Unsupported("a number whose digits are not known in a message")
        values, bad = col.d[rows].tolist(), col.unsure[rows]
    elif isinstance(col, Num):
        if col.exact is None:
            raise Unsupported("an unrounded number in a message")
        values = Exact(col.take(rows))
        bad = col.unsure[rows] | (col.odd[rows] if col.odd is not None else False) | \
            (col.loose[rows] if col.loose is not None else False)
        return values, np.asarray(bad, bool)
    elif isinstance(col, Text):
        values, bad = col.at(rows).tolist(), col.unsure[rows]
    elif isinstance(col, Bool):
        values, bad = col.v[rows].tolist(), col.unsure[rows]
    elif isinstance(col, Day):
        values, bad = python_dates(col.take(rows)), col.unsure[rows]
    else:
        raise Unsupported("a message value that is not text, a condition, an exact number or a date")
    for i in np.flatnonzero(col.miss[rows]).tolist():
        values[i] = None
    return values, np.asarray(bad, bool)
