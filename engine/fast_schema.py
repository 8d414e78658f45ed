"""The fast path's pieces that need no jsonschema: format checks, and a compiled fastjsonschema validator
made callable again (engine/schemas.py keeps its code in the cache, engine/cache.py).

fastjsonschema calls `custom_formats[name](value)` for a `format` keyword; schemas.py gives it these.
"""
from __future__ import annotations

import datetime as _dt
import re
from functools import partial, update_wrapper


def format_checker():
    """jsonschema's format checker (Draft 2020-12)."""
    from jsonschema import Draft202012Validator
    return Draft202012Validator.FORMAT_CHECKER


# Every format the schemas use is checked by jsonschema's own function on the fast path too:
# fastjsonschema's regexes differ (its `\d` accepts any Unicode digit, so '٢٠٢٤-01-01' passed as a date).
# `date`, the one the bundled schemas use, is jsonschema's check written out (it needs no jsonschema;
# tests/test_fast_schema.py proves they agree); any other format is jsonschema's, imported when used.
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


def _is_date(instance) -> bool:
    """jsonschema's `date` format check (RFC 3339 full-date), for the fast path."""
    if not isinstance(instance, str):
        return True
    if not _DATE.fullmatch(instance):
        return False
    try:
        _dt.date.fromisoformat(instance)
    except ValueError:
        return False
    return True


def format_check(name: str):
    """The fast path's check of format `name`: `(instance) -> bool`."""
    if name == "date":
        return _is_date
    return lambda instance: format_checker().conforms(instance, name)


def fast_function(function: str, code, formats: tuple[str, ...]):
    """The validator function of fastjsonschema's compiled `code` (as `fastjsonschema.compile` makes it)."""
    namespace: dict = {}
    exec(code, namespace)  # noqa: S102 - fastjsonschema's code for our own schema files
    func = namespace[function]
    if not formats:
        return func
    return update_wrapper(partial(func, custom_formats={f: format_check(f) for f in formats}), func)
