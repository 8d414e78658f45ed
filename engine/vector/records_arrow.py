"""Python records whose numbers are written as text, as Arrow columns made by pyarrow's own converter.

Why: a JSON feed, a CSV export or the JSON Lines of the peer benchmark hand over numbers as decimal
text (`{"target": "105.29"}`), which `policy.evaluate` reads where the data schema says number
(engine/text_numbers.py). tables.from_dicts visits every value two or three times in Python (to
extract it, to learn its type, to make its float); `pa.array(records, type)` reads each value once
in C++, and Arrow then reads the texts as decimals a column at a time. On the peer bench's contracts
this route costs about half of from_dicts (benchmarks/bench_dict_routes.py).

Exactly the per-record path's records, or none:
- pyarrow's converter is strict about most types (an int is not text, a text not a boolean) but
  takes a few that `policy.evaluate` refuses (bytes as text, numpy scalars). So every value's type is
  scanned too, a block of records at a time while pyarrow's reading left them in cache: a batch holding
  any type JSON does not give (`JSON_TYPES`), a key a closed object does not name, or records that are
  not all dicts is not converted (`None`: the caller uses tables.from_dicts);
- a number field holds text only (Decimals, ints: the converter refuses them, and the caller uses
  from_dicts). Text in plain decimal notation (`-12.50`; at most 18 digits) is read as exact scaled
  integers with the places each row is written with: rows written with fewer places than their
  column are `Num.odd` (their digits are not the column's), a `-0` keeps its sign (`Num.zero_sign`).
  Any other text ("1e3", " 5", "01") marks its record for the per-record path, which reads it as
  `policy.evaluate` does, or reports it.
"""
from __future__ import annotations

from itertools import chain, repeat

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .columnar import Columnar
from .shapes import Shape
from .vectors import Unsupported

BLOCK = 128             # records converted (and their types scanned) at a time
JSON_TYPES = frozenset({str, bool, dict, list, tuple, type(None)})     # numbers are text here
DIGITS = 18             # a decimal64's digits: k·10⁻ⁿ read in place as int64 (arrow_tables._unscaled)
_PLAIN = r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?$"


class TextRecords(Columnar):
    """A batch of dict records (numbers as text) as Arrow columns; each record, when a step needs it,
    is the Record `policy.evaluate(dict)` makes of it (text numbers read: plain_data.plain_record)."""

    python = True

    def __init__(self, records: list, table, make):
        super().__init__("<data>", table)
        self.items, self.make = records, make

    def source(self, i: int) -> str:
        return "<data>"

    def row_number(self, i: int) -> None:
        return None             # Python data has no lines (a violation's `line` is None, as per record)

    def records(self, rows: list[int]):
        return [self.make(self.items[i]) for i in rows]


def text_records(policy, records: list, shape: Shape) -> TextRecords | None:
    """`records` as a TextRecords batch, or None when they are not all dicts with numbers as text and
    values of JSON's types (see the module docstring)."""
    if not records or not all(type(r) is dict for r in records):
        return None
    try:
        typ = _arrow_type(shape, root=True)
    except Unsupported:
        return None
    parts = []
    try:
        for a in range(0, len(records), BLOCK):
            block = records[a:a + BLOCK]
            parts.append(pa.array(block, type=typ))
            if not _plain_json(block, parts[-1], shape, root=True):
                return None
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError, TypeError, ValueError):
        return None
    rows = pa.concat_arrays(parts) if len(parts) > 1 else parts[0]
    return TextRecords(records, pa.Table.from_struct_array(rows), policy._plain)


def _arrow_type(shape: Shape, root: bool = False):
    """The Arrow type the converter reads a value of `shape` as (numbers as text)."""
    if shape.kind == "object":
        fields = [(name, _arrow_type(sub)) for name, sub in shape.props.items()]
        if root and "kind" not in shape.props:
            fields.append(("kind", pa.string()))       # the data kind, checked by arrow_tables
        if not fields:
            raise Unsupported("an object without properties")
        return pa.struct(fields)
    if shape.kind == "array":
        return pa.list_(_arrow_type(shape.items))
    if shape.kind in ("string", "number", "integer"):
        return pa.string()
    if shape.kind == "boolean":
        return pa.bool_()
    raise Unsupported(f"a {shape.kind} field")


def _plain_json(objs: list, arr, shape: Shape, root: bool = False) -> bool:
    """Whether these objects (dicts or None; `arr`, what pyarrow made of them) hold only JSON's types,
    with no key a closed `shape` does not name (a record's `kind` aside), and so, one level down,
    their objects and lists of objects. Each test is one C loop over the values (a set of types);
    the keys are counted, and looked at only when the count is not the number of fields pyarrow read
    (a key it did not read, or a null value, which `normalise` drops)."""
    types = set(map(type, objs))
    if not types <= {dict, _NONE}:
        return False
    present = objs if _NONE not in types else [o for o in objs if o is not None]
    if not set(map(type, chain.from_iterable(map(dict.values, present)))) <= JSON_TYPES:
        return False
    fields = dict(zip(arr.type.names, arr.flatten()))
    if shape.closed and sum(map(len, present)) != sum(len(f) - f.null_count for f in fields.values()) and \
            not set(chain.from_iterable(present)) <= shape.props.keys() | ({"kind"} if root else set()):
        return False
    for name, sub in shape.props.items():
        if sub.kind not in ("object", "array"):
            continue
        values = list(map(dict.get, present, repeat(name))) if _NONE not in types else \
            [o.get(name) if o is not None else None for o in objs]
        if sub.kind == "object" and not _plain_json(values, fields[name], sub):
            return False
        if sub.kind == "array" and sub.items.kind in ("object", "array"):
            items = list(chain.from_iterable(filter(None, values)))
            if sub.items.kind == "array" and items:
                return False        # lists of lists: checked per record
            if not _plain_json(items, fields[name].flatten(), sub.items):
                return False
    return True


_NONE = type(None)


def numbers_from_text(arr) -> tuple:
    """A text column of numbers as (a decimal column, the rows whose text it does not read, the rows
    written with fewer places than the column, the rows that are a negative zero). Rows outside the
    second mask hold their exact value; the others are null.

    Arrow's cast reads decimal notation with an optional sign and exponent, the texts
    `runtime.f_number` reads too, at their exact value (leading zeros, `5.`, `.5` included); it
    fails on anything else (spaces, other digits), and then only the plain notation (`_PLAIN`) is
    read. A text with an exponent (`1e3`: the Decimal 1E+3, written with other digits than 1000) is
    left to the per-record path. Lengths, signs and exponents are read from the column's buffers."""
    if pa.types.is_dictionary(arr.type):
        arr = arr.dictionary_decode()
    if arr.type != pa.string():
        arr = arr.cast(pa.string())
    present = _bools(arr.is_valid()) if arr.null_count else np.ones(len(arr), bool)
    offsets, data = _layout(arr)
    length = np.diff(offsets)
    first = data[np.minimum(offsets[:-1], len(data) - 1)] if len(data) else np.zeros(len(arr), np.uint8)
    first = np.where(length > 0, first, 0)
    dot = _ints(pc.find_substring(arr, "."))
    places = np.where(dot < 0, 0, length - dot - 1)
    whole = np.where(dot < 0, length, dot) - ((first == _MINUS) | (first == _PLUS))
    good = present.copy()
    used = data[offsets[0]:offsets[-1]]
    if ((used == ord("e")) | (used == ord("E"))).any():          # some text has an exponent
        good &= (_ints(pc.count_substring(arr, "e")) + _ints(pc.count_substring(arr, "E"))) == 0
    n = int(places[good].max(initial=0))
    good &= whole + n <= DIGITS
    decimal = pa.decimal64(DIGITS, n) if hasattr(pa, "decimal64") else pa.decimal128(DIGITS, n)
    try:
        numbers = pc.cast(_only(arr, good), decimal)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        good &= _bools(pc.match_substring_regex(arr, _PLAIN))
        numbers = pc.cast(_only(arr, good), decimal)
    odd = good & (places != n)
    negative = good & (first == _MINUS)
    if negative.any():
        negative &= _bools(pc.equal(numbers, pa.scalar(0, decimal)))
    return numbers, present & ~good, odd, negative


_MINUS, _PLUS = ord("-"), ord("+")


def _layout(arr) -> tuple[np.ndarray, np.ndarray]:
    """The offsets (one per row and one after) and the bytes of a string column, as numpy views."""
    offsets = np.frombuffer(arr.buffers()[1], np.int32)[arr.offset:arr.offset + len(arr) + 1]
    data = arr.buffers()[2]
    return offsets, (np.frombuffer(data, np.uint8) if data is not None else np.zeros(0, np.uint8))


def _only(arr, rows: np.ndarray):
    """`arr` with the values outside `rows` null."""
    return arr if rows.all() else pc.if_else(pa.array(rows), arr, pa.scalar(None, arr.type))


def _ints(arr) -> np.ndarray:
    return np.asarray(pc.fill_null(pc.cast(arr, pa.int64()), 0).to_numpy(zero_copy_only=False), np.int64)


def _bools(arr) -> np.ndarray:
    return np.asarray(pc.fill_null(arr, False).to_numpy(zero_copy_only=False), bool)
