"""Checking a batch of contract files: every record of every input, each under its policy.

`check_inputs` expands the inputs (files, and data files under folders), reads each file's records
and evaluates each record, under one given policy or under the policy a registry finds in force for
the record's date. Nothing stops the batch: an unreadable file, an invalid record or a record no
policy covers becomes that record's `Outcome` with its error, and the other records are still
judged; so does any unexpected failure while reading or evaluating one record (`engine.failures`).
`summarise` counts the outcomes (per outcome, per severity, per rule); `engine/report/check.py`
renders them.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from .errors import DataError, ErrorList, KinerjaError, Location
from .failures import record_failure
from .policy.policy import Policy
from .policy.registry import Registry
from .inputs import data_format, iter_inputs
from .record import Record, read_records, record_from_line
from .source import read_lines
from .result import Result, hiding


@dataclass
class Outcome:
    """One record's verdict: its `Result`, or the error that kept it from being judged."""

    source: str
    result: Result | None = None
    error: KinerjaError | None = None


@dataclass
class RuleCount:
    """How often one rule of one policy reported: violations, and records with at least one."""

    policy: str
    rule: str
    severity: str
    violations: int = 0
    records: int = 0


@dataclass
class Summary:
    """Counts over a batch of checked records: what the summary line and every report's totals show."""
    records: int = 0
    passed: int = 0
    failed: int = 0
    input_errors: int = 0
    outside_period: int = 0   # records judged by a policy not in force on their reference date
    by_severity: dict[str, int] = field(default_factory=lambda: {"error": 0, "warning": 0, "info": 0})
    by_rule: dict[tuple[str, str], RuleCount] = field(default_factory=dict)   # (policy, rule id) → counts


def check_inputs(inputs: list[str], policy: Policy | Registry, as_of: _dt.date | None = None,
                 exclude: tuple[str, ...] = (), show_confidential: bool = False, jobs: int = 1) -> list[Outcome]:
    """The outcome of every record in `inputs`, in input order. An argument that names no data file
    (a missing path, an empty folder, a glob matching nothing) is an input error naming it. A
    policy's confidential values are left out of the results unless `show_confidential`. With
    `jobs` > 1, that many forked worker processes judge the records (`_in_workers`): the outcomes are
    the same, in the same order; where processes cannot be forked, one process judges them all."""
    if jobs > 1 and _can_fork():
        return _in_workers(inputs, policy, as_of, exclude, show_confidential, jobs)
    return list(_outcomes(inputs, policy, as_of, exclude, show_confidential))


def _judge(policy: Policy, record: Record, as_of: _dt.date | None, show_confidential: bool) -> Result:
    result = policy.evaluate(record, as_of=as_of)
    return result if show_confidential else hiding(result, policy.confidential)


def _outcomes(inputs: list[str], policy: Policy | Registry, as_of: _dt.date | None,
              exclude: tuple[str, ...], show_confidential: bool) -> Iterator[Outcome]:
    for path in iter_inputs(list(inputs), exclude):
        if isinstance(path, KinerjaError):
            yield Outcome(str(path.location or path), error=path)
            continue
        yield from _judged(str(path), _records(path), policy, as_of, show_confidential)


def _judged(name: str, records: Iterable[Record | KinerjaError], policy: Policy | Registry,
            as_of: _dt.date | None, show_confidential: bool) -> Iterator[Outcome]:
    """The outcome of each record read from file `name` (a record that could not be read: its error)."""
    for record in records:
        if isinstance(record, KinerjaError):
            yield Outcome(name, error=record)
            continue
        try:
            yield Outcome(record.source, result=_judge(choose(policy, record), record, as_of, show_confidential))
        except Exception as e:   # not only KinerjaError: one record's failure stops no other record
            yield Outcome(record.source, error=record_failure(e, record.location(())))


# -- several processes ------------------------------------------------------------------------
# The main process lists the files and reads JSON Lines files line by line; workers (forked, so they
# inherit the compiled policies) parse and judge each line, or read and judge a whole YAML, JSON or
# Excel file. Outcomes travel back pickled; an ErrorList travels as its list of errors.
_SHARED: tuple | None = None   # (policy, as_of, show_confidential), set in the parent before forking
CHUNK = 64                     # tasks per message to a worker


def _in_workers(inputs: list[str], policy: Policy | Registry, as_of: _dt.date | None,
                exclude: tuple[str, ...], show_confidential: bool, jobs: int) -> list[Outcome]:
    global _SHARED
    if isinstance(policy, Registry):   # compiled once, here: the forked workers inherit them
        broken = policy.broken()
        for pid in policy.paths():
            if pid not in broken:
                policy.load(pid)
    _SHARED = (policy, as_of, show_confidential)
    try:
        import multiprocessing   # here, not at the top: a one-job check need not import it (cold start)
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            return [_unpacked(p) for packed in pool.imap(_run_task, _tasks(inputs, exclude), CHUNK) for p in packed]
    finally:
        _SHARED = None


def _tasks(inputs: list[str], exclude: tuple[str, ...]) -> Iterator[tuple]:
    """One task per JSON Lines line and per other file, in input order; an argument naming no data
    file, and a line that cannot be decoded, are finished outcomes already."""
    for path in iter_inputs(list(inputs), exclude):
        if isinstance(path, KinerjaError):
            yield ("done", _packed(Outcome(str(path.location or path), error=path)))
        elif data_format(path) != "jsonl":
            yield ("file", path)
        else:
            try:
                for n, line in read_lines(path, DataError):
                    if isinstance(line, KinerjaError):
                        yield ("done", _packed(Outcome(str(path), error=line)))
                    elif line.strip():
                        yield ("line", str(path), n, line)
            except Exception as e:   # as `_records`: an unexpected failure while reading ends that file
                yield ("done", _packed(Outcome(str(path), error=record_failure(e, Location(str(path))))))


def _run_task(task: tuple) -> list[tuple]:
    """In a worker: the packed outcomes of one task."""
    if task[0] == "done":
        return [task[1]]
    policy, as_of, show_confidential = _SHARED
    if task[0] == "file":
        name, records = str(task[1]), _records(task[1])
    else:
        name, records = task[1], [_line_record(task[1], task[2], task[3])]
    return [_packed(o) for o in _judged(name, records, policy, as_of, show_confidential)]


def _line_record(name: str, n: int, line: str) -> Record | KinerjaError:
    try:
        return record_from_line(line, name, n)
    except Exception as e:   # as `_records`: an unexpected failure is the record's error
        return record_failure(e, Location(name, n))


def _packed(o: Outcome) -> tuple:
    listed = isinstance(o.error, ErrorList)   # ErrorList(message) is how it pickles: not as a list
    return o.source, o.result, o.error.errors if listed else o.error, listed


def _unpacked(packed: tuple) -> Outcome:
    source, result, error, listed = packed
    return Outcome(source, result, ErrorList(error) if listed else error)


def _records(path) -> Iterator[Record | KinerjaError]:
    """The records of one file, and an unexpected failure while reading it as its last error."""
    try:
        yield from read_records(path)
    except Exception as e:
        yield record_failure(e, Location(str(path)))


def choose(policy: Policy | Registry, record: Record) -> Policy:
    """`policy` itself, or the registry's policy in force for the record's date and data kind."""
    if isinstance(policy, Registry):
        data = record.data
        return policy.select(data, data.get("kind") if isinstance(data, dict) else None)
    return policy


def failing(o: Outcome, fail_on: str) -> bool:
    """Whether a record needs attention: it has an input error or fails at threshold `fail_on`
    (what `check --quiet` shows)."""
    return o.error is not None or o.result.fails(fail_on)


def summarise(outcomes: list[Outcome], fail_on: str) -> Summary:
    """Records passed, failed and with input errors at threshold `fail_on`; violations by severity."""
    s = Summary(records=len(outcomes))
    for o in outcomes:
        if o.error is not None:
            s.input_errors += 1
            continue
        s.outside_period += o.result.outside_period is not None
        for v in o.result.violations:
            s.by_severity[v.severity] += 1
        _count_rules(s.by_rule, o.result)
        if o.result.fails(fail_on):
            s.failed += 1
        else:
            s.passed += 1
    return s


def _count_rules(by_rule: dict[tuple[str, str], RuleCount], result: Result) -> None:
    seen: set[str] = set()
    for v in result.violations:
        count = by_rule.setdefault((result.policy, v.rule), RuleCount(result.policy, v.rule, v.severity))
        count.violations += 1
        count.records += v.rule not in seen
        seen.add(v.rule)


def _can_fork() -> bool:
    import multiprocessing   # only when more than one job is asked for
    return "fork" in multiprocessing.get_all_start_methods()
