"""Benchmark: compare's per-record work in two checkouts, in ONE process, alternating every 20 records.

Why: single end-to-end runs of bench_compare.py spread ±15 % on a shared machine, more than most
changes move. Here both trees' `engine/` are copied into a temporary folder as `engine_base` and
`engine_new` (beside this tree's policies/ and schemas/, which must be the same in both trees),
imported side by side, and each compares the same JSON Lines records (kmk_467_2014 → kmk_300_2022,
`Comparer.compare` of each materialised record plus the summary fold), with and without attribution,
alternating per 20 records and reversing the order every other step. CPU ms per record, per round;
the ratio new/base is taken round by round.

    python benchmarks/bench_compare_ab.py /tmp/cmp-base --corpus /tmp/c/c2000.jsonl --n 1000 --rounds 3
"""
from __future__ import annotations

import argparse
import filecmp
import gc
import importlib
import itertools
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TREES = ("base", "new")
MODES = ("off", "on")


def same_tree(a: Path, b: Path) -> bool:
    """Whether two folders hold the same files (recursively, by content)."""
    cmp = filecmp.dircmp(a, b)
    if cmp.left_only or cmp.right_only or filecmp.cmpfiles(a, b, cmp.common_files, shallow=False)[1:] != ([], []):
        return False
    return all(same_tree(a / d, b / d) for d in cmp.common_dirs if d != "__pycache__")


def setup(base: Path, into: Path) -> None:
    for folder in ("policies", "schemas"):
        if not same_tree(base / folder, ROOT / folder):
            sys.exit(f"{folder}/ differs between {base} and {ROOT}: this script compares engines only")
        shutil.copytree(ROOT / folder, into / folder)
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(base / "engine", into / "engine_base", ignore=ignore)
    shutil.copytree(ROOT / "engine", into / "engine_new", ignore=ignore)
    sys.path.insert(0, str(into))


def comparers(args):
    """Per tree: its compare module, policy pair, (mode → Comparer) and the corpus's tasks."""
    out = {}
    for t in TREES:
        compare = importlib.import_module(f"engine_{t}.compare")
        inputs = importlib.import_module(f"engine_{t}.compare.inputs")
        pair = compare.PolicyPair.load("kmk_467_2014", "kmk_300_2022")
        made = {"off": compare.Comparer(pair, attribute=False),
                "on": compare.Comparer(pair, attributor=compare.Attributor(pair.base, pair.candidate))}
        out[t] = (compare, pair, made, inputs.materialise, list(itertools.islice(inputs.tasks([args.corpus]), args.n)))
    return out


def run(tree, mode: str, part: list, summary) -> None:
    _, _, made, materialise, _ = tree
    for task in part:
        summary.add(made[mode].compare(materialise(task)))


def rounds(trees: dict, n: int, count: int, step: int = 20) -> dict:
    spent = {(t, m): [] for t in TREES for m in MODES}
    clock = time.process_time
    for r in range(count):
        per = dict.fromkeys(spent, 0.0)
        sums = {(t, m): trees[t][0].Summary(trees[t][1]) for t, m in spent}
        for a in range(0, n, step):
            for m in MODES:
                for t in (TREES if (a // step + r) % 2 == 0 else TREES[::-1]):
                    start = clock()
                    run(trees[t], m, trees[t][4][a:a + step], sums[t, m])
                    per[t, m] += clock() - start
        for k in spent:
            spent[k].append(per[k] / n * 1e3)
    return spent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("base", type=Path, help="the other checkout (e.g. `git archive main` unpacked)")
    ap.add_argument("--corpus", required=True, help="JSON Lines records (kinerja generate --units N --seed 300)")
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench_compare_ab_") as tmp:
        setup(args.base.resolve(), Path(tmp))
        trees = comparers(args)
        n = min(args.n, *(len(t[4]) for t in trees.values()))
        for t in TREES:   # warm up: the variants the records ask for compiled, caches filled
            for m in MODES:
                run(trees[t], m, trees[t][4][:300], trees[t][0].Summary(trees[t][1]))
        gc.collect()
        gc.freeze()
        spent = rounds(trees, n, args.rounds)
    print(f"{n} records, {args.rounds} rounds, CPU ms a record (best / median); new = {ROOT}, base = {args.base}")
    for m in MODES:
        b, w = spent["base", m], spent["new", m]
        ratios = [y / x for x, y in zip(b, w)]
        print(f"attribution {m}: base {min(b):.3f} / {statistics.median(b):.3f}, new {min(w):.3f} / "
              f"{statistics.median(w):.3f}; new/base per round: median {statistics.median(ratios):.3f} "
              f"({min(ratios):.3f}–{max(ratios):.3f})")


if __name__ == "__main__":
    main()
