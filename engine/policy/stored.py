"""A built policy kept in the cache (engine/cache.py), so that the next process skips building it.

Building a policy reads YAML, checks it against the policy schema (jsonschema), parses every
expression (lark), type-checks it against the data schema and generates Python: far more time than
evaluating a contract. A cache entry is the built `Policy` itself, pickled, with the code of its
generated functions marshalled (they came from `exec`, pickle cannot name them) and the runtime
helpers and data schemas they use named, not copied; loading it needs neither lark nor jsonschema.

An entry is keyed by what was asked (the policy file, the name it was given by, the search path) and
holds the facts the build depended on: the text of every policy file it read (the policy, the ones it
`extends` or `uses`), what each policy id it looked up resolved to, and the text of every schema file
on the search path. A hit rechecks them all, so a changed file, an id that now resolves elsewhere or a
new schema is a miss. Warnings are part of the Policy, so a hit reports the same ones.

The checker and compiler remember facts about expression nodes by `id()` (which nodes are dates, which
lists hold no missing element); an id means nothing in another process, so such sets and tables are
stored as the nodes themselves and keyed by the new ids when loaded. Anything the pickler cannot store
faithfully (a closure, an object of lark or jsonschema) means the policy is simply not kept.

Checking a contract needs the generated code, the parameters and the spec, not the compiler and the
checker's scope (traces, explain and the batch compiler do): those two are a pickle of their own
inside the entry (`_Later`), loaded on first use, so that a warm `kinerja check` imports neither
engine/lang/compiler.py nor engine/lang/checker.py.
"""
from __future__ import annotations

import copy
import importlib
import io
import marshal
import os
import pickle
import types
from pathlib import Path
from typing import Callable

from .. import cache
from ..lang import syntax
from ..lang.program import runtime_namespace
from ..schemas import _OWNER, SchemaSet, schema_set
from ..search_path import SearchPath, schema_files
from ..source import read_text
from .card import PolicyCard
from .policy import Policy

KIND = "policy"
VARIANT_KIND = "variant"    # policies built from others (compare's variants, whole or focused): fetch_variant
CARD_KIND = "policy-card"   # engine/policy/card.py: kept under the same key and facts as the policy
_FOREIGN = ("lark", "jsonschema", "referencing")   # slow to import: never inside a stored policy


class Uncacheable(Exception):
    """The policy holds something that cannot be stored faithfully: it is not kept."""


# -- what a build depended on ----------------------------------------------------------------------
class Recorder:
    """Collects, during one build, the policy files read (with their text) and the ids looked up."""

    def __init__(self, find: Callable[[str], Path | None]):
        self._find = find
        self.found: dict[str, str | None] = {}
        self.read: dict[str, str] = {}

    def find(self, policy_id: str) -> Path | None:
        path = self._find(policy_id)
        self.found[policy_id] = None if path is None else str(path)
        return path

    def paths(self) -> dict[str, Path]:
        """The policy ids the wrapped finder knows (for did-you-mean hints, as shared.py asks a registry)."""
        owner = getattr(self._find, "__self__", None)
        return owner.paths() if hasattr(owner, "paths") else {}

    def __enter__(self) -> "Recorder":
        from .loader import READERS   # as the build itself: only when building
        self._readers = READERS
        READERS.append(self.read)
        return self

    def __exit__(self, *exc) -> None:
        self._readers.remove(self.read)


_SNAPSHOT: dict[str, str] | None = None   # digests by path while `one_look` is on


def _text_digest(path: str) -> str:
    if _SNAPSHOT is None:
        return cache.digest(read_text(path))
    found = _SNAPSHOT.get(path)
    if found is None:
        found = _SNAPSHOT[path] = cache.digest(read_text(path))
    return found


class one_look:
    """Within this block, each file a cache entry's facts name is read once (choosing a policy checks
    the facts of every card, and they name the same schema files)."""

    def __enter__(self):
        global _SNAPSHOT
        self._outer, _SNAPSHOT = _SNAPSHOT, ({} if _SNAPSHOT is None else _SNAPSHOT)

    def __exit__(self, *exc):
        global _SNAPSHOT
        _SNAPSHOT = self._outer


def _schema_digests(dirs: tuple[Path, ...]) -> dict[str, str]:
    """Every schema file of the policy's schema folders and of the standard path's (where the policy
    schema is), with a digest of its text."""
    out = {}
    for folders in (dirs, SearchPath.standard().schema_dirs()):
        out.update({str(p): _text_digest(str(p)) for p in schema_files(folders).values()})
    return out


def request_key(file: Path, name: str, path: SearchPath, schema_dirs: tuple[Path, ...]) -> str:
    """What was asked: the policy file, the name given (its messages show it) and the search path."""
    return cache.digest(os.path.abspath(file), name, *(os.path.abspath(f.policies) for f in path.folders),
                        "|", *(os.path.abspath(d) for d in schema_dirs))


def _facts(recorder: Recorder, schema_dirs: tuple[Path, ...]) -> dict:
    return {"files": {path: cache.digest(text) for path, text in recorder.read.items()},
            "found": dict(recorder.found), "schemas": _schema_digests(schema_dirs)}


def _still_true(facts: dict, find: Callable[[str], Path | None], schema_dirs: tuple[Path, ...]) -> bool:
    try:
        return (all(_text_digest(path) == digest for path, digest in facts["files"].items())
                and all((None if (p := find(pid)) is None else str(p)) == was for pid, was in facts["found"].items())
                and _schema_digests(schema_dirs) == facts["schemas"])
    except Exception:  # noqa: BLE001 - a file gone, unreadable, or a lookup that now fails: rebuild
        return False


# -- pickling a Policy ---------------------------------------------------------------------------
def _function(code: bytes, namespace: dict, name: str, defaults, kwdefaults):
    fn = types.FunctionType(marshal.loads(code), namespace, name, defaults)
    fn.__kwdefaults__ = kwdefaults
    return fn


def _by_identity(cls, state: dict):
    obj = cls.__new__(cls)
    for name, value in state.items():
        if isinstance(value, _Nodes):
            value = value.restore()
        obj.__dict__[name] = value
    return obj


class _Nodes:
    """An id-keyed set or table, stored as the nodes (or (node, value) pairs) it is about."""

    def __init__(self, kind: type, items: list):
        self.kind, self.items = kind, items

    def restore(self):
        if issubclass(self.kind, dict):
            return self.kind((id(node), value) for node, value in self.items)
        return self.kind(id(node) for node in self.items)


def _foreign(obj) -> bool:
    """An object, class or function of lark or jsonschema (loading it would import them)."""
    if isinstance(obj, types.ModuleType):
        module = obj.__name__
    else:
        module = obj.__module__ if isinstance(obj, (type, types.FunctionType)) else type(obj).__module__
    return (module or "").split(".")[0] in _FOREIGN


def _id_keyed(value, nodes: dict[int, syntax.Node]) -> bool:
    keys = value.keys() if isinstance(value, dict) else value
    return isinstance(value, (set, frozenset, dict)) and bool(keys) and all(
        type(k) is int and k in nodes for k in keys)


class _Pickler(pickle.Pickler):
    """Pass 1 (`nodes` None) collects every syntax node; later passes write, translating the node ids
    of `id_keyed` objects, and (`table`) naming the nodes of the policy's own pickle by their place."""

    def __init__(self, file, runtime: dict[int, str], nodes: dict[int, syntax.Node] | None,
                 id_keyed: tuple[type, ...] = (), table: dict[int, int] | None = None):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._runtime, self.nodes, self._collecting = runtime, nodes if nodes is not None else {}, nodes is None
        self._id_keyed, self._table = id_keyed, table or {}

    def persistent_id(self, obj):
        name = self._runtime.get(id(obj))
        if name is not None:
            return ("runtime", name)
        if id(obj) in self._table:
            return ("node", self._table[id(obj)])
        if isinstance(obj, SchemaSet):
            return ("schemas", obj.dirs)
        owner = _OWNER.get(id(obj)) if type(obj) is dict else None
        if owner is not None:
            return ("schema", owner.dirs, next(n for n, s in owner._schemas.items() if s is obj))
        return None

    def reducer_override(self, obj):
        if _foreign(obj):
            raise Uncacheable(f"holds {obj!r:.80}")
        if isinstance(obj, types.ModuleType):   # `import re` in generated code puts the module in its namespace
            return importlib.import_module, (obj.__name__,)
        if isinstance(obj, types.FunctionType) and obj.__module__ is None:   # generated by exec
            if obj.__closure__:
                raise Uncacheable(f"generated function {obj.__name__} has a closure")
            return _function, (marshal.dumps(obj.__code__), obj.__globals__, obj.__name__, obj.__defaults__,
                               obj.__kwdefaults__)
        if self._collecting:
            if isinstance(obj, syntax.Node):
                self.nodes[id(obj)] = obj
        elif isinstance(obj, self._id_keyed):
            state = {k: _Nodes(type(v), [(self.nodes[i], v[i]) for i in v] if isinstance(v, dict)
                               else [self.nodes[i] for i in v]) if _id_keyed(v, self.nodes) else v
                     for k, v in vars(obj).items()}
            return _by_identity, (type(obj), state)
        return NotImplemented


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, nodes: list | None = None):
        super().__init__(file)
        self._runtime, self._nodes = runtime_namespace(), nodes

    def persistent_load(self, pid):
        if pid[0] == "runtime":
            return self._runtime[pid[1]]
        if pid[0] == "node" and self._nodes is not None:
            return self._nodes[pid[1]]
        if pid[0] == "schemas":
            return schema_set(pid[1])
        if pid[0] == "schema":
            return schema_set(pid[1]).load(pid[2])
        raise pickle.UnpicklingError(f"unknown reference {pid[0]!r}")


class _Later:
    """A stored policy's compiler and scope (`Policy.__getattr__` restores them on first use): a pickle
    of their own, which names the policy's syntax nodes by their place in `nodes` (a list in the
    policy's pickle), so that their id-keyed tables are keyed by the ids of the policy's own nodes."""

    def __init__(self, nodes: list, blob: bytes):
        self.nodes, self.blob, self._restored = nodes, blob, None

    def restore(self) -> dict:
        if self._restored is None:   # once, for the policy and its copies (with_parameters) alike
            self._restored = _Unpickler(io.BytesIO(self.blob), self.nodes).load()
        return self._restored


def _dumps(policy: Policy) -> bytes:
    from ..lang.checker import Scope   # what the compiler state is made of: imported only to store it
    from ..lang.compiler import ExprCompiler
    id_keyed = (ExprCompiler, Scope)   # classes whose int sets/tables are keyed by node identity
    clone = copy.copy(policy)
    clone._probes, clone._params_cache = {}, {}   # keyed by ids and dates of this process
    later = {"_compiler": policy._compiler, "_scope": policy._scope}
    for name in (*later, "_later"):
        clone.__dict__.pop(name, None)
    runtime = {id(v): k for k, v in runtime_namespace().items() if k != "__builtins__"}
    collector = _Pickler(io.BytesIO(), runtime, None)
    collector.dump((clone, later))
    nodes = list(collector.nodes.values())
    blob = io.BytesIO()
    _Pickler(blob, runtime, collector.nodes, id_keyed, {id(n): i for i, n in enumerate(nodes)}).dump(later)
    clone._later = _Later(nodes, blob.getvalue())
    out = io.BytesIO()
    _Pickler(out, runtime, collector.nodes, id_keyed).dump(clone)
    return out.getvalue()


# -- the cache -----------------------------------------------------------------------------------
def _kept(kind: str, key: str, find: Callable[[str], Path | None], schema_dirs: tuple[Path, ...], cls: type):
    """The `cls` object kept for (`kind`, `key`), if every fact its build depended on still holds;
    else None (also for a damaged or incompatible entry: the caller builds or loads instead). A
    Policy gets its `content` key."""
    blob = cache.read(kind, key)
    if blob is None:
        return None
    try:
        stream = io.BytesIO(blob)
        facts = pickle.load(stream)
        if not _still_true(facts, find, schema_dirs):
            return None
        found = _Unpickler(stream).load()
    except Exception:  # noqa: BLE001
        return None
    if not isinstance(found, cls):
        return None
    if isinstance(found, Policy):
        found.content = content_key(key, facts)
    return found


def content_key(key: str, facts: dict) -> str:
    """`Policy.content`: the request and every fact of its build (file texts, ids found, schemas)."""
    return cache.digest(key, repr(sorted(facts["files"].items())), repr(sorted(facts["found"].items())),
                        repr(sorted(facts["schemas"].items())))


def fetch(key: str, find: Callable[[str], Path | None], schema_dirs: tuple[Path, ...]) -> Policy | None:
    """The policy kept for `key`, if every fact its build depended on still holds; else None."""
    return _kept(KIND, key, find, schema_dirs, Policy)


def fetch_variant(key: str) -> Policy | None:
    """A policy derived from others (compare's variants) kept for `key`, a key that already
    covers everything it was built from (`Policy.content` of its sources); else None."""
    blob = cache.read(VARIANT_KIND, key)
    if blob is None:
        return None
    try:
        found = _Unpickler(io.BytesIO(blob)).load()
    except Exception:  # noqa: BLE001 - damaged or incompatible: built again
        return None
    return found if isinstance(found, Policy) else None


def keep_variant(key: str, policy: Policy) -> None:
    """Store a policy derived from others under `key` (see `fetch_variant`), if it can be stored."""
    if not cache.enabled():
        return
    try:
        cache.write(VARIANT_KIND, key, _dumps(policy))
    except Exception:  # noqa: BLE001 - not cacheable: nothing is kept
        return


def fetch_card(key: str, find: Callable[[str], Path | None], schema_dirs: tuple[Path, ...]) -> PolicyCard | None:
    """The card kept for `key`, if every fact the policy's build depended on still holds; else None."""
    return _kept(CARD_KIND, key, find, schema_dirs, PolicyCard)


def keep_card(key: str, card: PolicyCard) -> None:
    """Store `card` beside the policy kept for `key`, with that entry's facts (nothing when the
    policy is not kept or the card is not portable)."""
    blob = cache.read(KIND, key) if card.portable else None
    if blob is None:
        return
    try:
        facts = pickle.load(io.BytesIO(blob))
        runtime = {id(v): k for k, v in runtime_namespace().items() if k != "__builtins__"}
        out = io.BytesIO()
        _Pickler(out, runtime, {}).dump(card)
        cache.write(CARD_KIND, key, pickle.dumps(facts, protocol=pickle.HIGHEST_PROTOCOL) + out.getvalue())
    except Exception:  # noqa: BLE001 - not storable: the policy is loaded to choose, as before
        return


def keep(key: str, policy: Policy, recorder: Recorder, schema_dirs: tuple[Path, ...],
         schemas_before: dict[str, str]) -> None:
    """Store a freshly built policy, unless a schema changed during the build or it cannot be stored."""
    if not cache.enabled():
        return
    try:
        facts = _facts(recorder, schema_dirs)
        if facts["schemas"] != schemas_before:
            return
        cache.write(KIND, key, pickle.dumps(facts, protocol=pickle.HIGHEST_PROTOCOL) + _dumps(policy))
        policy.content = content_key(key, facts)
    except Exception:  # noqa: BLE001 - not cacheable (or the cache is unusable): nothing is kept
        return


def schemas_now(schema_dirs: tuple[Path, ...]) -> dict[str, str]:
    """The schema facts before a build (compared with those after it by `keep`)."""
    try:
        return _schema_digests(schema_dirs) if cache.enabled() else {}
    except Exception:  # noqa: BLE001
        return {}
