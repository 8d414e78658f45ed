"""Loop fusion: sums, counts and distinct lists over a data collection, accumulated in the pass that
a per-item value already makes over the same collection.

A policy reads one collection many times: `capaian` for each IKU, then for each perspective
`sum(i.weight * capaian[i] for i in contract.iku where i.perspective == p)`, a `distinct(i.ss …)`,
a count per SS, the sum of the weights. Compiled one by one, that is a pass (or a grouping and a
pass) per aggregate. Hand-written code makes one pass. Here every such aggregate whose collection
and body depend on nothing that changes inside the program (data, parameters, per-item values of
that collection) becomes an *accumulator*, updated in the loop of the per-item value over the same
collection (its *host*), right after the item's value is stored; the step that reads the aggregate
reads the accumulator instead. The item fields the updates need (a grouping key, a weight several
sums add) are read once per item; `distinct(x.f …)` is read from the counts by f when there are any.

Exactness: each accumulator adds in data order, starting from the same zero, so the numbers are the
ones the aggregate's own list would give. An accumulator is speculative fast-mode work: any failure
while updating it (a missing field, a missing per-item value, a null element, an unhashable key)
*poisons* it (the whole accumulator, or for a grouped one the group of that key), and a step reading
a poisoned accumulator raises and falls back to its safe form, exactly as the unfused fast form
would have. Safe forms, messages and probes never read accumulators.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from . import syntax

FUSED = ("sum", "count", "distinct")


@dataclass
class Accumulator:
    """One fused aggregate (several identical aggregates share one)."""

    name: str                         # the generated local, `_a1`
    func: str                         # sum | count | distinct
    node: syntax.Aggregate            # a representative aggregate (its body and where are emitted)
    group: str | None                 # grouped by `x.<group> == key` (the key is the reader's)
    nodes: list[syntax.Aggregate] = field(default_factory=list)


@dataclass
class Host:
    """A per-item value step whose loop carries accumulators over its collection."""

    step: int
    var: str
    value: str                        # the per-item value the step computes
    accumulators: list[Accumulator] = field(default_factory=list)


def group_key(agg: syntax.Aggregate, date_nodes) -> tuple[str, syntax.Node] | None:
    """For `… for x in C where x.f == key` (either side): the field f and the key expression, which
    must not read x. Not for a date field: its value is compared as a date, not as the text a
    grouping would key on."""
    return _field_equality(agg.where, agg.var, date_nodes)


def scan_key(agg: syntax.Aggregate, date_nodes) -> tuple[str, syntax.Node] | None:
    """The (field, key) of `group_key` for a scan that needs only the elements with `x.f == key`,
    where that comparison is the first of a chain of `and`s: in the `where` (`… where x.f == key and
    x.g > 0`), or in the body of an `any` without one (`any(r.iku == i.code and r.period == p.period
    for r in C)`: an element whose field differs makes its conjunction false without reading the
    rest, so it adds nothing). The scan then reads one group and still applies the whole condition."""
    cond = agg.where if agg.where is not None else agg.body if agg.func == "any" else None
    while isinstance(cond, syntax.Binary) and cond.op == "and":
        cond = cond.left
    return _field_equality(cond, agg.var, date_nodes)


def _field_equality(w: syntax.Node | None, var: str, date_nodes) -> tuple[str, syntax.Node] | None:
    if not (isinstance(w, syntax.Binary) and w.op == "=="):
        return None
    for field_side, key in ((w.left, w.right), (w.right, w.left)):
        if (isinstance(field_side, syntax.Member) and isinstance(field_side.obj, syntax.Name)
                and id(field_side) not in date_nodes
                and field_side.obj.id == var and var not in syntax.free_name_ids(key)):
            return field_side.name, key
    return None


def _group_field(agg: syntax.Aggregate, allowed, date_nodes) -> tuple[str | None, syntax.Node | None] | None:
    """(field, key) of a grouping (`group_key`); (None, None) without one, when the where (if any)
    is `allowed`; None when the where reads the reader's variables in another way."""
    found = group_key(agg, date_nodes)
    if found is not None:
        return found
    if agg.where is None or allowed(agg.where):
        return None, None
    return None


class FusionPlan:
    """Which aggregates of a program's steps are accumulated, and in which step's loop.

    `steps` are the program's ValueSteps and RuleSteps in order; `compiler` the ExprCompiler (for
    symbol kinds and collection code)."""

    def __init__(self, steps: list, compiler):
        self.c = compiler
        self.hosts: dict[int, Host] = {}
        self.readers: dict[int, tuple[Accumulator, syntax.Node | None]] = {}   # id(aggregate) -> reader
        self._count = 0
        self._plan(steps)

    # -- which steps can carry accumulators, which aggregates qualify -------------------------
    def _host_steps(self, steps: list) -> dict[str, list[tuple[int, str, str]]]:
        """Collection code -> [(step index, loop variable, value name)] of one-binding value steps."""
        found: dict[str, list[tuple[int, str, str]]] = {}
        for index, step in enumerate(steps):
            if getattr(step, "name", None) is None or len(step.bindings) != 1:
                continue
            b = step.bindings[0]
            if syntax.free_name_ids(b.collection) & self._item_values():
                continue
            found.setdefault(self.c.fast(b.collection, frozenset()), []).append((index, b.var, step.name))
        return found

    def _item_values(self) -> set[str]:
        return {n for n, s in self.c.scope.symbols.items() if s.kind == "item_value"}

    def _reads_only(self, node: syntax.Node, var: str) -> bool:
        """`node` reads only the aggregate's variable, the data root, parameters and per-item values,
        calls no policy function and binds no variables of its own."""
        for n in node.walk():
            if isinstance(n, (syntax.Aggregate, syntax.Let)):
                return False
            if isinstance(n, syntax.Call) and self.c._kind(n.func) == "function":
                return False
        kinds = {self.c._kind(name) for name in syntax.free_name_ids(node) if name != var}
        return kinds <= {"root", "param", "item_value"}

    def _item_reads(self, node: syntax.Node) -> set[str]:
        return syntax.free_name_ids(node) & self._item_values()

    def _plan(self, steps: list) -> None:
        hosts = self._host_steps(steps)
        shared: dict[tuple, Accumulator] = {}
        producer = {step.name: i for i, step in enumerate(steps) if getattr(step, "name", None)}
        for index, step in enumerate(steps):
            for agg in self._aggregates(step):
                found = self._candidate(agg, hosts, producer, index)
                if found is None:
                    continue
                host_index, host_var, group, key = found
                body = self.c.fast(agg.body, frozenset({agg.var}))
                where = None if group or agg.where is None else self.c.fast(agg.where, frozenset({agg.var}))
                ident = (host_index, agg.func, agg.var, body, where, group)
                acc = shared.get(ident)
                if acc is None:
                    self._count += 1
                    acc = shared[ident] = Accumulator(f"_a{self._count}", agg.func, agg, group)
                    self.hosts.setdefault(host_index, Host(host_index, host_var, steps[host_index].name)).accumulators.append(acc)
                acc.nodes.append(agg)
                self.readers[id(agg)] = (acc, key)
        for host in self.hosts.values():
            self._share_distinct(host)

    def _share_distinct(self, host: Host) -> None:
        """`distinct(x.f …)` where the host also counts its items by f: the counts' keys are those
        values, in first-seen order, and fail exactly when the distinct list would (a missing or
        unhashable f), so the distinct list is read from the counts and needs no update of its own."""
        counts = {a.group: a for a in host.accumulators if a.func == "count" and a.group is not None}
        for a in list(host.accumulators):
            by = counts.get(self._field(a)) if a.func == "distinct" else None
            if by is not None:
                host.accumulators.remove(a)
                for node in a.nodes:
                    self.readers[id(node)] = (by, None)

    def _aggregates(self, step) -> list[syntax.Aggregate]:
        roots = [step.expr] if hasattr(step, "expr") else [step.require, step.when]
        roots += [b.collection for b in step.bindings]
        return [n for root in roots if root is not None for n in root.walk()
                if isinstance(n, syntax.Aggregate) and n.func in FUSED]

    def _candidate(self, agg: syntax.Aggregate, hosts, producer, reader: int):
        """(host step, host variable, group field, key) when `agg` can be accumulated by a host that
        runs before step `reader` and after every per-item value it reads; else None."""
        if ({self.c._kind(n) for n in syntax.free_name_ids(agg.collection)} - {"root", "param"}
                or not self._reads_only(agg.body, agg.var)):
            return None
        grouping = _group_field(agg, lambda w: self._reads_only(w, agg.var), self.c.date_nodes)
        if grouping is None:
            return None
        group, key = grouping
        if agg.func == "count" and group is None and agg.where is None:
            return None   # count(x for x in C) is already the collection's length
        if agg.func == "distinct" and group is not None:
            return None
        reads = self._item_reads(agg.body) | (self._item_reads(agg.where) if agg.where is not None and group is None else set())
        needed = max((producer.get(name, reader) for name in reads), default=-1)
        for host_index, var, name in hosts.get(self.c.fast(agg.collection, frozenset()), ()):
            if needed <= host_index < reader and self._reads_current(agg, name):
                return host_index, var, group, key
        return None

    def _reads_current(self, agg: syntax.Aggregate, host_value: str) -> bool:
        """The host's own per-item value is read only for the current item (`v[x]`), the only one
        stored when the accumulator is updated; values of earlier steps may be read in any way."""
        nodes = [n for root in (agg.body, agg.where) if root is not None for n in root.walk()]
        indexed = {id(n.obj) for n in nodes if isinstance(n, syntax.Index) and isinstance(n.obj, syntax.Name)
                   and n.obj.id == host_value and isinstance(n.key, syntax.Name) and n.key.id == agg.var}
        return all(id(n) in indexed for n in nodes if isinstance(n, syntax.Name) and n.id == host_value)

    # -- emitting ------------------------------------------------------------------------------
    def reader(self, node: syntax.Aggregate, bound: frozenset[str]) -> str | None:
        """Fast-mode code reading the accumulator of aggregate `node`; None if it has none."""
        found = self.readers.get(id(node))
        if found is None:
            return None
        acc, key = found
        if node.func == "distinct":   # its own accumulator, or the counts by the same field
            return f"list({acc.name})"   # list(POISON) raises
        if acc.group is not None:
            empty = "ZERO" if acc.func == "sum" else "0"
            w = self.c._temp()
            key_code = self.c.fast(key, bound)
            code = (f"f_acc({acc.name}, {key_code}, {empty})" if w is None   # inside a comprehension's iterable
                    else f"({w} if ({w} := {acc.name}.get({key_code}, {empty})) is not POISON else f_null())")
        else:
            code = f"({acc.name} if {acc.name} is not POISON else f_null())"
        return code if acc.func == "sum" else f"COUNTS[{code}]"

    def start(self, host: Host) -> list[str]:
        """Before the host's loop: every accumulator empty."""
        return [f"{a.name} = {'ZERO' if a.func == 'sum' and a.group is None else '0' if a.func == 'count' and a.group is None else '{}'}"
                for a in host.accumulators]

    def poison(self, host: Host) -> str:
        """The line that poisons all the host's accumulators (its collection could not be read fast)."""
        return " = ".join(a.name for a in host.accumulators) + " = POISON"

    def updates(self, host: Host, current: str) -> list[str]:
        """In the host's loop, after the item's value is stored: each accumulator takes the item.
        The host's value for this item is read from `current`, the local it was computed into (None
        when missing)."""
        item_vars = {f"b_{host.var}"} | {f"b_{a.node.var}" for a in host.accumulators}
        self.c.current = (host.value, item_vars, current)
        try:
            return self._updates(host)
        finally:
            self.c.current = None

    def _updates(self, host: Host) -> list[str]:
        lines: list[str] = []
        for var in dict.fromkeys(a.node.var for a in host.accumulators):
            if var != host.var:
                lines.append(f"b_{var} = b_{host.var}")
        keys: dict[str, str] = {}   # field -> the local its value is read into, once per item
        users = self._field_users(host)
        for field_name, names in users.items():
            q = keys[field_name] = f"_q{len(keys) + 1}_{host.step}"
            lines += ["try:", f"    {q} = b_{host.var}[{field_name!r}]",
                      "except Exception:", f"    {q} = None", f"    {' = '.join(names)} = POISON"]
        self.c.current_fields = keys
        try:
            for a in host.accumulators:
                field_name = self._field(a)
                lines += self._update(a, None if field_name is None else keys[field_name])
        finally:
            self.c.current_fields = {}
        return lines

    def _field_users(self, host: Host) -> dict[str, list[str]]:
        """The item fields read once per item into a local, each with the accumulators that read it
        (a key field, or a field two or more updates read): a failed read poisons those."""
        keyed: dict[str, list[str]] = {}
        read: dict[str, list[str]] = {}
        for a in host.accumulators:
            if self._field(a) is not None:
                keyed.setdefault(self._field(a), []).append(a.name)
            roots = [a.node.body] if a.func != "count" else []
            roots += [a.node.where] if a.node.where is not None and a.group is None else []
            for n in (n for root in roots for n in root.walk()):
                if (isinstance(n, syntax.Member) and isinstance(n.obj, syntax.Name) and n.obj.id == a.node.var
                        and id(n) not in self.c.date_nodes):
                    names = read.setdefault(n.name, [])
                    if a.name not in names:
                        names.append(a.name)
        for field_name, names in read.items():
            if field_name in keyed:
                keyed[field_name] += [n for n in names if n not in keyed[field_name]]
            elif len(names) > 1:
                keyed[field_name] = names
        return keyed

    def _field(self, a: Accumulator) -> str | None:
        """The item field an accumulator is keyed by: its group, or for `distinct(x.f for x in …)`
        the field f (read once per item for all of them)."""
        if a.group is not None:
            return a.group
        body = a.node.body
        if (a.func == "distinct" and a.node.where is None and isinstance(body, syntax.Member)
                and isinstance(body.obj, syntax.Name) and body.obj.id == a.node.var
                and id(body) not in self.c.date_nodes):
            return body.name
        return None

    def _update(self, a: Accumulator, q: str | None) -> list[str]:
        agg, bound = a.node, frozenset({a.node.var})
        if a.func == "distinct" and q is not None:
            return ["try:", f"    {a.name}[{q}] = None", "except Exception:", f"    {a.name} = POISON"]
        value = "1" if a.func == "count" else self.c.fast(agg.body, bound)
        if q is not None:
            empty = "ZERO" if a.func == "sum" else "0"
            return ["try:", f"    {a.name}[{q}] = {a.name}.get({q}, {empty}) + {value}",
                    "except Exception:", f"    {a.name} = f_poison({a.name}, {q})"]
        step = f"{a.name}[{value}] = None" if a.func == "distinct" else f"{a.name} = {a.name} + {value}"
        if agg.where is not None:
            step = f"if {self.c.fast(agg.where, bound)}: {step}"
        return ["try:", f"    {step}", "except Exception:", f"    {a.name} = POISON"]
