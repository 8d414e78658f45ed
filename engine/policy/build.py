"""From a resolved `PolicySpec` to a runnable `Policy`: the check stages, then compilation.

`check.py` runs the named stages (parse, type, order, every policy-level check) and raises all
problems together; `compile.py` turns the checked policy into one generated Python function.
"""
from __future__ import annotations

from .check import check
from .compile import compile_policy
from .policy import Policy
from .spec import PolicySpec


def build(spec: PolicySpec) -> Policy:
    """Check and compile a resolved spec. Raises `ErrorList`/`PolicyError` listing every problem."""
    return compile_policy(check(spec))
