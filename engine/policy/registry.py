"""Finding policies: every policy on the search path (engine/search_path.py: `--policy-path`, then
KINERJA_PATH, then the bundled policies), listed with its effective period, loaded by id or path, and
chosen automatically for a contract by the date its data refers to (`--policy auto`).

Choosing (`select`) is honest: the candidates are the policies for the data's subject in force on
the data's reference date (each policy's own `reference_date`). A candidate that another candidate
`supersedes` (directly or through a chain) drops out; if more than one is left, that is an error
naming them all (a draft amendment on the search path next to the policy it amends is two policies
in force, unless it says `supersedes:`), never a silent pick. A policy that cannot be loaded is
skipped, so one broken file does not stop every record; `broken()` names them, for `kinerja
policies` and for the one warning `check --policy auto` prints on stderr.

A policy's subject schema is looked up on the same search path; a policy given by path from a folder
that is not on the path also sees the data schemas of that folder's `schemas/`, first.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from ..display import did_you_mean, relative
from ..errors import ErrorList, KinerjaError, Location, PolicyError
from ..schemas import schema_set
from ..search_path import POLICY_FILE, SearchPath, policy_file
from . import stored
from .card import PolicyCard
from .policy import Policy
from .spec import PolicySpec


@dataclass
class PolicyListing:
    """One line of `kinerja policies`: a policy's id, title, instrument, period and file."""
    id: str
    title: str
    instrument: str
    effective_from: _dt.date | None
    effective_to: _dt.date | None
    subject: str
    path: Path
    error: KinerjaError | None = None   # why a broken policy could not be loaded


Folders = Path | str | Iterable[Path | str]


class Registry:
    """The policies on a search path. `Registry()` searches KINERJA_PATH, then the bundled policies
    (read when used, so a later change of KINERJA_PATH counts); `Registry(path=[folder, …])` searches
    those folders first; `Registry(SearchPath.of([folder]))` only that folder. Compiled policies are
    cached."""

    def __init__(self, path: SearchPath | Folders | None = None):
        if path is None or isinstance(path, SearchPath):
            self._path = path
        else:
            self._path = SearchPath.standard([path] if isinstance(path, (str, Path)) else list(path))
        self._cache: dict[tuple[str, str], Policy] = {}
        self._cards: dict[tuple[str, str], PolicyCard] = {}
        self._broken: dict[Path, KinerjaError] = {}   # by resolved policy file

    @property
    def path(self) -> SearchPath:
        return self._path or SearchPath.standard()

    def paths(self) -> dict[str, Path]:
        """Every policy id on the search path and its file (an id in two places is an error)."""
        return self.path.policies()

    def find(self, policy_id: str) -> Path | None:
        return self.path.find_policy(policy_id)

    def listing(self) -> list[PolicyListing]:
        """Every policy with its identity and effective period (unresolved `extends` fields inherit),
        by date; then the broken ones (a policy that cannot be loaded), with their error."""
        broken = self.broken()
        out = []
        for pid in self.paths():
            if pid not in broken:
                spec = self.load(pid).spec
                out.append(PolicyListing(spec.id, spec.title, spec.instrument, spec.effective_from,
                                         spec.effective_to, spec.subject_schema, Path(spec.file)))
        out.sort(key=lambda x: (x.effective_from or _dt.date.min, x.id))
        return out + [PolicyListing(pid, "", "", None, None, "", file, error=broken[pid])
                      for pid, file in self.paths().items() if pid in broken]

    def broken(self) -> dict[str, KinerjaError]:
        """The policies on the search path that cannot be loaded, by id, with the error (once per file)."""
        out = {}
        for pid, file in self.paths().items():
            key = file.resolve()
            if key not in self._broken:
                try:
                    self.card(pid)
                    continue
                except KinerjaError as e:
                    self._broken[key] = e
            out[pid] = self._broken[key]
        return out

    def broken_warnings(self) -> list[str]:
        """One line per broken policy: `policies/x: could not be loaded, not considered for --policy
        auto: <its first error>`."""
        return [f"warning: {relative(self.paths()[pid].parent)}: could not be loaded, not considered for "
                f"--policy auto: {first_error(e)}" for pid, e in self.broken().items()]

    def spec(self, policy_id_or_path: str | Path, find: Callable[[str], Path | None] | None = None) -> PolicySpec:
        """The resolved spec (`find`: how policy ids are looked up, default `self.find`)."""
        from .loader import read_spec, resolve   # YAML and the policy schema: only when a policy is read
        spec = resolve(read_spec(self._file(policy_id_or_path)), find or self.find)
        spec.schemas = schema_set(self._schema_dirs(policy_id_or_path))
        return spec

    def _schema_dirs(self, policy_id_or_path: str | Path) -> tuple[Path, ...]:
        """Where the policy's data schemas are: the search path's, after its own folder's if given by path."""
        on_path = self._file(policy_id_or_path) if Path(policy_id_or_path).exists() else None
        return (self.path.with_schemas_of(on_path) if on_path else self.path).schema_dirs()

    def card(self, policy_id_or_path: str | Path) -> PolicyCard:
        """What choosing the policy reads (engine/policy/card.py): from the policy if loaded, else
        from the cache, else by loading it (which raises when it is broken) and keeping its card."""
        file = self._file(policy_id_or_path)
        key = (str(file.resolve()), str(policy_id_or_path))
        card = self._cards.get(key)
        if card is not None:
            return card
        dirs = self._schema_dirs(policy_id_or_path)
        request = stored.request_key(file, str(policy_id_or_path), self.path, dirs)
        card = stored.fetch_card(request, self.find, dirs) if key not in self._cache else None
        if card is None:
            card = PolicyCard.of(self.load(policy_id_or_path))
            stored.keep_card(request, card)
        self._cards[key] = card
        return card

    def load(self, policy_id_or_path: str | Path) -> Policy:
        """Load, check and compile a policy by id (`kmk_300_2022`) or path (folder or file)."""
        # by the file it resolves to now (a relative path may mean another file after a chdir) and by
        # the name given, which the policy's messages show
        key = (str(self._file(policy_id_or_path).resolve()), str(policy_id_or_path))
        policy = self._cache.get(key)
        if policy is None:
            policy = self._cache[key] = self._build(policy_id_or_path)
        return policy

    def _build(self, policy_id_or_path: str | Path) -> Policy:
        """Build a policy, or bring it back from the cache when nothing it was built from changed."""
        dirs = self._schema_dirs(policy_id_or_path)
        key = stored.request_key(self._file(policy_id_or_path), str(policy_id_or_path), self.path, dirs)
        policy = stored.fetch(key, self.find, dirs)
        if policy is None:
            from .build import build  # the check stages and the compiler: only when building
            schemas = stored.schemas_now(dirs)
            with stored.Recorder(self.find) as recorder:
                policy = build(self.spec(policy_id_or_path, recorder.find))
            stored.keep(key, policy, recorder, dirs, schemas)
        return policy

    def _file(self, policy_id_or_path: str | Path) -> Path:
        p = Path(policy_id_or_path)
        if p.exists():
            f = policy_file(p)
            if not f.is_file():
                raise PolicyError(f"no {POLICY_FILE} in this folder", Location(str(p)))
            return f
        found = self.find(str(policy_id_or_path))
        if found is None:
            known = list(self.paths())
            hint = did_you_mean(str(policy_id_or_path), known)
            raise KinerjaError(f"unknown policy '{policy_id_or_path}'"
                               + (f"; {hint}" if hint else f" (known: {', '.join(known) or 'none'})"))
        return found

    def select(self, data: Any, subject: str | None = None) -> Policy:
        """The policy in force at the data's reference date, among the loadable policies for its
        subject; one that another candidate supersedes drops out; two or more left is an error.
        The candidates are judged by their cards; only the chosen policy is loaded."""
        with stored.one_look():
            broken = self.broken()
            candidates = []
            for pid in self.paths():
                if pid in broken:
                    continue
                card = self.card(pid)
                if subject and card.subject != subject:
                    continue
                when = card.reference_date(data)
                if when is not None and card.in_force(when):
                    candidates.append((card, when, pid))
        if not candidates:
            raise KinerjaError("no policy is in force for this data's date (use --policy to choose one)")
        superseded = {card.supersedes for card, _, _ in candidates}
        left = [c for c in candidates if c[0].id not in superseded] or candidates  # a cycle: all of them
        if len(left) > 1:
            raise KinerjaError(_ambiguous([(card, when) for card, when, _ in left], subject))
        return self.load(left[0][2])


def _ambiguous(candidates: list[tuple[PolicyCard, _dt.date]], subject: str | None) -> str:
    dates = ", ".join(sorted({when.isoformat() for _, when in candidates}))
    named = [f"{card.id} ({relative(card.file)})" for card, _ in candidates]
    listed = ", ".join(named[:-1]) + f" and {named[-1]}"
    count = "two" if len(named) == 2 else str(len(named))
    kind = f"{subject} data" if subject else "this data"
    return (f"{count} policies are in force on {dates} for {kind}: {listed}; choose one with --policy "
            "(or mark the newer one with `supersedes:`)")


def first_error(error: KinerjaError) -> str:
    """The first line of a policy's first error (`file:line:col: message`)."""
    first = error.errors[0] if isinstance(error, ErrorList) else error
    return str(first).splitlines()[0]


DEFAULT = Registry()
_ON_PATH: dict[SearchPath, Registry] = {}


def registry_for(policy_path: Iterable[Path | str] = ()) -> Registry:
    """The registry of the commands: `policy_path` (the `--policy-path` folders), then KINERJA_PATH,
    then the bundled policies; one per search path, so repeated commands reuse compiled policies."""
    path = SearchPath.standard(list(policy_path))
    if path == DEFAULT.path:
        return DEFAULT
    if path not in _ON_PATH:
        _ON_PATH[path] = Registry(path)
    return _ON_PATH[path]


def load_policy(policy_id_or_path: str | Path) -> Policy:
    """Load a policy by id from KINERJA_PATH's folders or the bundled policies, or from a path."""
    return DEFAULT.load(policy_id_or_path)
