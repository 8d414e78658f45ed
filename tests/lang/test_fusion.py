"""Loop fusion (engine/lang/fusion.py) gives exactly what the unfused program gives.

Sums, counts and distinct lists over `contract.iku` are accumulated in the loop of the per-item
value over the same collection. Checked here: the generated code really fuses (no grouping pass,
accumulators in the host loop); hand-computed values; and, with hypothesis, that over IKU lists
with missing fields, missing realisations, zero targets, unusual keys and repeated objectives, the
fused program gives the same values, rule outcomes and errors as the same policy compiled without
fusion (whose fast form falls back to the safe form exactly where the fused one must).
"""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.lang import fusion
from engine.policy.build import build
from engine.policy.loader import read_spec, resolve
from tests.conftest import HEADER, contract

D = Decimal

POLICY = """
parameters:
  batas: {value: 2, cite: Fixture, status: confirmed}
  kode_tetap: {value: [S1, S2, S3], cite: Fixture, status: confirmed}
values:
  nilai:
    for_each: i in contract.iku
    key: "{i.code}"
    expr: i.periods[0].realization / i.periods[0].target * 100
  per_ss:
    for_each: s in contract.strategy_map.objectives
    key: "{s.code}"
    expr: >
      sum(i.weight * nilai[i] for i in contract.iku where i.objective == s.code)
      / sum(i.weight for i in contract.iku where i.objective == s.code)
  banyak_s1:
    expr: count(i for i in contract.iku where i.objective == "S1")
  kode:
    expr: distinct(i.objective for i in contract.iku)
  bobot_tinggi:
    expr: sum(k.weight for k in contract.iku where nilai[k] > 50)
  per_kode:
    for_each: c in kode_tetap
    key: "{c}"
    expr: sum(nilai[i] for i in contract.iku where i.objective == c)
rules:
  - id: per-ss
    title: At most {batas} IKU per objective
    cite: Fixture
    for_each: s in kode
    require: count(i for i in contract.iku where i.objective == s) <= batas
    message: "{s} has {count(i for i in contract.iku where i.objective == s)} IKU"
  - id: total
    title: Weights sum to 100
    cite: Fixture
    require: sum(i.weight for i in contract.iku) == 100
    message: "weights sum to {sum(i.weight for i in contract.iku)}"
outputs: [nilai, per_ss, banyak_s1, kode, bobot_tinggi, per_kode]
"""

SS = {"objectives": [{"code": "S1", "perspective": "stakeholder"}, {"code": "S2", "perspective": "customer"},
                     {"code": "S3", "perspective": "customer"}]}


def iku(code, objective, weight, target=100, realization=None):
    period = {"period": "Q1", "target": target}
    if realization is not None:
        period["realization"] = realization
    return {"code": code, "name": code, "objective": objective, "polarity": "maximize", "weight": weight,
            "periods": [period]}


@pytest.fixture(scope="module")
def policies(tmp_path_factory):
    """POLICY compiled as it is (fused) and with no aggregate fused (plain)."""
    path = tmp_path_factory.mktemp("fusion") / "policy.yaml"
    path.write_text(HEADER + POLICY, encoding="utf-8")
    fused = build(resolve(read_spec(path), lambda _id: None))
    with pytest.MonkeyPatch.context() as m:
        m.setattr(fusion.FusionPlan, "_plan", lambda self, steps: None)
        plain = build(resolve(read_spec(path), lambda _id: None))
    assert "_a1" in fused.generated_source and "_a1" not in plain.generated_source
    return fused, plain


def test_the_aggregates_are_accumulated_in_the_loop_of_nilai(policies):
    source = policies[0].generated_source
    assert "f_group(" not in source and "sum([" not in source and "COUNTS[len([" not in source
    loop = source[source.index("for b_i in"):source.index("V['nilai'] =")]
    # each item field the accumulators need is read once per item: the objective (every grouping by
    # it) and the weight (four sums)
    assert loop.count("b_i['objective']") == 1 and loop.count("b_i['weight']") == 1 and "b_k[" not in loop
    # what the steps read instead of scanning: both sums per objective, the count of S1 and the
    # rule's count per objective (one accumulator), the distinct objectives (the keys of those
    # counts: no accumulator of their own), the filtered sum, the sum per fixed code, the total weight
    assert "_a4" not in loop
    assert re.findall(r"(?<=:= )_a\d+\.get\([^)]*\)|\(_a\d+ if _a\d+ is not POISON|list\(_a\d+\)", source) == [
        "_a2.get(b_s['code'], ZERO)", "_a1.get(b_s['code'], ZERO)", "_a3.get('S1', 0)", "list(_a3)",
        "(_a5 if _a5 is not POISON", "_a6.get(b_c, ZERO)", "_a3.get(b_s, 0)", "(_a7 if _a7 is not POISON"]
    # the value just computed for the item is read from its local, not looked up again
    assert "_m1[id(b_i)])" not in loop and "(_x3 if _x3 is not None else f_null())" in loop


def test_fused_values_are_the_hand_computed_ones(policies):
    policy = policies[0]
    data = contract(strategy_map=SS, iku=[iku("a", "S1", 40, realization=50), iku("b", "S2", 30, realization=80),
                                          iku("c", "S1", 30, target=50, realization=60)])
    result = policy.evaluate(data)
    assert result.values["nilai"] == {"a": D(50), "b": D(80), "c": D(120)}
    assert result.values["per_ss"] == {"S1": (D(40) * 50 + D(30) * 120) / 70, "S2": D(80), "S3": None}
    assert result.values["banyak_s1"] == D(2)
    assert result.values["kode"] == ["S1", "S2"]
    assert result.values["bobot_tinggi"] == D(60)
    assert result.values["per_kode"] == {"S1": D(170), "S2": D(80), "S3": D(0)}
    assert [v.rule for v in result.violations] == []


def test_a_missing_realisation_poisons_only_what_reads_it(policies):
    data = contract(strategy_map=SS, iku=[iku("a", "S1", 40, realization=50), iku("b", "S2", 60),
                                          iku("c", "S1", 30, realization=60)])
    fused_result, plain_result = (policy.evaluate(data) for policy in policies)
    assert fused_result.values == plain_result.values
    assert fused_result.values["per_ss"]["S2"] == D(0)   # sum skips the missing product: 0 / 60
    assert fused_result.values["per_kode"]["S1"] == D(110)        # S1 unaffected
    assert [(v.rule, v.message) for v in fused_result.violations] == [
        (v.rule, v.message) for v in plain_result.violations] == [("total", "weights sum to 130")]


def _comparable(policy, data):
    V, E, outcomes, errors = policy._evaluate(data, policy.parameters_at(None))
    items = {id(x): n for name in E for n, x in enumerate(E[name])}
    values = {name: ({items.get(k, k): v for k, v in value.items()} if isinstance(value, dict) else value)
              for name, value in V.items()}
    return (values, [(i, tuple(str(b) for b in binds), repr(status)) for i, binds, status in outcomes],
            [(name, len(binds), type(err).__name__) for name, binds, err in errors])


FIELD = st.one_of(st.sampled_from(["S1", "S2", "S3", "S9"]), st.just(["S1"]), st.none())
NUMBER = st.one_of(st.sampled_from([D(0), D(1), D("2.5"), D(50), D(100), D("33.33")]), st.none(), st.just("x"))


@st.composite
def ikus(draw):
    out = []
    for n in range(draw(st.integers(0, 6))):
        item = {"code": f"k{n}", "name": "n", "polarity": "maximize", "periods": [{"period": "Q1"}]}
        for key, strategy in (("objective", FIELD), ("weight", NUMBER)):
            value = draw(strategy)
            if value is not None:
                item[key] = value
        for key in ("target", "realization"):
            value = draw(NUMBER)
            if value is not None:
                item["periods"][0][key] = value
        out.append(draw(st.sampled_from([item, item, None])) if n else item)
    return out


@settings(max_examples=300, deadline=None)
@given(data=ikus())
def test_fused_and_unfused_programs_agree_on_odd_data(policies, data):
    record = contract(strategy_map=SS, iku=data)
    if data == []:
        del record["iku"]   # no collection at all: every fused aggregate is missing, as unfused
    fused, plain = policies
    assert _comparable(fused, record) == _comparable(plain, record)
