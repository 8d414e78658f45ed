"""Benchmark: how long one `kinerja` command takes as a whole process, cold cache vs warm cache vs
`--no-cache` (engine/cache.py keeps built policies, the grammar's parser tables and the data schemas'
fast validators in the user's cache folder).

Each command is started as a new process (`python cli.py ARGS`, what the `kinerja` script runs) with
its bytecode compiled beforehand, and timed from start to exit:
- cold:     an empty cache folder before every run (the first run after an install or an edit);
- warm:     the cache folder filled by an earlier run (every later run);
- no-cache: `kinerja --no-cache`, which neither reads nor writes it (what kinerja did before the cache).
The modes run in turn, round after round (cold, warm, no-cache, cold, …), so a slow spell of a shared
machine hits them alike; the median of the rounds is printed (wall time, and the CPU time of the
process, which a busy machine inflates less), with warm/no-cache (wall) as a ratio. Last, the floor
no command can go below with the same Python: starting it (with and without `site`) and importing click.
`--baseline DIR` also times another checkout (e.g. `git archive <commit> | tar -x -C DIR`) with the
same Python, as one more column, for before/after figures: warm, with a cache folder of its own
filled before the first round (a checkout from before the cache simply builds everything each time).
`--kinerja PATH` times an installed `kinerja` script (a wheel in a virtual environment) instead of
this checkout, run from an empty folder with the data files named by absolute path; `--baseline`
may then name another installed script.

    .venv/bin/python benchmarks/bench_cold_start.py [--rounds 5] [--baseline /tmp/kinerja-main]
    .venv/bin/python benchmarks/bench_cold_start.py --kinerja /tmp/venv/bin/kinerja --baseline /tmp/venv-main/bin/kinerja
"""
from __future__ import annotations

import argparse
import compileall
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = [["check", "--policy", "kmk_300_2022", "examples/pk_2024_kppn_semarang_i.yaml"],
            ["check", "--policy", "auto", "examples/pk_2024_kppn_semarang_i.yaml"],
            ["validate", "kmk_300_2022"]]
MODES = ("cold", "warm", "no-cache")
FLOOR = {"python -c pass": ["-c", "pass"], "python -S -c pass": ["-S", "-c", "pass"],
         "python -c 'import click'": ["-c", "import click"]}   # what no kinerja command can go below


def _environment(cache_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "KINERJA_CACHE")}
    env["KINERJA_CACHE_DIR"] = str(cache_dir)
    return env


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _run(target: Path, args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of `python cli.py ARGS` in checkout `target` (or of the installed script
    `target`, from the folder the cache is in, data files by absolute path), start to exit; a crash
    stops the benchmark."""
    if target.is_dir():
        command, cwd = [sys.executable, str(target / "cli.py"), *args], target
    else:
        command = [str(target), *(str(ROOT / a) if a.startswith("examples/") else a for a in args)]
        cwd = Path(env["KINERJA_CACHE_DIR"]).parent
    start, cpu = time.perf_counter(), _cpu()
    done = subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start, _cpu() - cpu
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(args)} exited with {done.returncode}:\n{done.stderr}")
    return elapsed


def _time_one(args: list[str], rounds: int, work: Path, target: Path, baseline: Path | None
              ) -> dict[str, tuple[float, float]]:
    """Median wall and CPU seconds of each mode (and of the baseline) for one command."""
    cache_dir = work / "cache"
    env, baseline_env = _environment(cache_dir), _environment(work / "baseline-cache")
    times: dict[str, list[tuple[float, float]]] = {mode: [] for mode in MODES + (("baseline",) if baseline else ())}
    _run(target, args, env)   # fills the cache for the first warm run
    if baseline:
        _run(baseline, args, baseline_env)   # and the baseline's
    for _ in range(rounds):
        for mode in times:
            if mode == "cold":
                shutil.rmtree(cache_dir, ignore_errors=True)
            if mode == "no-cache":
                times[mode].append(_run(target, ["--no-cache", *args], env))
            elif mode == "baseline":
                times[mode].append(_run(baseline, args, baseline_env))
            else:   # a cold run fills the cache for the warm one that follows
                times[mode].append(_run(target, args, env))
    return {mode: (statistics.median(t[0] for t in ts), statistics.median(t[1] for t in ts))
            for mode, ts in times.items()}


def _floor(python: str, rounds: int) -> str:
    """Median wall (CPU) ms of starting the interpreter bare, without `site`, and importing click."""
    out = []
    for label, args in FLOOR.items():
        runs = []
        for _ in range(rounds):
            start, cpu = time.perf_counter(), _cpu()
            subprocess.run([python, *args], check=True)
            runs.append((time.perf_counter() - start, _cpu() - cpu))
        out.append(f"`{label}` {statistics.median(r[0] for r in runs) * 1000:.0f} "
                   f"({statistics.median(r[1] for r in runs) * 1000:.0f})")
    return "floor, the same Python: " + ", ".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=5, help="runs of each command in each mode (median)")
    ap.add_argument("--baseline", type=Path, help="another checkout (or installed script) to time the same commands with")
    ap.add_argument("--kinerja", type=Path, default=ROOT, help="an installed kinerja script to time instead of this checkout")
    opts = ap.parse_args()
    for checkout in (t for t in (opts.kinerja, opts.baseline) if t is not None and t.is_dir()):
        compileall.compile_dir(str(checkout / "engine"), quiet=1)
        compileall.compile_file(str(checkout / "cli.py"), quiet=1)
    columns = list(MODES) + (["baseline"] if opts.baseline else [])
    print(f"whole process, wall ms (CPU ms), median of {opts.rounds}; Python {sys.version.split()[0]}, "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    print("| command | " + " | ".join(columns) + " | warm / no-cache |")
    print("|---|" + "---:|" * (len(columns) + 1))
    with tempfile.TemporaryDirectory(prefix="kinerja-bench-") as work:
        for args in COMMANDS:
            medians = _time_one(args, opts.rounds, Path(work), opts.kinerja, opts.baseline)
            cells = [f"{medians[c][0] * 1000:.0f} ({medians[c][1] * 1000:.0f})" for c in columns]
            print(f"| `kinerja {' '.join(args)}` | " + " | ".join(cells)
                  + f" | {medians['warm'][0] / medians['no-cache'][0]:.2f} |", flush=True)
    print(_floor(sys.executable if opts.kinerja.is_dir() else str(opts.kinerja.parent / "python"), opts.rounds))


if __name__ == "__main__":
    main()
