"""Test contracts for tests/vector, deterministic from a seed, in the boundary classes the batch path
must get right: ordinary contracts, exact .xx5 NKO midpoints, weights summing to exactly 99.99 or
100.01, perspectives left empty, zero targets, and a few invalid records."""
from __future__ import annotations

import copy
import random
from decimal import Decimal as D

PERSPECTIVES = ["stakeholder", "customer", "internal_process", "learning_growth"]


def _item(rng: random.Random, n: int, weight: D) -> dict:
    polarity = rng.choice(["maximize", "maximize", "minimize", "stabilize"])
    target = D(rng.randint(1000, 50000)) / 100
    item = {"code": f"IKU-{n:02d}", "ss": f"SS-{rng.randint(1, 6)}", "perspective": rng.choice(PERSPECTIVES),
            "polarity": polarity, "target": target, "realization": D(rng.randint(0, 60000)) / 100, "weight": weight}
    if polarity == "stabilize":
        item["target_low"], item["target_high"] = (target * D("0.9")).quantize(D("0.01")), (target * D("1.1")).quantize(D("0.01"))
    return item


def _weights(rng: random.Random, n: int, total: D) -> list[D]:
    cuts = sorted(rng.randint(1, int(total * 100) - 1) for _ in range(n - 1))
    edges = [0] + cuts + [int(total * 100)]
    return [D(b - a) / 100 for a, b in zip(edges, edges[1:])]


def contract(rng: random.Random, n: int) -> dict:
    kind = rng.random()
    if kind < 0.1:     # NKO exactly at a .xx5 midpoint: two equal-weight maximize IKU of one perspective
        base = rng.randint(5000, 11000)
        items = [{"code": f"IKU-{k}", "ss": f"SS-{k}", "perspective": "customer", "polarity": "maximize",
                  "target": D(100), "realization": D(base + k) / 100, "weight": D(50)} for k in (0, 1)]
        return {"id": f"K-{n}", "level": "three", "iku": items}
    total = D("100") if kind < 0.85 else rng.choice([D("99.99"), D("100.01")])
    count = rng.randint(1, 8)
    items = [_item(rng, k, w) for k, w in enumerate(_weights(rng, count, total))]
    if kind > 0.97:
        items[0]["target"] = D(0)
    record = {"id": f"K-{n}", "level": rng.choice(["one", "two", "three"]), "iku": items}
    if rng.random() < 0.03:
        record["level"] = "four"          # invalid: the per-record path reports it
    return record


def contracts(n: int, seed: int = 13) -> list[dict]:
    rng = random.Random(seed)
    return [contract(rng, i) for i in range(n)]


def period(name, target, realization=None, note=None, final=None) -> dict:
    """An IKU period of the fixture policies (tests/fixtures/vector): target and realisation as
    Decimals, a note and a final flag as given; absent when None."""
    out = {"period": name, "target": D(target)}
    for key, value in (("realization", realization), ("note", note), ("final", final)):
        if value is not None:
            out[key] = D(value) if key == "realization" else value
    return out


def variant(base: dict, name: str, **changes) -> dict:
    """A copy of record `base` with id `name` and the fields `changes` set (None: left out)."""
    out = copy.deepcopy(base)
    out["id"] = name
    for k, v in changes.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = v
    return out
