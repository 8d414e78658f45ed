"""`kinerja check`: judge contract files against a policy; text or JSON; exit codes for CI."""
from __future__ import annotations

import datetime as _dt
import sys

import click

from ..batch import check_inputs, summarise
from ..outputs import write_stdout
from ..policy.registry import Registry
from ..report import check as report
from ..report.github import github
from ..report.junit import junit
from ..report.sarif import sarif
from .options import policy_path_option

FORMATS = {"text": report.text, "json": report.as_json, "sarif": sarif, "junit": junit, "github": github}


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--policy", "policy_id", required=True,
              help="Policy id or path, or 'auto' to pick the policy in force for each contract's year.")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="text", show_default=True,
              help="text and json for people and scripts; sarif (GitHub code scanning), junit (GitLab, "
                   "Jenkins test reports) and github (workflow annotations) for CI.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default="error", show_default=True,
              help="Lowest severity that makes the check fail (exit 1).")
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), help="Date for dated parameters (default: the contract's).")
@click.option("--exclude", multiple=True, metavar="GLOB",
              help="Skip data files (or folders) matching GLOB under the folders given; repeatable.")
@policy_path_option
def check(inputs, policy_id: str, fmt: str, fail_on: str, as_of, exclude, registry: Registry):
    """Check contract FILES or DIRECTORIES (.yaml, .yml, .json, .jsonl, any letter case) against a
    policy. Hidden folders and virtual environments under a folder are skipped.

    Exit 0 if every record passes, 1 if some record has violations at or above --fail-on,
    2 if some input could not be read or validated (other records are still checked)."""
    policy = registry if policy_id == "auto" else registry.load(policy_id)
    outcomes = check_inputs(list(inputs), policy, as_of.date() if isinstance(as_of, _dt.datetime) else None,
                            tuple(exclude))
    for warning in registry.broken_warnings() if policy_id == "auto" else ():
        click.echo(warning, err=True)
    write_stdout(FORMATS[fmt](outcomes, fail_on).rstrip("\n") + "\n")
    summary = summarise(outcomes, fail_on)
    sys.exit(2 if summary.input_errors else 1 if summary.failed else 0)
