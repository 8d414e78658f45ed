"""The grammar: precedence, every construct, and readable syntax errors with positions."""
from decimal import Decimal

import pytest

from engine.lang import syntax
from engine.lang.parser import ExpressionError, parse


def test_arithmetic_precedence():
    tree = parse("1 + 2 * 3")
    assert isinstance(tree, syntax.Binary) and tree.op == "+"
    assert tree.right == syntax.Binary((1, 7), "*", syntax.Literal((1, 5), Decimal(2)), syntax.Literal((1, 9), Decimal(3)))


def test_numbers_are_exact_decimals():
    assert parse("0.1").value == Decimal("0.1")
    assert str(parse("110.420").value) == "110.420"


def test_boolean_precedence_not_binds_tighter_than_and_or():
    tree = parse("not a and b or c")
    assert tree.op == "or" and tree.left.op == "and" and isinstance(tree.left.left, syntax.Unary)


def test_between_uses_and_without_ambiguity():
    tree = parse("count(iku) between lim.min and lim.max and ok")
    assert tree.op == "and" and isinstance(tree.left, syntax.Between) and tree.right == syntax.Name((1, 43), "ok")


def test_if_then_else_chains():
    tree = parse('if a then "x" else if b then "y" else "z"')
    assert isinstance(tree, syntax.If) and isinstance(tree.otherwise, syntax.If)


def test_member_index_call_aggregate():
    tree = parse('sum(i.weight for i in contract.iku where i.origin == "N")')
    assert isinstance(tree, syntax.Aggregate)
    assert (tree.func, tree.var) == ("sum", "i")
    assert tree.collection == syntax.Member((1, 32), syntax.Name((1, 23), "contract"), "iku")
    assert isinstance(tree.where, syntax.Binary) and tree.where.right.value == "N"
    assert isinstance(parse("limits[level].max"), syntax.Member)
    assert parse("round(x, 2)").args[1].value == Decimal(2)


def test_in_and_not_in_and_lists():
    assert parse('x in ["a", "b"]').op == "in"
    tree = parse("x not in [1, 2]")
    assert tree.op == "notin" and len(tree.right.items) == 2


def test_strings_with_escapes_and_single_quotes():
    assert parse(r'"say \"hi\""').value == 'say "hi"'
    assert parse("'it'").value == "it"


def test_comments_and_newlines_are_ignored():
    assert parse("1 +  # one\n 2").op == "+"


def test_free_names_exclude_aggregate_variables():
    names = {n.id for n in syntax.free_names(parse("sum(i.w * k for i in xs where i.a > lim)"))}
    assert names == {"k", "xs", "lim"}


@pytest.mark.parametrize("text, pos, message, hint", [
    ("a = 1", (1, 3), "unexpected character '='", "use == to compare"),
    ("a && b", (1, 3), "unexpected character '&'", "write 'and'"),
    ("60%", (1, 3), "unexpected character '%'", "percentages are plain numbers: write 60, not 60%"),
    ("(1", (1, 2), "expression ends too early; expected )", None),
    ("x.", (1, 2), "expression ends too early; expected a name", None),
    ("1 2", (1, 3), "unexpected '2'; expected a value or an operator", None),
    ("", (1, 1), "empty expression", None),
])
def test_syntax_errors_have_position_message_and_hint(text, pos, message, hint):
    with pytest.raises(ExpressionError) as info:
        parse(text)
    assert (info.value.pos, info.value.message, info.value.hint) == (pos, message, hint)


def test_multiline_error_position():
    with pytest.raises(ExpressionError) as info:
        parse("a +\n  * b")
    assert info.value.pos == (2, 3)
