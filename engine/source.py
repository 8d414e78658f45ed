"""Reading source files: strict UTF-8, YAML and JSON with exact Decimals and source positions.

Policies and contracts are read the same way. Numbers become `Decimal` from their source text (never
through a binary float), ISO dates stay as their text (JSON Schema checks them as strings), and every
node's line and column is kept in a `SourceMap` keyed by its path, so later errors can point into the
file. Anything malformed raises a `SourceError` with file:line:col, never a parser traceback.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from .errors import Location, SourceError

try:  # libyaml's composer is much faster and reports the same marks
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - pure Python fallback
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path_ = tuple  # a data path: keys (str) and indexes (int), e.g. ("iku", 3, "target")

MAX_NODES = 2_000_000  # expansion limit against YAML alias bombs ("billion laughs")


def format_path(path: Path_) -> str:
    """`("iku", 3, "target")` -> `iku[3].target`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(root)"


@dataclass(frozen=True)
class Position:
    """Where a node starts (1-based) and how its scalar was written (plain, quoted, block)."""

    line: int
    column: int
    style: str | None = None


@dataclass
class SourceMap:
    """Positions of a file's nodes by path, plus the file's lines for carets."""

    file: str
    lines: list[str] = field(default_factory=list)
    values: dict[Path_, Position] = field(default_factory=dict)
    keys: dict[Path_, Position] = field(default_factory=dict)

    def location(self, path: Path_ = (), *, key: bool = False, offset: tuple[int, int] | None = None) -> Location:
        """The location of the node at `path` (its key if `key`), or of its nearest known ancestor.

        `offset` is a (line, column) inside a scalar, used to point into an expression's text.
        """
        table = self.keys if key else self.values
        p = tuple(path)
        while p not in table and p:
            p = p[:-1]
            table = self.values
        pos = table.get(p)
        if pos is None:
            return Location(self.file)
        line, col = pos.line, pos.column
        if offset is not None:
            line, col = _inside_scalar(pos, offset, self.lines)
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else None
        return Location(self.file, line, col, text)

    def error(self, message: str, path: Path_ = (), *, key: bool = False, cls=SourceError, hint=None):
        return cls(message, self.location(path, key=key), hint=hint)


def _inside_scalar(pos: Position, offset: tuple[int, int], lines: list[str]) -> tuple[int, int]:
    """Map a (line, col) inside a scalar's text to the file.

    Literal blocks (|) keep their lines. Folded blocks (>) and plain or quoted scalars written over
    several lines are folded by YAML into one line, so the column is walked back across the
    source lines that make it up. Exact for the usual layouts; nearest line otherwise."""
    oline, ocol = offset
    if pos.style == "|":
        line = pos.line + oline  # block content starts on the line after the indicator
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        return line, len(text) - len(text.lstrip(" ")) + ocol
    if pos.style == ">":
        first = pos.line + 1
        segments = [(n, len(t) - len(t.lstrip(" ")), t.strip()) for n, t in
                    _block_lines(lines, first)]
    else:
        quote = 1 if pos.style in ("'", '"') else 0
        first_text = lines[pos.line - 1][pos.column - 1 + quote:] if 0 < pos.line <= len(lines) else ""
        segments = [(pos.line, pos.column - 1 + quote, first_text.rstrip())]
        if oline > 1 or ocol > len(first_text.rstrip()) + 1:
            for n in range(pos.line + 1, len(lines) + 1):
                t = lines[n - 1]
                if not t.strip():
                    break
                segments.append((n, len(t) - len(t.lstrip(" ")), t.strip()))
    col = ocol
    for n, indent, text in segments[:-1]:
        if col <= len(text) + 1:
            return n, indent + col
        col -= len(text) + 1  # the folded line break became one space
    n, indent, _ = segments[-1] if segments else (pos.line, pos.column - 1, "")
    return n, indent + col


def _block_lines(lines: list[str], first: int):
    """The content lines of a block scalar starting at line `first` (1-based)."""
    indent = None
    for n in range(first, len(lines) + 1):
        t = lines[n - 1]
        if not t.strip():
            if indent is None:
                continue
            break
        i = len(t) - len(t.lstrip(" "))
        if indent is None:
            indent = i
        elif i < indent:
            break
        yield n, t


def read_text(path: str | Path, cls=SourceError) -> str:
    """Read a file as strict UTF-8; a bad byte is reported at its line and column."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise cls(f"file not found", Location(str(path))) from None
    except IsADirectoryError:
        raise cls("is a directory, expected a file", Location(str(path))) from None
    except OSError as e:
        raise cls(f"cannot read file: {e.strerror}", Location(str(path))) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        before = raw[: e.start]
        line = before.count(b"\n") + 1
        col = e.start - (before.rfind(b"\n") + 1) + 1
        raise cls(f"not valid UTF-8: byte 0x{raw[e.start]:02x} cannot be decoded; save the file as UTF-8",
                  Location(str(path), line, col)) from None
    return text[1:] if text.startswith("\ufeff") else text


def load_yaml(text: str, file: str, cls=SourceError) -> tuple[Any, SourceMap]:
    """Parse YAML into plain dicts/lists/Decimals/str/bool/None and a SourceMap of positions."""
    smap = SourceMap(file, text.splitlines())
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        what = e.problem or e.context or "invalid YAML"
        loc = _mark_location(mark, smap) if mark else Location(file)
        raise cls(f"YAML syntax error: {what}", loc) from None
    except yaml.YAMLError as e:  # pragma: no cover - defensive: reader errors without marks
        raise cls(f"YAML error: {e}", Location(file)) from None
    if node is None:
        return None, smap
    return _Builder(smap, cls).build(node, ()), smap


def _mark_location(mark, smap: SourceMap) -> Location:
    line, col = mark.line + 1, mark.column + 1
    text = smap.lines[line - 1] if 0 < line <= len(smap.lines) else None
    return Location(smap.file, line, col, text)


_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_NULL_TAG = "tag:yaml.org,2002:null"
_STR_TAG = "tag:yaml.org,2002:str"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_BOOL_WORDS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}


class _Builder:
    """Turns composed YAML nodes into Python values, recording positions and counting nodes."""

    def __init__(self, smap: SourceMap, cls):
        self.smap = smap
        self.cls = cls
        self.count = 0

    def fail(self, message: str, node) -> SourceError:
        return self.cls(message, _mark_location(node.start_mark, self.smap))

    def build(self, node, path: Path_):
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(f"document expands to more than {MAX_NODES:,} nodes "
                            "(too many aliases: possible alias bomb)", node)
        style = getattr(node, "style", None)
        self.smap.values[path] = Position(node.start_mark.line + 1, node.start_mark.column + 1, style)
        if isinstance(node, yaml.MappingNode):
            out: dict = {}
            for knode, vnode in node.value:
                if not isinstance(knode, yaml.ScalarNode) or knode.tag == "tag:yaml.org,2002:merge":
                    raise self.fail("mapping keys must be plain text (merge keys '<<' are not supported)", knode)
                key = knode.value
                if key in out:
                    raise self.fail(f"duplicate key {key!r}", knode)
                self.smap.keys[path + (key,)] = Position(knode.start_mark.line + 1, knode.start_mark.column + 1)
                out[key] = self.build(vnode, path + (key,))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(v, path + (i,)) for i, v in enumerate(node.value)]
        return self.scalar(node)

    def scalar(self, node):
        tag, text = node.tag, node.value
        if tag == _STR_TAG or tag == _TIMESTAMP_TAG:
            return text  # dates stay ISO text; schemas check them with format: date
        if tag == _NULL_TAG:
            return None
        if tag == _BOOL_TAG:
            return _BOOL_WORDS[text.lower()]
        if tag == _INT_TAG:
            return Decimal(yaml.SafeLoader.construct_yaml_int(_INT_CONSTRUCTOR, node))
        if tag == _FLOAT_TAG:
            try:
                value = Decimal(text.replace("_", ""))
            except InvalidOperation:
                value = None
            if value is None or not value.is_finite():
                raise self.fail(f"number {text!r} is not a finite decimal number", node)
            return value
        raise self.fail(f"unsupported YAML tag {tag!r}", node)


_INT_CONSTRUCTOR = yaml.SafeLoader("")


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a number")


def load_json(text: str, file: str, cls=SourceError) -> Any:
    """Parse JSON with Decimal numbers; errors carry line and column."""
    try:
        return json.loads(text, parse_float=Decimal, parse_int=Decimal, parse_constant=_reject_constant)
    except json.JSONDecodeError as e:
        lines = text.splitlines()
        line_text = lines[e.lineno - 1] if 0 < e.lineno <= len(lines) else None
        raise cls(f"JSON syntax error: {e.msg}", Location(file, e.lineno, e.colno, line_text)) from None
    except (ValueError, RecursionError) as e:
        raise cls(f"JSON error: {e}", Location(file)) from None


def load_file(path: str | Path, cls=SourceError) -> tuple[Any, SourceMap]:
    """Read a YAML or JSON file (by extension; YAML otherwise) with positions where available."""
    text = read_text(path, cls)
    name = str(path)
    if name.endswith(".json"):
        return load_json(text, name, cls), SourceMap(name, text.splitlines())
    return load_yaml(text, name, cls)
