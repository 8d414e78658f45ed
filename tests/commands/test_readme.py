"""The README documents every built-in function and aggregate, its transcripts are what the commands
print, and CI runs its test command."""
import re
import shlex

import pytest

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
            "--base kmk_467_2014 --candidate kmk_300_2022; echo")


def test_main_job_compares_the_bundled_corpus(monkeypatch):
    """The README's main-job command, run as the README runs it (from the project root)."""
    from click.testing import CliRunner

    from cli import main

    assert MAIN_JOB in README
    monkeypatch.chdir(ROOT)
    args = MAIN_JOB.split(".venv/bin/kinerja ")[1].split(";")[0].split()
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "Records: 40 read, 40 compared, 0 could not be read; 40 changed" in result.output
    assert "predikat: 5 of 40 records changed (rows: base, columns: candidate)" in result.output


def _transcripts() -> list[tuple[str, list[str]]]:
    """README blocks that show one `$ kinerja …` command and its output, for commands whose files
    exist in the checkout (walkthroughs of a user's own drafts are left out) and that are not marked
    `<!-- illustration -->` (output of a hypothetical edit, such as a failing case added on purpose)."""
    found = []
    for mark, block in re.findall(r"(<!-- illustration -->\n)?```[a-z]*\n(.*?)```", README, flags=re.S):
        if mark:
            continue
        lines = block.splitlines()
        if not lines or not lines[0].startswith("$ kinerja ") or sum(l.startswith("$ ") for l in lines) != 1:
            continue
        args = shlex.split(lines[0][2:].split("  #")[0])[1:]
        shown = [line.rstrip() for line in lines[1:] if line.strip() not in ("...", "…")]
        paths = [a for i, a in enumerate(args) if not a.startswith("-") and
                 ("/" in a or a.endswith((".yaml", ".jsonl")) or args[i - 1] == "--policy-path")]
        if shown and all((ROOT / re.sub(r":\d+$", "", p)).exists() for p in paths):   # FILE:LINE names FILE
            found.append((lines[0], shown))
    return found


@pytest.mark.parametrize("command, shown", _transcripts(), ids=lambda x: x if isinstance(x, str) else "")
def test_readme_transcripts_are_what_the_command_prints(command, shown, monkeypatch):
    """Every output line a README transcript shows is printed by the command, in that order (a line
    ending in '…' is a prefix; '...' lines stand for omitted output)."""
    from click.testing import CliRunner

    from cli import main

    monkeypatch.chdir(ROOT)
    printed = CliRunner().invoke(main, shlex.split(command[2:].split("  #")[0])[1:]).output.splitlines()
    at = 0
    for line in shown:
        want = line[:-1] if line.endswith("…") else line
        while at < len(printed) and not (printed[at].rstrip() == line or
                                         (line.endswith("…") and printed[at].startswith(want))):
            at += 1
        assert at < len(printed), f"README shows a line `{command}` does not print (in this order):\n{line}"
        at += 1
