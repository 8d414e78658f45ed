"""What a policy file says, before checking and compiling: plain entries that remember their origin.

After `extends` is resolved, entries of one policy can come from several files; each `Entry` keeps
the file and path it was written at, so errors about an inherited rule point at the parent's file.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from ..errors import Location
from ..schemas import SchemaSet
from ..source import DataPath, SourceMap


@dataclass(frozen=True)
class Origin:
    smap: SourceMap
    path: DataPath

    @property
    def file(self) -> str:
        return self.smap.file

    def location(self, *sub, key: bool = False, offset: tuple[int, int] | None = None) -> Location:
        return self.smap.location(self.path + tuple(sub), key=key, offset=offset)


@dataclass
class Entry:
    """One parameter, value, function or rule: its name (id for rules), its YAML mapping, its origin."""

    name: str
    data: dict[str, Any]
    origin: Origin

    def get(self, key: str, default=None):
        return self.data.get(key, default)


@dataclass
class PolicySpec:
    id: str
    file: str
    title: str = ""
    instrument: str = ""
    description: str = ""
    effective_from: _dt.date | None = None
    effective_to: _dt.date | None = None
    supersedes: str | None = None
    extends: str | None = None
    subject_schema: str = ""
    subject_name: str = "data"
    reference_date: Entry | None = None
    parameters: dict[str, Entry] = field(default_factory=dict)
    functions: dict[str, Entry] = field(default_factory=dict)
    values: dict[str, Entry] = field(default_factory=dict)
    rules: dict[str, Entry] = field(default_factory=dict)   # by id, in file order
    outputs: list[str] | None = None
    removals: dict[str, list[str]] = field(default_factory=dict)  # `remove:` of a child policy
    chain: list[str] = field(default_factory=list)           # this policy's id, then its ancestors
    root: Origin | None = None
    schemas: SchemaSet | None = None   # where its subject schema is found (None: the standard search path)
