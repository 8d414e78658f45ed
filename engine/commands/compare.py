"""`kinerja compare`: what changes for each contract if a candidate policy replaces a base policy."""
from __future__ import annotations

import contextlib
import datetime as _dt
import sys

import click
from click.core import ParameterSource

from ..compare import Attributor, PolicyPair, Summary, compare_into, count_records
from ..compare.approval import ApprovalSink, approval_document, read_approval, unapproved, write_approval
from ..display import did_you_mean, plural, relative
from ..inputs import find_inputs
from ..outputs import open_output, refuse_inputs
from ..policy.registry import Registry
from ..report.compare_data import made_dict
from ..report.compare_sinks import FORMATS, make_sink
from ..report.compare_xlsx import XlsxSink
from ..search_path import sample_corpus
from .options import complete_policy, policy_path_option, report_options, show_confidential_option

HELP = """Compare two policies over contract DATA (files, folders, globs; .yaml, .yml, .json,
.jsonl in any letter case; hidden folders and virtual environments are skipped). Without
DATA, over the bundled sample corpus (40 generated Kemenkeu contracts for 2024).

\b
Each record is evaluated under --base and --candidate: every output common to both
and each value named by --values (per-item outputs as name[item]) with the delta for numbers, and the violations that
appear or disappear (by rule id and data path). The summary gives counts, delta
statistics per numeric output, a transition matrix per text output with few labels
(e.g. predikat: base rows x candidate columns), the rules that newly fail or stop
failing, and the provisional parameters the changes depend on.

\b
Why: for each changed record, each policy difference is undone in turn (the candidate
with that one difference reverted to the base) and re-evaluated. A change is explained by
the difference whose reversal restores the base outcome; "A + B (each needed)" when
reverting any of them restores it, "A + B (together)" when only reverting them all does.
A difference whose reversal alone does not compile is "not separable". --no-attribution
skips this (it costs extra evaluations of changed records).

\b
CI gate: --fail-on-change exits 1 when any record's outcome changes. --approve FILE writes
the changes (per record, by label or source: each value's base and candidate, each violation
appearing or disappearing) as JSON; --expect FILE exits 1 unless the changes are exactly
those, listing on standard error the new, missing and different ones.

\b
Exit 0 when every record was compared (whether or not outcomes changed, unless
--fail-on-change or --expect), 1 as said above, 2 on usage errors, an unreadable approval
file, or when some record could not be read or validated (the rest are still compared and
reported; no approval file is written)."""


@click.command(help=HELP)
@click.argument("inputs", metavar="[DATA…]", nargs=-1)
@click.option("--base", "base_ref", required=True, metavar="POLICY", shell_complete=complete_policy, help="Policy id or path (folder or file).")
@click.option("--candidate", "candidate_ref", required=True, metavar="POLICY", shell_complete=complete_policy,
              help="Policy id or path, e.g. a draft amendment that `extends` the base.")
@report_options([*FORMATS, "xlsx"], help="xlsx (Excel) needs -o FILE.")
@click.option("--exclude", multiple=True, metavar="GLOB",
              help="Skip data files (or folders) matching GLOB under the folders given; repeatable.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes (results are identical for any number).")
@click.option("--top", type=click.IntRange(min=0), default=None,
              help="Changed records listed by text and markdown (default 10) and html (default 200).")
@click.option("--changed-only", is_flag=True, help="json, jsonl, csv, xlsx: list only the records that changed.")
@click.option("--no-attribution", is_flag=True, help="Do not work out which policy difference caused each change.")
@click.option("--values", "values", metavar="NAME,…",
              help="Compare also these computed values (comma-separated), e.g. an intermediate "
                   "target_kumulatif; each must be a value of both policies.")
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), help="Date for dated parameters (default: the contract's).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--fail-on-change", is_flag=True, help="Exit 1 when any record's outcome changes.")
@click.option("--approve", "approve", type=click.Path(dir_okay=False), metavar="FILE",
              help="Write the outcome changes to FILE (JSON) as the approved ones.")
@click.option("--expect", "expect", type=click.Path(dir_okay=False), metavar="FILE",
              help="Exit 1 unless the outcome changes are exactly those approved in FILE.")
@click.option("--batch", is_flag=True, help="Evaluate the records as numpy columns, a chunk at a time (same output; "
              "needs `pip install kinerja[batch]`); a summary line per policy on stderr says what vectorised.")
@show_confidential_option
@policy_path_option
def compare(inputs, base_ref, candidate_ref, fmt, output, exclude, jobs, top, changed_only, no_attribution, values,
            as_of, quiet, fail_on_change, approve, expect, show_confidential: bool, registry: Registry, batch=False):
    inputs, exclude = list(inputs) or [relative(sample_corpus())], tuple(exclude)
    if fmt == "xlsx" and output in (None, "-"):
        raise click.UsageError("--format xlsx writes a workbook: give it a file with -o FILE.xlsx")
    if approve and (expect or fail_on_change):
        raise click.UsageError("--approve records the changes: use it without --expect and --fail-on-change")
    files = inputs + find_inputs(inputs, exclude).files
    refuse_inputs(output, files)   # before anything is read
    if approve:
        refuse_inputs(approve, files + ([output] if output not in (None, "-") else []))
    approved = read_approval(expect) if expect else None
    names = [n.strip() for n in (values or "").split(",") if n.strip()]
    pair = PolicyPair.load(base_ref, candidate_ref, registry, names, show_confidential)
    for policy, name in pair.unknown_values():
        hint = did_you_mean(name, policy.values)
        raise click.UsageError(f"--values: {policy.id} has no value '{name}'" + (f"; {hint}" if hint else ""))
    when = as_of.date() if isinstance(as_of, _dt.datetime) else None
    attributor = None if no_attribution else Attributor(pair.base, pair.candidate)
    if batch:
        from ..vector import require
        require()   # before any output: numpy is there
    summary = Summary(pair, attributor, top=top if top is not None else 200 if fmt == "html" else 10)
    made = made_dict(pair, [(i, count_records([i], exclude)) for i in inputs], _options_given()) \
        if fmt == "html" else None
    with open_output(output, binary=fmt == "xlsx") as stream:
        sink = XlsxSink(stream, changed_only) if fmt == "xlsx" else make_sink(fmt, stream, changed_only, made)
        if approve or expect:
            sink = ApprovalSink(sink)
        show = not quiet and sys.stderr.isatty()
        bar = click.progressbar(length=count_records(inputs, exclude), label="comparing", file=sys.stderr,
                                show_pos=True, show_eta=True) if show else contextlib.nullcontext()
        with bar:
            prefetch = compare_into(summary, sink, pair, inputs, jobs=jobs, attribute=not no_attribution, as_of=when,
                                    attributor=attributor, exclude=exclude, progress=bar.update if show else None,
                                    batch=batch)
        sink.finish(summary)
    if prefetch is not None and not quiet:
        click.echo("\n".join(prefetch.lines()), err=True)
    if summary.error_records:
        sys.exit(2)
    if approve or expect:
        current = approval_document(pair.base.id, pair.candidate.id, sink.found)
        if approve:
            write_approval(approve, current, files)
        elif _differs(expect, approved, current):
            sys.exit(1)
    sys.exit(1 if fail_on_change and summary.changed else 0)


def _differs(path: str, approved: dict, current: dict) -> bool:
    """Whether the current changes differ from the approved ones; if so, each difference on stderr."""
    lines = unapproved(approved, current)
    if lines:
        click.echo(f"{path}: {plural(len(lines), 'outcome change')} not as approved:", err=True)
        for line in lines:
            click.echo(f"  {line}", err=True)
    return bool(lines)


def _options_given() -> list[str]:
    """The options of this run given on the command line or by the environment, as they read there
    (`--top 3`, `--no-attribution`), for the report's "how this was made"."""
    ctx = click.get_current_context()
    given = []
    for param in ctx.command.params:
        source = ctx.get_parameter_source(param.name)
        if not isinstance(param, click.Option) or source in (None, ParameterSource.DEFAULT):
            continue
        name, value = param.opts[-1] if param.opts[-1].startswith("--") else param.opts[0], ctx.params[param.name]
        if param.is_flag:
            given.append(name)
        else:
            values = value if param.multiple else [value]
            given += [f"{name} {v.date().isoformat() if isinstance(v, _dt.datetime) else v}" for v in values]
    return given
