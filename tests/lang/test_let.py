"""`let a = …, b = … in body`: local names inside one formula, scoped, checked, evaluated once."""
from decimal import Decimal

import pytest

from engine.lang import syntax
from engine.lang.parser import ExpressionError, parse
from tests.conftest import contract
from tests.lang.test_checker import errors_of, one_error
from tests.lang.test_fast_safe_agreement import compiled, outcome

D = Decimal


def both_forms(text: str, d: dict, xs=()):
    _, fast, safe = compiled(text)
    args = [{}, d, list(xs), [], []]
    return outcome(fast, *args), outcome(safe, *args)


# -- parser -----------------------------------------------------------------------------------------
def test_let_binds_names_in_order_with_their_positions():
    tree = parse("let a = 1 + x, b = a * 2 in a + b")
    assert isinstance(tree, syntax.Let)
    assert tree.names == ("a", "b") and tree.name_pos == ((1, 5), (1, 16))
    assert tree.values[1] == syntax.Binary((1, 22), "*", syntax.Name((1, 20), "a"), syntax.Literal((1, 24), D(2)))
    assert tree.body == syntax.Binary((1, 31), "+", syntax.Name((1, 29), "a"), syntax.Name((1, 33), "b"))


def test_let_body_extends_as_far_as_possible():
    tree = parse("let a = 1 in a > 0 and a < 2")
    assert isinstance(tree, syntax.Let) and tree.body.op == "and"


def test_a_comparison_as_bound_value_needs_parentheses():
    with pytest.raises(ExpressionError) as info:
        parse("let ok = a > b in ok")
    assert (info.value.pos, info.value.message) == ((1, 12), "unexpected '>'; expected + or -, ,, in")
    assert info.value.hint.startswith("a let's value ends at 'in'")
    assert isinstance(parse("let ok = (a > b) in ok").values[0], syntax.Binary)


def test_free_names_of_a_let_are_what_its_values_and_body_read_from_outside():
    names = syntax.free_name_ids(parse("let a = x + 1, b = a * y in a + b + z"))
    assert names == {"x", "y", "z"}
    assert syntax.free_name_ids(parse("let a = a + 1 in a")) == {"a"}   # the value cannot see its own name


# -- checker ------------------------------------------------------------------------------------------
PARAM = "parameters:\n  limit: {value: 10, cite: uji, status: confirmed}\n"


def test_unknown_name_inside_a_let(make_policy):
    assert one_error(make_policy, "values:\n  x: {expr: 'let total = 1 in totl + 1'}\n") == (
        6, 31, "unknown name 'totl'", "did you mean 'total'?")


def test_a_let_name_may_not_hide_a_policy_name(make_policy):
    line, col, message, hint = one_error(make_policy, PARAM + "values:\n  x: {expr: 'let limit = 2 in limit'}\n")
    assert (line, col, message) == (8, 18, "'limit' is already a name here; a let needs a name of its own")
    assert hint == "let names may not hide a parameter, value, function, data root or variable"


def test_a_let_name_may_not_hide_a_for_each_variable_or_repeat(make_policy):
    body = "values:\n  x: {for_each: i in contract.iku, expr: 'let i = 1, j = 2, j = 3 in i + j'}\n"
    messages = [e.message for e in errors_of(make_policy, body)]
    assert messages == ["'i' is already a name here; a let needs a name of its own",
                        "'j' is already a name here; a let needs a name of its own"]


def test_let_names_are_typed(make_policy):
    assert one_error(make_policy, "values:\n  x: {expr: 'let n = contract.unit.name in n + 1'}\n")[2] == (
        "'+' needs numbers, not a text")


def test_a_let_name_is_not_visible_outside_its_let(make_policy):
    assert one_error(make_policy, "values:\n  x: {expr: '(let a = 1 in a) + a'}\n")[2] == "unknown name 'a'"


# -- compiler: both forms ---------------------------------------------------------------------------
def test_each_value_is_computed_once_in_the_fast_form(make_policy):
    policy = make_policy("values:\n  x: {expr: 'let t = contract.budget.total / 4 in t * t + t'}\noutputs: [x]\n")
    fast_line = next(line for line in policy.generated_source.splitlines() if "_l1 :=" in line)
    assert fast_line.count("'total'") == 1
    assert policy.evaluate(contract()).values["x"] == D(650)


def test_a_missing_bound_value_is_missing_in_the_body():
    assert both_forms("let a = d.n in a + 1", {}) == (("NoneType", None),) * 2
    assert both_forms("let a = d.n in coalesce(a, 0) + 1", {}) == (("Decimal", D(1)),) * 2
    assert both_forms("let a = d.n in present(a)", {}) == (("bool", False),) * 2
    assert both_forms("let a = d.n in present(a)", {"n": D(3)}) == (("bool", True),) * 2
    assert both_forms("let a = d.n in a > 1 or true", {}) == (("bool", True),) * 2


def test_a_later_value_reads_an_earlier_one():
    assert both_forms("let a = d.n * 2, b = a + 1 in b * a", {"n": D(3)}) == (("Decimal", D(42)),) * 2


def test_let_inside_an_aggregate_and_in_its_collection():
    text = "sum(let y = x * 2 in y + 1 for x in (let a = d.n in [a, 10, a]))"
    assert both_forms(text, {"n": D(1)}) == (("Decimal", D(27)),) * 2
    assert both_forms(text, {}) == (("Decimal", D(21)),) * 2   # the missing elements are skipped


def test_let_in_a_policy_function_is_not_inlined(make_policy):
    body = """
functions:
  twice: {params: [v], expr: 'let w = v * 2 in w'}
values:
  x: {for_each: w in contract.iku, expr: 'twice(w.periods[0].target)'}
outputs: [x]
"""
    policy = make_policy(body)
    assert "u_twice(d_root, P, V" in policy.generated_source
    assert list(policy.evaluate(contract()).values["x"].values()) == [D(180)]


def test_a_let_is_reprinted_as_it_parses():
    from engine.policy.equivalence import unparse
    text = "1 + (let a = (x > 1), b = a + 2 in if a then b else 0)"
    assert unparse(parse(text)) == text


def test_compiled_lets_never_overwrite_each_other_or_a_loop_variable():
    # the checker rejects a let that hides another name; the compiled forms are safe regardless
    assert both_forms("let a = 1, b = a + (let a = 5 in a) in b * a", {}) == (("Decimal", D(6)),) * 2
    assert both_forms("let x = 3 in sum(x for x in xs) + x", {}, [D(1), D(2)]) == (("Decimal", D(6)),) * 2
    assert both_forms("let x = xs in sum(x * 2 for x in x)", {}, [D(1), D(2)]) == (("Decimal", D(6)),) * 2


def test_lets_binding_other_names_are_different_expressions():
    from engine.policy.equivalence import nodes_equal
    assert nodes_equal(parse("let a = 1, b = 2 in a"), parse("let a = 1,  b = 2 in a"))
    assert not nodes_equal(parse("let a = 1, b = 2 in a"), parse("let b = 1, a = 2 in a"))
