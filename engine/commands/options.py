"""Options shared by the commands. `policy_path_option` adds the repeatable `--policy-path DIR` to
every command that takes a policy and hands the command its `registry`: those folders first (in the
order given), then KINERJA_PATH's, then the bundled policies and schemas (engine/search_path.py).
`report_options` adds `--format` and `-o FILE` to every command that writes a report, the format
inferred from FILE's extension (`report_format`: one rule for all commands)."""
from __future__ import annotations

import functools
import os
from typing import Sequence

import click

from ..errors import KinerjaError
from ..policy.registry import registry_for
from ..search_path import ENV


def complete_policy(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Shell completion of a policy id (`kinerja check --policy kmk_<TAB>`): the ids on the search path
    (with the --policy-path folders already typed), and 'auto' where the option takes it."""
    try:
        ids = list(registry_for(ctx.params.get("policy_path") or ()).paths())
    except (KinerjaError, OSError):   # a broken search path completes nothing rather than failing
        ids = []
    if param.name == "policy_id" and param.param_type_name == "option":
        ids.append("auto")
    return [i for i in sorted(ids) if i.startswith(incomplete)]


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


# Report formats by file extension: `-o FILE` without --format writes the format its extension names.
# Each format also accepts the other extensions listed for it (`--format sarif -o scan.json`).
EXTENSIONS = {
    "text": (".txt", ".log"),
    "json": (".json",),
    "jsonl": (".jsonl", ".ndjson"),
    "csv": (".csv",),
    "markdown": (".md", ".markdown"),
    "html": (".html", ".htm"),
    "xlsx": (".xlsx",),
    "sarif": (".sarif", ".sarif.json", ".json"),
    "junit": (".xml",),
    "github": (".txt", ".log"),
}
INFERRED = {".txt": "text", ".log": "text", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
            ".csv": "csv", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html",
            ".xlsx": "xlsx", ".sarif": "sarif", ".sarif.json": "sarif", ".xml": "junit"}


def extension(path: str) -> str:
    """The report extension of `path` in lower case: `.sarif.json` counts as one, else the last suffix."""
    name = os.path.basename(path).lower()
    if name.endswith(".sarif.json"):
        return ".sarif.json"
    return os.path.splitext(name)[1]


def report_format(fmt: str | None, output: str | None, formats: Sequence[str], default: str = "text") -> str:
    """The format to write: --format if given, else the one `-o FILE`'s extension names, else `default`.

    A UsageError (exit 2) when the extension names a format the command cannot write, or --format
    contradicts it; an unknown extension (or none) without --format writes `default` with a note
    on standard error."""
    if output in (None, "-"):
        return fmt or default
    ext = extension(output)
    inferred = INFERRED.get(ext)
    if fmt is not None:
        if inferred is not None and ext not in EXTENSIONS[fmt]:
            raise click.UsageError(f"-o {output}: the extension {ext} means --format {inferred}, but --format "
                                   f"{fmt} was given; drop --format, or give a file ending in {EXTENSIONS[fmt][0]}")
        return fmt
    if inferred is None:
        shown = f"extension '{ext}'" if ext else "no extension"
        click.echo(f"note: -o {output} has {shown}; writing {default} (give --format to choose one of "
                   f"{', '.join(formats)})", err=True)
        return default
    if inferred not in formats:
        raise click.UsageError(f"-o {output}: this command cannot write {inferred} ({ext}); "
                               f"its formats are {', '.join(formats)}")
    return inferred


def report_options(formats: Sequence[str], default: str = "text", help: str = ""):
    """Decorate a command: `--format` (one of `formats`) and `--output/-o FILE`, the format inferred
    from FILE's extension when --format is not given (`report_format`). The command receives `fmt`
    (always set) and `output` (None for standard output)."""
    def decorate(command):
        @click.option("--format", "fmt", type=click.Choice(list(formats)), default=None,
                      help=(help + " " if help else "") + f"[default: from -o FILE's extension, else {default}]")
        @click.option("--output", "-o", "output", type=click.Path(dir_okay=False), metavar="FILE",
                      help="Write the report to FILE instead of standard output; FILE appears (or is replaced) "
                           "only when the report is complete. Its extension (.txt .json .md .html .xlsx .sarif "
                           ".xml …) chooses the format when --format is not given.")
        @functools.wraps(command)
        def with_format(*args, fmt: str | None, output: str | None, **kwargs):
            return command(*args, fmt=report_format(fmt, output, formats, default), output=output, **kwargs)
        return with_format
    return decorate
