"""Traces: how each value of one evaluation was computed (`evaluate(..., trace=True)`).

Each step names a value's formula, citation and result, and the inputs its formula names (the
maximal member chains, `p.target` or `capaian_max`, and per-item values it indexes), each read with
a safe-mode probe, so a missing input shows as missing and an error as its message.
"""
from __future__ import annotations

from ..lang import syntax
from ..result import TraceStep


def _inputs(policy, info) -> list[tuple[str, syntax.Node]]:
    """The maximal member chains an expression reads (`p.target`, `capaian_max`), once each."""
    seen: dict[str, syntax.Node] = {}

    def chains(node, bound):
        if isinstance(node, (syntax.Member, syntax.Name)):
            text = _chain_text(node)
            if text is not None:
                root = text.split(".")[0]
                if root in info.bound or root in policy.parameters or root in policy.values:
                    seen.setdefault(text, node)
                return
        if isinstance(node, syntax.Aggregate):
            chains(node.collection, bound)
            return
        if isinstance(node, syntax.Index) and isinstance(node.obj, syntax.Name) and node.obj.id in policy.values:
            seen.setdefault(f"{node.obj.id}[{_chain_text(node.key) or '…'}]", node)
            return
        for child in node.children():
            chains(child, bound)

    chains(info.node, set())
    return list(seen.items())

def trace_steps(policy, V, E, root, P) -> list[TraceStep]:
    """How each value was computed for one contract: formula, citation, the inputs it names (read
    with safe probes) and the result, per item for a for_each value."""
    steps = []
    for name, info in policy.values.items():
        data = info.entry.data
        cite = policy.text("values", name, "cite", P) if "cite" in data else None
        step = TraceStep(name, data["expr"], cite, data.get("status"), None)
        inputs = _inputs(policy, info)
        if not info.bound:
            step.result = V.get(name)
            step.inputs = {text: policy._safe_probe(node, [], root, P, V, ()) for text, node in inputs}
        else:
            per_item = V.get(name, {})
            step.result = {}
            for n, binds in enumerate(policy._items(name, E)):
                label = policy._label(info, binds, n, root, P, V)
                value = dict.get(per_item, n if len(binds) > 1 else id(binds[0]))  # see _output
                step.result[label] = value
                step.items.append({"key": label, "result": value, "inputs": {
                    text: policy._safe_probe(node, info.bound, root, P, V, binds) for text, node in inputs}})
        steps.append(step)
    return steps


def _chain_text(node) -> str | None:
    if isinstance(node, syntax.Name):
        return node.id
    if isinstance(node, syntax.Member):
        inner = _chain_text(node.obj)
        return None if inner is None else f"{inner}.{node.name}"
    return None
