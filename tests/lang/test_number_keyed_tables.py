"""Parameter tables keyed by numbers (`{1: satu, 2: dua}` in YAML): typed, checked and looked up by
value in both forms (1, 1.0 and 1.00 find the same entry; the text "1" does not)."""
from decimal import Decimal

import pytest

from tests.conftest import contract
from tests.lang.test_checker import one_error
from tests.lang.test_fast_safe_agreement import outcome

D = Decimal

TABLE = """
parameters:
  tabel: {value: {1: satu, 2: dua, 3.5: tiga}, cite: uji, status: confirmed}
"""

VALUES = TABLE + """
values:
  one: {expr: '0.5 * 2'}
  by_literal: {expr: 'tabel[1]'}
  by_value: {expr: 'tabel[one]'}
  by_data: {expr: 'tabel[contract.unit.eselon - 1]'}
  fraction: {expr: 'tabel[3.50]'}
  member: {expr: '2.0 in tabel'}
  not_member: {expr: '"2" in tabel'}
  absent: {expr: 'tabel[contract.unit.eselon]'}
outputs: [one, by_literal, by_value, by_data, fraction, member, not_member, absent]
"""


def test_number_keys_are_found_by_value(make_policy):
    values = make_policy(VALUES).evaluate(contract()).values
    assert values == {"one": D("1.0"), "by_literal": "satu", "by_value": "satu", "by_data": "dua",
                      "fraction": "tiga", "member": True, "not_member": False, "absent": None}


@pytest.mark.parametrize("key", [D(1), D("1.0"), D("1.00")])
def test_both_forms_agree_on_a_number_key(make_policy, key):
    policy = make_policy(TABLE + "functions:\n  label: {params: [k], expr: 'tabel[k]'}\n"
                                 "values:\n  x: {expr: 'label(1)'}\noutputs: [x]\n")
    params = policy.parameters_at(None)
    fast, safe = policy._namespace["u_label"], policy._namespace["us_label"]
    assert outcome(fast, {}, params, {}, key) == outcome(safe, {}, params, {}, key) == ("str", "satu")


def test_a_literal_key_must_be_in_the_table(make_policy):
    line, col, message, hint = one_error(make_policy, TABLE + "values:\n  x: {expr: 'tabel[9]'}\n")
    assert (line, col, message, hint) == (9, 20, "no entry 9", "entries: 1, 2, 3.5")


def test_text_is_not_a_number_key(make_policy):
    _, _, message, hint = one_error(make_policy, TABLE + "values:\n  x: {expr: 'tabel[\"1\"]'}\n")
    assert (message, hint) == ("no entry '1'", "this table's keys are numbers: write [1]")


def test_a_number_is_not_a_text_key(make_policy):
    body = 'parameters:\n  t: {value: {"1": satu}, cite: uji, status: confirmed}\nvalues:\n  x: {expr: "t[1]"}\n'
    _, _, message, hint = one_error(make_policy, body)
    assert (message, hint) == ("no entry 1", 'this table\'s keys are text: write ["1"]')


def test_an_entry_has_the_type_of_its_value(make_policy):
    body = "parameters:\n  t: {value: {1: 10, 2: teks}, cite: uji, status: confirmed}\nvalues:\n  x: {expr: 't[2.0] + 1'}\n"
    assert one_error(make_policy, body)[2] == "'+' needs numbers, not a text"
