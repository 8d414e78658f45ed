"""Shared fixtures: the project root, a helper that builds a policy from inline YAML text, the CLI runner
and golden files (set KINERJA_UPDATE_GOLDEN=1 to rewrite them after an intended change).

The suite never touches the user's cache (engine/cache.py): every test session, and every command it
starts, uses a fresh temporary cache folder (KINERJA_CACHE_DIR), which starts empty."""
from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

import engine
from engine import cache
from engine.policy.build import build
from engine.policy.loader import read_spec, resolve

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOLDEN = ROOT / "tests" / "golden"


def run_cli(*args):
    """Invoke `kinerja ARGS…` in-process; no traceback may reach the user."""
    from cli import main
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output, result.output
    return result


def golden(name: str, text: str) -> None:
    """`text` equals tests/golden/NAME (rewritten first when KINERJA_UPDATE_GOLDEN is set)."""
    path = GOLDEN / name
    if os.environ.get("KINERJA_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory):
    """A cache folder of this test session only (inherited by the commands tests start)."""
    saved = {name: os.environ.get(name) for name in (cache.DIR_ENV, cache.ENV)}
    os.environ[cache.DIR_ENV] = str(tmp_path_factory.mktemp("kinerja-cache"))
    os.environ.pop(cache.ENV, None)
    yield Path(os.environ[cache.DIR_ENV])
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture
def at_root(monkeypatch):
    """Run from the project root, as the README's commands do (use with pytest.mark.usefixtures)."""
    monkeypatch.chdir(ROOT)

HEADER = """\
policy: inline_test
title: Inline test policy
effective: {from: 2023-01-01}
subject: {schema: organization_contract, as: contract}
"""


@pytest.fixture
def make_policy(tmp_path):
    """Build a policy from a YAML fragment appended to a standard header."""
    def make(body: str, header: str = HEADER) -> engine.Policy:
        path = tmp_path / "policy.yaml"
        path.write_text(header + textwrap.dedent(body), encoding="utf-8")
        return build(resolve(read_spec(path), lambda _id: None))
    return make


def contract(**overrides) -> dict:
    """A minimal valid organisation contract; keyword arguments replace top-level fields."""
    base = {
        "kind": "organization_contract",
        "unit": {"code": "U1", "name": "Unit uji", "eselon": 3},
        "year": 2024,
        "strategy_map": {"objectives": [{"code": "SS1", "perspective": "stakeholder"}]},
        "budget": {"total": 100},
        "iku": [{"code": "1a-N", "name": "IKU uji", "objective": "SS1", "polarity": "maximize",
                 "consolidation": "average",
                 "periods": [{"period": "Q1", "target": 90, "realization": 100}]}],
    }
    base.update(overrides)
    return base
