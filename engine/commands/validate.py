"""`kinerja validate`: check policy files (schema, expressions, references) and run their tests."""
from __future__ import annotations

import sys

import click

from ..errors import KinerjaError
from ..policy.registry import Registry
from ..policy.cases import run_policy
from ..report.check import error_messages
from .options import policy_path_option


@click.command()
@click.argument("policies", nargs=-1)
@click.option("--no-tests", is_flag=True, help="Only check the policy files; do not run their tests.")
@click.option("--strict", is_flag=True, help="Treat warnings (unused or unexplained parameters) as failures.")
@policy_path_option
def validate(policies: tuple[str, ...], no_tests: bool, strict: bool, registry: Registry):
    """Check POLICIES (ids or paths; default: all) and run their tests/*.yaml.

    Exit 0 if all are valid and their tests pass, 1 otherwise."""
    targets = list(policies) or list(registry.paths())
    failed = False
    for target in targets:
        try:
            policy = registry.load(target)
        except KinerjaError as e:
            failed = True
            click.echo(f"INVALID  {target}")
            for msg in error_messages(e):
                click.echo("\n".join("  " + line for line in msg.splitlines()))
            continue
        for w in policy.warnings:
            click.echo(f"  {w}")
        failed |= strict and bool(policy.warnings)
        cases = [] if no_tests else run_policy(policy)
        bad = [c for c in cases if not c.passed]
        failed |= bool(bad)
        tests = f", {len(cases) - len(bad)}/{len(cases)} tests passed" if cases else ""
        click.echo(f"{'FAIL' if bad else 'OK'}  {policy.id}: {len(policy.parameters)} parameters, "
                   f"{len(policy.values)} values, {len(policy.rules)} rules{tests}")
        for c in bad:
            click.echo(f"  {c.file}:{c.line}: test '{c.name}' failed")
            for d in c.diffs:
                click.echo(f"      {d}")
    sys.exit(1 if failed else 0)
