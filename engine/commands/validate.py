"""`kinerja validate`: check policy files (schema, expressions, references) and run their tests."""
from __future__ import annotations

import sys

import click

from ..outputs import open_output
from ..policy.registry import Registry
from ..policy.runs import validations
from ..report import validate as report
from .options import complete_policy, policy_path_option, report_options


@click.command()
@click.argument("policies", nargs=-1, shell_complete=complete_policy)
@click.option("--no-tests", is_flag=True, help="Only check the policy files; do not run their tests.")
@click.option("--strict", is_flag=True, help="Treat warnings (unused or unexplained parameters) as failures.")
@report_options(["text"])
@policy_path_option
def validate(policies: tuple[str, ...], no_tests: bool, strict: bool, fmt: str, output: str | None,
             registry: Registry):
    """Check POLICIES (ids or paths; default: all) and run their tests/*.yaml.

    Exit 0 if all are valid and their tests pass, 1 otherwise."""
    failed = False
    with open_output(output) as out:
        for v in validations(registry, list(policies) or list(registry.paths()), with_tests=not no_tests):
            out.write(report.text(v))   # as each policy is done: a long run shows progress
            out.flush()
            failed |= v.failed(strict)
    sys.exit(1 if failed else 0)
