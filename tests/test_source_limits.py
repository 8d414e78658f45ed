"""What source reading accepts: numbers and dates within engine/limits.py, YAML 1.2 numbers, no
duplicate JSON keys, no lone surrogates, and number keys that numbers find.

Each rejected input gives one DataError at the line and column where it is written, before any
arithmetic sees it; through the CLI that is one clear message and exit code 2, no traceback.
"""
from decimal import Decimal

import pytest

from engine.errors import DataError, SourceError
from engine.record import normalise, read_records
from engine.source import load_json, load_yaml
from tests.conftest import EXAMPLES, run_cli

D = Decimal
TOO_LARGE = "number too large: at most 18 digits before the decimal point"


def _error(text: str, name: str = "x.yaml") -> tuple[str, int, int]:
    with pytest.raises(SourceError) as info:
        (load_json if name.endswith(".json") else load_yaml)(text, name)
    e = info.value
    return e.message, e.location.line, e.location.column


@pytest.mark.parametrize("text, col", [("realization: 9.0e+999999", 14), ("depth: 1e999999", 8),
                                       ("year: 1e1000000", 7), ("budget: 1000000000000000000", 9)])
def test_a_number_too_large_is_an_error_where_it_is_written(text, col):
    assert _error("a: 1\n" + text) == (TOO_LARGE, 2, col)


def test_numbers_are_never_rounded_on_entry():
    # 30 significant digits would be rounded to 28 by the first arithmetic, then again by round():
    # 99.99499999999999999999999999999 became 100.00 instead of 99.99
    assert _error("x: 99.99499999999999999999999999999") == (
        "number has too many digits: at most 28 significant digits", 1, 4)
    assert _error("x: 1e-29") == ("number too precise: at most 28 decimal places", 1, 4)
    assert load_yaml("x: 99.99499999999999999999999999", "x.yaml")[0] == {"x": D("99.99499999999999999999999999")}


def test_a_date_out_of_range_is_an_error():
    assert _error("unit: x\nstarted_on: 9999-12-31") == (
        "date out of range: 9999-12-31 (years 1900–2200 are accepted)", 2, 13)


@pytest.mark.parametrize("text, value", [
    ("017", D(17)), ("0o17", D(15)), ("0x1F", D(31)), ("1e5", D("1E+5")), ("+12", D(12)), ("-.5", D("-0.5")),
    ("1:30", "1:30"), ("1_000", "1_000"), ("0b101", "0b101"), ("!!str 017", "017"), ('"017"', "017"),
])
def test_plain_scalars_are_numbers_the_yaml_1_2_way(text, value):
    data = load_yaml(f"x: {text}", "x.yaml")[0]
    assert data == {"x": value} and type(data["x"]) is type(value)


def test_number_keys_are_numbers_in_yaml_and_python_data():
    assert load_yaml("t: {1: a, 2.5: b, '3': c}", "x.yaml")[0] == {"t": {D(1): "a", D("2.5"): "b", "3": "c"}}
    assert normalise({1: "a", "b": 2}) == {D(1): "a", "b": D(2)}
    assert _error("t: {1: a, 1.0: b}") == ("duplicate key '1.0'", 1, 11)


def test_json_rejects_a_duplicate_key_at_the_key():
    assert _error('{"a": 1,\n "b": [{"c": 1, "c": 2}]}', "x.json") == ("duplicate key 'c'", 2, 17)
    assert _error('{"a": 1, "a": 1}', "x.json") == ("duplicate key 'a'", 1, 10)


def test_json_rejects_a_number_too_large_at_the_number():
    assert _error('{"a": [1, 2,\n  9.0e+999999]}', "x.json") == (TOO_LARGE, 2, 3)
    assert load_json('{"a": 1.50, "b": null}', "x.json") == {"a": D("1.50")}


LONE = "text holds half of a surrogate pair (\\u escape of U+D800–U+DFFF alone), which is not a character"


@pytest.mark.parametrize("escape", ["\\ud800", "\\udc00", "\\ud800x", "\\ud800\\ud800"])
def test_json_rejects_a_lone_surrogate_escape(escape):
    assert _error('{"a": 1,\n "s": "ab' + escape + '"}', "x.json") == (LONE, 2, 10)


def test_json_accepts_a_surrogate_pair_and_an_escaped_backslash():
    assert load_json('{"s": "\\ud83d\\ude00", "t": "\\\\ud800"}', "x.json") == {"s": "😀", "t": "\\ud800"}


def test_json_lines_errors_name_their_line_and_the_rest_is_read(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text('{"a": 1, "a": 2}\n{"s": "\\ud800"}\n{"n": 1e999999}\n{"ok": 1}\n', encoding="utf-8")
    items = list(read_records(path))
    assert [(e.message, e.location.line, e.location.column) for e in items[:3]] == [
        ("duplicate key 'a'", 1, 10), (LONE, 2, 8), (TOO_LARGE, 3, 7)]
    assert all(isinstance(e, DataError) for e in items[:3]) and items[3].data == {"ok": D(1)}


@pytest.mark.usefixtures("at_root")
@pytest.mark.parametrize("example, old, new, message", [
    ("pk_2024_kppn_semarang_i.yaml", "realization: 100}", "realization: 9.0e+999999}", TOO_LARGE),
    ("pk_2024_kppn_semarang_i.yaml", "year: 2024", "year: 1e1000000", TOO_LARGE),
    ("pk_2024_kppn_cascade_too_deep.yaml", "depth: 3}", "depth: 1e999999}", TOO_LARGE),
])
def test_the_cli_reports_one_clear_input_error(tmp_path, example, old, new, message):
    text = (EXAMPLES / example).read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "x.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = run_cli("check", "--policy", "kmk_300_2022", path)
    assert result.exit_code == 2
    assert f": {message}\n" in result.output and result.output.count(message) == 1


def test_a_short_file_whose_aliases_expand_past_the_size_limit_is_rejected_at_once():
    """Twenty lines that expand to 180,000 nodes (under the old limit of 2,000,000 such a policy took
    51 s and 4.3 GB to validate) are an error at the alias that multiplies, in well under a second."""
    import time

    lines = ["x0: &a0 [" + ", ".join(str(i) for i in range(18)) + "]"]
    lines += [f"x{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 5)]
    start = time.perf_counter()
    with pytest.raises(SourceError) as caught:
        load_yaml("\n".join(lines) + "\n", "bomb.yaml")
    assert time.perf_counter() - start < 1
    assert str(caught.value).splitlines()[0] == \
        "bomb.yaml:5:5: document expands to more than 100,000 nodes (too many aliases: possible alias bomb)"
