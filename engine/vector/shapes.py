"""The data schema as a shape the batch path can check column by column.

`shape_of` turns a JSON Schema into nested `Shape`s for the subset of keywords whose meaning a
column check can reproduce exactly: `type` (object, array, string, number, integer, boolean),
(or the list [number, string]), `properties`, `required`, `additionalProperties: false`, `items`, `enum`, `const`, `minLength`,
`maxLength`, `pattern`, `format`, `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `minItems`,
`maxItems` and local or cross-file `$ref`, plus annotations (`description`, `title`, …). `pattern`
and `format` test text only, each with the per-record validators' own function (`text_test`: the
compiled regex of engine/schemas.py, an unanchored `re` search with ECMA's `$`; the fast path's
format check, engine/fast_schema.py). A schema with any
keyword that only narrows what is valid (`uniqueItems`, …) makes the shape
`partial`: the batch then validates each record by the per-record path first and uses the columns for
evaluation only. Any other keyword (`anyOf`, `if`, a list of types, …) raises `Unsupported`. The
column check only has to be sound: a record it accepts is valid; a record it rejects goes to the
per-record path, which reports the exact error.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..fast_schema import format_check
from ..schemas import _ecma_regex
from .vectors import Unsupported

_ANNOTATIONS = {"description", "title", "$comment", "default", "examples", "$schema", "$id", "$defs",
                "definitions", "deprecated", "readOnly", "writeOnly"}
_KEYWORDS = {"type", "properties", "required", "additionalProperties", "items", "enum", "const",
             "minLength", "maxLength", "pattern", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
             "minItems", "maxItems", "$ref"}
_NARROWING = {"uniqueItems", "patternProperties", "propertyNames", "minProperties",
              "maxProperties", "multipleOf", "dependentRequired"}
SCALARS = ("string", "number", "integer", "boolean")
MIXED = "number|string"      # type: [number, string], e.g. a target that may be qualitative


@dataclass
class Shape:
    """What a data schema says about one place in the data, as the column reader needs it."""
    kind: str                                    # object | array | string | number | integer | boolean | MIXED
    props: dict[str, "Shape"] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    closed: bool = False                          # additionalProperties: false
    items: "Shape | None" = None
    enum: tuple | None = None
    limits: dict[str, object] = field(default_factory=dict)   # minLength, minimum, minItems, …
    partial: bool = False                         # some keyword below is checked per record only


def shape_of(schemas, name: str) -> Shape:
    """The shape of data schema `name` in SchemaSet `schemas` (Unsupported outside the subset)."""
    root = schemas.load(name)
    return _shape(root, root, schemas, 0)


def _partial(shape: Shape) -> bool:
    return shape.partial or any(_partial(s) for s in shape.props.values()) or \
        (shape.items is not None and _partial(shape.items))


def _shape(node: dict, root: dict, schemas, depth: int) -> Shape:
    if depth > 32 or not isinstance(node, dict):
        raise Unsupported("schema too deep or not an object")
    if "$ref" in node:
        if set(node) - _ANNOTATIONS - {"$ref"}:
            raise Unsupported("$ref beside other keywords")
        target, doc = schemas.resolve_ref(node["$ref"], root)
        return _shape(target, doc, schemas, depth + 1)
    unknown = set(node) - _ANNOTATIONS - _KEYWORDS - _NARROWING
    if unknown:
        raise Unsupported(f"schema keyword {sorted(unknown)[0]}")
    kind = _kind(node)
    shape = Shape(kind, enum=_enum(node), partial=bool(set(node) & _NARROWING))
    shape.limits = {k: node[k] for k in ("minLength", "maxLength", "pattern", "format", "minimum", "maximum",
                                        "exclusiveMinimum", "exclusiveMaximum", "minItems", "maxItems") if k in node}
    for keyword in TEXT_TESTS & set(shape.limits):
        text_test(keyword, shape.limits[keyword])
    if kind == "object":
        shape.props = {k: _shape(v, root, schemas, depth + 1) for k, v in node.get("properties", {}).items()}
        shape.required = frozenset(node.get("required", ()))
        extra = node.get("additionalProperties", True)
        if extra not in (True, False):
            raise Unsupported("additionalProperties with a schema")
        shape.closed = extra is False
    elif kind == "array":
        if "items" not in node:
            raise Unsupported("array without items")
        shape.items = _shape(node["items"], root, schemas, depth + 1)
    shape.partial = _partial(shape)
    return shape


TEXT_TESTS = frozenset({"pattern", "format"})


def text_test(keyword: str, value):
    """`(text) -> whether it passes` for `pattern` or `format` `value`: the per-record validators' own
    function (Unsupported for a value that is not text or a pattern that is no regex: the per-record
    path says what is wrong)."""
    if not isinstance(value, str):
        raise Unsupported(f"a {keyword} that is not text")
    if keyword == "format":
        return format_check(value)
    try:
        return _ecma_regex(value).search
    except re.error:
        raise Unsupported("a pattern that is not a regular expression") from None


def _kind(node: dict) -> str:
    t = node.get("type")
    if t is None:
        values = node.get("enum", [node["const"]] if "const" in node else None)
        if values and all(isinstance(v, str) for v in values):
            return "string"
        raise Unsupported("a schema without a type")
    if isinstance(t, list) and sorted(t) == ["number", "string"]:
        if set(node) & {"minLength", "maxLength", "pattern", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"}:
            raise Unsupported("limits on a number-or-text field")
        return MIXED
    if t not in ("object", "array") + SCALARS:
        raise Unsupported(f"type {t}")
    return t


def _enum(node: dict) -> tuple | None:
    if "const" in node:
        values = [node["const"]]
    elif "enum" in node:
        values = node["enum"]
    else:
        return None
    if not all(isinstance(v, str) for v in values):
        raise Unsupported("enum of non-text values")
    return tuple(values)
