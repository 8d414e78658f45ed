"""`kinerja check`: judge contract files against a policy; text, JSON, CI formats or Excel; exit codes for CI."""
from __future__ import annotations

import datetime as _dt
import sys

import click

from ..batch import check_inputs, summarise
from ..inputs import find_inputs
from ..outputs import atomic_output, open_output, refuse_inputs
from ..policy.registry import Registry
from ..report import check as report
from ..report.check_xlsx import write_xlsx
from ..report.github import github
from ..report.junit import junit
from ..report.sarif import sarif
from .options import policy_path_option, show_confidential_option

FORMATS = {"text": report.text, "json": report.as_json, "sarif": sarif, "junit": junit, "github": github}


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--policy", "policy_id", required=True,
              help="Policy id or path, or 'auto' to pick the policy in force for each contract's year.")
@click.option("--format", "fmt", type=click.Choice([*FORMATS, "xlsx"]), default="text", show_default=True,
              help="text and json for people and scripts; sarif (GitHub code scanning), junit (GitLab, "
                   "Jenkins test reports) and github (workflow annotations) for CI; xlsx (Excel, needs -o).")
@click.option("--output", "-o", "output", type=click.Path(dir_okay=False), metavar="FILE",
              help="Write the report to FILE instead of standard output; FILE appears (or is replaced) "
                   "only when the report is complete.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default="error", show_default=True,
              help="Lowest severity that makes the check fail (exit 1).")
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), help="Date for dated parameters (default: the contract's).")
@click.option("--exclude", multiple=True, metavar="GLOB",
              help="Skip data files (or folders) matching GLOB under the folders given; repeatable.")
@show_confidential_option
@policy_path_option
def check(inputs, policy_id: str, fmt: str, fail_on: str, as_of, exclude, output, show_confidential: bool,
          registry: Registry):
    """Check contract FILES or DIRECTORIES (.yaml, .yml, .json, .jsonl, .xlsx laid out like
    `kinerja template`, any letter case) against a policy. Hidden folders and virtual environments under a folder are skipped.

    Exit 0 if every record passes, 1 if some record has violations at or above --fail-on,
    2 if some input could not be read or validated (other records are still checked)."""
    if fmt == "xlsx" and output in (None, "-"):
        raise click.UsageError("--format xlsx writes a workbook: give it a file with -o FILE.xlsx")
    if output is not None:
        refuse_inputs(output, list(inputs) + find_inputs(list(inputs), tuple(exclude)).files)
    policy = registry if policy_id == "auto" else registry.load(policy_id)
    outcomes = check_inputs(list(inputs), policy, as_of.date() if isinstance(as_of, _dt.datetime) else None,
                            tuple(exclude), show_confidential)
    for warning in registry.broken_warnings() if policy_id == "auto" else ():
        click.echo(warning, err=True)
    if fmt == "xlsx":
        with atomic_output(output, binary=True) as out:
            write_xlsx(outcomes, fail_on, out)
    else:
        with open_output(output) as out:
            out.write(FORMATS[fmt](outcomes, fail_on).rstrip("\n") + "\n")
    summary = summarise(outcomes, fail_on)
    sys.exit(2 if summary.input_errors else 1 if summary.failed else 0)
