"""JSON Schema validation for policy files and contract data, with errors pointing into the file.

Schemas live in the top-level `schemas/` folder. Validation uses jsonschema (Draft 2020-12) with two
adjustments for exact numbers: a Decimal counts as a JSON number, and as an integer when it has no
fraction. Each violation becomes a `SourceError` at the offending node's line and column.

A schema may use another schema file's definitions: `"$ref": "organization_contract.schema.json#/$defs/iku"`
is resolved against the referring schema's `$id` (https://kinerja.local/schemas/<file>) among the files
in `schemas/` only; nothing is ever fetched from the network.

Most data is valid, and jsonschema's interpreter is slow on large contracts (milliseconds each), so
a record is first checked by the same schema compiled to Python with fastjsonschema; only a record
it rejects is walked by jsonschema, which finds every error with its exact place. The two must agree
(tests/test_schema_agreement.py): the fast schema is rewritten where fastjsonschema reads JSON Schema
differently, formats are checked by jsonschema's own functions, and `pattern` gets JSON Schema's `$`.
"""
from __future__ import annotations

import difflib
import json
import re
from decimal import Decimal
from functools import lru_cache, partial
from pathlib import Path
from urllib.parse import urldefrag, urljoin

import fastjsonschema
import jsonschema
import referencing.exceptions
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource
from referencing.jsonschema import DRAFT202012

from .errors import KinerjaError, Location, SourceError
from .source import SourceMap, format_path

HOME = Path(__file__).resolve().parent.parent
SCHEMA_DIR = HOME / "schemas"


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
    if validator.is_type(instance, "string") and not _ecma_regex(pattern).search(instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


_TYPES = Draft202012Validator.TYPE_CHECKER.redefine_many({"integer": _is_integer, "number": _is_number})
_Validator = jsonschema.validators.extend(Draft202012Validator, validators={"pattern": _pattern},
                                          type_checker=_TYPES)


SCHEMA_BASE = "https://kinerja.local/schemas/"   # every schema's $id is this + its file name


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict:
    """Read `schemas/<name>.schema.json`."""
    path = SCHEMA_DIR / f"{name}.schema.json"
    if not path.is_file():
        known = ", ".join(sorted(p.name.split(".")[0] for p in SCHEMA_DIR.glob("*.schema.json")))
        raise KinerjaError(f"unknown data schema '{name}' (known: {known})")
    schema = json.loads(path.read_text(encoding="utf-8"))
    if schema.get("$id") != SCHEMA_BASE + path.name:
        raise KinerjaError(f"{path}: '$id' must be '{SCHEMA_BASE + path.name}', so that other schemas "
                           f"can refer to it as '{path.name}#/$defs/…'")
    return schema


def _schema_at(uri: str) -> dict:
    """The schema whose `$id` is `uri`: one of our files, never anything from the network."""
    if uri.startswith(SCHEMA_BASE) and uri.endswith(".schema.json") and "/" not in uri[len(SCHEMA_BASE):]:
        name = uri[len(SCHEMA_BASE):-len(".schema.json")]
        if (SCHEMA_DIR / f"{name}.schema.json").is_file():
            return load_schema(name)
    raise NoSuchResource(ref=uri)


@lru_cache(maxsize=None)
def registry() -> Registry:
    """All schemas/*.schema.json by their `$id`, so that one schema can use another's definitions
    (`"$ref": "organization_contract.schema.json#/$defs/iku"`, relative to its own `$id`). A reference
    to anything else is an error: nothing is ever fetched."""
    resources = [(SCHEMA_BASE + p.name, Resource.from_contents(load_schema(p.name[:-len(".schema.json")]),
                                                              default_specification=DRAFT202012))
                 for p in sorted(SCHEMA_DIR.glob("*.schema.json"))]
    return Registry().with_resources(resources)


def resolve_ref(ref: str, root: dict) -> tuple[dict, dict]:
    """The schema node `ref` points at, seen from schema `root`, and the schema file that holds it
    (the root for the node's own `#/…` references). Raises KinerjaError if it cannot be resolved."""
    uri, fragment = urldefrag(urljoin(root.get("$id", ""), ref))
    try:
        doc = root if uri in ("", root.get("$id")) else registry().contents(uri)
        node = DRAFT202012.create_resource(doc).pointer(fragment, registry().resolver()).contents \
            if fragment else doc
    except (referencing.exceptions.Unresolvable, NoSuchResource, KeyError, LookupError) as e:
        raise KinerjaError(f"schema reference '{ref}' cannot be resolved ({type(e).__name__})") from None
    return node, doc


@lru_cache(maxsize=None)
def validator(name: str):
    """jsonschema's validator for `schemas/<name>.schema.json`. Every `$ref` in it, and in the schema
    files it refers to, is resolved first: a broken one is a KinerjaError here, not a crash mid-check."""
    root = load_schema(name)
    for doc in [root, *(_schema_at(uri) for uri in sorted(_referenced_files(root)))]:
        for ref in _refs(doc):
            resolve_ref(ref, doc)
    return _Validator(root, registry=registry(), format_checker=Draft202012Validator.FORMAT_CHECKER)


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


# Every format the schemas use is checked by jsonschema's own function on the fast path too:
# fastjsonschema's regexes differ (its `\d` accepts any Unicode digit, so '٢٠٢٤-01-01' passed as a date).
_FORMATS = Draft202012Validator.FORMAT_CHECKER


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
    """fastjsonschema's `handlers`: for every URI scheme, our own schema files, else an error."""

    def __contains__(self, scheme) -> bool:
        return True

    def __getitem__(self, scheme):
        return _fast_remote


@lru_cache(maxsize=None)
def _fast_remote(uri: str) -> dict:
    uri = urldefrag(uri)[0]
    return _for_fastjsonschema(_schema_at(uri))


@lru_cache(maxsize=None)
def fast_validator(name: str):
    """The schema compiled to Python by fastjsonschema, or None if it cannot be (then only
    jsonschema is used). Defaults are never filled in: the data stays as written. References to
    another schema file resolve to our files, like jsonschema's registry; nothing is fetched."""
    try:
        validator(name)  # its references all resolve
        formats: set = set()
        schema = _for_fastjsonschema(load_schema(name), formats)
        for uri in _referenced_files(load_schema(name)):
            _for_fastjsonschema(_schema_at(uri), formats)
        checks = {f: partial(_FORMATS.conforms, format=f) for f in formats}
        return fastjsonschema.compile(schema, handlers=_OwnSchemasOnly(), formats=checks, use_default=False)
    except Exception:  # noqa: BLE001 - any failure just means "no fast path"
        return None


def _referenced_files(root: dict, seen: set | None = None) -> set:
    """The `$id`s of the other schema files `root` refers to, directly or through them."""
    seen = set() if seen is None else seen
    for ref in _refs(root):
        uri = urldefrag(urljoin(root.get("$id", ""), ref))[0]
        if uri and uri != root.get("$id") and uri not in seen:
            seen.add(uri)
            try:
                _referenced_files(_schema_at(uri), seen)
            except NoSuchResource:
                raise KinerjaError(f"schema reference '{ref}' cannot be resolved (NoSuchResource)") from None
    return seen


def _fast_valid(name: str, data) -> bool:
    check = fast_validator(name)
    if check is None:
        return False
    try:
        check(data)
        return True
    except Exception:  # noqa: BLE001 - rejected (or unsure): let jsonschema decide and explain
        return False


def _describe(error: jsonschema.ValidationError) -> str:
    """jsonschema's message, made shorter for the common cases."""
    if error.validator == "additionalProperties":
        extra = error.message.split("(")[-1].rstrip(")") if "(" in error.message else error.message
        return f"unknown field(s): {extra}"
    if error.validator == "enum":
        options = [str(v) for v in error.validator_value]
        close = difflib.get_close_matches(str(error.instance), options, n=1, cutoff=0.6)
        return (f"{_short(error.instance)} is not one of: {', '.join(options)}"
                + (f" (did you mean '{close[0]}'?)" if close else ""))
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


def validate(name: str, data, smap: SourceMap | None, file: str, cls=SourceError) -> list[SourceError]:
    """All violations of schema `name` by `data`, in file order, as located errors."""
    if _fast_valid(name, data):
        return []
    errors = []
    for e in validator(name).iter_errors(data):
        path = tuple(e.absolute_path)
        at_key = e.validator == "additionalProperties"
        message = _describe(e)
        if path:
            message = f"{format_path(path)}: {message}"
        if smap is not None:
            err = smap.error(message, path, key=False, cls=cls)
            if at_key and isinstance(e.instance, dict):
                extra = [k for k in e.instance if k not in e.schema.get("properties", {})]
                if extra:
                    err = smap.error(message, path + (extra[0],), key=True, cls=cls)
        else:
            err = cls(message, Location(file))
        errors.append(err)
    errors.sort(key=lambda x: ((x.location.line or 0) if x.location else 0, (x.location.column or 0) if x.location else 0))
    return errors
