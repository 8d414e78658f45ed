"""KMK 300/2022 organisation PK evaluation written by hand in plain Python, as a baseline.

This is what an engineer would write without the engine: one pass over the IKU with dict grouping,
then SS → perspective → NKO → predikat, and the policy's rule checks. It computes exactly what
`policies/kmk_300_2022/policy.yaml` computes (same formulas, Decimal arithmetic, half-up rounding
to 2 decimals, range 0–120, "konversi 120", stabilize scale, consolidation over the periods that
have a realisation and a numeric target) so that the benchmark can assert both agree.

    from benchmarks.handwritten import evaluate
    out = evaluate(contract_dict)     # numbers must be Decimal, nulls dropped (engine.Record.data)
    out["nko"], out["predikat"], out["capaian_tahunan"]["1a-N"], out["violations"]

`evaluate_float` is the same code over binary floats (data converted with `to_float`), for
reference timing only: its results can differ in the last cent.
"""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

PERSPECTIVES = ("stakeholder", "customer", "internal_process", "learning_growth")
LEVELS = {0: "kementerian", 1: "upk_one", 2: "upk_two", 3: "upk_three"}
IKU_LIMITS = {"upk_one": (15, 20), "upk_two": (10, 20), "upk_three": (10, 20)}
CASCADE_MAX_DEPTH = 2
DEFAULT_CONSOLIDATION = "average"
UNDETERMINED = "could not be checked, data missing: "

MSG_TRAJECTORY = "IKU {} tidak memiliki target periodik (trajectory)"
MSG_QUANTITATIVE = "IKU {} memiliki target yang tidak berupa angka; target kualitatif harus dikuantifikasi"
MSG_OBJECTIVE = "IKU {} mengukur {}, yang tidak ada pada peta strategi"
MSG_DEPTH = "IKU {} di-cascade langsung {} level (paling banyak {})"
MSG_ACCOMPANIED = "{} hanya diukur IKU cascading langsung; tambahkan IKU non-cascading (N)"
MSG_INITIATIVE = "inisiatif '{}' harus memuat output, milestone penyelesaian, dan periode penyelesaian"


def _text(x) -> str:
    """A number as the engine writes it in messages (exact decimal text)."""
    if x is None:
        return "(missing)"
    return format(x, "f") if isinstance(x, Decimal) else str(x)


def _make(num, round2):
    """The evaluation function over a number type (Decimal, or float for reference)."""
    ZERO, ONE, HUNDRED, TWO_HUNDRED = num(0), num(1), num(100), num(200)
    CAP, CONVERSION_120 = num(120), round2(num(120))
    SCALE = ((num(0), num(0)), (num(90), num(100)), (num(100), num(120)))
    WEIGHTS = {p: num(25) for p in PERSPECTIVES}

    def stabilize_scale(x):
        """Piecewise-linear scale 0→0, 90→100, 100→120, flat outside."""
        if x <= SCALE[0][0]:
            return SCALE[0][1]
        for (x0, y0), (x1, y1) in zip(SCALE, SCALE[1:]):
            if x <= x1:
                return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
        return SCALE[-1][1]

    def capaian(iku, target, real):
        """Capaian (%) of a target and a realisation, 0–120 rounded half-up; None if undefined."""
        if real is None:
            return None
        polarity = iku["polarity"]
        met = real <= target if polarity == "minimize" else real >= target
        if met and iku.get("target_kind") == "maximum":     # missing target_kind means "normal"
            return CONVERSION_120
        if polarity == "maximize":
            if target == 0:
                return None
            raw = (ONE + (ONE - real / target)) * HUNDRED if target < 0 else real / target * HUNDRED
        elif polarity == "minimize":
            if target == 0:
                worst = iku.get("worst_tolerable")
                if not worst:
                    return None
                raw = (worst - real) / worst * HUNDRED
            else:
                raw = (ONE + (ONE - real / target)) * HUNDRED
        else:  # stabilize
            if target == 0:
                return None
            ratio = real / target * HUNDRED
            raw = stabilize_scale(ratio if real <= target else TWO_HUNDRED - ratio)
        if raw < ZERO:
            raw = ZERO
        elif raw > CAP:
            raw = CAP
        return round2(raw)

    def evaluate(contract: dict) -> dict:
        level = LEVELS.get(contract["unit"]["eselon"], "bukan_upk")
        smap = contract.get("strategy_map")
        objectives = smap["objectives"] if smap is not None else None
        ss_codes = {s["code"] for s in objectives} if objectives is not None else None
        ikus = contract["iku"]
        violations = []

        per_period, annual = {}, {}
        ss_values = {}        # SS code -> annual capaian of its main IKU (present ones)
        ss_direct = {}        # SS code -> some IKU is cascaded directly (None: cascade method unknown)
        ss_has_n = {}         # SS code -> some IKU is set by the unit itself (None: origin unknown)
        n_main = 0
        for idx, iku in enumerate(ikus):
            code = iku["code"]
            periods = iku["periods"]
            consolidation = iku.get("consolidation") or DEFAULT_CONSOLIDATION

            targets, reals = [], []
            has_target = False
            quantitative = True
            for p in periods:
                target, real = p.get("target"), p.get("realization")
                if target is None:
                    per_period[f"{code} {p['period']}"] = None
                    continue
                has_target = True
                if not isinstance(target, num):
                    quantitative = False
                    per_period[f"{code} {p['period']}"] = None
                    continue
                per_period[f"{code} {p['period']}"] = capaian(iku, target, real)
                if real is not None:
                    targets.append(target)
                    reals.append(real)

            # Consolidated target and realisation over the reported periods. As in the policy,
            # the sum of no periods is 0 (and is scored), the average or last of none is missing.
            if consolidation == "sum":
                value = capaian(iku, sum(targets, ZERO), sum(reals, ZERO))
            elif not reals:
                value = None
            elif consolidation == "last":
                value = capaian(iku, targets[-1], reals[-1])
            else:
                value = capaian(iku, sum(targets, ZERO) / len(targets), sum(reals, ZERO) / len(reals))
            annual[code] = value

            objective = iku["objective"]
            if "parent_iku" not in iku:
                n_main += 1
                if value is not None:
                    ss_values.setdefault(objective, []).append(value)

            cascade = iku.get("cascade")
            if cascade is None:
                direct = False
            else:
                method = cascade.get("method")
                direct = None if method is None else method == "direct"
                if direct is not False:
                    depth = cascade.get("depth")
                    if direct is None or depth is None:
                        violations.append(("cascade-depth", f"iku[{idx}]", UNDETERMINED + MSG_DEPTH.format(
                            code, _text(depth), CASCADE_MAX_DEPTH)))
                    elif depth > CASCADE_MAX_DEPTH:
                        violations.append(("cascade-depth", f"iku[{idx}]",
                                           MSG_DEPTH.format(code, _text(depth), CASCADE_MAX_DEPTH)))
            seen = ss_direct.get(objective, False)
            if direct is True or seen is True:
                ss_direct[objective] = True
            elif direct is None or seen is None:
                ss_direct[objective] = None
            else:
                ss_direct[objective] = False
            origin = iku.get("origin")
            seen = ss_has_n.get(objective, False)
            if origin == "N" or seen is True:
                ss_has_n[objective] = True
            elif origin is None or seen is None:
                ss_has_n[objective] = None
            else:
                ss_has_n[objective] = False

            if not has_target:
                violations.append(("iku-trajectory", f"iku[{idx}]", MSG_TRAJECTORY.format(code)))
            annual_target = iku.get("annual_target")
            if not quantitative or not (annual_target is None or isinstance(annual_target, num)):
                violations.append(("iku-target-quantitative", f"iku[{idx}]", MSG_QUANTITATIVE.format(code)))
            if ss_codes is not None and objective not in ss_codes:
                violations.append(("iku-objective-known", f"iku[{idx}]", MSG_OBJECTIVE.format(code, objective)))

        # SS, perspective, NKO, predikat.
        nilai_ss = {}
        by_perspective = {}
        if objectives is not None:
            for s in objectives:
                values = ss_values.get(s["code"])
                v = sum(values, ZERO) / len(values) if values else None
                nilai_ss[s["code"]] = v
                if v is not None:
                    by_perspective.setdefault(s["perspective"], []).append(v)
        nilai_perspektif = {}
        weighted, weights = ZERO, ZERO
        for p in PERSPECTIVES:
            values = by_perspective.get(p)
            if values:
                v = nilai_perspektif[p] = sum(values, ZERO) / len(values)
                weighted += WEIGHTS[p] * v
                weights += WEIGHTS[p]
            else:
                nilai_perspektif[p] = None
        nko = round2(weighted / weights) if weights else None
        if nko is None:
            predikat = None
        elif nko > 100:
            predikat = "Sangat Baik"
        elif nko >= 90:
            predikat = "Baik"
        elif nko >= 70:
            predikat = "Cukup"
        elif nko >= 50:
            predikat = "Kurang"
        else:
            predikat = "Buruk"

        # Contract-level rules, then per SS and per initiative.
        limits = IKU_LIMITS.get(level)
        if limits is not None and not limits[0] <= n_main <= limits[1]:
            violations.append(("pk-iku-count", None,
                               f"{n_main} IKU pada {level}; batasnya {limits[0]}–{limits[1]} IKU"))
        if not ikus:
            violations.append(("pk-iku-present", None, "PK tidak memuat IKU"))
        if not objectives:
            violations.append(("pk-strategy-map", None, "PK tidak memuat peta strategi dengan Sasaran Strategis"))
        if (contract.get("budget") or {}).get("total") is None:
            violations.append(("pk-budget", None, "PK tidak memuat rincian anggaran (budget.total)"))
        if objectives is None:
            # Without a strategy map the per-SS check cannot run: the engine reports it undetermined.
            violations.append(("cascade-accompanied", None, UNDETERMINED + MSG_ACCOMPANIED.format("(missing)")))
        else:
            for k, s in enumerate(objectives):
                direct = ss_direct.get(s["code"], False)
                if direct is False:
                    continue
                has_n = ss_has_n.get(s["code"], False) if direct else None
                if has_n is not True:
                    prefix = UNDETERMINED if has_n is None else ""
                    violations.append(("cascade-accompanied", f"strategy_map.objectives[{k}]",
                                       prefix + MSG_ACCOMPANIED.format(s["code"])))
        for k, n in enumerate(contract.get("initiatives") or ()):
            if n.get("output") is None or not n.get("milestones") or n.get("completion_period") is None:
                violations.append(("initiative-complete", f"initiatives[{k}]", MSG_INITIATIVE.format(n["name"])))

        return {"level": level, "capaian_periode": per_period, "capaian_tahunan": annual, "nilai_ss": nilai_ss,
                "nilai_perspektif": nilai_perspektif, "nko": nko, "predikat": predikat, "violations": violations}

    return evaluate


_CENT = Decimal("0.01")


def _round_decimal(x: Decimal) -> Decimal:
    return x.quantize(_CENT, rounding=ROUND_HALF_UP)


def _round_float(x: float) -> float:
    return math.floor(x * 100 + 0.5) / 100


evaluate = _make(Decimal, _round_decimal)
evaluate_float = _make(float, _round_float)


def to_float(x):
    """A copy of contract data with every Decimal as a float (for `evaluate_float`)."""
    if isinstance(x, Decimal):
        return float(x)
    if isinstance(x, dict):
        return {k: to_float(v) for k, v in x.items()}
    if isinstance(x, list):
        return [to_float(v) for v in x]
    return x
