"""Two lookups made once per run (engine/lang/program.py): a grouping of the same collection of the
data, parameters or whole values by the same field is one local of the program, made by the first
step that needs it; a nested value that later steps read by item is also kept as a plain dict by item
(runtime.NestedValues.by_item), read without a call per lookup. Both give exactly what they replace:
hand-computed values, and the same values, outcomes and errors as the program without them, also
where a field is missing (the grouping fails, each reader falls back) and where an inner item is
ambiguous (the lookups raise, as before)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from engine.lang import program
from engine.lang.runtime import NestedValues, f_by_item
from engine.policy.build import build
from engine.policy.loader import read_spec, resolve
from tests.conftest import HEADER, contract

D = Decimal

POLICY = """
parameters:
  ambang: {value: 90, cite: Fixture, status: confirmed}
  bobot: {value: [1, 2], cite: Fixture, status: confirmed}
values:
  utama:
    expr: list(i for i in contract.iku where not present(i.parent_iku))
  jumlah_ss:
    for_each: s in contract.strategy_map.objectives
    key: "{s.code}"
    expr: count(i for i in utama where i.objective == s.code)
  per_periode:
    for_each: [i in contract.iku, p in i.periods]
    key: "{i.code} {p.period}"
    expr: p.realization / p.target * 100
  per_bobot:
    for_each: [i in contract.iku, b in bobot]
    key: "{i.code} {b}"
    expr: b * 2
  pertama:
    for_each: i in contract.iku
    key: "{i.code}"
    expr: per_bobot[bobot[0]]
rules:
  - id: ss-isi
    title: Every objective has an IKU
    cite: Fixture
    for_each: s in contract.strategy_map.objectives
    require: first(i.code for i in utama where i.objective == s.code) != "x"
    message: "{s.code}"
  - id: periode-baik
    title: Every period reaches the threshold
    cite: Fixture
    for_each: [i in contract.iku, p in i.periods]
    require: not present(per_periode[p]) or per_periode[p] >= ambang
    message: "{i.code} {p.period}: {per_periode[p]}"
outputs: [jumlah_ss, per_periode, pertama]
"""


@pytest.fixture(scope="module")
def policies(tmp_path_factory):
    """POLICY compiled as it is and with neither lookup made once (plain)."""
    path = tmp_path_factory.mktemp("shared_lookups") / "policy.yaml"
    path.write_text(HEADER + POLICY, encoding="utf-8")
    shared = build(resolve(read_spec(path), lambda _id: None))
    with pytest.MonkeyPatch.context() as m:
        m.setattr(program.ProgramBuilder, "_group_local", lambda self, collection, coll, field: self._new("g"))
        m.setattr(program, "_looked_up", lambda steps: set())
        plain = build(resolve(read_spec(path), lambda _id: None))
    return shared, plain


SS = {"objectives": [{"code": "S1", "perspective": "stakeholder"}, {"code": "S2", "perspective": "customer"}]}


def iku(code, objective, *periods):
    return {"code": code, "name": code, "objective": objective, "polarity": "maximize",
            "periods": [{"period": f"Q{n + 1}", "target": t, "realization": r} for n, (t, r) in enumerate(periods)]}


def test_one_grouping_and_one_dict_by_item(policies):
    source, plain = (p.generated_source for p in policies)
    assert source.count("= f_group(V['utama'], 'objective')") == 2 and source.count("_g") > 0
    shared = [line.strip().split(" = ")[0] for line in source.splitlines() if line.strip().endswith("= NOT_MADE")]
    assert len(shared) == 1 and source.count(f"if {shared[0]} is NOT_MADE:") == 2
    assert "f_by_item(" in source and "NOT_MADE" not in plain and "f_by_item(" not in plain


def test_the_values_are_the_hand_computed_ones(policies):
    data = contract(strategy_map=SS, iku=[iku("a", "S1", (100, 95), (100, 80)), iku("b", "S1", (50, 50)),
                                          iku("c", "S2", (10, 20))])
    results = [policy.evaluate(data) for policy in policies]
    assert results[0].values["jumlah_ss"] == {"S1": D(2), "S2": D(1)}
    assert [(v.rule, v.message) for v in results[0].violations] == [("periode-baik", "a Q2: 80.0")]
    assert [r.to_dict() for r in results[0:1]] == [r.to_dict() for r in results[1:]]


def _run(policy, data):
    V, E, outcomes, errors = policy._evaluate(data, policy.parameters_at(None))
    return ({n: (dict(v) if isinstance(v, dict) else v) for n, v in V.items()},
            [(i, tuple(id(b) for b in binds), repr(status)) for i, binds, status in outcomes],
            [(n, tuple(id(b) for b in binds), str(err)) for n, binds, err in errors])


def test_a_missing_field_and_an_ambiguous_item_fall_back_as_before(policies):
    # unvalidated data: an IKU without objective fails the grouping (each reader falls back); the
    # parameter list bobot occurs under every IKU, so per_bobot[b] is ambiguous (an error, as before)
    odd = {"code": "d", "name": "d", "polarity": "maximize", "periods": [{"period": "Q1", "target": 0, "realization": 1}]}
    data = contract(strategy_map=SS, iku=[iku("a", "S1", (100, 95)), odd, iku("b", "S1", (10, None))])
    shared, plain = (_run(policy, data) for policy in policies)
    assert shared == plain
    assert shared[0]["jumlah_ss"] and shared[0]["pertama"] == {}
    assert sum("ambiguous" in e[2] for e in shared[2]) == 3


def test_by_item_is_a_plain_dict_unless_an_item_is_ambiguous():
    a, b, shared = {"p": 1}, {"p": 2}, {"p": 3}
    values = NestedValues({0: D(5), 2: D(7)}, [({}, a), ({}, b), ({}, shared)], "v")
    assert f_by_item(values) == {id(a): D(5), id(shared): D(7)} and type(f_by_item(values)) is dict
    ambiguous = NestedValues({0: D(5)}, [({}, shared), ({}, shared)], "v")
    assert f_by_item(ambiguous) is ambiguous
    plain = {id(a): D(1)}
    assert f_by_item(plain) is plain
