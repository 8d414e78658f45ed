"""The inputs a value or rule actually read in one evaluation: parameter cells, values, data fields.

A trace (`Policy._trace`) lists each member chain a formula names, so a formula reading
`iku_limits[level].max` shows the whole `iku_limits` table, and one reading
`perspective_weights[p] * nilai_perspektif[p] for p in perspectives` shows only `perspectives`.
`InputReader` walks the formula again with the evaluation's data, parameters and values, and names
each cell it reads with its keys filled in: `iku_limits.upk_one.max = 20`,
`perspective_weights.customer = 25`, `nilai_perspektif[customer] = 103.11`. It follows the branch an
`if` took, the items an aggregate's `where` kept (the `where` itself is not listed: it reads every
item) and the names a `let` binds. Chains rooted at a for_each variable keep its name (`i.target`:
the item is the line's label), those rooted at an aggregate's item use the item's code
(`Q2.realization`); data fields reached from the contract are listed when they are single values.
Every probe runs in safe mode: an input that cannot be read shows as `(error: …)`.

Explain (engine/report/explain.py) shows these instead of the trace's inputs.
"""
from __future__ import annotations

import re
from typing import Any

from .. import display
from ..lang import syntax
from ..record import Record, describe_path
from .policy import Policy

MAX_ITEMS = 200   # items of one aggregate walked; a larger collection is read in part
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


class Evaluation:
    """One contract evaluated once (data, parameters, values, items), to read inputs from."""

    def __init__(self, policy: Policy, record: Record | Any, as_of=None):
        self.policy = policy
        self.record, _, self.P = policy._prepare(record, as_of)
        self.root = self.record.data
        self.V, self.E, _, _ = policy._evaluate(self.root, self.P)

    def rule_inputs(self, rule_id: str) -> list[tuple[str | None, dict[str, Any]]]:
        """Per item the rule ran on (each for_each binding whose collections could be read; one for a
        rule without for_each), the item's data path (None without for_each) and the inputs its
        `when` and `require` read (`require` only where the `when` holds)."""
        rule = next(r for r in self.policy.rules if r.id == rule_id)
        combos: list[tuple] = [()]
        for depth, node in enumerate(rule.collections):
            combos = [binds + (item,) for binds in combos
                      for item in _list(self.read_value(node, rule.bound[:depth], binds)) if item is not None]
        out = []
        for binds in combos:
            reader = InputReader(self, tuple(rule.bound))
            env = tuple(zip(rule.bound, binds))
            for node in ([rule.when] if rule.when is not None else []):
                reader.walk(node, env)
            if rule.require is not None and (rule.when is None or reader.probe(rule.when, env) is not False):
                reader.walk(rule.require, env)
            out.append((describe_path(self.record.find(binds[-1])) if binds else None, reader.cells))
        return out

    def read_value(self, node: syntax.Node, bound: list[str], binds: tuple) -> Any:
        return InputReader(self, tuple(bound)).probe(node, tuple(zip(bound, binds)))

    def value_inputs(self, name: str) -> list[dict[str, Any]]:
        """Per item of value `name` (in the trace's order; one for a value without for_each), the
        inputs read."""
        info = self.policy.values[name]
        binds_list = self.policy._items(name, self.E) if info.bound else [()]
        return [self.read(info.node, info.bound, binds) for binds in binds_list]

    def read(self, node: syntax.Node, bound: list[str], binds: tuple) -> dict[str, Any]:
        """The inputs `node` reads with its for_each variables `bound` set to `binds`."""
        reader = InputReader(self, tuple(bound))
        reader.walk(node, tuple(zip(bound, binds)))
        return reader.cells


class InputReader:
    """Walks one formula for one binding and collects `cells`: text → value, in reading order."""

    def __init__(self, evaluation: Evaluation, step_bound: tuple[str, ...]):
        self.ev, self.policy, self.step_bound = evaluation, evaluation.policy, step_bound
        self.cells: dict[str, Any] = {}
        self.reads = 0   # cells recorded, counting repeats (an aggregate's body that reads nothing new)

    def probe(self, node: syntax.Node, env: tuple) -> Any:
        names = [n for n, _ in env]
        try:
            return self.policy.probe(node, names)(self.ev.root, self.ev.P, self.ev.V, *[v for _, v in env])
        except Exception as e:   # an input that cannot be read is shown as such, never raised
            return f"(error: {e})"

    def walk(self, node: syntax.Node, env: tuple) -> None:
        if isinstance(node, (syntax.Name, syntax.Member, syntax.Index)) and self._chain(node, env):
            return
        if isinstance(node, syntax.Binary) and node.op in ("in", "notin") and self._keys(node, env):
            return
        if isinstance(node, syntax.Aggregate):
            self._aggregate(node, env)
        elif isinstance(node, syntax.If):
            self.walk(node.cond, env)
            taken = self.probe(node.cond, env)
            for branch in ([node.then] if taken is True else [node.otherwise] if taken is False else []):
                self.walk(branch, env)
        elif isinstance(node, syntax.Let):
            for name, value in zip(node.names, node.values):
                self.walk(value, env)
                env = env + ((name, self.probe(value, env)),)
            self.walk(node.body, env)
        else:
            for child in node.children():
                self.walk(child, env)

    def _aggregate(self, node: syntax.Aggregate, env: tuple) -> None:
        """The cells the body reads for each item the `where` keeps; the collection itself only when
        the body reads nothing of its own (`list(p for p in i.periods where …)`)."""
        before = self.reads
        items = self.probe(node.collection, env)
        for item in items[:MAX_ITEMS] if isinstance(items, list) else []:
            inner = env + ((node.var, item),)
            if node.where is None or self.probe(node.where, inner) is True:
                self.walk(node.body, inner)
        if self.reads == before:
            self.walk(node.collection, env)

    def _keys(self, node: syntax.Binary, env: tuple) -> bool:
        """`x in table`: the table's keys are what is read, not its cells."""
        table = self.probe(node.right, env)
        text = self._chain_text(node.right, env) if isinstance(table, dict) else None
        if text is None:
            return False
        self.walk(node.left, env)
        self._record(f"{text} keys", list(table))
        return True

    def _chain(self, node: syntax.Node, env: tuple) -> bool:
        """Record a chain `root.a[k].b` whose root is a parameter, value, for_each variable, aggregate
        item or the contract; False if `node` is no such chain (the caller walks its parts)."""
        text = self._chain_text(node, env)
        if text is None:
            return False
        value = self.probe(node, env)
        if text.split(".")[0] == self.policy.spec.subject_name and isinstance(value, (dict, list)):
            return True   # a whole collection of the contract: its items are read where they are used
        self._record(text, value)
        return True

    def _record(self, text: str, value: Any) -> None:
        self.reads += 1
        self.cells.setdefault(text, value)

    def _chain_text(self, node: syntax.Node, env: tuple) -> str | None:
        """`iku_limits.upk_one.max` for `iku_limits[level].max` (the keys' own inputs are walked), or
        None if `node` is not a chain with a shown root."""
        steps, root = [], node
        while isinstance(root, (syntax.Member, syntax.Index)):
            steps.append(root)
            root = root.obj
        head = self._head(root.id, env, root_only=not steps) if isinstance(root, syntax.Name) else None
        if head is None:
            return None
        text, is_parameter = head
        for step in reversed(steps):
            if isinstance(step, syntax.Member):
                text += f".{step.name}"
                continue
            self.walk(step.key, env)
            text += self._key_text(step.key, env, is_parameter)
        return text

    def _head(self, name: str, env: tuple, root_only: bool) -> tuple[str, bool] | None:
        """How a chain's root is written, and whether it is a parameter; None for a root not shown
        (a `let` name, a function's, an aggregate's item on its own: `p` in `list(p for p in …)`)."""
        local = next((v for n, v in reversed(env) if n == name), _MISSING)
        if local is not _MISSING:
            if name in self.step_bound and all(n != name for n, _ in env[len(self.step_bound):]):
                return name, False
            label = display.value(local) if isinstance(local, dict) else display.UNLABELLED
            return None if label == display.UNLABELLED or root_only else (label, False)
        if name in self.policy.parameters:
            return name, True
        if name in self.policy.values or name == self.policy.spec.subject_name:
            return name, False
        return None

    def _key_text(self, key: syntax.Node, env: tuple, is_parameter: bool) -> str:
        if isinstance(key, syntax.Name) and key.id in self.step_bound and key.id in dict(env):
            return f"[{key.id}]"   # the for_each item: the line's own label
        k = self.probe(key, env)
        if is_parameter and isinstance(k, str) and _IDENTIFIER.match(k):
            return f".{k}"
        return f"[{display.value(k)}]"


_MISSING = object()


def _list(x) -> list:
    return x if isinstance(x, list) else []
