"""`kinerja check`: judge contract files against a policy; text or JSON; exit codes for CI."""
from __future__ import annotations

import datetime as _dt
import sys

import click

from ..errors import KinerjaError
from ..policy.registry import Registry
from ..record import expand_inputs, read_records
from ..report import check as report
from .options import policy_path_option


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--policy", "policy_id", required=True,
              help="Policy id or path, or 'auto' to pick the policy in force for each contract's year.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default="error", show_default=True,
              help="Lowest severity that makes the check fail (exit 1).")
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), help="Date for dated parameters (default: the contract's).")
@policy_path_option
def check(inputs, policy_id: str, fmt: str, fail_on: str, as_of, registry: Registry):
    """Check contract FILES or DIRECTORIES (.yaml, .json, .jsonl) against a policy.

    Exit 0 if every record passes, 1 if some record has violations at or above --fail-on,
    2 if some input could not be read or validated (other records are still checked)."""
    policy = None if policy_id == "auto" else registry.load(policy_id)
    when = as_of.date() if isinstance(as_of, _dt.datetime) else None
    outcomes: list[report.Outcome] = []
    for path in expand_inputs(list(inputs)):
        if isinstance(path, KinerjaError):
            outcomes.append(report.Outcome(str(path.location or path), error=path))
            continue
        for record in read_records(path):
            if isinstance(record, KinerjaError):
                outcomes.append(report.Outcome(str(path), error=record))
                continue
            try:
                chosen = policy or registry.select(record.data, record.data.get("kind") if isinstance(record.data, dict) else None)
                outcomes.append(report.Outcome(record.source, result=chosen.evaluate(record, as_of=when)))
            except KinerjaError as e:
                outcomes.append(report.Outcome(record.source, error=e))
    click.echo(report.as_json(outcomes, fail_on) if fmt == "json" else report.text(outcomes, fail_on))
    summary = report.summarise(outcomes, fail_on)
    sys.exit(2 if summary.input_errors else 1 if summary.failed else 0)
