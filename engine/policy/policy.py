"""A loaded, checked and compiled policy, and how it evaluates contract data.

`Policy.evaluate(data)` runs the compiled function once, then turns its raw outcome into a `Result`:
output values keyed by item labels, violations with rendered messages, citations, the data path and
line of the offending item, and on request a trace of every value with its inputs.
"""
from __future__ import annotations

import copy
import datetime as _dt
from dataclasses import dataclass, field
from typing import Any, Callable, Container, Iterable, Mapping

from ..lang import syntax
from ..lang.program import compile_probe
from ..lang.runtime import render
from ..plain_data import acceptor_for, plain_record
from ..record import Record, describe_path
from ..result import Result, Violation
from ..source import format_path
from .card import in_period, reference_date_of
from .spec import Entry, PolicySpec
from .trace import trace_steps


@dataclass
class ParameterInfo:
    """A parameter as evaluation reads it: its policy entry and its run-time values by date."""
    name: str
    entry: Entry
    dated: list[tuple[Any, Any]]   # (from date or None, run-time value), ascending

    @property
    def status(self) -> str:
        return self.entry.data["status"]

    @property
    def cite(self) -> str:
        return self.entry.data["cite"]

    def value_at(self, when: _dt.date | None):
        if when is None or len(self.dated) == 1:
            return self.dated[-1][1]
        chosen = self.dated[0][1]
        for start, value in self.dated:
            if start is None or _as_date(start) <= when:
                chosen = value
        return chosen


def _as_date(x) -> _dt.date:
    return x if isinstance(x, _dt.date) else _dt.date.fromisoformat(str(x))


@dataclass
class ValueInfo:
    """A computed value as evaluation and explain read it: entry, bindings, label and dependencies."""
    name: str
    entry: Entry
    bound: list[str]                 # for_each variables, outermost first
    key: Callable | None             # compiled template labelling each item
    node: syntax.Node
    depends_on: list[str]
    label_reads: list[str] | None = None   # what its item label reads besides its items (None: not known)
    labels: Callable | None = None   # `key` of every item in one call (engine/lang/templates.py)


@dataclass
class RuleInfo:
    """A compiled rule as evaluation and explain read it: entry, bindings, message and conditions."""
    id: str
    entry: Entry
    bound: list[str]
    message: Callable                # compiled message template
    when: syntax.Node | None = None  # the checked `when`, if any
    collections: list[syntax.Node] = field(default_factory=list)   # each for_each binding's collection
    require: syntax.Node | None = None   # the checked `require` (explain reads its inputs: inputs_read.py)


class Policy:
    """Use `engine.load_policy(...)` to get one; then `evaluate(data)` any number of times."""

    # the top-level data fields the reference date reads, None: not known (compile.reference_fields)
    reference_fields: frozenset[str] | None = None
    # a key for everything the policy was built from (what was asked, the text of every file it read,
    # the schemas: engine/policy/stored.py), set when it is kept in or brought back from the cache;
    # caches of what is derived from the policy key on it (compare's diffs, variants and their
    # graphs: engine/compare/attribution.py). None: unknown
    content: str | None = None

    def __init__(self, spec: PolicySpec, parameters, values, rules, outputs, evaluate, source, reference,
                 warnings, compiler, namespace, scope):
        self.spec = spec
        self.id = spec.id
        self.parameters: dict[str, ParameterInfo] = parameters
        self.values: dict[str, ValueInfo] = values
        self.rules: list[RuleInfo] = rules
        self.outputs: list[str] = outputs
        self.generated_source: str = source
        self.warnings = warnings
        self._evaluate = evaluate
        self._evaluate_viewing = evaluate   # the same program reading parameters where used (compile.py)
        self._reference = reference
        self._compiler = compiler
        self._namespace = namespace
        self._scope = scope
        self._dated = any(len(p.dated) > 1 for p in parameters.values())
        self._params_cache: dict[Any, dict] = {}
        self._probes: dict[tuple, Callable] = {}
        self._acceptor: Callable | None = None   # see _plain
        self._scalar = frozenset(n for n, info in values.items() if not info.bound)   # values without for_each
        self.function_deps: dict[str, list[str]] = {}   # policy function -> names it reads
        self.rule_deps: dict[str, list[str]] = {}       # rule id -> names it reads
        self.texts: dict[tuple[str, str, str], Callable] = {}   # cites/titles quoting parameters (quoted.py)

    def __repr__(self):
        return f"<Policy {self.id}: {self.spec.title}>"

    def __getattr__(self, name: str):
        """`_compiler` and `_scope` of a policy brought back from the cache (engine/policy/stored.py),
        restored on first use: only traces, explain and the batch compiler read them, and restoring
        them imports the checker and the compiler, which checking a contract does not need."""
        later = self.__dict__.get("_later")
        if later is None or name not in ("_compiler", "_scope"):
            raise AttributeError(f"'Policy' object has no attribute {name!r}")
        self.__dict__.update(later.restore())
        del self.__dict__["_later"]
        return self.__dict__[name]

    # -- identity ----------------------------------------------------------------------------
    @property
    def title(self) -> str:
        return self.spec.title

    @property
    def subject(self) -> str:
        return self.spec.subject_schema

    def in_force(self, when: _dt.date) -> bool:
        return in_period(self.spec.effective_from, self.spec.effective_to, when)

    def outside_period(self, when: _dt.date | None) -> str | None:
        """A note when `when` (the data's reference date) is outside this policy's effective period:
        `reference date 2021-01-01 is outside kmk_300_2022's period (2022-07-28 → now)`; else None."""
        if when is None or self.in_force(when):
            return None
        start, end = self.spec.effective_from, self.spec.effective_to
        return f"reference date {when} is outside {self.id}'s period ({start or '…'} → {end or 'now'})"

    def reference_date(self, data: Any, parameter_view: Callable | None = None) -> _dt.date | None:
        """The date of the data that selects this policy and its dated parameters (the parameters it
        reads, like `tanggal_acuan`, through `parameter_view` when given, as in `evaluate`)."""
        if self._reference is None:
            return None
        params = self.parameters_at(None)
        return reference_date_of(self._reference, data, parameter_view(params) if parameter_view else params)

    @property
    def confidential(self) -> frozenset[str]:
        """Values reports hide unless asked to (`confidential:` in the policy, e.g. an employee's NKP)."""
        return frozenset(self.spec.confidential)

    def reads(self, name: str) -> list[str]:
        """The values, functions and parameters that value or policy function `name` reads directly
        (the dependency graph `engine.policy.dependencies.reachable` walks)."""
        if name in self.values:
            return self.values[name].depends_on
        return self.function_deps.get(name, [])

    def text(self, section: str, name: str, field: str, P: Mapping[str, Any] | None = None) -> str:
        """The `cite` or `title` of an entry (section `parameters|functions|values|rules`, rule id for
        rules) with its `{parameter}` quotes rendered with parameter values P (default: the latest)."""
        template = self.texts.get((section, name, field))
        if template is None:
            return getattr(self.spec, section)[name].get(field)
        return template(None, self.parameters_at(None) if P is None else P, {})

    def parameters_at(self, when: _dt.date | None) -> dict[str, Any]:
        key = when if self._dated else None
        params = self._params_cache.get(key)
        if params is None:
            params = self._params_cache[key] = {n: p.value_at(when) for n, p in self.parameters.items()}
        return params

    def with_parameters(self, overrides: dict[str, ParameterInfo]) -> "Policy":
        """A copy evaluating with some parameters replaced, sharing the compiled code (which reads
        parameters at run time). The caller guarantees the new values have the same shape (compare's
        attribution reverts a changed parameter this way)."""
        clone = copy.copy(self)
        clone.parameters = {**self.parameters, **overrides}
        clone._dated = any(len(p.dated) > 1 for p in clone.parameters.values())
        clone._params_cache = {}
        clone.content = None            # no longer what its files say
        return clone

    # -- evaluation ---------------------------------------------------------------------------
    def evaluate(self, data: Any, *, as_of: _dt.date | None = None, trace: bool = False,
                 parameter_view: Callable[[dict[str, Any]], Mapping[str, Any]] | None = None,
                 names: Iterable[str] | None = None, runs: list | None = None) -> Result:
        """Evaluate one contract (a `Record`, or plain Python data which is validated first).

        `names`, if given, are the computed values to return instead of the outputs (test cases
        may check any value).

        `parameter_view`, if given, receives the parameter values chosen for the date and returns
        the mapping this evaluation reads parameters from (values, rules, messages and item labels);
        engine/policy/coverage.py passes one that records which parameters and band rows are read.
        `runs`, if given, receives the run's (V, E): compare's attribution seeds its variants with them."""
        record, reference, P = self._prepare(data, as_of, parameter_view)
        run = self._evaluate if parameter_view is None else self._evaluate_viewing
        V, E, outcomes, errors = run(record.data, P)
        if runs is not None:
            runs.append((V, E))
        scalar, labels = self._scalar, {} if parameter_view is None else None
        values = {name: V.get(name) if name in scalar else self._output(name, V, E, record.data, P, labels)
                  for name in (self.outputs if names is None else names)}
        violations = [self._violation(i, binds, status, record, P, V) for i, binds, status in outcomes] if outcomes else []
        if parameter_view is not None:   # coverage counts what messages read: make them now
            for v in violations:
                v.complete()
        problems = [self._error_text(name, binds, err, record, P, V) for name, binds, err in errors] if errors else []
        result = Result(self.id, record.source, values, violations, problems, None,
                        None if reference is None else self.outside_period(reference))
        if trace:
            result.trace = trace_steps(self, V, E, record.data, P)
        return result

    def evaluate_many(self, records, *, as_of: _dt.date | None = None, names: Iterable[str] | None = None):
        """Evaluate many contracts at once (engine/vector: numpy columns where exact, `evaluate` for
        every other record), each exactly as `evaluate(record, as_of=…, names=…)` would. Returns a
        `BatchOutcome`: per record its Result, or the error its data gave; and which values and rules
        were computed as columns. Needs numpy (`pip install kinerja[batch]`)."""
        from ..vector import evaluate_many
        return evaluate_many(self, records, as_of=as_of, names=None if names is None else list(names))

    def _prepare(self, data: Any, as_of: _dt.date | None, parameter_view: Callable | None = None,
                 reference: bool = True):
        """The validated record, its reference date and the parameters an evaluation of it reads
        (`reference` False: the reference date only if the parameters depend on it, else None)."""
        if isinstance(data, Record):
            record = data
            record.validate(self.spec.subject_schema, self.spec.schemas)
        else:
            record = self._plain(data)
            if not record.validated:   # not accepted as it is: validate, with located errors
                record.validate(self.spec.subject_schema, self.spec.schemas)
        if as_of is None and parameter_view is None and self._reference is None:
            return record, None, self.parameters_at(None)   # nothing dates the data: the usual case
        reference = self.reference_date(record.data, parameter_view) if reference or self._dated else None
        when = as_of or (reference if self._dated else None)
        P = self.parameters_at(when)
        return record, reference, (parameter_view(P) if parameter_view is not None else P)

    def _plain(self, data: Any) -> Record:
        """Plain Python data as a Record, with as little work as it needs (engine/plain_data.py)."""
        if self._acceptor is None:
            self._acceptor = acceptor_for(self.spec.subject_schema, self.spec.schemas)
        return plain_record(data, self.spec.subject_schema, self.spec.schemas, self._acceptor)

    def _output(self, name: str, V, E, root, P, labels: dict | None = None):
        """A value as a Result shows it: per item, by item label. `labels` (one run's, or None)
        keeps the labels made for (key template, items list): values over the same items with the
        same key template (one function: compile.py) show the same labels, made once."""
        info = self.values[name]
        if not info.bound:
            return V.get(name)
        get = dict.get.__get__(V.get(name, {}))  # the plain lookup, also for nested values (by position)
        key = info.key
        if key is not None and len(info.bound) == 1:  # the common case, kept lean: it runs per item
            items = E.get(name, ())
            if labels is None:
                return {key(root, P, V, item): get(id(item)) for item in items}
            made = labels.get((key, id(items)))
            if made is None:   # the labels, and the items' ids the values are stored by
                made = labels[(key, id(items))] = (self._labels(info, items, False, root, P, V), list(map(id, items)))
            return dict(zip(made[0], map(get, made[1])))
        nested = len(info.bound) > 1
        if key is not None:   # nested: E holds the binding tuples, the values are by position
            texts = self._labels(info, E.get(name, ()), True, root, P, V)
            return dict(zip(texts, map(get, range(len(texts)))))
        return {self._label(info, binds, n, root, P, V): get(n if nested else id(binds[0]))
                for n, binds in enumerate(self._items(name, E))}

    @staticmethod
    def _labels(info: ValueInfo, items, nested: bool, root, P, V) -> list[str]:
        """The item label of each item (binding tuple, when nested), in one loop when the key template
        has one (templates.py), else one call each."""
        if info.labels is not None:
            return info.labels(root, P, V, items)
        key = info.key
        return [key(root, P, V, *item) for item in items] if nested else [key(root, P, V, item) for item in items]

    def _items(self, name: str, E) -> list[tuple]:
        """The binding tuples of a per-item value, in data order."""
        items = E.get(name, ())
        return [(item,) for item in items] if len(self.values[name].bound) == 1 else list(items)

    def _label(self, info: ValueInfo, binds, n: int, root, P, V) -> str:
        if info.key is not None:
            return info.key(root, P, V, *binds)
        return " ".join(render(b) for b in binds) if all(isinstance(b, dict) for b in binds) else str(n)

    def _violation(self, index: int, binds, status, record: Record, P, V) -> Violation:
        """The violation of rule number `index`, its message, title, citation and place made on first
        access (result.py `Pending`)."""
        rule = self.rules[index]
        data = rule.entry.data
        outcome = "failed" if status is False else "error" if isinstance(status, Exception) else "undetermined"
        return Violation.pending(lambda: self._violation_text(rule, binds, status, record, P, V),
                                 {"rule": rule.id, "severity": data.get("severity", "error"), "outcome": outcome,
                                  "status": data.get("status")})

    def _violation_text(self, rule: RuleInfo, binds, status, record: Record, P, V) -> dict:
        path = record.find(binds[-1]) if binds else None
        if isinstance(status, Exception):
            message = f"could not be evaluated: {status}"
        else:
            message = self._message(rule, binds, record.data, P, V)
            if status is None:
                message = f"could not be checked, data missing: {message}"
        return {"title": self.text("rules", rule.id, "title", P), "message": message,
                "cite": self.text("rules", rule.id, "cite", P), "path": describe_path(path),
                "line": record.location(path).line if path is not None else None}

    def _message(self, rule: RuleInfo, binds, root, P, V) -> str:
        missing = (None,) * (len(rule.bound) - len(binds))  # a for_each collection was itself missing
        return rule.message(root, P, V, *binds, *missing)

    def _error_text(self, name: str, binds, err, record: Record, P, V) -> str:
        where = ""
        if binds:
            path = record.find(binds[-1])
            where = f" for {format_path(path)}" if path is not None else ""
        return f"value '{name}'{where} could not be computed: {err}"

    # -- compare's attribution: outcomes without a Result (engine/compare/attribution.py) ----------
    def outcome(self, record: Record, names: Iterable[str], rules: Container[str], *, as_of: _dt.date | None = None,
                seed: tuple | None = None, unlabelled: Container[str] = ()
                ) -> tuple[dict[str, Any], set[tuple[str, str | None]]]:
        """The computed values `names` (as `evaluate` returns them) and the (rule id, data path) of each
        outcome of the rules with ids in `rules` that is not a pass, without messages, titles or a
        `Result`: all that attribution needs to tell whether a variant policy restores an outcome.
        `seed` (V, E, value names) gives those values from another run on the record instead of
        computing them (engine/lang/program.py `_seedable`; the caller vouches they are the same).
        A per-item value named in `unlabelled` comes as (its values by item, its items), without
        rendering a label per item (the caller knows the labels: compare's, from the candidate)."""
        record, _, P = self._prepare(record, as_of, reference=False)
        V, E, outcomes, _ = self._evaluate(record.data, P, seed)
        values = {name: (V.get(name), E.get(name)) if name in unlabelled else self._output(name, V, E, record.data, P)
                  for name in names}
        failed = set()
        for i, binds, _ in outcomes:
            rule = self.rules[i].id
            if rule in rules:
                failed.add((rule, describe_path(record.find(binds[-1])) if binds else None))
        return values, failed

    def applicability(self, data: Any, rule_id: str, *, as_of: _dt.date | None = None) -> list[tuple[str | None, bool]]:
        """Where rule `rule_id` applies in one contract: per item it runs on (each binding of its
        for_each; the contract once without one), the item's data path and whether its `when` holds
        (True without a `when`, and when it cannot be decided: the rule then reports the item).
        An empty (or missing) for_each collection gives no items: the rule is not applicable."""
        rule = next(r for r in self.rules if r.id == rule_id)
        record, _, P = self._prepare(data, as_of)
        V, _, _, _ = self._evaluate(record.data, P)
        combos: list[tuple] = [()]
        for depth, node in enumerate(rule.collections):
            collect = self.probe(node, rule.bound[:depth])
            combos = [binds + (item,) for binds in combos
                      for item in (self._safe_collection(collect, record.data, P, V, binds) or []) if item is not None]
        out = []
        for binds in combos:
            path = describe_path(record.find(binds[-1])) if binds else None
            holds = rule.when is None or self._safe_probe(rule.when, rule.bound, record.data, P, V, binds) is not False
            out.append((path, holds))
        return out

    @staticmethod
    def _safe_collection(collect, root, P, V, binds):
        try:
            items = collect(root, P, V, *binds)
        except Exception:
            return None
        return items if isinstance(items, list) else None

    # -- trace -------------------------------------------------------------------------------
    def probe(self, node: syntax.Node, bound: list[str]) -> Callable:
        """A safe-mode function for an expression node, cached (used by traces and explain)."""
        key = (id(node), tuple(bound))
        fn = self._probes.get(key)
        if fn is None:
            fn = self._probes[key] = compile_probe(self._compiler, node, bound, self._namespace, f"<{self.id}>")
        return fn

    def _safe_probe(self, node, bound, root, P, V, binds):
        try:
            return self.probe(node, bound)(root, P, V, *binds)
        except Exception as e:
            return f"(error: {e})"

