"""A bounded fuzz suite: expression texts, mutated policy files and mutated contract data.

The generators are benchmarks/fuzz.py's (which runs them for minutes, see README "Reliability");
here hypothesis drives them for a bounded number of cases (about 20 s in all). For every case:
only the engine's own errors (KinerjaError) escape, every SourceError read from a file has a
location with a line, and no case takes more than CASE_LIMIT (2 s). The batch test checks
containment: a JSONL file of N lines with k certainly-bad lines gives N outcomes, exactly the k
bad ones errors.
"""
from __future__ import annotations

import importlib.util
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "lang"))
from test_properties import TOKEN_SOUP, VALID_EXPRS  # noqa: E402  the parser suite's strategies

_spec = importlib.util.spec_from_file_location("kinerja_fuzz", ROOT / "benchmarks" / "fuzz.py")
fuzz = importlib.util.module_from_spec(_spec)
sys.modules["kinerja_fuzz"] = fuzz
_spec.loader.exec_module(fuzz)


def bounded(n: int):
    return settings(max_examples=n, deadline=None, database=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


_SCRATCH = tempfile.TemporaryDirectory(prefix="kinerja-fuzz-")  # module level: hypothesis reruns cases
SCRATCH = Path(_SCRATCH.name)


def run(kind: str, case) -> None:
    """One case: only KinerjaErrors (located) escape the engine, within the time limit."""
    start = time.perf_counter()
    fuzz.run_case(kind, case, SCRATCH)
    elapsed = time.perf_counter() - start
    assert elapsed <= fuzz.CASE_LIMIT, f"{kind} case took {elapsed:.2f} s"


# -- (a) expression texts inside a tiny inline policy ------------------------------------------------
@bounded(300)
@given(st.one_of(TOKEN_SOUP, VALID_EXPRS, st.randoms(use_true_random=False).map(fuzz.gen_expr)))
@example("count(contract.iku) >")
@example("1e999999 + 1")
@example("date(9999, 12, 31) + 1")
@example("(" * 2000 + "1" + ")" * 2000)
@example("-" * 3000 + "1")
@example("sum(x for x in contract.iku where x)")
def test_expressions(text):
    run("expr", text)


# -- (b) mutated policy files ------------------------------------------------------------------------
def test_the_unmutated_policy_loads():
    (SCRATCH / "policy.yaml").write_text(fuzz.POLICY_TEXT, encoding="utf-8")
    fuzz.engine.Registry(SCRATCH / "no_registry").load(SCRATCH / "policy.yaml")  # no error at all


@bounded(80)
@given(st.randoms(use_true_random=False).map(fuzz.gen_policy))
def test_mutated_policies(raw):
    run("policy", raw)


@pytest.mark.parametrize("bomb", [
    # a billion laughs: 9 levels of 10 aliases each, a few hundred bytes expanding to 10**9 nodes
    "policy: bomb\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]\n" for i in range(1, 10)),
    "policy: bomb\nself: &s [*s]\n",
])
def test_alias_bomb_is_rejected_at_a_line(bomb):
    start = time.perf_counter()
    fuzz.run_policy(bomb.encode(), SCRATCH)  # checks: a KinerjaError located at a line, nothing else
    assert time.perf_counter() - start <= fuzz.CASE_LIMIT


# -- (c) mutated contract data -----------------------------------------------------------------------
def test_the_unmutated_data_pass():
    outcomes = fuzz.run_data(fuzz.EXAMPLE_TEXT.encode(), SCRATCH, ".yaml")
    assert len(outcomes) == 1 and outcomes[0].result is not None
    outcomes = fuzz.run_data("\n".join(fuzz.CORPUS_LINES).encode(), SCRATCH, ".jsonl")
    assert len(outcomes) == len(fuzz.CORPUS_LINES) and all(o.result is not None for o in outcomes)


@bounded(80)
@given(st.randoms(use_true_random=False).map(fuzz.gen_yaml))
@example(fuzz.EXAMPLE_TEXT.replace("year: 2024", "year: 1e999999", 1).encode())
@example(fuzz.EXAMPLE_TEXT.replace("year: 2024", "year: " + "[" * 5000 + "2024" + "]" * 5000, 1).encode())
@example(fuzz.EXAMPLE_TEXT.replace("year: 2024", "year: 2024\nyear: 2024", 1).encode())
def test_mutated_yaml_data(raw):
    run("yaml", raw)


@bounded(150)
@given(st.randoms(use_true_random=False).map(fuzz.gen_jsonl))
@example(fuzz.CORPUS_LINES[0].replace('"year":2024', '"year":1e999999', 1).encode())
@example(('{"year":2024,' + fuzz.CORPUS_LINES[0][1:]).encode())
@example(fuzz.CORPUS_LINES[0].replace('"year":2024', '"year":' + "[" * 100000 + "1" + "]" * 100000, 1).encode())
@example(fuzz.CORPUS_LINES[0].replace('"title":"', '"title":"\\ud800\u202e\u2028\x85', 1).encode())
def test_mutated_jsonl_data(raw):
    run("jsonl", raw)


@bounded(60)
@given(st.randoms(use_true_random=False).map(fuzz.gen_batch))
def test_batch_containment(case):
    run("batch", case)  # N outcomes; the k bad lines errors, the N-k others results


# Findings of the fuzz, each pinned where it was fixed: an exact error at a line, never a traceback.

def test_json_exponent_past_decimal_range_is_a_data_error():
    [outcome] = fuzz.run_data(b'{"year": 1e' + b"9" * 40 + b"}\n", SCRATCH, ".jsonl")
    assert (outcome.error.location.line, outcome.error.location.column) == (1, 10)
    assert outcome.error.message == "number '1e9999999999999999999999999999999999999…' is not a finite decimal number"


def test_deep_json_with_a_rejected_number_is_a_data_error():
    line = '{"a":' + "[" * 500 + "1e999999" + "]" * 500 + "}"
    [outcome] = fuzz.run_data(line.encode(), SCRATCH, ".jsonl")
    assert outcome.error.location.line == 1
    assert outcome.error.message == ("JSON nested too deeply to locate the rejected value (it holds a number "
                                     "or a key the engine does not accept)")


def test_jsonl_schema_error_has_a_line():
    line = fuzz.CORPUS_LINES[0].replace('"year":2024', '"year":"2024"', 1)
    first, second = fuzz.run_data((line + "\n" + line).encode(), SCRATCH, ".jsonl")
    file = str(SCRATCH / "data.jsonl")
    assert [(o.error.location.file, o.error.location.line) for o in (first, second)] == [(file, 1), (file, 2)]
    assert second.error.message == "year: expected integer, got '2024'"


@pytest.mark.parametrize("text, line", [
    ("a:\n" + "".join("  " * d + "- \n" for d in range(1, 400)), 201),  # block lists: a line per level
    ("a: " + "[" * 300 + "1" + "]" * 300, 1),
    ("a: " + "{b: " * 300 + "1" + "}" * 300, 1),
])
def test_deep_yaml_is_an_error_at_the_level_past_the_limit(text, line):
    from engine.source import MAX_DEPTH, load_yaml
    with pytest.raises(fuzz.SourceError) as info:
        load_yaml(text, "x.yaml")
    assert info.value.location.line == line and info.value.location.column is not None
    assert f"more than {MAX_DEPTH} levels" in info.value.message
    load_yaml("a: " + "[" * (MAX_DEPTH - 1) + "1" + "]" * (MAX_DEPTH - 1), "x.yaml")  # the limit itself is fine
