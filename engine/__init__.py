"""kinerja: regulations as versioned, testable YAML policies, compiled and evaluated exactly.

The library API (the CLI is a thin layer over it):

    import engine
    policy = engine.load_policy("kmk_300_2022")           # by id, or a path to a policy folder/file
    record = next(engine.read_records("examples/pk_2024_kppn_semarang_i.yaml"))
    result = policy.evaluate(record, trace=True)          # or evaluate(plain_dict)
    result.values["nko"], result.violations, result.trace

Where policies and data schemas are found (engine/search_path.py): `load_policy` searches the folders
of KINERJA_PATH, then the bundled policies and schemas. `Registry(path=["drafts"])` searches `drafts`
(its `<id>/policy.yaml` folders and its `schemas/`) first, then the same; `Registry(SearchPath.of([d]))`
only `d`. A policy id or schema name found in two places is an error naming both.

    registry = engine.Registry(path=["drafts"])
    draft = registry.load("my_amendment")                  # may `extends: kmk_300_2022`

Stages of a policy's journey, one module each:
    source.py            read files: strict UTF-8, YAML/JSON with Decimals and positions
    schemas.py           JSON Schema validation with errors at file:line:col
    lang/                the expression language: grammar.lark, parser, checker, compiler, runtime
    policy/loader.py     policy YAML -> PolicySpec, resolving `extends`
    policy/check.py      the named check stages: a spec -> a checked policy (all errors together)
    policy/compile.py    a checked policy -> Policy (one generated Python function)
    policy/policy.py     Policy.evaluate -> Result
    search_path.py       where policies and schemas are found: --policy-path, KINERJA_PATH, bundled
    policy/registry.py   the policies on a search path, load by id, select by the contract's date
    record.py            contract data files -> Records
    result.py            Result, Violation, TraceStep
    report/              text and JSON renderings
"""
from typing import TYPE_CHECKING

from .errors import DataError, ErrorList, EvaluationError, KinerjaError, PolicyError, SourceError

# The rest is imported when first used (PEP 562), so that `import engine` (and every command that
# does not need it) stays light: a cached policy needs neither the compiler nor jsonschema.
_LAZY = {"Policy": ".policy.policy", "Registry": ".policy.registry", "load_policy": ".policy.registry",
         "Record": ".record", "read_records": ".record", "Result": ".result", "TraceStep": ".result",
         "Violation": ".result", "SearchPath": ".search_path"}

if TYPE_CHECKING:  # pragma: no cover
    from .policy.policy import Policy
    from .policy.registry import Registry, load_policy
    from .record import Record, read_records
    from .result import Result, TraceStep, Violation
    from .search_path import SearchPath


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'engine' has no attribute {name!r}")
    import importlib
    value = getattr(importlib.import_module(_LAZY[name], __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = ["load_policy", "Registry", "SearchPath", "Policy", "Record", "read_records", "Result", "Violation",
           "TraceStep", "KinerjaError", "SourceError", "PolicyError", "DataError", "ErrorList", "EvaluationError"]
