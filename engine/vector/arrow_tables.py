"""Arrow columns (Parquet, JSON Lines read by pyarrow) as the batch path's tables, checked on the way.

The layout is the data schema's own: a record is a row, a nested object a struct column, a list of
objects a list<struct> column (a contract: one row, its IKU one `iku: list<struct<code, ss, …>>`
cell). Columns become number, text and condition columns without any Python object per value:
decimal columns give exact scaled integers (their digits are the Decimals the per-record path
reads), integer and double columns floats with their bounds. Each column is checked against the
schema's `Shape` with pyarrow compute (type, required, enum, lengths, bounds, fields the schema does
not name); a record failing any check is marked bad and left to the per-record path.
"""
from __future__ import annotations

from decimal import Decimal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .shapes import TEXT_TESTS, Shape, text_test
from .tables import LazyList, Table, mark
from .vectors import MAX_SAFE, Bool, Num, Text, falses, num_from_floats


class Lazy(LazyList):
    """An Arrow array seen as a Python list, made only if some step asks for the values themselves."""

    def __init__(self, array):
        self.array = array

    def _make(self) -> list:
        return self.array.to_pylist()

    def __len__(self):
        return len(self.array)


def from_arrow(rows: pa.StructArray, shape: Shape, schema_name: str, numbers: str = "float",
               from_text: bool = False, text_numbers: bool = False) -> tuple[Table, np.ndarray]:
    """The tables of `rows` and a mask of the records that failed a column check; `numbers` as in
    tables.from_dicts. A double column is the number its float is (Decimal(repr(x)), as a Parquet
    row is read), except `from_text` (JSON Lines: the record reads the number's text, of which the
    double is only the nearest float). `text_numbers`: Python records whose numbers are text
    (records_arrow.py), read as `policy.evaluate` reads them."""
    n = len(rows)
    bad = falses(n)
    root = Table((), Lazy(rows), np.arange(n))
    root.plain, root.numbers, root.from_text, root.text_numbers = False, numbers, from_text, text_numbers
    if "kind" in rows.type.names:      # the per-record path refuses data of another kind
        kind = _fields(rows)["kind"]
        mark(bad, root.record, _valid(kind) & _not_equal(kind, schema_name))
    _fill(root, rows, shape, bad, "")
    return root, bad


def _fields(rows: pa.StructArray) -> dict:
    """The fields of a struct column, a row's field null wherever the row itself is null."""
    return dict(zip(rows.type.names, rows.flatten()))


def _valid(arr) -> np.ndarray:
    if arr.null_count == 0:
        return np.ones(len(arr), bool)
    return ~np.asarray(arr.is_null().to_numpy(zero_copy_only=False), bool)


def _not_equal(arr, text: str) -> np.ndarray:
    if not _is_text(arr.type):
        return np.ones(len(arr), bool)
    words, codes = _strings(arr)
    return np.array([w != text for w in words] + [False], bool)[codes]


def _fill(table: Table, rows: pa.StructArray, shape: Shape, bad: np.ndarray, prefix: str) -> None:
    fields = _fields(rows)
    names = set(fields)
    if shape.closed:
        for extra in names - set(shape.props) - {"kind"}:
            mark(bad, table.record, _valid(fields[extra]))
    for name, sub in shape.props.items():
        if name not in names:
            if name in shape.required:
                mark(bad, table.record, np.ones(len(rows), bool))
            _absent(table, prefix + name, sub, len(rows))
            continue
        arr = fields[name]
        present = _valid(arr)
        if name in shape.required:
            mark(bad, table.record, ~present)
        if sub.kind == "object":
            if not pa.types.is_struct(arr.type):
                mark(bad, table.record, present)
                continue
            table.columns[prefix + name] = ("object", [None if not p else True for p in present.tolist()])
            _fill(table, arr, sub, bad, prefix + name + ".")
        elif sub.kind == "array":
            _child(table, prefix + name, arr, present, sub, bad)
        else:
            arr, vec = _scalar(table, arr, sub, bad, table.record, present)
            table.columns[prefix + name] = (sub.kind, Lazy(arr))
            table.__dict__.setdefault("_vectors", {})[prefix + name] = vec


def _absent(table: Table, name: str, shape: Shape, n: int) -> None:
    """A field no row has (no such column): missing everywhere, nested fields and lists too."""
    if shape.kind == "array":
        _child(table, name, pa.nulls(n, pa.list_(pa.null())), falses(n), shape, np.zeros(table.record.max(initial=0) + 1, bool))
        return
    table.columns[name] = (shape.kind, [None] * n)
    for sub_name, sub in shape.props.items():
        _absent(table, f"{name}.{sub_name}", sub, n)


def _child(table: Table, name: str, arr, present: np.ndarray, shape: Shape, bad: np.ndarray) -> None:
    if not (pa.types.is_list(arr.type) or pa.types.is_large_list(arr.type)):
        mark(bad, table.record, present)
        arr = pa.array([[]] * len(arr), pa.list_(pa.null()))
    count = np.asarray(pc.fill_null(pc.list_value_length(arr), 0).to_numpy(zero_copy_only=False), np.int64)
    for keyword, test in (("minItems", np.less), ("maxItems", np.greater)):
        if keyword in shape.limits:
            mark(bad, table.record, present & test(count, shape.limits[keyword]))
    items = arr.flatten()
    owner = np.repeat(np.arange(table.size), count)
    child = Table(table.path + (name,), Lazy(items), table.record[owner], table)
    child.owner, child.count, child.absent = owner, count, ~present
    child.start = np.concatenate(([0], np.cumsum(count)[:-1])).astype(np.int64) if len(count) else count
    table.children[name] = child
    table.columns[name] = ("array", [True] * len(present) if present.all() else
                           [None if not p else True for p in present.tolist()])
    item_present = _valid(items)
    mark(bad, child.record, ~item_present)
    if shape.items.kind == "object":
        if not pa.types.is_struct(items.type):
            mark(bad, child.record, item_present)
            if not len(items):   # no row has an item (a list absent, or empty, everywhere): no fields either
                for sub_name, sub in shape.items.props.items():
                    _absent(child, sub_name, sub, 0)
            return
        _fill(child, items, shape.items, bad, "")
    elif shape.items.kind == "array":
        mark(bad, child.record, np.ones(len(items), bool))
    else:
        items, vec = _scalar(child, items, shape.items, bad, child.record, item_present)
        child.columns[""] = (shape.items.kind, Lazy(items))
        child.__dict__.setdefault("_vectors", {})[""] = vec


def _scalar(table: Table, arr, shape: Shape, bad: np.ndarray, record: np.ndarray, present: np.ndarray):
    """The column of a scalar field (and the array its values are read from), its problems marked."""
    root = _root(table)
    if root.text_numbers and shape.kind in ("number", "integer") and _is_text(arr.type):
        from .records_arrow import numbers_from_text
        arr, unread, odd, negative = numbers_from_text(arr)
        mark(bad, record, unread)
        vec, problems = scalar_column(arr, shape)
        vec.odd = odd
        if negative.any():
            vec.zero_sign = np.where(negative, -1, 1).astype(np.int8)
    else:
        vec, problems = scalar_column(arr, shape, root.from_text)
    mark(bad, record, problems & present)
    return arr, vec


def _root(table: Table) -> Table:
    while table.parent is not None:
        table = table.parent
    return table


def scalar_column(arr, shape: Shape, from_text: bool = False):
    """The column of one scalar field and the rows that break its schema (checked on present rows)."""
    n = len(arr)
    miss = ~_valid(arr)
    typ = arr.type
    if pa.types.is_null(typ):
        return _empty(shape.kind, n), falses(n)
    if shape.kind == "number|string":
        return scalar_column(arr, Shape("string" if _is_text(typ) else "number"), from_text)
    if shape.kind in ("number", "integer"):
        if not (pa.types.is_integer(typ) or pa.types.is_floating(typ) or pa.types.is_decimal(typ)):
            return _empty(shape.kind, n), np.ones(n, bool)
        vec = _numbers(arr, miss, from_text)
        problems = _number_limits(vec, shape)
        if shape.kind == "integer":
            problems |= ~miss & (np.floor(vec.v) != vec.v)
        return vec, problems | vec.unsure
    if shape.kind == "boolean":
        if not pa.types.is_boolean(typ):
            return _empty("boolean", n), np.ones(n, bool)
        values = np.asarray(pc.fill_null(arr, False).to_numpy(zero_copy_only=False), bool)
        return Bool(values, miss, falses(n)), falses(n)
    if not _is_text(typ):
        return _empty("string", n), np.ones(n, bool)
    return Text(None, miss, falses(n), later=lambda: _strings(arr)), _text_limits(arr, miss, shape)


def _is_text(typ) -> bool:
    if pa.types.is_dictionary(typ):
        typ = typ.value_type
    return pa.types.is_string(typ) or pa.types.is_large_string(typ)


def _strings(arr):
    """A text column dictionary-encoded (codes, IKU polarities, perspectives repeat): its distinct
    words and each row's code (−1 missing); made when a step reads them (Text `later`), the object
    array of the texts only if read (Text.v)."""
    if pa.types.is_dictionary(arr.type) and len(arr.dictionary) > len(arr):
        arr = arr.dictionary_decode()       # a chunk of a larger column: only its own words, not the file's
    encoded = arr if pa.types.is_dictionary(arr.type) else pc.dictionary_encode(arr)
    words = encoded.dictionary.to_pylist()
    codes = _indices(encoded)
    if len(set(words)) < len(words):            # a dictionary may repeat a word: one code per word
        first = {}
        remap = np.array([first.setdefault(w, len(first)) for w in words] + [-1], np.int64)
        codes, words = remap[codes], list(first)
    return words, codes


def _empty(kind: str, n: int):
    if kind in ("number", "integer", "number|string"):
        return num_from_floats(np.zeros(n), np.ones(n, bool))
    if kind == "boolean":
        return Bool(falses(n), np.ones(n, bool), falses(n))
    return Text(np.full(n, None, dtype=object), np.ones(n, bool), falses(n))


def _numbers(arr, miss: np.ndarray, from_text: bool = False) -> Num:
    """Floats with their bounds; decimal columns exactly, as scaled integers with their digits."""
    typ = arr.type
    if pa.types.is_decimal(typ) and typ.precision <= 18:
        k = _unscaled(arr)
        if miss.any():
            k = np.where(miss, 0, k)
        v = k / 10.0 ** typ.scale            # k < 2^63, 10^s exact: one correctly rounded division
        e = np.abs(v)
        big = e >= MAX_SAFE / 10.0 ** typ.scale
        e *= 2.0 ** -53
        return Num(v, e, miss, big, (k, typ.scale))
    floats = np.asarray(pc.cast(arr, pa.float64()).to_numpy(zero_copy_only=False), np.float64)
    whole_exact = pa.types.is_integer(typ) or (pa.types.is_floating(typ) and not from_text)
    vec = num_from_floats(np.where(miss, 0.0, floats), miss, whole_exact=whole_exact)
    if from_text and pa.types.is_floating(typ):     # "1e-400" is the double 0: no zero is known exact
        vec.e[(vec.v == 0) & ~miss] = 5e-324
    if pa.types.is_decimal(typ):
        vec.e = vec.e * 4 + np.abs(vec.v) * 2.0 ** -50    # a wide decimal's cast may round twice
    if pa.types.is_integer(typ):
        vec.unsure = vec.unsure | (np.abs(vec.v) >= MAX_SAFE)
        vec.exact = (np.where(vec.unsure, 0, vec.v).astype(np.int64), 0)    # Decimal(int): k·10⁰
    return vec


def _unscaled(arr) -> np.ndarray:
    """The integers k (value k·10⁻ˢ) of a decimal column of at most 18 digits, as int64: a read-only
    view of the Arrow buffer for decimal64 and decimal128 (the low word: |k| < 10¹⁸ < 2⁶³), decimal32's
    widened. Each value takes the type's byte width (decimal64 read as decimal128 took every other
    value, of twice the rows)."""
    width = arr.type.byte_width
    if width == 16:
        return np.frombuffer(arr.buffers()[1], dtype=np.int64)[2 * arr.offset:2 * (arr.offset + len(arr)):2]
    raw = np.frombuffer(arr.buffers()[1], dtype=np.int64 if width == 8 else np.int32)
    return raw[arr.offset:arr.offset + len(arr)].astype(np.int64, copy=False)


_BOUNDS = {"minimum": np.less, "maximum": np.greater, "exclusiveMinimum": np.less_equal,
           "exclusiveMaximum": np.greater_equal}


def _number_limits(vec: Num, shape: Shape) -> np.ndarray:
    """Rows outside the bounds; a value within its float bound of the limit is treated as a problem
    (the per-record path then decides, exactly)."""
    problems = falses(len(vec.v))
    for keyword, test in _BOUNDS.items():
        if keyword in shape.limits:
            limit = float(Decimal(str(shape.limits[keyword])))
            problems |= ~vec.miss & (test(vec.v, limit) | (np.abs(vec.v - limit) <= vec.e + abs(limit) * 2.0 ** -52))
            if keyword in ("minimum", "maximum"):   # equal to an inclusive limit is fine when exact
                problems &= ~((vec.v == limit) & (vec.e == 0))
    return problems


def _text_limits(arr, miss: np.ndarray, shape: Shape) -> np.ndarray:
    """Present rows whose text breaks the enum, a length limit, the pattern or the format, checked by
    pyarrow compute on the distinct words of a dictionary-encoded column, else on the rows (no Python
    object per word); pattern and format by the per-record validators' own functions
    (shapes.text_test) on each distinct word (Arrow's RE2 reads some patterns otherwise)."""
    low, high = shape.limits.get("minLength", 0), shape.limits.get("maxLength")
    tests = [text_test(k, shape.limits[k]) for k in sorted(TEXT_TESTS & set(shape.limits))]
    if shape.enum is None and not low and high is None and not tests:
        return falses(len(arr))
    if pa.types.is_dictionary(arr.type) and len(arr.dictionary) > len(arr):
        arr = arr.dictionary_decode()       # a chunk of a larger column: its rows, not the file's words
    if tests and not pa.types.is_dictionary(arr.type):
        arr = pc.dictionary_encode(arr)
    encoded = pa.types.is_dictionary(arr.type)
    words = arr.dictionary if encoded else arr
    bad = falses(len(words))
    if tests:
        texts = words.to_pylist()
        bad |= np.fromiter((w is not None and not all(ok(w) for ok in tests) for w in texts), bool, len(texts))
    if shape.enum is not None:
        allowed = pa.array([w for w in shape.enum if isinstance(w, str)], words.type)
        bad |= ~np.asarray(pc.fill_null(pc.is_in(words, value_set=allowed), False).to_numpy(zero_copy_only=False), bool)
    if low or high is not None:
        lengths = np.asarray(pc.fill_null(pc.utf8_length(words), low).to_numpy(zero_copy_only=False), np.int64)
        bad |= lengths < low
        if high is not None:
            bad |= lengths > high
    if not bad.any():
        return falses(len(arr))
    if encoded:
        bad = np.append(bad, False)[_indices(arr)]
    return bad & ~miss


def _indices(encoded) -> np.ndarray:
    """The codes of a dictionary-encoded Arrow column as int64, −1 where null."""
    indices = encoded.indices
    if indices.null_count:
        indices = pc.fill_null(indices, -1)
    return np.asarray(indices.to_numpy(zero_copy_only=False), np.int64)
