"""The exact passes of the batch path on their own: run over every valid record, as if the float pass
had left them all unsure, every record a pass decides gets exactly what `policy.evaluate` gives
(values with their digits, violations with their messages). The "scaled" pass (exact scaled
integers, engine/vector/scaled.py) decides what its integers reach, floats deciding the other rows;
the "decimal" pass (the Decimals themselves, engine/vector/decimals.py) decides everything. The batch
path only sends them the records near a midpoint, an edge or a comparison; here they meet all of
them: random contracts and the boundary classes of tests/vector/corpus.py."""
from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import engine
from tests.vector.corpus import contracts
from tests.vector.test_evaluate_many import FIXTURES, _contract, contract, iku, outcome

np = pytest.importorskip("numpy")
from engine.vector import run  # noqa: E402
from engine.vector.results import Results  # noqa: E402
from engine.vector.tables import from_dicts  # noqa: E402

PASSES = ["scaled", "decimal"]


@pytest.fixture(scope="module")
def policy():
    return engine.Registry(path=[FIXTURES]).load("vector_nko")


def exact_pass(policy, records: list, numbers: str) -> tuple[dict, int]:
    """({record index: Result} for the valid records the pass decides on its own, how many are valid)."""
    shape = run._shape(policy)
    root, invalid = from_dicts(records, shape, policy.subject)
    valid = np.flatnonzero(~invalid)
    decided = {}
    for when, members, outside in run._by_parameters(policy, [records[i] for i in valid], None, root.plain):
        where = valid[members]
        group = [records[i] for i in where]
        tables, _ = from_dicts(group, shape, policy.subject, numbers)
        outcome_ = run.BatchOutcome(Results(len(group)))
        undecided, _ = run._decided(policy, group, tables, policy.parameters_at(when), None, outcome_,
                                    np.arange(len(group)), outside)
        decided.update({int(where[i]): outcome_.results[i] for i in np.flatnonzero(~undecided)})
    return decided, len(valid)


def assert_pass_agrees(policy, records: list, numbers: str) -> dict:
    decided, valid = exact_pass(policy, records, numbers)
    for i, got in decided.items():
        assert outcome(got) == outcome(policy.evaluate(records[i])), f"record {i}"
    if numbers == "decimal":
        assert len(decided) == valid        # no float bound in the decimal pass: nothing left unsure
    return decided


@pytest.mark.parametrize("numbers", PASSES)
def test_every_boundary_class(policy, numbers):
    records = contracts(400, seed=21)
    decided = assert_pass_agrees(policy, records, numbers)
    midpoints = [i for i, r in enumerate(records) if r["iku"][0]["code"] == "IKU-0"]
    assert midpoints and all(i in decided for i in midpoints)      # every quotient there terminates


@pytest.mark.parametrize("numbers", PASSES)
def test_midpoints_zero_divisors_negative_zeros_and_clamps(policy, numbers):
    records = [contract(1, [iku("A", "S1", "customer", "100", "80.005", "50"),
                            iku("B", "S1", "customer", "100", "80.005", "50")]),
               contract(2, [iku("A", "S1", "customer", "0", "5", "100")]),                       # 5/0: missing
               contract(3, [iku("A", "S1", "customer", "50", "40", "0")]),                       # 0/0 perspective
               contract(4, [iku("A", "S1", "customer", "-50", "0", "100")]),                     # 0/−50 = −0
               contract(5, [iku("A", "S1", "customer", "10", "500", "100"),                      # clamped at 120
                            iku("B", "S2", "customer", "10", "-3", "0.5", polarity="minimize")]),
               contract(6, [iku("A", "S1", "customer", "50", "40", "100", polarity="stabilize",
                                target_low="45", target_high="55.5")]),
               contract(7, [iku("A", "S1", "customer", "3", "1", "33.33"), iku("B", "S2", "customer", "3", "2", "33.33"),
                            iku("C", "S3", "customer", "3", "2", "33.33")]),                     # 99.99: inside
               contract(8, []),
               contract(9, [iku("A", "S1", "customer", "7", "1", "50"), iku("B", "S2", "customer", "8", "1", "50")])]
    decided = assert_pass_agrees(policy, records, numbers)
    assert str(decided[0].values["nko"]) == "80.01"


_amount = st.decimals(min_value=D("-50"), max_value=D("500"), places=3, allow_nan=False, allow_infinity=False)
_item = st.fixed_dictionaries({
    "code": st.sampled_from(["A", "B", "C"]), "ss": st.sampled_from(["S1", "S2"]),
    "perspective": st.sampled_from(["stakeholder", "customer", "internal_process", "learning_growth"]),
    "polarity": st.sampled_from(["maximize", "minimize", "stabilize"]), "target": _amount, "realization": _amount,
    "weight": st.decimals(min_value=0, max_value=100, places=2) | st.sampled_from([D("0"), D("-0"), D("1E+1")])},
    optional={"target_low": _amount, "target_high": _amount})
_three_places = st.builds(lambda n, level, items: {"id": f"K-{n}", "level": level, "iku": items},
                          st.integers(0, 9), st.sampled_from(["one", "two", "three"]), st.lists(_item, max_size=5))


@pytest.mark.parametrize("numbers", PASSES)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(records=st.lists(_contract | _three_places, min_size=1, max_size=12))
def test_random_contracts(policy, numbers, records):
    assert_pass_agrees(policy, records, numbers)
