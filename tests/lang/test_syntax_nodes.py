"""The syntax nodes (engine/lang/syntax.py): built from their fields, immutable, equal and hashed on
every field but their position, and kept whole through pickling (every cached policy holds them)."""
import pickle
from dataclasses import FrozenInstanceError
from decimal import Decimal

import pytest

from engine.lang import syntax
from engine.lang.parser import parse


def test_fields_in_constructor_order_positional_or_by_name():
    a = syntax.Binary((1, 3), "+", syntax.Name((1, 1), "x"), syntax.Literal((1, 5), Decimal("2")))
    b = syntax.Binary(pos=(1, 3), op="+", left=syntax.Name((1, 1), "x"),
                      right=syntax.Literal((1, 5), Decimal("2")))
    assert syntax.Binary.FIELDS == ("pos", "op", "left", "right")
    assert (a.op, a.left.id, a.right.value) == ("+", "x", Decimal("2"))
    assert a == b


def test_position_is_not_compared_nor_hashed():
    a, b = syntax.Name((1, 1), "x"), syntax.Name((7, 9), "x")
    assert a == b and hash(a) == hash(b)
    assert a != syntax.Name((1, 1), "y")
    assert syntax.Let.COMPARED == ("names", "values", "body")     # nor where a let's names are written


def test_a_node_equals_only_a_node_of_its_own_class():
    assert syntax.Name((1, 1), "x") != syntax.Literal((1, 1), "x")
    assert syntax.Literal((1, 1), Decimal("1")) == syntax.Literal((2, 2), Decimal("1.0"))  # as Decimals


def test_nodes_are_immutable():
    n = syntax.Name((1, 1), "x")
    with pytest.raises(FrozenInstanceError):
        n.id = "y"
    with pytest.raises(FrozenInstanceError):
        del n.id
    assert n.id == "x"


@pytest.mark.parametrize("args, kwargs, message", [
    (((1, 1),), {}, "Name() is missing id"),
    (((1, 1), "x", "y"), {}, "Name() takes 2 fields, 3 given"),
    (((1, 1), "x"), {"id": "y"}, "Name() got an unexpected or repeated field 'id'"),
    (((1, 1), "x"), {"kind": "y"}, "Name() got an unexpected or repeated field 'kind'"),
])
def test_wrong_fields_are_refused(args, kwargs, message):
    with pytest.raises(TypeError) as e:
        syntax.Name(*args, **kwargs)
    assert str(e.value) == message


def test_repr_names_every_field():
    assert repr(syntax.Member((1, 2), syntax.Name((1, 1), "c"), "iku")) == \
        "Member(pos=(1, 2), obj=Name(pos=(1, 1), id='c'), name='iku')"


def test_pickle_and_clone_keep_every_field_and_position():
    tree = parse("let a = x.y in sum(i.w * a for i in items where i.ok) + (if a > 1 then 2 else -3)")
    copy = pickle.loads(pickle.dumps(tree, protocol=pickle.HIGHEST_PROTOCOL))
    for made in (copy, tree.clone()):
        assert made == tree and made is not tree
        assert [(type(n), n.pos) for n in made.walk()] == [(type(n), n.pos) for n in tree.walk()]
        assert made.name_pos == tree.name_pos
        assert all(x is not y for x, y in zip(made.walk(), tree.walk()))
