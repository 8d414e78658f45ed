"""Checking a resolved policy: named stages, run in order, that find every problem before compiling.

Each stage is one concern. It reads and extends one `CheckedPolicy` and records what it finds in
`checked.problems`; errors are raised together (one `PolicyError`, or an `ErrorList`) only at the
two `raise_errors` checkpoints, so a policy author sees all independent mistakes at once.

Stages, in order (`STAGES`):
   1. subject_schema     the subject's JSON Schema gives the data root its type (raised at once if missing)
   2. parameters         run-time values (dated ones keep every value), band tables, provisional notes
                         (of the parameter and of each cell a child policy overrode by path)
   3. functions          each policy function claims its name; its body is parsed; provisional notes
   4. values             each value claims its name; its expression and for_each bindings are parsed;
                         provisional notes
   5. dependencies       values and functions in dependency order; cycles are errors
   6. raise_errors       stop if anything is wrong so far (typing needs parsed, acyclic input)
   7. type_check         functions and values typed in dependency order
   8. item_keys          the `key` templates labelling the items of for_each values
   9. rules              each rule's bindings, `when`, `require` and message, parsed and typed
  10. quoted_texts       the `{parameter}` quotes in cites and titles (quoted.py)
  11. reference_date     the expression dating the contract must be a date
  12. outputs            every listed output is a value of the policy
  13. label_equivalences each value whose labels are declared equivalent to another policy's is a
                         value of this policy, the other policy is not this one; a warning for each
                         label of ours that the value can never produce (when its labels are knowable)
  14. raise_errors       stop if any check failed
  15. unused_parameters  warnings for parameters nothing reads

`compile.py` turns the result into a runnable `Policy`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import PolicyError
from ..lang import syntax
from ..lang import types as T
from ..lang.checker import Checker, Scope, Symbol, suggest
from ..lang.runtime import Bands
from ..record import normalise
from ..schemas import load_schema
from .bands import band_table
from .dependencies import dependency_order
from .expressions import (Parsed, Problems, Template, binding_types, bindings, check_parsed, parse_field,
                          template)
from .policy import ParameterInfo
from .quoted import TextKey, quoted_texts
from .spec import Entry, PolicySpec


@dataclass
class CheckedRule:
    """One rule with its parts parsed: bindings, optional `when`, `require`, message template."""

    id: str
    entry: Entry
    bindings: list[tuple[str, Parsed]]
    when: Parsed | None
    require: Parsed
    message: Template


@dataclass
class CheckedPolicy:
    """What the stages know about a policy so far; complete once every stage has run."""

    spec: PolicySpec
    problems: Problems = field(default_factory=Problems)
    scope: Scope = field(default_factory=Scope)
    parameters: dict[str, ParameterInfo] = field(default_factory=dict)
    functions: dict[str, Parsed] = field(default_factory=dict)        # name -> parsed body
    values: dict[str, Parsed] = field(default_factory=dict)           # name -> parsed expression
    bindings: dict[str, list[tuple[str, Parsed]]] = field(default_factory=dict)   # value -> for_each
    deps: dict[str, set[str]] = field(default_factory=dict)           # value/function -> names read
    order: list[str] = field(default_factory=list)                    # functions and values, deps first
    checker: Checker | None = None
    value_env: dict[str, dict[str, T.Type]] = field(default_factory=dict)   # value -> bound var types
    keys: dict[str, Template] = field(default_factory=dict)
    rules: list[CheckedRule] = field(default_factory=list)
    quoted: dict[TextKey, Template] = field(default_factory=dict)     # cites and titles quoting parameters
    reference_date: Parsed | None = None
    outputs: list[str] = field(default_factory=list)

    def reads(self, nodes) -> set[str]:
        """Policy-level names (parameters, values, functions, the data root) that `nodes` read."""
        spec, symbols = self.spec, self.scope.symbols
        names = {n for node in nodes for n in syntax.free_name_ids(node) if n in symbols}
        calls = {n.func for node in nodes for n in node.walk()
                 if isinstance(n, syntax.Call) and n.func in spec.functions}
        return names | calls

    def claim(self, name: str, entry: Entry, symbol: Symbol) -> None:
        """Define `name` in the policy's scope; an error if a parameter, value or function has it."""
        symbols = self.scope.symbols
        if name in symbols:
            other = symbols[name].kind
            self.problems.fail(f"'{name}' is already defined as a {'data root' if other == 'root' else other}",
                               entry, key=True)
        else:
            symbols[name] = symbol


def subject_schema(checked: CheckedPolicy) -> None:
    spec = checked.spec
    try:
        schema = load_schema(spec.subject_schema, spec.schemas)
    except Exception as e:
        raise PolicyError(str(e), spec.root.location("subject", "schema")) from None
    checked.scope.symbols[spec.subject_name] = Symbol("root", T.from_schema(schema, schema))


def _parameter_value(raw, is_bands: bool, entry: Entry, checked: CheckedPolicy, sub: tuple):
    """The run-time form of a parameter value: band tables become `Bands`, nulls are dropped."""
    if is_bands:
        return band_table(raw, entry, checked.problems, sub)
    return normalise(raw)


def parameters(checked: CheckedPolicy) -> None:
    problems = checked.problems
    for name, entry in checked.spec.parameters.items():
        is_bands = entry.get("type") == "bands"
        if "values" in entry.data:
            dated = [(v["from"], _parameter_value(v["value"], is_bands, entry, checked, ("values", i, "value")))
                     for i, v in enumerate(entry.data["values"])]
            dated.sort(key=lambda x: x[0])
        else:
            dated = [(None, _parameter_value(entry.data["value"], is_bands, entry, checked, ("value",)))]
        if dated[-1][1] is None:
            problems.fail(f"parameter '{name}' has no value", entry, "value")
        checked.parameters[name] = ParameterInfo(name, entry, dated)
        checked.scope.symbols[name] = Symbol("param", T.BANDS if is_bands else T.from_value(dated[-1][1]))
        if not any(cell.status == "provisional" for cell in entry.cells.values()):
            _provisional_note(checked, "parameter", entry)   # else it is provisional because of its cells
        for cell in entry.cells.values():
            _provisional_note(checked, "parameter", cell)


def _provisional_note(checked: CheckedPolicy, kind: str, entry: Entry) -> None:
    """A provisional parameter, cell, function or value should say what it assumes."""
    if entry.status == "provisional" and not entry.note:
        checked.problems.warn(f"provisional {kind} '{entry.name}' has no note explaining the assumption",
                              entry.origin.location(key=True))


def functions(checked: CheckedPolicy) -> None:
    for name, entry in checked.spec.functions.items():
        checked.claim(name, entry, Symbol("function", T.ANY, arity=len(entry.data["params"])))
        _provisional_note(checked, "function", entry)
        parsed = parse_field(checked.problems, entry.data["expr"], entry, "expr")
        if parsed is not None:
            checked.functions[name] = parsed


def values(checked: CheckedPolicy) -> None:
    for name, entry in checked.spec.values.items():
        binds = bindings(checked.problems, entry)
        checked.claim(name, entry, Symbol("item_value" if binds else "value"))
        _provisional_note(checked, "value", entry)
        parsed = parse_field(checked.problems, entry.data["expr"], entry, "expr")
        if parsed is not None and binds is not None:
            checked.values[name], checked.bindings[name] = parsed, binds


def dependencies(checked: CheckedPolicy) -> None:
    spec = checked.spec
    for name, parsed in checked.values.items():
        checked.deps[name] = checked.reads([parsed.node] + [bp.node for _, bp in checked.bindings[name]])
    for name, parsed in checked.functions.items():
        checked.deps[name] = checked.reads([parsed.node])
    checked.order, cycles = dependency_order(list(checked.functions) + list(checked.values), checked.deps)
    for cycle in cycles:
        entry = spec.values.get(cycle[0]) or spec.functions[cycle[0]]
        checked.problems.fail(f"values depend on each other in a cycle: {' → '.join(cycle)}", entry, "expr")


def raise_errors(checked: CheckedPolicy) -> None:
    checked.problems.raise_if_any()


def type_check(checked: CheckedPolicy) -> None:
    problems, symbols = checked.problems, checked.scope.symbols
    checker = checked.checker = Checker(checked.scope)
    for name in checked.order:
        if name in checked.functions:
            env = {p: T.ANY for p in checked.spec.functions[name].data["params"]}
            symbols[name].type = check_parsed(problems, checker, checked.functions[name], env)
            continue
        env = checked.value_env[name] = binding_types(problems, checker, checked.bindings[name])
        symbols[name].type = check_parsed(problems, checker, checked.values[name], env)


def item_keys(checked: CheckedPolicy) -> None:
    for name in checked.values:
        entry = checked.spec.values[name]
        if entry.get("key") is None:
            continue
        key = checked.keys[name] = template(checked.problems, entry.get("key"), entry, "key")
        for part in key.placeholders():
            check_parsed(checked.problems, checked.checker, part, checked.value_env[name])


def rules(checked: CheckedPolicy) -> None:
    problems, checker = checked.problems, checked.checker
    for rid, entry in checked.spec.rules.items():
        binds = bindings(problems, entry)
        when = parse_field(problems, entry.data["when"], entry, "when") if "when" in entry.data else None
        require = parse_field(problems, entry.data["require"], entry, "require")
        message = template(problems, entry.get("message") or entry.data["title"], entry,
                           "message" if "message" in entry.data else "title")
        if binds is None or require is None:
            continue
        env = binding_types(problems, checker, binds)
        if when is not None:
            check_parsed(problems, checker, when, env, condition=True)
        check_parsed(problems, checker, require, env, condition=True)
        for part in message.placeholders():
            check_parsed(problems, checker, part, env)
        checked.rules.append(CheckedRule(rid, entry, binds, when, require, message))


def reference_date(checked: CheckedPolicy) -> None:
    entry = checked.spec.reference_date
    if entry is None:
        return
    parsed = checked.reference_date = parse_field(checked.problems, entry.data["expr"], entry, "reference_date")
    if parsed is not None:
        t = check_parsed(checked.problems, checked.checker, parsed)
        if t.kind not in ("date", "any"):
            checked.problems.fail(f"reference_date must be a date, not a {t.describe()}", entry, "reference_date")


def outputs(checked: CheckedPolicy) -> None:
    spec = checked.spec
    checked.outputs = spec.outputs if spec.outputs is not None else list(spec.values)
    for i, name in enumerate(checked.outputs):
        if name not in spec.values:   # only this file's outputs can be (inherited ones are kept if values)
            checked.problems.errors.append(PolicyError(f"output '{name}' is not a value of this policy",
                                                       spec.root.location("outputs", i - spec.inherited_outputs),
                                                       hint=suggest(name, spec.values)))
    for name in spec.confidential:
        if name not in spec.values:
            checked.problems.errors.append(PolicyError(f"confidential '{name}' is not a value of this policy",
                                                       spec.root.location("confidential"),
                                                       hint=suggest(name, spec.values)))


def label_equivalences(checked: CheckedPolicy) -> None:
    spec, problems = checked.spec, checked.problems
    for other, declared in spec.equivalences.items():
        if other == spec.id:
            entry = next(iter(declared.values()))
            problems.errors.append(PolicyError(f"equivalences name '{other}', but a policy's labels are its own",
                                               entry.origin.smap.location(("equivalences", other), key=True),
                                               hint="name the other policy whose labels correspond to these"))
            continue
        for name, entry in declared.items():
            if name not in spec.values:
                problems.fail(f"equivalences for '{name}', which is not a value of this policy", entry, key=True,
                              hint=suggest(name, spec.values))
                continue
            produced = producible_labels(checked, name)
            for their, ours in entry.data["labels"].items():
                if produced and ours not in produced:
                    hint = suggest(ours, produced)
                    problems.warn(f"'{their}' of {other} is said to be '{ours}', which value '{name}' never "
                                  "produces" + (f" ({hint})" if hint else ""), entry.location("labels", their))


def producible_labels(checked: CheckedPolicy, name: str) -> set[str]:
    """The texts value `name` can produce, as far as the policy shows them: the text literals of its
    formula and of the values and functions it reads, and the texts in the parameters they read (band
    labels, lists). Empty when the value reads none (its labels come from the data)."""
    seen, todo, texts = set(), [name], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        parsed = checked.values.get(current) or checked.functions.get(current)
        if parsed is not None:
            texts |= {n.value for n in parsed.node.walk() if isinstance(n, syntax.Literal) and isinstance(n.value, str)}
        if current in checked.parameters:
            texts |= set(_texts(checked.parameters[current].dated[-1][1]))
        todo += checked.deps.get(current, ())
    return texts


def _texts(x):
    """Every text inside a parameter value: strings in lists and tables, the labels of band tables."""
    if isinstance(x, str):
        yield x
    elif isinstance(x, Bands):
        yield from (str(row[4]) for row in x.rows)
    elif isinstance(x, dict):
        for v in x.values():
            yield from _texts(v)
    elif isinstance(x, (list, tuple)):
        for v in x:
            yield from _texts(v)


def unused_parameters(checked: CheckedPolicy) -> None:
    for name, info in checked.parameters.items():
        if name not in checked.checker.used:
            checked.problems.warn(f"parameter '{name}' is not used by any value or rule",
                                  info.entry.origin.location(key=True))


STAGES = (subject_schema, parameters, functions, values, dependencies, raise_errors, type_check, item_keys,
          rules, quoted_texts, reference_date, outputs, label_equivalences, raise_errors, unused_parameters)


def check(spec: PolicySpec) -> CheckedPolicy:
    """Run every stage on `spec`. Raises `ErrorList`/`PolicyError` listing every problem found."""
    checked = CheckedPolicy(spec)
    for stage in STAGES:
        stage(checked)
    return checked
