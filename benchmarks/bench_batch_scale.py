"""Benchmark: the batch path at scale, in chunks (engine/vector/run.py CHUNK) against one pass.

The peer benchmark's contracts (../shared/bench/data/contracts_<size>.jsonl, policy `bench_nko`,
found as bench_batch.py finds them) are written once to Parquet in a temporary folder. Each
configuration (size × chunking) then runs in a fresh process: it reads and evaluates the file once
to warm up, then times `evaluate_many(read_parquet(file))` (CPU time of the calling thread, the best
of --repeats) and reports the process's peak RSS before and after (ru_maxrss; the warm-up run
counts, so the peak is the larger of the two runs). Configurations alternate over --rounds
rounds (order reversed every other round); each figure is the best over the rounds.

    python benchmarks/bench_batch_scale.py [--sizes 10k,100k] [--rounds 3] [--repeats 3]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_batch import BENCH, ROOT, bench_contracts, engine_form  # noqa: E402

CHILD = r"""
import json, os, sys, time
sys.path.insert(0, {root!r})
os.environ["KINERJA_PATH"] = {policies!r}
import engine
from engine.vector import run
from engine.vector.columnar import read_parquet
if {one_pass!r}:
    run.CHUNK = 10 ** 12
policy = engine.load_policy("bench_nko")
def peak():   # this process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited across exec)
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
before = peak()
out = policy.evaluate_many(read_parquet({path!r}))
best = float("inf")
for _ in range({repeats}):
    del out
    start = time.thread_time()
    out = policy.evaluate_many(read_parquet({path!r}))
    best = min(best, time.thread_time() - start)
print(json.dumps({{"us": best / len(out) * 1e6, "peak": peak(), "before": before, "columns": out.columns,
                  "n": len(out)}}))
"""


def write_file(size: str, folder: Path) -> Path:
    from engine.vector.columnar import write_parquet
    raw = bench_contracts(size)
    path = folder / f"contracts_{size}.parquet"
    write_parquet([engine_form(c) for c in raw], path)
    return path


def run_one(path: Path, one_pass: bool, repeats: int) -> dict:
    code = CHILD.format(root=str(ROOT), policies=str(BENCH / "policies"), one_pass=one_pass, path=str(path),
                        repeats=repeats)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10k,100k")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from engine.vector.run import CHUNK
    print(f"load average {os.getloadavg()[0]:.2f}; chunks of {CHUNK} records")
    with tempfile.TemporaryDirectory() as tmp:
        files = {size: write_file(size, Path(tmp)) for size in args.sizes.split(",")}
        configs = [(size, one_pass) for size in files for one_pass in (False, True)]
        best: dict = {}
        for r in range(args.rounds):
            for size, one_pass in (configs if r % 2 == 0 else configs[::-1]):
                got = run_one(files[size], one_pass, args.repeats)
                mine = best.setdefault((size, one_pass), got)
                mine["us"], mine["peak"] = min(mine["us"], got["us"]), min(mine["peak"], got["peak"])
    print(f"{'contracts':>10} {'mode':>9} {'µs/contract':>12} {'peak MiB':>9} {'loaded MiB':>11}  from columns")
    for (size, one_pass), got in best.items():
        mode = "one pass" if one_pass else "chunks"
        print(f"{got['n']:>10,} {mode:>9} {got['us']:>12.2f} {got['peak']:>9.0f} {got['before']:>11.0f}  "
              f"{got['columns']:,}")
    print(f"load average {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
