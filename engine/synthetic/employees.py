"""One unit's employee performance file for one year: the record PermenPAN-RB 6/2022 judges.

The file lists every employee of the unit with their rater and the rater's superior, the SKP (set
and signed in time), result indicators, the seven core values, quarterly ratings and the annual
rating; a few employees file an appeal. The predikat of the employees follow the SE 3/2023
distribution for the organisation's own predikat. It is clean unless asked to break one named rule
(see `breaches`).
"""
from __future__ import annotations

import datetime as _dt
import random
from decimal import Decimal

from .breaches import BREACH_NOTE, break_employees
from .people import CORE_VALUES, RATINGS, SESUAI, STAFF_LEVEL, full_name, head_position, nip
from .series import QUARTERS
from .units import Unit

RESULT_INDICATORS = ["Persentase penyelesaian tugas tepat waktu", "Jumlah dokumen yang diproses",
                     "Tingkat akurasi data", "Indeks kepuasan pengguna layanan",
                     "Persentase rekomendasi yang ditindaklanjuti"]
ASPECTS = [("quantity", 120, "dokumen"), ("quality", 95, "%"), ("time", 12, "bulan"), ("cost", 100, "%"),
           ("quantity", 48, "laporan")]


def _predikat_mix(rng: random.Random, org: str, n: int) -> list[str]:
    """Employee predikat (the unit head excluded) that satisfy the SE 3/2023 distribution for `org`:
    Istimewa — Sangat Baik a majority, at most 70 %; Baik — Baik a majority, at most 70 %, and at
    least one Butuh Perbaikan or Kurang/Misconduct; Butuh Perbaikan — at least 60 % Butuh Perbaikan,
    at most 10 % Sangat Baik (none here)."""
    majority = rng.randint(n // 2 + 1, max(n * 7 // 10, n // 2 + 1))
    if org == "Istimewa":
        return ["Sangat Baik"] * majority + ["Baik"] * (n - majority)
    if org == "Butuh Perbaikan":
        bp = rng.randint(-(-n * 6 // 10), n)
        return ["Butuh Perbaikan"] * bp + ["Baik"] * (n - bp)
    weak = ["Butuh Perbaikan"] + (["Kurang/Misconduct"] if n - majority > 2 and rng.random() < 0.3 else [])
    return ["Baik"] * majority + weak + ["Sangat Baik"] * (n - majority - len(weak))


def employees(unit: Unit, year: int, rng: random.Random, head_name: str, head_nip: str,
              breach: str | None = None) -> dict:
    """The employee performance file of one unit for `year` (PermenPAN-RB 6/2022 facts)."""
    size = {0: 12, 1: 30, 2: 25, 3: 18}[min(unit.eselon, 3)] + rng.randint(0, 30)
    n_sections = max(2, size // 8)
    head = {"nip": head_nip, "name": head_name, "position_level": STAFF_LEVEL[unit.eselon]}
    above, above_2, sections = _superiors(rng, unit, n_sections)
    org = rng.choices(["Istimewa", "Baik", "Butuh Perbaikan"], [3, 6, 1])[0]
    mix = _predikat_mix(rng, org, size - 1)
    rng.shuffle(mix)
    people = _staff(rng, unit, head, above, above_2, sections, size)
    head_predikat = rng.choice(["Baik", "Sangat Baik"])
    out = [_employee(rng, p, head_predikat if k == 0 else mix[k - 1], year, appeals=k > 0)
           for k, p in enumerate(people)]
    data = {"kind": "employee_performance", "title": f"Rekapitulasi Evaluasi Kinerja Pegawai Tahun {year}",
            "unit": {"code": unit.code, "name": unit.name, "eselon": unit.eselon, "organization": "Kementerian Keuangan"},
            "year": year, "organization_predikat": org, "organization_predikat_set_on": f"{year + 1}-01-15",
            "evaluation_periods": list(QUARTERS), "employees": out}
    if unit.parent:
        data["unit"]["parent"] = unit.parent
    notes = f"Data sintetis (kinerja generate), pegawai {unit.code} tahun {year}."
    if breach:
        break_employees(data, breach, rng)
        notes += f" {BREACH_NOTE}{breach}."
    data["notes"] = notes
    return data


def _superiors(rng: random.Random, unit: Unit, n_sections: int) -> tuple[dict, dict, list[dict]]:
    """The head's rater and the rater's superior (outside the unit), and the unit's section heads."""
    above = {"nip": nip(rng), "name": full_name(rng), "position_level": STAFF_LEVEL[max(unit.eselon - 1, 0)],
             "position": "Pimpinan unit atasan"}
    above_2 = {"nip": nip(rng), "name": full_name(rng), "position_level": STAFF_LEVEL[max(unit.eselon - 2, 0)]}
    section_level = STAFF_LEVEL.get(unit.eselon + 1, "pengawas")
    sections = [{"nip": nip(rng), "name": full_name(rng), "position_level": section_level,
                 "position": f"Kepala Seksi/Bidang {k + 1} {unit.name}"} for k in range(n_sections)]
    return above, above_2, sections


def _staff(rng: random.Random, unit: Unit, head: dict, above: dict, above_2: dict, sections: list[dict],
           size: int) -> list[dict]:
    """The unit's `size` people, head first, then section heads and their staff, each with rater and superior."""
    n_sections = len(sections)
    head_as_rater = dict(head, position=head_position(unit))
    people = [dict(head_as_rater, unit_head=True, rater=above, rater_superior=above_2)]
    people += [dict(s, rater=head_as_rater, rater_superior=above) for s in sections]
    for k in range(size - n_sections - 1):
        level = "fungsional" if rng.random() < 0.25 else "pelaksana"
        people.append({"nip": nip(rng, rng.randint(1975, 2001)), "name": full_name(rng), "position_level": level,
                       "position": "Pranata Komputer Ahli Pertama" if level == "fungsional" else "Pelaksana",
                       "rater": sections[k % n_sections], "rater_superior": head_as_rater})
    return people


def _employee(rng: random.Random, p: dict, predikat: str, year: int, appeals: bool) -> dict:
    """One employee's entry, rated to give `predikat`; with `appeals`, one in a hundred files an appeal."""
    result, behaviour = rng.choice(RATINGS[predikat])
    e = {"nip": p["nip"], "name": p["name"], "position": p["position"], "position_level": p["position_level"],
         "status": "PPPK" if p["position_level"] in ("pelaksana", "fungsional") and rng.random() < 0.08 else "PNS"}
    if p.get("unit_head"):
        e["unit_head"] = True
    e["rater"] = {key: p["rater"][key] for key in ("nip", "name", "position", "position_level") if key in p["rater"]}
    e["rater_superior"] = {key: p["rater_superior"][key] for key in ("nip", "name", "position_level")
                           if key in p["rater_superior"]}
    e["skp"] = {"set_on": f"{year}-01-{rng.randint(3, 31):02d}", "signed_by_employee": True, "signed_by_rater": True}
    e["result_indicators"] = [
        {"name": rng.choice(RESULT_INDICATORS) + f" ({j + 1})", "aspect": aspect, "target": Decimal(t),
         "measure": measure, "realization": Decimal(t * rng.randint(85, 115) // 100)}
        for j, (aspect, t, measure) in enumerate(rng.sample(ASPECTS, rng.randint(2, 4)))]
    e["core_values"] = [{"value": v, "behaviours": list(b)} for v, b in CORE_VALUES.items()]
    e["ratings"] = [{"period": q, "result": rng.choice([result, SESUAI]), "behaviour": rng.choice([behaviour, SESUAI])}
                    for q in QUARTERS]
    e["annual_rating"] = {"result": result, "behaviour": behaviour}
    if appeals and rng.random() < 0.01:                # an appeal, filed and decided in time
        received = _dt.date(year + 1, 1, rng.randint(5, 20))
        e["appeal"] = {"result_received_on": received.isoformat(),
                       "filed_on": (received + _dt.timedelta(days=rng.randint(1, 14))).isoformat(),
                       "decided_by": e["rater_superior"]["nip"],
                       "decided_on": (received + _dt.timedelta(days=rng.randint(20, 40))).isoformat(),
                       "outcome": rng.choice(["accepted", "partially_accepted", "rejected"])}
    return e
