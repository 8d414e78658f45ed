"""Benchmark: the batch path (`Policy.evaluate_many`, engine/vector) against hand-written Decimal.

Workload: the peer benchmark's NKO workload (../shared/bench: policy `bench_nko` through
KINERJA_PATH, its data `data/contracts_<size>.jsonl`, its hand-written Decimal implementation
`impls/py_decimal.py`, all imported or read at run time from that folder, never copied here).

1. Read the contracts. The hand-written code gets the JSONL dicts as they are (numbers as text, it
   calls Decimal() itself); kinerja gets them in the form `evaluate` takes (numbers as Decimals, the
   JSONL's class label `kind` left out); that conversion is timed too, as its own row. kinerja also
   gets them as they are (less `kind`, timed): evaluate reads decimal text where the schema says
   number, and evaluate_many reads such records through pyarrow's converter (records_arrow.py).
2. Write the same contracts to a Parquet file (decimal128 numbers, one row per contract, the IKU a
   list<struct> column) in a temporary folder.
3. Check before timing: evaluate_many from dicts and from Parquet give, on every contract, exactly
   what `policy.evaluate` gives (values, digits, violations, messages), and agree with the
   hand-written NKO, predikat and the three checks. Any difference: exit status 1.
4. Time, interleaved over rounds in one run (best round of each): hand-written Decimal over all
   contracts, evaluate_many from the dicts, evaluate_many from the Parquet file (reading included),
   and the per-record `policy.evaluate` on a sample (for context); each row against the
   hand-written row of the same round (the median of those ratios, and their range).
5. Projection for 4.3 million employee records: evaluate_many over generated KMK 127/2026
   employee_score records under `kmk_127_2026_pegawai`, µs per record and how many came from columns.

    python benchmarks/bench_batch.py [--size 10k] [--rounds 5] [--employees 2000] [--stages] [--cpu]
"""
from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

def _peer_bench() -> Path:
    """$KINERJA_PEER_BENCH, else the nearest `shared/bench` beside the project or a folder above it."""
    if os.environ.get("KINERJA_PEER_BENCH"):
        return Path(os.environ["KINERJA_PEER_BENCH"])
    here = Path(__file__).resolve()
    found = [p / "shared" / "bench" for p in here.parents if (p / "shared" / "bench").is_dir()]
    return found[0] if found else here.parents[2] / "shared" / "bench"


BENCH = _peer_bench()


def _bench_data() -> Path:
    """Where the peer bench keeps its generated data (its common.py's rule: $BENCH_DATA, else `data/`
    beside it when that folder is writable, else under the system temp folder)."""
    sys.path.insert(0, str(BENCH))
    try:
        from common import DATA
    finally:
        sys.path.remove(str(BENCH))
    return Path(DATA)


def contracts_file(size: str) -> Path:
    """The peer bench's generated contracts of one size (1k, 10k, 100k), a JSON Lines file."""
    return _bench_data() / f"contracts_{size}.jsonl"


def bench_contracts(size: str) -> list[dict]:
    """Those contracts as the hand-written code reads them (json.loads: numbers as text)."""
    return [json.loads(line) for line in contracts_file(size).open(encoding="utf-8")]
ROOT = Path(__file__).resolve().parents[1]      # the project (this worktree), imported before any installed copy
NUMBERS = ("target", "realization", "weight", "target_low", "target_high")
NATIONAL = 4_300_000


def engine_form(c: dict) -> dict:
    """A JSONL contract as evaluate takes it: numbers as Decimals, the generator's label left out."""
    return {"id": c["id"], "level": c["level"],
            "iku": [{k: Decimal(v) if k in NUMBERS else v for k, v in i.items()} for i in c["iku"]]}


def as_given(c: dict) -> dict:
    """A JSONL contract as the hand-written code gets it (numbers as text), less the generator's class
    label `kind`: evaluate reads decimal text where the schema says number (engine/text_numbers.py)."""
    return {k: v for k, v in c.items() if k != "kind"}


def load(size: str):
    os.environ["KINERJA_PATH"] = str(BENCH / "policies")
    sys.path[:0] = [str(ROOT), str(BENCH), str(BENCH / "impls")]
    import engine
    import py_decimal
    raw = bench_contracts(size)
    return engine, engine.load_policy("bench_nko"), py_decimal, raw


def outcome(x) -> str:
    if isinstance(x, Exception):
        return f"{type(x).__name__}: {x}"
    return json.dumps(x.to_dict(), default=repr) + repr(x.values)


def check(engine, policy, hand, raw, dicts, columnar) -> list[str]:
    """Every disagreement between the batch path, the per-record path and the hand-written code."""
    problems = []
    many, from_file = policy.evaluate_many(dicts), policy.evaluate_many(columnar)
    texts = [as_given(c) for c in raw]
    from_text = policy.evaluate_many(texts)
    for n, (c, d, a, b, t) in enumerate(zip(raw, dicts, many, from_file, from_text)):
        want = policy.evaluate(d)
        if outcome(a) != outcome(want):
            problems.append(f"{c['id']}: from dicts {outcome(a)[:120]} != {outcome(want)[:120]}")
        if outcome(t) != outcome(policy.evaluate(texts[n])) or outcome(t) != outcome(want):
            problems.append(f"{c['id']}: from the JSONL dicts {outcome(t)[:120]} != {outcome(want)[:120]}")
        if outcome(b).replace(f'"{columnar.source(n)}"', '"<data>"') != outcome(want):
            problems.append(f"{c['id']}: from Parquet differs from evaluate")
        h = hand.evaluate(c)
        failed = {v.rule for v in want.violations}
        mine = {"nko": str(want.values["nko"]), "predikat": want.values["predikat"], "iku_count": "iku-count" not in failed,
                "ss_max3": "ss-max3" not in failed, "weight_sum": "weight-sum" not in failed}
        if mine != h:
            problems.append(f"{c['id']}: {mine} != hand-written {h}")
    return problems


CLOCK = time.perf_counter     # --cpu: time.thread_time


def timed(fn) -> float:
    gc.collect()
    start = CLOCK()
    fn()
    return CLOCK() - start


def time_rounds(policy, hand, raw, dicts, parquet, rounds: int, sample: int) -> dict[str, list[float]]:
    """Seconds per contract of each row in each round (rounds interleaved, order reversed every other),
    wall time or, with --cpu, the calling thread's CPU time (every row runs in this one thread)."""
    from engine.vector.columnar import read_parquet
    per_record = dicts[:sample]
    runs = [("hand-written Decimal", lambda: [hand.evaluate(c) for c in raw]),
            ("glue: JSONL dicts to Decimal dicts", lambda: [engine_form(c) for c in raw]),
            ("evaluate_many from dicts", lambda: policy.evaluate_many(dicts)),
            ("evaluate_many from JSONL dicts (text numbers)",
             lambda: policy.evaluate_many([as_given(c) for c in raw])),
            ("evaluate_many from Parquet (read included)", lambda: policy.evaluate_many(read_parquet(parquet))),
            (f"policy.evaluate per record ({sample} of them)", lambda: [policy.evaluate(d) for d in per_record])]
    timings: dict[str, list[float]] = {name: [] for name, _ in runs}
    for r in range(rounds):
        for name, fn in (runs if r % 2 == 0 else runs[::-1]):
            timings[name].append(timed(fn) / (sample if name.startswith("policy.evaluate") else len(raw)))
    return timings


def speeds(timings: dict[str, list[float]], per: int = 1) -> str:
    """One line per row: its best round in µs per contract (`timings`: seconds per round, over `per`
    contracts), and its speed against the hand-written row of the same round: median (range)."""
    base = timings["hand-written Decimal"]
    lines = []
    for name, seconds in timings.items():
        ratios = sorted(h / t for h, t in zip(base, seconds))
        lines.append(f"  {name:48s} {min(seconds) / per * 1e6:8.2f}   {statistics.median(ratios):5.2f}× "
                     f"({ratios[0]:.2f}–{ratios[-1]:.2f})")
    return "\n".join(lines)


def stages(policy, dicts, parquet, runs: int = 5) -> list[str]:
    """CPU time per contract of the stages of evaluate_many (the best of `runs` calls), from dicts and
    from Parquet: each stage's function timed where the batch path calls it, the rest as `other`."""
    import collections

    import engine.vector.arrow_tables as arrow_tables
    import engine.vector.run as run
    from engine.vector.columnar import read_parquet
    spent: collections.Counter = collections.Counter()
    patched = [(run, "from_dicts", "records to tables (all passes)"), (arrow_tables, "from_arrow", "Arrow to tables (all passes)"),
               (run, "run_columns", "columns (all passes)"), (run, "rule_violations", "failing rules"),
               (policy, "evaluate", "policy.evaluate (per record)")]
    originals = [(owner, name, getattr(owner, name)) for owner, name, _ in patched]

    def timer(label, fn):
        def timed_(*args, **kwargs):
            start = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[label] += time.process_time() - start
        return timed_

    lines = []
    try:
        for owner, name, label in patched:
            setattr(owner, name, timer(label, getattr(owner, name)))
        for form, call in (("dicts", lambda: policy.evaluate_many(dicts)),
                           ("Parquet", lambda: policy.evaluate_many(timer("reading the file", read_parquet)(parquet)))):
            best = None
            for _ in range(runs):
                spent.clear()
                start = time.process_time()
                call()
                total = time.process_time() - start
                best = min(best or (total, dict(spent)), (total, dict(spent)), key=lambda b: b[0])
            parts = ", ".join(f"{k} {v / len(dicts) * 1e6:.2f}" for k, v in best[1].items() if v)
            lines.append(f"  from {form}: {best[0] / len(dicts) * 1e6:.2f} µs per contract: {parts}, other "
                         f"{(best[0] - sum(best[1].values())) / len(dicts) * 1e6:.2f}")
    finally:
        for owner, name, fn in originals:
            if owner is policy:
                del policy.evaluate
            else:
                setattr(owner, name, fn)
    return lines


def projection(engine, n: int) -> str:
    """µs per KMK 127/2026 employee record through evaluate_many, and the national figure."""
    from engine.synthetic import generate
    policy = engine.load_policy("kmk_127_2026_pegawai")
    records = [r for r in itertools.islice(generate(units=max(1, n // 4), years=(2026,), with_employee_scores=True),
                                           n * 2) if r.get("kind") == policy.subject][:n]
    seconds = timed(lambda: policy.evaluate_many(records))
    out = policy.evaluate_many(records)
    us = seconds / len(records) * 1e6
    why = [f"{k} ({v})" for k, v in out.per_record.items()]
    why = ", ".join(why[:3]) + (f" and {len(why) - 3} more" if len(why) > 3 else "") if why else "all vectorised"
    return (f"{len(records)} employee_score records under kmk_127_2026_pegawai: {us:.0f} µs per record through "
            f"evaluate_many ({out.columns} from columns, {out.exact} per record; per record: {why}); "
            f"4.3 million records: {us * NATIONAL / 3.6e9:.1f} h on one core")


def main() -> int:
    ap = argparse.ArgumentParser(description="evaluate_many (dicts, Parquet) against hand-written Decimal")
    ap.add_argument("--size", default="10k", help="the peer bench data size: 1k, 10k or 100k (default 10k)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--sample", type=int, default=1000, help="contracts timed through policy.evaluate")
    ap.add_argument("--employees", type=int, default=2000, help="employee records for the projection (0: none)")
    ap.add_argument("--stages", action="store_true", help="also: CPU time of each stage of evaluate_many")
    ap.add_argument("--cpu", action="store_true", help="time the rounds in CPU time of this thread, not wall "
                    "time (on a shared machine the other processes' time then counts for no row)")
    args = ap.parse_args()
    global CLOCK
    CLOCK = time.thread_time if args.cpu else time.perf_counter
    if not contracts_file(args.size).is_file():
        print(f"no peer bench data at {contracts_file(args.size).parent} (set KINERJA_PEER_BENCH or "
              f"BENCH_DATA): run {BENCH}/gen_data.py", file=sys.stderr)
        return 2
    engine, policy, hand, raw = load(args.size)
    print(f"engine: {Path(engine.__file__).parent}")
    from engine.vector.columnar import read_parquet, write_parquet
    dicts = [engine_form(c) for c in raw]
    with tempfile.TemporaryDirectory() as tmp:
        parquet = Path(tmp) / "contracts.parquet"
        write_parquet(dicts, parquet)
        problems = check(engine, policy, hand, raw, dicts, read_parquet(parquet))
        if problems:
            print("\n".join(problems[:20]), f"\n{len(problems)} differences", file=sys.stderr)
            return 1
        print(f"check: {len(raw)}/{len(raw)} contracts identical (evaluate_many from dicts, from the JSONL dicts "
              "and from Parquet = "
              f"policy.evaluate; = hand-written Decimal on NKO, predikat and the three checks)")
        summary = (policy.evaluate_many(dicts).summary(), policy.evaluate_many(read_parquet(parquet)).summary(),
                   policy.evaluate_many([as_given(c) for c in raw]).summary())
        timings = time_rounds(policy, hand, raw, dicts, parquet, args.rounds, min(args.sample, len(raw)))
        breakdown = stages(policy, dicts, parquet) if args.stages else []
    print(f"batch summary (dicts): {summary[0]}\nbatch summary (Parquet): {summary[1]}\n"
          f"batch summary (JSONL dicts): {summary[2]}")
    print(f"\n{len(raw)} contracts, {args.rounds} interleaved rounds ({'thread CPU' if args.cpu else 'wall'} time): "
          "best µs per contract; speed against hand-written Decimal as the median of the per-round ratios (range)")
    print(speeds(timings))
    if breakdown:
        print("\nstages (CPU time, the best of 5 calls):\n" + "\n".join(breakdown))
    if args.employees > 0:
        print("\nprojection: " + projection(engine, args.employees))
    return 0


if __name__ == "__main__":
    sys.exit(main())
