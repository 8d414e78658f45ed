"""The two policies being compared (`PolicyPair`), and what an output or rule of one of them reads.

A comparison judges the same data under a *base* and a *candidate* policy, loaded by id or path (a
draft may `extends` a bundled one); both must judge the same kind of data. Only the outputs common to
both are compared, and any computed values named with `values` (`kinerja compare --values`), such as
an intermediate `target_kumulatif`. `closure` follows a policy's dependency graph (values, functions, parameters), so
that a changed outcome is related only to the policy entries it can depend on: the provisional
parameters behind it, the differences worth reverting (`engine.compare.attribution`), the bands that
order a transition matrix's labels.

Either policy may declare that labels of its values mean the same as the other's (`equivalences:`
in the policy file, naming the other policy or one of its ancestors): `labels` pairs them (base
label, candidate label) per value, in either direction, and `same` counts such a pair as unchanged.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Iterable

from ..errors import KinerjaError
from ..policy.dependencies import reachable
from ..policy.diff import same
from ..policy.policy import Policy
from ..policy.registry import DEFAULT, Registry
from ..search_path import SearchPath


@dataclass
class PolicyPair:
    """The base and candidate policies, loaded by id or path (a draft may `extends` a bundled one)."""

    base_ref: str
    candidate_ref: str
    root: SearchPath     # the registry's search path, for spawned workers
    base: Policy
    candidate: Policy
    values: tuple[str, ...] = ()   # computed values compared besides the common outputs
    show_confidential: bool = False  # compare values either policy marks confidential too

    @classmethod
    def load(cls, base_ref: str, candidate_ref: str, registry: Registry | None = None,
             values: Iterable[str] = (), show_confidential: bool = False) -> "PolicyPair":
        """Both policies; each of `values` must be a computed value of both (`unknown_values`)."""
        registry = registry or DEFAULT
        base, candidate = registry.load(base_ref), registry.load(candidate_ref)
        if base.subject != candidate.subject:
            raise KinerjaError(f"cannot compare: {base.id} judges {base.subject} data, "
                               f"{candidate.id} judges {candidate.subject} data")
        return cls(base_ref, candidate_ref, registry.path, base, candidate, tuple(dict.fromkeys(values)),
                   show_confidential)

    @property
    def common_outputs(self) -> list[str]:
        return [o for o in self.base.outputs if o in self.candidate.outputs]

    @property
    def compared(self) -> list[str]:
        """The values compared: the common outputs, then the requested `values` not among them; without
        `show_confidential`, none that either policy marks confidential."""
        common = self.common_outputs
        names = common + [v for v in self.values if v not in common]
        hidden = frozenset() if self.show_confidential else self.base.confidential | self.candidate.confidential
        return [n for n in names if n not in hidden]

    @cached_property
    def labels(self) -> dict[str, dict[tuple[str, str], str]]:
        """Per value, each (base label, candidate label) pair declared equivalent, with the id of the
        policy declaring it; the candidate's declarations first."""
        found: dict[str, dict[tuple[str, str], str]] = {}
        for ours, theirs in ((self.candidate, self.base), (self.base, self.candidate)):
            declared = next((ours.spec.equivalences[p] for p in theirs.spec.chain if p in ours.spec.equivalences), {})
            for name, entry in declared.items():
                for their, our in entry.data["labels"].items():
                    pair = (their, our) if ours is self.candidate else (our, their)
                    found.setdefault(name, {}).setdefault(pair, ours.id)
        return found

    def same(self, name: str, base: Any, candidate: Any) -> bool:
        """Whether value `name` is unchanged: equal as data, or a pair of labels declared equivalent."""
        return same(base, candidate) or (isinstance(base, str) and isinstance(candidate, str)
                                         and (base, candidate) in self.labels.get(name, ()))

    def unknown_values(self) -> list[tuple[Policy, str]]:
        """Each requested value that a policy does not compute, with that policy."""
        return [(p, v) for v in self.values for p in (self.base, self.candidate) if v not in p.values]


def closure(policy: Policy, roots: Iterable[str]) -> frozenset[str]:
    """Every value, function and parameter that `roots` read, directly or not (roots included)."""
    return frozenset(reachable(policy.reads, roots))


def is_provisional(policy: Policy, name: str) -> bool:
    """Whether `policy` marks parameter `name`, or rule `rule <id>`, provisional."""
    if name.startswith("rule "):
        rule = next((r for r in policy.rules if r.id == name[5:]), None)
        return rule is not None and rule.entry.get("status") == "provisional"
    return name in policy.parameters and policy.parameters[name].status == "provisional"
