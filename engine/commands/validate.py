"""`kinerja validate`: check policy files (schema, expressions, references) and run their tests."""
from __future__ import annotations

import sys

import click

from ..policy.registry import Registry
from ..policy.runs import validations
from ..report import validate as report
from .options import complete_policy, policy_path_option


@click.command()
@click.argument("policies", nargs=-1, shell_complete=complete_policy)
@click.option("--no-tests", is_flag=True, help="Only check the policy files; do not run their tests.")
@click.option("--strict", is_flag=True, help="Treat warnings (unused or unexplained parameters) as failures.")
@policy_path_option
def validate(policies: tuple[str, ...], no_tests: bool, strict: bool, registry: Registry):
    """Check POLICIES (ids or paths; default: all) and run their tests/*.yaml.

    Exit 0 if all are valid and their tests pass, 1 otherwise."""
    failed = False
    for v in validations(registry, list(policies) or list(registry.paths()), with_tests=not no_tests):
        click.echo(report.text(v), nl=False)   # as each policy is done: a long run shows progress
        failed |= v.failed(strict)
    sys.exit(1 if failed else 0)
