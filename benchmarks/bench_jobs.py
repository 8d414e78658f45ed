"""Benchmark: how much faster `kinerja compare --jobs 2` is than `--jobs 1`, as paired ratios.

Why: bench_compare.py runs each configuration once; on a shared machine whose speed drifts by a
quarter within minutes, one --jobs 1 run and one --jobs 2 run taken a minute apart can differ by
more than the scaling itself. Here the two run in turn, K rounds (jobs 1, jobs 2, then jobs 2,
jobs 1, …), each in a fresh process, and the ratio is taken round by round (the wall time of the
round's --jobs 1 run over its --jobs 2 run); the median of those ratios is the figure, with their
range. The CPU time of every process (the command and its workers, from wait4) is reported too:
its ratio says how much work running in parallel adds (reading and sending the lines, partial
summaries), apart from what the machine gave. Every run's output must be byte-identical. The runs
use a cache folder of their own, warmed by one untimed `--jobs 1` run first (as bench_compare.py):
otherwise the first round's first run would build what every later run finds in the cache.

    cd /work/main && /work/venv/bin/python benchmarks/bench_jobs.py --n 10000 --rounds 5
    ... --corpus /tmp/c10000.jsonl --n 10000 --rounds 7 --attribution
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_compare import cache_env, compare_command, make_corpus, measure  # noqa: E402


def arguments() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10000, help="contracts (default 10000)")
    ap.add_argument("--seed", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=5, help="pairs of runs (default 5)")
    ap.add_argument("--jobs", type=int, default=2, help="the --jobs value set against --jobs 1 (default 2)")
    ap.add_argument("--attribution", action="store_true", help="with attribution (default: --no-attribution)")
    ap.add_argument("--corpus", type=Path, help="use the first N records of this JSON Lines file instead of generating")
    return ap.parse_args()


def rounds(args, corpus: Path, tmp: Path) -> list[dict[int, dict]]:
    """Each round's measured run of --jobs 1 and --jobs N (the order reversed every other round)."""
    env = cache_env(tmp / "cache")
    print("warming the cache: --jobs 1 (not timed) …", flush=True)
    measure(compare_command(1, corpus, args.attribution), tmp / "warm-up.txt", env=env)
    out = []
    for r in range(args.rounds):
        got = {}
        for j in (1, args.jobs) if r % 2 == 0 else (args.jobs, 1):
            got[j] = measure(compare_command(j, corpus, args.attribution), tmp / f"out_{r}_{j}.txt", env=env)
            print(f"round {r + 1}: --jobs {j} {got[j]['wall']:.1f} s wall, {got[j]['cpu']:.1f} s CPU, "
                  f"load {got[j]['load'][0]:.2f}", flush=True)
        out.append(got)
    return out


def spread(values: list[float]) -> str:
    return f"median {statistics.median(values):.2f}x (range {min(values):.2f}–{max(values):.2f}x)"


def main() -> int:
    args = arguments()
    with tempfile.TemporaryDirectory(prefix="bench_jobs_") as tmp:
        tmp = Path(tmp)
        corpus = tmp / "corpus.jsonl"
        n = make_corpus(args, corpus)
        runs = rounds(args, corpus, tmp)
    j = args.jobs
    speed = [r[1]["wall"] / r[j]["wall"] for r in runs]
    work = [r[j]["cpu"] / r[1]["cpu"] for r in runs]
    print(f"\n{n:,} records, attribution {'on' if args.attribution else 'off'}, {args.rounds} rounds, "
          f"{os.cpu_count()} CPUs:")
    print(f"  --jobs {j} against --jobs 1, wall time, round by round: {spread(speed)} faster")
    print(f"  CPU time of --jobs {j} (command and workers) against --jobs 1's: {spread(work)}")
    print(f"  --jobs 1 median {statistics.median(r[1]['wall'] for r in runs):.1f} s, "
          f"--jobs {j} median {statistics.median(r[j]['wall'] for r in runs):.1f} s")
    if len({r[k]["sha"] for r in runs for k in r}) != 1:
        print("outputs DIFFER between runs")
        return 1
    print("  outputs identical in every run")
    return 0


if __name__ == "__main__":
    sys.exit(main())
