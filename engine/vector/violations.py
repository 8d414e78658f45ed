"""The violations of the rules that did not pass, built for records the columns otherwise decide.

A rule's outcome per row comes from the columns (failed, or undetermined where data is missing);
the Violation itself is built as `Policy._violation` builds it: the compiled message template of the
rule rendered on the record's data (exact Decimals, the per-record text), the data path and line of
the item. Only messages that read data and parameters are rendered here; a message that quotes a
computed value sends its record to the per-record path.
"""
from __future__ import annotations

import numpy as np

from ..lang import syntax
from ..policy.expressions import Problems, template
from ..record import Record, describe_path
from ..result import Violation
from .frames import Items
from .messages import column_messages

_OUTCOME = {1: "failed", 2: "undetermined"}


def rule_violations(policy, batch, items: list, P: dict, decided: np.ndarray, plain: bool):
    """{record: [Violation, …]} for the decided records, and the records whose messages cannot be
    rendered here (they go to the per-record path)."""
    found: dict[int, list] = {}
    records: dict[int, Record] = {}
    refused = np.zeros(len(items), bool)
    for index, frame, outcome in batch.failing:
        rule = policy.rules[index]
        rows = np.flatnonzero(outcome != 0)
        rows = rows[decided[frame.record[rows]]]
        if not len(rows):
            continue
        messages, unsure = column_messages(batch.columns, rule, frame, rows)
        if messages is not None:
            refused[frame.record[rows[unsure]]] = True
            _from_columns(policy, rule, frame, rows, outcome, messages, unsure, items, P, found)
            continue
        if _reads_values(policy, rule):
            refused[frame.record[rows]] = True
            continue
        bound = frame.names.get(rule.bound[0]) if rule.bound else None
        for row in rows.tolist():
            r = int(frame.record[row])
            record = records.get(r) or records.setdefault(r, _record(items[r], plain))
            binds = () if bound is None else (_bind(bound, row, record),)
            found.setdefault(r, []).append(_violation(policy, rule, int(outcome[row]), binds, record, P))
    return found, refused


def _from_columns(policy, rule, frame, rows, outcome, messages, unsure, items, P, found) -> None:
    """The violations of `rows`, their messages rendered from the columns."""
    data = rule.entry.data
    title, cite = policy.text("rules", rule.id, "title", P), policy.text("rules", rule.id, "cite", P)
    bound = frame.names.get(rule.bound[0]) if rule.bound else None
    for row, message, bad in zip(rows.tolist(), messages, unsure.tolist()):
        if bad:
            continue
        r = int(frame.record[row])
        path = None
        if isinstance(bound, Items) and "" not in bound.table.columns:
            path = _path(bound.table, int(bound.idx[row]))
        code = int(outcome[row])
        if code == 2:
            message = f"could not be checked, data missing: {message}"
        found.setdefault(r, []).append(Violation(rule.id, title, data.get("severity", "error"), _OUTCOME[code], message,
                                                 cite, describe_path(path), _line(items, r, path), data.get("status")))


def _line(items, r: int, path) -> int | None:
    """The line Policy._violation gives: the record's location of the item's path."""
    if path is None:
        return None
    if hasattr(items, "line"):
        return items.line(r)
    item = items[r]
    return item.location(path).line if isinstance(item, Record) else None


def _reads_values(policy, rule) -> bool:
    cache = policy.__dict__.setdefault("_vector_message_reads", {})
    if rule.id not in cache:
        text = rule.entry.data.get("message", "")
        parts = template(Problems(), text, rule.entry, "message").placeholders()
        names = set().union(*(syntax.free_name_ids(p.node, frozenset(rule.bound)) for p in parts))
        cache[rule.id] = bool(names & set(policy.values))
    return cache[rule.id]


def _record(item, plain: bool) -> Record:
    """The record as the per-record path sees it (normalised; the caller's dicts as they are when they
    already are in normal form)."""
    if isinstance(item, Record):
        return item
    return Record(item, "<data>") if plain else Record.from_python(item)


def _bind(bound, row: int, record: Record):
    """The rule's loop variable for one row, as an object of `record.data` (found by its path)."""
    if isinstance(bound, Items):
        table, j = bound.table, int(bound.idx[row])
        if "" in table.columns:
            return table.columns[""][1][j]
        path = _path(table, j)
        obj = record.data
        for step in path:
            obj = obj[step]
        return obj
    return bound.values[int(bound.idx[row])]


def _path(table, j: int) -> tuple:
    path: list = []
    base = table.__dict__.get("base")
    if base is not None:             # an item of a filtered list: its row in the data list
        table, j = base[0], int(base[1][j])
    while table.parent is not None:
        owner = int(table.owner[j])
        path[:0] = [*table.path[-1].split("."), j - int(table.start[owner])]
        table, j = table.parent, owner
    return tuple(path)


def _violation(policy, rule, code: int, binds: tuple, record: Record, P: dict) -> Violation:
    data = rule.entry.data
    path = record.find(binds[-1]) if binds and isinstance(binds[-1], (dict, list)) else None
    line = record.location(path).line if path is not None else None
    message = rule.message(record.data, P, {}, *binds)
    if code == 2:
        message = f"could not be checked, data missing: {message}"
    return Violation(rule.id, policy.text("rules", rule.id, "title", P), data.get("severity", "error"),
                     _OUTCOME[code], message, policy.text("rules", rule.id, "cite", P), describe_path(path), line,
                     data.get("status"))
