"""Writing output files and standard output safely: whole or not at all, and never silently cut short.

Reports and generated corpora are often written over an earlier run's file, or piped into another
program. Three guarantees:

- `atomic_output(path)` writes into a hidden temporary file in the target's folder and moves it onto
  the target (`os.replace`) only when the block ends without an exception; on any exception
  (KeyboardInterrupt included) the temporary file is removed and an existing target keeps its old
  bytes. A process killed mid-write leaves the target intact (and at worst a hidden `.NAME.*.tmp`
  file, which folder walks in `engine.inputs` skip). The target's permission bits are kept.
- `replace_folder(path, force=...)` builds a folder of files (for `generate --format yaml`) in a
  temporary sibling and swaps it in whole, so stale files of an earlier run never remain.
- `GuardedStream` / `stdout_output()` / `write_stdout(text)` check every write and the final flush
  (standard output is buffered: a full disk shows up at the flush) and turn a closed pipe or a full
  disk into an `OutputError`, for the caller to report with exit status 2.

Every failure is an `OutputError` (a `KinerjaError`) with a one-line message such as
`cannot write out.csv: no space left on device` or `refusing to write a.json: it is also an input`.
"""
from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
from pathlib import Path
from typing import IO, Iterable, Iterator, TextIO

from .errors import KinerjaError
from .inputs import same_file

STDOUT_NAME = "standard output"

_REASONS = {
    errno.ENOSPC: "no space left on device",
    getattr(errno, "EDQUOT", errno.ENOSPC): "disk quota exceeded",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "read-only file system",
    errno.EISDIR: "it is a folder",
    errno.EPIPE: "the pipe was closed by the program reading it",
    errno.EFBIG: "file too large",
}


class OutputError(KinerjaError):
    """An output file, folder or stream could not be written; `target` names it."""

    def __init__(self, message: str, target: str):
        super().__init__(message)
        self.target = target


class ClosedPipeError(OutputError):
    """Standard output is a pipe whose reader has gone (e.g. `kinerja … | head`)."""


def write_error(target: str | os.PathLike, error: OSError) -> OutputError:
    """The OutputError for an OSError met while writing `target`: `cannot write TARGET: reason`."""
    name = os.fspath(target)
    reason = _REASONS.get(error.errno) or (error.strerror or str(error)).lower()
    kind = ClosedPipeError if isinstance(error, BrokenPipeError) else OutputError
    return kind(f"cannot write {name}: {reason}", name)


def refuse_inputs(path: str | os.PathLike | None, inputs: Iterable[str | os.PathLike]) -> None:
    """Raise OutputError if the output `path` is one of `inputs` (call it before reading them).

    `path` None or '-' is standard output: redirected into an input file (`> data.jsonl`), the
    shell has already emptied it, and writing on would only make things worse."""
    to_stdout = path is None or os.fspath(path) == "-"
    for source in inputs:
        if _is_stdout_file(source) if to_stdout else same_file(path, source):
            name = STDOUT_NAME if to_stdout else os.fspath(path)
            extra = f" ({os.fspath(source)})" if to_stdout else ""
            raise OutputError(f"refusing to write {name}: it is also an input{extra}", name)


def _is_stdout_file(source: str | os.PathLike) -> bool:
    """Whether standard output is redirected into the regular file `source`."""
    try:
        out = os.fstat(sys.stdout.fileno())
        other = os.stat(source)
    except (OSError, ValueError, AttributeError):  # no real descriptor (e.g. a test runner)
        return False
    return stat.S_ISREG(out.st_mode) and (out.st_dev, out.st_ino) == (other.st_dev, other.st_ino)


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike, *, inputs: Iterable[str | os.PathLike] = (),
                  parents: bool = False, binary: bool = False) -> Iterator[TextIO]:
    """A UTF-8 text stream (newline='' so the csv module works), or with `binary` a byte stream
    (an .xlsx workbook), that becomes `path` only if the block succeeds. Refuses an output that is
    one of `inputs`; with `parents`, missing folders are created, else a missing folder is an
    error. Write errors raise OutputError."""
    name = os.fspath(path)
    refuse_inputs(path, inputs)
    target = Path(os.path.realpath(path))  # write through a symlink, not over it
    mode = _target_mode(name, target, parents)
    import tempfile  # with shutil, lzma and random: only when a file is written (a cold start saves ~5 ms)
    try:
        text = {} if binary else {"encoding": "utf-8", "newline": ""}
        temp = tempfile.NamedTemporaryFile("wb" if binary else "w", **text, dir=target.parent,
                                           prefix=f".{target.name}.", suffix=".tmp", delete=False)
    except OSError as e:
        raise write_error(name, e) from None
    try:
        yield GuardedStream(temp, name)  # type: ignore[misc]
        _commit(temp, target, mode, name)
    except BaseException:
        _discard(temp)
        raise


def _target_mode(name: str, target: Path, parents: bool) -> int:
    """Permission bits for the new file (the old file's, or the umask default); checks the folder."""
    _check_folder(name, target.parent, parents)
    if target.is_dir():
        raise OutputError(f"cannot write {name}: it is a folder", name)
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        return 0o666 & ~_umask()


def _check_folder(name: str, folder: Path, parents: bool) -> None:
    """The folder an output goes into must exist (with `parents`, it is created)."""
    if parents and not folder.exists():
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise write_error(name, e) from None
    if not folder.is_dir():
        shown = os.path.dirname(os.path.normpath(name)) or "."
        problem = "is not a folder" if folder.exists() else "does not exist"
        raise OutputError(f"cannot write {name}: folder {shown} {problem}", name)


def _commit(temp: IO[str], target: Path, mode: int, name: str) -> None:
    try:
        temp.flush()
        _sync(temp.fileno())
        temp.close()
        with contextlib.suppress(OSError):  # a file system without Unix permissions
            os.chmod(temp.name, mode)
        os.replace(temp.name, target)
    except OSError as e:
        raise write_error(name, e) from None


def _sync(fd: int) -> None:
    """Make the bytes durable before the rename; a file system that cannot sync is not an error."""
    try:
        os.fsync(fd)
    except OSError as e:
        if e.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise


def _discard(temp: IO[str]) -> None:
    with contextlib.suppress(OSError):
        temp.close()   # may try to flush the rest and fail again: the file goes anyway
    with contextlib.suppress(OSError):
        os.unlink(temp.name)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def replace_folder(path: str | os.PathLike, *, force: bool = False, parents: bool = False) -> Iterator[Path]:
    """A new, empty folder to fill; when the block succeeds it replaces `path` whole.

    A non-empty existing folder is refused unless `force`; an existing file is always refused. The
    files are written into a hidden sibling folder, so an exception (or a kill) leaves the old
    folder untouched, and after success no file of an earlier run remains."""
    import shutil
    import tempfile
    name = os.fspath(path)
    target = Path(os.path.realpath(path))
    if target.exists() and not target.is_dir():
        raise OutputError(f"cannot write {name}: it exists and is not a folder", name)
    if not force and _has_entries(name, target):
        raise OutputError(f"refusing to write {name}: the folder is not empty "
                          "(use --force to replace it)", name)
    _check_folder(name, target.parent, parents)
    mode = stat.S_IMODE(target.stat().st_mode) if target.is_dir() else 0o777 & ~_umask()
    try:
        build = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"))
    except OSError as e:
        raise write_error(name, e) from None
    try:
        yield build
        _swap_in(build, target, name, mode)
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise


def _has_entries(name: str, folder: Path) -> bool:
    try:
        return folder.is_dir() and any(folder.iterdir())
    except OSError as e:
        raise write_error(name, e) from None


def _swap_in(build: Path, target: Path, name: str, mode: int) -> None:
    """Move `build` to `target`, moving an old folder aside first and deleting it afterwards."""
    import shutil
    import tempfile
    try:
        os.chmod(build, mode)
        if not target.exists():
            os.rename(build, target)
            return
        old = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".old"))
        os.rename(target, old / target.name)
        try:
            os.rename(build, target)
        except BaseException:  # also an interrupt between the two renames
            os.rename(old / target.name, target)
            raise
        shutil.rmtree(old, ignore_errors=True)
    except OSError as e:
        raise write_error(name, e) from None


class GuardedStream:
    """A text stream whose write errors (a full disk, a closed pipe, …) raise OutputError naming
    `name`. Everything else (encoding, isatty, fileno, …) is the wrapped stream's."""

    def __init__(self, stream: TextIO, name: str = STDOUT_NAME):
        self._stream = stream
        self.name = name

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as e:
            raise self._failed(e) from None
        except UnicodeEncodeError as e:
            raise OutputError(f"cannot write {self.name}: {e.object[e.start:e.end]!r} cannot be written "
                              f"in its encoding {e.encoding} (set PYTHONIOENCODING=utf-8)", self.name) from None

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as e:
            raise self._failed(e) from None

    def close(self) -> None:
        """Only flushes: whoever opened the stream closes it (the file is replaced at the end of
        `atomic_output`, standard output stays open)."""
        self.flush()

    def __getattr__(self, attr: str):
        return getattr(self._stream, attr)

    def _failed(self, error: OSError) -> OutputError:
        if self._stream is sys.stdout or self._stream is sys.__stdout__:
            _silence(self._stream)
        return write_error(self.name, error)


@contextlib.contextmanager
def stdout_output(stream: TextIO | None = None) -> Iterator[GuardedStream]:
    """Standard output (or `stream`) as a GuardedStream, flushed and checked at the end of the
    block: a disk that fills up or a pipe that closes is an OutputError, never a silent cut."""
    stream = stream if stream is not None else sys.stdout
    if stream is None:  # started with standard output closed (`kinerja … >&-`)
        raise OutputError(f"cannot write {STDOUT_NAME}: it is closed", STDOUT_NAME)
    guarded = GuardedStream(stream)
    yield guarded
    guarded.flush()


def write_stdout(text: str, stream: TextIO | None = None) -> None:
    """Write `text` to standard output (or `stream`) and flush it; OutputError if that fails."""
    with stdout_output(stream) as out:
        out.write(text)


def open_output(path: str | os.PathLike | None, *, inputs: Iterable[str | os.PathLike] = (),
                parents: bool = False, binary: bool = False) -> contextlib.AbstractContextManager:
    """`atomic_output(path)` for a file, `stdout_output()` for None or '-': one call for `-o`
    (`binary` output goes to files only)."""
    if path is None or os.fspath(path) == "-":
        refuse_inputs(None, inputs)
        return stdout_output()
    return atomic_output(path, inputs=inputs, parents=parents, binary=binary)


def _silence(stream: TextIO) -> None:
    """Point a failed standard output's descriptor at /dev/null: later writes (a summary line) and
    the interpreter's final flush then go nowhere, instead of failing again with a traceback or
    'Exception ignored' after our one-line message."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
