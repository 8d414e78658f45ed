"""Loop-invariant parts of per-item steps (engine/lang/invariants.py) give exactly what computing them
in place gives.

Checked here: the generated code really hoists (the parts that read no item, once before the loop;
nothing that reads an item, a let or an aggregate variable); hand-computed values; and, with
hypothesis, that over contracts with missing heads, units, fields and zero divisors the hoisting
program gives the same values, rule outcomes and errors as the same policy compiled without hoisting
(where an early evaluation raises, the part is computed in place, as before); the same for random
expressions, evaluated whole with every part hoisted.
"""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.lang import invariants
from engine.lang.checker import Scope
from engine.lang.compiler import ExprCompiler
from engine.lang.invariants import Invariants
from engine.lang.parser import parse
from engine.lang.program import runtime_namespace
from engine.policy.build import build
from engine.policy.loader import read_spec, resolve
from tests.conftest import HEADER, contract
from tests.lang.test_fast_safe_agreement import BOOL_EXPRS, DATA, NUM_EXPRS, outcome
from tests.lang.test_fusion import _comparable   # values, outcomes and errors of one run, comparable

D = Decimal

POLICY = """
parameters:
  eselon_iiaa: {value: [2, 3], cite: Fixture, status: confirmed}
  sampai: {value: Q2, cite: Fixture, status: confirmed}
  ambang: {value: 100, cite: Fixture, status: confirmed}
values:
  capaian:
    for_each: i in contract.iku
    key: "{i.code}"
    expr: >
      let akhir = (if sampai == "Q1" then 1 else if sampai == "Q2" then 2 else 4) in
      i.periods[0].realization / i.periods[0].target * 100 * akhir / contract.budget.total
  anggaran_per_iku:
    for_each: i in contract.iku
    key: "{i.code}"
    expr: if i.polarity == "minimize" then contract.budget.total / count(contract.iku) else 0
rules:
  - id: laporan
    title: Reported when below {ambang}
    cite: Fixture
    for_each: i in contract.iku
    when: >
      coalesce(contract.head.position_kind, "structural") == "structural"
      and contract.unit.eselon in eselon_iiaa and capaian[i] < ambang
    require: any(r.iku == i.code for r in coalesce(contract.achievement_reports, []))
    message: "IKU {i.code}: {capaian[i]}"
outputs: [capaian, anggaran_per_iku]
"""


def iku(code, target=100, realization=None, polarity="maximize"):
    period = {"period": "Q1", "target": target}
    if realization is not None:
        period["realization"] = realization
    return {"code": code, "name": code, "objective": "SS1", "polarity": polarity, "periods": [period]}


@pytest.fixture(scope="module")
def policies(tmp_path_factory):
    """POLICY compiled as it is (hoisting) and with nothing hoisted (plain)."""
    path = tmp_path_factory.mktemp("invariants") / "policy.yaml"
    path.write_text(HEADER + POLICY, encoding="utf-8")
    hoisting = build(resolve(read_spec(path), lambda _id: None))
    with pytest.MonkeyPatch.context() as m:
        m.setattr(invariants.Invariants, "hoistable", lambda self, node, variables: False)
        plain = build(resolve(read_spec(path), lambda _id: None))
    assert "NOT_HOISTED" in hoisting.generated_source and "NOT_HOISTED" not in plain.generated_source
    return hoisting, plain


def test_the_parts_that_read_no_item_are_computed_once_before_the_loop(policies):
    source = policies[0].generated_source
    hoisted = [line.strip() for line in source.splitlines() if line.strip().startswith("_h") and " = " in line
               and "NOT_HOISTED" not in line]
    # the let of parameters and the budget (of the first value); the budget and the count (of the
    # second: a step's own division may yield missing, so its two sides are computed apart); the
    # rule's first two conditions. Nothing that reads i. The two values run in one loop
    # (item_fusion.py), and as two where that loop does not run: their parts are there twice.
    values = ["(K0 if (_p_sampai == 'Q1') else (K1 if (_p_sampai == 'Q2') else K2))",
              "d_root['budget']['total']", "COUNTS[len(d_root['iku'])]", "d_root['budget']['total']"]
    assert [line.split(" = ", 1)[1] for line in hoisted] == values + values + [
        "(((d_root.get('head').get('position_kind') if d_root.get('head').get('position_kind') is not None "
        "else 'structural') == 'structural') and (d_root['unit']['eselon'] in _p_eselon_iiaa))"]
    # the rule's loop reads the local (or, if computing it raised, the conditions in place)
    assert "True if not ((_h8 if _h8 is not NOT_HOISTED else (((d_root.get('head')" in source


def test_hoisted_values_are_the_hand_computed_ones(policies):
    data = contract(unit={"code": "U1", "name": "U", "eselon": 2}, budget={"total": 4},
                    iku=[iku("a", realization=50), iku("b", realization=120, polarity="minimize")])
    result = policies[0].evaluate(data)
    assert result.values == {"capaian": {"a": D(25), "b": D(60)}, "anggaran_per_iku": {"a": D(0), "b": D(2)}}
    assert [(v.rule, v.message) for v in result.violations] == [("laporan", "IKU a: 25.0"), ("laporan", "IKU b: 60.0")]
    # no head, an eselon not listed: the rule does not apply; a zero budget: capaian cannot be computed
    quiet = contract(unit={"code": "U1", "name": "U", "eselon": 4}, budget={"total": 0}, iku=[iku("a", realization=50)])
    result = policies[0].evaluate(quiet)
    assert result.values == {"capaian": {"a": None}, "anggaran_per_iku": {"a": D(0)}}
    assert result.violations == []


NUMBER = st.one_of(st.sampled_from([D(0), D(1), D("2.5"), D(100), D("-3")]), st.none(), st.just("x"))


@st.composite
def contracts(draw):
    record = contract(iku=[])
    for field, strategy in (("unit", st.fixed_dictionaries({}, optional={"eselon": st.sampled_from([1, 2, 3, "2"])})),
                            ("head", st.fixed_dictionaries({}, optional={"position_kind": st.sampled_from(
                                ["structural", "functional", 3])})),
                            ("budget", st.fixed_dictionaries({}, optional={"total": NUMBER})),
                            ("achievement_reports", st.lists(st.fixed_dictionaries({}, optional={"iku": st.sampled_from(["k0", "k1"])}), max_size=3))):
        value = draw(st.one_of(st.none(), strategy))
        if value is None:
            record.pop(field, None)
        else:
            record[field] = value
    for n in range(draw(st.integers(0, 4))):
        item = {"code": f"k{n}", "name": "n", "polarity": draw(st.sampled_from(["maximize", "minimize"])),
                "periods": [{"period": "Q1"}]}
        for key in ("target", "realization"):
            value = draw(NUMBER)
            if value is not None:
                item["periods"][0][key] = value
        record["iku"].append(item)
    return record


@settings(max_examples=300, deadline=None)
@given(data=contracts())
def test_hoisting_and_plain_programs_agree_on_odd_data(policies, data):
    hoisting, plain = policies
    assert _comparable(hoisting, data) == _comparable(plain, data)


def _forms(text: str):
    """An expression over V's names (none of them bound, so every part of it may be hoisted): its
    fast form computed in place, and with its invariant parts computed first, both handing over to
    the safe form as a step does."""
    node = parse(text)
    compiler = ExprCompiler(Scope(), set(), "contract")
    in_place, safe = compiler.fast(node, frozenset()), compiler.safe(node, frozenset())
    compiler.invariants = found = Invariants(None, 0)
    hoisted = compiler.fast(node, frozenset())
    compiler.invariants = None
    first = "".join(f"    {line}\n" for line in found.lines())
    src = (f"def in_place(V):\n    try:\n        return {in_place}\n    except FAST_ERRORS:\n        return {safe}\n"
           f"def hoisted(V):\n{first}    try:\n        return {hoisted}\n    except FAST_ERRORS:\n        return {safe}\n")
    namespace = runtime_namespace()
    namespace.update(compiler.constant_table())
    exec(compile(src, "<test>", "exec"), namespace)  # noqa: S102
    return namespace["in_place"], namespace["hoisted"], bool(found.locals)


@settings(max_examples=400, deadline=None)
@given(st.one_of(NUM_EXPRS, BOOL_EXPRS), DATA)
def test_any_expression_hoisted_whole_gives_its_in_place_outcome(text, data):
    in_place, hoisted, _ = _forms(text)
    assert outcome(hoisted, data) == outcome(in_place, data), text


def test_a_hoisted_part_that_raises_is_computed_in_place():
    # the division by zero is in the branch not taken: computed early it raises, in place it is never
    # reached; and where it is reached, the hand-over to the safe form is as before
    in_place, hoisted, made = _forms("if d.b then 1 / (d.n) else 7")
    assert made
    for d in ({"b": False, "n": D(0)}, {"b": True, "n": D(0)}, {"b": True, "n": D(4)}, {}):
        assert outcome(hoisted, {"d": d}) == outcome(in_place, {"d": d})
    assert outcome(hoisted, {"d": {"b": False, "n": D(0)}}) == ("Decimal", D(7))
