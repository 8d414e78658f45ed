"""Static checks at load time: names, fields, arity, types, enums; positions inside the YAML file."""
import pytest

import engine


def errors_of(make_policy, body):
    with pytest.raises((engine.PolicyError, engine.ErrorList)) as info:
        make_policy(body)
    err = info.value
    return err.errors if isinstance(err, engine.ErrorList) else [err]


def one_error(make_policy, body):
    errs = errors_of(make_policy, body)
    assert len(errs) == 1, [str(e) for e in errs]
    e = errs[0]
    return (e.location.line, e.location.column, e.message, e.hint)


PARAM = """
parameters:
  iku_limits: {value: {upk_one: {min: 15, max: 20}}, cite: uji, status: secondary}
"""


def test_unknown_name_suggests_the_close_one(make_policy):
    body = PARAM + "values:\n  x: {expr: iku_limts.upk_one.max}\n"
    assert one_error(make_policy, body) == (9, 13, "unknown name 'iku_limts'", "did you mean 'iku_limits'?")


def test_unknown_field_from_the_data_schema(make_policy):
    body = "values:\n  x: {for_each: i in contract.iku, expr: i.polarty}\n"
    assert one_error(make_policy, body) == (6, 44, "unknown field 'polarty'", "did you mean 'polarity'?")


def test_enum_value_checked_against_schema(make_policy):
    body = 'values:\n  x: {for_each: i in contract.iku, expr: i.polarity == "maximise"}\n'
    line, col, message, hint = one_error(make_policy, body)
    assert (line, col, hint) == (6, 56, "did you mean 'maximize'?")
    assert message == "'maximise' is not one of: maximize, minimize, stabilize"


def test_arity_of_builtin(make_policy):
    line, col, message, _ = one_error(make_policy, "values:\n  x: {expr: 'round(1, 2, 3)'}\n")
    assert (line, col, message) == (6, 14, "round() takes 1 to 2 argument(s), 3 given")


def test_unknown_function(make_policy):
    assert one_error(make_policy, "values:\n  x: {expr: rnd(1)}\n") == (
        6, 13, "unknown function 'rnd'", "did you mean 'round'?")


def test_text_in_arithmetic(make_policy):
    line, col, message, _ = one_error(make_policy, "values:\n  x: {expr: contract.unit.name + 1}\n")
    assert (line, col, message) == (6, 27, "'+' needs numbers, not a text")


def test_condition_must_be_boolean(make_policy):
    body = "rules:\n  - {id: r, title: t, cite: c, require: count(contract.iku)}\n"
    line, col, message, _ = one_error(make_policy, body)
    assert (line, message) == (6, "a condition must be true or false, but this is a number")


def test_member_on_a_list_explains_aggregates(make_policy):
    _, _, message, _ = one_error(make_policy, "values:\n  x: {expr: contract.iku.code}\n")
    assert message.startswith("'.code' on a list: use an aggregate")


def test_several_errors_reported_together(make_policy):
    errs = errors_of(make_policy, "values:\n  a: {expr: nope}\n  b: {expr: 1 + zilch}\n")
    assert sorted(e.location.line for e in errs) == [6, 7]


def test_value_cycle_is_an_error(make_policy):
    line, _, message, _ = one_error(make_policy, "values:\n  a: {expr: b + 1}\n  b: {expr: a + 1}\n")
    assert message == "values depend on each other in a cycle: a → b → a"


def test_block_scalar_error_points_inside_the_block(make_policy):
    body = "values:\n  x:\n    expr: >\n      1 +\n      nope\n"
    line, col, message, _ = one_error(make_policy, body)
    assert (line, col, message) == (9, 7, "unknown name 'nope'")


def test_unused_parameter_is_a_warning(make_policy):
    policy = make_policy(PARAM + "values:\n  x: {expr: 1}\n")
    assert [w.message for w in policy.warnings] == ["parameter 'iku_limits' is not used by any value or rule"]


def test_provisional_parameter_without_note_warns(make_policy):
    policy = make_policy("parameters:\n  p: {value: 1, cite: c, status: provisional}\nvalues:\n  x: {expr: p}\n")
    assert [w.message for w in policy.warnings] == [
        "provisional parameter 'p' has no note explaining the assumption"]


def test_overlapping_bands_are_an_error_and_gaps_a_warning(make_policy):
    bands = """
parameters:
  b:
    type: bands
    cite: c
    status: secondary
    value:
      - {label: A, from: 90}
      - {label: B, from: 50, to: 95}
values:
  x: {expr: 'band(1, b)'}
"""
    assert one_error(make_policy, bands)[2] == "band 'B' overlaps band 'A'"
    gap = bands.replace("from: 50, to: 95", "from: 50, under: 80")
    policy = make_policy(gap)
    assert [w.message for w in policy.warnings] == [
        "bands leave a gap at 80 … 90 ('B' / 'A'): a value there gets no label"]
