"""Evaluation semantics: exact decimals, half-up rounding, missing data, fast/safe agreement,
sandboxing, violations with paths and lines, traces; and the KMK 300 policy on the examples."""
from decimal import Decimal

import pytest

import engine
from engine.lang.compiler import runtime_namespace
from tests.conftest import EXAMPLES, contract

D = Decimal


def value_of(make_policy, expr, data=None, **extra):
    body = "values:\n  x:\n    expr: " + repr(expr) + "\n"
    for k, v in extra.items():
        body += f"  {k}:\n    expr: {v!r}\n"
    return make_policy(body).evaluate(data or contract()).values["x"]


@pytest.mark.parametrize("expr, expected", [
    ("0.1 + 0.2", D("0.3")),
    ("round(2.345, 2)", D("2.35")),
    ("round(2.5)", D("3")),
    ("round(-2.5)", D("-3")),
    ("round(110.4222, 2)", D("110.42")),
    ("99.38 / 90 * 100", D("110.4222222222222222222222222")),
    ("clamp(133.3, 0, 120)", D("120")),
    ("min(3, 1, 2) + max(1, 5)", D("6")),
    ("if 1 > 2 then 1 else 2", D("2")),
    ('"a" in ["a", "b"]', True),
    ("5 between 1 and 5", True),
    ("not (1 == 1) or false", False),
    ("count(contract.iku)", D("1")),
    ("sum(p.target for p in contract.iku[0].periods)", D("90")),
    ('date("2024-01-31") == date(2024, 1, 31)', True),
    ("days_between(date(2024, 1, 1), date(2024, 3, 1))", D("60")),
    ("add_working_days(date(2024, 1, 5), 1) == date(2024, 1, 8)", True),
    ("interpolate(95, [[0, 0], [90, 100], [100, 120]])", D("110")),
    ("abs(-1.50)", D("1.50")),
])
def test_expression_values_are_exact(make_policy, expr, expected):
    got = value_of(make_policy, expr)
    assert got == expected and type(got) is type(expected)


def test_rounding_is_half_up_not_bankers(make_policy):
    assert value_of(make_policy, "round(0.125, 2)") == D("0.13")
    assert value_of(make_policy, "round(0.135, 2)") == D("0.14")


def test_missing_data_is_missing_not_zero(make_policy):
    data = contract(iku=[{"code": "a", "name": "a", "objective": "SS1", "polarity": "maximize",
                          "periods": [{"period": "Q1", "target": 90}]}])
    assert value_of(make_policy, "contract.iku[0].periods[0].realization * 2", data) is None
    assert value_of(make_policy, "sum(p.realization for p in contract.iku[0].periods)", data) == D(0)
    assert value_of(make_policy, "avg(p.realization for p in contract.iku[0].periods)", data) is None
    assert value_of(make_policy, "count(p.realization for p in contract.iku[0].periods)", data) == D(0)
    assert value_of(make_policy, "present(contract.iku[0].periods[0].realization)", data) is False


def test_null_in_data_means_missing(make_policy):
    data = contract(iku=[{"code": "a", "name": "a", "objective": "SS1", "polarity": "maximize",
                          "periods": [{"period": "Q1", "target": 90, "realization": None}]}])
    assert value_of(make_policy, "contract.iku[0].periods[0].realization == 0", data) is None


def test_division_by_zero_is_missing(make_policy):
    assert value_of(make_policy, "1 / 0") is None
    assert value_of(make_policy, "coalesce(1 / 0, 7)") == D(7)


def test_three_valued_logic(make_policy):
    assert value_of(make_policy, "contract.title == 'x' and false") is False
    assert value_of(make_policy, "contract.title == 'x' or true") is True
    assert value_of(make_policy, "contract.title == 'x' or false") is None


def test_band_lookup_respects_open_and_closed_edges(make_policy):
    body = """
parameters:
  b:
    type: bands
    cite: c
    status: secondary
    value:
      - {label: Sangat Baik, over: 100}
      - {label: Baik, from: 90, to: 100}
      - {label: Cukup, under: 90}
values:
  x: {expr: 'list(band(v, b) for v in [120, 100.01, 100, 90, 89.99])'}
"""
    assert make_policy(body).evaluate(contract()).values["x"] == [
        "Sangat Baik", "Sangat Baik", "Baik", "Baik", "Cukup"]


def test_dated_parameters_follow_the_reference_date(make_policy):
    body = """
reference_date: date(contract.year, 1, 1)
parameters:
  limit:
    cite: c
    status: secondary
    values:
      - {from: 2020-01-01, value: 25}
      - {from: 2023-01-01, value: 20}
values:
  x: {expr: limit}
"""
    policy = make_policy(body)
    assert policy.evaluate(contract(year=2022)).values["x"] == D(25)
    assert policy.evaluate(contract(year=2024)).values["x"] == D(20)


def test_per_item_values_and_nested_for_each(make_policy):
    body = """
values:
  cap:
    for_each: [i in contract.iku, p in i.periods]
    key: "{i.code}/{p.period}"
    expr: p.realization / p.target * 100
  best:
    expr: max(cap)
"""
    data = contract(iku=[{"code": "a", "name": "a", "objective": "SS1", "polarity": "maximize",
                          "periods": [{"period": "Q1", "target": 50, "realization": 60},
                                      {"period": "Q2", "target": 50}]}])
    values = make_policy(body).evaluate(data).values
    assert values["cap"] == {"a/Q1": D(120), "a/Q2": None}
    assert values["best"] == D(120)


def test_policy_functions(make_policy):
    body = """
functions:
  pct: {params: [r, t], expr: r / t * 100}
values:
  x: {expr: 'pct(45, 90)'}
"""
    assert make_policy(body).evaluate(contract()).values["x"] == D(50)


def test_fast_and_safe_paths_agree(make_policy):
    """The same expression evaluated natively and with missing-aware helpers gives the same value."""
    policy = make_policy("values:\n  x: {for_each: i in contract.iku, expr: 'i.periods[0].realization / i.periods[0].target'}\n")
    record = engine.Record.from_python(contract())
    fast = policy.evaluate(record).values["x"]
    info = policy.values["x"]
    safe = policy.probe(info.node, info.bound)(record.data, policy.parameters_at(None), {},
                                              record.data["iku"][0])
    assert list(fast.values()) == [safe] == [D(100) / D(90)]


def test_generated_code_cannot_reach_python_builtins():
    ns = runtime_namespace()
    assert "__import__" not in ns["__builtins__"] and "open" not in ns["__builtins__"]
    assert "eval" not in ns["__builtins__"] and "getattr" not in ns["__builtins__"]


def test_member_access_reads_data_keys_not_python_attributes(make_policy):
    assert value_of(make_policy, "contract.title", contract(title="x")) == "x"
    with pytest.raises(engine.PolicyError, match="unknown field '__class__'"):
        make_policy("values:\n  x: {expr: contract.__class__}\n")
    # where the checker cannot know the type, access still reads data keys only
    assert value_of(make_policy, "first([contract.unit, 1]).__class__") is None


def test_rule_violation_has_path_line_message_and_citation(make_policy):
    body = """
rules:
  - id: target-positive
    title: Target positif
    cite: Pasal 1
    for_each: i in contract.iku
    require: all(p.target > 0 for p in i.periods)
    message: "IKU {i.code}: target harus positif"
"""
    data = next(engine.read_records(EXAMPLES / "pk_2024_kppn_semarang_i.yaml"))
    data.data["iku"][2]["periods"][0]["target"] = D(-1)
    result = make_policy(body).evaluate(data)
    (v,) = result.violations
    assert (v.rule, v.severity, v.outcome, v.path, v.cite) == ("target-positive", "error", "failed", "iku[2]", "Pasal 1")
    assert v.message == "IKU 2a-N: target harus positif"
    assert v.line == 76  # the line where iku[2] starts in the example file


def test_rule_with_missing_data_is_undetermined(make_policy):
    body = """
rules:
  - {id: r, title: t, cite: c, require: 'contract.signed_on <= date(contract.year, 1, 31)'}
"""
    (v,) = make_policy(body).evaluate(contract()).violations
    assert (v.outcome, v.message) == ("undetermined", "could not be checked, data missing: t")


def test_invalid_data_raises_data_error_with_location(make_policy):
    policy = make_policy("values:\n  x: {expr: 1}\n")
    with pytest.raises(engine.DataError) as info:
        policy.evaluate(contract(year="MMXXIV"))
    assert info.value.message == "year: expected integer, got 'MMXXIV'"
    with pytest.raises(engine.DataError) as info:   # decimal text is read (tests/test_text_numbers.py), then checked
        policy.evaluate(contract(year="2024.5"))
    assert info.value.message == "year: expected integer, got '2024.5'"


def test_trace_records_inputs_and_results():
    policy = engine.load_policy("kmk_300_2022")
    record = next(engine.read_records(EXAMPLES / "pk_2024_kppn_semarang_i.yaml"))
    result = policy.evaluate(record, trace=True)
    step = next(s for s in result.trace if s.name == "capaian_periode")
    first = step.items[0]
    assert first["key"] == "1a-N Q1" and first["result"] == D("111.11")
    assert first["inputs"]["p.target"] == D(90) and first["inputs"]["p.realization"] == D(100)


# ---- the KMK 300/2022 policy on the bundled examples ------------------------------------------

def kmk300(name):
    policy = engine.load_policy("kmk_300_2022")
    return policy.evaluate(next(engine.read_records(EXAMPLES / name)))


def test_kppn_semarang_reproduces_published_capaian():
    r = kmk300("pk_2024_kppn_semarang_i.yaml")
    cap = r.values["capaian_periode"]
    assert (cap["1a-N Q1"], cap["1a-N Q2"]) == (D("111.11"), D("110.56"))
    assert r.values["capaian_tahunan"]["1a-N"] == D("110.42")
    assert (r.values["nko"], r.values["predikat"], r.violations) == (D("104.48"), "Sangat Baik", [])


@pytest.mark.parametrize("name, rules", [
    ("pk_2024_kppn_semarang_i.yaml", []),
    ("pk_2024_kanwil_jateng_q3.yaml", []),
    ("pk_2024_djpb_too_many_iku.yaml", ["pk-iku-count"]),
    ("pk_2024_kppn_qualitative_target.yaml", ["iku-trajectory", "iku-target-quantitative"]),
    ("pk_2024_kppn_cascade_too_deep.yaml", ["cascade-depth", "cascade-accompanied"]),
    ("pk_2024_kanwil_incomplete.yaml", ["pk-budget", "iku-objective-known", "initiative-complete"]),
])
def test_examples_verdicts(name, rules):
    assert [v.rule for v in kmk300(name).violations] == rules


def test_json_result_keeps_decimals_exact():
    d = kmk300("pk_2024_kppn_semarang_i.yaml").to_dict()
    assert d["values"]["nko"] == "104.48" and d["values"]["capaian_periode"]["1a-N Q2"] == "110.56"
