"""Expression nesting is limited (parser.MAX_DEPTH) so that the generated Python always compiles.

CPython refuses more than 200 nested brackets; the fast form of clamp nests four per level, so 50
nested clamps used to end in a Python SyntaxError traceback. The parser now rejects any expression
deeper than MAX_DEPTH levels with a PolicyError at file:line:col, and everything up to the limit
compiles, in the worst-nesting forms."""
import pytest

from engine.errors import PolicyError
from engine.lang.parser import MAX_DEPTH


def clamps(n: int) -> str:
    e = "1"
    for _ in range(n):
        e = f"clamp({e}, 0, 10)"
    return e


def coalesces(n: int) -> str:
    e = "1"
    for _ in range(n):
        e = f"coalesce(contract.budget.total * ({e}), 1)"
    return e


def value(expr: str) -> str:
    return f"values:\n  v:\n    expr: '{expr}'\noutputs: [v]\n"


@pytest.mark.parametrize("nest", [clamps, coalesces])
def test_the_deepest_accepted_expression_compiles(make_policy, nest):
    n = MAX_DEPTH - 1 if nest is clamps else MAX_DEPTH // 3  # a coalesce step is three levels
    policy = make_policy(value(nest(n)))
    assert "evaluate" in policy.generated_source


def test_fifty_nested_clamps_are_a_policy_error_at_the_expression(make_policy):
    with pytest.raises(PolicyError) as err:
        make_policy(value(clamps(50)))
    text = str(err.value)
    assert "nested too deeply" in text and f"more than {MAX_DEPTH} levels" in text
    assert "policy.yaml:" in text  # file:line:col of the expression
    assert "SyntaxError" not in text


def test_the_limit_is_low_enough_for_the_deepest_generated_form():
    assert 4 * MAX_DEPTH + 20 <= 200
