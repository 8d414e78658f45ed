"""Records as tables: one table for the records, one for each list of objects inside them.

A `Table` holds, per row, the fields of one object (dotted names for nested objects, `unit.eselon`)
as Python lists in schema order; a child table (`iku`, `iku.periods`) knows, for each row of its
parent, where that row's items start, how many there are and whether the list was absent.
`from_dicts` fills the tables from plain records and checks them against the schema's `Shape` on the
way, column by column (see shapes.py); a record that fails any check is marked bad, and the
per-record path later validates it and reports its error.
"""
from __future__ import annotations

import weakref
from decimal import Decimal
from functools import partial
from itertools import chain, repeat
from operator import is_, is_not

import numpy as np

from .shapes import Shape

_TYPES = {"string": (str,), "number": (Decimal, int, float), "integer": (Decimal, int, float),
          "number|string": (Decimal, int, float, str),
          "boolean": (bool,)}


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


def _fill(table: Table, objs: list, shape: Shape, bad: np.ndarray, prefix: str, root: Table) -> None:
    """The columns of `objs` (rows of `table`, or a nested object of them under `prefix`)."""
    present_counts = np.zeros(len(objs), dtype=np.int64)
    *cols, sizes = _extract(objs, tuple(shape.props))
    for (name, sub), col in zip(shape.props.items(), cols):
        types = set(map(type, col))
        miss = nones(col) if type(None) in types else np.zeros(len(col), bool)
        table.missing[prefix + name], table.types[prefix + name] = miss, types
        present = ~miss
        present_counts += present
        if name in shape.required:
            mark(bad, table.record, ~present)
        if sub.kind == "object":
            wrong = present & _not_of(col, dict, types)
            mark(bad, table.record, wrong)
            table.columns[prefix + name] = ("object", col)
            _fill(table, [x if type(x) is dict else {} for x in col], sub, bad, prefix + name + ".", root)
        elif sub.kind == "array":
            table.columns[prefix + name] = ("array", col)
            _child(table, prefix + name, col, present, sub, bad, root, types)
        elif root.checking:
            table.columns[prefix + name] = (sub.kind, col)
            mark(bad, table.record, _scalar_problems(col, sub, root, types - {type(None)}))
        else:
            table.columns[prefix + name] = (sub.kind, col)
    irregular = np.flatnonzero(np.array(sizes, np.int64) != present_counts)
    if len(irregular):
        root.plain = False           # null values or fields the schema does not name: normalise first
    if shape.closed:
        for row in irregular:
            if any(v is not None and k not in shape.props for k, v in objs[row].items()):
                bad[table.record[row]] = True


_EXTRACTORS: dict[tuple, object] = {}


def _extract(objs: list, names: tuple[str, ...]) -> tuple[list, ...]:
    """Each field of every object as a list (None where absent), and each object's size, in one pass
    that visits each object once: a loop generated for these field names. (A `map(dict.get)` per field
    visits every object once per field, each time from memory: measured twice as slow on the peer
    bench's IKU.)"""
    extract = _EXTRACTORS.get(names)
    if extract is None:
        lines = ["def extract(objs):"]
        lines += [f"    c{i} = []; a{i} = c{i}.append" for i in range(len(names))]
        lines += ["    sizes = []; size = sizes.append", "    for o in objs:", "        g = o.get", "        size(len(o))"]
        lines += [f"        a{i}(g({name!r}))" for i, name in enumerate(names)]
        lines.append("    return (" + "".join(f"c{i}, " for i in range(len(names))) + "sizes)")
        namespace: dict = {}
        exec("\n".join(lines), namespace)
        extract = _EXTRACTORS[names] = namespace["extract"]
    return extract(objs)


def _child(table: Table, name: str, col: list, present: np.ndarray, shape: Shape, bad: np.ndarray,
           root: Table, types: set) -> None:
    """The table of the list field `name` (a list of objects, or of scalars in column "")."""
    lists = col if types == {list} else [x if type(x) is list else [] for x in col]
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
    mark(bad, child.record, nones(items))   # a null item
    if shape.items.kind == "object":
        mark(bad, child.record, _not_of(items, dict))
        _fill(child, [x if type(x) is dict else {} for x in items], shape.items, bad, "", root)
    elif shape.items.kind == "array":
        mark(bad, child.record, np.ones(len(items), bool))      # lists of lists: checked per record
    else:
        child.columns[""] = (shape.items.kind, items)
        mark(bad, child.record, _scalar_problems(items, shape.items, root, set(map(type, items)) - {type(None)}))


def nones(values: list) -> np.ndarray:
    """Where a list holds None (an identity scan first: `None in` would call each value's __eq__)."""
    if not any(map(is_, repeat(None), values)):   # by identity: `None in` would call __eq__
        return np.zeros(len(values), bool)
    return np.fromiter(map(is_, values, repeat(None)), bool, len(values))


def _not_of(values: list, kind: type, types: set | None = None) -> np.ndarray:
    """Where a value is not of type `kind` (None included); C-speed when all are (`types`: the set of
    their types, when known)."""
    if (set(map(type, values)) if types is None else types) <= {kind}:
        return np.zeros(len(values), bool)
    return np.fromiter((type(x) is not kind for x in values), bool, len(values))


def mark(bad: np.ndarray, record: np.ndarray, rows: np.ndarray) -> None:
    if rows.any():
        bad[record[rows]] = True


def _scalar_problems(col: list, shape: Shape, root: Table, types: set) -> np.ndarray:
    """Rows whose present value breaks the scalar schema (type, enum, length, bounds); `types`: the
    types of the present values."""
    allowed = _TYPES[shape.kind]
    if shape.kind in ("number", "integer", "number|string") and types - {Decimal, str}:
        root.plain = False           # ints or floats: the per-record path sees them as Decimals
    problems = np.zeros(len(col), bool)
    if not types <= set(allowed):
        problems |= np.fromiter((x is not None and type(x) not in allowed for x in col), bool, len(col))
    if shape.kind == "integer":
        problems |= np.fromiter((x is not None and not _whole(x) for x in col), bool, len(col))
    if shape.enum is not None and not set(col) - {None} <= set(shape.enum):
        problems |= np.fromiter((x is not None and x not in shape.enum for x in col), bool, len(col))
    for keyword, value in shape.limits.items():
        test = _LIMITS.get(keyword)
        if test is None or (not problems.any() and _all_within(col, keyword, value)):
            continue
        problems |= np.fromiter((x is not None and type(x) in allowed and not problems[i] and test(x, value)
                                 for i, x in enumerate(col)), bool, len(col))
    return problems


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
    return not _LIMITS[keyword](min(present) if "inimum" in keyword else max(present), value)


def _whole(x) -> bool:
    if type(x) is int:
        return True
    if type(x) is float:
        return x.is_integer()
    return type(x) is Decimal and x.is_finite() and x == x.to_integral_value()


_present = partial(is_not, None)

_LIMITS = {
    "minLength": lambda x, n: len(x) < n,
    "maxLength": lambda x, n: len(x) > n,
    "minimum": lambda x, m: not x >= Decimal(str(m)),
    "maximum": lambda x, m: not x <= Decimal(str(m)),
    "exclusiveMinimum": lambda x, m: not x > Decimal(str(m)),
    "exclusiveMaximum": lambda x, m: not x < Decimal(str(m)),
}
