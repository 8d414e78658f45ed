"""Contract data records: reading YAML, JSON, JSON Lines or Excel files into validated, normalised records.

A `Record` is one contract (one document, or one line of a .jsonl file) with its source positions.
Normalising makes the data safe for compiled policies: numbers are Decimals, dates ISO text, and a
`null` value is dropped (null means "not known", i.e. missing). Schema validation happens once per
record and schema; a bad record raises `DataError` without affecting others in the batch.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator

from .errors import DataError, ErrorList, KinerjaError, Location
from .inputs import DATA_SUFFIXES, data_format
from .limits import NOT_FINITE
from .schema_codegen import acceptor
from .schemas import SchemaSet, standard, validate
from .source import DataPath, SourceMap, format_path, load_json, load_yaml_kept, read_lines, read_text



@dataclass
class Record:
    """One contract's data with where it came from (file, line, source map) and the schemas it passed."""
    data: Any
    source: str                       # file, or file:line for JSON Lines
    smap: SourceMap | None = None
    line_offset: int = 0              # for JSON Lines: the line this record is on
    validated: set[tuple] = field(default_factory=set)   # (schema name, SchemaSet or None)

    @classmethod
    def from_python(cls, data: Any, source: str = "<data>") -> "Record":
        return cls(normalise(data), source)

    def validate(self, schema: str, schemas: SchemaSet | None = None) -> None:
        """Check the record against data schema `schema` (found in `schemas`, default: the standard
        search path) once; raise DataError if invalid."""
        if (schema, schemas) in self.validated:
            return
        if not isinstance(self.data, dict):
            raise DataError("contract data must be a mapping of fields", self.location(()))
        accept = acceptor(schema, schemas or standard())   # valid and in normal form, in one pass
        if accept is not None and accept(self.data):
            self.validated.add((schema, schemas))
            return
        numbers = [DataError(f"{format_path(path)}: {problem}", self.location(path))
                   for path, problem in number_problems(self.data)]
        if numbers:   # NaN and infinities (Python data: files' readers refuse them)
            raise numbers[0] if len(numbers) == 1 else ErrorList(numbers)
        where = self.source if self.smap is not None else self.location(())   # a JSON Lines line
        errors = validate(schema, self.data, self.smap, where, DataError, schemas)
        if errors:
            raise self._other_kind(schema, schemas) or (errors[0] if len(errors) == 1 else ErrorList(errors))
        self.validated.add((schema, schemas))

    def accepted(self, schema: str, schemas: SchemaSet | None) -> None:
        """Note that the record is known valid for `schema` (checked by the caller) and in normal form."""
        self.validated.add((schema, schemas))

    def _other_kind(self, schema: str, schemas: SchemaSet | None) -> DataError | None:
        """One clear sentence instead of a page of schema errors when the record says it is another
        known kind of data (`kind: employee_performance` judged as `organization_contract`). A `kind`
        that names no data schema is ordinary data, judged by the schema like any other field."""
        kind = self.data.get("kind")
        if not isinstance(kind, str) or kind == schema or kind not in (schemas or standard()).names():
            return None
        return DataError(f"this is '{kind}' data, but the policy judges '{schema}' data "
                         f"(choose a policy for '{kind}', or use --policy auto)", self.location(("kind",)))

    def location(self, path: DataPath) -> Location:
        if self.smap is not None:
            return self.smap.location(path)
        if self.line_offset:
            return Location(self.source.rsplit(":", 1)[0], self.line_offset)
        return Location(self.source)

    def find(self, obj: Any) -> DataPath | None:
        """The data path of an object inside this record (by identity), e.g. ("iku", 3).

        Containers are indexed once per record (a record with many violations used to be walked
        once per violation); other objects are searched for."""
        if not isinstance(obj, (dict, list)):
            return _find(self.data, obj, ())
        index = self.__dict__.get("_paths")
        if index is None:
            index = self.__dict__["_paths"] = {}
            _index(self.data, (), index)
        return index.get(id(obj))


def _index(node, path, index):
    """id → first path (pre-order, like `_find`) of every dict and list in the data."""
    index.setdefault(id(node), path)
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for k, v in items:
        if isinstance(v, (dict, list)):
            _index(v, path + (k,), index)


def _find(node, obj, path):
    if node is obj:
        return path
    if isinstance(node, dict):
        for k, v in node.items():
            if isinstance(v, (dict, list)):
                found = _find(v, obj, path + (k,))
                if found is not None:
                    return found
    elif isinstance(node, list):
        for i, v in enumerate(node):
            if isinstance(v, (dict, list)):
                found = _find(v, obj, path + (i,))
                if found is not None:
                    return found
    return None


def number_problems(x: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """(path, why) of every number that is not finite (NaN, an infinity: a float NaN from a data frame
    becomes Decimal('NaN')). Files' readers refuse them; in Python data they would otherwise be
    computed with silently (a NaN target gave a capaian, and an NKO, as if the IKU had none)."""
    if isinstance(x, dict):
        for k, v in x.items():
            yield from number_problems(v, path + (k,))
    elif isinstance(x, list):
        for i, v in enumerate(x):
            yield from number_problems(v, path + (i,))
    elif type(x) is Decimal and not x.is_finite():
        yield path, f"{x} {NOT_FINITE}"


def normalise(x: Any) -> Any:
    """Decimals for numbers (floats via their shortest text), ISO text for dates, nulls dropped.
    Number keys become Decimals too, as in YAML (`{1: "a"}`), so a number finds them."""
    if isinstance(x, dict):
        return {_key(k): normalise(v) for k, v in x.items() if v is not None}
    if isinstance(x, (list, tuple)):
        return [normalise(v) for v in x]
    if isinstance(x, bool) or isinstance(x, (str, Decimal)):
        return x
    if isinstance(x, int):
        return Decimal(x)
    if isinstance(x, float):
        return Decimal(repr(x))
    if isinstance(x, (_dt.date, _dt.datetime)):
        return x.isoformat()
    return x


def _key(k: Any):
    if isinstance(k, (Decimal, int, float)) and not isinstance(k, bool):
        return normalise(k)
    return str(k)


def record_from_line(line: str, name: str, n: int) -> Record | DataError:
    """One JSON Lines line (line `n` of file `name`) as a Record, or its error at that line."""
    try:
        data = load_json(line, name, DataError)
    except DataError as e:
        col = e.location.column if e.location else None
        return DataError(e.message, Location(name, n, col, line))
    return Record(data, f"{name}:{n}", None, n)  # JSON gives Decimals and drops nulls already


def read_records(path: str | Path) -> Iterator[Record | DataError]:
    """The records of one file; a bad record is yielded as its DataError, and reading goes on."""
    name, form = str(path), data_format(path)
    if form == "jsonl":  # streamed line by line: memory does not grow with the file
        for n, line in read_lines(path, DataError):
            if isinstance(line, DataError):
                yield line
                continue
            if line.strip():
                yield record_from_line(line, name, n)
        return
    if form == "parquet":  # engine/vector/parquet.py: one record per row, located as file:ROW
        from .vector.parquet import parquet_rows
        for item in parquet_rows(path):
            yield item if isinstance(item, DataError) else Record(normalise(item[1]), f"{name}:{item[0]}", None, item[0])
        return
    if form == "xlsx":  # engine/xlsx_source.py: cells located as file:sheet!cell
        from .xlsx_source import read_workbook  # imported for Excel input only
        try:
            data, cells = read_workbook(name)
            yield Record(data, name, cells)
        except KinerjaError as e:
            yield e if isinstance(e, DataError) else DataError(str(e), Location(name))
        return
    try:
        text = read_text(path, DataError)
    except DataError as e:
        yield e
        return
    try:
        if form == "json":
            data, smap = load_json(text, name, DataError), SourceMap(name, text.splitlines())
        else:
            data, smap = load_yaml_kept(text, name, DataError, then=normalise)   # parsed once per content
    except DataError as e:
        yield e
        return
    yield Record(data, name, smap)


def describe_path(path: DataPath | None) -> str | None:
    return None if path is None else format_path(path)
