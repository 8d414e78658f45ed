"""`kinerja policies`: list the policies with instrument, effective period and data subject.

A policy that cannot be loaded (bad YAML, a broken expression, an `extends` cycle) is listed after
the others as BROKEN with its first error, and makes the exit code 2; `check --policy auto` skips it.
"""
from __future__ import annotations

import json
import sys

import click

from ..display import relative
from ..outputs import open_output
from ..policy.registry import Registry, first_error
from .options import policy_path_option, report_options


@click.command()
@report_options(["text", "json"])
@policy_path_option
def policies(fmt: str, output: str | None, registry: Registry):
    """List the policies on the search path (--policy-path, KINERJA_PATH, bundled) with their
    effective periods. Exit 2 if some policy cannot be loaded (it is listed as BROKEN)."""
    rows = registry.listing()
    with open_output(output) as out:
        out.write(_json(rows) if fmt == "json" else "".join(line + "\n" for line in _table(rows)))
    sys.exit(2 if any(r.error for r in rows) else 0)


def _json(rows) -> str:
    return json.dumps([{"id": r.id, "title": r.title, "instrument": r.instrument,
                        "effective_from": r.effective_from and r.effective_from.isoformat(),
                        "effective_to": r.effective_to and r.effective_to.isoformat(),
                        "subject": r.subject, **({"error": first_error(r.error)} if r.error else {})}
                       for r in rows], indent=2) + "\n"


def _table(rows) -> list[str]:
    header = ("ID", "INSTRUMENT", "IN FORCE", "SUBJECT")
    table = [header] + [(r.id, r.instrument, f"{r.effective_from or '…'} → {r.effective_to or 'now'}", r.subject)
                        for r in rows if r.error is None]
    widths = [max(len(str(row[i])) for row in table) for i in range(len(header))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip() for row in table]
    for r in rows:
        if r.error is not None:
            lines += [f"BROKEN  {r.id}  ({relative(r.path)})", f"  {first_error(r.error)}"]
    return lines
