"""Syntax tree of the expression language.

The parser turns lark's parse tree into these small immutable nodes once; the checker reads them
and the compiler turns them into Python source. Every node keeps its (line, column) inside the
expression text so errors can point at the exact spot in the policy file.
"""
from __future__ import annotations

from dataclasses import FrozenInstanceError
from decimal import Decimal
from operator import attrgetter
from typing import Callable, Iterator

Pos = tuple[int, int]  # 1-based (line, column) inside the expression text


class Node:
    """The base of every syntax node: its (line, column) in the expression text, not compared.

    A node is built from its fields in order (`Binary(pos, op, left, right)`, or by name), is
    immutable, and is equal to (and hashes like) a node of the same class whose compared fields
    are equal. Written out rather than as frozen dataclasses: creating the 13 dataclasses took
    8–12 ms of every command's start, and every cached policy holds these nodes
    (benchmarks/README.md, "Cold start")."""

    FIELDS: tuple[str, ...] = ("pos",)          # every field, in the order the constructor takes them
    UNCOMPARED: frozenset[str] = frozenset({"pos"})    # fields equality and hashing leave out
    COMPARED: tuple[str, ...] = ()
    _compared: Callable[["Node"], object] = staticmethod(lambda node: ())   # what equality compares

    pos: Pos

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.FIELDS = cls.FIELDS + tuple(cls.__dict__.get("__annotations__", ()))
        cls.COMPARED = tuple(f for f in cls.FIELDS if f not in cls.UNCOMPARED)
        cls._compared = staticmethod(attrgetter(*cls.COMPARED))    # one C call: nodes key dicts

    def __init__(self, *args, **kwargs):
        names = self.FIELDS
        if len(args) > len(names):
            raise TypeError(f"{type(self).__name__}() takes {len(names)} fields, {len(args)} given")
        values = dict(zip(names, args))
        for name, value in kwargs.items():
            if name not in names or name in values:
                raise TypeError(f"{type(self).__name__}() got an unexpected or repeated field {name!r}")
            values[name] = value
        if len(values) < len(names):
            missing = [n for n in names if n not in values]
            raise TypeError(f"{type(self).__name__}() is missing {', '.join(missing)}")
        self.__dict__.update(values)

    def __setattr__(self, name, value):
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name):
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return self._compared(self) == other._compared(other)
        return NotImplemented

    def __hash__(self):
        return hash(self._compared(self))

    def __repr__(self):
        shown = ", ".join(f"{f}={getattr(self, f)!r}" for f in self.FIELDS)
        return f"{type(self).__qualname__}({shown})"

    def children(self) -> tuple["Node", ...]:
        return ()

    def walk(self) -> Iterator["Node"]:
        yield self
        for child in self.children():
            yield from child.walk()

    def clone(self) -> "Node":
        """A deep copy with fresh node objects (facts about nodes are keyed by identity)."""
        new = object.__new__(type(self))
        for name in self.FIELDS:
            v = getattr(self, name)
            if isinstance(v, Node):
                v = v.clone()
            elif isinstance(v, tuple):
                v = tuple(x.clone() if isinstance(x, Node) else x for x in v)
            new.__dict__[name] = v
        return new


class Literal(Node):
    """A number (Decimal), text, boolean or `null` written in the expression."""
    value: Decimal | str | bool | None


class Name(Node):
    """A name: a parameter, a computed value, a bound item or `contract`."""
    id: str


class ListLit(Node):
    """A list written in the expression: `[a, b, c]`."""
    items: tuple[Node, ...]

    def children(self):
        return self.items


class Member(Node):
    """A field of an object: `obj.name`."""
    obj: Node
    name: str

    def children(self):
        return (self.obj,)


class Index(Node):
    """A lookup by key or position: `obj[key]`."""
    obj: Node
    key: Node

    def children(self):
        return (self.obj, self.key)


class Call(Node):
    """A call of a built-in or policy function: `func(args…)`."""
    func: str
    args: tuple[Node, ...]

    def children(self):
        return self.args


class Aggregate(Node):
    """`func(body for var in collection where condition)`."""

    func: str
    body: Node
    var: str
    collection: Node
    where: Node | None

    def children(self):
        return (self.body, self.collection) + ((self.where,) if self.where is not None else ())


class Unary(Node):
    """`-x` or `not x`."""
    op: str  # "-" or "not"
    operand: Node

    def children(self):
        return (self.operand,)


class Binary(Node):
    """An operator between two expressions: arithmetic, comparison, `and`/`or`, `in`/`not in`."""
    op: str  # + - * / == != < <= > >= and or in notin
    left: Node
    right: Node

    def children(self):
        return (self.left, self.right)


class Between(Node):
    """`value between low and high` (both ends included)."""
    value: Node
    low: Node
    high: Node

    def children(self):
        return (self.value, self.low, self.high)


class If(Node):
    """`if cond then a else b`."""
    cond: Node
    then: Node
    otherwise: Node

    def children(self):
        return (self.cond, self.then, self.otherwise)


class Let(Node):
    """`let a = …, b = … in body`: each name is bound in the values after it and in the body; each
    value is evaluated once."""

    UNCOMPARED = frozenset({"pos", "name_pos"})

    names: tuple[str, ...]
    values: tuple[Node, ...]
    body: Node
    name_pos: tuple[Pos, ...]  # where each name is written (not compared)

    def children(self):
        return self.values + (self.body,)


def free_names(node: Node, bound: frozenset[str] = frozenset()) -> Iterator[Name]:
    """Names an expression reads from its surroundings (not the variables its aggregates and lets
    bind)."""
    if isinstance(node, Name):
        if node.id not in bound:
            yield node
        return
    if isinstance(node, Let):
        for name, value in zip(node.names, node.values):
            yield from free_names(value, bound)
            bound = bound | {name}
        yield from free_names(node.body, bound)
        return
    if isinstance(node, Aggregate):
        yield from free_names(node.collection, bound)
        inner = bound | {node.var}
        yield from free_names(node.body, inner)
        if node.where is not None:
            yield from free_names(node.where, inner)
        return
    for child in node.children():
        yield from free_names(child, bound)


def free_name_ids(node: Node, bound: frozenset[str] = frozenset()) -> set[str]:
    """The identifiers of `free_names(node, bound)`, as a set."""
    return {n.id for n in free_names(node, bound)}


def is_simple(node: Node) -> bool:
    """Cheap and side-effect free to evaluate more than once: names, literals, member chains."""
    if isinstance(node, (Name, Literal)):
        return True
    return isinstance(node, Member) and is_simple(node.obj)
