"""Test coverage of a policy: which rules, band rows and parameters its test cases exercise.

The policy's own test cases (`policies/<id>/tests/*.yaml`, see policy_tests.py) are run as usual,
but every evaluation reads its parameters through a recording view (`Policy.evaluate(...,
parameter_view=...)`), so nothing in the compiled code changes. Definitions:

- a rule is *fired* when at least one case's evaluation reports a violation of it with outcome
  `failed` (an `undetermined` or `error` outcome does not count);
- a band row is *hit* when some case's evaluation looks a value up in that band table (`band(x,
  table)`) and lands on that row; a table with dated values has rows per dated value;
- a parameter is *read* when some case's evaluation reads it: while computing values, checking
  rules, rendering violation messages and item labels, or dating the data (`reference_date`, e.g.
  `tanggal_acuan`). The compiled code tries a fast form and falls back to a safe form on an
  exception; reads in both count.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import Location
from ..display import band_row, value
from ..lang.runtime import Bands
from .policy import Policy
from .cases import CaseResult, run_policy
from ..result import Result


@dataclass(frozen=True)
class BandRow:
    """One row of a band table: the parameter, which of its dated `values:` (None if undated), row index."""

    parameter: str
    dated: int | None      # index into the parameter's `values:` list as written
    index: int
    label: str
    interval: str          # display.band_row: "90 ≤ x ≤ 100", "x < 50"
    location: Location
    dated_from: str | None = None

    def describe(self) -> str:
        when = f" (from {self.dated_from})" if self.dated_from is not None else ""
        return f"{self.parameter}{when}: {self.label} ({self.interval})"


@dataclass
class Coverage:
    """What the cases of one policy exercised, and what they left untouched."""

    policy: Policy
    fired: set[str] = field(default_factory=set)                  # rule ids
    hit: set[tuple[str, int | None, int]] = field(default_factory=set)   # (parameter, dated, row)
    read: set[str] = field(default_factory=set)                   # parameter names

    @property
    def rules(self) -> list[str]:
        return [r.id for r in self.policy.rules]

    @property
    def band_rows(self) -> list[BandRow]:
        return list(_band_rows(self.policy))

    @property
    def unfired_rules(self) -> list[str]:
        return [r for r in self.rules if r not in self.fired]

    @property
    def unhit_rows(self) -> list[BandRow]:
        return [b for b in self.band_rows if (b.parameter, b.dated, b.index) not in self.hit]

    @property
    def unread_parameters(self) -> list[str]:
        return [p for p in self.policy.parameters if p not in self.read]

    @property
    def complete(self) -> bool:
        return not (self.unfired_rules or self.unhit_rows or self.unread_parameters)

    # -- recording ---------------------------------------------------------------------------
    def view(self, P: dict[str, Any]) -> Mapping[str, Any]:
        """The `parameter_view` for one evaluation: records reads and band-row lookups."""
        return RecordingParameters(P, self)

    def saw(self, result: Result) -> None:
        self.fired.update(v.rule for v in result.violations if v.outcome == "failed")

    def dated_index(self, name: str, value: Any) -> int | None:
        """Which of the parameter's `values:` (as written) an evaluation was given; None if undated."""
        info = self.policy.parameters[name]
        if "values" not in info.entry.data:
            return None
        position = next(j for j, (_, v) in enumerate(info.dated) if v is value)
        return _written_order(info.entry.data["values"])[position]


class RecordingParameters(Mapping):
    """Parameter values as an evaluation sees them, noting each name read; band tables are wrapped."""

    def __init__(self, values: dict[str, Any], coverage: Coverage):
        self._values = values
        self._coverage = coverage
        self._wrapped: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        value = self._values[name]
        self._coverage.read.add(name)
        if isinstance(value, Bands):
            wrapped = self._wrapped.get(name)
            if wrapped is None:
                wrapped = self._wrapped[name] = RecordingBands(
                    value, name, self._coverage.dated_index(name, value), self._coverage.hit)
            return wrapped
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


class RecordingBands(Bands):
    """A band table that notes which row each lookup lands on."""

    __slots__ = ("_key", "_hit")

    def __init__(self, bands: Bands, name: str, dated: int | None, hit: set):
        super().__init__(bands.rows)
        self._key = (name, dated)
        self._hit = hit

    def lookup(self, x):
        label = super().lookup(x)
        if label is not None:  # the first row that holds x, by the table's own rule
            index = next(i for i, row in enumerate(self.rows) if Bands([row]).lookup(x) is not None)
            self._hit.add((*self._key, index))
        return label


class _Observed:
    """A policy as the test runner sees it: every evaluation goes through a `Coverage`."""

    def __init__(self, policy: Policy, coverage: Coverage):
        self._policy = policy
        self._coverage = coverage

    def __getattr__(self, name: str) -> Any:
        return getattr(self._policy, name)

    def evaluate(self, data: Any, **options) -> Result:
        result = self._policy.evaluate(data, parameter_view=self._coverage.view, **options)
        self._coverage.saw(result)
        return result


def observe(policy: Policy) -> tuple[Policy, Coverage]:
    """The policy to hand to the test runner (`run_file`, `run_policy`) and the coverage it fills."""
    coverage = Coverage(policy)
    return _Observed(policy, coverage), coverage  # type: ignore[return-value]


def measure(policy: Policy) -> tuple[list[CaseResult], Coverage]:
    """Run the policy's test cases (the same run as `run_policy`) and measure what they exercise."""
    observed, coverage = observe(policy)
    return run_policy(observed), coverage


def _band_rows(policy: Policy) -> Iterator[BandRow]:
    for name, info in policy.parameters.items():
        entry = info.entry
        if entry.get("type") != "bands":
            continue
        if "values" in entry.data:
            versions = [(k, str(v["from"]), v["value"], ("values", k, "value"))
                        for k, v in enumerate(entry.data["values"])]
        else:
            versions = [(None, None, entry.data["value"], ("value",))]
        for dated, start, rows, sub in versions:
            for i, row in enumerate(rows):
                yield BandRow(name, dated, i, value(row["label"]), band_row(row),
                              entry.origin.location(*sub, i), start)


def _written_order(values: list[dict]) -> list[int]:
    """Written indices of dated values in date order (build.py sorts them the same, stably)."""
    return sorted(range(len(values)), key=lambda k: values[k]["from"])
