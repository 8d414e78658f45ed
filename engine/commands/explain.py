"""`kinerja explain`: how a value was computed, or why a rule failed, with the citations involved.

One record is explained: the file's only one, or for JSON Lines the one chosen with FILE:LINE (as
`check` and `compare` print it) or `--record N|NAME` (engine/record_pick.py). Each step shows the
inputs it actually read (engine/policy/inputs_read.py): parameter cells with their keys, per-item
values, data fields. Text for people, `--format json` for tools (engine/report/explain_json.py).
`--batch` adds how the batch path computes the record (engine/report/explain_batch.py).
"""
from __future__ import annotations

import click

from ..batch import choose
from ..display import did_you_mean
from ..outputs import open_output, refuse_inputs
from ..policy.dependencies import reachable
from ..policy.inputs_read import Evaluation
from ..policy.registry import Registry
from ..record_pick import pick_record, split_line
from ..report.explain import explain_rule, explain_value
from ..report.explain_batch import batch_facts, batch_text
from ..report.explain_json import rule_explanation, value_explanation
from .options import complete_policy, policy_path_option, report_options, show_confidential_option


@click.command()
@click.argument("file", metavar="FILE[:LINE]")
@click.option("--policy", "policy_id", default="auto", show_default=True, shell_complete=complete_policy,
              help="Policy id or path, or 'auto'.")
@click.option("--value", "value", help="Explain this value (default: every output).")
@click.option("--rule", "rule", help="Explain this rule's outcome instead.")
@click.option("--record", "record_ref", metavar="N|NAME",
              help="Which record of a JSON Lines file: the Nth (from 1), or the one with this unit code, "
                   "id or compare label (e.g. 'DJPB 2024'). Default: the first. FILE:LINE also chooses one.")
@click.option("--batch", is_flag=True,
              help="Also say how the batch path (compare --batch, Policy.evaluate_many) computes this record: "
                   "the values and rules it computes as numpy columns, the others and why (needs kinerja[batch]).")
@report_options(["text", "json"])
@show_confidential_option
@policy_path_option
def explain(file: str, policy_id: str, value: str | None, rule: str | None, record_ref: str | None, batch: bool,
            fmt: str, output: str | None, show_confidential: bool, registry: Registry):
    """Explain the computation for one contract record: formulas, the inputs each step read, results
    and citations. FILE is a data file, or FILE:LINE for the record on that line of a .jsonl file."""
    path, line = split_line(file)
    if line is not None and record_ref is not None:
        raise click.UsageError("choose the record either with FILE:LINE or with --record, not both")
    refuse_inputs(output, [path])
    record, count = pick_record(path, line, record_ref)
    if count > 1 and line is None and record_ref is None:
        click.echo(f"note: {path} has {count} records; explaining the first ({record.source}); choose another "
                   "with --record N or FILE:LINE", err=True)
    policy = choose(registry if policy_id == "auto" else registry.load(policy_id), record)
    _check_names(policy, value, rule)
    result = policy.evaluate(record, trace=True)
    evaluation = Evaluation(policy, record)
    facts = batch_facts(policy.evaluate_many([record])) if batch else None   # numpy missing: a KinerjaError
    with open_output(output) as out:
        if rule is not None:
            out.write(_rule(fmt, policy, result, rule, record, evaluation, facts))
        else:
            out.write(_values(fmt, policy, result, value, show_confidential, evaluation, facts))


def _check_names(policy, value: str | None, rule: str | None) -> None:
    if rule is not None and rule not in {r.id for r in policy.rules}:
        hint = did_you_mean(rule, [r.id for r in policy.rules])
        raise click.UsageError(f"{policy.id} has no rule '{rule}'" + (f"; {hint}" if hint else ""))
    if value is not None and value not in policy.values:
        hint = did_you_mean(value, policy.values)
        raise click.UsageError(f"{policy.id} has no value '{value}'" + (f"; {hint}" if hint else ""))


def _rule(fmt: str, policy, result, rule: str, record, evaluation: Evaluation, facts: dict | None) -> str:
    applies, read = policy.applicability(record, rule), evaluation.rule_inputs(rule)
    if fmt == "json":
        return rule_explanation(policy, result, rule, applies, read, batch=facts)
    return explain_rule(policy, result, rule, applies, read) + ("\n" + batch_text(facts) if facts else "")


def _values(fmt: str, policy, result, value: str | None, show_confidential: bool, evaluation: Evaluation,
            facts: dict | None) -> str:
    names = [value] if value else policy.outputs
    shown = names if show_confidential else [n for n in names if not _shows_confidential(policy, n)]
    if value is not None and not shown:
        raise click.UsageError(f"explaining '{value}' shows values {policy.id} marks confidential; "
                               "add --show-confidential")
    needed = [n for n in policy.values if n in set(reachable(policy.reads, shown))]
    inputs = {n: evaluation.value_inputs(n) for n in needed}
    left_out = [n for n in names if n not in shown]
    if fmt == "json":
        return value_explanation(policy, result, shown, inputs, left_out, batch=facts)
    text = "".join(explain_value(policy, result, name, inputs=inputs) + "\n" for name in shown)
    if left_out:
        text += (f"(not explained, as they show confidential values: {', '.join(left_out)};"
                 " --show-confidential explains them)\n")
    return text + (batch_text(facts) if facts else "")


def _shows_confidential(policy, name: str) -> bool:
    """Whether explaining `name` prints a confidential value (itself or one it is computed from)."""
    return bool(policy.confidential & set(reachable(policy.reads, [name])))
