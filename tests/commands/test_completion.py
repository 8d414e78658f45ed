"""Shell completion (click's): `_KINERJA_COMPLETE=bash_source kinerja` prints the script the README
tells users to install, and completing a policy id offers the ids on the search path
(`complete_policy` in engine/commands/options.py), with 'auto' where --policy takes it."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from cli import main


def complete(words: str) -> list[str]:
    """What bash completion offers for the last word of `words` (a trailing space: a new word)."""
    parts = words.split(" ")
    env = {"_KINERJA_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(len(parts) - 1)}
    r = CliRunner().invoke(main, [], env=env, prog_name="kinerja")
    assert r.exit_code == 0, r.output
    return [line.split(",", 1)[1] for line in r.output.splitlines()]


@pytest.mark.parametrize("shell, start", [
    ("bash_source", "_kinerja_completion() {"), ("zsh_source", "#compdef kinerja"),
    ("fish_source", "function _kinerja_completion;"),
])
def test_the_completion_script_is_printed(shell, start):
    r = CliRunner().invoke(main, [], env={"_KINERJA_COMPLETE": shell}, prog_name="kinerja")
    assert r.exit_code == 0
    assert r.output.startswith(start)
    assert "_KINERJA_COMPLETE=" in r.output


def test_commands_complete():
    assert complete("kinerja ex") == ["explain"]
    assert complete("kinerja c") == ["check", "compare"]


def test_policy_ids_complete_with_auto_for_policy():
    assert complete("kinerja check --policy kmk_3") == ["kmk_300_2022", "kmk_300_2022_addendum"]
    assert complete("kinerja explain --policy a") == ["auto"]


def test_policy_ids_complete_as_arguments_and_for_compare():
    assert complete("kinerja diff kmk_4") == ["kmk_467_2014"]
    assert complete("kinerja provenance perm") == ["permenpan_6_2022"]
    assert complete("kinerja compare --base kmk_4") == ["kmk_467_2014"]
    assert "auto" not in complete("kinerja compare --candidate ")


def test_policies_on_a_policy_path_complete(tmp_path):
    (tmp_path / "draft_x").mkdir()
    (tmp_path / "draft_x" / "policy.yaml").write_text("policy: draft_x\n", encoding="utf-8")
    assert complete(f"kinerja check --policy-path {tmp_path} --policy dra") == ["draft_x"]


def test_formats_complete():
    assert complete("kinerja check --format s") == ["sarif"]
