"""Benchmark: `evaluate_many` from Parquet in two checkouts, in ONE process, alternating call by call.

Why: bench_batch_ab.py runs each checkout in its own process, one after the other; on a shared
machine their times spread more (±20 %) than a change to the column work moves. Here both trees'
`engine/` are imported side by side (as bench_compare_ab.py does: copied beside this tree's policies/
and schemas/ as `engine_base` and `engine_new`), each evaluates the peer bench's contracts
(bench_batch.py's workload: the `bench_nko` policy, its data) from a Parquet file written by its own
`write_parquet`, read (timed) by its own `read_parquet`; the calls alternate, the order reversed
every round. Thread CPU µs per contract per call; the ratio new/base taken round by round. Before
timing, both trees' Results must be equal on every contract (values and violations as JSON).

    python benchmarks/bench_parquet_ab.py /tmp/pq-base --rounds 15
"""
from __future__ import annotations

import argparse
import functools
import gc
import importlib
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_batch import BENCH, bench_contracts, engine_form  # noqa: E402
from bench_compare_ab import ROOT, TREES, setup  # noqa: E402


def _from_parquet(policy, read_parquet, path: Path):
    return policy.evaluate_many(read_parquet(path))


def prepared(tmp: Path, size: str) -> dict:
    """Per tree: a function evaluating every contract from its Parquet file, and its outcome as text."""
    os.environ["KINERJA_PATH"] = str(BENCH / "policies")
    dicts = [engine_form(c) for c in bench_contracts(size)]
    out = {}
    for t in TREES:
        engine = importlib.import_module(f"engine_{t}")
        columnar = importlib.import_module(f"engine_{t}.vector.columnar")
        policy = engine.load_policy("bench_nko")
        path = tmp / t / "contracts.parquet"    # the same name in both: a Result names its source
        path.parent.mkdir()
        columnar.write_parquet(dicts, path)
        run = functools.partial(_from_parquet, policy, columnar.read_parquet, path)
        outcome = run()
        text = [json.dumps(r.to_dict(), default=repr).replace(str(path.parent), "<tree>") for r in outcome.results]
        out[t] = (run, text, len(dicts))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("base", type=Path, help="the other checkout (e.g. `git archive main` unpacked)")
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--size", default="10k", help="the peer bench data size (default 10k)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench_parquet_ab_") as tmp:
        setup(args.base.resolve(), Path(tmp))
        trees = prepared(Path(tmp), args.size)
        if trees["base"][1] != trees["new"][1]:
            print("the two trees' Results differ", file=sys.stderr)
            return 1
        n = trees["new"][2]
        gc.collect()
        spent = {t: [] for t in TREES}
        for r in range(args.rounds):
            for t in TREES if r % 2 == 0 else TREES[::-1]:
                start = time.thread_time()
                trees[t][0]()
                spent[t].append((time.thread_time() - start) / n * 1e6)
    b, w = spent["base"], spent["new"]
    ratios = [y / x for x, y in zip(b, w)]
    print(f"{n} contracts from Parquet, {args.rounds} rounds, thread CPU µs a contract (best / median); "
          f"new = {ROOT}, base = {args.base}; Results equal on every contract")
    print(f"base {min(b):.2f} / {statistics.median(b):.2f}, new {min(w):.2f} / {statistics.median(w):.2f}; "
          f"new/base per round: median {statistics.median(ratios):.3f} ({min(ratios):.3f}–{max(ratios):.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
