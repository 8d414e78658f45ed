"""The violations of the rules that did not pass, for records the columns otherwise decide.

A rule's outcome per row comes from the columns (failed, or undetermined where data is missing);
the Violation itself is built as `Policy._violation` builds it: the compiled message template of the
rule rendered on the record's data (exact Decimals, the per-record text), the data path and line of
the item, each made on first access as the per-record path makes them (result.py `Pending`). Only messages that read data and parameters are rendered here; a message that quotes a
computed value sends its record to the per-record path. Which rows fail, and which records must go
per record, is known at once; each record's Violations are made when its Result is read
(`Violations.of`), their messages, titles, citations, paths and lines when first read.
"""
from __future__ import annotations

from functools import partial

import numpy as np

from ..lang import syntax
from ..policy.expressions import Problems, template
from ..record import Record, describe_path
from ..result import Violation
from .frames import ByRecord, Items
from .messages import column_messages

_OUTCOME = {1: "failed", 2: "undetermined"}


def rule_violations(policy, batch, items: list, P: dict, decided: np.ndarray, plain: bool):
    """The violations of the decided records (`Violations`, each record's made when asked for), and
    the records whose messages cannot be rendered here (they go to the per-record path)."""
    found = Violations(policy, items, P, plain, len(items))
    refused = np.zeros(len(items), bool)
    for index, frame, outcome in batch.failing:
        rule = policy.rules[index]
        rows = np.flatnonzero(outcome != 0)
        rows = rows[decided[frame.record[rows]]]
        if not len(rows):
            continue
        messages, unsure = column_messages(batch.columns, rule, frame, rows)
        if messages is None and _reads_values(policy, rule):
            refused[frame.record[rows]] = True
            continue
        if messages is not None:
            refused[frame.record[rows[unsure]]] = True
            keep = ~unsure
            rows, messages = rows[keep], _Chosen(messages, np.flatnonzero(keep))
        found.add(rule, frame, rows, outcome[rows], messages)
    return found, refused


class _Chosen:
    def __init__(self, messages, at: np.ndarray):
        self.messages, self.at = messages, at.tolist()

    def __getitem__(self, i: int) -> str:
        return self.messages[self.at[i]]


class Violations:
    """The failing rows of each rule, and per record the Violations of its rows, in rule order and
    within a rule in data order (as the per-record path lists them), made when asked for."""

    def __init__(self, policy, items, P: dict, plain: bool, n: int):
        self.policy, self.items, self.P, self.plain, self.n = policy, items, P, plain, n
        self.rules: list[tuple] = []
        self._records: dict[int, Record] = {}
        self._headings: dict[str, tuple[str, str]] = {}    # rule id -> (title, cite) with P, once

    def add(self, rule, frame, rows: np.ndarray, codes: np.ndarray, messages) -> None:
        """Rows `rows` of `frame` fail `rule` (codes 1 failed, 2 undetermined); their messages from the
        columns (`messages`, one per row) or, if None, rendered from the record."""
        located = [_Located(frame.names[var], rows) for var in rule.bound]    # outermost first
        self.rules.append((rule, codes.tolist(), messages, located, ByRecord(frame.record[rows], self.n)))

    def of(self, r: int) -> list[Violation]:
        """Record r's Violations, pending (result.py `Pending`): the message, title, citation, path
        and line are made on first access, as `Policy._violation` makes them."""
        out = []
        for rule, codes, messages, located, by_record in self.rules:
            data = rule.entry.data
            for k in by_record.rows(r):
                out.append(Violation.pending(partial(self._text, rule, codes[k], located, k, r, messages),
                                             {"rule": rule.id, "severity": data.get("severity", "error"),
                                              "outcome": _OUTCOME[codes[k]], "status": data.get("status")}))
        return out

    def _text(self, rule, code: int, located, k: int, r: int, messages) -> dict:
        if messages is None:
            record = self._records.get(r) or self._records.setdefault(r, _record(self.items[r], self.plain))
            binds = tuple(variable.bound(k, record) for variable in located)
            return _violation_text(self._heading(rule), rule, code, binds, record, self.P)
        path = located[-1].path(k) if located else None
        message = messages[k]
        if code == 2:
            message = f"could not be checked, data missing: {message}"
        title, cite = self._heading(rule)
        return {"title": title, "message": message, "cite": cite, "path": describe_path(path),
                "line": _line(self.items, r, path)}

    def _heading(self, rule) -> tuple[str, str]:
        """The rule's title and citation with this batch's parameters (`Policy.text`), made once."""
        got = self._headings.get(rule.id)
        if got is None:
            got = self._headings[rule.id] = (self.policy.text("rules", rule.id, "title", self.P),
                                             self.policy.text("rules", rule.id, "cite", self.P))
        return got


class _Located:
    """A loop variable of each failing row of a rule (k: its place among them), kept without the
    frame and its tables (a batch in chunks frees each chunk's tables): an item of a data list by its
    path in the record, found when read; a scalar of a data list or an element of a parameter list
    as the value itself."""

    def __init__(self, bound, rows: np.ndarray):
        self.steps, self.values = None, None
        if isinstance(bound, Items):
            table, j = bound.table, bound.idx[rows].astype(np.int64)
            if "" in table.columns:
                column = table.columns[""][1]
                self.values = [column[x] for x in j.tolist()]
            else:
                self.steps = _steps(table, j)
        else:
            self.values = [bound.values[x] for x in bound.idx[rows].tolist()]

    def path(self, k: int) -> tuple | None:
        """The item's path in its record (None for a value that is not an item of the record's data)."""
        if self.steps is None:
            return None
        return tuple(step for names, places in self.steps for step in (*names, places[k]))

    def bound(self, k: int, record: Record):
        """The variable's value, as an object of `record.data` when it is an item of it."""
        if self.steps is None:
            return self.values[k]
        obj = record.data
        for step in self.path(k):
            obj = obj[step]
        return obj


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


def _steps(table, j: np.ndarray) -> list[tuple[tuple, list]]:
    """The paths of items `j` of a data table, as steps from the record down: per list, the field
    names leading to it and each item's place in its list."""
    base = table.__dict__.get("base")
    if base is not None:             # items of a filtered list: their rows in the data list
        table, j = base[0], np.asarray(base[1], np.int64)[j]
    steps: list = []
    while table.parent is not None:
        owner = table.owner[j]
        steps.insert(0, (tuple(table.path[-1].split(".")), (j - table.start[owner]).tolist()))
        table, j = table.parent, owner
    return steps


def _violation_text(heading: tuple, rule, code: int, binds: tuple, record: Record, P: dict) -> dict:
    """What `Policy._violation_text` makes of a violation from the record itself (`heading`: the
    rule's title and citation)."""
    path = record.find(binds[-1]) if binds and isinstance(binds[-1], (dict, list)) else None
    message = rule.message(record.data, P, {}, *binds)
    if code == 2:
        message = f"could not be checked, data missing: {message}"
    return {"title": heading[0], "message": message, "cite": heading[1], "path": describe_path(path),
            "line": record.location(path).line if path is not None else None}
