"""`Policy.outcome`: the values and failing-rule keys of an evaluation, without a `Result`, agree with
`Policy.evaluate` on the generated corpus (compare's attribution relies on it)."""
import pytest

from engine.policy.registry import DEFAULT
from engine.record import Record
from engine.synthetic import generate

pytestmark = pytest.mark.usefixtures("at_root")


@pytest.mark.parametrize("policy_id", ["kmk_300_2022", "kmk_467_2014"])
def test_outcome_agrees_with_evaluate(policy_id):
    policy = DEFAULT.load(policy_id)
    some_rules = {r.id for r in policy.rules[::2]}
    failing = 0
    for n, data in enumerate(generate(units=30, years=(2023, 2024), seed=11, violations=0.4, gaps=True)):
        record = Record.from_python(data, f"generated:{n}")
        result = policy.evaluate(record)
        values, failed = policy.outcome(record, policy.outputs, some_rules)
        assert values == result.values
        assert failed == {(v.rule, v.path) for v in result.violations if v.rule in some_rules}
        failing += bool(failed)
    assert failing > 5   # the corpus breaks some of those rules
