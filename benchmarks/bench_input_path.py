"""Benchmark: where `policy.evaluate(dict)` spends its time on plain data, step by step, in one run.

The documented call takes plain Python data. Since issue 13 it no longer copies and re-validates
data that is already valid and in normal form: the subject schema's generated acceptor
(engine/schema_codegen.py) says so in one pass, and the data is evaluated as it is. This script
times, interleaved over several rounds in one process (CPU time of this thread, median round):

- `evaluate(normal dict)`: the documented call on data in normal form (Decimals, as JSON files
  give), with reading the violations' rule ids;
- `evaluate(dict, ints)`: the same call on the generator's own dicts (ints for whole numbers, as a
  Python caller writes them), which take one normalised copy;
- `full path`: what the call did before: `normalise` a copy, then the fastjsonschema check, then
  evaluation (forced here with `Record.from_python` + `Record.validate`);
- `acceptor`: the generated acceptance check alone;
- `compiled`: the compiled policy alone (`policy._evaluate`, no Result).

on contracts from `engine.synthetic` (the corpus behind `kinerja generate`) under KMK 300/2022, and
prints µs per contract and ratios to `evaluate(dict)`.

    cd /work/main && /work/venv/bin/python benchmarks/bench_input_path.py [--n 600] [--rounds 7]
"""
from __future__ import annotations

import argparse
import itertools
import statistics
import time

import engine
from engine import synthetic
from engine.record import Record, normalise
from engine.schema_codegen import acceptor
from engine.schemas import standard


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=600)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--policy", default="kmk_300_2022")
    a = ap.parse_args()
    policy = engine.load_policy(a.policy)
    raw = [r for r in itertools.islice(synthetic.generate(units=a.n // 3 + 1, years=(2024, 2025)), a.n)]
    data = [normalise(r) for r in raw]
    schema, schemas = policy.spec.subject_schema, policy.spec.schemas or standard()
    accept = acceptor(schema, schemas)
    accepted = sum(map(accept, data))
    P = policy.parameters_at(None)

    def documented(d):
        [v.rule for v in policy.evaluate(d).violations]

    def full_path(d):
        record = Record.from_python(d)
        record.validate(schema, policy.spec.schemas)
        [v.rule for v in policy.evaluate(record).violations]

    steps = {"evaluate(normal dict)": documented, "evaluate(dict, ints)": documented,
             "full path (before)": full_path, "acceptor": accept, "compiled": lambda d: policy._evaluate(d, P)}
    times = {k: [] for k in steps}
    for n in range(a.rounds):
        for name, fn in (list(steps.items()) if n % 2 else list(steps.items())[::-1]):
            t0 = time.thread_time()
            for d in (raw if "ints" in name else data):
                fn(d)
            times[name].append((time.thread_time() - t0) / len(data) * 1e6)
    base = statistics.median(times["evaluate(normal dict)"])
    print(f"{a.policy}: {len(data)} generated contracts, {accepted} in normal form accepted as they are; "
          f"median of {a.rounds} interleaved rounds (thread CPU time)")
    print(f"{'step':22s} {'µs/contract':>12s} {'ratio':>7s}")
    for name in steps:
        m = statistics.median(times[name])
        print(f"{name:22s} {m:12.1f} {m / base:7.2f}")


if __name__ == "__main__":
    main()
