"""Per-item value fusion (engine/lang/item_fusion.py) gives exactly what the unfused program gives.

Consecutive per-item values over `contract.iku` that read each other only for the same item run in
one loop. Checked here: which steps are grouped (a whole-value read, another item's value or a
policy function reading a member ends a group); hand-computed values; the unfused code where a
member is seeded; and, with hypothesis, that over IKU lists with missing fields, text where numbers
belong, zero targets and nulls the fused program gives the same values (and their order), items,
rule outcomes and errors (their order and messages) as the same policy compiled without it.
"""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.lang import program
from engine.policy.build import build
from engine.policy.loader import read_spec, resolve
from tests.conftest import HEADER, contract

D = Decimal

POLICY = """
parameters:
  faktor: {value: 2, cite: Fixture, status: confirmed}
functions:
  ganda:
    params: [x]
    expr: x * faktor
  lihat:
    params: [k]
    expr: rasio[k] + 1
values:
  rasio:
    for_each: i in contract.iku
    key: "{i.code}"
    expr: i.periods[0].realization / i.periods[0].target * 100
  dobel:
    for_each: i in contract.iku
    key: "{i.code}"
    expr: ganda(rasio[i])
  tanda:
    for_each: i in contract.iku
    key: "{i.code}"
    expr: if present(dobel[i]) and dobel[i] > 100 then "tinggi" else coalesce(i.objective, "-")
  teks:
    for_each: i in contract.iku
    key: "{i.code}"
    expr: list(p.period for p in i.periods where p.target <= rasio[i])
  rangking:
    for_each: i in contract.iku
    key: "{i.code}"
    expr: count(j for j in contract.iku where rasio[j] > rasio[i])
  tambah:
    for_each: i in contract.iku
    key: "{i.code}"
    expr: lihat(i)
  total:
    expr: max(dobel[i] for i in contract.iku)
  bagian:
    for_each: i in contract.iku
    key: "{i.code}"
    expr: dobel[i] / total
rules:
  - id: dobel-kecil
    title: Dobel at most 300
    cite: Fixture
    for_each: i in contract.iku
    require: dobel[i] <= 300
    message: "{i.code}: {dobel[i]}"
outputs: [rasio, dobel, tanda, teks, rangking, tambah, total, bagian]
"""


@pytest.fixture(scope="module")
def policies(tmp_path_factory):
    """POLICY compiled as it is (fused) and with no value group fused (plain)."""
    path = tmp_path_factory.mktemp("item_fusion") / "policy.yaml"
    path.write_text(HEADER + POLICY, encoding="utf-8")
    fused = build(resolve(read_spec(path), lambda _id: None))
    with pytest.MonkeyPatch.context() as m:
        m.setattr(program, "plan_groups", lambda *args: {})
        plain = build(resolve(read_spec(path), lambda _id: None))
    return fused, plain


def iku(code, target=100, realization=None, objective="SS1"):
    period = {"period": "Q1", "target": target}
    if realization is not None:
        period["realization"] = realization
    return {"code": code, "name": code, "objective": objective, "polarity": "maximize", "periods": [period]}


def test_the_chain_over_the_same_items_is_one_loop(policies):
    fused, plain = (p.generated_source for p in policies)
    body = fused[fused.index("def evaluate"):]
    start = body.index("V['teks'] = {}")
    loop = body[body.index("for b_i in", start):body.index("E['rasio'] = _c", start)]
    # rasio, dobel, tanda and teks in one loop; a member read for the current item is its local
    assert all(f"V[{n!r}] = {{}}" in body for n in ("rasio", "dobel", "tanda", "teks"))
    assert loop.count("for b_i in") == 1 and "[id(b_i)]" not in loop.replace("[id(b_i)] = _x", "")
    assert "(_x1 if _x1 is not None else f_null())" in loop.replace("_x2 ", "_x1 ") or "(_x" in loop
    # rangking reads rasio of another item: it starts a group, which tambah joins (its function reads
    # rasio, not a member of that group); total reads dobel whole, bagian is alone after it
    assert "if _c" in body and "('rangking' in S[2] or 'tambah' in S[2])" in body
    assert "V['total'] = {}" not in body and "V['bagian'] = {}" not in body
    assert "V['rasio'] = {}" not in plain


def test_fused_values_are_the_hand_computed_ones(policies):
    data = contract(iku=[iku("a", 100, 50), iku("b", 50, 60), iku("c", 100)])
    result = policies[0].evaluate(data)
    assert result.values["rasio"] == {"a": D(50), "b": D(120), "c": None}
    assert result.values["dobel"] == {"a": D(100), "b": D(240), "c": None}
    assert result.values["tanda"] == {"a": "SS1", "b": "tinggi", "c": "SS1"}
    assert result.values["teks"] == {"a": [], "b": ["Q1"], "c": []}   # a missing rasio: no period kept
    assert result.values["rangking"] == {"a": D(1), "b": D(0), "c": D(0)}
    assert result.values["total"] == D(240)
    assert result.values["tambah"] == {"a": D(51), "b": D(121), "c": None}
    assert [v.rule for v in result.violations] == ["dobel-kecil"]
    assert result.to_dict() == policies[1].evaluate(data).to_dict()


def test_a_seeded_member_runs_the_unfused_code(policies):
    fused, plain = policies
    data = contract(iku=[iku("a", 100, 50), iku("b", 50, 60)])
    record = fused._prepare(data, None)[0]
    V, E, _, _ = fused._evaluate(record.data, fused.parameters_at(None))
    seeded = dict(V, dobel={k: v * 2 for k, v in V["dobel"].items()})   # the seed is what is read
    for policy in policies:
        values, failed = policy.outcome(record, ["dobel", "tanda", "bagian"], {"dobel-kecil"}, seed=(seeded, E, {"dobel"}))
        assert values == {"dobel": {"a": D(200), "b": D(480)}, "tanda": {"a": "tinggi", "b": "tinggi"},
                          "bagian": {"a": D(200) / 480, "b": D(1)}}
        assert failed == {("dobel-kecil", "iku[1]")}


def _comparable(policy, data):
    V, E, outcomes, errors = policy._evaluate(data, policy.parameters_at(None))
    items = {id(x): n for name in E for n, x in enumerate(E[name])}
    values = [(name, [(items.get(k, k), v) for k, v in value.items()] if isinstance(value, dict) else value)
              for name, value in V.items()]
    return (values, [(name, [id(x) for x in E[name]]) for name in E],
            [(i, tuple(str(b) for b in binds), repr(status)) for i, binds, status in outcomes],
            [(name, tuple(items.get(id(b)) for b in binds), str(err)) for name, binds, err in errors])


NUMBER = st.one_of(st.sampled_from([D(0), D(1), D("2.5"), D(50), D(100), D("-3")]), st.none(), st.just("x"))


@st.composite
def ikus(draw):
    out = []
    for n in range(draw(st.integers(0, 5))):
        item = {"code": f"k{n}", "name": "n", "polarity": "maximize", "periods": [{"period": "Q1"}]}
        if draw(st.booleans()):
            item["objective"] = draw(st.sampled_from(["S1", 7]))
        for key in ("target", "realization"):
            value = draw(NUMBER)
            if value is not None:
                item["periods"][0][key] = value
        if draw(st.integers(0, 9)) == 0:
            del item["periods"]
        out.append(draw(st.sampled_from([item, item, None])) if n else item)
    return out


@settings(max_examples=300, deadline=None)
@given(data=ikus())
def test_fused_and_unfused_programs_agree_on_odd_data(policies, data):
    record = contract(iku=data)
    if data == []:
        del record["iku"]   # no collection at all: every member's collection error, as unfused
    fused, plain = policies
    assert _comparable(fused, record) == _comparable(plain, record)
