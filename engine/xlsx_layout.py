"""How a data schema is laid out as an Excel workbook: the one layout the template writes and the reader reads.

Policy staff keep contracts in Excel, so a data schema (e.g. `organization_contract`) gets a
workbook form, derived from the schema alone:

- sheet `contract`: the top-level scalar fields, one `field | value` row each; a nested object's
  fields are spelled with dots (`unit.code`, `head.name`, `budget.total`);
- one sheet per collection (an array of objects), named by its dotted path (`iku`,
  `strategy_map.objectives`, `budget.lines`), with one header row of field names (a nested object's
  fields again with dots: `cascade.source`, `last_year.target`) and one row per item;
- a collection inside an item (an IKU's `periods`) is its own sheet (`iku.periods`) whose first
  column holds the parent's key (`iku.code`): the parent's `code` field, else `key`, `id` or `name`,
  else its first field;
- a list of plain values (an initiative's `iku` codes) is one cell, one value per line.

openpyxl is an optional dependency (`pip install kinerja[excel]`); `openpyxl()` imports it when an
.xlsx file is read or written, with one clear error when it is missing.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from .errors import KinerjaError
from .schemas import SchemaSet, load_schema, resolve_ref

MISSING_OPENPYXL = "install kinerja[excel] to read or write .xlsx"
FIELDS_SHEET = "contract"
KEY_NAMES = ("code", "key", "id", "name")
MAX_SHEET_NAME = 31   # Excel's limit


def openpyxl(module: str = ""):
    """The openpyxl package (or its `module`, e.g. 'comments'), or a KinerjaError saying how to install it."""
    try:
        return importlib.import_module("openpyxl" + (f".{module}" if module else ""))
    except ImportError:
        raise KinerjaError(MISSING_OPENPYXL) from None


@dataclass
class Column:
    """One field of a sheet: its header (dotted path inside the item) and what the schema says of it."""

    path: tuple[str, ...]
    kind: str                          # integer, number, number_or_text, text, date, boolean, list
    description: str | None = None
    enum: list | None = None
    required: bool = False

    @property
    def header(self) -> str:
        return ".".join(self.path)


@dataclass
class Table:
    """A sheet: the fields sheet (`fields_sheet`, one row per column) or a collection (one row per item).

    `path` is where the collection sits inside its parent item (the record for a top-level one);
    `parent_key` is the parent's key column, written as this sheet's first column."""

    sheet: str
    path: tuple[str, ...]
    columns: list[Column] = field(default_factory=list)
    children: list["Table"] = field(default_factory=list)
    parent: "Table | None" = None
    parent_key: Column | None = None
    fields_sheet: bool = False

    @property
    def key(self) -> Column | None:
        """The column that identifies an item to its nested collections' rows."""
        by_name = {c.header: c for c in self.columns}
        return next((by_name[n] for n in KEY_NAMES if n in by_name), self.columns[0] if self.columns else None)

    @property
    def key_header(self) -> str | None:
        return f"{self.parent.sheet}.{self.parent_key.header}" if self.parent_key and self.parent else None

    def tables(self) -> list["Table"]:
        """This table and every table below it, parents first."""
        return [self] + [t for child in self.children for t in child.tables()]


def layout(schema_name: str, schemas: SchemaSet | None = None) -> Table:
    """The workbook layout of data schema `schema_name`: the fields sheet, its collections below it."""
    root_schema = load_schema(schema_name, schemas)
    root = Table(FIELDS_SHEET, (), fields_sheet=True)
    _fill(root, root_schema, root_schema, (), root)
    return root


def _resolved(node: dict, root: dict) -> tuple[dict, dict]:
    """The schema node with its `$ref` followed (its own description kept), and the file it is in."""
    while isinstance(node, dict) and "$ref" in node:
        target, root = resolve_ref(node["$ref"], root)
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node, root


def _fill(table: Table, node: dict, root: dict, prefix: tuple[str, ...], owner: Table) -> None:
    """Add the properties of object `node` (at `prefix` inside the table's item) to `table`; its
    collections become child tables of `owner` (the table whose items hold them)."""
    required = set(node.get("required", ()))
    for name, prop in node.get("properties", {}).items():
        prop, prop_root = _resolved(prop, root)
        path = prefix + (name,)
        is_array = _types(prop) == {"array"}
        items, items_root = _resolved(prop.get("items", {}), prop_root) if is_array else (None, None)
        if items is not None and _types(items) == {"object"}:
            _add_collection(owner, path, items, items_root)
        elif _types(prop) == {"object"}:
            _fill(table, prop, prop_root, path, owner)
        else:
            kind = "list" if items is not None else _kind(prop)
            table.columns.append(Column(path, kind, prop.get("description"), prop.get("enum"),
                                        required=name in required and not prefix))


def _add_collection(owner: Table, path: tuple[str, ...], items: dict, root: dict) -> None:
    """A child table of `owner` for the array of objects at `path` inside `owner`'s items."""
    nested = not owner.fields_sheet
    sheet = ".".join(((owner.sheet,) if nested else ()) + path)[:MAX_SHEET_NAME]
    child = Table(sheet, path, parent=owner if nested else None)
    _fill(child, items, root, (), child)
    if nested:
        child.parent_key = owner.key
    owner.children.append(child)


def _types(node: dict) -> set[str]:
    t = node.get("type")
    if t is None:
        return {"object"} if "properties" in node else set()
    return set(t) if isinstance(t, list) else {t}


def _kind(node: dict) -> str:
    types = _types(node)
    if types == {"integer"}:
        return "integer"
    if types == {"number"} or types == {"integer", "number"}:
        return "number"
    if "number" in types or "integer" in types:
        return "number_or_text"
    if types == {"boolean"}:
        return "boolean"
    if types == {"string"} and node.get("format") == "date":
        return "date"
    return "text"
