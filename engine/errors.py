"""The engine's own error types.

Every problem a user can cause (a bad file, a broken expression, an unknown policy) is raised as a
`KinerjaError`, usually a `SourceError` that knows the file, line and column it points at. The CLI
prints these and never a traceback; library callers catch `KinerjaError`. A `PolicyWarning` is the
one non-error: a doubtful but valid policy line, kept on `Policy.warnings`.
"""
from __future__ import annotations

from dataclasses import dataclass


class KinerjaError(Exception):
    """Base class of every error the engine reports to users."""


@dataclass(frozen=True)
class Location:
    """A place in a source file: 1-based line and column; `text` is that source line if known."""

    file: str
    line: int | None = None
    column: int | None = None
    text: str | None = None

    def __str__(self) -> str:
        if self.line is None:
            return self.file
        if self.column is None:
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.line}:{self.column}"


class SourceError(KinerjaError):
    """An error at a known place: rendered as `file:line:col: message`, the line, and a caret."""

    def __init__(self, message: str, location: Location | None = None, *, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint

    def __str__(self) -> str:
        head = f"{self.location}: {self.message}" if self.location else self.message
        lines = [head]
        loc = self.location
        if loc is not None and loc.text is not None:
            lines.append("    " + loc.text.rstrip("\n"))
            if loc.column is not None:
                lines.append("    " + " " * (loc.column - 1) + "^")
        if self.hint:
            lines.append(f"    hint: {self.hint}")
        return "\n".join(lines)


class PolicyError(SourceError):
    """A policy file is malformed: YAML, policy schema, expression, reference or cycle."""


class DataError(SourceError):
    """A contract data file is malformed or does not satisfy its JSON Schema."""


class ErrorList(KinerjaError):
    """Several independent errors found in one pass (e.g. all expression errors of a policy)."""

    def __init__(self, errors: list[SourceError]):
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class PolicyWarning:
    """Something in a policy that is allowed but probably unintended (an unused parameter, a
    provisional figure without a note): `kinerja validate` prints it, `--strict` fails on it. An
    `open question` (kind) is a finding about the source itself, such as band edges a regulation
    leaves unassigned: it is always reported and never a failure, since no edit of the policy can
    answer it. Never raised."""

    message: str
    location: Location
    kind: str = "warning"     # or "open question"

    def __str__(self) -> str:
        return f"{self.location}: {self.kind}: {self.message}"

    @property
    def fails_strict(self) -> bool:
        return self.kind == "warning"


class EvaluationError(KinerjaError):
    """An expression failed at run time in a way the checker could not foresee: a date outside the
    supported range, an ambiguous item lookup. The record gets this as its error; the batch goes on."""
