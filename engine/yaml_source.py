"""Reading YAML: plain dicts, lists, exact Decimals and text, with every node's position.

Plain YAML scalars are numbers the YAML 1.2 core-schema way: `017` is 17 (not octal 15), `0o17` is
15, `0x1F` is 31, `1e5` is a number, and YAML 1.1 forms such as `1:30` (sexagesimal 90), `1_000` or
`0b101` stay text. Numbers and dates outside engine/limits.py's range are errors where written, and
so are documents nested deeper than MAX_DEPTH or expanding (through aliases) past MAX_NODES nodes.
Anything malformed raises a `SourceError` with file:line:col, never a parser traceback.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from .errors import Location, SourceError
from .limits import MAX_DEPTH, MAX_NODES, MAX_YEAR, MIN_YEAR, number_problem
from .source_map import DataPath, Position, SourceMap

try:  # libyaml's composer is much faster and reports the same marks
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - pure Python fallback
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]



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
    except yaml.reader.ReaderError as e:  # a control character or other unreadable character
        before = text[: e.position] if isinstance(e.position, int) else ""
        line, col = before.count("\n") + 1, e.position - (before.rfind("\n") + 1) + 1
        bad = f"0x{e.character:02x}" if isinstance(e.character, int) else repr(e.character)
        raise cls(f"character {bad} is not allowed in YAML", _location(smap, line, col)) from None
    except yaml.YAMLError as e:  # pragma: no cover - defensive: other errors without marks
        raise cls(f"YAML error: {e}", Location(file)) from None
    except RecursionError:
        raise cls("YAML is nested too deeply", Location(file)) from None
    if node is None:
        return None, smap
    try:
        deep = _too_deep(node)
        if deep is not None:
            raise cls(f"YAML is nested too deeply: more than {MAX_DEPTH} levels of lists and mappings",
                      _mark_location(deep.start_mark, smap))
        sizes: dict = {}
        if _expanded_size(node, sizes) > MAX_NODES:
            culprit = _innermost_too_big(node, sizes)
            raise cls(f"document expands to more than {MAX_NODES:,} nodes "
                      "(too many aliases: possible alias bomb)", _mark_location(culprit.start_mark, smap))
        return _Builder(smap, cls).build(node, ()), smap
    except RecursionError:
        raise cls("YAML is nested too deeply (or an alias refers to itself)", Location(file)) from None


def _children(node) -> list:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _too_deep(root):
    """The node at depth MAX_DEPTH + 1 on the longest path of collections, or None if there is none.

    Iterative (it must not recurse itself) and linear in the composed nodes: each node's height is
    computed once, however often aliases share it; an alias cycle is left to _expanded_size."""
    height: dict = {}
    on_path: set = set()
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            kids = [height.get(id(c), 0) for c in _children(node)]
            height[key] = 1 + max(kids, default=0) if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) else 0
            continue
        if key in height or key in on_path:
            continue
        on_path.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in _children(node) if id(c) not in height and id(c) not in on_path)
    if height.get(id(root), 0) <= MAX_DEPTH:
        return None
    node, depth = root, 1
    while depth <= MAX_DEPTH:  # follow the tallest child down to the first level past the limit
        node = max(_children(node), key=lambda c: height.get(id(c), 0))
        depth += 1
    return node


def _expanded_size(node, memo: dict) -> int:
    """How many nodes building would create, counting each shared (aliased) node once per use."""
    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = MAX_NODES + 1  # an alias cycle expands without end
    if isinstance(node, yaml.MappingNode):
        size = 1 + sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
    elif isinstance(node, yaml.SequenceNode):
        size = 1 + sum(_expanded_size(v, memo) for v in node.value)
    else:
        size = 1
    memo[key] = size
    return size


def _innermost_too_big(node, sizes: dict):
    """The deepest node that alone expands past the limit: where the aliases multiply."""
    while True:
        if isinstance(node, yaml.MappingNode):
            children = [v for _, v in node.value]
        elif isinstance(node, yaml.SequenceNode):
            children = node.value
        else:
            return node
        bigger = next((c for c in children if sizes.get(id(c), 0) > MAX_NODES), None)
        if bigger is None or bigger is node:
            return node
        node = bigger


def _mark_location(mark, smap: SourceMap) -> Location:
    return _location(smap, mark.line + 1, mark.column + 1)


def _location(smap: SourceMap, line: int, col: int) -> Location:
    text = smap.lines[line - 1] if 0 < line <= len(smap.lines) else None
    return Location(smap.file, line, col, text)


_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_NULL_TAG = "tag:yaml.org,2002:null"
_STR_TAG = "tag:yaml.org,2002:str"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_BOOL_WORDS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}
# YAML 1.2 core schema numbers (plain scalars); the YAML 1.1 resolver's other numbers are text
_CORE_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_CORE_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_CORE_SPECIAL = re.compile(r"[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)")


class _Builder:
    """Turns composed YAML nodes into Python values, recording positions and counting nodes."""

    def __init__(self, smap: SourceMap, cls):
        self.smap = smap
        self.cls = cls
        self.count = 0

    def fail(self, message: str, node) -> SourceError:
        return self.cls(message, _mark_location(node.start_mark, self.smap))

    def build(self, node, path: DataPath):
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
                key = self.key(knode)
                if key in out:
                    raise self.fail(f"duplicate key {knode.value!r}", knode)
                self.smap.keys[path + (key,)] = Position(knode.start_mark.line + 1, knode.start_mark.column + 1)
                out[key] = self.build(vnode, path + (key,))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(v, path + (i,)) for i, v in enumerate(node.value)]
        return self.scalar(node)

    def scalar(self, node):
        tag, text = node.tag, node.value
        if not node.style and tag in _CORE_TAGS and not self._explicit_tag(node):  # plain scalar
            tag = _core_tag(tag, text)
        if tag == _TIMESTAMP_TAG:
            if not text[:4].isdigit():  # an explicit !!timestamp on other text
                raise self.fail(f"{text!r} is not a date", node)
            if not MIN_YEAR <= int(text[:4]) <= MAX_YEAR:
                raise self.fail(f"date out of range: {text} (years {MIN_YEAR}–{MAX_YEAR} are accepted)", node)
            return text  # dates stay ISO text; schemas check them with format: date
        if tag == _STR_TAG:
            return text
        if tag == _NULL_TAG:
            return None
        if tag == _BOOL_TAG:
            if text.lower() not in _BOOL_WORDS:
                raise self.fail(f"{text!r} is not true or false", node)
            return _BOOL_WORDS[text.lower()]
        if tag == _INT_TAG:
            try:
                value = Decimal(_whole_number(text))
            except (ValueError, IndexError, KeyError):
                raise self.fail(f"{text!r} is not a whole number", node) from None
        elif tag == _FLOAT_TAG:
            try:
                value = Decimal(text.replace("_", ""))
            except InvalidOperation:
                raise self.fail(f"number {text!r} is not a finite decimal number", node) from None
        else:
            raise self.fail(f"unsupported YAML tag {tag!r}", node)
        problem = number_problem(value)
        if problem is not None:
            raise self.fail(problem if problem.startswith("number") else f"number {text!r} {problem}", node)
        return value

    def key(self, node):
        """A mapping key: text, or a Decimal if written as a plain number (`{1: a}`), so that a
        table keyed by numbers is found by a number (`table[1]`, `1 in table`)."""
        if not node.style and not self._explicit_tag(node) and _core_tag(node.tag, node.value) in (_INT_TAG, _FLOAT_TAG):
            return self.scalar(node)
        return node.value

    def _explicit_tag(self, node) -> bool:
        """Written with a tag (`!!str 017`): the tag decides, not the scalar's look."""
        line = self.smap.lines[node.start_mark.line] if node.start_mark.line < len(self.smap.lines) else ""
        return line[node.start_mark.column:node.start_mark.column + 1] == "!"


_CORE_TAGS = {_STR_TAG, _INT_TAG, _FLOAT_TAG}


def _core_tag(tag: str, text: str) -> str:
    """The tag the YAML 1.2 core schema gives a plain scalar the YAML 1.1 resolver read as `tag`."""
    if _CORE_INT.fullmatch(text):
        return _INT_TAG
    if _CORE_FLOAT.fullmatch(text) or _CORE_SPECIAL.fullmatch(text):
        return _FLOAT_TAG
    return _STR_TAG if tag in (_INT_TAG, _FLOAT_TAG) else tag


def _whole_number(text: str) -> int:
    """A YAML 1.2 integer (decimal with any leading zeros, 0o octal, 0x hex), or an explicit
    `!!int` in YAML 1.1 forms, which PyYAML's constructor reads."""
    if _CORE_INT.fullmatch(text):
        return int(text, 0) if text[:2] in ("0o", "0x") else int(text)
    return yaml.SafeLoader.construct_yaml_int(_INT_CONSTRUCTOR, yaml.ScalarNode(_INT_TAG, text))


_INT_CONSTRUCTOR = yaml.SafeLoader("")
