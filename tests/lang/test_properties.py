"""Property tests: whatever text or bytes come in, the engine answers with its own errors only.

(a) the expression parser returns a node or raises ExpressionError;
(b) load_yaml raises only SourceError;
(c) a policy file of arbitrary bytes raises only KinerjaError;
(d) decimal numbers survive YAML exactly (value and written precision);
(e) errors about contract data files are DataErrors that carry a line number.

The regression tests at the end pin inputs that once escaped as Python exceptions.
"""
from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import engine
from engine.errors import DataError, ErrorList, KinerjaError, SourceError
from engine.lang import syntax
from engine.lang.parser import ExpressionError, parse
from engine.record import read_records
from engine.source import load_yaml

FAST = settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

# -- (a) the expression parser -----------------------------------------------------------------------
NAMES = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,6}", fullmatch=True)
NUMBERS = st.from_regex(r"[0-9]{1,4}(\.[0-9]{1,3})?", fullmatch=True)
STRINGS = st.text(max_size=5).map(  # a string literal cannot hold a raw line break
    lambda s: '"' + s.replace('"', "").replace("\\", "").replace("\n", "") + '"')
TOKENS = st.sampled_from([
    "+", "-", "*", "/", "==", "!=", "<", "<=", ">", ">=", "=", "(", ")", "[", "]", ",", ".", "and",
    "or", "not", "in", "between", "if", "then", "else", "for", "where", "true", "false", "null", "&&",
    "||", "!", "%", "#", "'", '"', "\\", "\n", "\t", "sum", "count", "round", "contract", "iku", "i",
    "1e5", "0x1", ".5", "5.", "é", "\x00", "((", "))",
])
TOKEN_SOUP = st.tuples(st.lists(st.one_of(TOKENS, NAMES, NUMBERS, STRINGS), max_size=25),
                       st.sampled_from([" ", ""])).map(lambda t: t[1].join(t[0]))


def _wrap(s: str) -> str:
    return f"({s})"


ATOMS = st.one_of(NAMES.filter(lambda n: n not in _KEYWORDS), NUMBERS, STRINGS,
                  st.sampled_from(["true", "false", "null"]))
_KEYWORDS = {"if", "then", "else", "and", "or", "not", "in", "between", "for", "where", "true", "false", "null"}
VALID_EXPRS = st.recursive(ATOMS, lambda inner: st.one_of(
    st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "==", "!=", "<", "<=", ">", ">=", "and", "or", "in"]),
              inner).map(lambda t: f"{_wrap(t[0])} {t[1]} {_wrap(t[2])}"),
    inner.map(lambda e: f"not {_wrap(e)}"),
    inner.map(lambda e: f"-{_wrap(e)}"),
    st.tuples(inner, inner, inner).map(lambda t: f"if {t[0]} then {t[1]} else {t[2]}"),
    st.tuples(inner, inner, inner).map(lambda t: f"{_wrap(t[0])} between {_wrap(t[1])} and {_wrap(t[2])}"),
    st.tuples(NAMES.filter(lambda n: n not in _KEYWORDS), st.lists(inner, max_size=3))
      .map(lambda t: f"{t[0]}({', '.join(t[1])})"),
    st.lists(inner, max_size=3).map(lambda items: f"[{', '.join(items)}]"),
    st.tuples(inner, NAMES.filter(lambda n: n not in _KEYWORDS)).map(lambda t: f"{_wrap(t[0])}.{t[1]}"),
    st.tuples(inner, inner).map(lambda t: f"{_wrap(t[0])}[{t[1]}]"),
    st.tuples(inner, inner).map(lambda t: f"sum({t[0]} for x in {t[1]} where {t[0]})"),
), max_leaves=12)


def _parse_or_expression_error(text: str):
    try:
        node = parse(text)
    except ExpressionError as e:
        line, col = e.pos
        assert e.message and 1 <= line <= text.count("\n") + 1 and col >= 1, (e.message, e.pos)
        return None
    assert isinstance(node, syntax.Node)
    return node


@FAST
@given(st.text())
def test_parse_arbitrary_text(text):
    _parse_or_expression_error(text)


@FAST
@given(TOKEN_SOUP)
@example("count(contract.iku) >")
@example("a = 1")
@example("(" * 2000 + "1" + ")" * 2000)
@example("if true then 1 else " * 600 + "1")
@example("-" * 3000 + "1")
def test_parse_token_soup(text):
    _parse_or_expression_error(text)


@FAST
@given(VALID_EXPRS)
def test_parse_well_formed_expressions(text):
    assert _parse_or_expression_error(text) is not None, text


# -- (b) load_yaml ----------------------------------------------------------------------------------
YAML_TOKENS = st.sampled_from([
    ":", ": ", "- ", "-", "[", "]", "{", "}", ",", "? ", "&a ", "*a", "&b ", "*b", "!!str ", "!!float ",
    "!!null ", "!!binary ", "!!timestamp ", "!!set ", "!!omap ", "!custom ", "<<: ", "'", '"', "#", "|",
    ">", "|-", ">+", "---", "...", "%YAML 1.1", "\n", "  ", "    ", "\t", "~", "null", "yes", "no",
    "on", "0x1F", "0o17", "017", "1_000", "1:30", "1:30.5", ".inf", "-.inf", ".nan", "1e5", "1.5e+3",
    "2024-02-30", "2024-01-01", "key", "value", "é", "\\", "\x85", "\u2028", "\ufeff", "\x07",
    "!!int ", "!!bool ", "0b_", "0x_", "0b", "-0x", "+",
])
YAML_SOUP = st.lists(st.one_of(YAML_TOKENS, NAMES, NUMBERS), max_size=30).map("".join)


def _load_yaml_only_source_errors(text: str):
    try:
        load_yaml(text, "x.yaml")
    except SourceError as e:
        assert e.location is not None and e.location.file == "x.yaml"


@FAST
@given(st.text())
def test_load_yaml_arbitrary_text(text):
    _load_yaml_only_source_errors(text)


@FAST
@given(YAML_SOUP)
@example("a: !!float abc")
@example("1:30.5")
@example("? [a]\n: 1")
@example("<<: {a: 1}")
@example("a: &x [*x]")
@example("!!bool maybe")
def test_load_yaml_token_soup(text):
    _load_yaml_only_source_errors(text)


# -- (c) a policy file of arbitrary bytes -------------------------------------------------------------
VALID_POLICY = b"""\
policy: pe_valid
title: Property fixture
effective: {from: 2024-01-01}
subject: {schema: organization_contract, as: contract}

parameters:
  iku_limits:
    value: {min: 1, max: 20}
    cite: Fixture, pasal 1
    status: confirmed

values:
  iku_count:
    expr: count(contract.iku)
  share:
    expr: round(iku_count / iku_limits.max * 100, 2)

rules:
  - id: iku-count
    title: Jumlah IKU dalam batas
    cite: Fixture, pasal 2
    for_each: i in contract.iku
    require: iku_count between iku_limits.min and iku_limits.max and i.polarity != "stabilize"
    message: "{iku_count} IKU"
"""

MUTATED_POLICY = st.tuples(st.integers(0, len(VALID_POLICY)), st.integers(0, 8), st.binary(max_size=8)).map(
    lambda t: VALID_POLICY[:t[0]] + t[2] + VALID_POLICY[t[0] + t[1]:])


@pytest.fixture(scope="module")
def scratch():
    with tempfile.TemporaryDirectory() as d:
        yield Path(d)


def _load_policy_bytes(folder: Path, raw: bytes):
    path = folder / "policy.yaml"
    path.write_bytes(raw)
    try:
        engine.Registry(folder / "no_registry").load(path)  # a fresh registry: no cached policy
    except ErrorList as e:
        assert e.errors and all(isinstance(x, SourceError) for x in e.errors)
    except KinerjaError:
        pass


def test_the_unmutated_policy_loads(scratch):
    (scratch / "policy.yaml").write_bytes(VALID_POLICY)
    engine.Registry(scratch / "no_registry").load(scratch / "policy.yaml")


@FAST
@given(raw=st.binary())
def test_policy_from_arbitrary_bytes(scratch, raw):
    _load_policy_bytes(scratch, raw)


@FAST
@given(raw=MUTATED_POLICY)
def test_policy_with_random_bytes_spliced_in(scratch, raw):
    _load_policy_bytes(scratch, raw)


# -- (d) exact decimals -------------------------------------------------------------------------------
DECIMALS = st.integers(0, 12).flatmap(  # within engine/limits.py: below 10**18, at most 28 digits
    lambda places: st.decimals(-(10**15) + 1, 10**15 - 1, allow_nan=False, allow_infinity=False, places=places))


@FAST
@given(DECIMALS, st.sampled_from(["{}", "x: {}", "[{}]", "x: [1, {}]", "- {}"]))
@example(Decimal("1.50"), "x: {}")
@example(Decimal("-0.00"), "{}")
@example(Decimal("0.1"), "[{}]")
@example(Decimal("0.000000001"), "x: {}")   # str() is 1E-9: the YAML text is written as 0.000000001
@example(Decimal("123456789012345678.1234567890"), "x: {}")
def test_decimals_round_trip_exactly(d, layout):
    text = format(d, "f")
    data, _ = load_yaml(layout.format(text), "x.yaml")
    loaded = data
    while isinstance(loaded, (dict, list)):
        loaded = loaded["x"] if isinstance(loaded, dict) else loaded[-1]
    assert isinstance(loaded, Decimal)
    assert loaded == d
    assert str(loaded) == str(d)   # same written precision: 1.50 stays 1.50


# -- (e) contract data errors carry a line ------------------------------------------------------------
DATA_KEYS = st.one_of(
    st.sampled_from(["kind", "unit", "year", "iku", "code", "name", "eselon", "objective", "polarity",
                     "periods", "period", "target", "realization", "strategy_map", "objectives",
                     "perspective", "budget", "total", "initiatives", "signed_on"]),
    st.text(min_size=1, max_size=6))
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(width=32),
                    st.text(max_size=8), st.dates().map(str),
                    st.sampled_from(["organization_contract", "maximize", "stakeholder", "Q1"]))
DATA_VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(DATA_KEYS, inner, max_size=4)), max_leaves=15)
BASE_CONTRACT = {
    "kind": "organization_contract",
    "unit": {"code": "U1", "name": "Unit uji", "eselon": 3},
    "year": 2024,
    "iku": [{"code": "1a-N", "name": "IKU", "objective": "SS1", "polarity": "maximize",
             "periods": [{"period": "Q1", "target": 90, "realization": 100}]}],
}
MAPPINGS = st.one_of(
    st.dictionaries(DATA_KEYS, DATA_VALUES, max_size=6),
    st.dictionaries(DATA_KEYS, DATA_VALUES, max_size=3).map(lambda over: {**BASE_CONTRACT, **over}),
)


def _assert_located(error):
    assert isinstance(error, DataError), f"{type(error).__name__}: {error}"
    assert error.location is not None and error.location.line is not None, str(error)


@FAST
@given(data=MAPPINGS, flow=st.booleans())
def test_data_errors_have_a_line(scratch, data, flow):
    path = scratch / "data.yaml"
    path.write_text(yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    for item in read_records(path):
        if isinstance(item, DataError):
            _assert_located(item)
            continue
        assert isinstance(item, engine.Record)
        try:
            item.validate("organization_contract")
        except ErrorList as e:
            for error in e.errors:
                _assert_located(error)
        except DataError as e:
            _assert_located(e)


# -- regression tests: inputs that once escaped as ValueError/KeyError/IndexError/RecursionError/SyntaxError
@pytest.mark.parametrize("text", ["!!int 0b_", "!!int 0x_", "x: !!int -0b__", "!!int abc", "!!int +", "!!int ''",
                                  "!!bool maybe"])
def test_bad_int_and_bool_scalars_are_source_errors(text):
    with pytest.raises(SourceError) as info:
        load_yaml(text, "x.yaml")
    assert info.value.location.line == 1


@pytest.mark.parametrize("text", ["[" * 3000 + "]" * 3000, "- " * 3000 + "a", "{a: " * 3000 + "1" + "}" * 3000,
                                  "a: &x [*x]", "a: &x {b: *x}"])
def test_deeply_nested_or_recursive_yaml_is_a_source_error(text):
    with pytest.raises(SourceError):
        load_yaml(text, "x.yaml")


@pytest.mark.parametrize("text", ["a: 1\nb: x\x07y\n", "a: 1\nb: x\x0cy\n"])
def test_control_character_error_has_a_line(text):
    with pytest.raises(SourceError) as info:
        load_yaml(text, "x.yaml")
    assert (info.value.location.line, info.value.location.column) == (2, 5)


@pytest.mark.parametrize("expr", ["1" + " + 1" * 210, "-" * 210 + "1", "if true then 1 else " * 210 + "1"])
def test_deep_expression_in_policy_is_a_policy_error(tmp_path, expr):
    path = tmp_path / "policy.yaml"
    path.write_bytes(VALID_POLICY.replace(b"count(contract.iku)\n", f'"{expr}"\n'.encode(), 1))
    with pytest.raises(engine.PolicyError) as info:
        engine.Registry(tmp_path / "none").load(path)
    assert info.value.location.line == 14  # the value's `expr:` line
