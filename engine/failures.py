"""One record's unexpected failure, as that record's error: how a batch keeps going after a bug.

Judging a record can fail in ways no check foresaw: an `OverflowError` or `ArithmeticError` from a
huge number, a `RecursionError` from deeply nested data, a `ValueError` while rendering. A batch
(`check`, `compare`) must not lose every other record's result to one such failure, so it turns the
exception into a `RecordFailure` (a `DataError`, located at the record where known) and goes on.
Only `Exception`s are contained: an interrupt (KeyboardInterrupt) or `SystemExit` still stops the run.
"""
from __future__ import annotations

import decimal

from .display import shortened
from .errors import DataError, KinerjaError, Location

DETAIL_WIDTH = 200


class RecordFailure(DataError):
    """A record that could not be judged because of an unexpected error (named in the message)."""


def record_failure(error: Exception, location: Location | None) -> KinerjaError:
    """`error` itself if it is a KinerjaError, else a RecordFailure at `location` naming it:
    `could not be judged: OverflowError: the number is too large`."""
    if isinstance(error, KinerjaError):
        return error
    if isinstance(error, (decimal.Overflow, decimal.Underflow)):   # its text is only the signal's class
        return RecordFailure(f"could not be judged: a number is too large or too small for exact arithmetic "
                             f"(decimal {type(error).__name__})", location)
    detail = shortened(str(error), DETAIL_WIDTH)
    return RecordFailure(f"could not be judged: {type(error).__name__}" + (f": {detail}" if detail else ""),
                         location)
