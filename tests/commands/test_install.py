"""The built wheel works on its own: it ships the bundled policies and schemas as package data.

Builds the wheel offline (`pip wheel --no-build-isolation`, from a copy of the sources so the
checkout gets no build/ folder), installs it non-editable into a fresh virtual environment that
borrows only the dependencies of the running one, and runs kinerja from a folder outside the
checkout: `kinerja policies`, the README's main job, `engine.load_policy` and a draft with its own
schema found through `--policy-path`. Runs in CI (.ci/run) in about 15 s.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from engine.policy.registry import DEFAULT
from tests.conftest import ROOT
from tests.conftest import run_cli as run

pytestmark = pytest.mark.install   # runs by default (and in .ci/run); `-m "not install"` skips it

DRAFTS = ROOT / "tests" / "fixtures" / "drafts"
SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "cli.py", "engine", "policies", "schemas",
           "examples", "corpus")
MAIN_JOB = ("compare", "--base", "kmk_467_2014", "--candidate", "kmk_300_2022")   # the bundled sample corpus


def _sh(*args, cwd, env=None) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert "Traceback" not in done.stderr, done.stderr
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("src")
    for name in SOURCES:
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copyfile
        copy(ROOT / name, src / name, **({"ignore": shutil.ignore_patterns("__pycache__")}
                                         if (ROOT / name).is_dir() else {}))
    out = tmp_path_factory.mktemp("dist")
    done = _sh(sys.executable, "-m", "pip", "wheel", ".", "-w", out, "--no-deps", "--no-build-isolation", "-q",
               cwd=src)
    assert done.returncode == 0, done.stderr
    [built] = out.glob("kinerja-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh venv with the wheel installed (not editable); returns its bin/ folder. The running
    environment's site-packages is only appended to sys.path for the dependencies (a plain path
    entry: its editable-install hooks are not run, so `engine` comes from the wheel)."""
    venv = tmp_path_factory.mktemp("venv")
    assert _sh(sys.executable, "-m", "venv", "--without-pip", venv, cwd=venv).returncode == 0
    python = venv / "bin" / "python"
    site = Path(_sh(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=venv).stdout.strip())
    (site / "zz_kinerja_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    done = _sh(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", "-q", wheel,
               cwd=venv)
    assert done.returncode == 0, done.stderr
    return venv / "bin"


@pytest.fixture
def elsewhere(tmp_path) -> Path:
    """A working folder outside the checkout, and an environment without PYTHONPATH or KINERJA_PATH."""
    return tmp_path


def _env() -> dict:
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "KINERJA_PATH")}


def test_the_wheel_holds_engine_cli_and_the_bundled_files_only(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/")[0] for n in names if not n.startswith("kinerja-")} == {"engine", "cli.py"}
    bundled = {n for n in names if n.startswith("engine/bundled/")}
    for pid, file in DEFAULT.paths().items():
        assert f"engine/bundled/policies/{pid}/policy.yaml" in bundled
        assert f"engine/bundled/policies/{pid}/README.md" in bundled
        for case in (file.parent / "tests").glob("*.yaml"):
            assert f"engine/bundled/policies/{pid}/tests/{case.name}" in bundled
    assert {n for n in bundled if n.startswith("engine/bundled/schemas/")} == \
        {f"engine/bundled/schemas/{p.name}" for p in (ROOT / "schemas").glob("*.schema.json")}
    assert "engine/lang/grammar.lark" in names and "engine/report/compare.html" in names
    assert "engine/bundled/corpus/kemenkeu_2024.jsonl" in bundled
    assert "engine/bundled/examples/pk_2024_kppn_semarang_i.yaml" in bundled


def test_installed_kinerja_works_from_another_folder(installed, elsewhere):
    env = _env()
    listed = _sh(installed / "kinerja", "policies", cwd=elsewhere, env=env)
    assert (listed.returncode, listed.stdout) == (0, run("policies").output)
    assert all(pid in listed.stdout for pid in DEFAULT.paths())

    job = _sh(installed / "kinerja", *MAIN_JOB, cwd=elsewhere, env=env)
    def same_place(report: str) -> str:   # the bundled corpus's own path, whole, on the record's line
        report = re.sub(r"\n\s+(\S*corpus/kemenkeu_2024\.jsonl)", r"  \1", report)
        return re.sub(r"\S*(?=corpus/kemenkeu_2024\.jsonl)", "", report)
    assert (job.returncode, same_place(job.stdout)) == (0, same_place(run(*MAIN_JOB).output))

    loaded = _sh(installed / "python", "-c", "import engine; p = engine.load_policy('kmk_300_2022'); "
                                             "print(p.id, engine.__file__)", cwd=elsewhere, env=env)
    assert loaded.returncode == 0, loaded.stderr
    policy_id, module = loaded.stdout.split()
    assert policy_id == "kmk_300_2022" and not Path(module).is_relative_to(ROOT)

    bundled = _sh(installed / "kinerja", "validate", cwd=elsewhere, env=env)  # every policy, with its cases
    # warnings name the policy file, which is under the installed package there
    assert (bundled.returncode, re.sub(r"\S*/engine/bundled/", f"{ROOT}/", bundled.stdout)) == (0, run("validate").output)

    shutil.copytree(DRAFTS, elsewhere / "drafts")
    draft = _sh(installed / "kinerja", "validate", "--policy-path", "drafts", "skp_draft", "my_amendment",
                cwd=elsewhere, env=env)
    assert (draft.returncode, draft.stdout) == (0, "OK  skp_draft: 1 parameters, 1 values, 1 rules, 1/1 tests passed\n"
                                                   "  drafts/my_amendment/policy.yaml: warning: my_amendment has"
                                                   " no test cases of its own (tests/*.yaml)\n"
                                                   "OK  my_amendment: 22 parameters, 22 values, 14 rules\n")
