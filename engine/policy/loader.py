"""Reading a policy file into a `PolicySpec`: YAML with positions, the policy JSON Schema, `extends`.

A child policy inherits its parent's parameters, functions, values and rules, replaces any it
redefines (by name, or by id for rules), and drops those listed under `remove`. Unknown parents and
inheritance cycles are reported at the `extends:` line.
"""
from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Callable

from ..errors import ErrorList, PolicyError
from ..schemas import validate
from ..source import load_yaml, read_text
from .spec import Entry, Origin, PolicySpec

POLICY_FILE = "policy.yaml"
SECTIONS = ("parameters", "functions", "values")


def policy_file(path: Path) -> Path:
    """A policy is a folder with policy.yaml, or a .yaml file itself."""
    return path / POLICY_FILE if path.is_dir() else path


def read_spec(path: Path) -> PolicySpec:
    """Parse and schema-check one policy file (without resolving `extends`)."""
    file = str(path)
    data, smap = load_yaml(read_text(path, PolicyError), file, PolicyError)
    if not isinstance(data, dict):
        raise PolicyError("a policy file must be a mapping with 'policy:', 'title:', … at the top",
                          smap.location(()))
    errors = validate("policy", data, smap, file, PolicyError)
    if errors:
        raise errors[0] if len(errors) == 1 else ErrorList(errors)
    root = Origin(smap, ())
    effective = data.get("effective") or {}
    subject = data.get("subject") or {}
    spec = PolicySpec(
        id=data["policy"], file=file, title=data.get("title", ""), instrument=data.get("instrument", ""),
        description=data.get("description", ""),
        effective_from=_date(effective.get("from")), effective_to=_date(effective.get("to")),
        supersedes=data.get("supersedes"), extends=data.get("extends"),
        subject_schema=subject.get("schema", ""), subject_name=subject.get("as", "data"),
        outputs=data.get("outputs"), root=root,
    )
    if "reference_date" in data:
        spec.reference_date = Entry("reference_date", {"expr": data["reference_date"]},
                                    Origin(smap, ()))
    for section in SECTIONS:
        for name, body in (data.get(section) or {}).items():
            getattr(spec, section)[name] = Entry(name, body, Origin(smap, (section, name)))
    for i, body in enumerate(data.get("rules") or []):
        if body["id"] in spec.rules:
            raise smap.error(f"duplicate rule id '{body['id']}'", ("rules", i, "id"), cls=PolicyError)
        spec.rules[body["id"]] = Entry(body["id"], body, Origin(smap, ("rules", i)))
    spec.removals = data.get("remove") or {}
    spec.chain = [spec.id]
    return spec


def _date(value) -> _dt.date | None:
    return _dt.date.fromisoformat(value) if isinstance(value, str) else value


def resolve(spec: PolicySpec, find: Callable[[str], Path | None], seen: tuple[str, ...] = ()) -> PolicySpec:
    """Merge the `extends` chain into one spec; `find` maps a policy id to its file."""
    if not spec.extends:
        return spec
    where = spec.root.location("extends")
    if spec.extends in seen + (spec.id,):
        chain = " → ".join(seen + (spec.id, spec.extends))
        raise PolicyError(f"policies extend each other in a cycle: {chain}", where)
    parent_path = find(spec.extends)
    if parent_path is None:
        raise PolicyError(f"extends unknown policy '{spec.extends}'", where)
    parent = resolve(read_spec(parent_path), find, seen + (spec.id,))
    return _merge(parent, spec)


def _merge(parent: PolicySpec, child: PolicySpec) -> PolicySpec:
    removals = child.removals
    merged = PolicySpec(
        id=child.id, file=child.file, title=child.title or parent.title,
        instrument=child.instrument or parent.instrument, description=child.description or parent.description,
        effective_from=child.effective_from or parent.effective_from,
        effective_to=child.effective_to if child.effective_from else parent.effective_to,
        supersedes=child.supersedes, extends=child.extends,
        subject_schema=child.subject_schema or parent.subject_schema,
        subject_name=child.subject_name if child.subject_schema else parent.subject_name,
        reference_date=child.reference_date or parent.reference_date,
        outputs=child.outputs if child.outputs is not None else parent.outputs,
        chain=[child.id] + parent.chain, root=child.root,
    )
    for section in SECTIONS + ("rules",):
        table = dict(getattr(parent, section))
        for i, name in enumerate(removals.get(section, [])):
            if name not in table:
                raise child.root.smap.error(f"cannot remove '{name}': {parent.id} has no such {section[:-1]}",
                                            ("remove", section, i), cls=PolicyError)
            del table[name]
        table.update(getattr(child, section))
        setattr(merged, section, table)
    if merged.outputs is not None:
        merged.outputs = [o for o in merged.outputs if o in merged.values]
    return merged
