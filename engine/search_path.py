"""Where policies and data schemas are found: the search path, and the bundled files at its end.

A search path is a list of folders. Each folder holds policy folders (`<id>/policy.yaml`) and may hold
a `schemas/` folder of data schemas (`<name>.schema.json`, `$id` https://kinerja.local/schemas/<file>)
that policies can name as their `subject`. The order is: `--policy-path` folders (in the order
given), then the folders of `KINERJA_PATH` (separated by `:`), then the bundled policies and schemas
last. A policy id or a schema name found in two places is an error naming both: nothing is picked
silently. The same file reached twice (one folder listed twice) is not a clash.

The bundled files are `policies/` and `schemas/` of the project. A wheel ships them as package data
in `engine/bundled/` (setup.py copies them there at build time); in a checkout or an editable install
that folder does not exist and the checkout's top-level folders are used.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from .errors import KinerjaError

ENV = "KINERJA_PATH"
POLICY_FILE = "policy.yaml"
SCHEMA_SUFFIX = ".schema.json"


def policy_file(path: Path) -> Path:
    """A policy is a folder with policy.yaml, or a .yaml file itself."""
    return path / POLICY_FILE if path.is_dir() else path


@dataclass(frozen=True)
class Folder:
    """One entry of the search path: where its policy folders are, and where its data schemas are."""

    policies: Path
    schemas: Path

    @classmethod
    def of(cls, folder: Path | str) -> "Folder":
        """A user's folder: policy folders inside it, data schemas in its `schemas/`."""
        return cls(Path(folder), Path(folder) / "schemas")


@lru_cache(maxsize=1)
def bundled_root() -> Path:
    """Where the files shipped with kinerja are: `engine/bundled/` in a wheel, else the checkout."""
    packaged = Path(__file__).resolve().parent / "bundled"   # importlib.resources' answer, without its imports
    return packaged if packaged.is_dir() else Path(__file__).resolve().parent.parent


def bundled() -> Folder:
    """The policies and schemas shipped with kinerja."""
    return Folder(bundled_root() / "policies", bundled_root() / "schemas")


def sample_corpus() -> Path:
    """The bundled sample corpus (40 generated Kemenkeu contracts for 2024): `compare`'s data when
    none is given, so the main job runs the same from a checkout and from an installed wheel."""
    return bundled_root() / "corpus" / "kemenkeu_2024.jsonl"


def env_folders() -> list[Folder]:
    """The folders named by KINERJA_PATH (empty entries are ignored)."""
    return [Folder.of(p) for p in os.environ.get(ENV, "").split(os.pathsep) if p]


@dataclass(frozen=True)
class SearchPath:
    """An ordered list of folders, searched for policies by id and for data schemas by name."""

    folders: tuple[Folder, ...]

    @classmethod
    def standard(cls, first: Iterable[Path | str] = ()) -> "SearchPath":
        """`first` (the `--policy-path` folders), then KINERJA_PATH's folders, then the bundled ones."""
        return cls(tuple([*(Folder.of(f) for f in first), *env_folders(), bundled()]))

    @classmethod
    def of(cls, folders: Iterable[Path | str]) -> "SearchPath":
        """Exactly these folders (no KINERJA_PATH, nothing bundled)."""
        return cls(tuple(Folder.of(f) for f in folders))

    def policies(self) -> dict[str, Path]:
        """Every policy id on the path and its policy.yaml. Raises KinerjaError if an id is in two places."""
        found = _found(f"*/{POLICY_FILE}", [f.policies for f in self.folders], lambda p: p.parent.name)
        return {pid: _one("policy", pid, files) for pid, files in found.items()}

    def find_policy(self, policy_id: str) -> Path | None:
        """The policy.yaml of `policy_id`, or None. Raises KinerjaError if the id is in two places."""
        files = _unique(f.policies / policy_id / POLICY_FILE for f in self.folders)
        return _one("policy", policy_id, files) if files else None

    def schema_dirs(self) -> tuple[Path, ...]:
        """The data schema folders, in search order."""
        return tuple(f.schemas for f in self.folders)

    def with_schemas_of(self, policy_file: Path) -> "SearchPath":
        """For a policy given by path: its own folder's `schemas/` first, unless it is on the path.
        The folder is the one holding the policy folder (`drafts/` for drafts/x/policy.yaml) or, for a
        loose file, the file's own folder."""
        policy_file = Path(policy_file).resolve()
        home = policy_file.parent.parent if policy_file.name == POLICY_FILE else policy_file.parent
        if any(_same(home, f.policies) for f in self.folders):
            return self
        return SearchPath((Folder(home, home / "schemas"), *self.folders))


def schema_files(dirs: Iterable[Path]) -> dict[str, Path]:
    """Every data schema name in `dirs` and its file. Raises KinerjaError if a name is in two places."""
    found = _found(f"*{SCHEMA_SUFFIX}", list(dirs), lambda p: p.name[:-len(SCHEMA_SUFFIX)])
    return {name: _one("data schema", name, files) for name, files in found.items()}


def _found(pattern: str, dirs: list[Path], name_of) -> dict[str, list[Path]]:
    found: dict[str, list[Path]] = {}
    for d in dirs:
        for file in sorted(d.glob(pattern)) if d.is_dir() else ():
            files = found.setdefault(name_of(file), [])
            if not any(_same(file, f) for f in files):
                files.append(file)
    return found


def _unique(files: Iterable[Path]) -> list[Path]:
    out: list[Path] = []
    for file in files:
        if file.is_file() and not any(_same(file, f) for f in out):
            out.append(file)
    return out


def _one(what: str, name: str, files: list[Path]) -> Path:
    if len(files) > 1:
        times = "twice" if len(files) == 2 else f"{len(files)} times"
        places = ", ".join(f"in {f}" for f in files[:-1]) + f" and in {files[-1]}"
        raise KinerjaError(f"{what} '{name}' is found {times} on the search path, {places}; "
                           f"rename one, or take its folder off --policy-path or {ENV}")
    return files[0]


def _same(a: Path, b: Path) -> bool:
    return a.resolve() == b.resolve()
