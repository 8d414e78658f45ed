"""Static types the checker infers: from literals, parameter values and the contract's JSON Schema.

Types exist only to catch mistakes at load time (a misspelt field, text compared with a number,
a value not in an enum); run time never looks at them except to know which fields hold dates.
`ANY` means "not knowable here" and is never an error.
"""
from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any

from ..errors import KinerjaError
from ..schemas import resolve_ref
from .runtime import Bands


class Type:
    """A static type: kind is one of number, text, bool, date, null, list, object, bands, any."""

    __slots__ = ("kind", "elem", "fields", "closed", "enum", "schema", "root", "keys")

    def __init__(self, kind: str, *, elem: "Type | None" = None, fields: dict[str, "Type"] | None = None,
                 closed: bool = False, enum: tuple | None = None, schema: dict | None = None, root: dict | None = None,
                 keys: tuple | None = None):
        self.kind = kind
        self.elem = elem
        self.fields = fields
        self.closed = closed
        self.enum = enum
        self.schema = schema
        self.root = root
        self.keys = keys   # a parameter table's own keys (text or numbers), for checking `table[key]`

    def __eq__(self, other):
        return isinstance(other, Type) and self.kind == other.kind and self.elem == other.elem

    def __hash__(self):
        return hash(self.kind)

    def __repr__(self):
        return f"Type({self.describe()})"

    def describe(self) -> str:
        if self.kind == "list":
            return f"list of {self.elem.describe()}" if self.elem and self.elem.kind != "any" else "list"
        return {"text": "text", "number": "number", "bool": "true/false", "date": "date",
                "object": "record", "bands": "band table", "null": "null", "any": "value"}[self.kind]

    def member_names(self) -> list[str]:
        if self.fields is not None:
            return list(self.fields)
        if self.schema is not None:
            return list(self.schema.get("properties", {}))
        return []

    def member(self, name: str) -> "Type | None":
        """The type of `.name`; None if this record type is closed and has no such field."""
        if self.kind == "any":
            return ANY
        if self.fields is not None:
            if name in self.fields:
                return self.fields[name]
            return None if self.closed else ANY
        if self.schema is not None:
            props = self.schema.get("properties", {})
            if name in props:
                return from_schema(props[name], self.root)
            return None if self.closed else ANY
        return ANY

    def element(self) -> "Type":
        return self.elem if self.kind == "list" and self.elem is not None else ANY


ANY = Type("any")
NUMBER = Type("number")
TEXT = Type("text")
BOOL = Type("bool")
DATE = Type("date")
NULL = Type("null")
BANDS = Type("bands")
TABLE = Type("object")   # a table made at run time (count_by): its keys are not known here


def list_of(elem: Type) -> Type:
    return Type("list", elem=elem)


def _resolve(schema: dict, root: dict | None) -> tuple[dict, dict | None]:
    """Follow `$ref`s: the node they lead to and the schema file it is in (whose `#/…` references the
    node's own refer to). A reference to another schema file (`organization_contract.schema.json#/$defs/iku`)
    is looked up among schemas/*.schema.json; one that cannot be resolved gives {} (any type)."""
    seen = 0
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and root is not None and seen < 20:
        try:
            schema, root = resolve_ref(schema["$ref"], root)
        except KinerjaError:
            return {}, root
        seen += 1
    return (schema if isinstance(schema, dict) else {}), root


def from_schema(schema: dict, root: dict | None) -> Type:
    """The static type of data described by a JSON Schema node."""
    schema, root = _resolve(schema, root)
    kind = schema.get("type")
    if kind is None and "enum" in schema and all(isinstance(v, str) for v in schema["enum"]):
        kind = "string"
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        kind = kinds[0] if len(kinds) == 1 else None
    if kind in ("number", "integer"):
        return NUMBER
    if kind == "string":
        if schema.get("format") == "date":
            return DATE
        enum = tuple(schema["enum"]) if "enum" in schema else None
        return Type("text", enum=enum) if enum else TEXT
    if kind == "boolean":
        return BOOL
    if kind == "array":
        return list_of(from_schema(schema.get("items", {}), root))
    if kind == "object" or "properties" in schema:
        return Type("object", schema=schema, root=root, closed=schema.get("additionalProperties") is False)
    return ANY


def from_value(value: Any) -> Type:
    """The static type of a parameter's value."""
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, (Decimal, int)):
        return NUMBER
    if isinstance(value, str):
        return TEXT
    if isinstance(value, _dt.date):
        return DATE
    if isinstance(value, Bands):
        return BANDS
    if isinstance(value, list):
        return list_of(join([from_value(v) for v in value]))
    if isinstance(value, dict):
        return Type("object", fields={str(k): from_value(v) for k, v in value.items()}, closed=True,
                    keys=tuple(value))
    if value is None:
        return NULL
    return ANY


def join(types: list[Type]) -> Type:
    """The common type of several (list elements, if-branches, table entries)."""
    types = [t for t in types if t.kind != "null"]
    if not types:
        return ANY
    first = types[0]
    if any(t.kind != first.kind for t in types):
        return ANY
    if first.kind == "list":
        return list_of(join([t.element() for t in types]))
    if first.kind == "object" and all(t.fields is not None for t in types):
        names: dict[str, list[Type]] = {}
        for t in types:
            for k, v in t.fields.items():
                names.setdefault(k, []).append(v)
        return Type("object", fields={k: join(v) for k, v in names.items()}, closed=True)
    if first.kind == "text":
        return TEXT
    return first


def key_text(key) -> str:
    """A table key as it is written in an expression: text in quotes, a number as it is."""
    return f'"{key}"' if isinstance(key, str) else str(key)
