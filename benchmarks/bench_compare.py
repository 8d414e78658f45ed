"""Benchmark: `kinerja compare --base kmk_467_2014 --candidate kmk_300_2022` on a generated corpus.

1. Generate N contracts with `kinerja generate --units N --seed SEED` into a temporary folder (the
   same seed gives the same bytes), or use --corpus FILE.
2. Run `kinerja compare` once per configuration (attribution on/off × each --jobs value), each in a
   fresh process, all in this one run, and report for each: records/second, CPU seconds (the command
   and its workers), peak RSS of the largest process (ru_maxrss of that command's process tree, from
   wait4) and the peak memory of the whole tree (main process + workers: summed PSS, which splits
   the pages a forked worker shares with its parent, sampled from /proc every 0.1 s).
3. Report the scaling of each --jobs N against --jobs 1 (wall-clock ratio), the CPU each run could
   get (CPU seconds / wall seconds: below N means other load took the cores), and check that every
   --jobs value wrote byte-identical output.
4. Memory flatness: the same command on the first N/10 records (--jobs 1), to compare peak RSS.
5. Milliseconds per record, with and without attribution: the whole command's wall and CPU time per
   record, and the marginal cost (the N-record run less the N/10 one, over the records between:
   start-up, loading and compiling the policies and variants, cancels out).

Every tree runs with a cache folder of its own (KINERJA_CACHE_DIR, in the temporary folder), warmed
before the timed runs by one untimed `--jobs 1` run over the N records in each mode: each timed run
then starts as every later run of a user does, with both policies and the variants its records need
in the cache. Without the warm-up the N-record run would build the variants (since session 24 kept
in the cache) and the N/10 run after it would find them, and that one-off work (about 1.5 s) would
count as per-record time. `--cold` skips the warm-up (the first timed run of each tree then builds
everything, once).

With --baseline DIR (another checkout, e.g. an older commit unpacked with `git archive`), every
configuration also runs in DIR, right after it runs here: before/after figures from one run, and a
check that both trees write byte-identical output. With --profile K, after the runs it compares the
first K records in this process under cProfile (attribution on and off) and prints where the time
goes, by function (cumulative and own time); with --stages K, it times each stage of comparing the
first K records (parsing, validation, the two evaluations, pairing and diffing, attribution, the
summary fold) in this process.

    cd /work/main && /work/venv/bin/python benchmarks/bench_compare.py --n 20000
    ... --n 100000 --no-attribution --jobs 1,2          # the README figures
    ... --n 20000 --attribution --jobs 1,2
    ... --corpus /tmp/big.jsonl --n 5000                 # first 5000 records of an existing corpus
    ... --n 2000 --profile 500 --no-small               # plus cProfile of 500 records, in process
    ... --n 1000 --jobs 1 --no-small --stages 1000      # plus each stage's ms per record
    ... --n 4000 --batch                                 # plus every configuration with compare --batch
    git archive 7f08cbe | tar -x -C /tmp/before && ... --n 4000 --baseline /tmp/before   # before/after

The load average (os.getloadavg) is printed before and after each run: on a shared machine, compare
ratios from one run only, and read the CPU/wall column before trusting a scaling ratio.
"""
from __future__ import annotations

import argparse
import cProfile
import hashlib
import io
import os
import platform
import pstats
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUN = "import sys; from cli import main; sys.argv[0] = 'kinerja'; main()"
BASE, CANDIDATE = "kmk_467_2014", "kmk_300_2022"


def kinerja(*args: str) -> list[str]:
    """The command line running this checkout's kinerja (not whatever is installed)."""
    return [sys.executable, "-c", RUN, *args]


def compare_command(jobs: int, data: Path, attribution: bool, fmt: str = "text", extra: tuple = ()) -> list[str]:
    """The measured command: `kinerja compare` of the two benchmarked policies over `data`, quiet."""
    return kinerja("compare", "--base", BASE, "--candidate", CANDIDATE, "--quiet", "--format", fmt,
                   "--jobs", str(jobs), *([] if attribution else ["--no-attribution"]), *extra, str(data))


def cache_env(folder: Path) -> dict:
    """The environment of a run that keeps its cache in `folder`, not in the user's cache folder."""
    return {**os.environ, "KINERJA_CACHE_DIR": str(folder)}


def _children(pid: int) -> list[int]:
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                out += [int(x) for x in f.read().split()]
    except OSError:
        pass
    return out


def _pss_kb(pid: int) -> int:
    """Proportional set size: resident memory with pages shared between processes (a forked worker
    and its parent) divided among them, so that the sum over processes is the memory really used."""
    for name, key in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
        try:
            with open(name) as f:
                for line in f:
                    if line.startswith(key):
                        return int(line.split()[1])
        except OSError:
            continue
    return 0


def tree_pss_kb(pid: int) -> int:
    """Memory of a process and all its descendants (summed PSS; Linux /proc, 0 elsewhere)."""
    total, stack, seen = 0, [pid], set()
    while stack:
        p = stack.pop()
        if p in seen:
            continue
        seen.add(p)
        total += _pss_kb(p)
        stack += _children(p)
    return total


def measure(cmd: list[str], out_path: Path, cwd: Path = ROOT, env: dict | None = None) -> dict:
    """Run `cmd` in `cwd` (stdout to out_path); wall seconds, CPU seconds, ru_maxrss and sampled tree PSS."""
    load = os.getloadavg()
    peak = 0
    done = threading.Event()
    with open(out_path, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.PIPE, env=env)

        def sample():
            nonlocal peak
            while not done.is_set():
                peak = max(peak, tree_pss_kb(proc.pid))
                done.wait(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err = proc.stderr.read().decode("utf-8", "replace")
        proc.stderr.close()
    if proc.returncode not in (0, 2):
        sys.exit(f"command failed ({proc.returncode}): {' '.join(cmd[3:])}\n{err}")
    digest = hashlib.sha256()
    with open(out_path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "maxrss": usage.ru_maxrss, "tree": peak,
            "sha": digest.hexdigest()[:12], "load": (load[0], os.getloadavg()[0]), "exit": proc.returncode}


def count_lines(path: Path) -> int:
    with open(path, "rb") as f:
        return sum(1 for line in f if line.strip())


def head(src: Path, dst: Path, n: int) -> int:
    """Copy the first n non-blank lines of a JSON Lines file."""
    k = 0
    with open(src, "rb") as f, open(dst, "wb") as out:
        for line in f:
            if k >= n:
                break
            if line.strip():
                out.write(line)
                k += 1
    return k


def profile(corpus: Path, n: int, attribute: bool, lines: int = 30) -> None:
    """cProfile of comparing the first n records of `corpus` in this process, text report to nowhere;
    the same records are compared once before, so that the policies and every variant they need are
    compiled and only the per-record work is profiled."""
    sys.path.insert(0, str(ROOT))
    from engine.compare import Attributor, PolicyPair, Summary, compare_into
    from engine.report.compare_sinks import make_sink
    pair = PolicyPair.load(BASE, CANDIDATE)
    attributor = Attributor(pair.base, pair.candidate) if attribute else None
    if attributor is not None:
        attributor.separable()
    with tempfile.TemporaryDirectory(prefix="bench_compare_profile_") as tmp:
        part = Path(tmp) / "part.jsonl"
        head(corpus, part, n)
        args = (pair, [str(part)])
        options = {"jobs": 1, "attribute": attribute, "attributor": attributor}
        compare_into(Summary(pair, attributor), make_sink("text", io.StringIO(), False), *args, **options)
        prof = cProfile.Profile()
        prof.runcall(compare_into, Summary(pair, attributor), make_sink("text", io.StringIO(), False), *args, **options)
    print(f"\n== cProfile: {n} records, attribution {'on' if attribute else 'off'} ==")
    stats = pstats.Stats(prof, stream=sys.stdout)
    stats.sort_stats("cumulative").print_stats(lines)
    stats.sort_stats("tottime").print_stats(lines)


def stages(corpus: Path, n: int) -> None:
    """Where a record's time goes, in this process (CPU time, --jobs 1, policies and variants compiled
    beforehand by a first pass): per record of the first n, each stage timed on its own."""
    sys.path.insert(0, str(ROOT))
    from engine.compare import Attributor, Comparer, PolicyPair, Summary
    from engine.compare.inputs import materialise, tasks
    pair = PolicyPair.load(BASE, CANDIDATE)
    plain, full = Comparer(pair, attribute=False), Comparer(pair, attributor=Attributor(pair.base, pair.candidate))
    summary, clock = Summary(pair), time.process_time
    names = ["parse JSON", "validate", "evaluate both", "pair and diff", "attribution", "summary fold"]
    spent = dict.fromkeys(names, 0.0)
    with tempfile.TemporaryDirectory(prefix="bench_compare_stages_") as tmp:
        part = Path(tmp) / "part.jsonl"
        head(corpus, part, n)
        for timed in (False, True):
            for task in tasks([str(part)]):
                marks = [clock()]
                record = materialise(task)
                marks.append(clock())
                record.validate(pair.base.subject, pair.base.spec.schemas)
                marks.append(clock())
                plain.evaluate(pair.base, record), plain.evaluate(pair.candidate, record)
                marks.append(clock())
                plain.compare(record)
                marks.append(clock())
                rc = full.compare(record)
                marks.append(clock())
                summary.add(rc)
                marks.append(clock())
                if timed:
                    spans = [b - a for a, b in zip(marks, marks[1:])]
                    spans[3] -= spans[2]   # compare without attribution evaluates both again
                    spans[4] -= spans[3] + spans[2]
                    for name, span in zip(names, spans):
                        spent[name] += span
    total = sum(spent.values())
    print(f"\n== where a record's time goes ({n} records, CPU ms per record, in process) ==")
    for name in names:
        print(f"{name:>14}: {1000 * spent[name] / n:6.3f} ms  {100 * spent[name] / total:4.0f} %")
    print(f"{'total':>14}: {1000 * total / n:6.3f} ms (without attribution "
          f"{1000 * (total - spent['attribution']) / n:.3f} ms)")


def mb(kb: int) -> str:
    return f"{kb / 1024:,.0f}" if kb else "-"


def arguments() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=20000, help="contracts (default 20000)")
    ap.add_argument("--seed", type=int, default=300)
    ap.add_argument("--jobs", default="1,2", help="comma-separated --jobs values (default 1,2)")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--attribution", dest="modes", action="store_const", const=["attribution"],
                      help="only runs with attribution")
    mode.add_argument("--no-attribution", dest="modes", action="store_const", const=["no-attribution"],
                      help="only runs with --no-attribution")
    ap.add_argument("--format", default="text", help="report format written (default text)")
    ap.add_argument("--corpus", type=Path, help="use the first N records of this JSON Lines file instead of generating")
    ap.add_argument("--no-small", action="store_true", help="skip the N/10 run (memory flatness, marginal ms/record)")
    ap.add_argument("--profile", type=int, metavar="K", help="also profile comparing K records in process")
    ap.add_argument("--stages", type=int, metavar="K", help="also time each stage of K records in process")
    ap.add_argument("--batch", action="store_true",
                    help="also run every configuration with `compare --batch` (as the checkout 'this --batch'; its "
                         "output must be byte-identical to the per-record one)")
    ap.add_argument("--cold", action="store_true",
                    help="no untimed warm-up run: the first timed run of each tree fills its empty cache")
    ap.add_argument("--baseline", type=Path, metavar="DIR",
                    help="another checkout (e.g. `git archive` of an older commit) run alternately with this one")
    return ap.parse_args()


def make_corpus(args: argparse.Namespace, corpus: Path) -> int:
    """The corpus (generated, or the head of --corpus) at `corpus`; its number of records."""
    if args.corpus:
        n = head(args.corpus, corpus, args.n)
        print(f"corpus: first {n} records of {args.corpus}")
        return n
    t = time.perf_counter()
    subprocess.run(kinerja("generate", "--units", str(args.n), "--seed", str(args.seed), "-o", str(corpus)),
                   cwd=ROOT, check=True, capture_output=True)
    n = count_lines(corpus)
    print(f"corpus: {n} contracts generated with seed {args.seed} in {time.perf_counter() - t:.0f} s "
          f"({corpus.stat().st_size / 2**20:,.0f} MiB)")
    return n


def run_all(args, modes: list[str], jobs: list[int], tmp: Path, corpus: Path, n: int, small: Path,
            n_small: int) -> list[dict]:
    """One measured run per configuration: each mode × each --jobs value, and --jobs 1 on the small
    corpus; with --baseline, each configuration runs in the baseline checkout right after this one.
    Each tree has a cache folder of its own, warmed first unless --cold (module docstring)."""
    trees = [("this", ROOT, [])] + ([("this --batch", ROOT, ["--batch"])] if args.batch else []) \
        + ([("baseline", args.baseline.resolve(), [])] if args.baseline else [])
    env = {tree: cache_env(tmp / f"cache_{i}") for i, (tree, _, _) in enumerate(trees)}

    def command(mode: str, j: int, data: Path, extra: list[str]) -> list[str]:
        return compare_command(j, data, mode == "attribution", args.format, tuple(extra))

    for mode in modes if not args.cold else ():
        for tree, root, extra in trees:
            print(f"warming the cache of {tree}: {mode}, --jobs 1, {n} records (not timed) …", flush=True)
            measure(command(mode, 1, corpus, extra), tmp / "warm-up.txt", root, env[tree])
    rows = []
    for mode in modes:
        configs = [(j, corpus, n) for j in jobs] + ([(1, small, n_small)] if n_small else [])
        for j, data, count in configs:
            for tree, root, extra in trees:
                print(f"running {tree}: {mode}, --jobs {j}, {count} records …", flush=True)
                r = measure(command(mode, j, data, extra),
                            tmp / f"out_{tree.replace(' ', '_')}_{mode}_{j}_{count}.txt", root, env[tree])
                r.update(mode=mode, jobs=j, n=count, checkout=tree)
                rows.append(r)
    return rows


def print_table(rows: list[dict]) -> None:
    head_row = ["checkout", "attribution", "jobs", "records", "wall s", "records/s", "ms/record", "CPU s", "CPU/wall",
                "max RSS MiB", "tree PSS MiB", "load before/after", "output"]
    table = [[r["checkout"], r["mode"] == "attribution" and "on" or "off", str(r["jobs"]), f"{r['n']:,}", f"{r['wall']:.1f}",
              f"{r['n'] / r['wall']:,.0f}", f"{1000 * r['wall'] / r['n']:.2f}", f"{r['cpu']:.1f}",
              f"{r['cpu'] / r['wall']:.2f}", mb(r["maxrss"]), mb(r["tree"]),
              f"{r['load'][0]:.2f}/{r['load'][1]:.2f}", r["sha"]] for r in rows]
    widths = [max(len(x) for x in col) for col in zip(head_row, *table)]
    for line in [head_row] + table:
        print("  ".join(x.rjust(w) if i not in (0, 1, 12) else x.ljust(w) for i, (x, w) in enumerate(zip(line, widths))))


def print_figures(rows: list[dict], tree: str, mode: str, n: int, n_small: int) -> None:
    """Per record (start-up excluded), the --jobs ratios and memory flatness of one tree and mode."""
    rows = [r for r in rows if r["checkout"] == tree and r["mode"] == mode]
    full = {r["jobs"]: r for r in rows if r["n"] == n}
    one = full.get(1)
    small_run = next((r for r in rows if r["n"] == n_small), None)
    mode = f"{tree}, {mode}"
    if one is not None and small_run is not None and n > n_small:
        span = n - n_small
        print(f"{mode}: --jobs 1 per record, start-up excluded ({n:,} less {n_small:,} records): "
              f"{1000 * (one['wall'] - small_run['wall']) / span:.3f} ms wall, "
              f"{1000 * (one['cpu'] - small_run['cpu']) / span:.3f} ms CPU")
    for j, r in full.items():
        if one is not None and j != 1:
            print(f"{mode}: --jobs {j} vs 1: {one['wall'] / r['wall']:.2f}x faster (wall), "
                  f"CPU {r['cpu'] / one['cpu']:.2f}x of --jobs 1's, output "
                  f"{'identical' if r['sha'] == one['sha'] else 'DIFFERENT'}")
    if one is not None and small_run is not None:
        print(f"{mode}: peak RSS {n:,} vs {n_small:,} records (--jobs 1): {mb(one['maxrss'])} vs "
              f"{mb(small_run['maxrss'])} MiB ({one['maxrss'] / small_run['maxrss']:.2f}x)")


def main() -> None:
    args = arguments()
    modes = args.modes or ["no-attribution", "attribution"]
    jobs = [int(j) for j in args.jobs.split(",")]
    print(f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.platform()}")
    with tempfile.TemporaryDirectory(prefix="bench_compare_") as tmp:
        tmp = Path(tmp)
        corpus = tmp / "corpus.jsonl"
        n = make_corpus(args, corpus)
        small = tmp / "small.jsonl"
        n_small = head(corpus, small, max(n // 10, 1)) if not args.no_small else 0
        rows = run_all(args, modes, jobs, tmp, corpus, n, small, n_small)
        for mode in modes if args.profile else ():   # after the runs: their processes fork from a small one
            profile(corpus, args.profile, mode == "attribution")
        if args.stages:
            stages(corpus, args.stages)
    print()
    print(f"kinerja compare --base {BASE} --candidate {CANDIDATE} --format {args.format}; "
          f"one run per configuration, all in this run")
    print_table(rows)
    print()
    for tree in dict.fromkeys(r["checkout"] for r in rows):
        for mode in modes:
            print_figures(rows, tree, mode, n, n_small)
    if any(r["sha"] != q["sha"] for r in rows for q in rows if r["mode"] == q["mode"] and r["n"] == q["n"]):
        sys.exit("outputs differ between --jobs values or trees")
    if args.baseline:
        print("outputs identical in both trees for every configuration")


if __name__ == "__main__":
    main()
