"""The records to compare, from the DATA arguments: as light *tasks* in input order, parsed on demand.

The inputs (files, folders, globs, found by `engine.inputs.iter_inputs`: an argument naming no data
file is an input error, extensions count in any letter case, hidden folders and virtual
environments are skipped, `exclude` patterns drop files) become tasks in input order: a JSON Lines
line as its raw text,
or a YAML/JSON file by name, so that the main process only reads and splits lines and worker
processes do the parsing and validation. `materialise` parses a task into a `Record`, or into a
comparison carrying the errors that kept it from being read; files or lines that cannot even be
read are such comparisons already. Lines are streamed: memory does not grow with the file.
`count_records` counts the records cheaply, for a progress bar.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

from ..errors import DataError, KinerjaError
from ..inputs import data_format, iter_inputs
from ..record import Record, read_records, record_from_line
from ..source import LINE_BUFFER, read_lines
from .model import RecordComparison, error_infos

Task = tuple   # ("line", file name, line number, text) or ("file", file name)


def unreadable(error: KinerjaError, name: str) -> RecordComparison:
    """The comparison of a record that could not be read from file `name`."""
    infos = error_infos(error, name)
    return RecordComparison(0, name, infos[0].line if data_format(name) == "jsonl" else None, errors=infos)


def tasks(inputs: list[str], exclude: Iterable[str] = ()) -> Iterator[Task | RecordComparison]:
    """One task per record of `inputs`, in input order; an unreadable file or line, or an argument
    naming no data file, as its comparison."""
    for path in iter_inputs(list(inputs), exclude):
        if isinstance(path, KinerjaError):
            yield RecordComparison(0, str(path.location or path), errors=error_infos(path, str(path.location)))
            continue
        name = str(path)
        if data_format(name) == "parquet":   # one task per row (engine/vector/columnar.py)
            from ..vector.columnar import parquet_tasks
            yield from (unreadable(t, name) if isinstance(t, DataError) else t for t in parquet_tasks(name))
            continue
        if data_format(name) != "jsonl":
            yield ("file", name)
            continue
        for n, line in read_lines(path, DataError):   # streamed: memory does not grow with the file
            if isinstance(line, DataError):
                yield unreadable(line, name)
            elif line.strip():
                yield ("line", name, n, line)


def materialise(task: Task) -> Record | RecordComparison:
    """A task as a Record, or as a comparison with the errors that kept it from being read (the same
    records and errors as `engine.record.read_records`)."""
    if task[0] == "row":
        from ..vector.columnar import parquet_row
        item = parquet_row(task[1], task[2])
        return item if isinstance(item, Record) else unreadable(item, task[1])
    if task[0] == "line":
        _, name, n, line = task
        item = record_from_line(line, name, n)
        return item if isinstance(item, Record) else unreadable(item, name)
    name = task[1]
    for item in read_records(name):   # a YAML or JSON file: one record, or its error
        return item if isinstance(item, Record) else unreadable(item, name)
    raise AssertionError(f"{name}: no record")  # pragma: no cover


def count_records(inputs: list[str], exclude: Iterable[str] = ()) -> int:
    """How many records the inputs hold (for a progress bar): one per file, one per JSON Lines line."""
    n = 0
    for path in iter_inputs(list(inputs), exclude):
        if isinstance(path, Path) and data_format(path) == "jsonl":
            try:
                with open(path, "rb", buffering=LINE_BUFFER) as f:
                    n += sum(1 for line in f if line.strip())
            except OSError:
                n += 1
        else:
            n += 1
    return n
