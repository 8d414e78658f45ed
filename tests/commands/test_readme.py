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


MAIN_JOB = ("python3 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/kinerja compare "
            "--base kmk_467_2014 --candidate kmk_300_2022 corpus/kemenkeu_2024.jsonl")


def test_main_job_compares_the_bundled_corpus(monkeypatch):
    """The README's main-job command, run as the README runs it (from the project root)."""
    from click.testing import CliRunner

    from cli import main

    assert MAIN_JOB in README
    monkeypatch.chdir(ROOT)
    args = MAIN_JOB.split(".venv/bin/kinerja ")[1].split()
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "Records: 40 read, 40 compared, 0 could not be read; 40 changed" in result.output
    assert "predikat: 5 of 40 records changed (rows: base, columns: candidate)" in result.output
