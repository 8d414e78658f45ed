"""Choosing one record of a data file, for `kinerja explain`: by position, by line, or by name.

A JSON Lines file holds many records; `compare` and `check` name them `file.jsonl:LINE`, and compare
labels them by unit code and year (`DJPB 2024`). `pick_record` finds the record on a LINE, the Nth
record (1-based, blank lines not counted, unreadable lines counted), or the one whose unit code,
code, id or compare label is a given text; without a choice, the first. A choice that names no
record is a DataError saying how many records the file has (exit 2); so is an empty file, and a
record whose data is not a mapping.
"""
from __future__ import annotations

import os
from typing import Any, Iterator

from .display import did_you_mean, plural
from .errors import DataError, KinerjaError, Location
from .inputs import data_format
from .record import Record, read_records


def split_line(arg: str) -> tuple[str, int | None]:
    """`file.jsonl:12` → ('file.jsonl', 12) when `arg` itself is not a file but `file.jsonl` is."""
    path, sep, line = arg.rpartition(":")
    if sep and line.isdigit() and not os.path.exists(arg) and os.path.isfile(path):
        return path, int(line)
    return arg, None


def pick_record(path: str, line: int | None = None, ref: str | None = None) -> tuple[Record, int]:
    """The chosen record of `path` (see the module) and how many records the file has."""
    if line is not None and data_format(path) != "jsonl":
        raise DataError(f"FILE:LINE chooses a line of a JSON Lines file (.jsonl); this file holds one record",
                        Location(path))
    entries = list(_entries(path))
    if not entries:
        raise DataError("the file holds no contract data", Location(path))
    if line is not None:
        chosen = [e for e in entries if _line(e) == line]
        if not chosen:
            lines = [_line(e) for e in entries]
            raise DataError(f"no record on this line; the file has {plural(len(entries), 'record')} "
                            f"(lines {min(lines)}–{max(lines)})", Location(path, line))
        return _mapping(chosen[0]), len(entries)
    if ref is None:
        return _mapping(entries[0]), len(entries)
    if ref.isdigit():
        return _mapping(_nth(path, entries, int(ref))), len(entries)
    return _mapping(_named(path, entries, ref)), len(entries)


def _entries(path: str) -> Iterator[Record | KinerjaError]:
    """Every record of the file, and every line that could not be read, in file order; an error
    about the whole file (missing, not readable) is raised."""
    for entry in read_records(path):
        if isinstance(entry, KinerjaError) and _line(entry) is None:
            raise entry
        yield entry


def _line(entry: Record | KinerjaError) -> int | None:
    if isinstance(entry, Record):
        return entry.line_offset or None
    location = getattr(entry, "location", None)
    return location.line if location is not None else None


def _nth(path: str, entries: list, n: int):
    if not 1 <= n <= len(entries):
        shown = "records are numbered from 1" if n < 1 else f"there is no record {n}"
        raise DataError(f"{shown}; the file has {plural(len(entries), 'record')}", Location(path))
    return entries[n - 1]


def _named(path: str, entries: list, ref: str):
    names = [(_names(e.data) if isinstance(e, Record) else set(), e) for e in entries]
    matches = [e for found, e in names if ref in found]
    if len(matches) == 1:
        return matches[0]
    if matches:
        lines = ", ".join(str(_line(e)) for e in matches)
        raise DataError(f"{len(matches)} records are '{ref}' (lines {lines}); choose one with FILE:LINE "
                        "or --record N", Location(path))
    hint = did_you_mean(ref, sorted({n for found, _ in names for n in found}))
    raise DataError(f"no record has unit code, id or label '{ref}'; the file has "
                    f"{plural(len(entries), 'record')}" + (f"; {hint}" if hint else ""), Location(path))


def _names(data: Any) -> set[str]:
    """What a record may be called: its compare label (`DJPB 2024`), unit code, code and id."""
    from .compare.model import record_label   # the label compare prints; imported only when needed

    if not isinstance(data, dict):
        return set()
    unit = data.get("unit") if isinstance(data.get("unit"), dict) else {}
    names = {str(x) for x in (unit.get("code"), data.get("code"), data.get("id")) if x is not None}
    return names | ({record_label(data)} - {""})


def _mapping(entry: Record | KinerjaError) -> Record:
    """The chosen record, which must hold a mapping of fields (else its DataError)."""
    if isinstance(entry, KinerjaError):
        raise entry
    if entry.data is None:
        raise DataError("the file holds no contract data", Location(entry.source))
    if not isinstance(entry.data, dict):
        kind = "a list" if isinstance(entry.data, list) else "a single value"
        raise DataError(f"contract data must be a mapping of fields, not {kind}", entry.location(()))
    return entry
