"""Numbers of the generated records: quarterly targets and realisations, as exact two-decimal Decimals.

Each IKU template kind (percentages, scores, indexes, counts, days, minimise-to-zero, stabilize)
draws its targets, realisations around target and last year's figures here. Every number is a
`Decimal` built from integers through text, never from a float.
"""
from __future__ import annotations

import random
from decimal import Decimal

QUARTERS = ("Q1", "Q2", "Q3", "Q4")
D0, D100 = Decimal(0), Decimal(100)


def dec2(hundredths: int) -> Decimal:
    """A Decimal with two decimals from an integer number of hundredths (built from text)."""
    sign = "-" if hundredths < 0 else ""
    q, r = divmod(abs(hundredths), 100)
    return Decimal(f"{sign}{q}.{r:02d}")


def around(rng: random.Random, value: Decimal, low_pct: int, high_pct: int) -> Decimal:
    return dec2(int(value * 100) * rng.randint(low_pct * 10, high_pct * 10) // 1000)


def indicator_series(rng: random.Random, kind: str, big: bool, weak_share: float = 0.1
            ) -> tuple[dict, list[Decimal], list[Decimal], Decimal, Decimal]:
    """IKU attributes for a template kind; quarterly targets and realisations; last year's target
    and realisation. Most IKU meet their targets; a `weak_share` of them struggle (and need IIAA reports)."""
    attrs: dict = {"target_kind": "normal"}
    weak = rng.random() < weak_share
    up = (88, 106) if weak else (100, 112)             # realisation as a share of target, maximize
    down = (94, 125) if weak else (60, 100)            # minimize
    if kind in ("pct", "score", "index100", "pct_growth"):
        base = {"pct": rng.randint(85, 98), "score": rng.randint(88, 96), "index100": rng.randint(70, 85),
                "pct_growth": rng.randint(5, 15)}[kind]
        t = Decimal(base)
        targets = [t] * 4
        cap = Decimal(100) if kind in ("pct", "score", "index100") else Decimal(40)
        real = [min(around(rng, t, *up), cap) for _ in range(4)]
        attrs.update(polarity="maximize", consolidation=rng.choice(["average", "last"]),
                     measure={"pct": "%", "score": "nilai", "index100": "indeks", "pct_growth": "%"}[kind])
    elif kind == "index5":
        t = dec2(rng.randint(400, 460))
        targets = [t] * 4
        real = [min(around(rng, t, up[0] + 4, up[1] - 4), Decimal(5)) for _ in range(4)]
        attrs.update(polarity="maximize", consolidation=rng.choice(["last", "average"]), measure="indeks (skala 5)")
    elif kind == "pct_max":
        targets = [D100] * 4
        real = [D100 if rng.random() < (0.4 if weak else 0.97) else dec2(rng.randint(9200, 9999)) for _ in range(4)]
        attrs.update(polarity="maximize", consolidation=rng.choice(["average", "last"]), target_kind="maximum",
                     measure="%")
    elif kind == "cumulative":
        targets = [Decimal(25), Decimal(50), Decimal(75), D100]
        real = [min(around(rng, t, *up), D100) for t in targets]
        attrs.update(polarity="maximize", consolidation="last", measure="%")
    elif kind in ("count", "count_big"):
        per_q = rng.randint(200, 900) if kind == "count_big" or big else rng.randint(2, 6)
        targets = [Decimal(per_q)] * 4
        real = [Decimal(max(0, per_q * rng.randint(up[0], up[1] + 10) // 100)) for _ in range(4)]
        attrs.update(polarity="maximize", consolidation="sum", measure="wajib pajak" if kind == "count_big" else "dokumen")
    elif kind == "pct_low":
        t = dec2(rng.randint(100, 300))
        targets = [t] * 4
        real = [around(rng, t, *down) for _ in range(4)]
        attrs.update(polarity="minimize", consolidation="average", measure="%")
    elif kind == "days":
        t = Decimal(rng.randint(2, 10))
        targets = [t] * 4
        real = [around(rng, t, down[0] + 10, down[1]) for _ in range(4)]
        attrs.update(polarity="minimize", consolidation=rng.choice(["average", "last"]), measure="hari")
    elif kind == "zero":
        targets = [D0] * 4
        real = [Decimal(rng.choice([0, 1, 2]) if weak else 0) for _ in range(4)]
        attrs.update(polarity="minimize", consolidation=rng.choice(["sum", "last"]), measure="kejadian",
                     worst_tolerable=Decimal(rng.randint(4, 10)))
    else:  # "stab": stabilize around a target, e.g. budget absorption or DIPA deviation
        t = Decimal(rng.choice([5, 90, 95]))
        targets = [t] * 4
        real = [around(rng, t, *((82, 118) if weak else (93, 107))) for _ in range(4)]
        attrs.update(polarity="stabilize", consolidation=rng.choice(["average", "last"]), measure="%")
    last_target = targets[-1] if attrs["consolidation"] != "sum" else sum(targets, D0)
    last_real = around(rng, last_target, 90, 110) if last_target else Decimal(rng.choice([0, 1]))
    return attrs, targets, real, last_target, last_real

