"""One unit's employee score files for one year: the records KMK 127/2026 (kmk_127_2026_pegawai) scores.

From 2026 on, each unit gets a few `employee_score` records — the head, one employee one level below,
one two levels below and a functional official — each with 3–5 individual indicators (IKI) with
targets, realisations and last year's figures, the seven core-value scores per quarter and the unit's
NKO (one per unit and year, shared by its employees). Now and then an SKP has an addendum (one IKI
dropped after Q2, one added for Q3–Q4, each stating its days active), an employee has a discipline
penalty (possibly imposed in Q4 of the year before) or the rater applies a correction. The records
keep the policy's rules (IKI counts, SKP set by 31 January, allowed validity/control pairs, last
year's target for every old IKI), so each one gets an NKP.
"""
from __future__ import annotations

import random
from decimal import Decimal

from .people import CORE_VALUES, full_name, head_position, nip
from .series import QUARTERS, dec2
from .units import Unit

FIRST_YEAR = 2026                      # KMK 127/2026 scores performance years from 2026 on
POSITION_KIND = {0: "minister", 1: "jpt_madya", 2: "jpt_pratama", 3: "administrator", 4: "supervisor"}
IKI_NAMES = ["Persentase penyelesaian layanan sesuai SOP", "Jumlah rekomendasi yang ditindaklanjuti",
             "Persentase satker binaan dengan nilai IKPA baik", "Rata-rata hari penyelesaian permohonan",
             "Jumlah dokumen analisis yang diselesaikan", "Indeks kepuasan pengguna layanan",
             "Persentase data yang diverifikasi tepat waktu", "Deviasi realisasi terhadap rencana penarikan dana"]
QUALITY_PAIRS = [("exact", "low"), ("exact", "moderate"), ("proxy", "low"), ("proxy", "moderate"),
                 ("proxy", "high"), ("activity", "moderate"), ("activity", "high")]   # exact-high, activity-low not allowed
PENALTY_SCORES = {"light": (10, 30), "medium": (30, 60), "heavy": (50, 100)}
FULL_YEAR, HALF_YEAR = 360, 180


def employee_scores(unit: Unit, year: int, rng: random.Random, head_name: str, head_nip: str) -> list[dict]:
    """The `employee_score` records of one unit for `year` (none before 2026)."""
    if year < FIRST_YEAR:
        return []
    nko = dec2(rng.randint(9000, 11500))
    functional_kind = POSITION_KIND.get(unit.eselon + 2, "executor")
    people = [
        ({"nip": head_nip, "name": head_name, "position": head_position(unit),
          "position_kind": POSITION_KIND[min(unit.eselon, 4)], "levels_below_head": 0}),
        (_person(rng, f"Kepala Bidang/Subdirektorat I {unit.name}", POSITION_KIND.get(unit.eselon + 1, "executor"), 1)),
        (_person(rng, f"Kepala Seksi/Subbagian IA {unit.name}", POSITION_KIND.get(unit.eselon + 2, "executor"), 2)),
        dict(_person(rng, "Analis Keuangan Negara Ahli Muda", functional_kind, 2),
             functional_role=rng.choice(["substantive", "substantive", "non_substantive"])),
    ]
    unit_data = {"code": unit.code, "name": unit.name}
    if unit.parent:
        unit_data["parent"] = unit.parent
    unit_data["nko"] = nko
    return [_record(rng, unit, unit_data, year, person) for person in people]


def _person(rng: random.Random, position: str, kind: str, levels_below_head: int) -> dict:
    return {"nip": nip(rng, rng.randint(1970, 1998)), "name": full_name(rng), "position": position,
            "position_kind": kind, "levels_below_head": levels_below_head}


def _record(rng: random.Random, unit: Unit, unit_data: dict, year: int, employee: dict) -> dict:
    """One employee's score file: SKP, IKI, core values and, now and then, a penalty or a correction."""
    addendum = rng.random() < 0.15
    iki = [_iki(rng, f"{k + 1}a-N", addendum) for k in range(rng.randint(3, 5))]
    if addendum:                                       # the last IKI dropped after Q2, a new one for Q3–Q4
        iki[-1]["days_active"] = HALF_YEAR
        iki[-1]["periods"] = iki[-1]["periods"][:2]
        added = _iki(rng, f"{len(iki) + 1}a-N", addendum)
        added["days_active"] = HALF_YEAR
        added["periods"] = added["periods"][2:]
        iki.append(added)
    data = {"kind": "employee_score", "title": f"Penilaian Kinerja Pegawai Tahun {year}", "year": year,
            "unit": dict(unit_data), "employee": employee,
            "skp": {"set_on": f"{year}-01-{rng.randint(2, 31):02d}", "addendum": addendum}, "iki": iki,
            "core_values": _core_values(rng)}
    if employee["levels_below_head"] > 0 and rng.random() < 0.1:
        data["penalties"] = [_penalty(rng, unit, year)]
    if rng.random() < 0.2:
        data["correction"] = Decimal(rng.randint(-5, 7))
    data["notes"] = f"Data sintetis (kinerja generate), skor pegawai {employee['nip']} {unit.code} tahun {year}."
    return data


def _iki(rng: random.Random, code: str, addendum: bool) -> dict:
    """One IKI: quarterly (or, without an addendum, sometimes annual) targets and realisations."""
    validity, control = rng.choice(QUALITY_PAIRS)
    polarity = rng.choices(["maximize", "minimize", "stabilize"], [7, 2, 1])[0]
    kind = rng.choices(["old", "new_without_history", "new_with_history", "mandatory"], [6, 1, 1, 1])[0]
    target = Decimal(rng.randint(80, 100)) if polarity != "minimize" else Decimal(rng.randint(5, 20))
    share = rng.randint(92, 112) if polarity == "maximize" else rng.randint(85, 105)
    iki = {"code": code, "name": rng.choice(IKI_NAMES), "polarity": polarity,
           "consolidation": rng.choice(["average", "last"]), "validity": validity, "control": control,
           "kind": kind, "measure": "hari" if polarity == "minimize" else "%"}
    if addendum:
        iki["days_active"] = FULL_YEAR
    if kind != "new_without_history":
        last_target = target + rng.randint(-10, 5) if kind != "new_with_history" else None
        last = {"realization": dec2(int(target) * rng.randint(90, 110))}
        if last_target is not None:
            last = {"target": Decimal(max(int(last_target), 1)), **last}
        iki["last_year"] = last
    periods = list(QUARTERS) if addendum or rng.random() < 0.5 else ["Y"]
    iki["periods"] = [{"period": p, "target": target, "realization": dec2(int(target) * rng.randint(share - 4, share + 4))}
                      for p in periods]
    return iki


def _core_values(rng: random.Random) -> list[dict]:
    level = rng.randint(94, 106)
    return [{"period": q, "scores": {value: Decimal(level + rng.randint(-2, 4)) for value in CORE_VALUES}}
            for q in QUARTERS]


def _penalty(rng: random.Random, unit: Unit, year: int) -> dict:
    """A discipline penalty imposed this year, or in Q4 of last year (it may run into this one)."""
    category = rng.choices(["light", "medium", "heavy"], [6, 3, 1])[0]
    imposed_year, quarter = (year - 1, 4) if rng.random() < 0.25 else (year, rng.randint(1, 4))
    return {"category": category, "score": Decimal(rng.randint(*PENALTY_SCORES[category])),
            "imposed": {"year": imposed_year, "quarter": quarter},
            "decree": f"KEP-{rng.randint(1, 300)}/{unit.code}/{imposed_year}"}
