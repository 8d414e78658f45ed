"""The `kinerja` command line, one module per subcommand; each is options → library call → renderer
→ exit code.

Exit codes: 0 all pass, 1 rule violations at or above --fail-on (or failing policy checks), 2 usage
or input errors. Engine errors are printed as `file:line:col: message`; no traceback reaches the user.
"""
from __future__ import annotations

import sys

import click

from ..errors import KinerjaError
from ..report.check import error_messages
from .check import check
from .compare import compare
from .diff import diff
from .explain import explain
from .generate import generate
from .policies import policies
from .provenance import provenance
from .template import template
from .test import test_command
from .validate import validate


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KinerjaError as e:
            for msg in error_messages(e):
                click.echo(f"error: {msg}" if ":" not in msg.split("\n")[0][:200] else msg, err=True)
            sys.exit(2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kinerja")
def main():
    """kinerja: Indonesian civil-service performance regulations as testable YAML policies.

    \b
    kinerja policies                         list the policies and when they are in force
    kinerja validate [POLICY…]               check policy files and run their tests
    kinerja test [POLICY…] [--coverage]      run policy test cases; what they leave untested
    kinerja provenance POLICY                parameters and rules by provenance, with citations
    kinerja check --policy auto FILE|DIR…    judge contract files (exit 1 on violations)
    kinerja explain --policy ID FILE[:LINE]  show how values were computed, with citations
    kinerja diff POLICY_A POLICY_B           what B changes relative to A (exit 1 if they differ)
    kinerja generate --units N -o FILE       a synthetic Kemenkeu corpus (deterministic, --seed)
    kinerja compare --base A --candidate B DATA…
                                             outcomes under A vs B, and which change explains them
    kinerja template SCHEMA -o FILE.xlsx     an Excel workbook for entering contract data
    """


for command in (policies, validate, check, explain, test_command, provenance, diff, generate, compare,
                template):
    main.add_command(command)
