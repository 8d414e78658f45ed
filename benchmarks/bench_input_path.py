"""Benchmark: where `policy.evaluate(dict)` spends its time on plain data, step by step, in one run.

The documented call takes plain Python data. Since issue 13 it no longer copies and re-validates
data that is already valid and in normal form: the subject schema's generated acceptor
(engine/schema_codegen.py) says so in one pass, and the data is evaluated as it is. This script
times, interleaved over several rounds in one process (CPU time of this thread, median round):

- `evaluate(normal dict)`: the documented call on data in normal form (Decimals, as JSON files
  give), with reading the violations' rule ids;
- `evaluate(dict as given)`: the same call on the data as the caller has it: the generator's own
  dicts (ints for whole numbers, as a Python caller writes them), which take one normalised copy;
  or, with `--jsonl`, each line's JSON with numbers written as text (the peer benchmark's data),
  which is read where the schema says number (engine/text_numbers.py);
- `full path`: what the call did before: `normalise` a copy, then the fastjsonschema check, then
  evaluation (forced here with `Record.from_python` + `Record.validate`);
- `acceptor`: the generated acceptance check alone;
- `compiled`: the compiled policy alone (`policy._evaluate`, no Result).

on contracts from `engine.synthetic` (the corpus behind `kinerja generate`) under KMK 300/2022, or
on the first --n lines of a JSON Lines file under another policy, and prints µs per contract and
ratios to `evaluate(normal dict)`.

    cd /work/main && /work/venv/bin/python benchmarks/bench_input_path.py [--n 600] [--rounds 7]
    # the peer benchmark's workload (its policy through --policy-path; the lines' own `kind` class
    # label is left out, as its adapter does):
    /work/venv/bin/python benchmarks/bench_input_path.py --policy bench_nko \
        --policy-path ../shared/bench/policies --jsonl ../shared/bench/data/contracts_10k.jsonl --n 3000
"""
from __future__ import annotations

import argparse
import itertools
import json
import statistics
import time

import engine
from engine import synthetic
from engine.policy.registry import registry_for
from engine.record import Record, normalise
from engine.schema_codegen import acceptor
from engine.schemas import standard
from engine.text_numbers import read_text_numbers


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=600)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--policy", default="kmk_300_2022")
    ap.add_argument("--policy-path", default=None, help="a folder of policies (and schemas/) to search first")
    ap.add_argument("--jsonl", default=None, help="records from this JSON Lines file instead of engine.synthetic")
    a = ap.parse_args()
    policy = registry_for([a.policy_path] if a.policy_path else []).load(a.policy)
    schema, schemas = policy.spec.subject_schema, policy.spec.schemas or standard()
    if a.jsonl:
        with open(a.jsonl, encoding="utf-8") as lines:
            raw = [{k: v for k, v in json.loads(line).items() if k != "kind"} for line in itertools.islice(lines, a.n)]
        data = [read_text_numbers(normalise(r), schema, schemas) for r in raw]
    else:
        raw = [r for r in itertools.islice(synthetic.generate(units=a.n // 3 + 1, years=(2024, 2025)), a.n)]
        data = [normalise(r) for r in raw]
    accept = acceptor(schema, schemas)
    accepted = sum(map(accept, data))
    P = policy.parameters_at(None)

    def documented(d):
        [v.rule for v in policy.evaluate(d).violations]

    def full_path(d):
        record = Record.from_python(d)
        record.validate(schema, policy.spec.schemas)
        [v.rule for v in policy.evaluate(record).violations]

    steps = {"evaluate(normal dict)": documented, "evaluate(dict as given)": documented,
             "full path (before)": full_path, "acceptor": accept, "compiled": lambda d: policy._evaluate(d, P)}
    times = {k: [] for k in steps}
    for n in range(a.rounds):
        for name, fn in (list(steps.items()) if n % 2 else list(steps.items())[::-1]):
            t0 = time.thread_time()
            for d in (raw if "as given" in name else data):
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
