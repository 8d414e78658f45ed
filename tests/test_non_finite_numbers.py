"""NaN and infinities in Python data (a float NaN from a data frame becomes Decimal('NaN')) are data
errors at their path, never numbers computed with: a NaN target had given a capaian and an NKO as if
the IKU had none, and a NaN under a `minimum` crashed the schema check. Files' readers refuse them
already (tests/test_source_limits.py); evaluate, the acceptor and the batch path agree."""
from __future__ import annotations

from decimal import Decimal as D

import pytest

import engine
from tests.conftest import ROOT
from tests.vector.corpus import contracts

FIXTURES = ROOT / "tests" / "fixtures" / "vector"


@pytest.fixture(scope="module")
def policy():
    return engine.Registry(path=[FIXTURES]).load("vector_nko")


def with_number(field: str, value, item: int = 1) -> dict:
    record = contracts(1, seed=1)[0]
    record["iku"][item][field] = value
    return record


@pytest.mark.parametrize("value, text", [(D("NaN"), "NaN"), (D("sNaN"), "sNaN"), (D("-Infinity"), "-Infinity"),
                                         (float("nan"), "NaN"), (float("inf"), "Infinity")])
@pytest.mark.parametrize("field", ["target", "weight"])    # weight has a minimum: NaN had crashed its check
def test_a_non_finite_number_is_a_located_data_error(policy, field, value, text):
    with pytest.raises(engine.DataError) as e:
        policy.evaluate(with_number(field, value))
    assert str(e.value) == f"<data>: iku[1].{field}: {text} is not a finite decimal number"


def test_every_one_is_reported_and_the_batch_path_agrees(policy):
    record = with_number("target", D("NaN"))
    record["iku"][0]["realization"] = D("Infinity")
    with pytest.raises(engine.ErrorList) as e:
        policy.evaluate(record)
    assert [str(x) for x in e.value.errors] == ["<data>: iku[0].realization: Infinity is not a finite decimal number",
                                                "<data>: iku[1].target: NaN is not a finite decimal number"]
    batch = policy.evaluate_many([record, contracts(1, seed=1)[0]])
    assert isinstance(batch[0], engine.ErrorList) and str(batch[0]) == str(e.value)
    assert batch[1].values == policy.evaluate(contracts(1, seed=1)[0]).values


def test_the_acceptor_leaves_them_to_the_full_check():
    from engine.schema_codegen import acceptor
    from engine.schemas import standard
    accept = acceptor("organization_contract", standard())
    record = next(engine.read_records(ROOT / "examples" / "pk_2024_kppn_semarang_i.yaml")).data
    assert accept(record)
    record["iku"][0]["periods"][0]["target"] = D("NaN")
    assert not accept(record)
