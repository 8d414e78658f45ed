"""A data schema compiled to one Python function that accepts valid data already in normal form.

`Policy.evaluate(dict)` used to copy every contract (`record.normalise`) and then validate the copy;
for data that is already in normal form (Decimals for numbers, no nulls in mappings, ISO text for
dates: what engine/json_source.py reads, and what a careful caller passes) both steps only cost
time. `compile_acceptor(name, schemas)` turns the schema into straight-line Python (like
fastjsonschema, but for the engine's own data model) that answers one question in a single pass:
is this data valid **and** in normal form, so that it can be evaluated as it is?

The answer is True only when both are certain; anything else (an invalid or unusual record, an
int where a Decimal is expected, a keyword this compiler does not know, an exception) is False,
and the caller takes the full path: normalise a copy, fastjsonschema, then jsonschema for the
located errors. So the acceptor never decides what is an error, only what needs no work.
tests/test_schema_codegen.py checks, with hypothesis, that every record it accepts is valid under
jsonschema and unchanged by `normalise`.
"""
from __future__ import annotations

import marshal
import re
from decimal import Decimal
from typing import Any, Callable
from urllib.parse import unquote, urldefrag, urljoin

from . import cache
from .errors import KinerjaError
from .fast_schema import format_check
from .schemas import SchemaSet, _ecma_regex

# Keywords that say nothing about validity.
_ANNOTATIONS = frozenset({"description", "title", "$comment", "$id", "$schema", "$defs", "examples",
                          "default", "deprecated", "readOnly", "writeOnly"})
_KNOWN = _ANNOTATIONS | {"type", "properties", "required", "additionalProperties", "items", "enum",
                         "const", "minLength", "maxLength", "pattern", "format", "minimum", "maximum",
                         "exclusiveMinimum", "exclusiveMaximum", "minItems", "maxItems", "uniqueItems",
                         "$ref"}
_TYPE_TESTS = {
    "object": "type({v}) is dict",
    "array": "type({v}) is list",
    "string": "type({v}) is str",
    "number": "(type({v}) is Decimal and {v}.is_finite())",   # NaN, infinities: not data (the full check says so)
    "integer": "(type({v}) is Decimal and {v}.is_finite() and {v} == {v}.to_integral_value())",
    "boolean": "({v} is True or {v} is False)",
    "null": "{v} is None",
}
_ABSENT = object()
_CONSTANT = re.compile(r"\b_k\d+\b")   # a generated constant's name


class Unsupported(Exception):
    """The schema uses something this compiler does not translate: the full path is used instead."""


def _normal(x: Any) -> bool:
    """True if `normalise(x)` would return `x` unchanged (for a value whose schema says nothing)."""
    t = type(x)
    if t is str or t is Decimal or x is True or x is False:
        return True
    if t is dict:
        return all((type(k) is str or type(k) is Decimal) and v is not None and _normal(v) for k, v in x.items())
    if t is list:
        return all(v is None or _normal(v) for v in x)
    return False


def _unique(xs: list) -> bool:
    """uniqueItems, decided only for lists of text (JSON equality of other values is subtler)."""
    if not all(type(x) is str for x in xs):
        raise Unsupported
    return len(set(xs)) == len(xs)


def pointer_target(schemas: SchemaSet, ref: str, doc: dict) -> tuple[Any, dict]:
    """The node `ref` points at (a JSON pointer into schema file `doc` or another file of `schemas`)
    and the file that holds it; anything else (anchors, unknown files) is Unsupported. Plain dict
    walking rather than `referencing`, so that a warm start need not import it."""
    uri, fragment = urldefrag(urljoin(doc.get("$id", ""), ref))
    try:
        target_doc = doc if uri in ("", doc.get("$id")) else schemas.at(uri)
    except Exception:  # noqa: BLE001 - an unknown file: the full path reports it
        raise Unsupported(ref) from None
    if fragment and not fragment.startswith("/"):
        raise Unsupported(ref)
    node: Any = target_doc
    for part in fragment.split("/")[1:] if fragment else []:
        part = unquote(part).replace("~1", "/").replace("~0", "~")
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            raise Unsupported(ref)
    return node, target_doc


# What generated acceptors may call besides their own constants.
_RUNTIME: dict[str, Any] = {"Decimal": Decimal, "_normal": _normal, "_unique": _unique, "_ABSENT": _ABSENT}


class _Generator:
    def __init__(self, schemas: SchemaSet):
        self.schemas = schemas
        self.functions: dict[int, str] = {}      # id(schema node) -> generated function name
        self.bodies: list[str] = []
        self.namespace: dict[str, Any] = dict(_RUNTIME)   # plus the constants `_k…` it makes
        self._names = 0
        self._keep: list = []                    # nodes whose ids key `functions` stay alive
        self._inlining: list[int] = []           # ids of the $ref targets being inlined (a cycle is called)

    def constant(self, value: Any) -> str:
        self._names += 1
        name = f"_k{self._names}"
        self.namespace[name] = value
        return name

    def function(self, node: dict, doc: dict, entry: bool = False) -> str:
        """The name of the generated function checking `node` (one per schema node, so recursive
        schemas work). The `entry` function answers False when a check raises (a missing key, an
        odd type: unsure, so the full path decides), for every function it calls too."""
        if id(node) in self.functions:
            return self.functions[id(node)]
        self._names += 1
        name = self.functions[id(node)] = f"_s{self._names}"
        self._keep.append(node)
        checks = self.checks(node, doc, "x")
        read = sorted(set(_CONSTANT.findall("\n".join(checks))) & set(self.namespace), key=lambda k: int(k[2:]))
        local = "".join(f", {k}={k}" for k in read)     # constants as locals: read per element
        lines = [f"def {name}(x, type=type, len=len, Decimal=Decimal, _ABSENT=_ABSENT{local}):"]
        if entry:
            lines += ["    try:"] + ["        " + line for line in checks]
            lines += ["    except Exception:", "        return False"]
        else:
            lines += ["    " + line for line in checks]
        self.bodies.append("\n".join(lines + ["    return True"]))
        return name

    def checks(self, node: Any, doc: dict, v: str) -> list[str]:
        """Lines that `return False` unless the value in variable `v` satisfies `node` and is normal."""
        if node is True or node == {}:
            return [f"if not _normal({v}): return False"]
        if node is False or not isinstance(node, dict):
            raise Unsupported
        unknown = set(node) - _KNOWN
        if unknown:
            raise Unsupported(", ".join(sorted(unknown)))
        out: list[str] = []
        if "$ref" in node:
            out += self._reference(node["$ref"], doc, v)
        types = node.get("type")
        types = [types] if isinstance(types, str) else types
        if types is not None:
            if not types or any(t not in _TYPE_TESTS for t in types):
                raise Unsupported
            out.append(f"if not ({' or '.join(_TYPE_TESTS[t].format(v=v) for t in types)}): return False")
        out += self._choices(node, v)
        out += self._strings(node, types, v) + self._numbers(node, types, v)
        out += self._objects(node, doc, types, v) + self._arrays(node, doc, types, v)
        if types is None and "$ref" not in node and "enum" not in node and "const" not in node:
            out.append(f"if not _normal({v}): return False")   # nothing says what it is: look at it
        return out

    def _reference(self, ref: str, doc: dict, v: str) -> list[str]:
        """A `$ref`: its target's checks written in place (no call per list element), or a call to
        the target's function where the schema refers to itself (recursion)."""
        target, target_doc = pointer_target(self.schemas, ref, doc)
        if id(target) in self._inlining or id(target) in self.functions:
            return [f"if not {self.function(target, target_doc)}({v}): return False"]
        self._inlining.append(id(target))
        try:
            return self.checks(target, target_doc, v)
        finally:
            self._inlining.pop()

    def _choices(self, node: dict, v: str) -> list[str]:
        choices = node["enum"] if "enum" in node else [node["const"]] if "const" in node else None
        if choices is None:
            return []
        if not choices or not all(isinstance(c, str) for c in choices):
            raise Unsupported
        # membership alone decides: only text equals text, and an unhashable value raises (unsure)
        return [f"if {v} not in {self.constant(frozenset(choices))}: return False"]

    @staticmethod
    def _guard(types, name: str, v: str) -> str:
        """The test that keyword checks of type `name` apply (empty when the type is certain)."""
        if types is not None and len(types) == 1 and (types[0] == name or {types[0], name} == {"integer", "number"}):
            return ""
        test = "type({v}) is str" if name == "string" else "type({v}) is Decimal"
        return test.format(v=v) + " and "

    def _strings(self, node: dict, types, v: str) -> list[str]:
        g = self._guard(types, "string", v)
        out = []
        if "minLength" in node and node["minLength"] == 1 and not g:
            out.append(f"if not {v}: return False")
        elif "minLength" in node:
            out.append(f"if {g}len({v}) < {int(node['minLength'])}: return False")
        if "maxLength" in node:
            out.append(f"if {g}len({v}) > {int(node['maxLength'])}: return False")
        if "pattern" in node:
            out.append(f"if {g}not {self.constant(_ecma_regex(node['pattern']))}.search({v}): return False")
        if "format" in node:
            out.append(f"if not {self.constant(format_check(node['format']))}({v}): return False")
        return out

    def _numbers(self, node: dict, types, v: str) -> list[str]:
        g = self._guard(types, "number", v)
        out = []
        for key, op in (("minimum", "<"), ("maximum", ">"), ("exclusiveMinimum", "<="), ("exclusiveMaximum", ">=")):
            if key in node:
                bound = node[key]
                if isinstance(bound, bool) or not isinstance(bound, (int, float, Decimal)):
                    raise Unsupported
                out.append(f"if {g}{v} {op} {self.constant(Decimal(str(bound)))}: return False")
        return out

    def _objects(self, node: dict, doc: dict, types, v: str) -> list[str]:
        keys = ("properties", "required", "additionalProperties")
        if not any(k in node for k in keys):
            return []
        if types != ["object"]:
            raise Unsupported   # object keywords on a value that may be something else
        props: dict = node.get("properties", {})
        required = node.get("required", [])
        extra = node.get("additionalProperties", True)
        if extra is False and set(required) <= set(props):
            return self._closed_object(props, required, doc, v)
        out = []
        req, allowed = self.constant(frozenset(required)), self.constant(frozenset(props))
        if extra is False and required:
            out.append(f"if not ({v}.keys() >= {req} and {v}.keys() <= {allowed}): return False")
        elif extra is False:
            out.append(f"if not {v}.keys() <= {allowed}: return False")
        elif required:
            out.append(f"if not {v}.keys() >= {req}: return False")
        if extra is not False:
            out += self._extra_keys(props, extra, doc, v)
        return out + self._properties(props, required, doc, v, None)

    def _closed_object(self, props: dict, required: list, doc: dict, v: str) -> list[str]:
        """No keys beyond `properties`: every required key is read (a missing one raises: unsure),
        the optional ones present are counted, and the object must hold exactly that many keys."""
        count = f"{v}_n"
        return ([f"{count} = {len(set(required))}"] + self._properties(props, required, doc, v, count)
                + [f"if len({v}) != {count}: return False"])

    def _properties(self, props: dict, required: list, doc: dict, v: str, count: str | None) -> list[str]:
        """Each property's checks; with `count`, each optional key present adds one to it."""
        out = []
        for n, (key, sub) in enumerate(props.items()):
            item = f"{v}_{n}"
            inner = self.checks(sub, doc, item)
            if key in required:
                out += [f"{item} = {v}[{key!r}]"] + inner
            elif inner or count:
                inner = inner + ([f"{count} += 1"] if count else [])
                out += [f"{item} = {v}.get({key!r}, _ABSENT)", f"if {item} is not _ABSENT:"]
                out += ["    " + line for line in inner]
        return out

    def _extra_keys(self, props: dict, extra, doc: dict, v: str) -> list[str]:
        """Keys outside `properties`: text or number keys (normal form), values checked by
        `additionalProperties` (its schema, or only for normal form)."""
        check = "_normal" if extra is True else self.function(extra, doc)
        known = self.constant(frozenset(props))
        return [f"for _key, _value in {v}.items():",
                "    if _key not in " + known + ":",
                "        if not (type(_key) is str or type(_key) is Decimal) or _value is None: return False",
                f"        if not {check}(_value): return False"]

    def _arrays(self, node: dict, doc: dict, types, v: str) -> list[str]:
        if not any(k in node for k in ("items", "minItems", "maxItems", "uniqueItems")):
            return []
        if types != ["array"]:
            raise Unsupported
        out = []
        if "minItems" in node:
            out.append(f"if len({v}) < {int(node['minItems'])}: return False")
        if "maxItems" in node:
            out.append(f"if len({v}) > {int(node['maxItems'])}: return False")
        if node.get("uniqueItems") is True:
            out.append(f"if not _unique({v}): return False")
        items = node.get("items", True)
        element = f"{v}_e"
        inner = self.checks(items, doc, element) if items is not True else []
        if items is True:   # any element, but in normal form (nulls are normal inside lists)
            inner = [f"if {element} is not None and not _normal({element}): return False"]
        out += [f"for {element} in {v}:"] + ["    " + line for line in inner]
        return out


def acceptor(name: str, schemas: SchemaSet) -> Callable[[Any], bool] | None:
    """The acceptor of schema `name` in `schemas`, compiled once per schema set (see compile_acceptor);
    None when the schema cannot be compiled or refers to something that cannot be resolved (the full
    path then reports it where it is used)."""
    if name not in schemas.acceptors:
        try:
            schemas.acceptors[name] = compile_acceptor(name, schemas)
        except KinerjaError:
            schemas.acceptors[name] = None
    return schemas.acceptors[name]


def compile_acceptor(name: str, schemas: SchemaSet) -> Callable[[Any], bool] | None:
    """The acceptor of data schema `name`: `accept(data)` is True when `data` is valid and in normal
    form (evaluate it as it is), False when it needs the full path. None when the schema uses
    something this compiler does not translate. Its compiled code is kept in the cache
    (engine/cache.py), keyed by the text of the set's schema files."""
    files = schemas.files()
    key = cache.digest("acceptor", name, *(f"{n}\0".encode() + p.read_bytes() for n, p in sorted(files.items())))
    made = cache.remembered("acceptor", key, lambda: _generate(name, schemas))
    if made is None:
        return None
    source, code, entry, constants = made
    namespace = {**_RUNTIME, **constants}
    exec(marshal.loads(code), namespace)   # noqa: S102 - our own generated code
    accept = namespace[entry]   # False, not an exception, when unsure (see _Generator.function)
    accept.source = source   # for inspection and tests
    return accept


def _generate(name: str, schemas: SchemaSet) -> tuple[str, bytes, str, dict] | None:
    """The acceptor's source, its compiled code (marshalled), the entry function's name and the
    constants it reads; None when the schema uses something this compiler does not translate."""
    generator = _Generator(schemas)
    try:
        root = schemas.load(name)
        entry = generator.function(root, root, entry=True)
    except Unsupported:
        return None
    source = "\n\n".join(generator.bodies)
    constants = {k: v for k, v in generator.namespace.items() if k.startswith("_k")}
    return source, marshal.dumps(compile(source, f"<acceptor {name}>", "exec")), entry, constants
