"""A/B of `evaluate_many` from dicts (or, with --parquet, from a Parquet file) between two checkouts,
interleaved (one child process per checkout per round, so each imports its own `engine`): CPU µs per
contract (process time, best of 3 calls) of the hand-written Decimal code and of evaluate_many over
the peer bench's contracts, and their ratio in the same process. Same workload and data as
bench_batch.py (its `load`, `engine_form`); the Parquet file is written by each checkout's own
`write_parquet` and read (timed) with its `read_parquet`.

    python benchmarks/bench_batch_ab.py /work/main . [--rounds 4] [--size 10k] [--parquet]
"""
from __future__ import annotations

import argparse
import gc
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def child(root: str, size: str, parquet: bool) -> None:
    sys.path.insert(0, str(HERE))
    import bench_batch
    bench_batch.ROOT = Path(root).resolve()
    engine, policy, hand, raw = bench_batch.load(size)
    assert Path(engine.__file__).resolve().is_relative_to(bench_batch.ROOT), engine.__file__
    dicts = [bench_batch.engine_form(c) for c in raw]
    run = lambda: policy.evaluate_many(dicts)   # noqa: E731
    if parquet:
        import tempfile
        from engine.vector.columnar import read_parquet, write_parquet
        path = Path(tempfile.mkdtemp(prefix="bench_batch_ab_")) / "contracts.parquet"
        write_parquet(dicts, path)
        run = lambda: policy.evaluate_many(read_parquet(path))   # noqa: E731
    run()

    def best(fn) -> float:
        times = []
        for _ in range(3):
            gc.collect()
            start = time.process_time()
            fn()
            times.append(time.process_time() - start)
        return min(times) / len(raw) * 1e6

    h = best(lambda: [hand.evaluate(c) for c in raw])
    m = best(run)
    print(f"{h:.2f} {m:.2f} {h / m:.3f}")


def main() -> int:
    ap = argparse.ArgumentParser(description="evaluate_many from dicts: checkout A against checkout B, interleaved")
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--size", default="10k")
    ap.add_argument("--parquet", action="store_true", help="evaluate_many from a Parquet file, read included")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.a, args.size, args.parquet)
        return 0
    source = "a Parquet file" if args.parquet else "dicts"
    print(f"checkout: hand-written µs, evaluate_many from {source} µs, speed against hand-written (CPU, best of 3)")
    for r in range(args.rounds):
        for root in (args.a, args.b) if r % 2 == 0 else (args.b, args.a):
            out = subprocess.run([sys.executable, __file__, root, root, "--size", args.size, "--child"]
                                 + (["--parquet"] if args.parquet else []),
                                 capture_output=True, text=True, check=True).stdout.strip()
            print(f"  {root}: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
