"""Numbers written as text, read where the data schema says "number".

A caller of `policy.evaluate(dict)` often holds numbers as text: a JSON feed of strings, a CSV or
spreadsheet export (`{"target": "12.50"}`). Where the data schema says a field is a number (`"type":
"number"` or `"integer"`, not a choice such as `["number", "string"]`, where text means something
else: a qualitative target), `read_text_numbers` gives a copy with such text read as the exact
Decimal it writes (runtime.f_number: decimal syntax, limits of engine/limits.py). Text that is not
a decimal is left as it is, so the schema check then reports it at its place ("expected number, got
'12,5'"): nothing is guessed. Files are not affected: JSON and YAML say what a number is themselves.
"""
from __future__ import annotations

from typing import Any

from .errors import EvaluationError
from .lang.runtime import f_number
from .schema_codegen import Unsupported, pointer_target
from .schemas import SchemaSet


def read_text_numbers(data: Any, schema: str, schemas: SchemaSet) -> Any:
    """`data` (already normalised) with decimal text read as numbers where schema `schema` says number;
    the same object when nothing changes."""
    root = schemas.load(schema)
    return _walk(data, root, root, schemas, 0)


def _walk(value: Any, node: Any, doc: dict, schemas: SchemaSet, depth: int) -> Any:
    if not isinstance(node, dict) or depth > 64:
        return value
    if "$ref" in node:
        try:
            node, doc = pointer_target(schemas, node["$ref"], doc)
        except Unsupported:   # a reference it cannot follow: validation reports what is wrong
            return value
    if isinstance(value, str):
        return _number(value) if node.get("type") in ("number", "integer") else value
    if isinstance(value, dict) and isinstance(node.get("properties"), dict):
        props = node["properties"]
        changed = {k: _walk(v, props[k], doc, schemas, depth + 1) for k, v in value.items() if k in props}
        if all(changed[k] is value[k] for k in changed):
            return value
        return {k: changed.get(k, v) for k, v in value.items()}
    if isinstance(value, list) and isinstance(node.get("items"), dict):
        items = [_walk(v, node["items"], doc, schemas, depth + 1) for v in value]
        return value if all(a is b for a, b in zip(items, value)) else items
    return value


def _number(text: str):
    try:
        return f_number(text)
    except EvaluationError:
        return text
