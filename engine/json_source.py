"""Reading JSON (and each line of JSON Lines) the way engine/source.py reads YAML.

Numbers become Decimals from their text, within engine/limits.py's range; `null` fields are dropped
(missing and null mean the same to a policy). What YAML rejects is rejected here too, with the line
and column where it is written: a key repeated in one object (Python's json would silently keep the
last), a number too large, and a `\\ud800`-style escape of half a surrogate pair, which is no
character at all and would make every output format fail to encode.

The common case runs at the speed of the C decoder, with as little Python per number and per object
as the checks allow: a number written with at most 18 characters and no exponent is within the
limits by its length alone, `null` fields are looked for only in a text that holds `null`, and `\\u`
escapes only in a text that holds a backslash (finding one character is far quicker). Only a
file that is rejected is read a second time, by a slower decoder that knows positions, to find where.
"""
from __future__ import annotations

import decimal
import json
import re
from decimal import Decimal
from json.decoder import WHITESPACE, scanstring
from json.scanner import py_make_scanner
from typing import Any

from .display import shortened
from .errors import Location, SourceError
from .limits import MAX_ADJUSTED, MAX_DIGITS, MIN_EXPONENT, SHORT_NUMBER, number_problem, short_number


class _Rejected(ValueError):
    """Valid JSON the engine does not accept; `pos` (an index into the text) once known."""

    def __init__(self, message: str, pos: int | None = None):
        super().__init__(message)
        self.message = message
        self.pos = pos


def _number(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except decimal.InvalidOperation:   # an exponent beyond what a Decimal can hold
        raise _Rejected(f"number {shortened(text, 40)!r} is not a finite decimal number") from None
    problem = number_problem(value)
    if problem is not None:
        raise _Rejected(problem if problem.startswith("number") else f"number {text} {problem}")
    return value


# Numbers read in C: a context that signals (raises) for every number outside engine/limits.py's
# limits, and for some inside them (a zero written with a large exponent). A number it does not
# signal for is exactly `Decimal(text)`: Rounded (more than MAX_DIGITS digits, zeros included) and
# Clamped are trapped, so no digit or exponent is ever changed. Anything it signals for sends the
# whole text to the checked reader below (`_short_float`), which accepts or locates and says why.
_LIMITS = decimal.Context(prec=MAX_DIGITS, Emax=MAX_ADJUSTED, Emin=MIN_EXPONENT + MAX_DIGITS - 1,
                          rounding=decimal.ROUND_HALF_EVEN,
                          traps=[decimal.Rounded, decimal.Clamped, decimal.Overflow, decimal.InvalidOperation])
_within_limits = _LIMITS.create_decimal


def _short_float(text: str, decimal=Decimal) -> Decimal:
    if short_number(text):
        return decimal(text)
    return _number(text)


def _short_int(text: str, decimal=Decimal) -> Decimal:
    return decimal(text) if len(text) < SHORT_NUMBER else _number(text)


def _reject_constant(name: str):
    raise _Rejected(f"{name} is not a number")


def _object(pairs: list) -> dict:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise _Rejected("duplicate key")  # located by _locate
    return obj


def _object_without_nulls(pairs: list) -> dict:
    obj = _object(pairs)
    return {k: v for k, v in obj.items() if v is not None} if None in obj.values() else obj


def load_json(text: str, file: str, cls=SourceError) -> Any:
    """Parse JSON with Decimal numbers and without null fields; errors carry line and column."""
    surrogate = _lone_surrogate(text) if "\\" in text else None   # one character: a memchr, not a search
    if surrogate is not None:
        raise cls("text holds half of a surrogate pair (\\u escape of U+D800–U+DFFF alone), which is "
                  "not a character", _location(file, text, surrogate))
    hook = _object_without_nulls if "null" in text else _object
    try:
        try:
            return json.loads(text, parse_float=_within_limits, parse_int=_within_limits,
                              parse_constant=_reject_constant, object_pairs_hook=hook)
        except decimal.DecimalException:   # a number the C reader does not vouch for: check each one
            return json.loads(text, parse_float=_short_float, parse_int=_short_int,
                              parse_constant=_reject_constant, object_pairs_hook=hook)
    except json.JSONDecodeError as e:
        lines = text.splitlines()
        line_text = lines[e.lineno - 1] if 0 < e.lineno <= len(lines) else None
        raise cls(f"JSON syntax error: {e.msg}", Location(file, e.lineno, e.colno, line_text)) from None
    except _Rejected:
        found = _locate(text)
        raise cls(found.message, _location(file, text, found.pos)) from None
    except (ValueError, RecursionError) as e:
        raise cls(f"JSON error: {e}", Location(file)) from None


def _location(file: str, text: str, pos: int | None) -> Location:
    if pos is None:
        return Location(file)
    line = text.count("\n", 0, pos) + 1
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return Location(file, line, pos - start + 1, text[start: None if end < 0 else end])


_SURROGATE_ESCAPE = re.compile(r"\\u(d[89ab][0-9a-f]{2})(\\ud[c-f][0-9a-f]{2})?|\\ud[c-f][0-9a-f]{2}", re.I)


def _lone_surrogate(text: str) -> int | None:
    """The index of the first `\\uXXXX` escape that is half a surrogate pair, if any."""
    for m in _SURROGATE_ESCAPE.finditer(text):
        backslashes = len(text[: m.start()]) - len(text[: m.start()].rstrip("\\"))
        if backslashes % 2:  # `\\ud800` is a backslash and the text "ud800"
            continue
        if m.group(1) is None or m.group(2) is None:
            return m.start()
    return None


# -- finding where: a pure-Python decoder that knows the position of every key and value -----------

def _locate(text: str) -> _Rejected:
    decoder = json.JSONDecoder(parse_float=_number, parse_int=_number, parse_constant=_reject_constant)
    decoder.parse_object = _object_at
    decoder.parse_array = _array_at
    scan_once = py_make_scanner(decoder)
    try:
        _value_at(text, WHITESPACE.match(text, 0).end(), scan_once)
    except _Rejected as e:
        return e
    except RecursionError:   # nested deeper than this decoder can follow: say what, without where
        return _Rejected("JSON nested too deeply to locate the rejected value (it holds a number or a "
                         "key the engine does not accept)")
    return _Rejected("JSON error")  # pragma: no cover - the C decoder rejected it for a reason


def _value_at(s: str, end: int, scan_once):
    try:
        return scan_once(s, end)
    except _Rejected as e:
        if e.pos is None:
            e.pos = end
        raise


def _object_at(s_and_end, strict, scan_once, *_hooks):
    s, end = s_and_end
    seen: set[str] = set()
    end = WHITESPACE.match(s, end).end()
    if s[end:end + 1] == "}":
        return {}, end + 1
    while True:
        key, after = scanstring(s, end + 1, strict)
        if key in seen:
            raise _Rejected(f"duplicate key {key!r}", end)
        seen.add(key)
        end = WHITESPACE.match(s, WHITESPACE.match(s, after).end() + 1).end()  # past ':'
        _, end = _value_at(s, end, scan_once)
        end = WHITESPACE.match(s, end).end()
        if s[end] == "}":
            return {}, end + 1
        end = WHITESPACE.match(s, end + 1).end()  # past ','


def _array_at(s_and_end, scan_once, *_hooks):
    s, end = s_and_end
    end = WHITESPACE.match(s, end).end()
    if s[end:end + 1] == "]":
        return [], end + 1
    while True:
        _, end = _value_at(s, end, scan_once)
        end = WHITESPACE.match(s, end).end()
        if s[end] == "]":
            return [], end + 1
        end = WHITESPACE.match(s, end + 1).end()
