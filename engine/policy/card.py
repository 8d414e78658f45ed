"""A policy's card: what choosing it for a record reads, kept apart from the policy itself.

`--policy auto` (engine/policy/registry.py `select`) asks every policy on the search path four
things: its subject, its effective period, what it `supersedes`, and the reference date of the data
in hand. Bringing back six whole policies from the cache to answer them took about a third of a warm
`kinerja check` of one file; a card answers them from a pickle of a few hundred bytes, and only the
chosen policy is then loaded. A card is kept in the cache beside its policy (engine/policy/stored.py,
under the same key and the same facts, so it is stale exactly when the policy is) and can always be
made again from a loaded policy (`PolicyCard.of`).

The reference date is the policy's own compiled probe, re-homed in a namespace holding only the
runtime helpers its code names. A probe that calls the policy's own functions cannot be re-homed: its
card keeps the probe as it is and is not `portable` (not kept in the cache, whose copy would carry
the whole program), so the registry loads that policy each time, as before.
"""
from __future__ import annotations

import datetime as _dt
import types
from typing import Any, Callable


def in_period(start: _dt.date | None, end: _dt.date | None, when: _dt.date) -> bool:
    """Whether `when` falls in the effective period [start, end] (None: open)."""
    return (start is None or start <= when) and (end is None or when <= end)


def reference_date_of(reference: Callable | None, data: Any, params: dict) -> _dt.date | None:
    """The date `reference` (a compiled `reference_date` probe) gives for `data`, or None when the
    data does not have one (any failure: missing fields, a wrong type)."""
    if reference is None:
        return None
    try:
        value = reference(data, params, {})
    except Exception:   # noqa: BLE001 - data without a usable date is simply not in force anywhere
        return None
    return value if isinstance(value, _dt.date) else None


class PolicyCard:
    """A policy's id, file, subject, period, what it supersedes, and its reference date."""

    __slots__ = ("id", "file", "subject", "effective_from", "effective_to", "supersedes", "_reference",
                 "_params", "portable")

    def __init__(self, id: str, file: str, subject: str, effective_from, effective_to, supersedes,
                 reference: Callable | None, params: dict, portable: bool = True):
        self.id, self.file, self.subject = id, file, subject
        self.effective_from, self.effective_to, self.supersedes = effective_from, effective_to, supersedes
        self._reference, self._params, self.portable = reference, params, portable

    @classmethod
    def of(cls, policy) -> "PolicyCard":
        """The card of a loaded `Policy` (not `portable` when its reference date calls the policy's
        own functions)."""
        reference = rehomed = policy._reference
        if reference is not None:
            rehomed = _rehomed(reference)
        spec = policy.spec
        return cls(spec.id, str(spec.file), spec.subject_schema, spec.effective_from, spec.effective_to,
                   spec.supersedes, rehomed or reference, policy.parameters_at(None) if reference else {},
                   reference is None or rehomed is not None)

    def in_force(self, when: _dt.date) -> bool:
        return in_period(self.effective_from, self.effective_to, when)

    def reference_date(self, data: Any) -> _dt.date | None:
        return reference_date_of(self._reference, data, self._params)

    def __reduce__(self):
        return PolicyCard, tuple(getattr(self, name) for name in self.__slots__)


def _names(code: types.CodeType) -> set[str]:
    """Every global name a code object (and the code nested in it) may read."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _names(const)
    return names


def _rehomed(fn: types.FunctionType) -> types.FunctionType | None:
    """`fn` with a namespace of only the globals its code names; None when one of them is a function
    generated for the policy (its own namespace would have to come along)."""
    namespace = {}
    for name in _names(fn.__code__) & fn.__globals__.keys():
        value = fn.__globals__[name]
        if isinstance(value, types.FunctionType) and value.__module__ is None:
            return None
        namespace[name] = value
    return types.FunctionType(fn.__code__, namespace, fn.__name__, fn.__defaults__)
