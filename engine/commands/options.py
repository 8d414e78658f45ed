"""Options shared by the commands. `policy_path_option` adds the repeatable `--policy-path DIR` to
every command that takes a policy and hands the command its `registry`: those folders first (in the
order given), then KINERJA_PATH's, then the bundled policies and schemas (engine/search_path.py)."""
from __future__ import annotations

import functools

import click

from ..policy.registry import registry_for
from ..search_path import ENV


def show_confidential_option(command):
    """Decorate a command: `--show-confidential` (a flag) prints the values a policy marks confidential
    (an employee's NKP, say), which reports otherwise leave out."""
    return click.option("--show-confidential", is_flag=True,
                        help="Also print the values the policy marks confidential (left out by default).")(command)


def policy_path_option(command):
    """Decorate a command: `--policy-path DIR` (repeatable) becomes the keyword argument `registry`."""
    @click.option("--policy-path", "policy_path", multiple=True, metavar="DIR",
                  type=click.Path(file_okay=False, exists=True),
                  help=f"Also look for policies (DIR/<id>/policy.yaml) and data schemas (DIR/schemas/) "
                       f"in DIR, before {ENV} and the bundled ones. Repeatable.")
    @functools.wraps(command)
    def with_registry(*args, policy_path: tuple[str, ...], **kwargs):
        return command(*args, registry=registry_for(policy_path), **kwargs)
    return with_registry
