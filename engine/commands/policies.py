"""`kinerja policies`: list the policies with instrument, effective period and data subject."""
from __future__ import annotations

import json

import click

from ..policy.registry import Registry
from .options import policy_path_option


@click.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@policy_path_option
def policies(fmt: str, registry: Registry):
    """List the policies on the search path (--policy-path, KINERJA_PATH, bundled) with their
    effective periods."""
    rows = registry.listing()
    if fmt == "json":
        click.echo(json.dumps([{"id": r.id, "title": r.title, "instrument": r.instrument,
                                "effective_from": r.effective_from and r.effective_from.isoformat(),
                                "effective_to": r.effective_to and r.effective_to.isoformat(),
                                "subject": r.subject} for r in rows], indent=2))
        return
    header = ("ID", "INSTRUMENT", "IN FORCE", "SUBJECT")
    table = [header] + [(r.id, r.instrument, f"{r.effective_from or '…'} → {r.effective_to or 'now'}", r.subject)
                        for r in rows]
    widths = [max(len(str(row[i])) for row in table) for i in range(len(header))]
    for row in table:
        click.echo("  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip())
