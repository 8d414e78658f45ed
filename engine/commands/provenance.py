"""`kinerja provenance`: a policy's parameters and rules by provenance, with citations and notes."""
from __future__ import annotations

import click

from ..policy.registry import Registry
from ..report import provenance as report
from .options import policy_path_option


@click.command()
@click.argument("policy_id", metavar="POLICY")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@policy_path_option
def provenance(policy_id: str, fmt: str, registry: Registry):
    """Show where POLICY's figures come from: each parameter's status, value, citation and note,
    then each rule's status and citation.

    Provisional entries (working assumptions) come first, then secondary, then confirmed."""
    policy = registry.load(policy_id)
    click.echo(report.as_json(policy) if fmt == "json" else report.text(policy), nl=fmt == "json")
