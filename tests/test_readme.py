"""The README documents every built-in function and aggregate, and CI runs its test command."""
from engine.lang.functions import AGGREGATES, FUNCTIONS
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_function_is_documented():
    missing = [name for name in list(FUNCTIONS) + list(AGGREGATES) if f"`{name}" not in README]
    assert missing == []


def test_ci_runs_the_readme_test_command():
    command = "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/python -m pytest"
    assert command in README
    assert command in (ROOT / ".ci/run").read_text(encoding="utf-8")
