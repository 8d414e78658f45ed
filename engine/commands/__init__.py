"""The `kinerja` command line, one module per subcommand; each is options → library call → renderer
→ exit code.

Exit codes: 0 all pass, 1 rule violations at or above --fail-on (or failing policy checks), 2 usage
or input errors. Engine errors are printed as `file:line:col: message`; no traceback reaches the user.

A command's module is imported only when that command runs (click's lazy group pattern), so `kinerja
check` never loads what `compare` or `generate` need.

`run` is the process (the console script, `python cli.py`, `python -m engine`); `main` is the click
group, which library callers and click's CliRunner call in-process. Starting a command makes tens of
thousands of objects that live to the end (modules, classes, a policy brought back from the cache)
and almost no garbage, yet Python's cyclic garbage collector walks them dozens of times while they
are made and, all of them, once more while the interpreter shuts down: about a fifth of a warm
`kinerja check` of one file. So `run` pauses the collector while the command starts, `main` resumes
it just before the command itself runs (freezing what exists then: `gc.freeze`, never to be walked
again), and `run` freezes everything on the way out. The command's own work, however long, has the
collector as usual.
"""
from __future__ import annotations

import gc
import importlib
import sys

import click

from .. import cache
from ..errors import KinerjaError

# command name -> (its module under engine/commands, the click command in it)
COMMANDS = {"policies": ("policies", "policies"), "validate": ("validate", "validate"),
            "check": ("check", "check"), "explain": ("explain", "explain"), "test": ("test", "test_command"),
            "provenance": ("provenance", "provenance"), "diff": ("diff", "diff"),
            "generate": ("generate", "generate"), "compare": ("compare", "compare"),
            "template": ("template", "template")}

_NO_SUCH_COMMAND = getattr(click.exceptions, "NoSuchCommand", ())   # click >= 8.4 suggests a command
_starting = False   # `run` paused the garbage collector until the command runs


class _Group(click.Group):
    """The commands, each imported on first use; an engine error ends a command with exit code 2."""

    def list_commands(self, ctx) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx, cmd_name: str):
        if cmd_name not in COMMANDS:
            return None
        module, name = COMMANDS[cmd_name]
        return getattr(importlib.import_module(f"{__name__}.{module}"), name)

    def resolve_command(self, ctx, args):
        try:
            return super().resolve_command(ctx, args)
        except _NO_SUCH_COMMAND as e:   # click names the commands it holds: none are loaded yet
            raise _NO_SUCH_COMMAND(e.command_name, possibilities=COMMANDS, ctx=ctx) from None

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KinerjaError as e:
            from ..report.check import error_messages
            for msg in error_messages(e):
                click.echo(f"error: {msg}" if ":" not in msg.split("\n")[0][:200] else msg, err=True)
            sys.exit(2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kinerja")
@click.option("--no-cache", is_flag=True, help="Build policies, schemas and the grammar afresh, and keep nothing "
              "in the cache folder (also KINERJA_CACHE=off).")
def main(no_cache: bool):
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

    cache.disable(no_cache)
    _resume_collector()


def run(*args, **options) -> None:
    """`main` as a process of its own, with the garbage collector out of start-up and exit (see the
    module's text)."""
    global _starting
    _starting = True
    gc.disable()
    try:
        main(*args, **options)
    finally:
        _resume_collector()
        gc.freeze()   # the process ends: nothing needs collecting any more


def _resume_collector() -> None:
    global _starting
    if _starting:
        _starting = False
        gc.freeze()
        gc.enable()
