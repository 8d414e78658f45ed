"""What a stream of batches (one evaluate_many call's chunks, or compare --batch's) learns from its
first chunk: that the rest goes per record, without making tables, because an output or rule has
no column form or because the columns decided few of its records (engine/vector/run.py)."""
from __future__ import annotations

from ..record import Record
from .outcome import BatchOutcome
from .vectors import Unsupported

PROBE = 32       # a stream's first chunk of large Python records (run._spans)
LARGE = 256      # values in a record for it to count as large (`large`)
FEW = 0.1        # a stream's first chunk with under this share of its records from the columns: the rest per record
FEW_LARGE = 0.9  # the same for large records (`probed`)


class Known(Unsupported):
    """The stream's earlier chunks sent the rest per record (`why`: the reason the outcome counts)."""

    def __init__(self, why: str):
        super().__init__(why)
        self.why = why


def known_per_record(known: dict, outcome: BatchOutcome) -> None:
    """Raise Known when an earlier chunk of the stream found an output or rule without a column
    form, or that the columns decide few of its records (`probed`): every record goes per record,
    and the columns would be made for nothing (what they were, and why, as that chunk reported).
    Whether one has a column form can depend on the data (a list some records lack), so only a
    stream's own chunks share this."""
    if "per record" in known:
        per_record, vectorised = known["per record"]
        outcome.per_record, outcome.vectorised = dict(per_record), list(vectorised)
        raise Known(known.get("why", "no column form"))


def large(record) -> bool:
    """Whether a record holds at least LARGE values (the generated KMK contracts 318-1246, 610 on
    average; the peer bench's 73-155): a probe's own columns cost 10-60 ms, a few percent of
    evaluating 256 such records, but a fifth of 1000 of the peer bench's (35 µs each)."""
    data = record.data if isinstance(record, Record) else record
    stack, count = [data], 0
    while stack and count < LARGE:
        x = stack.pop()
        if isinstance(x, dict):
            stack.extend(x.values())
        elif isinstance(x, list):
            stack.extend(x)
        else:
            count += 1
    return count >= LARGE


def probed(part: BatchOutcome, n: int, known: dict, share: float = FEW_LARGE) -> None:
    """After a stream's first chunk of n Python records: when the columns decided under `share` of
    them, the rest go per record. From large Python records the tables cost about as much as
    evaluating the records they decide (the 2000 generated KMK contracts: 290 µs a record to make
    them, 310 to evaluate one after validating; 130 more for the columns, CPU), so there the columns
    can only pay when they decide nearly every record (kmk_467_2014 decides 1 in 3 of them, 4 in 7
    of compare's values); from the peer bench's small ones (tables 19 µs, evaluating 30) they pay
    deciding 9 in 10, and those are not probed: FEW, compare's rule, is for them."""
    if "per record" not in known and part.columns < share * n:
        known["per record"] = (part.per_record, part.vectorised)
        known["why"] = "few from the columns in the first chunk"
