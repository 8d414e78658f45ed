"""`kinerja explain --batch`: how the batch path (`Policy.evaluate_many`, `compare --batch`) computes
the explained record: which of the policy's values and rules it computes as numpy columns, which it
leaves to the per-record path and why, and how this record's Result was made.

The facts are those of the record evaluated through `evaluate_many` itself (by the command), not of
a separate analysis of the policy, so they say what a batch does: a value the columns cannot compute (a nested
`for_each`, `last`, a date) is named with its reason, and a value that reads one of those is per
record too ("reads X, computed per record"). Whatever path a record takes, its Result is the same.
"""
from __future__ import annotations

import textwrap

HEADING = "Batch path (Policy.evaluate_many, compare --batch):"


def batch_facts(outcome) -> dict:
    """The facts of `outcome` (Policy.evaluate_many of the one record): {"record": how its Result is
    made, "vectorised": [...], "per_record": {value or rule: why}}."""
    return {"record": _how(outcome), "vectorised": list(outcome.vectorised),
            "per_record": dict(outcome.per_record)}


_WHY = {
    "no column form": "an output or rule below has no column form, so no record's Result comes from the columns",
    "near an edge or missing": "a number within its float bound of a rounding midpoint, a band edge or a "
                               "comparison (the per-record path decides it exactly)",
    "messages quoting values": "a violation message quotes a computed value",
    "invalid or unchecked data": "its data is invalid, or the schema has keywords the columns do not check",
}


def _how(outcome) -> str:
    if outcome.columns:
        later = [name for name, count in outcome.passes.items() if count]
        return f"from the columns, decided by the {later[0]} pass" if later else "from the columns"
    reason = next(iter(outcome.reasons), None)
    return f"per record: {_WHY.get(reason, reason)}" if reason else "per record"


def batch_text(facts: dict) -> str:
    """The facts for people, in 100 columns."""
    lines = [HEADING]
    lines += textwrap.wrap(f"this record: {facts['record']}", 100, initial_indent="  ", subsequent_indent="    ")
    lines += _listed("  as columns: ", facts["vectorised"] or ["nothing"])
    if facts["per_record"]:
        lines.append("  per record:")
        lines += [f"    {name}: {why}" for name, why in facts["per_record"].items()]
    return "\n".join(lines) + "\n"


def _listed(head: str, names: list[str], width: int = 100) -> list[str]:
    """`head` and the names, comma-separated, in lines of `width` columns, never breaking a name."""
    lines, line = [], head
    for i, name in enumerate(names):
        part = name + ("," if i < len(names) - 1 else "")
        if len(line) + len(part) > width and line.strip() != head.strip():
            lines.append(line.rstrip())
            line = "    "
        line += part + " "
    return lines + [line.rstrip()]
