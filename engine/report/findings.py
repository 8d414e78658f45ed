"""The CI formats' common view of a checked batch: every violation and input error at a file place.

SARIF, JUnit XML and GitHub workflow commands all say "this rule, at this severity, with this
message, at file:line:col". `findings` turns one record's outcome into that shape, so the three
renderers agree on rule ids, paths and positions: files relative to the current folder with forward
slashes, 1-based lines and columns where known. A record that could not be judged (unreadable file,
schema violation, no policy in force) gives one finding of the rule `INPUT_ERROR` per error.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING

from ..display import relative
from ..errors import ErrorList, KinerjaError, SourceError
from ..result import Result, Violation

if TYPE_CHECKING:
    from ..batch import Outcome

INPUT_ERROR = "input-error"
INPUT_ERROR_TITLE = "Data file could not be read, validated or matched to a policy"

_JSONL_RECORD = re.compile(r"(?P<file>.+\.jsonl):(?P<line>\d+)", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    """One violation, or one input error, where it was found."""

    record: str                # the record's source: a file, or file:line for JSON Lines
    policy: str | None         # the policy that judged the record; None for an input error
    rule: str                  # the rule id, or INPUT_ERROR
    title: str
    severity: str              # error | warning | info
    message: str
    file: str                  # relative to the current folder when below it, forward slashes
    line: int | None = None
    column: int | None = None
    data_path: str | None = None   # e.g. "iku[3]"
    cite: str | None = None
    status: str | None = None      # provenance of the rule: confirmed | secondary | provisional

    @property
    def rule_key(self) -> str:
        """The rule's id qualified by its policy ("kmk_300_2022/pk-iku-count"): one rule id may
        mean different rules in different policies."""
        return f"{self.policy}/{self.rule}" if self.policy else f"kinerja/{self.rule}"


def findings(outcome: Outcome) -> list[Finding]:
    """The findings of one record: its violations in order, or its input errors."""
    if outcome.error is not None:
        return input_errors(outcome.source, outcome.error)
    return [_violation(outcome.result, v) for v in outcome.result.violations]


def input_errors(source: str, error: KinerjaError) -> list[Finding]:
    """One finding per error (an `ErrorList` holds several), at the error's place if it has one."""
    errors = error.errors if isinstance(error, ErrorList) else [error]
    return [_input_error(source, e) for e in errors]


def record_place(source: str) -> tuple[str, int | None]:
    """The file of a record's source, and its line for a JSON Lines record ("a.jsonl:12")."""
    m = _JSONL_RECORD.fullmatch(source)
    if m:
        return m["file"], int(m["line"])
    return source, None


def report_path(file: str) -> str:
    """A file as CI tools expect it: relative to the current folder when below it, forward slashes."""
    return PurePath(relative(file)).as_posix()


def _violation(result: Result, v: Violation) -> Finding:
    source = result.source or "<data>"
    file, record_line = record_place(source)
    return Finding(record=source, policy=result.policy, rule=v.rule, title=v.title,
                   severity=v.severity, message=v.message, file=report_path(file),
                   line=v.line or record_line, data_path=v.path, cite=v.cite, status=v.status)


def _input_error(source: str, e: KinerjaError) -> Finding:
    file, line = record_place(source)
    column = None
    message = str(e)
    if isinstance(e, SourceError):
        message = e.message + (f" (hint: {e.hint})" if e.hint else "")
        if e.location is not None:
            file, line, column = e.location.file, e.location.line, e.location.column
    return Finding(record=source, policy=None, rule=INPUT_ERROR, title=INPUT_ERROR_TITLE,
                   severity="error", message=message, file=report_path(file), line=line, column=column)
