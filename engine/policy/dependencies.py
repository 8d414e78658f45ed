"""Walks over a policy's dependency graph: which names read which.

A policy's values and functions read each other, its parameters and the data root. The checker needs
them in dependency order (and every cycle, which is an error); comparison and explanation need every
name an output or rule reaches. Both walks live here, so each is written once.

A graph is given either as a mapping `name -> names it reads` or as a function `name -> names`.
"""
from __future__ import annotations

from typing import Callable, Iterable, Mapping

Graph = Mapping[str, Iterable[str]] | Callable[[str], Iterable[str]]


def dependency_order(names: list[str], deps: Mapping[str, Iterable[str]]) -> tuple[list[str], list[list[str]]]:
    """Topological order of `names` (dependencies first); also the cycles found, each as a list of names.

    Only names that are keys of `deps` are followed; each node's dependencies are visited in sorted
    order, so the result does not depend on how the sets were built.
    """
    order, state, cycles = [], {}, []

    def visit(n, stack):
        if state.get(n) == 2:
            return
        if state.get(n) == 1:
            cycles.append(stack[stack.index(n):])
            return
        state[n] = 1
        for d in sorted(deps.get(n, ())):
            if d in deps:
                visit(d, stack + [d])
        state[n] = 2
        order.append(n)

    for n in names:
        visit(n, [n])
    return order, cycles


def reachable(deps: Graph, roots: Iterable[str]) -> list[str]:
    """Every name reachable from `roots` (roots included), each once, dependencies before dependants.

    Dependencies are followed in the order the graph gives them; a cycle does not loop (a name
    already on the way is not visited again). `frozenset(reachable(...))` is the plain closure.
    """
    reads = deps if callable(deps) else (lambda n: deps.get(n, ()))
    seen: list[str] = []
    visited: set[str] = set()
    for root in roots:
        if root in visited:
            continue
        visited.add(root)
        stack = [(root, iter(reads(root)))]
        while stack:
            name, pending = stack[-1]
            for d in pending:
                if d not in visited:
                    visited.add(d)
                    stack.append((d, iter(reads(d))))
                    break
            else:
                stack.pop()
                seen.append(name)
    return seen
