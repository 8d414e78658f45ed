"""JSON Schema validation for policy files and contract data, with errors pointing into the file.

Schemas are found on the search path (engine/search_path.py): the `schemas/` folder of each
`--policy-path` and KINERJA_PATH folder, then the bundled schemas. A `SchemaSet` is the schemas of one
such list of folders, with its own caches (one per search path, so two registries never share a
schema by name); the module-level functions use the standard set (KINERJA_PATH, then bundled). Validation uses jsonschema (Draft 2020-12) with two
adjustments for exact numbers: a Decimal counts as a JSON number, and as an integer when it has no
fraction. Each violation becomes a `SourceError` at the offending node's line and column.

A schema may use another schema file's definitions: `"$ref": "organization_contract.schema.json#/$defs/iku"`
is resolved against the referring schema's `$id` (https://kinerja.local/schemas/<file>) among the files
of the same set only (a user's schema may use a bundled schema's definitions); nothing is ever fetched
from the network.

Most data is valid, and jsonschema's interpreter is slow on large contracts (milliseconds each), so
a record is first checked by the same schema compiled to Python with fastjsonschema; only a record
it rejects is walked by jsonschema, which finds every error with its exact place. The two must agree
(tests/test_schema_agreement.py): the fast schema is rewritten where fastjsonschema reads JSON Schema
differently, formats are checked by jsonschema's own functions, and `pattern` gets JSON Schema's `$`.

jsonschema and referencing are imported when first needed: a valid record whose fast validator is in
the cache (engine/cache.py: its compiled code, keyed by the text of the schema files it covers) needs neither.
"""
from __future__ import annotations

import json
import marshal
import os
import re
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from urllib.parse import urldefrag, urljoin

from . import cache
from .errors import KinerjaError, Location, SourceError
from .fast_schema import fast_function, format_check, format_checker
from .schema_errors import located
from .search_path import ENV, SCHEMA_SUFFIX, SearchPath, schema_files
from .source import SourceMap


def _is_integer(checker, instance) -> bool:
    if isinstance(instance, bool):
        return False
    if isinstance(instance, Decimal):
        return instance.is_finite() and instance == instance.to_integral_value()
    return isinstance(instance, int)


def _is_number(checker, instance) -> bool:
    return not isinstance(instance, bool) and isinstance(instance, (int, float, Decimal))


_DOLLAR = re.compile(r"(?<!\\)\$")


@lru_cache(maxsize=None)
def _ecma_regex(pattern: str) -> re.Pattern:
    """`pattern` with JSON Schema's (ECMA 262) meaning of `$`: the end of the text. Python's `$` also
    matches before a final line break, so 'Q1\\n' would pass '^Q[1-4]$'. fastjsonschema makes the same
    replacement, so both checks agree."""
    return re.compile(_DOLLAR.sub(r"\\Z", pattern))


def _pattern(validator, pattern, instance, schema):
    import jsonschema
    if validator.is_type(instance, "string") and not _ecma_regex(pattern).search(instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


@lru_cache(maxsize=1)
def _validator_class():
    """Draft 2020-12 with exact numbers (Decimal) and ECMA `pattern`s (jsonschema, imported here)."""
    import jsonschema
    from jsonschema import Draft202012Validator
    types = Draft202012Validator.TYPE_CHECKER.redefine_many({"integer": _is_integer, "number": _is_number})
    return jsonschema.validators.extend(Draft202012Validator, validators={"pattern": _pattern}, type_checker=types)


SCHEMA_BASE = "https://kinerja.local/schemas/"   # every schema's $id is this + its file name


class SchemaSet:
    """The data schemas in some folders (one search path's `schemas/` folders, in order), by name,
    with their validators. A name in two folders is an error naming both (engine/search_path.py)."""

    def __init__(self, dirs: tuple[Path, ...]):
        self.dirs = dirs
        self._schemas: dict[str, dict] = {}
        self._validators: dict[str, object] = {}
        self._fast: dict[str, object] = {}
        self._fast_remote: dict[str, dict] = {}
        self.acceptors: dict[str, object] = {}   # engine/schema_codegen.py's, by schema name
        self._registry: Registry | None = None

    def __repr__(self):
        return f"<SchemaSet {':'.join(map(str, self.dirs))}>"

    def file(self, name: str) -> Path | None:
        """`<name>.schema.json` on this set's folders, or None."""
        return schema_files(d for d in self.dirs if (d / f"{name}{SCHEMA_SUFFIX}").is_file()).get(name)

    def files(self) -> dict[str, Path]:
        """Every schema file of this set, by name."""
        return self._all()

    def names(self) -> list[str]:
        return sorted(self._all())

    def _all(self) -> dict[str, Path]:
        return schema_files(self.dirs)

    def load(self, name: str) -> dict:
        """Read `<name>.schema.json` (once)."""
        if name in self._schemas:
            return self._schemas[name]
        path = self.file(name)
        if path is None:
            known = ", ".join(n for n in self.names() if n != "policy")
            raise KinerjaError(f"unknown data schema '{name}' (known: {known})")
        schema = json.loads(path.read_text(encoding="utf-8"))
        if schema.get("$id") != SCHEMA_BASE + path.name:
            raise KinerjaError(f"{path}: '$id' must be '{SCHEMA_BASE + path.name}', so that other schemas "
                               f"can refer to it as '{path.name}#/$defs/…'")
        self._schemas[name] = schema
        _OWNER[id(schema)] = self
        return schema

    def at(self, uri: str) -> dict:
        """The schema whose `$id` is `uri`: one of this set's files, never anything from the network."""
        if uri.startswith(SCHEMA_BASE) and uri.endswith(SCHEMA_SUFFIX) and "/" not in uri[len(SCHEMA_BASE):]:
            name = uri[len(SCHEMA_BASE):-len(SCHEMA_SUFFIX)]
            if self.file(name) is not None:
                return self.load(name)
        from referencing.exceptions import NoSuchResource
        raise NoSuchResource(ref=uri)

    def registry(self):
        """All the set's schemas by their `$id`, so that one schema can use another's definitions
        (`"$ref": "organization_contract.schema.json#/$defs/iku"`, relative to its own `$id`). A reference
        to anything else is an error: nothing is ever fetched."""
        if self._registry is None:
            from referencing import Registry, Resource
            from referencing.jsonschema import DRAFT202012
            resources = [(SCHEMA_BASE + p.name, Resource.from_contents(self.load(name),
                                                                      default_specification=DRAFT202012))
                         for name, p in sorted(self._all().items())]
            self._registry = Registry().with_resources(resources)
        return self._registry

    def resolve_ref(self, ref: str, root: dict) -> tuple[dict, dict]:
        """The schema node `ref` points at, seen from schema `root`, and the schema file that holds it
        (the root for the node's own `#/…` references). Raises KinerjaError if it cannot be resolved."""
        import referencing.exceptions
        from referencing.jsonschema import DRAFT202012
        uri, fragment = urldefrag(urljoin(root.get("$id", ""), ref))
        try:
            doc = root if uri in ("", root.get("$id")) else self.registry().contents(uri)
            node = DRAFT202012.create_resource(doc).pointer(fragment, self.registry().resolver()).contents \
                if fragment else doc
        except (referencing.exceptions.Unresolvable, KeyError, LookupError) as e:  # NoSuchResource: a KeyError
            raise KinerjaError(f"schema reference '{ref}' cannot be resolved ({type(e).__name__})") from None
        return node, doc

    def validator(self, name: str):
        """jsonschema's validator for schema `name`. Every `$ref` in it, and in the schema files it
        refers to, is resolved first: a broken one is a KinerjaError here, not a crash mid-check."""
        if name not in self._validators:
            root = self.load(name)
            for doc in [root, *(self.at(uri) for uri in sorted(self._referenced_files(root)))]:
                for ref in _refs(doc):
                    self.resolve_ref(ref, doc)
            self._validators[name] = _validator_class()(root, registry=self.registry(),
                                                        format_checker=format_checker())
        return self._validators[name]

    def fast_validator(self, name: str):
        """The schema compiled to Python by fastjsonschema, or None if it cannot be (then only
        jsonschema is used). Defaults are never filled in: the data stays as written. References to
        another schema file resolve to this set's files, like jsonschema's registry; nothing is fetched."""
        if name not in self._fast:
            self._fast[name] = self._compile_fast(name)
        return self._fast[name]

    def _compile_fast(self, name: str):
        """The fast validator, from the cache when the schema files it covers are unchanged: its code is
        kept compiled (generating and compiling it costs tens of milliseconds), keyed by their text."""
        try:
            import fastjsonschema  # its generated code imports it anyway
            root = self.load(name)
            files = [root, *(self.at(uri) for uri in sorted(self._referenced_files(root)))]
            texts = (json.dumps(doc, sort_keys=True, default=str) for doc in files)
            key = cache.digest(name, fastjsonschema.VERSION, *texts)
            kept = cache.read("schema", key)
            if kept is not None:
                try:
                    return fast_function(*marshal.loads(kept))
                except Exception:  # noqa: BLE001 - a damaged entry: generate it again
                    pass
            entry = self._fast_code(name)
            cache.write("schema", key, marshal.dumps(entry))
            return fast_function(*entry)
        except Exception:  # noqa: BLE001 - any failure just means "no fast path"
            return None

    def _fast_code(self, name: str) -> tuple[str, object, tuple[str, ...]]:
        """fastjsonschema's validator for `name`: its function's name, compiled code and formats."""
        import fastjsonschema
        from fastjsonschema.ref_resolver import RefResolver
        self.validator(name)  # its references all resolve
        formats: set = set()
        schema = _for_fastjsonschema(self.load(name), formats)
        for uri in self._referenced_files(self.load(name)):
            _for_fastjsonschema(self.at(uri), formats)
        handlers = _OwnSchemasOnly(self._remote)
        checks = {f: format_check(f) for f in formats}
        source = fastjsonschema.compile_to_code(schema, handlers=handlers, formats=checks, use_default=False)
        function = RefResolver.from_schema(schema, handlers=handlers, store={}).get_scope_name()
        return function, compile(source, f"<fast validator {name}>", "exec"), tuple(sorted(formats))

    def _remote(self, uri: str) -> dict:
        uri = urldefrag(uri)[0]
        if uri not in self._fast_remote:
            self._fast_remote[uri] = _for_fastjsonschema(self.at(uri))
        return self._fast_remote[uri]

    def _referenced_files(self, root: dict, seen: set | None = None) -> set:
        """The `$id`s of the other schema files `root` refers to, directly or through them."""
        seen = set() if seen is None else seen
        for ref in _refs(root):
            uri = urldefrag(urljoin(root.get("$id", ""), ref))[0]
            if uri and uri != root.get("$id") and uri not in seen:
                seen.add(uri)
                try:
                    self._referenced_files(self.at(uri), seen)
                except LookupError:  # referencing's NoSuchResource, from `at`
                    raise KinerjaError(f"schema reference '{ref}' cannot be resolved (NoSuchResource)") from None
        return seen

    def fast_valid(self, name: str, data) -> bool:
        check = self.fast_validator(name)
        if check is None:
            return False
        try:
            check(data)
            return True
        except Exception:  # noqa: BLE001 - rejected (or unsure): let jsonschema decide and explain
            return False

    def validate(self, name: str, data, smap: SourceMap | None, file: str | Location, cls=SourceError) -> list[SourceError]:
        """All violations of schema `name` by `data`, in file order, as located errors."""
        if self.fast_valid(name, data):
            return []
        errors = [located(e, smap, file, cls) for e in self.validator(name).iter_errors(data)]
        errors.sort(key=lambda x: ((x.location.line or 0) if x.location else 0,
                                   (x.location.column or 0) if x.location else 0))
        return errors


_OWNER: dict[int, SchemaSet] = {}   # id of a loaded schema file's dict -> the set that read it (sets live on)


@lru_cache(maxsize=None)
def schema_set(dirs: tuple[Path, ...]) -> SchemaSet:
    """The one SchemaSet of these folders (so its caches serve every policy of that search path)."""
    return SchemaSet(tuple(Path(d).resolve() for d in dirs))


def standard() -> SchemaSet:
    """The schemas of the standard search path: KINERJA_PATH's folders, then the bundled schemas.
    Asked for once per record checked, so found once per KINERJA_PATH (and working folder, which
    relative entries depend on)."""
    return _standard(os.environ.get(ENV, ""), os.getcwd())


@lru_cache(maxsize=16)
def _standard(kinerja_path: str, cwd: str) -> SchemaSet:
    return schema_set(SearchPath.standard().schema_dirs())


def load_schema(name: str, schemas: SchemaSet | None = None) -> dict:
    """Read `<name>.schema.json` from `schemas` (default: the standard set)."""
    return (schemas or standard()).load(name)


def registry() -> Registry:
    return standard().registry()


def resolve_ref(ref: str, root: dict) -> tuple[dict, dict]:
    """`SchemaSet.resolve_ref` in the set that read `root` (the standard set for any other dict)."""
    return (_OWNER.get(id(root)) or standard()).resolve_ref(ref, root)


def validator(name: str):
    return standard().validator(name)


def fast_validator(name: str):
    return standard().fast_validator(name)


def _refs(node):
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for key, value in node.items():
            if key not in ("enum", "const", "default", "examples"):
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _for_fastjsonschema(node, formats: set | None = None):
    """The schema with `integer` spelled as a whole `number` (fastjsonschema's integer is Python's
    int only, and our data holds Decimals), and a `$ref` next to other keywords moved into an
    `allOf` (fastjsonschema ignores a `$ref`'s siblings, draft 2020-12 applies them). The formats
    used are collected into `formats`."""
    if isinstance(node, list):
        return [_for_fastjsonschema(x, formats) for x in node]
    if not isinstance(node, dict):
        return node
    out = {k: (v if k in ("enum", "const", "default", "examples") else _for_fastjsonschema(v, formats))
           for k, v in node.items()}
    if formats is not None and isinstance(out.get("format"), str):
        formats.add(out["format"])
    types = out.get("type")
    if types == "integer":
        out["type"] = "number"
        if "multipleOf" in out:
            _add(out, {"multipleOf": 1})
        else:
            out["multipleOf"] = 1
    elif isinstance(types, list) and "integer" in types:
        rest = [t for t in types if t != "integer"]
        if "number" in rest:
            out["type"] = rest
        else:
            del out["type"]
            _add(out, {"anyOf": [{"type": rest}, {"type": "number", "multipleOf": 1}]} if rest
                 else {"type": "number", "multipleOf": 1})
    if "$ref" in out and set(out) - {"$ref", "$id", "$schema", "$comment", "$defs", "title", "description"}:
        _add(out, {"$ref": out.pop("$ref")})
    return out


def _add(node: dict, part: dict) -> None:
    node["allOf"] = [*node.get("allOf", []), part]


class _OwnSchemasOnly(dict):
    """fastjsonschema's `handlers`: for every URI scheme, the set's own schema files, else an error."""

    def __init__(self, remote):
        super().__init__()
        self._remote = remote

    def __contains__(self, scheme) -> bool:
        return True

    def __getitem__(self, scheme):
        return self._remote


def validate(name: str, data, smap: SourceMap | None, file: str | Location, cls=SourceError,
             schemas: SchemaSet | None = None) -> list[SourceError]:
    """All violations of schema `name` (in `schemas`, default: the standard set) by `data`, in file
    order, as located errors."""
    return (schemas or standard()).validate(name, data, smap, file, cls)


def _fast_valid(name: str, data) -> bool:
    return standard().fast_valid(name, data)
