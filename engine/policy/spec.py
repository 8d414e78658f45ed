"""What a policy file says, before checking and compiling: plain entries that remember their origin.

After `extends` is resolved, entries of one policy can come from several files; each `Entry` keeps
the file and path it was written at, so errors about an inherited rule point at the parent's file.

Two kinds of entry are made by merging (engine/policy/merge.py):
- a value, function or rule that a child overrides field by field: its `data` is the parent's
  fields updated by the child's, its `origin` is the child's, and `inherited` names each field
  taken from an ancestor (field -> policy id), so errors and explanations can say so;
- a parameter with cells overridden by path (`iku_limits.upk_one.max: {value: 18, cite: …}`): its
  `data` is the ancestor's with those cells replaced, and `cells` maps each overridden path
  (a tuple of keys inside the value) to the child's own entry for it (value, cite, status, note,
  origin at the child's line). `cell_entries` and `source_of` read them.

`equivalences` say which labels of this policy's values mean the same as another policy's labels
(`kemenkeu_one` of kmk_467_2014 is `upk_one` here), so that `kinerja compare` does not count a rename
as a change: other policy id -> value name -> an `Entry` with `labels` (their label -> ours), `cite`,
`status`. A child inherits its parent's and may redeclare a value's (`merged_equivalences`).
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from ..display import inline, shortened
from ..errors import Location
from ..schemas import SchemaSet
from ..source import DataPath, SourceMap


@dataclass(frozen=True)
class Origin:
    """Where a policy entry is written: its file's source map and its path in the file."""
    smap: SourceMap
    path: DataPath
    policy: str = ""          # id of the policy whose file this is

    @property
    def file(self) -> str:
        return self.smap.file

    def location(self, *sub, key: bool = False, offset: tuple[int, int] | None = None) -> Location:
        return self.smap.location(self.path + tuple(sub), key=key, offset=offset)


CellPath = tuple[str, ...]
CHECKED_FIELDS = ("params", "for_each", "when", "require", "expr", "key", "message", "title")


@dataclass
class Entry:
    """One parameter, value, function or rule: its name (id for rules), its YAML mapping, its origin."""

    name: str
    data: dict[str, Any]
    origin: Origin
    inherited: dict[str, str] = field(default_factory=dict)     # field -> id of the policy it came from
    cells: dict[CellPath, Entry] = field(default_factory=dict)  # overridden cell path -> child's entry

    def get(self, key: str, default=None):
        return self.data.get(key, default)

    @property
    def status(self) -> str | None:
        """confirmed | secondary | provisional, when the entry gives one."""
        return self.data.get("status")

    @property
    def note(self) -> str | None:
        return self.data.get("note")

    def location(self, *sub, key: bool = False, offset: tuple[int, int] | None = None) -> Location:
        """Where `sub` (a field and a path inside it) is written. A field inherited from an ancestor
        is not in this entry's file: errors about it are placed at the entry's own key."""
        if sub and sub[0] in self.inherited:
            return self.origin.location(key=True)
        return self.origin.location(*sub, key=key, offset=offset)

    def inherited_hint(self) -> str | None:
        """`inherited from kmk_300_2022: for_each `i in contract.iku`, key `{i.code}``: the inherited
        fields that take part in checking the entry, for the hints of its errors."""
        by_policy: dict[str, list[str]] = {}
        for name, policy in self.inherited.items():
            if name not in CHECKED_FIELDS:
                continue
            raw = self.data[name]
            text = shortened(raw.strip() if isinstance(raw, str) else inline(raw), 60)
            by_policy.setdefault(policy, []).append(f"{name} `{text}`")
        return "; ".join(f"inherited from {p}: {', '.join(fields)}" for p, fields in by_policy.items()) or None


def cell_entries(entry: Entry) -> dict[CellPath, Entry]:
    """The cells of a parameter that a child policy overrode by path, by path, in path order."""
    return dict(sorted(entry.cells.items()))


def source_of(entry: Entry, path: CellPath) -> Entry:
    """The entry that gives the cell at `path` of a parameter's value: the override of that cell (or of
    a table containing it), else the parameter itself."""
    for cut in range(len(path), 0, -1):
        if path[:cut] in entry.cells:
            return entry.cells[path[:cut]]
    return entry


@dataclass
class PolicySpec:
    """A policy file as read and checked, before compilation: metadata and its entries."""
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
    confidential: list[str] = field(default_factory=list)   # values reports hide unless asked to
    inherited_outputs: int = 0   # how many of `outputs` come from ancestors (the rest: this file's list)
    removals: dict[str, list[str]] = field(default_factory=dict)  # `remove:` of a child policy
    cell_overrides: dict[str, Entry] = field(default_factory=dict)  # dotted parameter keys of a child
    uses: dict[str, list[str]] = field(default_factory=dict)  # `uses:` policy id -> names taken from it
    equivalences: dict[str, dict[str, Entry]] = field(default_factory=dict)  # other policy -> value -> labels
    chain: list[str] = field(default_factory=list)           # this policy's id, then its ancestors
    root: Origin | None = None
    schemas: SchemaSet | None = None   # where its subject schema is found (None: the standard search path)


def merged_equivalences(parent: PolicySpec, child: PolicySpec) -> dict[str, dict[str, Entry]]:
    """A child's label equivalences: its parent's, with each value the child declares for a policy replaced."""
    merged = {other: dict(values) for other, values in parent.equivalences.items()}
    for other, values in child.equivalences.items():
        merged.setdefault(other, {}).update(values)
    return merged
