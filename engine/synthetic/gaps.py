"""Incomplete data on purpose: contracts the way they look before every figure is in.

Benchmarks and stress tests need the paths an evaluator takes when data is missing, not only clean
contracts. With `generate(gaps=True)` each contract is touched from a stream of its own (so the
clean part stays the same bytes): some IKU leave out their consolidation (the policy's default
applies), some miss their Q4 realisation or every realisation, a few minimise-to-zero IKU lose their
worst tolerable value (their capaian cannot be computed), and some contracts detail a main IKU with
one or two sub-IKU. Such records are no longer guaranteed to break only the rule their notes name:
checks that need the missing figures come out undetermined, and sub-IKU count towards the IKU total.
"""
from __future__ import annotations

import random
from typing import Any

from .series import indicator_series

GAPS_NOTE = "Sebagian data sengaja tidak lengkap."


def leave_gaps(data: dict, rng: random.Random) -> None:
    """Leave figures out of the contract (in place) and say so in its notes if any was left out."""
    iku = data["iku"]
    touched = False
    for item in iku:
        if rng.random() < 0.05 and "consolidation" in item:
            del item["consolidation"]                   # the policy's default (average) applies
            touched = True
        if rng.random() < 0.04:
            item["periods"][-1].pop("realization", None)   # Q4 realisation not (yet) reported
            touched = True
        if rng.random() < 0.01:
            for p in item["periods"]:                   # nothing reported at all
                p.pop("realization", None)
            touched = True
    if rng.random() < 0.01:                             # minimise-to-zero without a worst tolerable value
        zero = next((i for i in iku if "worst_tolerable" in i), None)
        if zero:
            del zero["worst_tolerable"]
            touched = True
    if rng.random() < 0.08:
        for _ in range(rng.randint(1, 2)):
            iku.append(_sub_iku(rng, rng.choice([i for i in iku if "parent_iku" not in i]), len(iku)))
        touched = True
    if touched:
        data["notes"] += f" {GAPS_NOTE}"


def _sub_iku(rng: random.Random, main: dict, number: int) -> dict:
    """A sub-IKU detailing `main`, realised in the same periods as it."""
    attrs, targets, real, _, _ = indicator_series(rng, "pct", False)
    reported = {p["period"] for p in main["periods"] if "realization" in p}
    periods: list[dict[str, Any]] = []
    for p, t, r in zip(main["periods"], targets, real):
        periods.append({"period": p["period"], "target": t, **({"realization": r} if p["period"] in reported else {})})
    return {"code": f"{main['code']}.{number}", "name": "Sub-IKU " + main["name"].lower(),
            "objective": main["objective"], "parent_iku": main["code"], "origin": "N", **attrs,
            "trajectory": "quarterly", "periods": periods}
