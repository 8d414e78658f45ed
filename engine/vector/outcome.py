"""`BatchOutcome`: what `evaluate_many` returns (engine/vector/run.py): per record its Result or its
error, and how the records were computed (from the columns, by which pass, or per record and why)."""
from __future__ import annotations

from dataclasses import dataclass, field

from .results import Results


@dataclass
class BatchOutcome:
    """The Result (or the error) of each record, in order, and how they were computed."""

    results: Results       # per record its Result (made when read, results.py) or its error
    vectorised: list[str] = field(default_factory=list)        # values and rules computed as columns
    per_record: dict[str, str] = field(default_factory=dict)   # value/rule -> why it has no column form
    columns: int = 0                   # records whose Result came from the columns
    exact: int = 0                     # records evaluated by policy.evaluate (and why, below)
    passes: dict[str, int] = field(default_factory=dict)   # of `columns`, those decided by a later pass
    reasons: dict[str, int] = field(default_factory=dict)

    def __iter__(self):
        return iter(self.results)

    def __len__(self):
        return len(self.results)

    def __getitem__(self, i):
        return self.results[i]

    def merge(self, start: int, part: "BatchOutcome") -> None:
        """Add the outcome of a chunk of the batch (its records start, start + 1, …)."""
        self.results.place(start, part.results)
        self.add(part)

    def add(self, part: "BatchOutcome") -> None:
        """Count how another outcome's records were computed (not its results: compare --batch's tally)."""
        self.vectorised = self.vectorised or part.vectorised
        self.per_record.update(part.per_record)
        self.columns, self.exact = self.columns + part.columns, self.exact + part.exact
        for mine, theirs in ((self.passes, part.passes), (self.reasons, part.reasons)):
            for k, v in theirs.items():
                mine[k] = mine.get(k, 0) + v

    def summary(self, records: int | None = None) -> str:
        """One line: how many of the records (default: the results') came from the columns, and why
        the others did not; what vectorised and what did not."""
        why = ", ".join(f"{k} {v}" for k, v in sorted(self.reasons.items()))
        passes = [f"{v} by the {k} pass" for k, v in self.passes.items() if v]
        second = f" ({', '.join(passes)})" if passes else ""
        vectorised = [v for v in self.vectorised if v not in self.per_record]
        n = len(self.results) if records is None else records
        return (f"batch: {self.columns} of {n} records from columns{second}, {self.exact} per record"
                + (f" ({why})" if why else "") + f"; vectorised: {', '.join(vectorised) or 'nothing'}"
                + (f"; per record: {', '.join(f'{k} ({v})' for k, v in self.per_record.items())}"
                   if self.per_record else ""))
