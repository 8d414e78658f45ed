"""Merging a child policy into the parent it `extends`: how an amendment changes one figure.

- `remove: {parameters|values|functions|rules|outputs: [...]}` drops inherited entries first.
- A parameter with an inherited name replaces the parent's whole (a figure and its citation travel
  together).
- A dotted parameter key overrides one cell of an inherited table and keeps the rest:
  `iku_limits.upk_one.max: {value: 18, cite: …, status: provisional, note: …}`. The merged parameter
  is the parent's with that cell replaced; `Entry.cells` keeps the child's entry for the cell (its
  citation, status, note and line). The merged parameter's `status` is the least certain of its own
  and its cells' (a table with a provisional cell is provisional). For a dated parameter (`values:`)
  the cell is replaced in every dated value (the amendment is dated by its own `effective`); each of
  them must have the path.
- A value, function or rule with an inherited name (id for rules) is merged field by field: the
  parent's fields updated by the child's, so an override writes only what it changes (only `expr`,
  only `severity`). The merged entry has the child's origin; `Entry.inherited` names the fields that
  came from an ancestor. To replace an entry with all its fields, `remove:` it and define it again.
- An entry the child writes must have, after merging, every field a complete entry needs (the
  policy schema's `valueRequired`, `functionRequired`, `ruleRequired`).
- `outputs:` of the child are added after the parent's (all the parent's values when it lists
  none; an inherited output the child lists again moves to the child's place);
  `remove: {outputs: [...]}` drops inherited ones.
Every problem is reported at the child's line, all of them together.
"""
from __future__ import annotations

import copy
from collections.abc import Mapping

from ..display import did_you_mean, inline, shortened
from ..errors import ErrorList, PolicyError
from ..schemas import load_schema
from .spec import Entry, PolicySpec, merged_equivalences

SECTIONS = ("parameters", "functions", "values")
CERTAINTY = ("confirmed", "secondary", "provisional")   # from most to least certain
_KINDS = {"functions": "function", "values": "value", "rules": "rule"}


def merge(parent: PolicySpec, child: PolicySpec) -> PolicySpec:
    """The policy `child` describes: `parent` (resolved) with the child's changes applied."""
    errors: list[PolicyError] = []
    merged = _identity(parent, child)
    for section in SECTIONS + ("rules",):
        table = _removed(dict(getattr(parent, section)), section, parent, child, errors)
        for name, entry in getattr(child, section).items():
            if section != "parameters" and name in table:
                entry = _fields_merged(table[name], entry)
            elif section != "parameters":
                errors.extend(_incomplete(entry, section, parent, table))
            table[name] = entry
        setattr(merged, section, table)
    for key, cell in child.cell_overrides.items():
        try:
            name, entry = _cell_merged(merged.parameters, key, cell, parent.id)
            merged.parameters[name] = entry
        except PolicyError as e:
            errors.append(e)
    merged.outputs, merged.inherited_outputs = _outputs(parent, child, merged, errors)
    merged.confidential = list(dict.fromkeys(parent.confidential + child.confidential))   # adds, never drops
    merged.equivalences = merged_equivalences(parent, child)
    if errors:
        raise errors[0] if len(errors) == 1 else ErrorList(errors)
    return merged


def _identity(parent: PolicySpec, child: PolicySpec) -> PolicySpec:
    return PolicySpec(
        id=child.id, file=child.file, title=child.title or parent.title,
        instrument=child.instrument or parent.instrument, description=child.description or parent.description,
        effective_from=child.effective_from or parent.effective_from,
        effective_to=child.effective_to if child.effective_from else parent.effective_to,
        supersedes=child.supersedes or parent.supersedes, extends=child.extends,
        subject_schema=child.subject_schema or parent.subject_schema,
        subject_name=child.subject_name if child.subject_schema else parent.subject_name,
        reference_date=child.reference_date or parent.reference_date,
        chain=[child.id] + parent.chain, root=child.root,
    )


def _removed(table: dict, section: str, parent: PolicySpec, child: PolicySpec, errors: list) -> dict:
    for i, name in enumerate(child.removals.get(section, [])):
        if name in table:
            del table[name]
        else:
            errors.append(child.root.smap.error(f"cannot remove '{name}': {parent.id} has no such {section[:-1]}",
                                                ("remove", section, i), cls=PolicyError,
                                                hint=did_you_mean(name, table)))
    return table


def _fields_merged(inherited: Entry, own: Entry) -> Entry:
    """An override written field by field: the inherited entry's fields updated by the child's."""
    fields = {f: inherited.inherited.get(f, inherited.origin.policy) for f in inherited.data if f not in own.data}
    return Entry(own.name, {**inherited.data, **own.data}, own.origin, inherited=fields)


def required_fields(section: str) -> list[str]:
    """The fields a complete value, function or rule has (the policy schema's `<kind>Required`)."""
    return load_schema("policy")["$defs"][f"{_KINDS[section]}Required"]["required"]


def _incomplete(entry: Entry, section: str, parent: PolicySpec, inherited: dict) -> list[PolicyError]:
    """An error if a new entry of a child policy lacks a required field (nothing to inherit it from)."""
    missing = [f for f in required_fields(section) if f not in entry.data]
    if not missing:
        return []
    kind, fields = _KINDS[section], ", ".join(f"'{f}'" for f in missing)
    where = entry.origin.location("id") if section == "rules" else entry.origin.location(key=True)
    return [PolicyError(f"{kind} '{entry.name}' needs {fields}: {parent.id} has no {kind} '{entry.name}' "
                        f"to inherit {'it' if len(missing) == 1 else 'them'} from", where,
                        hint=did_you_mean(entry.name, inherited))]


def _cell_merged(parameters: dict[str, Entry], key: str, cell: Entry, parent_id: str) -> tuple[str, Entry]:
    """The parameter that dotted `key` names, with the cell at its path replaced by `cell`'s value."""
    name, *path = key.split(".")
    where = cell.origin.location(key=True)
    if name not in parameters:
        raise PolicyError(f"cannot override '{key}': {parent_id} has no parameter '{name}'", where,
                          hint=did_you_mean(name, parameters))
    entry = parameters[name]
    data = copy.deepcopy(entry.data)
    if "values" in data:
        for dated in data["values"]:
            dated["value"] = _replaced(dated["value"], name, path, cell, f" (its value from {dated['from']})")
    else:
        data["value"] = _replaced(data["value"], name, path, cell, "")
    cells = {p: c for p, c in entry.cells.items() if p[:len(path)] != tuple(path)}
    cells[tuple(path)] = cell
    data["status"] = max([data["status"], cell.status], key=CERTAINTY.index)
    return name, Entry(name, data, entry.origin, inherited=dict(entry.inherited), cells=cells)


def _replaced(table, name: str, path: list[str], cell: Entry, dated: str):
    """`table` with the node at `path` replaced by the cell's value (the path must exist)."""
    node, walked = table, name
    for i, step in enumerate(path):
        if not isinstance(node, Mapping):
            raise PolicyError(f"cannot override '{cell.name}': {walked}{dated} is {_described(node)}, "
                              "not a table", cell.origin.location(key=True))
        keys = {str(k): k for k in node}
        if step not in keys:
            raise PolicyError(f"cannot override '{cell.name}': {walked}{dated} has no key '{step}'",
                              cell.origin.location(key=True), hint=did_you_mean(step, keys))
        if i == len(path) - 1:
            node[keys[step]] = copy.deepcopy(cell.data["value"])
        node, walked = node[keys[step]], f"{walked}.{step}"
    return table


def _described(node) -> str:
    if isinstance(node, list):
        return f"a list {shortened(inline(node), 40)}"
    if isinstance(node, str):
        return f"a text '{shortened(node, 40)}'"
    return f"the {'number' if not isinstance(node, bool) and node is not None else 'value'} {inline(node)}"


def _outputs(parent: PolicySpec, child: PolicySpec, merged: PolicySpec, errors: list):
    """The reported values: the parent's (less removals, less removed values), then the child's."""
    removed = child.removals.get("outputs", [])
    if child.outputs is None and not removed:
        if parent.outputs is None:
            return None, 0
        kept = [o for o in parent.outputs if o in merged.values]
        return kept, len(kept)
    inherited = list(parent.outputs if parent.outputs is not None else parent.values)
    for i, name in enumerate(removed):
        if name in inherited:
            inherited.remove(name)
        else:
            errors.append(child.root.smap.error(f"cannot remove output '{name}': {parent.id} does not report it",
                                                ("remove", "outputs", i), cls=PolicyError,
                                                hint=did_you_mean(name, inherited)))
    own = child.outputs or []
    kept = [o for o in inherited if o in merged.values and o not in own]
    return kept + own, len(kept)
