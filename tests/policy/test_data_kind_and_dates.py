"""Two small guarantees: data of the wrong kind gets one clear sentence (not a page of schema errors),
and policy test cases can expect date values written as YYYY-MM-DD."""
import textwrap

import pytest

import engine
from engine.policy.cases import run_policy
from tests.conftest import contract


def test_wrong_kind_of_data_is_one_clear_error():
    policy = engine.load_policy("kmk_300_2022")
    record = engine.Record.from_python({"kind": "employee_performance", "year": 2024}, "unit.yaml")
    with pytest.raises(engine.DataError) as e:
        policy.evaluate(record)
    assert str(e.value).endswith("this is 'employee_performance' data, but the policy judges "
                                 "'organization_contract' data (choose a policy for 'employee_performance', "
                                 "or use --policy auto)")


def test_policy_case_compares_dates_by_their_iso_text(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "policy.yaml").write_text(textwrap.dedent("""\
        policy: dated
        title: Dated values
        effective: {from: 2023-01-01}
        subject: {schema: organization_contract, as: contract}
        values:
          deadline:
            cite: Fixture
            expr: date(contract.year, 1, 31)
        outputs: [deadline]
        """), encoding="utf-8")
    (tmp_path / "tests" / "cases.yaml").write_text(textwrap.dedent(f"""\
        cases:
          - name: right date
            input: {contract()!r}
            expect: {{values: {{deadline: 2024-01-31}}}}
          - name: wrong date
            input: {contract()!r}
            expect: {{values: {{deadline: 2024-02-01}}}}
        """), encoding="utf-8")
    right, wrong = run_policy(engine.load_policy(tmp_path))
    assert right.passed, right.diffs
    assert wrong.diffs == ["values.deadline: expected 2024-02-01, got 2024-01-31"]
