"""`kinerja test`: run policies' test cases (policies/<id>/tests/*.yaml), optionally with coverage.

Per policy, each case is reported PASS or FAIL with its file:line and name; a failure shows what
differs, field by field (expected vs got). `--coverage` also lists the rules no case fired, the band
rows no case's lookup landed on and the parameters no case read (definitions: engine/coverage.py).
Exit 0 if every selected case passes, 1 if one fails (or, with --require-full-coverage, coverage is
incomplete), 2 on usage errors and on policies or test files that cannot be read.
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import click

from ..policy.coverage import Coverage, observe
from ..errors import KinerjaError
from ..lang.checker import suggest
from ..policy.registry import Registry
from ..policy.cases import CaseResult, run_file, test_files
from ..report.check import error_messages
from .options import policy_path_option


@dataclass
class PolicyRun:
    target: str
    policy_id: str | None = None
    cases: list[CaseResult] = field(default_factory=list)      # the selected cases
    deselected: int = 0
    errors: list[str] = field(default_factory=list)            # policy or test file could not be read
    coverage: Coverage | None = None


@click.command("test")
@click.argument("policies", nargs=-1)
@click.option("-k", "select", metavar="SUBSTRING",
              help="Run only the cases whose name contains SUBSTRING (ignoring case).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--coverage", "with_coverage", is_flag=True,
              help="Also report the rules, band rows and parameters that no case exercised.")
@click.option("--require-full-coverage", is_flag=True,
              help="Implies --coverage; exit 1 if anything is left unexercised.")
@policy_path_option
def test_command(policies: tuple[str, ...], select: str | None, fmt: str, with_coverage: bool,
                 require_full_coverage: bool, registry: Registry):
    """Run the test cases of POLICIES (ids or paths; default: all policies).

    \b
    A rule is covered when some case makes it fire (a violation with outcome failed),
    a band row when some case's band lookup lands on it, a parameter when some case's
    evaluation reads it.

    Exit 0 if every case passes, 1 if some case fails (or coverage is incomplete with
    --require-full-coverage), 2 on a usage error or a policy/test file that cannot be read."""
    with_coverage = with_coverage or require_full_coverage
    if with_coverage and select is not None:
        raise click.UsageError("--coverage measures all cases of a policy; it cannot be combined with -k")
    known = list(registry.paths())
    targets = list(policies) or known
    for target in targets:
        if not Path(target).exists() and target not in known:
            hint = suggest(target, known)
            raise click.UsageError(f"unknown policy '{target}'"
                                   + (f"; {hint}" if hint else f" (known: {', '.join(known) or 'none'})"))
    runs = [_run(registry, target, select, with_coverage) for target in targets]
    selected = sum(len(r.cases) for r in runs)
    click.echo(as_json(runs) if fmt == "json" else text(runs, select), nl=fmt == "json")
    if select is not None and selected == 0:
        click.echo(f"error: no test case name contains '{select}'", err=True)
        sys.exit(2)
    if any(r.errors for r in runs):
        sys.exit(2)
    failed = any(not c.passed for r in runs for c in r.cases)
    incomplete = require_full_coverage and any(r.coverage is not None and not r.coverage.complete for r in runs)
    sys.exit(1 if failed or incomplete else 0)


def _run(registry: Registry, target: str, select: str | None, with_coverage: bool) -> PolicyRun:
    run = PolicyRun(target)
    try:
        policy = registry.load(target)
    except KinerjaError as e:
        run.errors = error_messages(e)
        return run
    run.policy_id = policy.id
    runner = policy
    if with_coverage:
        runner, run.coverage = observe(policy)
    for path in test_files(policy):
        try:
            cases = run_file(runner, path)
        except KinerjaError as e:
            run.errors += error_messages(e)
            continue
        for case in cases:
            if select is None or select.lower() in case.name.lower():
                run.cases.append(case)
            else:
                run.deselected += 1
    return run


# ---- rendering -------------------------------------------------------------------------------

def shown(path: str) -> str:
    """A path relative to the current directory when it lies below it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return path


def split_diff(diff: str) -> tuple[str, str, str] | None:
    """`values.nko: expected 99.99, got 104.48` → (field, expected, got); None for other diffs."""
    head, sep, rest = diff.partition(": expected ")
    if not sep:
        return None
    if rest.startswith("message "):
        head, rest = head + " (message)", rest[len("message "):]
    if rest.count(", got ") != 1:
        return None
    want, got = rest.split(", got ")
    return head, want, got


def _diff_lines(diff: str) -> list[str]:
    parts = split_diff(diff)
    if parts is None:  # verbatim; the lines of a multi-line error indented under its first
        first, *rest = diff.splitlines() or [""]
        return [first] + ["  " + line for line in rest]
    where, want, got = parts
    return [where, f"  expected: {want}", f"  got:      {got}"]


def text(runs: list[PolicyRun], select: str | None) -> str:
    lines: list[str] = []
    for run in runs:
        total = len(run.cases) + run.deselected
        if run.policy_id is None:
            lines.append(f"ERROR  {shown(run.target)}: the policy could not be loaded")
        else:
            count = (f"{len(run.cases)} of {total} cases selected" if select is not None
                     else f"{total} case" + ("" if total == 1 else "s"))
            lines.append(f"{run.policy_id}  ({count})")
            if total == 0 and not run.errors:
                lines.append("  no test cases (add cases to tests/*.yaml next to policy.yaml)")
        for msg in run.errors:
            lines.extend("  " + m for m in msg.splitlines())
        for case in run.cases:
            lines.append(f"  {'PASS' if case.passed else 'FAIL'}  {shown(case.file)}:{case.line}  {case.name}")
            for diff in case.diffs:
                lines.extend("        " + d for d in _diff_lines(diff))
    lines += ["", summary_line(runs)]
    covered = [r for r in runs if r.coverage is not None]
    if covered:
        lines += ["", "Coverage (rules fired, band rows hit, parameters read by the cases):"]
        for run in covered:
            lines += coverage_lines(run.coverage)
    return "\n".join(lines) + "\n"


def summary_line(runs: list[PolicyRun]) -> str:
    passed = sum(c.passed for r in runs for c in r.cases)
    failed = sum(not c.passed for r in runs for c in r.cases)
    parts = [f"{passed} passed", f"{failed} failed"]
    deselected = sum(r.deselected for r in runs)
    if deselected:
        parts.append(f"{deselected} deselected")
    errors = sum(len(r.errors) for r in runs)
    if errors:
        parts.append(f"{errors} error" + ("" if errors == 1 else "s"))
    return ", ".join(parts) + f" in {len(runs)} polic" + ("y" if len(runs) == 1 else "ies")


def coverage_lines(cov: Coverage) -> list[str]:
    rules, rows, params = cov.rules, cov.band_rows, list(cov.policy.parameters)
    unfired, unhit, unread = cov.unfired_rules, cov.unhit_rows, cov.unread_parameters
    head = (f"{cov.policy.id}: rules {len(rules) - len(unfired)}/{len(rules)} fired, "
            f"band rows {len(rows) - len(unhit)}/{len(rows)} hit, "
            f"parameters {len(params) - len(unread)}/{len(params)} read")
    lines = [head + (" — complete" if cov.complete else "")]
    by_id = {r.id: r for r in cov.policy.rules}
    for rid in unfired:
        lines.append(f"  rule not fired:      {rid}  {_where(by_id[rid].entry.origin.location())}")
    for row in unhit:
        lines.append(f"  band row not hit:    {row.describe()}  {_where(row.location)}")
    for name in unread:
        lines.append(f"  parameter not read:  {name}  "
                     f"{_where(cov.policy.parameters[name].entry.origin.location(key=True))}")
    return lines


def _where(location) -> str:
    return f"{shown(location.file)}:{location.line}"


def as_json(runs: list[PolicyRun]) -> str:
    out = []
    for run in runs:
        doc = {"policy": run.policy_id, "target": run.target, "errors": run.errors,
               "deselected": run.deselected, "cases": []}
        for case in run.cases:
            diffs = []
            for d in case.diffs:
                parts = split_diff(d)
                diffs.append({"text": d} if parts is None
                             else {"text": d, "field": parts[0], "expected": parts[1], "got": parts[2]})
            doc["cases"].append({"file": shown(case.file), "line": case.line, "name": case.name,
                                 "passed": case.passed, "diffs": diffs})
        if run.coverage is not None:
            doc["coverage"] = coverage_json(run.coverage)
        out.append(doc)
    summary = {"passed": sum(c.passed for r in runs for c in r.cases),
               "failed": sum(not c.passed for r in runs for c in r.cases),
               "deselected": sum(r.deselected for r in runs),
               "errors": sum(len(r.errors) for r in runs)}
    return json.dumps({"policies": out, "summary": summary}, indent=2, ensure_ascii=False)


def coverage_json(cov: Coverage) -> dict:
    by_id = {r.id: r for r in cov.policy.rules}
    return {
        "complete": cov.complete,
        "rules": {"total": len(cov.rules), "fired": sorted(cov.fired & set(cov.rules)),
                  "not_fired": [{"rule": r, "at": _where(by_id[r].entry.origin.location())}
                                for r in cov.unfired_rules]},
        "band_rows": {"total": len(cov.band_rows),
                      "not_hit": [{"parameter": b.parameter, "from": b.dated_from, "row": b.index,
                                   "label": b.label, "interval": b.interval, "at": _where(b.location)}
                                  for b in cov.unhit_rows]},
        "parameters": {"total": len(cov.policy.parameters),
                       "not_read": [{"parameter": p,
                                     "at": _where(cov.policy.parameters[p].entry.origin.location(key=True))}
                                    for p in cov.unread_parameters]},
    }
