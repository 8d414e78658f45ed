"""The catalogue of built-in functions and aggregates: names, arity, argument types, and how each
compiles in fast and safe mode. The checker and the compiler both read this table, and the README's
function reference is written from it, so a function exists in exactly one place.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from . import types as T


@dataclass(frozen=True)
class Function:
    """A built-in function of the language: its argument kinds, its compiled forms and its result type."""
    name: str
    args: tuple[str, ...]          # expected kinds: number, date, list, bands, bool, any; "*" repeats the last
    min_args: int
    fast: str | dict[int, str]     # Python template over compiled args {0}, {1}… or {*}; or one per arity
    safe: str                      # runtime helper called with safe-mode args
    result: Callable[[list[T.Type]], T.Type]
    doc: str
    safe_args: bool = False        # args are compiled in safe mode even on the fast path

    @property
    def max_args(self) -> int | None:
        return None if self.args and self.args[-1] == "*" else len(self.args)


def _const(t: T.Type):
    return lambda _args: t


def _same_as_first(args: list[T.Type]) -> T.Type:
    return args[0] if args else T.ANY


FUNCTIONS: dict[str, Function] = {f.name: f for f in [
    Function("round", ("number", "number"), 1,
             {1: "({0}).quantize(QUANTUM[0], HALF_UP)", 2: "({0}).quantize(QUANTUM[{1}], HALF_UP)"},
             "s_round", _const(T.NUMBER),
             "round(x, places=0): round half-up to `places` decimals (2.345 → 2.35)."),
    Function("floor", ("number", "number"), 1,
             {1: "({0}).quantize(QUANTUM[0], FLOOR)", 2: "({0}).quantize(QUANTUM[{1}], FLOOR)"},
             "s_floor", _const(T.NUMBER),
             "floor(x, places=0): round down (towards minus infinity) to `places` decimals (2.349 → 2.34)."),
    Function("ceil", ("number", "number"), 1,
             {1: "({0}).quantize(QUANTUM[0], CEILING)", 2: "({0}).quantize(QUANTUM[{1}], CEILING)"},
             "s_ceil", _const(T.NUMBER),
             "ceil(x, places=0): round up (towards plus infinity) to `places` decimals (2.341 → 2.35)."),
    Function("abs", ("number",), 1, "abs({0})", "s_abs", _const(T.NUMBER), "abs(x): absolute value."),
    Function("clamp", ("number", "number", "number"), 3, "max({1}, min({2}, {0}))", "s_clamp", _const(T.NUMBER),
             "clamp(x, low, high): x limited to the range low…high."),
    Function("band", ("number", "bands"), 2, "f_band({0}, {1})", "s_band", _const(T.ANY),
             "band(x, table): the label of the band-table row whose interval holds x; missing if none."),
    Function("interpolate", ("number", "list"), 2, "f_interpolate({0}, {1})", "s_interpolate", _const(T.NUMBER),
             "interpolate(x, points): piecewise-linear scale through [[x0, y0], [x1, y1], …]."),
    Function("present", ("any",), 1, "({0} is not None)", "s_present", _const(T.BOOL),
             "present(x): true if x is known (not missing).", safe_args=True),
    Function("coalesce", ("any", "*"), 2, "", "s_coalesce", _same_as_first,   # compiled by ExprCompiler._coalesce
             "coalesce(a, b, …): the first of its arguments that is not missing, read left to right.",
             safe_args=True),
    Function("date", ("any", "number", "number"), 1, "f_date({*})", "s_date", _const(T.DATE),
             'date(y, m, d) or date("2024-01-31"): a calendar date.'),
    Function("add_days", ("date", "number"), 2, "f_add_days({0}, {1})", "s_add_days", _const(T.DATE),
             "add_days(d, n): the date n calendar days after d."),
    Function("add_working_days", ("date", "number"), 2, "f_add_working_days({0}, {1})", "s_add_working_days",
             _const(T.DATE), "add_working_days(d, n): n working days (Mon–Fri) after d; holidays not known."),
    Function("days_between", ("date", "date"), 2, "f_days_between({0}, {1})", "s_days_between", _const(T.NUMBER),
             "days_between(a, b): calendar days from a to b (negative if b is earlier)."),
    Function("year", ("date",), 1, "s_year({0})", "s_year", _const(T.NUMBER), "year(d): the year of a date."),
    Function("month", ("date",), 1, "s_month({0})", "s_month", _const(T.NUMBER), "month(d): 1–12."),
    Function("day", ("date",), 1, "s_day({0})", "s_day", _const(T.NUMBER), "day(d): day of the month."),
    Function("quarter", ("date",), 1, "f_quarter({0})", "s_quarter", _const(T.NUMBER),
             "quarter(d): the quarter of the year, 1 (Jan–Mar) to 4 (Oct–Dec)."),
    Function("quarter_index", ("any", "number"), 1, "f_quarter_index({*})", "s_quarter_index", _const(T.NUMBER),
             "quarter_index(d) or quarter_index(year, quarter): year * 4 + quarter - 1, a running number "
             "of quarters that subtracts across a year end."),
    Function("quarters_between", ("date", "date"), 2, "f_quarters_between({0}, {1})", "s_quarters_between",
             _const(T.NUMBER), "quarters_between(a, b): quarters from a's quarter to b's (Q3 2025 → Q1 2026 is 2)."),
    Function("is_number", ("any",), 1, "(type({0}) is Decimal)", "s_is_number", _const(T.BOOL),
             "is_number(x): true if x is a number (e.g. a quantitative target)."),
    Function("is_text", ("any",), 1, "s_is_text({0})", "s_is_text", _const(T.BOOL),
             "is_text(x): true if x is text."),
    Function("number", ("any",), 1, "f_number({0})", "s_number", _const(T.NUMBER),
             'number(x): x as a number: a number as it is, decimal text read exactly ("12.50" → 12.50, '
             'surrounding spaces ignored); other text is an error, never a guess.'),
]}


@dataclass(frozen=True)
class AggregateFn:
    """A built-in aggregate over a collection (`sum(x for x in xs)`): compiled forms and result type."""
    name: str
    fast: str          # template over a Python list expression {0}
    safe: str          # runtime helper (coll, body, where)
    result: Callable[[T.Type], T.Type]   # from the element type
    doc: str
    checks_missing: bool = False   # the fast form raises on a missing element itself (no f_known needed)
    yields_item: bool = False      # the body is a key and the result is an element (max_by, min_by)


AGGREGATES: dict[str, AggregateFn] = {a.name: a for a in [
    AggregateFn("sum", "sum({0}, ZERO)", "s_sum", lambda e: T.NUMBER, "sum of the present elements (0 if none).",
                checks_missing=True),
    AggregateFn("count", "COUNTS[len({0})]", "s_count", lambda e: T.NUMBER, "number of present elements."),
    AggregateFn("avg", "f_avg({0})", "s_avg", lambda e: T.NUMBER, "mean of the present elements; missing if none.",
                checks_missing=True),
    AggregateFn("min", "f_min({0})", "s_min_list", lambda e: e, "smallest element; missing if none.",
                checks_missing=True),
    AggregateFn("max", "f_max({0})", "s_max_list", lambda e: e, "largest element; missing if none.",
                checks_missing=True),
    AggregateFn("any", "any({0})", "s_any", lambda e: T.BOOL, "true if some element is true."),
    AggregateFn("all", "all({0})", "s_all", lambda e: T.BOOL, "true if every element is true (true if none)."),
    AggregateFn("first", "f_first({0})", "s_first", lambda e: e, "first present element.",
                checks_missing=True),
    AggregateFn("last", "f_last({0})", "s_last", lambda e: e, "last present element (take-last-known-value).",
                checks_missing=True),
    AggregateFn("list", "{0}", "s_list", T.list_of, "the present elements as a list."),
    AggregateFn("distinct", "f_distinct({0})", "s_distinct", T.list_of, "the elements without repeats."),
    AggregateFn("max_by", "f_max_by({0})", "s_max_by", lambda e: T.ANY,
                "the element with the largest key (the first such in data order); missing if none.",
                yields_item=True),
    AggregateFn("min_by", "f_min_by({0})", "s_min_by", lambda e: T.ANY,
                "the element with the smallest key (the first such in data order); missing if none.",
                yields_item=True),
    AggregateFn("count_by", "f_count_by({0})", "s_count_by", lambda e: T.TABLE,
                "a table {value: number of elements with it}, in order of first appearance."),
]}

# min and max with two or more arguments compare scalars instead of aggregating a collection.
SCALAR_MIN_MAX = {"min": ("min({*})", "s_min"), "max": ("max({*})", "s_max")}

