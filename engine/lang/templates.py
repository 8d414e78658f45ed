"""Message and label templates, and safe-mode probes, compiled in a program's namespace.

Apart from program.py (the layout of `evaluate`): these are the small functions a Result's messages,
item labels, traces and explanations call after a run, reading its values V.
"""
from __future__ import annotations

from typing import Callable

from .. import display
from . import syntax

# `ExprCompiler` in annotations is compiler.ExprCompiler (not imported: compiler.py imports this)

MAX_TEXT = display.MAX_TEXT


def compile_template(compiler: ExprCompiler, parts: list, bound: list[str], program_namespace: dict,
                     filename: str, cache: dict | None = None) -> Callable:
    """A message or label template `text {expr} text` as one function `(d_root, P, V, *bound) -> str`.

    The placeholders run in fast mode; if any raises, the whole template is rendered in safe mode,
    where a missing value shows as "(missing)" and an error as "(?)". With `cache` (source ->
    function: item label templates), templates of the same source are one function, so item labels
    made by one are shared (Policy._output), and `cache[function]` is its `labels(d_root, P, V,
    items)`: the template of each binding tuple (each item, for one binding) in one loop, without a
    call per item, each item rendered exactly as the template renders it."""
    params = ", ".join(["d_root", "P", "V"] + [f"b_{v}" for v in bound])
    bset = frozenset(bound)
    parts = [p for p in parts if p != ""]
    # a text placeholder short enough to show as it is skips render's call (item labels run per item)
    fast = [repr(p) if isinstance(p, str) else f"(_t{n} if type(_t{n} := {compiler.fast(p, bset)}) is TEXT and "
            f"len(_t{n}) <= {MAX_TEXT} else render(_t{n}))" for n, p in enumerate(parts)] or ["''"]
    safe = [repr(p) if isinstance(p, str) else f"s_render(lambda: {compiler.safe(p, bset)})" for p in parts] or ["''"]
    src = (f"def template({params}):\n"
           f"    try:\n        return {' + '.join(fast)}\n"
           f"    except FAST_ERRORS:\n        return {' + '.join(safe)}\n")
    key = src
    if cache is not None and key in cache:
        return cache[key]
    if cache is not None:
        target = ", ".join(f"b_{v}" for v in bound) or "_"
        src += (f"def labels(d_root, P, V, items):\n    out = []\n    add = out.append\n"
                f"    for {target} in items:\n"
                f"        try:\n            add({' + '.join(fast)})\n"
                f"        except FAST_ERRORS:\n            add({' + '.join(safe)})\n    return out\n")
    namespace = dict(program_namespace)
    namespace.update(compiler.constant_table())
    namespace["TEXT"] = str
    exec(compile(src, filename, "exec"), namespace)  # noqa: S102
    if cache is not None:
        cache[key] = namespace["template"]
        cache[namespace["template"]] = namespace["labels"]
    return namespace["template"]


def compile_probe(compiler: ExprCompiler, node: syntax.Node, bound: list[str], program_namespace: dict,
                  filename: str) -> Callable:
    """A safe-mode function `probe(d_root, P, V, *bound_values)` for messages, keys and traces.

    It runs in a copy of the program's namespace, so it sees the policy's own functions."""
    params = ", ".join(["d_root", "P", "V"] + [f"b_{v}" for v in bound])
    src = f"def probe({params}):\n    return {compiler.safe(node, frozenset(bound))}\n"
    namespace = dict(program_namespace)
    namespace.update(compiler.constant_table())
    exec(compile(src, filename, "exec"), namespace)  # noqa: S102
    return namespace["probe"]
