"""`kinerja check`: judge contract files against a policy; text, JSON, CI formats or Excel; exit codes for CI."""
from __future__ import annotations

import datetime as _dt
import importlib
import sys

import click

from ..batch import check_inputs, failing, summarise
from ..inputs import find_inputs
from ..outputs import atomic_output, open_output, refuse_inputs
from ..policy.registry import Registry
from ..report import check as report
from .options import complete_policy, policy_path_option, report_options, show_confidential_option

FORMATS = ("text", "json", "sarif", "junit", "github")   # see _renderer
QUIET_FORMATS = ("text", "json", "sarif", "github")
SUMMARY_FORMATS = ("text", "json")


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--policy", "policy_id", default="auto", show_default=True, shell_complete=complete_policy,
              help="Policy id or path, or 'auto' to pick the policy in force for each contract's year.")
@report_options([*FORMATS, "xlsx"],
                help="text and json for people and scripts; sarif (GitHub code scanning), junit (GitLab, "
                     "Jenkins test reports) and github (workflow annotations) for CI; xlsx (Excel, needs -o).")
@click.option("--quiet", "-q", is_flag=True,
              help="Leave out the records that pass: only failing records, input errors and the summary "
                   "(text, json, sarif, github).")
@click.option("--summary", "summary_only", is_flag=True,
              help="Only the summary: records per outcome and violations per rule (text, json).")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default="error", show_default=True,
              help="Lowest severity that makes the check fail (exit 1).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes judging the records (the report is identical for any number).")
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), help="Date for dated parameters (default: the contract's).")
@click.option("--exclude", multiple=True, metavar="GLOB",
              help="Skip data files (or folders) matching GLOB under the folders given; repeatable.")
@show_confidential_option
@policy_path_option
def check(inputs, policy_id: str, fmt: str, quiet: bool, summary_only: bool, fail_on: str, jobs: int, as_of,
          exclude, output, show_confidential: bool, registry: Registry):
    """Check contract FILES or DIRECTORIES (.yaml, .yml, .json, .jsonl, .xlsx laid out like
    `kinerja template`, any letter case) against a policy. Hidden folders and virtual environments under a folder are skipped.

    Exit 0 if every record passes, 1 if some record has violations at or above --fail-on,
    2 if some input could not be read or validated (other records are still checked)."""
    if fmt == "xlsx" and output in (None, "-"):
        raise click.UsageError("--format xlsx writes a workbook: give it a file with -o FILE.xlsx")
    _refuse_combinations(fmt, quiet, summary_only)
    if output is not None:
        refuse_inputs(output, list(inputs) + find_inputs(list(inputs), tuple(exclude)).files)
    policy = registry if policy_id == "auto" else registry.load(policy_id)
    outcomes = check_inputs(list(inputs), policy, as_of.date() if isinstance(as_of, _dt.datetime) else None,
                            tuple(exclude), show_confidential, jobs)
    for warning in registry.broken_warnings() if policy_id == "auto" else ():
        click.echo(warning, err=True)
    if fmt == "xlsx":
        from ..report.check_xlsx import write_xlsx   # as the CI formats (`_renderer`): only when asked for
        with atomic_output(output, binary=True) as out:
            write_xlsx(outcomes, fail_on, out)
    else:
        with open_output(output) as out:
            out.write(_render(fmt, outcomes, fail_on, quiet, summary_only).rstrip("\n") + "\n")
    summary = summarise(outcomes, fail_on)
    sys.exit(2 if summary.input_errors else 1 if summary.failed else 0)


def _refuse_combinations(fmt: str, quiet: bool, summary_only: bool) -> None:
    """--quiet and --summary exclude each other, and make sense only for some formats (a JUnit report
    lists every record as a test case, a workbook has filters)."""
    if quiet and summary_only:
        raise click.UsageError("--quiet and --summary exclude each other: --summary prints no records at all")
    if quiet and fmt not in QUIET_FORMATS:
        raise click.UsageError(f"--quiet does not apply to --format {fmt} (it lists every record); "
                               f"it works with {', '.join(QUIET_FORMATS)}")
    if summary_only and fmt not in SUMMARY_FORMATS:
        raise click.UsageError(f"--summary does not apply to --format {fmt}; it works with {', '.join(SUMMARY_FORMATS)}")


def _render(fmt: str, outcomes, fail_on: str, quiet: bool, summary_only: bool) -> str:
    if summary_only:
        return report.summary_text(outcomes, fail_on) if fmt == "text" else report.summary_json(outcomes, fail_on)
    render = _renderer(fmt)
    if fmt == "sarif":   # no counts in SARIF: the failing records are the whole report
        return render([o for o in outcomes if failing(o, fail_on)] if quiet else outcomes, fail_on)
    return render(outcomes, fail_on, quiet=quiet) if quiet else render(outcomes, fail_on)


def _renderer(fmt: str):
    """The function rendering `fmt`; a CI format's module is imported only when it is asked for."""
    if fmt in ("text", "json"):
        return report.text if fmt == "text" else report.as_json
    return getattr(importlib.import_module(f"..report.{fmt}", __package__), fmt)
