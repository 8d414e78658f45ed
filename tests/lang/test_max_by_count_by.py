"""max_by / min_by (the element with the best key, the first on a tie) and count_by (a table of
counts), in the aggregate form `f(key for x in collection where condition)`."""
from decimal import Decimal

from tests.conftest import contract
from tests.lang.test_checker import one_error
from tests.lang.test_fast_safe_agreement import compiled, outcome

D = Decimal
P = [{"id": "a", "score": D(3)}, {"id": "b", "score": D(5)}, {"id": "c"}, {"id": "d", "score": D("5.0")}]


def both_forms(text: str, xs):
    _, fast, safe = compiled(text)
    args = [{}, {}, xs, [], []]
    return outcome(fast, *args), outcome(safe, *args)


def test_max_by_returns_the_first_element_of_the_largest_key():
    fast, safe = both_forms("max_by(p.score for p in xs)", P)
    assert fast == safe == ("dict", P[1])
    assert both_forms("max_by(p.score for p in xs).id", P) == (("str", "b"),) * 2


def test_min_by_with_where_and_missing_keys_skipped():
    assert both_forms('min_by(p.score for p in xs where p.id != "a").id', P) == (("str", "b"),) * 2
    assert both_forms("min_by(-p.score for p in xs).id", [None, *P]) == (("str", "b"),) * 2


def test_max_by_of_nothing_is_missing():
    assert both_forms("max_by(p.score for p in xs)", []) == (("NoneType", None),) * 2
    assert both_forms("max_by(p.score for p in xs)", [{"id": "c"}]) == (("NoneType", None),) * 2


def test_count_by_counts_each_value_in_order_of_first_appearance():
    xs = [{"p": "Baik"}, {"p": "Sangat Baik"}, {"p": "Baik"}, {}, None]
    fast, safe = both_forms("count_by(e.p for e in xs)", xs)
    assert fast == safe == ("dict", {"Baik": D(2), "Sangat Baik": D(1)})
    assert list(fast[1]) == ["Baik", "Sangat Baik"]
    assert both_forms('count_by(e.p for e in xs)["Baik"]', xs) == (("Decimal", D(2)),) * 2
    assert both_forms('count_by(e.p for e in xs)["Kurang"]', xs) == (("NoneType", None),) * 2
    assert both_forms('coalesce(count_by(e.p for e in xs)["Kurang"], 0)', xs) == (("Decimal", D(0)),) * 2
    assert both_forms('"Kurang" not in count_by(e.p for e in xs)', xs) == (("bool", True),) * 2


def test_count_by_keys_numbers_by_value():
    xs = [D(1), D("1.0"), D(2)]
    assert both_forms("count_by(xs)", xs) == (("dict", {D(1): D(2), D(2): D(1)}),) * 2
    assert both_forms("count_by(xs)[1.00]", xs) == (("Decimal", D(2)),) * 2


def test_checks(make_policy):
    assert one_error(make_policy, "values:\n  x: {expr: max_by(contract.iku)}\n")[2] == (
        "max_by() needs a key: max_by(x.key for x in collection)")
    assert one_error(make_policy, "values:\n  x: {expr: 'count_by(i.periods for i in contract.iku)'}\n")[2] == (
        "count_by() counts numbers, dates or text, not a list of record")
    assert one_error(make_policy, "values:\n  x: {expr: 'max_by(i.code for i in contract.iku).nme'}\n")[2] == (
        "unknown field 'nme'")


def test_in_a_policy_the_result_is_an_element_of_the_data(make_policy):
    body = """
values:
  best: {expr: 'max_by(i.periods[0].realization for i in contract.iku).code'}
  per_polarity: {expr: 'count_by(i.polarity for i in contract.iku)'}
  maximized: {expr: 'per_polarity["maximize"]'}
outputs: [best, per_polarity, maximized]
"""
    iku = [dict(contract()["iku"][0], code=c, periods=[{"period": "Q1", "target": 90, "realization": r}])
           for c, r in (("a", 10), ("b", 30), ("c", 30))]
    values = make_policy(body).evaluate(contract(iku=iku)).values
    assert values["best"] == "b"
    assert values["per_polarity"] == {"maximize": D(3)}
    assert values["maximized"] == D(3)
