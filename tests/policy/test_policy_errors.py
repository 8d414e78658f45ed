"""Every kind of policy error, one fixture each, with its exact file, line, column, message and hint.

Each fixture in tests/fixtures/policy_errors/ is a small policy with exactly one deliberate mistake.
Besides the position, every case names the text the caret must sit on (`at`), so a reader can check
at a glance that the location really points at the offending text and not merely somewhere near it.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

import engine
from engine.errors import PolicyError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "policy_errors"

ROUND_DOC = "round(x, places=0): round half-up to `places` decimals (2.345 → 2.35)."


@dataclass(frozen=True)
class Case:
    kind: str
    file: str                 # relative to FIXTURES: the file the error must point into
    line: int
    column: int
    at: str                   # the source text that starts at (line, column)
    message: str
    hint: str | None = None
    load: str | None = None   # what to load, when it is not `file` (policies extending others)
    root: str | None = None   # the registry root for `extends`, relative to FIXTURES

    @property
    def path(self) -> Path:
        return FIXTURES / self.file


CASES = [
    Case("yaml_syntax", "yaml_syntax.yaml", 13, 22, ": paling sedikit satu",
         "YAML syntax error: mapping values are not allowed in this context"),
    Case("duplicate_key", "duplicate_key.yaml", 12, 5, "cite: Fixture, pasal 1 ayat 2",
         "duplicate key 'cite'"),
    # the line is shown with U+FFFD for each undecodable byte; the column counts characters
    Case("not_utf8", "not_utf8.yaml", 10, 30, "\ufffdsum\ufffd)",
         "not valid UTF-8: byte 0xe9 cannot be decoded; save the file as UTF-8"),
    # the innermost node that alone expands past the limit: e (about 10^5 nodes) = ten aliases of d
    Case("alias_bomb", "alias_bomb.yaml", 14, 10, "&e [*d",
         "document expands to more than 100,000 nodes (too many aliases: possible alias bomb)"),
    # 'required' points at the first line inside the parameter's mapping (the mapping node itself)
    Case("schema_missing_cite", "schema_missing_cite.yaml", 9, 5, "value: {min: 1, max: 20}",
         "parameters.iku_limits: 'cite' is required"),
    Case("schema_unknown_key", "schema_unknown_key.yaml", 7, 1, "parametres:",
         "unknown field(s): 'parametres' was unexpected"),
    Case("schema_bad_status", "schema_bad_status.yaml", 11, 13, "confimed",
         "parameters.iku_limits.status: 'confimed' is not one of: confirmed, secondary, provisional "
         "(did you mean 'confirmed'?)"),
    # the expression ends after '>': the caret sits on the dangling operator
    Case("expr_syntax", "expr_syntax.yaml", 11, 34, ">",
         "expression ends too early; expected a value or an operator"),
    Case("expr_assign", "expr_assign.yaml", 11, 28, "= 2024",
         "unexpected character '='", hint="use == to compare"),
    Case("unknown_name_typo", "unknown_name_typo.yaml", 15, 11, "iku_limts.max",
         "unknown name 'iku_limts'", hint="did you mean 'iku_limits'?"),
    Case("unknown_field_typo", "unknown_field_typo.yaml", 12, 16, "polarty !=",
         "unknown field 'polarty'", hint="did you mean 'polarity'?"),
    Case("unknown_function", "unknown_function.yaml", 9, 11, "rnd(",
         "unknown function 'rnd'", hint="did you mean 'round'?"),
    Case("arity", "arity.yaml", 9, 11, "round(",
         "round() takes 1 to 2 argument(s), 3 given", hint=ROUND_DOC),
    # a member access is located at its field name: the text operand here is `….name`
    Case("type_error", "type_error.yaml", 9, 25, "name + 1",
         "'+' needs numbers, not a text"),
    Case("enum_typo", "enum_typo.yaml", 12, 28, '"maximise"',
         "'maximise' is not one of: maximize, minimize, stabilize", hint="did you mean 'maximize'?"),
    Case("value_cycle", "value_cycle.yaml", 9, 11, "rest + count",
         "values depend on each other in a cycle: total → rest → total"),
    Case("unknown_extends", "unknown_extends/pe_unknown_extends/policy.yaml", 3, 10, "pe_no_such_parent",
         "extends unknown policy 'pe_no_such_parent'", root="unknown_extends"),
    # loading pe_cycle_a reaches pe_cycle_b, whose `extends:` closes the cycle
    Case("extends_cycle", "extends_cycle/pe_cycle_b/policy.yaml", 3, 10, "pe_cycle_a",
         "policies extend each other in a cycle: pe_cycle_a → pe_cycle_b → pe_cycle_a",
         load="extends_cycle/pe_cycle_a", root="extends_cycle"),
    Case("unknown_output", "unknown_output.yaml", 11, 22, "iku_cout]",
         "output 'iku_cout' is not a value of this policy", hint="did you mean 'iku_count'?"),
    Case("value_and_values", "value_and_values.yaml", 9, 5, "value: 120",
         "parameters.cap: {\"value\": \"120\", \"values\": [{\"from\": \"2024-01-01\", \"value… "
         "is not valid here. Expected: A fixed number, list or table taken from the regulation, with its "
         "legal citation; give either one value or a list of dated values."),
    Case("bad_for_each", "bad_for_each.yaml", 11, 15, "contract.iku",
         "rules[0].for_each: 'contract.iku' is not valid here. Expected: Repeat for every item of a "
         "collection, written as 'i in iku', or a list of such loops to repeat over nested collections."),
    # the second row ('Cukup', 70..90 inclusive) shares 90 with the first ('Baik', from 90)
    Case("band_overlap", "band_overlap.yaml", 12, 9, "{label: Cukup",
         "band 'Cukup' overlaps band 'Baik'"),
    Case("non_boolean_require", "non_boolean_require.yaml", 11, 14, "count(contract.iku)",
         "a condition must be true or false, but this is a number"),
    Case("duplicate_rule_id", "duplicate_rule_id.yaml", 13, 9, "iku-present",
         "duplicate rule id 'iku-present'"),
    # positions inside expressions that are not a plain one-line scalar
    Case("expr_in_folded_block", "expr_in_folded_block.yaml", 11, 9, "iku_maks",
         "unknown name 'iku_maks'"),
    # a more-indented line keeps its line break in a folded block (the layout of KMK 300's formulas)
    Case("expr_in_folded_block_indented", "expr_in_folded_block_indented.yaml", 12, 15, "iku_maks",
         "unknown name 'iku_maks'"),
    Case("expr_in_plain_multiline", "expr_in_plain_multiline.yaml", 12, 28, "strategy_mpa)",
         "unknown field 'strategy_mpa'", hint="did you mean 'strategy_map'?"),
    Case("expr_in_literal_block", "expr_in_literal_block.yaml", 12, 29, "eselom ==",
         "unknown field 'eselom'", hint="did you mean 'eselon'?"),
    Case("expr_in_quoted", "expr_in_quoted.yaml", 9, 40, "maks(",
         "unknown function 'maks'"),
    Case("expr_in_for_each", "expr_in_for_each.yaml", 11, 29, "ikus",
         "unknown field 'ikus'", hint="did you mean 'iku'?"),
    Case("expr_in_message", "expr_in_message.yaml", 13, 32, "nama})",
         "unknown field 'nama'", hint="did you mean 'name'?"),
]

# Known engine bugs, each marked on the one test it breaks: {(test, kind): reason}. Strict, so a
# fixed bug fails its test until the mark is removed.
KNOWN_BUGS: dict[tuple[str, str], str] = {}


def params(test: str):
    out = []
    for case in CASES:
        reason = KNOWN_BUGS.get((test, case.kind))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        out.append(pytest.param(case, id=case.kind, marks=marks))
    return out


_ERRORS: dict[str, PolicyError] = {}


def load_error(case: Case) -> PolicyError:
    """Load the case's policy and return the one error it raises (once per case: the alias bomb is slow)."""
    if case.kind not in _ERRORS:
        _ERRORS[case.kind] = _load_error(case)
    return _ERRORS[case.kind]


def _load_error(case: Case) -> PolicyError:
    target = FIXTURES / (case.load or case.file)
    registry = engine.Registry(FIXTURES / case.root) if case.root else engine.Registry(FIXTURES / "no_registry")
    with pytest.raises(engine.KinerjaError) as info:
        registry.load(target)
    error = info.value
    assert not isinstance(error, engine.ErrorList), f"expected one error, got:\n{error}"
    assert isinstance(error, PolicyError), f"{type(error).__name__}: {error}"
    return error


def source_line(case: Case, line: int) -> str:
    raw = case.path.read_bytes()
    text = raw.decode("utf-8", errors="replace")
    return text.splitlines()[line - 1]


def test_every_fixture_has_a_case():
    files = {p.relative_to(FIXTURES).as_posix() for p in FIXTURES.rglob("*.yaml")}
    named = {c.file for c in CASES} | {f"{c.load}/policy.yaml" for c in CASES if c.load}
    assert files == named


@pytest.mark.parametrize("case", params("location"))
def test_error_location_and_message(case: Case):
    error = load_error(case)
    loc = error.location
    assert (loc.file, loc.line, loc.column) == (str(case.path), case.line, case.column)
    assert error.message == case.message
    assert error.hint == case.hint


@pytest.mark.parametrize("case", params("points_at"))
def test_error_points_at_the_offending_text(case: Case):
    """The fixture's own text at (line, column) is the mistake (checks the table above, too)."""
    assert source_line(case, case.line)[case.column - 1:].startswith(case.at)
    loc = load_error(case).location
    assert source_line(case, loc.line)[loc.column - 1:].startswith(case.at)


@pytest.mark.parametrize("case", params("caret"))
def test_rendering_has_source_line_and_caret(case: Case):
    error = load_error(case)
    rendered = str(error).splitlines()
    assert rendered[0] == f"{case.path}:{case.line}:{case.column}: {case.message}"
    assert rendered[1] == "    " + source_line(case, case.line)
    assert rendered[2] == "    " + " " * (case.column - 1) + "^"
    if case.hint:
        assert rendered[3] == f"    hint: {case.hint}"
    assert len(rendered) == (4 if case.hint else 3)


def test_not_utf8_fixture_really_has_a_bad_byte():
    raw = (FIXTURES / "not_utf8.yaml").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert raw.count(b"\xe9") == 2  # 'résumé' in Latin-1, on the line the error points at


def test_not_utf8_column_counts_characters_not_bytes(tmp_path):
    """A multi-byte UTF-8 character earlier on the line must count as one column."""
    path = tmp_path / "policy.yaml"
    path.write_bytes(b'policy: x\ntitle: "caf\xc3\xa9 \xe9"\n')  # 'café ' then a Latin-1 é
    with pytest.raises(PolicyError) as info:
        engine.Registry(tmp_path / "none").load(path)
    assert (info.value.location.line, info.value.location.column) == (2, 14)
