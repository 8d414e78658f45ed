"""What a comparison of one record yields: the record model every part of `engine.compare` shares.

A `RecordComparison` holds, for each output common to both policies (per-item outputs flattened to
`name[item]`), a `ValueDiff` with the value under each policy and the delta for numbers; the
violations that appear or disappear (`ViolationDiff`, identified by rule id and data path); the
`Attribution` of each change to a policy difference; the provisional figures the changes depend
on; a note for each policy whose effective period the record's reference date is outside of; or, for a record that could not be read or validated, its errors (`ErrorInfo`). These are plain
data, picklable, so worker processes can send them back; renderers read them, never the policies.
"""
from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter
from typing import Any

from ..errors import ErrorList, KinerjaError, SourceError


class ValueDiff(namedtuple("ValueDiff", "output label base candidate delta changed")):
    """One compared value: `output`, the item `label` of a per-item output (None for a value of the
    whole record), the value under each policy, the delta (candidate − base) when both are numbers,
    and whether they differ (the comparer passes `PolicyPair.same`'s verdict: labels the policies
    declare equivalent are unchanged). A tuple, made by `tuple.__new__` where it is common (a record
    has one per item of every per-item output); `name` is `output` or `output[label]`, spelled on demand."""

    __slots__ = ()

    @property
    def name(self) -> str:
        return self.output if self.label is None else f"{self.output}[{self.label}]"


_CHANGED = attrgetter("changed")   # a ValueDiff's verdict, read in C (`RecordComparison.changed`)


@dataclass
class ViolationDiff:
    """A rule outcome present under one policy and not the other, with its message and data path."""
    rule: str
    severity: str
    message: str
    path: str | None

    @property
    def where(self) -> str:
        return self.rule + (f" at {self.path}" if self.path else "")

    @classmethod
    def of(cls, violation) -> "ViolationDiff":
        """The comparable part of an evaluation's violation."""
        return cls(violation.rule, violation.severity, violation.message, violation.path)


@dataclass
class ErrorInfo:
    """A record that could not be compared (unreadable or invalid data), located in its file."""
    source: str
    line: int | None
    column: int | None
    message: str
    text: str                  # file:line:col: message, the source line and a caret


@dataclass
class Attribution:
    """One outcome difference of a record and the policy change that explains it."""
    item: str                  # "nko", "capaian_tahunan[1a-N]", "new pk-iku-count", "resolved r at iku[3]"
    category: str              # "changed nko", "new violations", "resolved violations"
    change: str                # change label, joint label, or "unexplained"

    def __str__(self) -> str:
        return f"{self.item}: {self.change}"


@dataclass
class RecordComparison:
    """What differs for one record between the base and the candidate policy."""
    index: int
    source: str
    line: int | None = None
    label: str = ""
    values: list[ValueDiff] = field(default_factory=list)
    appeared: list[ViolationDiff] = field(default_factory=list)
    disappeared: list[ViolationDiff] = field(default_factory=list)
    attribution: list[Attribution] = field(default_factory=list)
    provisional: list[str] = field(default_factory=list)
    outside_period: dict[str, str] = field(default_factory=dict)   # policy id -> note, when outside its period
    errors: list[ErrorInfo] = field(default_factory=list)   # non-empty: the record was not compared

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> bool:
        return bool(self.appeared or self.disappeared or any(map(_CHANGED, self.values)))


def error_infos(error: KinerjaError, source: str) -> list[ErrorInfo]:
    """The messages of `error` (one, or each of an `ErrorList`), located in their file when known."""
    errs = error.errors if isinstance(error, ErrorList) else [error]
    out = []
    for e in errs:
        loc = e.location if isinstance(e, SourceError) else None
        message = e.message if isinstance(e, SourceError) else str(e)
        out.append(ErrorInfo(loc.file if loc else source, loc.line if loc else None, loc.column if loc else None,
                             message, str(e)))
    return out


def record_label(data: Any) -> str:
    """A short name for a contract: its unit code (or code, id, name) and year, when present."""
    if not isinstance(data, dict):
        return ""
    unit = data.get("unit") if isinstance(data.get("unit"), dict) else {}
    name = next((str(x) for x in (unit.get("code"), unit.get("name"), data.get("code"), data.get("id"),
                                  data.get("name")) if x is not None), "")
    year = data.get("year")
    return " ".join(str(x) for x in (name, year) if x not in ("", None))
