"""Policy.evaluate_many (engine/vector): every record's outcome is the one `policy.evaluate` gives, for
the generated corpus under every bundled policy and for boundary classes built here on purpose (exact
.xx5 NKO midpoints, weights summing to exactly 99.99 or 100.01, a divisor of zero, missing
perspectives, invalid records); hypothesis checks random contracts. The test policy and schema are
tests/fixtures/vector (a contract with a list of IKU)."""
from __future__ import annotations

import json
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import engine
from engine.synthetic import generate
from tests.conftest import ROOT

pytest.importorskip("numpy")

FIXTURES = ROOT / "tests" / "fixtures" / "vector"
PERSPECTIVES = ["stakeholder", "customer", "internal_process", "learning_growth"]


@pytest.fixture(scope="module")
def policy():
    return engine.Registry(path=[FIXTURES]).load("vector_nko")


def outcome(x) -> str:
    """Everything a Result (or an error) says, with the exact digits of every Decimal."""
    if isinstance(x, Exception):
        return f"{type(x).__name__}: {x}"
    return json.dumps(x.to_dict(), default=repr, sort_keys=False) + repr(x.values)


def per_record(policy, records):
    out = []
    for r in records:
        try:
            out.append(policy.evaluate(r))
        except engine.KinerjaError as e:
            out.append(e)
    return out


def assert_same(policy, records):
    batch = policy.evaluate_many(records)
    expected = per_record(policy, records)
    assert len(batch) == len(records)
    for i, (got, want) in enumerate(zip(batch, expected)):
        assert outcome(got) == outcome(want), f"record {i}"
    return batch


def iku(code, ss, perspective, target, realization, weight, polarity="maximize", **extra):
    return {"code": code, "ss": ss, "perspective": perspective, "polarity": polarity, "target": D(target),
            "realization": D(realization), "weight": D(weight), **{k: D(v) for k, v in extra.items()}}


def contract(n, items, level="three"):
    return {"id": f"K-{n}", "level": level, "iku": items}


def test_the_columns_decide_ordinary_contracts_and_report_what_vectorised(policy):
    records = [contract(1, [iku("A", "S1", "stakeholder", "80", "72.4", "60"),
                            iku("B", "S2", "customer", "10", "9", "40", polarity="minimize")])]
    batch = assert_same(policy, records)
    assert batch.columns == 1 and batch.exact == 0
    assert {"nko", "predikat", "capaian_bulat", "jumlah_iku", "rule weight-sum"} <= set(batch.vectorised)
    assert batch.per_record == {}
    assert str(batch[0].values["capaian_bulat"]["A"]) == "90.50" and batch[0].values["eselon_dua"] is None


def midpoints(n: int) -> list[dict]:
    # capaian 80.00 and 80.01 with equal weights: the exact NKO is 80.005, float says 80.00499…
    return [contract(i, [iku("A", "S1", "customer", "100", f"{80 + i / 100:.2f}", "50"),
                         iku("B", "S2", "customer", "100", f"{80 + (i + 1) / 100:.2f}", "50")]) for i in range(n)]


def test_exact_midpoints_go_to_the_exact_path_and_round_half_up(policy):
    # from Python records, the per-record path (cheaper than a second column pass from the objects);
    # from Arrow columns, the second pass: tests/vector/test_columnar.py
    batch = assert_same(policy, midpoints(40))
    assert [str(r.values["nko"]) for r in batch][:3] == ["80.01", "80.02", "80.03"]
    assert batch.exact == 40 and batch.reasons == {"near an edge or missing": 40} and batch.passes == {}


@pytest.mark.parametrize("weights", [("33.33", "33.33", "33.33"), ("33.33", "33.34", "33.34"),
                                     ("33.33", "33.33", "33.32"), ("50", "50", "0.02")])
def test_weight_sums_at_the_tolerance_edge(policy, weights):
    # the float sum is too close to 100 ± 0.01 to tell: the record goes to the exact path (from
    # Arrow columns the sum is exact already: tests/vector/test_columnar.py)
    batch = assert_same(policy, [weight_edge(weights)])
    assert batch.columns + batch.exact == 1


def weight_edge(weights) -> dict:
    return contract(1, [iku(c, f"S{c}", "internal_process", "90", "81", w) for c, w in zip("ABC", weights)])


def test_violations_come_from_the_columns_with_the_per_record_messages(policy):
    items = [iku(c, "S1", "stakeholder", "-5" if c == "B" else "50", "40", "25") for c in "ABCD"]
    batch = assert_same(policy, [contract(1, items, level="one"), contract(2, items[:1] * 1)])
    rules = [(v.rule, v.message) for v in batch[0].violations]
    assert ("ss-max", "S1 carries 4 IKU") in rules and ("target-positive", "IKU B has target -5") in rules


def test_missing_perspectives_a_zero_divisor_and_missing_fields(policy):
    records = [contract(1, [iku("A", "S1", "learning_growth", "0", "5", "100")]),        # 5/0: missing
               contract(2, [iku("A", "S1", "customer", "0", "0", "100", polarity="minimize")]),
               contract(3, [iku("A", "S1", "customer", "50", "40", "100", polarity="stabilize")]),   # no band
               contract(4, [iku("A", "S1", "customer", "50", "40", "0")]),                # 0/0 perspective
               contract(5, []),
               {**contract(6, [iku("A", "S1", "customer", "50", "40", "100")]), "unit": {"eselon": 2}}]
    assert_same(policy, records)


def test_invalid_records_get_their_error_and_the_others_their_result(policy):
    good = contract(1, [iku("A", "S1", "customer", "50", "40", "100")])
    records = [good, {**good, "level": "four"}, {**good, "extra": 1}, "not a mapping",
               {**good, "iku": [{**good["iku"][0], "weight": "100"}]}, {**good, "kind": "other"},
               {**good, "iku": [{**good["iku"][0], "weight": D("-1")}]}, {"id": "K"}, good]
    batch = assert_same(policy, records)
    # the weight written as text ("100") is read as a number where the schema says number
    # (engine/text_numbers.py), so that record is valid; the others are not
    assert [isinstance(r, engine.KinerjaError) for r in batch] == [False, True, True, True, False, True, True, True, False]


def test_plain_numbers_and_nulls_are_read_as_the_per_record_path_reads_them(policy):
    items = [{"code": "A", "ss": "S1", "perspective": "customer", "polarity": "maximize", "target": 80,
              "realization": 72.25, "weight": 100, "target_low": None}]
    assert_same(policy, [contract(1, items), contract(2, [{**items[0], "target": 0}])])


_amount = st.decimals(min_value=D("-50"), max_value=D("500"), places=2, allow_nan=False, allow_infinity=False)
_item = st.fixed_dictionaries({
    "code": st.sampled_from(["A", "B", "C", "D"]), "ss": st.sampled_from(["S1", "S2", "S3"]),
    "perspective": st.sampled_from(PERSPECTIVES), "polarity": st.sampled_from(["maximize", "minimize", "stabilize"]),
    "target": _amount, "realization": _amount, "weight": st.decimals(min_value=0, max_value=100, places=2)},
    optional={"target_low": _amount, "target_high": _amount})
_contract = st.builds(lambda n, level, items: {"id": f"K-{n}", "level": level, "iku": items},
                      st.integers(0, 99), st.sampled_from(["one", "two", "three"]), st.lists(_item, max_size=6))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_contract, min_size=1, max_size=12))
def test_random_contracts_agree_with_the_exact_path(policy, records):
    assert_same(policy, records)


@pytest.mark.parametrize("policy_id", ["kmk_300_2022", "kmk_467_2014", "kmk_127_2026", "permenpan_6_2022",
                                       "kmk_127_2026_pegawai"])
def test_the_generated_corpus_with_gaps_under_every_policy(policy_id):
    target = engine.load_policy(policy_id)
    corpus = generate(units=12, years=(2024, 2026), gaps=True, with_employees=True, with_employee_scores=True)
    records = [r for r in corpus if r.get("kind") == target.subject]
    assert records
    batch = assert_same(target, records)
    assert batch.columns + batch.exact == len(records)


def test_a_corpus_of_every_boundary_class_agrees_and_mostly_comes_from_columns(policy):
    from tests.vector.corpus import contracts
    batch = assert_same(policy, contracts(400))
    assert batch.columns > 250 and set(batch.reasons) <= {"near an edge or missing", "invalid or unchecked data"}


@pytest.mark.parametrize("weights, targets", [
    (("1.5", "2.25", "60", "60.0"), ("10", "2.5", "-0", "100.00")),
    (("0", "-0", "0.00", "50.000"), ("-3", "2.5", "0", "7")),
    (("1E+1", "3", "0.5", "99.99"), ("1E+1", "-2", "60", "0.001")),
    (("1.50", "2.25", "60.00", "3.00"), ("-1.00", "2.50", "70.00", "4.00"))])   # one exponent: the scaled pass
def test_exact_values_that_are_not_rounded_keep_the_per_record_digits(weights, targets):
    # outputs and messages quote data-exact numbers; written 1.5 beside 2.25 or 0 beside 0.00, chosen
    # by a clamp (its bound 0, not 0.00) or an if (its literal 7, not 7.00), their digits are what the
    # per-record path prints, from the first pass and from the exact passes alike
    digits = engine.Registry(path=[FIXTURES]).load("vector_digits")
    items = [iku(c, "S1", "customer", t, "5", w, polarity=p)
             for c, t, w, p in zip("ABCD", targets, weights, ("maximize", "minimize") * 2)]
    records = [contract(1, items), contract(2, items[:2]), contract(3, items[2:]), contract(4, items[:1]), contract(5, [])]
    assert_same(digits, records)
    from tests.vector.test_decimals import assert_pass_agrees
    for numbers in ("scaled", "decimal"):
        assert_pass_agrees(digits, records, numbers)
