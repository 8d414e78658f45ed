"""Shared fixtures: the project root, and a helper that builds a policy from inline YAML text."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import engine
from engine.policy.build import build
from engine.policy.loader import read_spec, resolve

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

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
