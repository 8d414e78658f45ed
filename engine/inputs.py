"""Finding the contract data files that DATA arguments name.

A command such as `kinerja check DATA…` accepts files, folders and glob patterns. This module turns
those arguments into an ordered list of data files, and into one error per argument that names no
data file at all, so a typo is reported instead of silently checking nothing:

- a file named directly is used whatever its name (hidden or not, any extension): the reader
  reports a file it cannot read;
- a folder is walked recursively, in sorted order, keeping files whose extension is one of
  `DATA_SUFFIXES` in any letter case (`.YAML`, `.Json`, `.xlsx`); hidden files and folders (names
  starting with '.'), Excel's lock files (`~$pk.xlsx`), virtual environments (a folder holding `pyvenv.cfg`), `node_modules` and `__pycache__`
  are skipped while walking, but a hidden or skipped folder named directly is walked;
- a glob pattern (`'data/*.yaml'`, `'/srv/contracts/**/*.json'`, relative or absolute) is expanded
  with `glob.glob(recursive=True)`; matched folders are walked like named ones, matched files must
  be data files, and matches inside skipped folders are dropped;
- `exclude` patterns (fnmatch, `/` separated) drop a found file when they match its path relative
  to the argument's folder, its name, or one of its folders (`drafts`, `2021/*`); they never drop a
  file named directly;
- a file found twice (named twice, or by a folder and a glob) is kept once, where it first appears.

`same_file` tells whether two paths are the same file, so that a command can refuse an output that
is also one of its inputs before it reads anything.
"""
from __future__ import annotations

import glob
import os
import stat
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath
from typing import Iterable, Iterator

from .errors import DataError, Location

DATA_SUFFIXES = (".yaml", ".yml", ".json", ".jsonl", ".xlsx", ".parquet")
SKIPPED_FOLDER_NAMES = frozenset({"node_modules", "__pycache__"})
VENV_MARKER = "pyvenv.cfg"
EXCEL_LOCK_PREFIX = "~$"   # Excel's lock file beside an open workbook (`~$pk.xlsx`): not data

NO_SUCH_PATH = "no such file or directory"
NO_DATA_IN_FOLDER = f"no data files ({', '.join(DATA_SUFFIXES)}) in this folder"
ALL_EXCLUDED = "every data file here matches an exclude pattern"
NO_GLOB_MATCH = "matches no data file"


@dataclass
class Inputs:
    """The data files DATA arguments name, in argument order and without repeats, and one error
    (`DataError` located at the argument) for each argument that names no data file."""

    files: list[Path] = field(default_factory=list)
    errors: list[DataError] = field(default_factory=list)


def find_inputs(args: Iterable[str], exclude: Iterable[str] = ()) -> Inputs:
    """All data files and errors of `args` at once (see `iter_inputs` for the lazy form)."""
    found = Inputs()
    for item in iter_inputs(args, exclude):
        (found.errors if isinstance(item, DataError) else found.files).append(item)
    return found


def iter_inputs(args: Iterable[str], exclude: Iterable[str] = ()) -> Iterator[Path | DataError]:
    """Data files (Path) and argument errors (DataError) in argument order, one argument at a time:
    a later argument is not looked at before the files of an earlier one have been consumed."""
    patterns = [p.removeprefix("./").rstrip("/") for p in exclude if p.strip("./")]
    seen: set[str] = set()
    for arg in args:
        for item in _expand(arg, patterns):
            if isinstance(item, Path):
                key = os.path.realpath(item)
                if key in seen:
                    continue
                seen.add(key)
            yield item


def is_data_file(path: str | os.PathLike) -> bool:
    """Whether a file name has one of the data extensions, in any letter case."""
    return os.path.splitext(path)[1].lower() in DATA_SUFFIXES


def data_format(path: str | os.PathLike) -> str:
    """How to read a file: 'jsonl', 'json', 'xlsx', 'parquet' or 'yaml' from its extension in any case ('yaml'
    for anything else, as today's reader does)."""
    suffix = os.path.splitext(path)[1].lower()
    return {".jsonl": "jsonl", ".json": "json", ".xlsx": "xlsx", ".parquet": "parquet"}.get(suffix, "yaml")


def same_file(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    """Whether two paths name the same file: the same inode when both exist (hard links and
    symlinks included), else the same absolute path once symlinks are resolved."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def _expand(arg: str, patterns: list[str]) -> Iterator[Path | DataError]:
    path = Path(arg)
    try:
        mode = os.stat(arg).st_mode if arg else None
    except (FileNotFoundError, NotADirectoryError):
        mode = None
    except OSError as e:  # e.g. a parent folder that may not be searched, a name too long
        yield DataError(_reason(e), Location(arg))
        return
    if mode is not None and stat.S_ISDIR(mode):
        yield from _walk_named_folder(arg, path, patterns)
    elif mode is not None:
        yield path
    elif glob.has_magic(arg):
        yield from _expand_glob(arg, patterns)
    else:
        yield DataError(NO_SUCH_PATH, Location(arg))


def _walk_named_folder(arg: str, folder: Path, patterns: list[str]) -> Iterator[Path | DataError]:
    files, excluded, errors = _walk(folder, folder, patterns)
    yield from files
    yield from errors
    if not files and not errors:
        yield DataError(ALL_EXCLUDED if excluded else NO_DATA_IN_FOLDER, Location(arg))


def _walk(folder: Path, root: Path, patterns: list[str]) -> tuple[list[Path], int, list[DataError]]:
    """Sorted data files under `folder` (skipping hidden and tool folders), how many data files the
    exclude patterns dropped (matched relative to `root`), and an error for each sub-folder that
    could not be listed."""
    files: list[Path] = []
    errors: list[DataError] = []
    excluded = 0

    def unreadable(e: OSError) -> None:
        errors.append(DataError(f"cannot read this folder: {_reason(e)}", Location(str(e.filename))))

    for top, dirs, names in os.walk(folder, onerror=unreadable):
        here = Path(top)
        rel = _relative(here, root)
        dirs[:] = [d for d in dirs if not _skipped_folder(here / d)
                   and not _matches(rel / d, patterns)]
        for name in names:
            if name.startswith((".", EXCEL_LOCK_PREFIX)) or not is_data_file(name):
                continue
            if _matches(rel / name, patterns):
                excluded += 1
            else:
                files.append(here / name)
    return sorted(files), excluded, sorted(errors, key=lambda e: str(e.location))


def _expand_glob(arg: str, patterns: list[str]) -> Iterator[Path | DataError]:
    base = _literal_base(arg)
    named = {part for part in Path(arg).parts if not glob.has_magic(part)}
    files: list[Path] = []
    walked: list[Path] = []
    excluded = 0
    for match in sorted(glob.glob(arg, recursive=True)):
        path = Path(match)
        if _in_skipped_folder(path, base, named) or any(w in path.parents for w in walked):
            continue
        if path.is_dir() and not _excluded(_relative(path, base), patterns):
            walked.append(path)
            found, dropped, errors = _walk(path, base, patterns)
            files += found
            excluded += dropped
            yield from errors
        elif is_data_file(match) and path.exists():
            if _excluded(_relative(path, base), patterns):
                excluded += 1
            else:
                files.append(path)
    yield from files
    if not files:
        yield DataError(ALL_EXCLUDED if excluded else NO_GLOB_MATCH, Location(arg))


def _literal_base(pattern: str) -> Path:
    """The folder a glob pattern starts from: its leading components without wildcards."""
    parts: list[str] = []
    for part in Path(pattern).parts[:-1]:
        if glob.has_magic(part):
            break
        parts.append(part)
    return Path(*parts) if parts else Path()


def _relative(path: Path, base: Path) -> PurePosixPath:
    try:
        return PurePosixPath(path.relative_to(base).as_posix())
    except ValueError:  # pragma: no cover - glob matches always lie under the literal base
        return PurePosixPath(path.name)


def _in_skipped_folder(path: Path, base: Path, named: set[str]) -> bool:
    """Whether a glob match is, or lies in, a folder below the pattern's base that walking would
    skip and that the pattern does not spell out (`'envs/venv/*.yaml'` names `venv`)."""
    folder = base
    for part in _relative(path, base).parts:
        folder = folder / part
        if part not in named and folder.is_dir() and _skipped_folder(folder):
            return True
    return False


def _skipped_folder(folder: Path) -> bool:
    name = folder.name
    return (name.startswith(".") or name in SKIPPED_FOLDER_NAMES
            or (folder / VENV_MARKER).is_file())


def _matches(rel: PurePosixPath, patterns: list[str]) -> bool:
    """Whether an exclude pattern matches this relative path or its last name."""
    return any(fnmatchcase(rel.as_posix(), p) or fnmatchcase(rel.name, p) for p in patterns)


def _excluded(rel: PurePosixPath, patterns: list[str]) -> bool:
    """Whether an exclude pattern matches this relative path or one of its folders."""
    return any(_matches(PurePosixPath(*rel.parts[:n]), patterns) for n in range(1, len(rel.parts) + 1))


def _reason(e: OSError) -> str:
    return (e.strerror or str(e)).lower()
