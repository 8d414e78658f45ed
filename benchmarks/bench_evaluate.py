"""Benchmark: the engine's KMK 300/2022 evaluation against a hand-written Python implementation.

1. Generate N realistic contracts (`engine.synthetic`, the corpus behind `kinerja generate`, over
   2023–2025, a third of them breaking one of the frozen policy's rules, with data gaps on), turn
   them into Records and validate them once, so that only evaluation is timed.
2. Check that the engine and benchmarks/handwritten.py agree on every contract: level, every period
   and annual capaian, every SS and perspective value, NKO, predikat, and the violations (rule id,
   data path and message). Any disagreement is printed and the script exits with status 1.
3. Time the engine, the hand-written Decimal version and (for reference) the same hand-written code
   over floats, interleaved in several rounds in one run; report the best round of each.

    cd /work/main && /work/venv/bin/python benchmarks/bench_evaluate.py [--n 2000] [--rounds 5]
    ... --profile        # also print a cProfile summary (top 15 by tottime) of the engine
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import io
import itertools
import json
import pstats
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import engine  # noqa: E402
from engine import synthetic  # noqa: E402
from handwritten import evaluate as evaluate_hand  # noqa: E402
from handwritten import evaluate_float, to_float  # noqa: E402

POLICY = HERE / "policy"   # frozen copy of the KMK 300 organisation policy (see its header)
SCHEMA = "organization_contract"
OUTPUTS = ["level", "capaian_periode", "capaian_tahunan", "nilai_ss", "nilai_perspektif", "nko", "predikat"]
YEARS = (2023, 2024, 2025)


def generate(n: int, seed: int, policy) -> list[dict]:
    """n contracts (about n/3 units, each over YEARS); a third break one rule the frozen policy has,
    and some leave figures out (missing realisations, consolidation, worst tolerable; sub-IKU)."""
    known = {rule.id for rule in policy.rules}
    breaches = [rule for rule in synthetic.CONTRACT_BREACHES if rule in known]
    records = synthetic.generate(units=-(-n // len(YEARS)), years=YEARS, seed=seed, violations=1 / 3,
                                 breaches=breaches, gaps=True)
    return list(itertools.islice(records, n))


def differences(result: engine.Result, hand: dict) -> list[str]:
    """What the engine and the hand-written code disagree on, one line per difference."""
    out = []
    for name in OUTPUTS:
        e, h = result.values.get(name), hand[name]
        if isinstance(e, dict) or isinstance(h, dict):
            e, h = e or {}, h or {}
            for key in sorted(set(e) | set(h)):
                if key not in e or key not in h or e[key] != h[key]:
                    out.append(f"{name}[{key}]: engine {e.get(key, '(no key)')!s}, "
                               f"hand-written {h.get(key, '(no key)')!s}")
        elif e != h:
            out.append(f"{name}: engine {e!s}, hand-written {h!s}")
    engine_v = Counter((v.rule, v.path, v.message) for v in result.violations)
    hand_v = Counter(hand["violations"])
    if {v[0] for v in engine_v} != {v[0] for v in hand_v}:
        out.append(f"violated rules: engine {sorted({v[0] for v in engine_v})}, "
                   f"hand-written {sorted({v[0] for v in hand_v})}")
    for v in sorted((engine_v - hand_v).keys(), key=str):
        out.append(f"violation only in engine: {v}")
    for v in sorted((hand_v - engine_v).keys(), key=str):
        out.append(f"violation only in hand-written: {v}")
    if result.errors:
        out.append(f"engine errors: {result.errors}")
    return out


def snippet(contract: dict, line: str) -> str:
    """The IKU a difference is about (if any), as JSON, to report it."""
    for iku in contract.get("iku", []):
        if f"[{iku['code']}" in line:
            return json.dumps(iku, default=str, ensure_ascii=False)
    return ""


def check(policy, records, datas, contracts) -> int:
    bad = 0
    for k, (record, data) in enumerate(zip(records, datas)):
        diff = differences(policy.evaluate(record), evaluate_hand(data))
        if diff:
            bad += 1
            if bad <= 5:
                print(f"contract #{k} ({contracts[k]['unit']['code']}) disagrees:")
                for line in diff[:10]:
                    print("   ", line)
                    s = snippet(contracts[k], line)
                    if s:
                        print("      IKU:", s)
    return bad


def timed(fn) -> float:
    gc.collect()
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description="engine vs hand-written evaluation of KMK 300/2022 PK contracts")
    ap.add_argument("--n", type=int, default=2000, help="number of contracts (default 2000)")
    ap.add_argument("--rounds", type=int, default=5, help="timing rounds, interleaved (default 5)")
    ap.add_argument("--seed", type=int, default=300)
    ap.add_argument("--profile", action="store_true", help="print a cProfile summary of the engine")
    args = ap.parse_args()

    policy = engine.load_policy(POLICY)
    contracts = generate(args.n, args.seed, policy)
    records = [engine.Record.from_python(c, f"<generated #{k}>") for k, c in enumerate(contracts)]
    for r in records:
        r.validate(SCHEMA)
    datas = [r.data for r in records]
    floats = [to_float(d) for d in datas]
    n_iku = sum(len(d["iku"]) for d in datas)
    n_viol = sum(1 for r in records if policy.evaluate(r).violations)
    print(f"{args.n} contracts (seed {args.seed}), {n_iku} IKU ({n_iku / args.n:.1f} per contract), "
          f"{n_viol} with violations")

    bad = check(policy, records, datas, contracts)
    if bad:
        print(f"FAIL: engine and hand-written disagree on {bad} of {args.n} contracts")
        return 1
    float_off = sum(1 for d, f in zip(datas, floats)
                    if (evaluate_hand(d)["nko"] is None) != (evaluate_float(f)["nko"] is None)
                    or (evaluate_hand(d)["nko"] is not None
                        and abs(float(evaluate_hand(d)["nko"]) - evaluate_float(f)["nko"]) > 0.005))
    print(f"agreement: engine == hand-written on all {args.n} contracts "
          f"(float version differs in NKO on {float_off})")

    evaluate = policy.evaluate

    # Each result is dropped as soon as it is made (as a batch check that reports and moves on
    # would do): keeping 2000 results alive would mostly time the garbage collector.
    def run_engine():
        for r in records:
            evaluate(r)

    def run_hand():
        for d in datas:
            evaluate_hand(d)

    def run_float():
        for f in floats:
            evaluate_float(f)

    impls = {"engine": run_engine, "handwritten (Decimal)": run_hand, "handwritten (float)": run_float}
    times: dict[str, list[float]] = {name: [] for name in impls}
    names = list(impls)
    for rnd in range(args.rounds):
        order = names if rnd % 2 == 0 else names[::-1]   # alternate, so no one always runs first
        for name in order:
            times[name].append(timed(impls[name]))

    print(f"\ntiming: {args.rounds} interleaved rounds over {args.n} contracts, best round reported")
    print(f"{'implementation':<24}{'best s':>9}{'median s':>10}{'contracts/s':>13}{'µs/contract':>13}")
    for name in names:
        best, med = min(times[name]), statistics.median(times[name])
        print(f"{name:<24}{best:>9.3f}{med:>10.3f}{args.n / best:>13,.0f}{best / args.n * 1e6:>13.1f}")
    eng, hand = times["engine"], times["handwritten (Decimal)"]
    ratio = min(eng) / min(hand)
    per_round = [e / h for e, h in zip(eng, hand)]
    print(f"\nratio engine / handwritten (Decimal): {ratio:.2f}x (best vs best); "
          f"per round median {statistics.median(per_round):.2f}x, range {min(per_round):.2f}–{max(per_round):.2f}x")
    print(f"ratio handwritten Decimal / float: {min(hand) / min(times['handwritten (float)']):.2f}x")
    print(f"target: engine within 2x of the hand-written Decimal version: {'MET' if ratio <= 2 else 'NOT MET'}")

    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        for r in records:
            evaluate(r)
        prof.disable()
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(15)
        print("\ncProfile of the engine over", args.n, "contracts (top 15 by tottime):")
        print(buf.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
