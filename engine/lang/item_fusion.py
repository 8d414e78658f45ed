"""Per-item value fusion: consecutive per-item values over the same collection computed in one loop.

A policy computes a chain of values per IKU (`periode_kumulatif[i]`, then `target_kumulatif[i]`
from it, `realisasi_kumulatif[i]`, `capaian_tahunan[i]` from those two). Compiled one by one, each
is a loop over `contract.iku` storing into a dict by `id(i)` that the next loop reads back. Here
consecutive value steps over the same collection (same code, same variable) form a *group* when
each reads the earlier members only for its own item (`v[i]`, never `v` whole, another item's
value, or through a policy function): the group runs as one loop, and a member's value for the
current item is read from the local it was just computed into.

Exactness: per item the members run in their order, each with its own fast-then-safe fallback,
so every item's values are the ones the separate loops give (a member only ever reads values of the
same item, already computed; safe forms read V, which holds the members' dicts from the start).
Each member's errors are collected apart and appended in member order after the loop, as the
separate loops appended them. The fused loop runs only in the plain case: the collection read in
fast form, no null elements, no member seeded (S). Otherwise the unfused code runs as before,
so a failing collection read reports its error once per member as it always did, and seeds work
exactly as `ProgramBuilder._seedable` says. Not used without hoisting (a recording parameter view
sees the reads in the unfused order).
"""
from __future__ import annotations

from . import syntax


def plan_groups(steps: list, compiler, hosts, functions) -> dict[int, list[int]]:
    """First step index -> the step indices of each group of two or more fusable value steps."""
    reads = _function_reads(functions, compiler)
    groups: dict[int, list[int]] = {}
    current: list[int] = []
    for index, step in enumerate(steps):
        if current and _joins(step, index, steps[current[0]], [steps[i].name for i in current], compiler, hosts, reads):
            current.append(index)
            continue
        if len(current) > 1:
            groups[current[0]] = current
        current = [index] if _member(step, index, compiler, hosts) else []
    if len(current) > 1:
        groups[current[0]] = current
    return groups


def _member(step, index: int, compiler, hosts) -> bool:
    """A value step with one binding over a collection read from the data and parameters only,
    whose loop carries no accumulators (fusion.py reads them after the whole loop)."""
    if getattr(step, "name", None) is None or len(step.bindings) != 1 or index in hosts:
        return False
    kinds = {compiler._kind(n) for n in syntax.free_name_ids(step.bindings[0].collection)}
    return kinds <= {"root", "param"}


def _joins(step, index: int, first, names: list[str], compiler, hosts, reads) -> bool:
    """`step` can run in the loop of the group starting at `first` (members `names`)."""
    if not _member(step, index, compiler, hosts):
        return False
    b, lead = step.bindings[0], first.bindings[0]
    if b.var != lead.var or compiler.fast(b.collection, frozenset()) != compiler.fast(lead.collection, frozenset()):
        return False
    return _reads_own_item(step.expr, b.var, set(names), compiler, reads)


def _reads_own_item(expr: syntax.Node, var: str, names: set[str], compiler, reads) -> bool:
    """Every read of a member in `expr` is `member[var]` with `var` the loop's item (never rebound
    inside), and no policy function it calls reads a member."""
    nodes = list(expr.walk())
    for n in nodes:
        if isinstance(n, syntax.Aggregate) and n.var == var:
            return False
        if isinstance(n, syntax.Let) and var in n.names:
            return False
        if isinstance(n, syntax.Call) and compiler._kind(n.func) == "function" and reads.get(n.func, set()) & names:
            return False
    indexed = {id(n.obj) for n in nodes if isinstance(n, syntax.Index) and isinstance(n.obj, syntax.Name)
               and n.obj.id in names and isinstance(n.key, syntax.Name) and n.key.id == var}
    return all(id(n) in indexed for n in nodes if isinstance(n, syntax.Name) and n.id in names)


def _function_reads(functions, compiler) -> dict[str, set[str]]:
    """Policy function -> every value name its body reads, directly or through the functions it calls."""
    defs = {fn.name: fn for fn in functions}
    done: dict[str, set[str]] = {}

    def visit(name: str) -> set[str]:
        if name in done:
            return done[name]
        done[name] = set()   # no cycles (checked), but never loop
        fn = defs[name]
        found = {n for n in syntax.free_name_ids(fn.expr) - set(fn.params)
                 if compiler._kind(n) in ("value", "item_value")}
        for n in fn.expr.walk():
            if isinstance(n, syntax.Call) and n.func in defs:
                found |= visit(n.func)
        done[name] = found
        return found

    for name in defs:
        visit(name)
    return done


def emit_group(builder, group: list[tuple[int, object]]) -> list[str]:
    """The group's code: the unfused steps (as `_value` and `_seedable` make them) when the
    collection cannot be read fast, holds nulls or a member is seeded; else one loop."""
    unfused: list[str] = []
    for index, step in group:
        start = len(builder.lines)
        builder._value(step, index)
        unfused += builder._seedable(step, builder.lines[start:])
        del builder.lines[start:]
    steps = [step for _, step in group]
    b = steps[0].bindings[0]
    coll = builder._new("c")
    head = ["try:", f"    {coll} = {builder.c.fast(b.collection, frozenset())}",
            "except FAST_ERRORS:", f"    {coll} = None"]
    plain = [f"{coll} is None", "S is not None and (" + " or ".join(f"{s.name!r} in S[2]" for s in steps) + ")"]
    if not builder.c._no_missing_elements(b.collection):
        plain.append(f"None in {coll}")
    return head + [f"if {' or '.join(plain)}:"] + _indent(unfused) + ["else:"] + _indent(_fused(builder, steps, coll))


def _fused(builder, steps: list, coll: str) -> list[str]:
    """One loop over `coll` computing every member per item (its dict is the unfused one's)."""
    var = steps[0].bindings[0].var
    bound = frozenset({var})
    pre: list[str] = []
    init: list[str] = []
    body: list[str] = []
    tail: list[str] = []
    here: dict[str, str] = {}   # member -> the local holding its value for the current item
    for k, step in enumerate(steps):
        name, per_item = step.name, builder.c.aliases[step.name]
        errs = "errors" if k == 0 else builder._new("r")   # the first member's errors come first anyway
        saved, builder.lines = builder.lines, builder._groupings([step.expr], bound)
        tmp = builder._new("x")
        invariants = builder._hoisting(name)
        builder.c.item_locals = (f"b_{var}", dict(here))
        try:
            body += builder._try(tmp, step.expr, bound, f"{errs}.append(({name!r}, (b_{var},), _err))")
        finally:
            builder.c.item_locals = None
        builder._hoisted_lines(invariants)
        pre += builder.lines
        builder.lines = saved
        body += [f"if {tmp} is not None:", f"    {per_item}[id(b_{var})] = {tmp}"]
        here[name] = tmp
        init += [f"{per_item} = V[{name!r}] = {{}}"] + ([f"{errs} = []"] if k else [])
        tail += [f"E[{name!r}] = {coll}"] + ([f"if {errs}:", f"    errors += {errs}"] if k else [])
    return pre + init + [f"for b_{var} in {coll}:"] + _indent(body) + tail


def _indent(lines: list[str]) -> list[str]:
    return ["    " + line for line in lines]
