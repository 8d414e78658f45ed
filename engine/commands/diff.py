"""`kinerja diff`: what a policy changes relative to another, across `extends` chains."""
from __future__ import annotations

import sys

import click

from ..outputs import open_output
from ..policy.diff import diff_policies
from ..policy.registry import Registry
from ..report import diff as report
from .options import complete_policy, policy_path_option, report_options


@click.command()
@click.argument("base", shell_complete=complete_policy)
@click.argument("candidate", shell_complete=complete_policy)
@report_options(["text", "json", "markdown"])
@policy_path_option
def diff(base: str, candidate: str, fmt: str, output: str | None, registry: Registry):
    """Compare policy CANDIDATE with policy BASE (ids or paths), both resolved through `extends`.

    Reports changed parameters (values, band rows, dated values, citations, status), functions and
    values whose formula changed (spacing and line breaks are not changes), rules added, removed or
    changed, and the policy's meta data (effective period, instrument, subject, outputs).

    Exit 0 if the policies are identical, 1 if they differ, 2 on errors (like diff(1))."""
    old, new = registry.spec(base), registry.spec(candidate)
    changes = diff_policies(old, new)
    render = {"text": report.text, "json": report.as_json, "markdown": report.markdown}[fmt]
    with open_output(output) as out:
        out.write(render(old, new, changes))
    sys.exit(1 if changes else 0)
