"""`kinerja provenance`: a policy's parameters and rules by provenance, with citations and notes."""
from __future__ import annotations

import click

from ..outputs import open_output
from ..policy.registry import Registry
from ..report import provenance as report
from .options import complete_policy, policy_path_option, report_options


@click.command()
@click.argument("policy_id", metavar="POLICY", shell_complete=complete_policy)
@report_options(["text", "json"])
@policy_path_option
def provenance(policy_id: str, fmt: str, output: str | None, registry: Registry):
    """Show where POLICY's figures come from: each parameter's status, value, citation and note,
    then each rule's status and citation.

    Provisional entries (working assumptions) come first, then secondary, then confirmed."""
    policy = registry.load(policy_id)
    with open_output(output) as out:
        out.write(report.as_json(policy) + "\n" if fmt == "json" else report.text(policy))
