"""The compiler's fast-path optimisations give exactly the results of the plain forms.

Inlined policy functions, groupings made before a per-item loop (for `where x.f == key` scans),
evaluate-once temporaries (`:=`) for clamp and coalesce, and the safe forms of if/and/or without
thunks are all checked here against hand-computed values, including the cases where the fast
form must hand over to the safe form (missing fields, unhashable keys).
"""
from decimal import Decimal

from tests.conftest import contract

D = Decimal

SS = {"objectives": [{"code": "S1", "perspective": "stakeholder"}, {"code": "S2", "perspective": "customer"},
                     {"code": "S3", "perspective": "customer"}]}


def iku(code, objective, realization=None, **extra):
    period = {"period": "Q1", "target": 100}
    if realization is not None:
        period["realization"] = realization
    return {"code": code, "name": code, "objective": objective, "polarity": "maximize",
            "periods": [period], **extra}


GROUPED = """
values:
  per_ss:
    for_each: s in contract.strategy_map.objectives
    key: "{s.code}"
    expr: sum(i.periods[0].realization for i in contract.iku where i.objective == s.code)
  first_code:
    for_each: s in contract.strategy_map.objectives
    key: "{s.code}"
    expr: first(i.code for i in contract.iku where s.code == i.objective)
outputs: [per_ss, first_code]
"""


def test_grouped_scan_gives_per_key_results_in_data_order(make_policy):
    policy = make_policy(GROUPED)
    assert "f_group(" in policy.generated_source
    data = contract(strategy_map=SS, iku=[iku("a", "S1", 10), iku("b", "S2", 20), iku("c", "S1", 5)])
    values = policy.evaluate(data).values
    assert values["per_ss"] == {"S1": D(15), "S2": D(20), "S3": D(0)}
    assert values["first_code"] == {"S1": "a", "S2": "b", "S3": None}


def test_grouped_scan_falls_back_when_the_field_is_missing(make_policy):
    # One IKU without `objective` (schema-invalid, so evaluated from a plain record) makes the
    # grouping fail; the safe form scans and treats the missing field as not equal.
    policy = make_policy(GROUPED)
    broken = iku("x", "S1", 7)
    del broken["objective"]
    data = contract(strategy_map=SS, iku=[iku("a", "S1", 10), broken])
    values, _, _, errors = policy._evaluate(data, policy.parameters_at(None))
    assert errors == []
    assert sorted(values["per_ss"].values()) == [D(0), D(0), D(10)]


SCANS = """
values:
  has_minimize:
    for_each: s in contract.strategy_map.objectives
    key: "{s.code}"
    expr: any(i.objective == s.code and i.polarity == "minimize" for i in contract.iku)
  heavy:
    for_each: s in contract.strategy_map.objectives
    key: "{s.code}"
    expr: count(i for i in contract.iku where s.code == i.objective and i.periods[0].realization > 10)
  every_minimize:
    for_each: s in contract.strategy_map.objectives
    key: "{s.code}"
    expr: all(i.objective == s.code and i.polarity == "minimize" for i in contract.iku)
outputs: [has_minimize, heavy, every_minimize]
"""

SCAN_IKU = [iku("a", "S1", 10), iku("b", "S2", 20, polarity="minimize"), iku("c", "S1", 50),
            iku("d", "S3", 30, polarity="minimize"), iku("e", "S2", 5)]


def test_scans_whose_condition_starts_with_a_key_read_one_group(make_policy):
    # `any(x.f == key and …)` and `where x.f == key and …` read the group of the key (the rest of
    # the condition still applies); `all(x.f == key and …)` is false as soon as another key exists,
    # so it scans every element.
    policy = make_policy(SCANS)
    source = policy.generated_source
    # the three values run in one loop (item_fusion.py) and, where it does not run, one by one:
    # each grouping is made in both
    assert source.count("f_group(") == 4
    assert "for b_i in d_root['iku']" in source   # the all(…)
    values = policy.evaluate(contract(strategy_map=SS, iku=SCAN_IKU)).values
    assert values["has_minimize"] == {"S1": False, "S2": True, "S3": True}
    assert values["heavy"] == {"S1": D(1), "S2": D(1), "S3": D(1)}
    assert values["every_minimize"] == {"S1": False, "S2": False, "S3": False}
    only = contract(strategy_map={"objectives": [SS["objectives"][1]]}, iku=[SCAN_IKU[1]])
    assert policy.evaluate(only).values == {"has_minimize": {"S2": True}, "heavy": {"S2": D(1)},
                                            "every_minimize": {"S2": True}}


def test_scans_by_group_agree_with_the_safe_form_when_a_field_is_missing(make_policy):
    # An IKU without `objective` fails the grouping; one without `polarity` fails only the groups
    # it is in. Either way the value is what the safe form (three-valued) gives.
    # (Missing == "S1" is unknown: with polarity minimize the conjunction is unknown, so `any` of
    # S1's false ones and it is unknown, a missing value; with maximize it is false.)
    policy = make_policy(SCANS)
    no_objective, no_objective_minimize = iku("x", "S1", 7), iku("x", "S1", 7, polarity="minimize")
    no_polarity = iku("y", "S2", 70)
    del no_objective["objective"], no_objective_minimize["objective"], no_polarity["polarity"]
    for extra, expected in ((no_objective, {"S1": False, "S2": True, "S3": True}),
                            (no_objective_minimize, {"S1": None, "S2": True, "S3": True}),
                            (no_polarity, {"S1": False, "S2": True, "S3": True})):
        data = contract(strategy_map=SS, iku=SCAN_IKU + [extra])
        values, _, _, errors = policy._evaluate(data, policy.parameters_at(None))
        assert errors == []
        got = {s["code"]: values["has_minimize"].get(id(s)) for s in SS["objectives"]}
        assert got == expected


INLINED = """
functions:
  capped:
    params: [x, cap]
    expr: clamp(x, 10, cap)
  total:
    params: [k]
    expr: sum(k for k in [1, 2])
values:
  a:
    for_each: i in contract.iku
    key: "{i.code}"
    expr: capped(i.weight, 50)
  b:
    expr: total(5)
outputs: [a, b]
"""


def test_small_functions_are_inlined_and_agree_with_calls(make_policy):
    policy = make_policy(INLINED)
    src = policy.generated_source
    evaluate_body = src[src.index("def evaluate"):]
    assert "u_capped(" not in evaluate_body          # inlined: its arguments are simple
    assert "u_total(" in evaluate_body                # has an aggregate of its own: called
    data = contract(iku=[iku("a", "S1", weight=80), iku("b", "S1", weight=3), iku("c", "S1", weight=D("49.50")),
                         iku("d", "S1")])
    values = policy.evaluate(data).values
    assert values["a"] == {"a": D(50), "b": D(10), "c": D("49.50"), "d": None}
    assert str(values["a"]["c"]) == "49.50"           # clamp returns the same object, not a copy
    assert values["b"] == D(3)                        # `k` of the body is not the caller's variable


def test_coalesce_inside_an_aggregate_collection_compiles(make_policy):
    # `:=` is not allowed in a comprehension's iterable: the helper form is used there.
    policy = make_policy("""
values:
  n:
    expr: count(x for x in coalesce(list(i.code for i in contract.iku where i.objective == "S1"), []))
  m:
    expr: coalesce(first(i.code for i in contract.iku where i.objective == "nope"), "none")
""")
    values = policy.evaluate(contract(iku=[iku("a", "S1", 1), iku("b", "S2", 1)])).values
    assert values["n"] == D(1)
    assert values["m"] == "none"


def test_three_valued_logic_in_the_safe_form(make_policy):
    policy = make_policy("""
values:
  and_false_wins:
    expr: contract.iku[0].periods[0].realization > 1 and false
  and_missing:
    expr: contract.iku[0].periods[0].realization > 1 and true
  or_true_wins:
    expr: contract.iku[0].periods[0].realization > 1 or true
  or_missing:
    expr: contract.iku[0].periods[0].realization > 1 or false
  if_missing:
    expr: if contract.iku[0].periods[0].realization > 1 then 1 else 2
""")
    values = policy.evaluate(contract(iku=[iku("a", "S1")])).values
    assert values == {"and_false_wins": False, "and_missing": None, "or_true_wins": True,
                      "or_missing": None, "if_missing": None}


MISSING_WITHOUT_EXCEPTIONS = """
values:
  mean_per_ss:
    for_each: s in contract.strategy_map.objectives
    key: "{s.code}"
    expr: >
      sum(i.periods[0].realization for i in contract.iku where i.objective == s.code)
      / count(i for i in contract.iku where i.objective == s.code)
  first_code:
    for_each: s in contract.strategy_map.objectives
    key: "{s.code}"
    expr: first(i.code for i in contract.iku where s.code == i.objective)
  rounded:
    for_each: s in contract.strategy_map.objectives
    key: "{s.code}"
    expr: round(mean_per_ss[s], 1)
outputs: [mean_per_ss, first_code, rounded]
"""


def test_legitimately_missing_values_take_no_exception_and_recompute_path(make_policy, monkeypatch):
    """An SS without IKU has no mean (0/0), no first code, and so no rounded mean: all three are
    missing in the fast form itself, so the safe forms are never run (issue 13, item 2)."""
    policy = make_policy(MISSING_WITHOUT_EXCEPTIONS)
    safe_calls = []
    for name in [n for n in policy._namespace if n.startswith("s_")]:
        original = policy._namespace[name]
        policy._namespace[name] = lambda *a, _f=original, _n=name: (safe_calls.append(_n), _f(*a))[1]
    data = contract(strategy_map=SS, iku=[iku("a", "S1", 10), iku("b", "S2", 20), iku("c", "S1", 5)])
    values = policy.evaluate(data).values
    assert values["mean_per_ss"] == {"S1": D("7.5"), "S2": D(20), "S3": None}
    assert values["first_code"] == {"S1": "a", "S2": "b", "S3": None}
    assert values["rounded"] == {"S1": D("7.5"), "S2": D("20.0"), "S3": None}
    assert safe_calls == []


GUARDED_LET = """
functions:
  best_code:
    params: [xs]
    cite: test
    expr: let m = max_by(i.periods[0].realization for i in xs) in if not present(m) then "none" else m.code
values:
  per_ss:
    for_each: s in contract.strategy_map.objectives
    key: "{s.code}"
    expr: best_code(list(i for i in contract.iku where i.objective == s.code))
  lowest:
    expr: let m = min_by(i.periods[0].realization for i in contract.iku where i.code == "x") in if present(m) then m.code else "none"
outputs: [per_ss, lowest]
"""


def test_a_let_guarded_by_present_binds_nothing_without_an_exception(make_policy):
    """`let m = max_by(…) in if not present(m) then … else m.code`: max_by of nothing is None in the
    fast form itself when the body reads m only where it is present (an employee's quarter without
    a penalty, kmk_127_2026_pegawai's nilai_hukdis); no safe form runs. Where the body reads it
    unguarded, the fast form hands over to the safe form as before, with the same (missing) result."""
    from engine.lang.missing_forms import guarded_by_present
    from engine.lang.parser import parse
    policy = make_policy(GUARDED_LET)
    data = contract(strategy_map=SS, iku=[iku("a", "S1", 10), iku("b", "S2", 20), iku("c", "S1", 50)])
    safe_calls = []
    for name in [n for n in policy._namespace if n.startswith("s_")]:
        original = policy._namespace[name]
        policy._namespace[name] = lambda *a, _f=original, _n=name: (safe_calls.append(_n), _f(*a))[1]
    values = policy.evaluate(data).values
    assert values == {"per_ss": {"S1": "c", "S2": "b", "S3": "none"}, "lowest": "none"}
    assert safe_calls == []
    unguarded = make_policy('values:\n  v:\n    expr: let m = max_by(i.code for i in contract.iku where i.code == "x") '
                            'in m.name\noutputs: [v]\n')
    assert unguarded.evaluate(data).values == {"v": None}     # by the safe form, as before
    body = parse('if not present(m) then 0 else m.x')
    assert guarded_by_present("m", body) and not guarded_by_present("n", body)
    assert not guarded_by_present("m", parse("if not present(m) then m.y else 0"))
    assert not guarded_by_present("m", body, (parse("m.x + 1"),))     # a later binding reads it unguarded
    assert guarded_by_present("m", parse('if present(m) then m.x else 0'))
