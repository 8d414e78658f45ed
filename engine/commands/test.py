"""`kinerja test`: run policies' test cases (policies/<id>/tests/*.yaml), optionally with coverage.

Per policy, each case is reported PASS or FAIL with its file:line and name; a failure shows what
differs, field by field (expected vs got). `--coverage` also lists the rules no case fired, the band
rows no case's lookup landed on and the parameters no case read (definitions: engine/policy/coverage.py).
A policy that `extends` others also runs their cases and reports those whose outcome it changes:
what the amendment changes, not a failure unless --fail-on-inherited-change.
Exit 0 if every selected case passes, 1 if one fails (or, with --require-full-coverage, coverage is
incomplete; with --fail-on-inherited-change, an inherited case changes), 2 on usage errors and on
policies or test files that cannot be read.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..display import did_you_mean
from ..outputs import open_output
from ..policy.registry import Registry
from ..policy.runs import run_cases
from ..report import cases as report
from .options import complete_policy, policy_path_option, report_options


@click.command("test")
@click.argument("policies", nargs=-1, shell_complete=complete_policy)
@click.option("-k", "select", metavar="SUBSTRING",
              help="Run only the cases whose name contains SUBSTRING (ignoring case).")
@report_options(["text", "json"])
@click.option("--coverage", "with_coverage", is_flag=True,
              help="Also report the rules, band rows and parameters that no case exercised.")
@click.option("--require-full-coverage", is_flag=True,
              help="Implies --coverage; exit 1 if anything is left unexercised.")
@click.option("--fail-on-inherited-change", is_flag=True,
              help="Exit 1 if a case inherited through `extends` changes outcome under the policy.")
@policy_path_option
def test_command(policies: tuple[str, ...], select: str | None, fmt: str, output: str | None, with_coverage: bool,
                 require_full_coverage: bool, fail_on_inherited_change: bool, registry: Registry):
    """Run the test cases of POLICIES (ids or paths; default: all policies).

    \b
    A rule is covered when some case makes it fire (a violation with outcome failed),
    a band row when some case's band lookup lands on it, a parameter when some case's
    evaluation reads it.

    \b
    A policy that `extends` others also runs the cases of each policy in its chain
    and reports, per inherited case, what it changes (expected under the ancestor,
    got under the policy). A change is what an amendment does, not a failure.

    Exit 0 if every case of the policies' own passes, 1 if some case fails (or
    coverage is incomplete with --require-full-coverage, or an inherited case
    changes outcome with --fail-on-inherited-change), 2 on a usage error or a
    policy/test file that cannot be read."""
    with_coverage = with_coverage or require_full_coverage
    if with_coverage and select is not None:
        raise click.UsageError("--coverage measures all cases of a policy; it cannot be combined with -k")
    known = list(registry.paths())
    targets = list(policies) or known
    for target in targets:
        if not Path(target).exists() and target not in known:
            hint = did_you_mean(target, known)
            raise click.UsageError(f"unknown policy '{target}'"
                                   + (f"; {hint}" if hint else f" (known: {', '.join(known) or 'none'})"))
    runs = [run_cases(registry, target, select, with_coverage) for target in targets]
    with open_output(output) as out:
        out.write(report.as_json(runs) + "\n" if fmt == "json" else report.text(runs, select))
    if select is not None and not any(r.cases or r.inherited for r in runs):
        click.echo(f"error: no test case name contains '{select}'", err=True)
        sys.exit(2)
    if any(r.errors for r in runs):
        sys.exit(2)
    incomplete = require_full_coverage and any(r.incomplete for r in runs)
    changed = fail_on_inherited_change and any(r.changed for r in runs)
    sys.exit(1 if any(r.failed for r in runs) or incomplete or changed else 0)
