"""Reading source files: strict UTF-8 text, whole or line by line, with bad bytes located.

Policies and contracts are read the same way: the text here, then YAML by engine/yaml_source.py and
JSON by engine/json_source.py, both with exact Decimals (never a binary float) and positions kept in
an engine/source_map.py `SourceMap`. This module also re-exports those readers, so that callers have
one place to import from.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterator

from . import cache
from .errors import Location, SourceError
from .json_source import load_json  # noqa: F401 - re-exported
from .limits import MAX_DEPTH, MAX_NODES  # noqa: F401 - re-exported
from .source_map import DataPath, Position, SourceMap, format_path  # noqa: F401 - re-exported


def load_yaml(text: str, file: str, cls=SourceError) -> tuple[Any, SourceMap]:
    """YAML text as plain data (Decimals, text, lists, dicts) and a SourceMap of its positions
    (engine/yaml_source.py, imported on first use: PyYAML takes about 10 ms to import, which a run
    that finds what it reads in the cache never needs)."""
    from .yaml_source import load_yaml as load
    return load(text, file, cls)


def load_yaml_kept(text: str, file: str, cls=SourceError, then: Callable[[Any], Any] | None = None
                   ) -> tuple[Any, SourceMap]:
    """`load_yaml` (its data passed through `then` if given), or what it returned for the same file
    name, text and `then` in an earlier run (kept in the cache, engine/cache.py): a contract or test
    file read again unchanged is not parsed again. A file that does not parse raises each time
    (errors are never kept)."""
    def make():
        data, smap = load_yaml(text, file, cls)
        return (data if then is None else then(data)), smap
    return cache.remembered("yaml", cache.digest(file, text, then.__qualname__ if then else ""), make)


def read_text(path: str | Path, cls=SourceError) -> str:
    """Read a file as strict UTF-8; a bad byte is reported at its line and column."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise cls("file not found", Location(str(path))) from None
    except IsADirectoryError:
        raise cls("is a directory, expected a file", Location(str(path))) from None
    except OSError as e:
        raise cls(f"cannot read file: {e.strerror}", Location(str(path))) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        before = raw[: e.start]
        line = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        col = len(raw[line_start:e.start].decode("utf-8", errors="replace")) + 1
        line_end = raw.find(b"\n", e.start)
        text = raw[line_start: None if line_end < 0 else line_end].decode("utf-8", errors="replace")
        raise cls(f"not valid UTF-8: byte 0x{raw[e.start]:02x} cannot be decoded; save the file as UTF-8",
                  Location(str(path), line, col, text)) from None
    return text[1:] if text.startswith("\ufeff") else text


# Bytes a line reader asks the system for at a time. With io's default (8 KiB) a JSON Lines record
# longer than that (a generated KMK contract is about 17 KB) is read in many small pieces and joined:
# 10 000 such lines took 0.195 s to read and decode, 0.056 s with this (CPU, three runs each way).
LINE_BUFFER = 1 << 20


def read_lines(path: str | Path, cls=SourceError) -> Iterator[tuple[int, str | SourceError]]:
    """The lines of a file one at a time (JSON Lines can be larger than memory), each decoded as
    strict UTF-8: a line with a bad byte is yielded as its error, and reading goes on."""
    try:
        f = open(path, "rb", buffering=LINE_BUFFER)  # noqa: SIM115 - closed below (a generator)
    except FileNotFoundError:
        yield 0, cls("file not found", Location(str(path)))
        return
    except IsADirectoryError:
        yield 0, cls("is a directory, expected a file", Location(str(path)))
        return
    except OSError as e:
        yield 0, cls(f"cannot read file: {e.strerror}", Location(str(path)))
        return
    with f:
        for n, raw in enumerate(f, start=1):
            raw = raw.rstrip(b"\r\n")
            if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                yield n, raw.decode("utf-8")
            except UnicodeDecodeError as e:
                col = len(raw[:e.start].decode("utf-8", errors="replace")) + 1
                yield n, cls(f"not valid UTF-8: byte 0x{raw[e.start]:02x} cannot be decoded; save the file as UTF-8",
                             Location(str(path), n, col, raw.decode("utf-8", errors="replace")))
