"""Positions in source files: a data path's line and column, and the lines for carets.

Every node read from YAML (and every JSON Lines record) keeps where it was written in a `SourceMap`
keyed by its data path (`("iku", 3, "target")`, shown as `iku[3].target`), so that a schema error, a
rule's violation or an explanation found long after reading can point at file:line:col with the
source line and a caret, also inside a folded or quoted scalar.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .errors import Location, SourceError

DataPath = tuple  # a data path: keys (str) and indexes (int), e.g. ("iku", 3, "target")


def format_path(path: DataPath) -> str:
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
    values: dict[DataPath, Position] = field(default_factory=dict)
    keys: dict[DataPath, Position] = field(default_factory=dict)

    def __reduce_ex__(self, protocol):
        """Pickled (the cache keeps parsed files and built policies) with each position as a plain
        tuple, made a Position again by `nearest` when it is asked for: unpickling a file's thousand
        Positions cost more than all else of bringing the file back, and most are never asked for."""
        if type(self) is not SourceMap:   # a subclass (CellMap) keeps its own entries
            return super().__reduce_ex__(protocol)
        tables = ({path: (p.line, p.column, p.style) if isinstance(p, Position) else p for path, p in table.items()}
                  for table in (self.values, self.keys))
        return SourceMap, (self.file, self.lines, *tables)

    def location(self, path: DataPath = (), *, key: bool = False, offset: tuple[int, int] | None = None) -> Location:
        """The location of the node at `path` (its key if `key`), or of its nearest known ancestor.

        `offset` is a (line, column) inside a scalar, used to point into an expression's text.
        """
        pos = self.nearest(path, key=key)
        if pos is None:
            return Location(self.file)
        line, col = pos.line, pos.column
        if offset is not None:
            line, col = _inside_scalar(pos, offset, self.lines)
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else None
        return Location(self.file, line, col, text)

    def nearest(self, path: DataPath = (), *, key: bool = False) -> Position | None:
        """The position of the node at `path` (its key's if `key`), or of its nearest known ancestor; None."""
        table = self.keys if key else self.values
        p = tuple(path)
        while p not in table and p:
            p = p[:-1]
            table = self.values
        pos = table.get(p)
        if type(pos) is tuple and type(self) is SourceMap:   # kept as a tuple in the cache: see __reduce_ex__
            return Position(*pos)
        return pos

    def error(self, message: str, path: DataPath = (), *, key: bool = False, cls=SourceError, hint=None):
        return cls(message, self.location(path, key=key), hint=hint)


def _inside_scalar(pos: Position, offset: tuple[int, int], lines: list[str]) -> tuple[int, int]:
    """Map a (line, col) inside a scalar's text to the file.

    Literal blocks (|) keep their lines. Folded blocks (>) and plain or quoted scalars written over
    several lines are folded by YAML (a line break between ordinary lines becomes a space; blank
    lines and more-indented lines keep their breaks), so the position is walked back across the
    source lines that make up each line of the text."""
    oline, ocol = offset
    if pos.style == "|":
        line = pos.line + oline  # block content starts on the line after the indicator
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        return line, len(text) - len(text.lstrip(" ")) + ocol
    segments = list(_folded_segments(pos, lines))
    text_line, start, prev = 1, 1, None
    for n, src_col, text, breaks in segments:
        if prev is not None:
            if breaks:
                text_line, start = text_line + breaks, 1
            else:
                start += len(prev) + 1  # the folded line break became one space
        if text_line == oline and ocol <= start + len(text):
            return n, src_col + (ocol - start)
        prev = text
    if not segments:
        return pos.line, pos.column
    n, src_col, text, _ = segments[-1]
    return n, src_col + len(text)


def _folded_segments(pos: Position, lines: list[str]):
    """(line, column of the text's first character, text, line breaks kept before it) per source line."""
    def indent(t: str) -> int:
        return len(t) - len(t.lstrip(" "))

    if pos.style == ">":
        base, blank, prev_more = None, 0, False
        for n in range(pos.line + 1, len(lines) + 1):
            t = lines[n - 1]
            if not t.strip():
                blank += 1
                continue
            if base is None:
                base = indent(t)
            elif indent(t) < base:
                return
            more = indent(t) > base
            yield n, base + 1, t[base:].rstrip(), blank or (1 if (more or prev_more) and n > pos.line + 1 else 0)
            blank, prev_more = 0, more
        return
    if not 0 < pos.line <= len(lines):
        return
    quote = 1 if pos.style in ("'", '"') else 0
    first = lines[pos.line - 1]
    yield pos.line, pos.column + quote, first[pos.column - 1 + quote:].rstrip(), 0
    key_indent, blank = indent(first), 0
    for n in range(pos.line + 1, len(lines) + 1):
        t = lines[n - 1]
        if not t.strip():
            blank += 1
            continue
        if indent(t) <= key_indent:
            return
        yield n, indent(t) + 1, t.strip(), blank
        blank = 0
