"""The hooks of .pre-commit-hooks.yaml, run for real by `pre-commit try-repo` in a new git repository.

try-repo clones this checkout at HEAD (plus uncommitted changes to tracked files; an untracked
.pre-commit-hooks.yaml is not seen), builds a virtualenv with kinerja installed from that clone
(its dependencies come from the package index) and runs the hooks on the given files. The user's
repository holds contract files under contracts/ and policy drafts under policies/, so each hook's
`files` pattern is exercised too: kinerja-check sees only the contracts, kinerja-validate only the
policy files. The test is skipped, with the reason, only when pre-commit cannot build its
environment or the installed kinerja ships no policies.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import re
import textwrap

import pytest

from tests.conftest import EXAMPLES, ROOT

HOOK_LINE = re.compile(r"^(?P<name>[^\n]+?)\.{3,}(?P<verdict>Passed|Failed|Skipped)$", re.MULTILINE)

POLICY = """\
policy: draft_rules
title: A policy draft
effective: {{from: 2030-01-01}}
subject: {{schema: organization_contract, as: contract}}
rules:
  - id: iku-present
    title: PK memuat IKU
    cite: "draft"
    require: count({collection}) > 0
    message: "PK tanpa IKU"
"""


def _git(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, env=_env(), capture_output=True, text=True)


def _env() -> dict[str, str]:
    """This environment without git's variables (set when the suite itself runs inside a git hook)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}


@pytest.fixture(scope="module")
def user_repo(tmp_path_factory):
    if _git("rev-parse", "--verify", "HEAD", cwd=ROOT).returncode != 0:
        pytest.skip("this checkout is not a git repository with a commit: pre-commit try-repo clones one")
    repo = tmp_path_factory.mktemp("user_repo")
    (repo / "contracts").mkdir()
    shutil.copy(EXAMPLES / "pk_2024_kppn_semarang_i.yaml", repo / "contracts" / "good.yaml")
    shutil.copy(EXAMPLES / "pk_2024_djpb_too_many_iku.yaml", repo / "contracts" / "bad.yaml")
    for name, collection in (("good_draft", "contract.iku"), ("bad_draft", "ikus")):
        (repo / "policies" / name).mkdir(parents=True)
        (repo / "policies" / name / "policy.yaml").write_text(
            POLICY.format(collection=collection).replace("draft_rules", name), encoding="utf-8")
    assert _git("init", "-q", cwd=repo).returncode == 0
    assert _git("add", ".", cwd=repo).returncode == 0
    return repo


def try_repo(repo, *files: str) -> subprocess.CompletedProcess:
    """`pre-commit try-repo <this checkout> --files FILES` (all hooks) in `repo`."""
    env = _env() | {"PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home"), "PRE_COMMIT_COLOR": "never"}
    done = subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "--files", *files],
                          cwd=repo, env=env, capture_output=True, text=True, timeout=300)
    output = done.stdout + done.stderr
    if done.returncode == 3 and "Installing environment" in output and "CalledProcessError" in output:
        pytest.skip("pre-commit could not build its environment (no package index?):\n"
                    + textwrap.indent(output[-2000:], "    "))
    return done


def test_hooks_pass_on_a_good_contract_and_a_valid_policy(user_repo):
    done = try_repo(user_repo, "contracts/good.yaml", "policies/good_draft/policy.yaml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert _hook_lines(done.stdout) == [("kinerja check (contract data against its policy)", "Passed"),
                                        ("kinerja validate (policy files and their tests)", "Passed")]


def test_hooks_fail_on_a_bad_contract_and_a_broken_policy(user_repo):
    done = try_repo(user_repo, "contracts/bad.yaml", "policies/bad_draft/policy.yaml")
    assert done.returncode == 1, done.stdout + done.stderr
    assert _hook_lines(done.stdout) == [("kinerja check (contract data against its policy)", "Failed"),
                                        ("kinerja validate (policy files and their tests)", "Failed")]
    assert "contracts/bad.yaml: error [pk-iku-count]: 22 IKU pada upk_one; batasnya 15–20 IKU" in done.stdout
    assert "policies/bad_draft/policy.yaml:9:20: unknown name 'ikus'" in done.stdout
    assert "good.yaml" not in done.stdout


def _hook_lines(output: str) -> list[tuple[str, str]]:
    """(hook name, verdict) of each `name.....Passed` line pre-commit prints."""
    return [(m["name"], m["verdict"]) for m in HOOK_LINE.finditer(output)]
