"""Syntax tree of the expression language.

The parser turns lark's parse tree into these small immutable nodes once; the checker reads them
and the compiler turns them into Python source. Every node keeps its (line, column) inside the
expression text so errors can point at the exact spot in the policy file.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterator

Pos = tuple[int, int]  # 1-based (line, column) inside the expression text


@dataclass(frozen=True)
class Node:
    """The base of every syntax node: its (line, column) in the expression text, not compared."""
    pos: Pos = field(compare=False)

    def children(self) -> tuple["Node", ...]:
        return ()

    def walk(self) -> Iterator["Node"]:
        yield self
        for child in self.children():
            yield from child.walk()

    def clone(self) -> "Node":
        """A deep copy with fresh node objects (facts about nodes are keyed by identity)."""
        new = object.__new__(type(self))
        for name in self.__dataclass_fields__:
            v = getattr(self, name)
            if isinstance(v, Node):
                v = v.clone()
            elif isinstance(v, tuple):
                v = tuple(x.clone() if isinstance(x, Node) else x for x in v)
            object.__setattr__(new, name, v)
        return new


@dataclass(frozen=True)
class Literal(Node):
    """A number (Decimal), text, boolean or `null` written in the expression."""
    value: Decimal | str | bool | None


@dataclass(frozen=True)
class Name(Node):
    """A name: a parameter, a computed value, a bound item or `contract`."""
    id: str


@dataclass(frozen=True)
class ListLit(Node):
    """A list written in the expression: `[a, b, c]`."""
    items: tuple[Node, ...]

    def children(self):
        return self.items


@dataclass(frozen=True)
class Member(Node):
    """A field of an object: `obj.name`."""
    obj: Node
    name: str

    def children(self):
        return (self.obj,)


@dataclass(frozen=True)
class Index(Node):
    """A lookup by key or position: `obj[key]`."""
    obj: Node
    key: Node

    def children(self):
        return (self.obj, self.key)


@dataclass(frozen=True)
class Call(Node):
    """A call of a built-in or policy function: `func(args…)`."""
    func: str
    args: tuple[Node, ...]

    def children(self):
        return self.args


@dataclass(frozen=True)
class Aggregate(Node):
    """`func(body for var in collection where condition)`."""

    func: str
    body: Node
    var: str
    collection: Node
    where: Node | None

    def children(self):
        return (self.body, self.collection) + ((self.where,) if self.where is not None else ())


@dataclass(frozen=True)
class Unary(Node):
    """`-x` or `not x`."""
    op: str  # "-" or "not"
    operand: Node

    def children(self):
        return (self.operand,)


@dataclass(frozen=True)
class Binary(Node):
    """An operator between two expressions: arithmetic, comparison, `and`/`or`, `in`/`not in`."""
    op: str  # + - * / == != < <= > >= and or in notin
    left: Node
    right: Node

    def children(self):
        return (self.left, self.right)


@dataclass(frozen=True)
class Between(Node):
    """`value between low and high` (both ends included)."""
    value: Node
    low: Node
    high: Node

    def children(self):
        return (self.value, self.low, self.high)


@dataclass(frozen=True)
class If(Node):
    """`if cond then a else b`."""
    cond: Node
    then: Node
    otherwise: Node

    def children(self):
        return (self.cond, self.then, self.otherwise)


@dataclass(frozen=True)
class Let(Node):
    """`let a = …, b = … in body`: each name is bound in the values after it and in the body; each
    value is evaluated once."""

    names: tuple[str, ...]
    values: tuple[Node, ...]
    body: Node
    name_pos: tuple[Pos, ...] = field(compare=False)  # where each name is written

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
