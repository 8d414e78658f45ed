"""Reading a policy file into a `PolicySpec`: YAML with positions, the policy JSON Schema, `extends`.

A child policy inherits its parent's parameters, functions, values, rules and outputs; how its own
entries, dotted parameter keys (`iku_limits.upk_one.max:`) and `remove:` change them is merge.py's
concern. Unknown parents, inheritance cycles and chains longer than `EXTENDS_LIMIT` policies are
reported at the `extends:` line.

`uses: {kmk_300_2022: [iku_limits, level_of_eselon]}` takes named parameters, functions and values
from another policy (found like `extends`, resolved with its own chain) with their origin, so one
amendment of the figure reaches every policy using it (shared.py).

A policy found by its folder's name (`<folder>/policy.yaml` that the finder returns for that name,
i.e. a policy of the registry's folders) must declare that name as its `policy:` id; a policy.yaml
elsewhere (a draft in a temporary folder) may have any id.
"""
from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Callable

from ..errors import ErrorList, PolicyError
from ..schemas import validate
from ..search_path import POLICY_FILE
from ..source import load_yaml, read_text
from .merge import SECTIONS, merge
from .shared import with_used
from .spec import Entry, Origin, PolicySpec

EXTENDS_LIMIT = 32   # policies in one `extends` chain: amendments of amendments, never this deep
READERS: list[dict[str, str]] = []   # while a build is recorded (stored.py): file -> the text read


def read_spec(path: Path) -> PolicySpec:
    """Parse and schema-check one policy file (without resolving `extends`)."""
    file = str(path)
    text = read_text(path, PolicyError)
    for seen in READERS:
        seen[file] = text
    data, smap = load_yaml(text, file, PolicyError)
    if not isinstance(data, dict):
        raise PolicyError("a policy file must be a mapping with 'policy:', 'title:', … at the top",
                          smap.location(()))
    errors = _cells_without_extends(data, smap) or validate("policy", data, smap, file, PolicyError)
    if errors:
        raise errors[0] if len(errors) == 1 else ErrorList(errors)
    pid = data["policy"]
    root = Origin(smap, (), pid)
    effective = data.get("effective") or {}
    subject = data.get("subject") or {}
    spec = PolicySpec(
        id=data["policy"], file=file, title=data.get("title", ""), instrument=data.get("instrument", ""),
        description=data.get("description", ""),
        effective_from=_date(effective.get("from")), effective_to=_date(effective.get("to")),
        supersedes=data.get("supersedes"), extends=data.get("extends"),
        subject_schema=subject.get("schema", ""), subject_name=subject.get("as", "data"),
        outputs=data.get("outputs"), confidential=list(data.get("confidential") or []), root=root,
    )
    if "reference_date" in data:
        spec.reference_date = Entry("reference_date", {"expr": data["reference_date"]}, root)
    for section in SECTIONS:
        for name, body in (data.get(section) or {}).items():
            table = spec.cell_overrides if section == "parameters" and "." in name else getattr(spec, section)
            table[name] = Entry(name, body, Origin(smap, (section, name), pid))
    for i, body in enumerate(data.get("rules") or []):
        if body["id"] in spec.rules:
            raise smap.error(f"duplicate rule id '{body['id']}'", ("rules", i, "id"), cls=PolicyError)
        spec.rules[body["id"]] = Entry(body["id"], body, Origin(smap, ("rules", i), pid))
    spec.equivalences = {other: {name: Entry(name, body, Origin(smap, ("equivalences", other, name), pid))
                                 for name, body in values.items()}
                         for other, values in (data.get("equivalences") or {}).items()}
    spec.removals = data.get("remove") or {}
    spec.uses = data.get("uses") or {}
    spec.chain = [spec.id]
    return spec


def _cells_without_extends(data: dict, smap) -> list[PolicyError]:
    """Dotted parameter keys override a cell of an inherited table: only a policy with `extends` has one."""
    if data.get("extends") or not isinstance(data.get("parameters"), dict):
        return []
    return [smap.error(f"parameter '{name}' overrides one cell of an inherited table, but this policy "
                       "does not extend another one", ("parameters", name), key=True, cls=PolicyError,
                       hint="add `extends: <policy id>`, or write the parameter's whole value under a plain name")
            for name in data["parameters"] if isinstance(name, str) and "." in name]


def _date(value) -> _dt.date | None:
    return _dt.date.fromisoformat(value) if isinstance(value, str) else value


def resolve(spec: PolicySpec, find: Callable[[str], Path | None], seen: tuple[str, ...] = ()) -> PolicySpec:
    """Merge the `extends` chain into one spec; `find` maps a policy id to its file."""
    _check_folder_name(spec, find)
    seen = seen + (spec.id,)
    resolved = _extended(spec, find, seen) if spec.extends else spec
    return with_used(resolved, spec, find, seen, lambda path, chain: resolve(read_spec(path), find, chain))


def _extended(spec: PolicySpec, find: Callable[[str], Path | None], seen: tuple[str, ...]) -> PolicySpec:
    where = spec.root.location("extends")
    if spec.extends in seen:
        raise PolicyError(f"policies extend each other in a cycle: {' → '.join(seen + (spec.extends,))}", where)
    parent_path = find(spec.extends)
    if parent_path is None:
        raise PolicyError(f"extends unknown policy '{spec.extends}'", where)
    if len(seen) >= EXTENDS_LIMIT:
        raise PolicyError(f"the extends chain is longer than {EXTENDS_LIMIT} policies: "
                          f"{seen[0]} → … → {spec.id} → {spec.extends}", where)
    return merge(resolve(read_spec(parent_path), find, seen), spec)


def _check_folder_name(spec: PolicySpec, find: Callable[[str], Path | None]) -> None:
    """A policy the finder returns for its folder's name must have that name as its id."""
    path = Path(spec.file)
    folder = path.parent.name
    if path.name != POLICY_FILE or spec.id == folder:
        return
    found = find(folder)
    if found is not None and Path(found).resolve() == path.resolve():
        raise PolicyError(f"policy id '{spec.id}' differs from its folder name '{folder}'",
                          spec.root.location("policy"),
                          hint=f"write `policy: {folder}`, or rename the folder to {spec.id}")

