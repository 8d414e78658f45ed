"""Entries shared between policies: `uses: {kmk_300_2022: [iku_limits, level_of_eselon]}`.

A figure or formula that several regulations apply the same way has one home; a policy that
`uses` it takes the entry from that policy (found through the same registry and search path as
`extends`, resolved with its own `extends` chain), so one amendment of the figure reaches every
policy using it. The entry keeps its origin (file, line, policy), so diff, provenance and explain
say where it comes from. A used function or value must find what it reads (parameters, data
fields under the same root name) in the using policy: list those too.

Errors, reported together at the `uses:` line of the name or policy: an unknown policy (with
*did you mean* among the policies the finder knows), an unknown name (with *did you mean* among the
policy's parameters, functions and values), a name the using policy (or its parent) defines too,
and policies using each other in a cycle.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..display import did_you_mean
from ..errors import ErrorList, PolicyError
from .merge import SECTIONS
from .spec import PolicySpec


def with_used(resolved: PolicySpec, own: PolicySpec, find: Callable[[str], Path | None], seen: tuple[str, ...],
              resolve_file: Callable[[Path, tuple[str, ...]], PolicySpec]) -> PolicySpec:
    """`resolved` (the policy with its `extends` chain merged) plus the entries `own.uses` names."""
    errors: list[PolicyError] = []
    for policy_id, names in own.uses.items():
        where = own.root.location("uses", policy_id, key=True)
        if policy_id in seen:
            errors.append(PolicyError(f"policies use each other in a cycle: {' → '.join(seen + (policy_id,))}",
                                      where))
            continue
        path = find(policy_id)
        if path is None:
            errors.append(PolicyError(f"uses unknown policy '{policy_id}'", where,
                                      hint=did_you_mean(policy_id, _known_ids(find))))
            continue
        used = resolve_file(path, seen)
        for i, name in enumerate(names):
            try:
                _take(resolved, used, name, own.root.location("uses", policy_id, i))
            except PolicyError as e:
                errors.append(e)
    if errors:
        raise errors[0] if len(errors) == 1 else ErrorList(errors)
    return resolved


def _take(resolved: PolicySpec, used: PolicySpec, name: str, where) -> None:
    """Copy entry `name` of `used` into the same section of `resolved`."""
    section = next((s for s in SECTIONS if name in getattr(used, s)), None)
    if section is None:
        known = [n for s in SECTIONS for n in getattr(used, s)]
        raise PolicyError(f"{used.id} has no parameter, function or value '{name}'", where,
                          hint=did_you_mean(name, known))
    own = next((s for s in SECTIONS if name in getattr(resolved, s)), None)
    if own is not None:
        raise PolicyError(f"'{name}' is taken from {used.id} by `uses`, but this policy has its own "
                          f"{own[:-1]} '{name}'", where, hint="remove one of them")
    getattr(resolved, section)[name] = getattr(used, section)[name]


def _known_ids(find: Callable[[str], Path | None]) -> list[str]:
    """The policy ids a registry's `find` knows (none for a plain function)."""
    registry = getattr(find, "__self__", None)
    return list(registry.paths()) if hasattr(registry, "paths") else []
