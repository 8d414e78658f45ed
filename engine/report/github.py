"""A checked batch as GitHub Actions workflow commands: one annotation line per finding.

`::error file=F,line=L,col=C,title=RULE::MESSAGE` for a violation of severity error and for an
input error, `::warning` and `::notice` for warnings and infos; GitHub shows each one on the file's
line in the pull request. The message carries the rule's citation on a second line. Data and
property values are escaped as the Actions toolkit does (`%`, CR and LF in both; `:` and `,` too in
properties). A last plain line says how many records fail at `fail_on`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..batch import failing, summarise
from ..display import plural
from .findings import Finding, findings

if TYPE_CHECKING:
    from ..batch import Outcome

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def github(outcomes: list[Outcome], fail_on: str, quiet: bool = False) -> str:
    """Workflow command lines for every finding of the batch (with `quiet`, of the `failing` records
    only), then a summary line counting every record."""
    lines = [annotation(f) for o in outcomes if not quiet or failing(o, fail_on) for f in findings(o)]
    s = summarise(outcomes, fail_on)
    lines.append(f"kinerja: {plural(s.records, 'record')}, {s.failed} failing at --fail-on {fail_on}"
                 + (f", {s.input_errors} with input errors" if s.input_errors else ""))
    return "\n".join(lines)


def annotation(f: Finding) -> str:
    properties = {"file": f.file, "line": f.line, "col": f.column, "title": f.rule}
    props = ",".join(f"{k}={escape_property(str(v))}" for k, v in properties.items() if v is not None)
    message = f.message + (f"\n{f.cite}" if f.cite else "")
    return f"::{COMMANDS[f.severity]} {props}::{escape_data(message)}"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
