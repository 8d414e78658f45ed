"""What an evaluation returns: computed values, violations and (on request) a trace.

Everything here is plain data that renders to JSON: decimals are written as exact text ("110.42"),
never through a binary float.

`Policy.evaluate` makes its Violations *pending* (`Pending`): the parts that cost time to build
(the message, title and citation rendered with parameter values, the data path and line) are made
on first access, so a caller that only reads the rule ids never pays for messages it does not read.
Reading, comparing, printing, `asdict` and pickling all see the complete object.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import asdict, dataclass, field, fields, replace
from decimal import Decimal
from typing import Any

from .display import band_table, number, value
from .lang.runtime import Bands

SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


class Pending:
    """Fields filled on first access: `pending(cls, fill, known)` makes an instance with the fields
    of the dict `known` set (the dict becomes the instance's own) and the others coming from
    `fill()` (a dict of field values), called once."""

    @classmethod
    def pending(cls, fill, known: dict):
        obj = cls.__new__(cls)
        known["_fill"] = fill
        obj.__dict__ = known
        return obj

    def __getattr__(self, name: str):   # only for attributes not set yet
        if name.startswith("__") or "_fill" not in self.__dict__:
            raise AttributeError(name)
        self.complete()
        return getattr(self, name)

    def complete(self) -> None:
        """Fill the pending fields now (before the data they are made from changes or goes away)."""
        fill = self.__dict__.pop("_fill", None)
        if fill is not None:
            self.__dict__.update(fill())

    def __getstate__(self):
        self.complete()
        return self.__dict__


def _pending_fields(cls):
    """Let every field be filled by `Pending`: a dataclass keeps a field's plain default as a class
    attribute, which would answer first (its `__init__` has the defaults itself, so they go)."""
    for f in fields(cls):
        if f.name in cls.__dict__:
            delattr(cls, f.name)
    return cls


@_pending_fields
@dataclass
class Violation(Pending):
    """A rule that did not pass for the contract (or for one item of it)."""

    rule: str
    title: str
    severity: str            # error | warning | info
    outcome: str             # failed | undetermined (data missing) | error (could not evaluate)
    message: str
    cite: str
    path: str | None = None  # data path of the item, e.g. "iku[3]"
    line: int | None = None  # line of that item in the data file, where known
    status: str | None = None  # provenance of the rule: confirmed | secondary | provisional


@dataclass
class TraceStep:
    """How one value was computed: its formula, citation, inputs and result (per item if for_each)."""

    name: str
    expr: str
    cite: str | None
    status: str | None
    result: Any
    inputs: dict[str, Any] = field(default_factory=dict)
    items: list[dict] = field(default_factory=list)  # per item: key, inputs, result


@dataclass
class Result:
    """What evaluating one contract under one policy gives: values, violations and errors."""
    policy: str
    source: str | None
    values: dict[str, Any]
    violations: list[Violation]
    errors: list[str] = field(default_factory=list)   # values that could not be computed, and why
    trace: list[TraceStep] | None = None
    # set when the data's reference date is outside the policy's effective period (a policy chosen
    # with --policy ID): "reference date 2021-01-01 is outside kmk_300_2022's period (2022-07-28 → now)"
    outside_period: str | None = None
    hidden: list[str] = field(default_factory=list)   # confidential values left out (see `hiding`)

    def fails(self, threshold: str = "error") -> bool:
        """True if some violation is at or above `threshold` (error | warning | info)."""
        limit = SEVERITY_RANK[threshold]
        return any(SEVERITY_RANK[v.severity] >= limit for v in self.violations)

    def to_dict(self) -> dict:
        out = {"policy": self.policy, "source": self.source, "values": jsonable(self.values),
               "violations": [asdict(v) for v in self.violations], "errors": self.errors}
        if self.outside_period is not None:
            out["outside_period"] = self.outside_period
        if self.hidden:
            out["hidden"] = self.hidden
        if self.trace is not None:
            out["trace"] = jsonable([asdict(t) for t in self.trace])
        return out


def hiding(result: Result, confidential: frozenset[str]) -> Result:
    """`result` without its confidential values (named in `hidden`), for reports that print values next
    to a name; traces are dropped too, since they repeat the values."""
    hidden = sorted(n for n in result.values if n in confidential)
    if not hidden:
        return result
    values = {n: v for n, v in result.values.items() if n not in confidential}
    return replace(result, values=values, trace=None, hidden=hidden)


def jsonable(x: Any) -> Any:
    """JSON-ready data, always encodable: Decimals as exact text (scientific when huge or tiny:
    `display.number`), dates as ISO text, band tables as their rows, containers recursively, and any
    other object as its display text."""
    if isinstance(x, Bands):
        return jsonable(band_table(x.rows))
    if isinstance(x, Decimal):
        return number(x)
    if isinstance(x, dict):
        return {str(k): jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [jsonable(v) for v in x]
    if isinstance(x, _dt.date):
        return x.isoformat()
    if x is None or isinstance(x, (str, bool, int, float)):
        return x
    return value(x)
