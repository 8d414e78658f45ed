"""engine/batch.py: every record of a batch gets an outcome, under one policy or the one in force."""
from __future__ import annotations

from pathlib import Path

from engine.batch import RuleCount, Summary, check_inputs, summarise
from engine.policy.registry import DEFAULT

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
GOOD = str(EXAMPLES / "pk_2024_kppn_semarang_i.yaml")
TOO_MANY = str(EXAMPLES / "pk_2024_djpb_too_many_iku.yaml")


def test_a_missing_file_is_an_outcome_and_the_batch_goes_on(tmp_path):
    missing = str(tmp_path / "nosuch.yaml")
    outcomes = check_inputs([GOOD, missing, TOO_MANY], DEFAULT)
    assert [o.source for o in outcomes] == [GOOD, missing, TOO_MANY]
    assert [o.result and o.result.policy for o in outcomes] == ["kmk_300_2022", None, "kmk_300_2022"]
    assert str(outcomes[1].error) == f"{missing}: no such file or directory"
    assert [v.rule for v in outcomes[2].result.violations] == ["pk-iku-count"]
    assert summarise(outcomes, "error") == Summary(records=3, passed=1, failed=1, input_errors=1,
                                                   by_severity={"error": 1, "warning": 0, "info": 0},
                                                   by_rule={("kmk_300_2022", "pk-iku-count"): RuleCount(
                                                       "kmk_300_2022", "pk-iku-count", "error", 1, 1)})


def test_a_given_policy_judges_every_record():
    outcomes = check_inputs([GOOD], DEFAULT.load("kmk_467_2014"))
    assert [(o.result.policy, o.error) for o in outcomes] == [("kmk_467_2014", None)]
