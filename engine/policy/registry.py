"""Finding policies: every `policies/<id>/policy.yaml`, listed with its effective period, loaded by id
or path, and chosen automatically for a contract by the date its data refers to (`--policy auto`).
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import KinerjaError, Location, PolicyError
from ..lang.checker import suggest
from ..schemas import HOME
from .build import build
from .loader import POLICY_FILE, policy_file, read_spec, resolve
from .policy import Policy
from .spec import PolicySpec

POLICY_DIR = HOME / "policies"


@dataclass
class PolicyListing:
    id: str
    title: str
    instrument: str
    effective_from: _dt.date | None
    effective_to: _dt.date | None
    subject: str
    path: Path


class Registry:
    """The policies of one folder (default: the project's `policies/`). Compiled policies are cached."""

    def __init__(self, root: Path | str = POLICY_DIR):
        self.root = Path(root)
        self._cache: dict[tuple[str, str], Policy] = {}

    def paths(self) -> dict[str, Path]:
        return {p.parent.name: p for p in sorted(self.root.glob(f"*/{POLICY_FILE}"))}

    def find(self, policy_id: str) -> Path | None:
        return self.paths().get(policy_id)

    def listing(self) -> list[PolicyListing]:
        """Every policy with its identity and effective period (unresolved `extends` fields inherit)."""
        out = []
        for pid in self.paths():
            spec = self.spec(pid)
            out.append(PolicyListing(spec.id, spec.title, spec.instrument, spec.effective_from,
                                     spec.effective_to, spec.subject_schema, Path(spec.file)))
        return sorted(out, key=lambda x: (x.effective_from or _dt.date.min, x.id))

    def spec(self, policy_id_or_path: str | Path) -> PolicySpec:
        path = self._path(policy_id_or_path)
        return resolve(read_spec(path), self.find)

    def load(self, policy_id_or_path: str | Path) -> Policy:
        """Load, check and compile a policy by id (`kmk_300_2022`) or path (folder or file)."""
        # by the file it resolves to now (a relative path may mean another file after a chdir) and by
        # the name given, which the policy's messages show
        key = (str(self._path(policy_id_or_path).resolve()), str(policy_id_or_path))
        policy = self._cache.get(key)
        if policy is None:
            policy = self._cache[key] = build(self.spec(policy_id_or_path))
        return policy

    def _path(self, policy_id_or_path: str | Path) -> Path:
        p = Path(policy_id_or_path)
        if p.exists():
            f = policy_file(p)
            if not f.is_file():
                raise PolicyError(f"no {POLICY_FILE} in this folder", Location(str(p)))
            return f
        found = self.find(str(policy_id_or_path))
        if found is None:
            known = list(self.paths())
            hint = suggest(str(policy_id_or_path), known)
            raise KinerjaError(f"unknown policy '{policy_id_or_path}'"
                               + (f"; {hint}" if hint else f" (known: {', '.join(known) or 'none'})"))
        return found

    def select(self, data: Any, subject: str | None = None) -> Policy:
        """The policy in force at the data's reference date, among policies for its subject."""
        candidates = []
        for pid in self.paths():
            policy = self.load(pid)
            if subject and policy.subject != subject:
                continue
            when = policy.reference_date(data)
            if when is not None and policy.in_force(when):
                candidates.append((policy.spec.effective_from or _dt.date.min, policy))
        if not candidates:
            raise KinerjaError("no policy is in force for this data's date (use --policy to choose one)")
        return max(candidates, key=lambda c: c[0])[1]


DEFAULT = Registry()


def load_policy(policy_id_or_path: str | Path) -> Policy:
    """Load a policy from the project's policies/ folder by id, or from a path."""
    return DEFAULT.load(policy_id_or_path)
