"""Records as tables: one table for the records, one for each list of objects inside them.

A `Table` holds, per row, the fields of one object (dotted names for nested objects, `unit.eselon`)
as Python lists in schema order; a child table (`iku`, `iku.periods`) knows, for each row of its
parent, where that row's items start, how many there are and whether the list was absent.
`from_dicts` fills the tables from plain records and checks them against the schema's `Shape` on the
way, column by column (see shapes.py); a record that fails any check is marked bad, and the
per-record path later validates it and reports its error.
"""
from __future__ import annotations

import math
import weakref
from decimal import Decimal
from functools import partial
from itertools import chain, compress, repeat
from operator import is_, is_not

import numpy as np

from .shapes import TEXT_TESTS, Shape, text_test
from .vectors import codes_in, encode, encoded_from

_TYPES = {"string": (str,), "number": (Decimal, int, float), "integer": (Decimal, int, float),
          "number|string": (Decimal, int, float, str),
          "boolean": (bool,)}


class LazyList:
    """Values a table holds in another form (an Arrow array, a column), seen as a Python list made
    only when a step reads the values themselves (`_make`); its length without making it."""

    _list: list | None = None

    def _make(self) -> list:
        raise NotImplementedError

    def _values(self) -> list:
        if self._list is None:
            self._list = self._make()
        return self._list

    def __getitem__(self, i):
        return self._values()[i]

    def __iter__(self):
        return iter(self._values())

    def __contains__(self, x):
        return x in self._values()


class Table:
    def __init__(self, path: tuple[str, ...], objs: list, record: np.ndarray, parent: "Table | None" = None):
        self.path = path
        self.objs = objs                    # the objects themselves (dicts), in data order
        self.size = len(objs)
        self.record = record                # the batch record of each row
        self._parent = None if parent is None else weakref.ref(parent)   # not a cycle: freed when unused
        self.columns: dict[str, tuple[str, list]] = {}   # field -> (schema kind, values; None = absent)
        self.missing: dict[str, np.ndarray] = {}          # field -> where it is absent (when known)
        self.types: dict[str, set] = {}                   # field -> the types of its values (when known)
        self.floats: dict[str, np.ndarray] = {}           # number field -> its floats, when read (_scan)
        self.encoded: dict[str, tuple] = {}               # text field -> (words, codes), when made (encoded)
        self.children: dict[str, "Table"] = {}
        self.start = self.count = self.absent = self.owner = None   # per parent row / per row
        self.numbers = parent.numbers if parent is not None else "float"    # how number columns are read

    @property
    def parent(self) -> "Table | None":
        """The table of the rows this table's rows are items of (None for the records)."""
        return None if self._parent is None else self._parent()

    def __repr__(self):
        return f"<Table {'.'.join(self.path) or 'records'}: {self.size} rows>"


def from_dicts(records: list, shape: Shape, schema_name: str, numbers: str = "float",
               checked: bool = False) -> tuple[Table, np.ndarray]:
    """The tables of `records` and a mask of the records that failed a column check. Number columns
    are read (frames.column) as floats with their bounds (`numbers` "float"), also as exact scaled
    integers ("scaled", the second pass: frames.with_exact), or as the Decimals themselves
    ("decimal", the last pass, decimals.py). Records `checked` already (a later
    pass over records the first found valid) are not checked again."""
    n = len(records)
    bad = np.fromiter((type(r) is not dict for r in records), bool, n)
    objs = [r if type(r) is dict else {} for r in records]
    kinds = list(map(dict.get, objs, repeat("kind")))
    bad |= np.fromiter((k is not None and k != schema_name for k in kinds), bool, n)
    root = Table((), objs, np.arange(n))
    root.plain, root.numbers, root.checking = True, numbers, not checked
    _fill(root, objs, shape, bad, "", root)
    return root, bad


def _fill(table: Table, objs: list, shape: Shape, bad: np.ndarray, prefix: str, root: Table,
          within: np.ndarray | None = None) -> None:
    """The columns of `objs` (rows of `table`, or a nested object of them under `prefix`, present in
    the rows `within`: an optional object absent is no missing required field of it)."""
    present_counts = np.zeros(len(objs), dtype=np.int64)
    cols, sizes = _scan(table, objs, shape, prefix, root)
    for (name, sub), col in zip(shape.props.items(), cols):
        field = prefix + name
        types, miss = table.types[field], table.missing[field]
        present = ~miss
        present_counts += present
        if name in shape.required:
            mark(bad, table.record, miss if within is None else miss & within)
        if sub.kind == "object":
            mark(bad, table.record, present & _not_of(col, dict, types))
            table.columns[field] = ("object", col)
            _fill(table, _only(col, dict, types), sub, bad, field + ".", root,
                  present if within is None else present & within)
        elif sub.kind == "array":
            table.columns[field] = ("array", col)
            _child(table, field, col, present, sub, bad, root, types)
        else:
            table.columns[field] = (sub.kind, col)
            if root.checking:
                mark(bad, table.record, _scalar_problems(col, sub, root, types - {_NONE}, table, field))
    irregular = np.flatnonzero(sizes != present_counts)
    if len(irregular):
        root.plain = False           # null values or fields the schema does not name: normalise first
    if shape.closed:
        for row in irregular:
            if any(v is not None and k not in shape.props for k, v in objs[row].items()):
                bad[table.record[row]] = True


def _only(values: list, kind: type, types: set) -> list:
    """`values` with every value not of type `kind` made an empty one (the values themselves when
    `types`, the set of their types, says all are)."""
    return values if types == {kind} else [x if type(x) is kind else kind() for x in values]


BLOCK = 4096        # objects read at a time (_scan)


def _scan(table: Table, objs: list, shape: Shape, prefix: str, root: Table) -> tuple[list, np.ndarray]:
    """Every field of `objs` as a list (None where absent), and each object's size, read a block of
    objects at a time; in each block, while its values are in cache, what each field's values are
    (_Field.read). Passes over whole columns would read every value from memory again each time:
    measured on the peer bench's IKU (9 fields), 14.7 µs a contract in blocks, 17.5 in columns."""
    n, names = len(objs), tuple(shape.props)
    cols = [[None] * n for _ in names]
    sizes = np.empty(n, np.int64)
    fast, generic = _extractors(names, shape.required)
    fields = [_Field(prefix + name, sub, n, root) for name, sub in shape.props.items()]
    for a in range(0, n, BLOCK):
        b = min(a + BLOCK, n)
        try:
            fast(objs, a, b, cols)
        except KeyError:                # an object lacks a required field
            generic(objs, a, b, cols)
        sizes[a:b] = np.fromiter(map(len, objs[a:b]), np.int64, b - a)
        for f, col in zip(fields, cols):
            f.read(col[a:b], a)
    for f in fields:
        f.store(table)
    return cols, sizes


class _Field:
    """One field of a table as its blocks are read (_scan): the types of its values, where they are
    null, and, when every value allows, a number field's floats (numbers read as floats: frames.column
    takes them) and the codes of a text field with an enum (its check needs the distinct words)."""

    def __init__(self, name: str, shape: Shape, n: int, root: Table):
        self.name, self.n, self.types, self.nulls = name, n, set(), []
        number = shape.kind in ("number", "integer") and root.numbers != "decimal"
        self.floats = np.empty(n) if number else None
        self.index = {None: 0} if shape.kind == "string" and shape.enum is not None and root.checking else None
        self.codes = np.empty(n, np.int64) if self.index is not None else None

    def read(self, part: list, a: int) -> None:
        types = set(map(type, part))
        self.types |= types
        miss = nones(part, some=True) if _NONE in types else None
        if miss is not None:
            self.nulls.append((a, miss))
        if self.floats is not None:
            try:
                if not types <= {Decimal, _NONE}:
                    raise TypeError("not Decimals")
                self.floats[a:a + len(part)] = floats_of(part, miss)
            except (TypeError, ValueError):     # other numbers, other values, a signalling NaN: later
                self.floats = None
        if self.index is not None:
            if types <= {str, _NONE}:
                self.codes[a:a + len(part)] = codes_in(self.index, part)
            else:
                self.index = self.codes = None

    def store(self, table: Table) -> None:
        miss = np.zeros(self.n, bool)
        for a, m in self.nulls:
            miss[a:a + len(m)] = m
        table.missing[self.name], table.types[self.name] = miss, self.types
        if self.floats is not None:
            table.floats[self.name] = self.floats
        if self.index is not None:
            table.encoded[self.name] = encoded_from(self.index, self.codes)


_EXTRACTORS: dict[tuple, tuple] = {}


def _extractors(names: tuple[str, ...], required: frozenset) -> tuple:
    """Two loops generated for these field names that copy the fields of objects a..b into the
    lists `cols` (None where absent): one reading the `required` fields by subscript (it raises
    KeyError when an object lacks one), one reading every field by `.get`. Measured on the peer
    bench's IKU: 3.7 µs a contract, against 5.8 for a loop of `.get`s and appends and twice that for a
    `map(dict.get)` per field (each field read from memory again)."""
    key = (names, required)
    if key not in _EXTRACTORS:
        _EXTRACTORS[key] = _extractor(names, required), _extractor(names, frozenset())
    return _EXTRACTORS[key]


def _extractor(names: tuple[str, ...], required: frozenset):
    lines = ["def extract(objs, a, b, cols):"]
    if names:
        lines += ["    " + "".join(f"c{i}, " for i in range(len(names))) + "= cols",
                  "    for j in range(a, b):", "        o = objs[j]"]
        lines += [f"        c{i}[j] = o[{k!r}]" if k in required else f"        c{i}[j] = o.get({k!r})"
                  for i, k in enumerate(names)]
    else:
        lines.append("    pass")
    namespace: dict = {}
    exec("\n".join(lines), namespace)
    return namespace["extract"]


def _child(table: Table, name: str, col: list, present: np.ndarray, shape: Shape, bad: np.ndarray,
           root: Table, types: set) -> None:
    """The table of the list field `name` (a list of objects, or of scalars in column "")."""
    lists = _only(col, list, types)
    mark(bad, table.record, present & _not_of(col, list, types))
    count = np.fromiter(map(len, lists), np.int64, len(lists))
    limits = shape.limits
    if "minItems" in limits:
        mark(bad, table.record, present & (count < limits["minItems"]))
    if "maxItems" in limits:
        mark(bad, table.record, present & (count > limits["maxItems"]))
    items = list(chain.from_iterable(lists))
    owner = np.repeat(np.arange(table.size), count)
    child = Table(table.path + (name,), items, table.record[owner], table)
    child.owner, child.count, child.absent = owner, count, ~present
    child.start = np.concatenate(([0], np.cumsum(count)[:-1])) if len(count) else count
    table.children[name] = child
    item_types = set(map(type, items))
    if _NONE in item_types:
        mark(bad, child.record, nones(items, some=True))   # a null item
    if shape.items.kind == "object":
        mark(bad, child.record, _not_of(items, dict, item_types))
        _fill(child, _only(items, dict, item_types), shape.items, bad, "", root)
    elif shape.items.kind == "array":
        mark(bad, child.record, np.ones(len(items), bool))      # lists of lists: checked per record
    else:
        child.columns[""] = (shape.items.kind, items)
        mark(bad, child.record, _scalar_problems(items, shape.items, root, item_types - {_NONE}, child, ""))


def encoded(table: Table, field: str, values: list) -> tuple[list, np.ndarray]:
    """The text column `field` of `table` (`values`: str or None) dictionary-encoded, made once."""
    if field not in table.encoded:
        table.encoded[field] = encode(values)
    return table.encoded[field]


def floats_of(values: list, miss: np.ndarray | None) -> np.ndarray:
    """The numbers of a list as floats (0 where missing), converting only the present ones."""
    if miss is None or not miss.any():
        return np.fromiter(map(float, values), np.float64, len(values))
    floats = np.zeros(len(values))
    present = ~miss
    floats[present] = np.fromiter(map(float, compress(values, present.tolist())), np.float64, int(present.sum()))
    return floats


def nones(values: list, some: bool = False) -> np.ndarray:
    """Where a list holds None (an identity scan first, unless `some` are known to be: `None in`
    would call each value's __eq__)."""
    if not some and not any(map(is_, repeat(None), values)):
        return np.zeros(len(values), bool)
    return np.frombuffer(bytes(map(is_, values, repeat(None))), bool).copy()


def _not_of(values: list, kind: type, types: set | None = None) -> np.ndarray:
    """Where a value is not of type `kind` (None included); C-speed when all are (`types`: the set of
    their types, when known)."""
    if (set(map(type, values)) if types is None else types) <= {kind}:
        return np.zeros(len(values), bool)
    return np.fromiter((type(x) is not kind for x in values), bool, len(values))


def mark(bad: np.ndarray, record: np.ndarray, rows: np.ndarray) -> None:
    if rows.any():
        bad[record[rows]] = True


def _scalar_problems(col: list, shape: Shape, root: Table, types: set, table: Table, field: str) -> np.ndarray:
    """Rows whose present value breaks the scalar schema (type, enum, length, bounds); `types`: the
    types of the present values. A text column with an enum is dictionary-encoded on the way
    (`table.encoded`, read by frames.column): its distinct words are what the enum check needs."""
    allowed = _TYPES[shape.kind]
    if shape.kind in ("number", "integer", "number|string") and types - {Decimal, str}:
        root.plain = False           # ints or floats: the per-record path sees them as Decimals
    problems = np.zeros(len(col), bool)
    if shape.kind in ("number", "integer", "number|string"):
        problems |= _not_finite(col, table.floats.get(field), types)
    if not types <= set(allowed):
        problems |= np.fromiter((x is not None and type(x) not in allowed for x in col), bool, len(col))
    if shape.kind == "integer":
        problems |= np.fromiter((x is not None and not _whole(x) for x in col), bool, len(col))
    if shape.enum is not None and not (types <= {str} and set(encoded(table, field, col)[0]) <= set(shape.enum)):
        problems |= np.fromiter((x is not None and x not in shape.enum for x in col), bool, len(col))
    for keyword, value in shape.limits.items():
        if keyword in TEXT_TESTS:
            value = text_test(keyword, value)
        test = _LIMITS.get(keyword)
        if test is None or (not problems.any() and _all_within(col, keyword, value)):
            continue
        problems |= np.fromiter((x is not None and type(x) in allowed and not problems[i] and test(x, value)
                                 for i, x in enumerate(col)), bool, len(col))
    return problems


def _not_finite(col: list, floats: np.ndarray | None, types: set) -> np.ndarray:
    """Numbers that are not finite (NaN, an infinity; a Decimal beyond the floats' range too, whose
    float is infinite): left to the per-record path, which says what they are. From the floats
    when made (0 where missing), else a scan of the Decimals and floats."""
    if floats is not None:
        return ~np.isfinite(floats)
    if not types & {Decimal, float}:
        return np.zeros(len(col), bool)
    return np.fromiter((type(x) in (Decimal, float) and not _finite(x) for x in col), bool, len(col))


def _finite(x) -> bool:
    return math.isfinite(x) if type(x) is float else x.is_finite() and math.isfinite(float(x))


def _all_within(col: list, keyword: str, value) -> bool:
    """The quick test of one limit over a column of well-typed values (C loops only)."""
    if keyword == "minLength" and value == 1:     # no empty text (a C-speed equality scan)
        return "" not in col
    present = list(filter(_present, col))
    if not present:
        return True
    if keyword in ("minLength", "maxLength"):
        lengths = list(map(len, present))
        return min(lengths) >= value if keyword == "minLength" else max(lengths) <= value
    if keyword in TEXT_TESTS:      # each distinct text once (`value`: shapes.text_test)
        return all(type(x) is not str or value(x) for x in set(present))
    return not _LIMITS[keyword](min(present) if "inimum" in keyword else max(present), value)


def _whole(x) -> bool:
    if type(x) is int:
        return True
    if type(x) is float:
        return x.is_integer()
    return type(x) is Decimal and x.is_finite() and x == x.to_integral_value()


_present = partial(is_not, None)
_NONE = type(None)

_LIMITS = {
    "minLength": lambda x, n: len(x) < n,
    "maxLength": lambda x, n: len(x) > n,
    "pattern": lambda x, ok: type(x) is str and not ok(x),     # JSON Schema: on text only
    "format": lambda x, ok: type(x) is str and not ok(x),
    "minimum": lambda x, m: not x >= Decimal(str(m)),
    "maximum": lambda x, m: not x <= Decimal(str(m)),
    "exclusiveMinimum": lambda x, m: not x > Decimal(str(m)),
    "exclusiveMaximum": lambda x, m: not x < Decimal(str(m)),
}
