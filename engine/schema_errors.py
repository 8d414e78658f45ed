"""jsonschema's errors as located, short messages: at the offending node's line and column (or at an
unknown key), in the words a policy author or data clerk reads ("unknown field(s): 'x'", "expected
number, got '12,5'", "'four' is not one of: one, two, three (did you mean …?)")."""
from __future__ import annotations

import json
from decimal import Decimal

from .display import did_you_mean
from .errors import Location, SourceError
from .source import SourceMap, format_path


def _describe(error) -> str:
    """jsonschema's message, made shorter for the common cases."""
    if error.validator == "additionalProperties":
        extra = error.message.split("(")[-1].rstrip(")") if "(" in error.message else error.message
        return f"unknown field(s): {extra}"
    if error.validator == "enum":
        options = [str(v) for v in error.validator_value]
        hint = did_you_mean(str(error.instance), options)
        return f"{_short(error.instance)} is not one of: {', '.join(options)}" + (f" ({hint})" if hint else "")
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


def located(e, smap: SourceMap | None, file: str, cls) -> SourceError:
    """One jsonschema error as a located error: at the offending node, or at an unknown key."""
    path = tuple(e.absolute_path)
    message = _describe(e)
    if path:
        message = f"{format_path(path)}: {message}"
    if smap is None:
        return cls(message, file if isinstance(file, Location) else Location(file))
    if e.validator == "additionalProperties" and isinstance(e.instance, dict):
        extra = [k for k in e.instance if k not in e.schema.get("properties", {})]
        if extra:
            return smap.error(message, path + (extra[0],), key=True, cls=cls)
    return smap.error(message, path, key=False, cls=cls)
