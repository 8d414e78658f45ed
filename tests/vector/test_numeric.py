"""The float columns' bounds (engine/vector/numeric.py): wherever a rounding, a comparison or an
arithmetic result is not marked unsure, it is what Decimal arithmetic (the per-record path) gives,
digit for digit; hypothesis searches for a counterexample, midpoints included."""
from __future__ import annotations

import decimal
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

np = pytest.importorskip("numpy")
from engine.lang.runtime import CONTEXT  # noqa: E402
from engine.vector import numeric  # noqa: E402
from engine.vector.outputs import python_values  # noqa: E402
from engine.vector.vectors import num_const, num_from_floats  # noqa: E402

_decimals = st.decimals(min_value=Decimal("-1e6"), max_value=Decimal("1e6"), places=4, allow_nan=False,
                        allow_infinity=False)


def data(values):
    return num_from_floats(np.array([float(v) for v in values]))


def python(col, i):
    return python_values(col)[i]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_decimals, _decimals.filter(lambda d: d != 0)), min_size=1, max_size=30),
       st.sampled_from(["+", "-", "*", "/"]), st.integers(0, 3))
def test_rounded_results_are_the_decimal_digits_wherever_they_are_sure(pairs, op, places):
    a, b = data([x for x, _ in pairs]), data([y for _, y in pairs])
    out = numeric.round_half_up(numeric.arith(op, a, b), places)
    with decimal.localcontext(CONTEXT):
        for i, (x, y) in enumerate(pairs):
            exact = {"+": x + y, "-": x - y, "*": x * y, "/": x / y}[op].quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
            if not out.unsure[i]:
                assert str(python(out, i)) == str(exact), (x, op, y)


@given(st.lists(st.integers(0, 10 ** 6), min_size=1, max_size=30), st.integers(1, 4))
def test_midpoints_are_unsure_or_rounded_half_up(ks, places):
    # k·10⁻ⁿ⁻¹ + 5·10⁻ⁿ⁻¹: every one an exact midpoint at `places` decimals
    values = [Decimal(10 * k + 5).scaleb(-places - 1) for k in ks]
    out = numeric.round_half_up(data(values), places)
    for i, v in enumerate(values):
        if not out.unsure[i]:
            assert python(out, i) == v.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


@given(st.lists(st.tuples(_decimals, _decimals), min_size=1, max_size=30), st.sampled_from(["<", "<=", "==", ">"]))
def test_comparisons_are_right_wherever_they_are_sure(pairs, op):
    out = numeric.compare(op, data([x for x, _ in pairs]), data([y for _, y in pairs]))
    for i, (x, y) in enumerate(pairs):
        want = {"<": x < y, "<=": x <= y, "==": x == y, ">": x > y}[op]
        assert out.unsure[i] or bool(out.v[i]) == want


def test_a_weight_sum_at_the_tolerance_is_unsure_from_floats_and_exact_from_scaled_integers():
    total = data([Decimal("33.33"), Decimal("33.33"), Decimal("33.33")])
    s = numeric.arith("+", numeric.arith("+", total.take([0]), total.take([1])), total.take([2]))
    off = numeric.absolute(numeric.arith("-", s, num_const(Decimal(100), 1)))
    assert numeric.compare("<=", off, num_const(Decimal("0.01"), 1)).unsure[0]
    exact = num_from_floats(np.array([99.99]))
    exact.exact = (np.array([9999]), 2)
    off = numeric.absolute(numeric.arith("-", exact, num_const(Decimal(100), 1)))
    sure = numeric.compare("<=", off, num_const(Decimal("0.01"), 1))
    assert not sure.unsure[0] and sure.v[0]


def test_zero_results_of_unknown_sign_are_unsure():
    zero = numeric.round_half_up(data([Decimal("-0.001"), Decimal("0.001")]), 2)
    assert list(zero.zero_sign) == [-1, 1] and not zero.unsure.any()
    product = numeric.arith("*", num_const(Decimal(0), 1), num_const(Decimal(-5), 1))
    assert product.odd[0]


_places = st.decimals(min_value=Decimal("-1e5"), max_value=Decimal("1e5"), places=3, allow_nan=False, allow_infinity=False)


def scaled_data(values):
    from engine.vector.frames import with_exact
    return with_exact(data(values), list(values))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_places, _places), min_size=1, max_size=30), st.sampled_from(["+", "-", "*", "/"]))
def test_exact_scaled_integers_are_the_decimal_values_wherever_they_are_claimed(pairs, op):
    # the exact pass's arithmetic (strict: exact quotients where they terminate), against Decimal
    a, b = scaled_data([x for x, _ in pairs]), scaled_data([y for _, y in pairs])
    out = numeric.arith(op, a, b, strict=True)
    k, places = out.exact
    with decimal.localcontext(CONTEXT):
        for i, (x, y) in enumerate(pairs):
            if out.miss[i]:
                assert op == "/" and y == 0
            if out.miss[i] or (out.loose is not None and out.loose[i]):     # not claimed: the floats decide
                continue
            want = {"+": lambda: x + y, "-": lambda: x - y, "*": lambda: x * y, "/": lambda: x / y}[op]()
            assert Decimal(int(k[i])).scaleb(-places) == want, (x, op, y)


@settings(max_examples=300, deadline=None)
@given(st.lists(_places, min_size=1, max_size=30), st.integers(0, 2), st.sampled_from(["half_up", "floor", "ceiling"]))
def test_exact_rounding_is_quantize_with_the_sign_of_zero(values, places, mode):
    from decimal import ROUND_CEILING, ROUND_FLOOR
    out = numeric.round_half_up(scaled_data(values), places, mode)
    rounding = {"half_up": ROUND_HALF_UP, "floor": ROUND_FLOOR, "ceiling": ROUND_CEILING}[mode]
    for i, v in enumerate(values):
        assert not out.unsure[i] or python(out, i) is None
        assert str(python(out, i)) == str(v.quantize(Decimal(1).scaleb(-places), rounding)), (v, places, mode)


def test_quotients_that_do_not_terminate_are_loose_and_decided_by_their_floats():
    a, b = scaled_data([Decimal("1"), Decimal("66.345"), Decimal("1")]), scaled_data([Decimal("3"), Decimal("100.00"), Decimal("8")])
    out = numeric.arith("/", a, b, strict=True)
    assert list(out.loose) == [True, False, False] and out.exact[1] == 5
    assert list(out.exact[0][1:]) == [66345, 12500]
    third = numeric.compare("<", out, num_const(Decimal("0.34"), 3))
    assert bool(third.v[0]) and not third.unsure[0]


def test_a_decimal_is_not_its_float_even_where_that_float_is_whole():
    # 100.0000000000000001 and 1E-400 are the floats 100 and 0; a bound of 0 would decide wrongly
    from engine.vector.frames import decimal_floats
    values = [Decimal("100.0000000000000001"), Decimal("1E-400"), Decimal(0)]
    col = decimal_floats(values, np.zeros(3, bool))
    above = numeric.compare(">", col, num_const(Decimal(100), 3))
    assert above.unsure[0] or above.v[0]
    ratio = numeric.arith("/", num_const(Decimal(5), 3), col)
    assert ratio.unsure[1] and not ratio.miss[1]        # 5/1E-400 is a number, not a division by zero
    assert ratio.miss[2] and not ratio.unsure[2]        # 5/0 is missing


def test_parameter_numbers_and_integer_data_have_bound_zero_only_where_their_float_is_the_number():
    # a parameter equal to its float (Decimal == float is exact) and a whole number of an integer
    # field below 2⁵² are their floats; 0.1, 100.0000000000000001 and 2⁵³ + 1 are not
    import engine
    from engine.vector.frames import column, vector_of
    from tests.conftest import ROOT
    from engine.vector.run import _shape
    from engine.vector.tables import from_dicts
    params = vector_of([Decimal("0.1"), Decimal("2"), Decimal("0.5"), None, Decimal("100.0000000000000001")])
    assert [bool(x == 0) for x in params.e] == [False, True, True, True, False]
    policy = engine.Registry(path=[ROOT / "tests" / "fixtures" / "vector"]).load("vector_quarters")
    records = [{"id": "A", "year": Decimal(2024), "quarter": Decimal(2)}, {"id": "B", "year": 2 ** 53 + 1,
                                                                         "quarter": Decimal("2.0")}]
    root, invalid = from_dicts(records, _shape(policy), policy.spec.subject_schema)
    assert not invalid.any()
    year, quarter = column(root, "year"), column(root, "quarter")      # integer; number
    assert list(year.e == 0) == [True, False] and not (quarter.e == 0).any()


@pytest.mark.parametrize("op, want", [("+", [True, False, True, False]), ("-", [True, False, True, False]),
                                      ("*", [True, False, False, True])])
def test_exact_integers_that_would_reach_2_52_are_loose_and_the_others_exact(op, want):
    # the overflow tests look at a column's largest |k| first (numeric._exact, vectors.aligned,
    # scaled.product): one row at the limit must still be found, and only that row
    D = Decimal
    a = scaled_data([D("4503599627370495"), D("1"), D("1000000000000000"), D("300000000")])
    b = scaled_data([D("1"), D("2"), D("0.01"), D("20000000")])
    out = numeric.arith(op, a, b)
    loose = [False] * 4 if out.loose is None else list(out.loose)
    assert loose == want
    k, places = out.exact
    with decimal.localcontext(CONTEXT):
        for i, (x, y) in enumerate(zip([D("4503599627370495"), D("1"), D("1000000000000000"), D("300000000")],
                                       [D("1"), D("2"), D("0.01"), D("20000000")])):
            if not loose[i]:
                assert Decimal(int(k[i])).scaleb(-places) == {"+": x + y, "-": x - y, "*": x * y}[op]


def test_a_sum_of_exact_integers_reaching_2_52_is_loose_in_that_group_only():
    from engine.vector import scaled
    k = np.array([2 ** 51, 2 ** 51, 7, 8], np.int64)
    total, reach = scaled.sums(k, np.ones(4, bool), None, np.array([0, 0, 1, 1]), 2)
    assert list(reach) == [True, False] and int(total[1]) == 15


def test_a_sum_reaching_2_52_of_exact_integers_below_it_is_loose():
    a = scaled_data([Decimal("999999999999999"), Decimal("1")])
    two = numeric.arith("+", a, a)
    four = numeric.arith("+", two, two)
    assert two.loose is None and four.loose is None and int(four.exact[0][0]) == 3999999999999996
    six = numeric.arith("+", four, two)       # 5 999 999 999 999 994 ≥ 2⁵²: its float decides
    assert list(six.loose) == [True, False] and int(six.exact[0][1]) == 6


def test_aligning_marks_the_rows_whose_scaled_integer_would_reach_2_52():
    from engine.vector.vectors import aligned
    ka, kb, places, over = aligned((np.array([46000000000000, 5]), 0), (np.array([4500000000000001, 7]), 2))
    assert list(over) == [True, False] and places == 2 and list(kb) == [0, 7] and int(ka[1]) == 500


def test_a_result_beyond_the_floats_is_unsure_and_the_others_not():
    # arith looks at the largest |v| + bound first: one infinite row must still be found
    with np.errstate(all="ignore"):     # as the batch runs it (engine/vector/run.py)
        out = numeric.arith("*", data([Decimal("1E+200"), Decimal(2)]), data([Decimal("1E+200"), Decimal(3)]))
    assert list(out.unsure) == [True, False] and float(out.v[1]) == 6.0


@pytest.mark.parametrize("op", ["and", "or"])
def test_a_sure_first_operand_that_decides_leaves_the_second_ones_doubt_out(op):
    # the per-record path does not evaluate b where a decides (`False and b`, `True or b`): b being
    # too close to tell there changes nothing; elsewhere its doubt stays
    from engine.vector.compiler import logic
    from engine.vector.vectors import Bool
    win = op == "or"
    a = Bool(np.array([win, win, not win, win]), np.array([False, False, False, True]),
             np.array([False, True, False, False]))
    b = Bool(np.array([not win] * 4), np.zeros(4, bool), np.ones(4, bool))
    out = logic(op, a, b)
    assert list(out.unsure) == [False, True, True, True]
    assert list(out.v[:1]) == [win] and not out.miss[0]
