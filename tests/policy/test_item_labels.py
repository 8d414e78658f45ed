"""Item labels made once per run: values over the same items with the same key template share one
template function and its labels (engine/policy/compile.py, Policy._output), and a key template's
`labels` renders every item in one loop exactly as the template renders each (engine/lang/templates.py),
its safe form included (a missing or odd field)."""
from __future__ import annotations

from decimal import Decimal

from tests.conftest import contract

D = Decimal

BODY = """
values:
  dua:
    for_each: i in contract.iku
    key: "{i.code}"
    expr: i.periods[0].target * 2
  tiga:
    for_each: i in contract.iku
    key: "{i.code}"
    expr: i.periods[0].target * 3
  nama:
    for_each: i in contract.iku
    key: "{i.name}/{i.code}"
    expr: i.code
  per_periode:
    for_each: [i in contract.iku, p in i.periods]
    key: "{i.code} {p.period}"
    expr: p.target
outputs: [dua, tiga, nama, per_periode]
"""


def iku(code, *targets, name=None):
    item = {"code": code, "name": name or str(code).upper(), "objective": "SS1", "polarity": "maximize",
            "periods": [{"period": f"Q{n + 1}", "target": t} for n, t in enumerate(targets)]}
    if code is None:
        del item["code"]
    return item


def test_one_template_function_per_key_source(make_policy):
    policy = make_policy(BODY)
    keys = {name: policy.values[name].key for name in ("dua", "tiga", "nama", "per_periode")}
    assert keys["dua"] is keys["tiga"] and keys["nama"] is not keys["dua"]
    assert all(policy.values[name].labels is not None for name in keys)


def test_shared_and_nested_labels_are_the_template_ones(make_policy):
    policy = make_policy(BODY)
    data = contract(iku=[iku("a", 10, 20), iku("b", 5), iku("c", 7, name="x" * 1200)])
    values = policy.evaluate(data).values
    assert values["dua"] == {"a": D(20), "b": D(10), "c": D(14)}
    assert values["tiga"] == {"a": D(30), "b": D(15), "c": D(21)}
    long_name = "x" * 999 + "…"   # render cuts a text longer than MAX_TEXT
    assert values["nama"] == {"A/a": "a", "B/b": "b", f"{long_name}/c": "c"}
    assert values["per_periode"] == {"a Q1": D(10), "a Q2": D(20), "b Q1": D(5), "c Q1": D(7)}


def test_labels_fall_back_to_the_safe_form_per_item(make_policy):
    policy = make_policy(BODY)
    odd = [{"code": "a", "name": "A"}, {"name": "B"}, {"code": ["x"], "name": None}, {"code": 5}]
    for name in ("dua", "nama"):
        info = policy.values[name]
        assert info.labels(None, {}, {}, odd) == [info.key(None, {}, {}, item) for item in odd]
    assert policy.values["nama"].labels(None, {}, {}, odd) == ["A/a", "B/(missing)", "(missing)/x", "(missing)/5"]
    info = policy.values["per_periode"]
    pairs = [(odd[0], {"period": "Q1"}), (odd[1], {}), (odd[3], {"period": "Q2"})]
    assert info.labels(None, {}, {}, pairs) == [info.key(None, {}, {}, *b) for b in pairs] == [
        "a Q1", "(missing) (missing)", "5 Q2"]
