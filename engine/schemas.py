"""JSON Schema validation for policy files and contract data, with errors pointing into the file.

Schemas live in the top-level `schemas/` folder. Validation uses jsonschema (Draft 2020-12) with two
adjustments for exact numbers: a Decimal counts as a JSON number, and as an integer when it has no
fraction. Each violation becomes a `SourceError` at the offending node's line and column.

Most data is valid, and jsonschema's interpreter is slow on large contracts (milliseconds each), so
a record is first checked by the same schema compiled to Python with fastjsonschema; only a record
it rejects is walked by jsonschema, which finds every error with its exact place.
"""
from __future__ import annotations

import difflib
import json
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import fastjsonschema
import jsonschema
from jsonschema import Draft202012Validator

from .errors import KinerjaError, Location, SourceError
from .source import SourceMap, format_path

HOME = Path(__file__).resolve().parent.parent
SCHEMA_DIR = HOME / "schemas"


def _is_integer(checker, instance) -> bool:
    if isinstance(instance, bool):
        return False
    if isinstance(instance, Decimal):
        return instance.is_finite() and instance == instance.to_integral_value()
    return isinstance(instance, int)


def _is_number(checker, instance) -> bool:
    return not isinstance(instance, bool) and isinstance(instance, (int, float, Decimal))


_TYPES = Draft202012Validator.TYPE_CHECKER.redefine_many({"integer": _is_integer, "number": _is_number})
_Validator = jsonschema.validators.extend(Draft202012Validator, type_checker=_TYPES)


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict:
    """Read `schemas/<name>.schema.json`."""
    path = SCHEMA_DIR / f"{name}.schema.json"
    if not path.is_file():
        known = ", ".join(sorted(p.name.split(".")[0] for p in SCHEMA_DIR.glob("*.schema.json")))
        raise KinerjaError(f"unknown data schema '{name}' (known: {known})")
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def validator(name: str):
    return _Validator(load_schema(name), format_checker=Draft202012Validator.FORMAT_CHECKER)


def _for_fastjsonschema(node):
    """The schema with `integer` spelled as a whole `number` (fastjsonschema's integer is Python's
    int only, and our data holds Decimals), and without `$id`s, so nothing is ever fetched."""
    if isinstance(node, list):
        return [_for_fastjsonschema(x) for x in node]
    if not isinstance(node, dict):
        return node
    out = {k: _for_fastjsonschema(v) for k, v in node.items() if k != "$id"}
    if out.get("type") == "integer":
        out["type"] = "number"
        out.setdefault("multipleOf", 1)
    elif isinstance(out.get("type"), list) and "integer" in out["type"]:
        raise ValueError("a list of types with 'integer' has no fast equivalent")
    return out


@lru_cache(maxsize=None)
def fast_validator(name: str):
    """The schema compiled to Python by fastjsonschema, or None if it cannot be (then only
    jsonschema is used). Defaults are never filled in: the data stays as written."""
    try:
        return fastjsonschema.compile(_for_fastjsonschema(load_schema(name)), handlers={}, use_default=False)
    except Exception:  # noqa: BLE001 - any failure just means "no fast path"
        return None


def _fast_valid(name: str, data) -> bool:
    check = fast_validator(name)
    if check is None:
        return False
    try:
        check(data)
        return True
    except Exception:  # noqa: BLE001 - rejected (or unsure): let jsonschema decide and explain
        return False


def _describe(error: jsonschema.ValidationError) -> str:
    """jsonschema's message, made shorter for the common cases."""
    if error.validator == "additionalProperties":
        extra = error.message.split("(")[-1].rstrip(")") if "(" in error.message else error.message
        return f"unknown field(s): {extra}"
    if error.validator == "enum":
        options = [str(v) for v in error.validator_value]
        close = difflib.get_close_matches(str(error.instance), options, n=1, cutoff=0.6)
        return (f"{_short(error.instance)} is not one of: {', '.join(options)}"
                + (f" (did you mean '{close[0]}'?)" if close else ""))
    if error.validator == "required":
        return error.message.replace("is a required property", "is required")
    if error.validator == "type":
        want = error.validator_value
        want = " or ".join(want) if isinstance(want, list) else want
        return f"expected {want}, got {_short(error.instance)}"
    if error.validator in ("oneOf", "anyOf") and "description" in error.schema:
        # "is not valid under any of the given schemas" tells a policy author nothing; the field's
        # own description says what is expected.
        return f"{_short(error.instance)} is not valid here. Expected: {error.schema['description']}"
    return error.message


def _short(value) -> str:
    text = repr(str(value)) if isinstance(value, (str, Decimal)) else json.dumps(value, default=str)
    return text if len(text) <= 60 else text[:57] + "…"


def validate(name: str, data, smap: SourceMap | None, file: str, cls=SourceError) -> list[SourceError]:
    """All violations of schema `name` by `data`, in file order, as located errors."""
    if _fast_valid(name, data):
        return []
    errors = []
    for e in validator(name).iter_errors(data):
        path = tuple(e.absolute_path)
        at_key = e.validator == "additionalProperties"
        message = _describe(e)
        if path:
            message = f"{format_path(path)}: {message}"
        if smap is not None:
            err = smap.error(message, path, key=False, cls=cls)
            if at_key and isinstance(e.instance, dict):
                extra = [k for k in e.instance if k not in e.schema.get("properties", {})]
                if extra:
                    err = smap.error(message, path + (extra[0],), key=True, cls=cls)
        else:
            err = cls(message, Location(file))
        errors.append(err)
    errors.sort(key=lambda x: ((x.location.line or 0) if x.location else 0, (x.location.column or 0) if x.location else 0))
    return errors
