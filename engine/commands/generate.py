"""`kinerja generate`: a deterministic synthetic corpus of Kemenkeu contracts (engine/synthetic/)."""
from __future__ import annotations

import contextlib
import sys
import time
from pathlib import Path

import click

from .. import synthetic as corpus
from ..outputs import ClosedPipeError, OutputError, atomic_output, replace_folder, stdout_output


def _years(ctx, param, value: str) -> list[int]:
    years: list[int] = []
    try:
        for part in value.split(","):
            first, _, last = part.strip().partition("-")
            years += list(range(int(first), int(last or first) + 1))
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a year, a range (2021-2024) or a list (2021,2024)") from None
    if not years or any(not 2000 <= y <= 2100 for y in years):
        raise click.BadParameter(f"'{value}': years must lie between 2000 and 2100")
    return years


@click.command()
@click.option("--units", type=click.IntRange(1), default=250, show_default=True,
              help="Number of units (each gets one contract per year).")
@click.option("--years", default="2024", show_default=True, callback=_years,
              help="Performance years: 2024, 2021-2024 or 2021,2024.")
@click.option("--seed", type=int, default=300, show_default=True, help="Same seed, same bytes.")
@click.option("--violations", type=click.FloatRange(0, 1), default=0.1, show_default=True,
              help="Share of records that break one rule on purpose (named in the record's notes).")
@click.option("--employees", is_flag=True,
              help="Also write each unit's employee performance file (PermenPAN-RB 6/2022 data).")
@click.option("--employee-scores", is_flag=True,
              help="Also write, for years from 2026, a few employees' score files per unit (KMK 127/2026 data).")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "yaml"]), default="jsonl", show_default=True,
              help="jsonl: one record per line; yaml: one file per record in a folder.")
@click.option("-o", "--output", type=click.Path(), help="JSON Lines file (default: standard output) or YAML folder.")
@click.option("--force", is_flag=True,
              help="Replace an existing output file, or a non-empty output folder as a whole.")
def generate(units: int, years: list[int], seed: int, violations: float, employees: bool,
             employee_scores: bool, fmt: str, output: str | None, force: bool):
    """Generate a realistic corpus of Ministry of Finance performance contracts.

    Units follow Kemenkeu's structure (eselon I, Kanwil, KPP / KPPBC / KPPN / KPKNL offices); each
    contract has a strategy map, IKU with quarterly targets and realisations, IIAA reports,
    initiatives and a budget. With --employees, each unit's employee file goes to a second JSON
    Lines file next to OUTPUT (NAME_employees.jsonl), or into the same YAML folder; with
    --employee-scores, the KMK 127/2026 employee scores (2026 on) go to NAME_employee_scores.jsonl.
    Existing output is never overwritten without --force; files appear only once complete.

    \b
    kinerja generate --units 250 --seed 300 -o examples/corpus/kemenkeu_2024.jsonl
    kinerja generate --units 50 --employees --format yaml -o /tmp/corpus
    kinerja generate --units 20 --years 2026 --employee-scores -o /tmp/kemenkeu_2026.jsonl
    """
    if fmt == "yaml" and not output:
        raise click.UsageError("--format yaml writes a folder: give it with -o/--output")
    for flag, given in (("--employees", employees), ("--employee-scores", employee_scores)):
        if given and fmt == "jsonl" and not output:
            raise click.UsageError(f"{flag} with JSON Lines needs -o/--output (the employee file goes next to it)")
    started = time.perf_counter()
    records = corpus.generate(units=units, years=years, seed=seed, violations=violations, with_employees=employees,
                              with_employee_scores=employee_scores)
    counts = {"organization_contract": 0, "employee_performance": 0, "employee_score": 0}
    breaking = dict(counts)

    def counted(stream):
        for record in stream:
            counts[record["kind"]] += 1
            breaking[record["kind"]] += corpus.BREACH_NOTE in record.get("notes", "")
            yield record

    try:
        _write(fmt, output, {"_employees": employees, "_employee_scores": employee_scores}, force, counted(records))
    except ClosedPipeError:            # the reader stopped early (e.g. `| head`): not an error
        sys.exit(0)
    took = time.perf_counter() - started
    summary = (f"{counts['organization_contract']} contracts ({breaking['organization_contract']} breaking a rule)")
    if employees:
        summary += (f", {counts['employee_performance']} employee files "
                    f"({breaking['employee_performance']} breaking a rule)")
    if employee_scores:
        summary += f", {counts['employee_score']} employee scores"
    click.echo(f"generated {summary} in {took:.1f} s" + (f" → {output}" if output else ""), err=True)


def _write(fmt: str, output: str | None, side_files: dict[str, bool], force: bool, records) -> None:
    """Write the records: a YAML folder replaced whole, JSON Lines files renamed into place only
    when complete, or standard output. `side_files` says which of the files next to the output
    (by name suffix: employee files, employee scores) are written."""
    if fmt == "yaml":
        with replace_folder(output, force=force, parents=True) as folder:
            corpus.write_yaml(records, folder)
        return
    if output is None:
        with stdout_output() as out:
            corpus.write_jsonl(records, out)
        return
    path = Path(output)
    side_paths = {suffix: path.with_name(path.stem + suffix + (path.suffix or ".jsonl"))
                  for suffix, given in side_files.items() if given}
    for target in [path, *side_paths.values()]:
        if target.exists() and not force:
            raise OutputError(f"refusing to overwrite {target}: it exists (use --force to replace it)", str(target))
    with contextlib.ExitStack() as stack:
        out = stack.enter_context(atomic_output(path, parents=True))
        side = {suffix: stack.enter_context(atomic_output(p, parents=True)) for suffix, p in side_paths.items()}
        corpus.write_jsonl(records, out, side.get("_employees"), side.get("_employee_scores"))
