"""Compiling a checked policy into a runnable `Policy`.

Everything here has already passed `check.py`, so nothing can fail: the values (in dependency order)
and rules become one generated Python function (`ProgramBuilder`), message and item-key templates
the cites and titles quoting parameters, and the reference date become small compiled helpers sharing its namespace, and the dependency facts
that explanation and comparison need (`depends_on`, `function_deps`, `rule_deps`) are recorded.
"""
from __future__ import annotations

from ..lang import syntax
from ..lang.compiler import (Binding, ExprCompiler, FunctionDef, ProgramBuilder, RuleStep, ValueStep,
                             compile_probe, compile_template)
from .check import CheckedPolicy
from .expressions import Template
from .policy import Policy, RuleInfo, ValueInfo
from .quoted import compiled


def _program(checked: CheckedPolicy, compiler: ExprCompiler, filename: str):
    """The policy's evaluation function (its callable, generated source and namespace), and the same
    program reading each parameter where it is used, for recording parameter views (coverage)."""
    evaluate, source, namespace = _builder(checked, compiler).build(filename)
    viewing, _, _ = _builder(checked, compiler).build(filename, "evaluate_viewing", hoist=False, namespace=namespace)
    return evaluate, viewing, source, namespace


def _builder(checked: CheckedPolicy, compiler: ExprCompiler) -> ProgramBuilder:
    spec = checked.spec
    functions = [FunctionDef(n, spec.functions[n].data["params"], checked.functions[n].node)
                 for n in checked.order if n in checked.functions]
    program = ProgramBuilder(compiler, functions)
    for name in checked.order:
        if name in checked.values:
            binds = [Binding(v, bp.node) for v, bp in checked.bindings[name]]
            program.value(ValueStep(name, checked.values[name].node, binds))
    for index, rule in enumerate(checked.rules):
        program.rule(RuleStep(index, rule.require.node, rule.when.node if rule.when else None,
                              [Binding(v, bp.node) for v, bp in rule.bindings]))
    return program


def dependency_facts(checked: CheckedPolicy) -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, list[str]]]:
    """What each value, policy function and rule reads (`ValueInfo.depends_on`, `Policy.function_deps`,
    `Policy.rule_deps`), known once the policy is checked (compare's attribution reads them without compiling)."""
    symbols = set(checked.scope.symbols)
    values = {name: sorted(checked.deps[name] & symbols) for name in checked.spec.values}
    functions = {name: sorted(checked.deps[name]) for name in checked.functions}
    rules = {rule.id: sorted(checked.reads([bp.node for _, bp in rule.bindings] + [rule.require.node]
                                           + ([rule.when.node] if rule.when else [])))
             for rule in checked.rules}
    return values, functions, rules


def reference_fields(node: syntax.Node, root: str) -> frozenset[str] | None:
    """The top-level data fields the reference-date expression reads (`contract.year` reads `year`), or
    None when it reads the data otherwise (the whole record, `contract[k]`): the batch path normalises
    only these fields of Python data to date it (engine/vector/run.py), not the whole record."""
    free = {id(n) for n in syntax.free_names(node) if n.id == root}
    if not free:
        return frozenset()
    fields = [n.name for n in node.walk() if isinstance(n, syntax.Member) and id(n.obj) in free]
    read = {id(n.obj) for n in node.walk() if isinstance(n, syntax.Member) and id(n.obj) in free}
    return frozenset(fields) if read == free else None


def compile_policy(checked: CheckedPolicy) -> Policy:
    """The runnable `Policy` of a policy that passed every check stage."""
    spec, scope = checked.spec, checked.scope
    filename = f"<policy {spec.id}>"
    compiler = ExprCompiler(scope, checked.checker.date_nodes, spec.subject_name)
    evaluate, viewing, source, namespace = _program(checked, compiler, filename)

    def compiled_template(tpl: Template, bound: list[str], cache: dict | None = None):
        parts = [p if isinstance(p, str) else p.node for p in tpl.parts]
        return compile_template(compiler, parts, bound, namespace, filename, cache)

    value_deps, function_deps, rule_deps = dependency_facts(checked)
    values = {}
    keys: dict = {}   # item label templates by source: values with the same key share labels
    for name, entry in spec.values.items():
        bound = [v for v, _ in checked.bindings[name]]
        key = compiled_template(checked.keys[name], bound, keys) if name in checked.keys else None
        label_reads = sorted(checked.reads([p.node for p in checked.keys[name].placeholders()])) if key else []
        values[name] = ValueInfo(name, entry, bound, key, checked.values[name].node, value_deps[name], label_reads,
                                 keys.get(key))
    rules = []
    for rule in checked.rules:
        bound = [v for v, _ in rule.bindings]
        rules.append(RuleInfo(rule.id, rule.entry, bound, compiled_template(rule.message, bound),
                              rule.when.node if rule.when else None, [bp.node for _, bp in rule.bindings],
                              rule.require.node))
    ref = checked.reference_date
    ref_probe = compile_probe(compiler, ref.node, [], namespace, filename) if ref is not None else None
    policy = Policy(spec, checked.parameters, values, rules, checked.outputs, evaluate, source, ref_probe,
                    checked.problems.warnings, compiler, namespace, scope)
    policy.texts = compiled(checked, compiled_template)
    policy._evaluate_viewing = viewing
    policy.function_deps, policy.rule_deps = function_deps, rule_deps
    if ref is not None:
        policy.reference_fields = reference_fields(ref.node, spec.subject_name)
    return policy
