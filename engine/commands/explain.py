"""`kinerja explain`: how a value was computed, or why a rule failed, with the citations involved."""
from __future__ import annotations

import click

from ..batch import choose
from ..display import did_you_mean
from ..errors import DataError, KinerjaError, Location
from ..policy.dependencies import reachable
from ..policy.registry import Registry
from ..record import Record, read_records
from ..report.explain import explain_rule, explain_value
from .options import policy_path_option, show_confidential_option


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--policy", "policy_id", required=True, help="Policy id or path, or 'auto'.")
@click.option("--value", "value", help="Explain this value (default: every output).")
@click.option("--rule", "rule", help="Explain this rule's outcome instead.")
@show_confidential_option
@policy_path_option
def explain(file: str, policy_id: str, value: str | None, rule: str | None, show_confidential: bool,
            registry: Registry):
    """Explain the computation for one contract FILE: formulas, inputs, results, citations."""
    record = _first_record(file)
    policy = choose(registry if policy_id == "auto" else registry.load(policy_id), record)
    if rule is not None and rule not in {r.id for r in policy.rules}:
        hint = did_you_mean(rule, [r.id for r in policy.rules])
        raise click.UsageError(f"{policy.id} has no rule '{rule}'" + (f"; {hint}" if hint else ""))
    if value is not None and value not in policy.values:
        hint = did_you_mean(value, policy.values)
        raise click.UsageError(f"{policy.id} has no value '{value}'" + (f"; {hint}" if hint else ""))
    result = policy.evaluate(record, trace=True)
    if rule is not None:
        click.echo(explain_rule(policy, result, rule, policy.applicability(record, rule)), nl=False)
        return
    names = [value] if value else policy.outputs
    shown = names if show_confidential else [n for n in names if not _shows_confidential(policy, n)]
    if value is not None and not shown:
        raise click.UsageError(f"explaining '{value}' shows values {policy.id} marks confidential; "
                               "add --show-confidential")
    for name in shown:
        click.echo(explain_value(policy, result, name), nl=False)
        click.echo("")
    if len(shown) < len(names):
        click.echo(f"(not explained, as they show confidential values: {', '.join(n for n in names if n not in shown)};"
                   " --show-confidential explains them)")


def _shows_confidential(policy, name: str) -> bool:
    """Whether explaining `name` prints a confidential value (itself or one it is computed from)."""
    return bool(policy.confidential & set(reachable(policy.reads, [name])))


def _first_record(file: str) -> Record:
    """The first record of FILE; an empty file, or one whose data is not a mapping, is a DataError."""
    for record in read_records(file):
        if isinstance(record, KinerjaError):
            raise record
        if record.data is None:
            raise DataError("the file holds no contract data", Location(file))
        if not isinstance(record.data, dict):
            raise DataError(f"contract data must be a mapping of fields, not {_kind(record.data)}",
                            record.location(()))
        return record
    raise DataError("the file holds no contract data", Location(file))


def _kind(data) -> str:
    return "a list" if isinstance(data, list) else "a single value"

