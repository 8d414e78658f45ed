"""The Results of a batch, each made when first read.

`Results` is the sequence a BatchOutcome holds, one entry per record: a Result or an error set by
the per-record path, or a place in a `Decided` block, the records one pass of the columns decided.
Reading such a record makes its Result from the block (its values from the output columns, its
violations with their messages, outputs.py and violations.py) and keeps it: every later read gives
the same object. What a block holds is the batch's own columns, so a Result read late is the one
read early; like `Policy.evaluate`'s, its messages are rendered from the data given.
"""
from __future__ import annotations

import numpy as np

from ..result import Result


class Results:
    def __init__(self, n: int):
        self._made: list = [None] * n
        self._block = np.full(n, -1, np.int64)
        self._row = np.zeros(n, np.int64)
        self._blocks: list[Decided] = []

    def __len__(self) -> int:
        return len(self._made)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        made = self._made[i]
        if made is None and self._block[i] >= 0:
            made = self._made[i] = self._blocks[self._block[i]].result(int(self._row[i]))
        return made

    def __setitem__(self, i: int, value) -> None:
        self._made[i] = value
        self._block[i] = -1

    def __iter__(self):
        return (self[i] for i in range(len(self._made)))

    def __repr__(self) -> str:
        return repr(list(self))

    def place(self, start: int, part: "Results") -> None:
        """The results of a chunk of the batch (`part`: records start, start + 1, …)."""
        stop = start + len(part)
        self._made[start:stop] = part._made
        self._block[start:stop] = np.where(part._block >= 0, part._block + len(self._blocks), -1)
        self._row[start:stop] = part._row
        self._blocks.extend(part._blocks)

    def decided(self, where: np.ndarray, block: "Decided") -> None:
        """Records `where` (in the outcome) are rows 0, 1, … of `block`."""
        self._block[where] = len(self._blocks)
        self._row[where] = np.arange(len(where))
        self._blocks.append(block)


class Decided:
    """The Results of the records `rows` of one pass (positions in its items), from its columns."""

    def __init__(self, policy, rows: np.ndarray, values: dict, violations, source, outside):
        self.policy_id, self.rows = policy.id, rows.tolist()
        self.values, self.violations, self.source, self.outside = values, violations, source, outside

    def result(self, j: int) -> Result:
        i = self.rows[j]
        return Result(self.policy_id, self.source(i), {name: got[i] for name, got in self.values.items()},
                      self.violations.of(i), [], outside_period=None if self.outside is None else self.outside[i])
