"""One unit's organisation contract (Perjanjian Kinerja) for one year: the record KMK 300/2022 judges.

A contract has a strategy map over the four perspectives (every SS measured by one to three IKU,
the first the unit's own), IKU drawn from its family's indicator templates with quarterly targets
and realisations, IIAA reports for each period that missed its target, strategic initiatives, a
budget, the head's behaviour assessments per semester and, for a few heads, a mid-year start. It is
clean unless asked to break one named rule (see `breaches`).
"""
from __future__ import annotations

import datetime as _dt
import random
from decimal import Decimal
from typing import Any

from .breaches import BREACH_NOTE, break_contract
from .people import full_name, head_position, nip, parent_unit
from .reports import achievement_report, misses
from .series import D0, QUARTERS, dec2, indicator_series
from .units import Unit

PERSPECTIVES = ("stakeholder", "customer", "internal_process", "learning_growth")

# -- indicator templates ----------------------------------------------------------------------------

# (name, kind, validity, control); kind selects how targets and realisations are drawn.
IKU_GENERIC = {
    "customer": [("Indeks kepuasan pengguna layanan", "index5", "proxy", "moderate"),
                 ("Persentase pengaduan layanan yang ditindaklanjuti tepat waktu", "pct_max", "exact", "moderate"),
                 ("Indeks persepsi integritas layanan", "index5", "proxy", "moderate")],
    "learning_growth": [("Persentase pegawai yang memenuhi standar jam pembelajaran", "cumulative", "activity", "moderate"),
                        ("Indeks kesehatan organisasi", "index100", "proxy", "moderate"),
                        ("Persentase rekomendasi hasil pemeriksaan yang ditindaklanjuti", "pct_max", "exact", "moderate"),
                        ("Persentase penyerapan anggaran", "stab", "proxy", "moderate"),
                        ("Tingkat implementasi manajemen risiko", "index100", "proxy", "moderate"),
                        ("Indeks kepuasan pegawai terhadap layanan internal", "index5", "proxy", "moderate")],
}
IKU_FAMILY = {
    "DJP": {"stakeholder": [("Persentase realisasi penerimaan pajak", "pct", "exact", "low"),
                            ("Persentase pertumbuhan penerimaan pajak neto", "pct_growth", "exact", "low")],
            "internal_process": [("Tingkat kepatuhan penyampaian SPT Tahunan", "pct", "exact", "moderate"),
                                 ("Persentase penyelesaian pemeriksaan tepat waktu", "pct_max", "exact", "moderate"),
                                 ("Persentase pencairan tunggakan pajak", "pct", "exact", "moderate"),
                                 ("Jumlah wajib pajak baru yang terdaftar", "count_big", "activity", "moderate"),
                                 ("Rata-rata waktu penyelesaian permohonan (hari)", "days", "exact", "moderate")]},
    "DJBC": {"stakeholder": [("Persentase realisasi penerimaan bea dan cukai", "pct", "exact", "low"),
                             ("Nilai fasilitas kepabeanan yang dimanfaatkan", "pct", "proxy", "low")],
             "internal_process": [("Rata-rata waktu pelayanan kepabeanan (jam)", "days", "exact", "moderate"),
                                  ("Persentase penindakan yang ditindaklanjuti penyidikan", "pct", "exact", "moderate"),
                                  ("Jumlah pelanggaran cukai berulang", "zero", "proxy", "moderate"),
                                  ("Persentase dokumen impor yang diproses jalur merah tepat waktu", "pct_max", "exact", "moderate")]},
    "DJPB": {"stakeholder": [("Nilai kinerja pelaksanaan anggaran (IKPA) satker mitra kerja", "score", "proxy", "low"),
                             ("Persentase penyaluran dana transfer ke daerah tepat waktu", "pct_max", "exact", "moderate")],
             "internal_process": [("Persentase SP2D yang diretur", "pct_low", "exact", "moderate"),
                                  ("Persentase SPM yang diselesaikan sesuai standar waktu layanan", "pct_max", "exact", "moderate"),
                                  ("Persentase satker yang memperoleh pembinaan", "cumulative", "activity", "moderate"),
                                  ("Deviasi halaman III DIPA", "stab", "proxy", "moderate"),
                                  ("Persentase rekonsiliasi laporan keuangan tepat waktu", "pct_max", "exact", "moderate")]},
    "DJKN": {"stakeholder": [("Persentase realisasi PNBP pengelolaan kekayaan negara", "pct", "exact", "low"),
                             ("Persentase piutang negara yang diselesaikan", "pct", "exact", "low")],
             "internal_process": [("Persentase pokok lelang yang laku", "pct", "proxy", "moderate"),
                                  ("Persentase penyelesaian permohonan penilaian tepat waktu", "pct_max", "exact", "moderate"),
                                  ("Jumlah BMN yang disertipikasi", "count", "activity", "moderate"),
                                  ("Rata-rata waktu penyelesaian layanan lelang (hari)", "days", "exact", "moderate")]},
    "BPPK": {"stakeholder": [("Indeks efektivitas pembelajaran", "index100", "proxy", "low")],
             "internal_process": [("Persentase pembelajaran yang diselenggarakan sesuai rencana", "cumulative", "activity", "moderate"),
                                  ("Jumlah jam pelajaran per pegawai", "count", "activity", "moderate"),
                                  ("Persentase alumni yang menerapkan hasil pembelajaran", "pct", "proxy", "moderate")]},
}
IKU_POLICY = {"stakeholder": [("Persentase rekomendasi kebijakan yang ditindaklanjuti", "pct", "proxy", "low"),
                              ("Indeks kualitas kebijakan", "index100", "proxy", "low")],
              "internal_process": [("Jumlah kajian kebijakan yang diselesaikan", "count", "activity", "moderate"),
                                   ("Persentase regulasi yang ditetapkan tepat waktu", "pct_max", "exact", "moderate"),
                                   ("Persentase penyelesaian reviu tepat waktu", "pct_max", "exact", "moderate"),
                                   ("Jumlah temuan berulang hasil pengawasan", "zero", "proxy", "moderate")]}

SS_STAKEHOLDER = {
    "DJP": ["Penerimaan pajak negara yang optimal", "Kepatuhan wajib pajak yang tinggi"],
    "DJBC": ["Penerimaan bea dan cukai yang optimal", "Perlindungan masyarakat dan industri dalam negeri"],
    "DJPB": ["Pelaksanaan anggaran yang berkualitas", "Pengelolaan kas negara yang optimal"],
    "DJKN": ["Pengelolaan kekayaan negara yang optimal", "Penerimaan negara dari pengelolaan aset yang optimal"],
    "DJA": ["APBN yang kredibel dan berkelanjutan", "PNBP yang optimal"],
    "DJPK": ["Desentralisasi fiskal yang adil dan berkualitas", "Pengelolaan keuangan daerah yang akuntabel"],
    "DJPPR": ["Pembiayaan yang aman dan efisien", "Risiko keuangan negara yang terkendali"],
    "BKF": ["Kebijakan fiskal yang sehat dan berkelanjutan", "Rekomendasi kebijakan yang berkualitas"],
    "BPPK": ["SDM keuangan negara yang kompeten", "Pembelajaran yang berdampak pada kinerja organisasi"],
    "SETJEN": ["Dukungan manajemen yang andal bagi Kementerian Keuangan", "Reformasi birokrasi yang efektif"],
    "ITJEN": ["Tata kelola, manajemen risiko, dan pengendalian intern yang efektif", "Akuntabilitas yang tinggi"],
    "KEMENKEU": ["Kesehatan fiskal yang terjaga", "Pertumbuhan ekonomi yang inklusif",
                 "Penerimaan negara yang optimal", "Belanja negara yang berkualitas"],
}

SS_NAMES = {
    "stakeholder": ["Akuntabilitas keuangan negara yang tinggi", "Kepercayaan publik yang tinggi"],
    "customer": ["Layanan yang prima bagi pemangku kepentingan", "Kepatuhan pengguna layanan yang tinggi",
                 "Kepuasan mitra kerja yang tinggi"],
    "internal_process": ["Proses bisnis inti yang efektif dan efisien", "Pengawasan yang efektif",
                         "Pelaporan yang akurat dan tepat waktu", "Pengelolaan risiko yang andal",
                         "Pembinaan unit vertikal yang efektif", "Pengelolaan data yang terintegrasi"],
    "learning_growth": ["SDM yang kompeten dan berintegritas", "Organisasi yang adaptif",
                        "Sistem informasi yang andal", "Pengelolaan anggaran internal yang akuntabel"],
}

def _iku_templates(unit: Unit) -> dict[str, list[tuple]]:
    family = IKU_FAMILY.get(unit.family, IKU_POLICY)
    return {"stakeholder": family.get("stakeholder", IKU_POLICY["stakeholder"]),
            "customer": IKU_GENERIC["customer"],
            "internal_process": family.get("internal_process", IKU_POLICY["internal_process"]),
            "learning_growth": IKU_GENERIC["learning_growth"]}


def contract(unit: Unit, year: int, rng: random.Random, breach: str | None = None) -> dict:
    """One unit's performance agreement for `year`; clean unless `breach` names a rule to break."""
    objectives, n_iku = _strategy_map(rng, unit)
    counts = _measures_per_objective(rng, len(objectives), n_iku)
    weak_share = rng.choice([0.05, 0.05, 0.1, 0.1, 0.2, 0.6, 0.9])   # how often this unit's IKU fall short
    mid_year = rng.random() < 0.06
    reported = rng.choice([2, 3]) if mid_year else 4
    iku, reports = _indicators(rng, unit, year, objectives, counts, weak_share, reported)
    data = _agreement(rng, unit, year)
    data["behaviour_assessments"] = [_behaviour(rng, period) for period in ("S1", "S2")[:1 if mid_year and reported == 2 else 2]]
    data["strategy_map"] = {"owner": unit.code, "objectives": objectives}
    data["iku"] = iku
    data["initiatives"] = _initiatives(rng, iku)
    if reports:
        data["achievement_reports"] = reports
    data["budget"] = _budget(rng, unit)
    notes = f"Data sintetis (kinerja generate), unit {unit.code} tahun {year}."
    if mid_year:
        notes += f" Realisasi s.d. {QUARTERS[reported - 1]}."
    if breach:
        break_contract(data, breach, rng, unit)
        notes += f" {BREACH_NOTE}{breach}."
    data["notes"] = notes
    return data


def _strategy_map(rng: random.Random, unit: Unit) -> tuple[list[dict], int]:
    """The SS of the unit's strategy map (every perspective at least once), and how many IKU measure them."""
    n_ss = rng.randint(8, 11) if unit.eselon <= 1 else rng.randint(7, 10) if unit.eselon == 2 else rng.randint(6, 8)
    low, high = (15, 20) if unit.eselon <= 1 else (10, 20)
    n_iku = rng.randint(max(low, n_ss + 2), min(high, n_ss * 3))
    persp = list(PERSPECTIVES) + [rng.choice(PERSPECTIVES[:3]) for _ in range(n_ss - 4)]
    persp.sort(key=PERSPECTIVES.index)
    used: dict[str, int] = {}
    objectives = []
    for k, p in enumerate(persp):
        names = SS_STAKEHOLDER[unit.family] + SS_NAMES[p] if p == "stakeholder" else SS_NAMES[p]
        objectives.append({"code": f"SS{k + 1}", "name": names[used.get(p, 0) % len(names)], "perspective": p})
        used[p] = used.get(p, 0) + 1
    return objectives, n_iku


def _measures_per_objective(rng: random.Random, n_ss: int, n_iku: int) -> list[int]:
    """How many IKU measure each SS: one to three, `n_iku` in all."""
    counts = [1] * n_ss
    while sum(counts) < n_iku:
        k = rng.randrange(n_ss)
        if counts[k] < 3:
            counts[k] += 1
    return counts


def _indicators(rng: random.Random, unit: Unit, year: int, objectives: list[dict], counts: list[int],
                weak_share: float, reported: int) -> tuple[list[dict], list[dict]]:
    """The IKU of every SS, and the IIAA reports due for the periods they missed."""
    templates = _iku_templates(unit)
    iku: list[dict] = []
    reports: list[dict] = []
    for k, (objective, count) in enumerate(zip(objectives, counts)):
        pool = list(templates[objective["perspective"]])
        rng.shuffle(pool)
        pool.sort(key=lambda t: t[2] == "activity")     # an SS is led by an exact or proxy measure
        for j in range(count):
            origin = "N" if j == 0 or unit.eselon <= 1 else rng.choice(["N", "N", "C", "C", "CP"])
            iku.append(_indicator(rng, unit, year, f"{k + 1}{'abc'[j]}-{origin}", objective,
                                  pool[j % len(pool)], j >= len(pool), weak_share, reported, reports))
    return iku, reports


def _indicator(rng: random.Random, unit: Unit, year: int, code: str, objective: dict, template: tuple,
               repeated: bool, weak_share: float, reported: int, reports: list[dict]) -> dict:
    """One IKU with its quarterly targets and realisations; appends the IIAA reports its misses need."""
    name, kind, validity, control = template
    origin = code.rsplit("-", 1)[1]
    attrs, targets, real, last_t, last_r = indicator_series(rng, kind, unit.eselon <= 1, weak_share)
    item: dict[str, Any] = {"code": code, "name": f"{name} (lanjutan)" if repeated else name,
                            "objective": objective["code"], "origin": origin}
    if origin != "N":
        item["cascade"] = {"source": f"{unit.parent}:{objective['code'][2:]}a-N",
                           "method": "direct" if origin == "C" else "indirect",
                           "depth": 1 if unit.eselon == 2 or rng.random() < 0.7 else 2}
    item.update(attrs)
    if rng.random() < 0.03 and validity == "activity":
        control = "high"                                # allowed by KMK 300; KMK 467 forbids it for owners
    item["validity"], item["control"] = validity, control
    item["trajectory"] = "quarterly"
    item["annual_target"] = sum(targets, D0) if attrs["consolidation"] == "sum" else targets[-1]
    item["last_year"] = {"target": last_t, "realization": last_r}
    periods = []
    for q, (t, r) in enumerate(zip(targets, real)):
        period: dict[str, Any] = {"period": QUARTERS[q], "target": t}
        if q < reported:
            period["realization"] = r
            if unit.eselon >= 1 and misses(attrs, t, r):
                reports.append(achievement_report(rng, unit, year, code, q))
        periods.append(period)
    item["periods"] = periods
    return item


def _agreement(rng: random.Random, unit: Unit, year: int) -> dict:
    """The contract's heading: unit, year, signature, head (a few start mid-year) and superior."""
    data: dict[str, Any] = {
        "kind": "organization_contract",
        "title": f"{'Kontrak Kinerja' if year < 2023 else 'Perjanjian Kinerja'} Tahun {year}",  # KMK 467 era: KK
        "unit": {"code": unit.code, "name": unit.name, "eselon": unit.eselon},
        "year": year,
        "signed_on": f"{year}-01-{rng.randint(2, 31):02d}",
        "statement_of_commitment": True,
        "skp": True,
    }
    if unit.parent:
        data["unit"]["parent"] = unit.parent
    data["unit"]["owns_strategy_map"] = unit.owns_map
    data["unit"]["has_strategic_plan"] = unit.eselon <= 1
    head = {"name": full_name(rng), "nip": nip(rng), "position": head_position(unit), "position_kind": "structural"}
    if unit.eselon >= 1 and rng.random() < 0.05:        # the head took office during the year
        reason = rng.choice(["transfer_in", "transfer_in", "returned_from_study", "returned_from_secondment"])
        start = _dt.date(year, rng.randint(2, 9), rng.randint(1, 28))
        head.update(started_on=start.isoformat(), start_reason=reason)
        data["signed_on"] = (start + _dt.timedelta(days=rng.randint(2, 14))).isoformat()
    data["head"] = head
    if unit.eselon >= 1:
        data["superior"] = {"name": full_name(rng), "nip": nip(rng), "position": head_position(parent_unit(unit))}
    return data


def _behaviour(rng: random.Random, period: str) -> dict:
    base = rng.randint(78, 90)
    out: dict[str, Any] = {"period": period}
    for aspect in ("service_orientation", "integrity", "commitment", "discipline", "cooperation", "leadership"):
        out[aspect] = dec2((base + rng.randint(-5, 6)) * 100 + rng.choice([0, 0, 25, 50, 75]))
    return out


def _initiatives(rng: random.Random, iku: list[dict]) -> list[dict]:
    out = []
    for k in range(rng.randint(2, 4)):
        n_ms = rng.randint(2, 4)
        out.append({
            "name": f"Inisiatif strategis {k + 1}: " + rng.choice(
                ["digitalisasi layanan", "klinik kinerja satker", "penguatan manajemen risiko",
                 "pengembangan kompetensi pegawai", "reviu proses bisnis", "integrasi data lintas unit"]),
            "output": rng.choice(["Aplikasi layanan daring", "Rencana aksi perbaikan", "Laporan evaluasi",
                                  "SOP baru yang ditetapkan", "Dashboard pemantauan kinerja"]),
            "iku": sorted({rng.choice(iku)["code"] for _ in range(rng.randint(1, 3))}),
            "milestones": [{"period": QUARTERS[m], "target": ["Penyusunan rencana", "Uji coba", "Implementasi",
                                                              "Evaluasi"][m]} for m in range(n_ms)],
            "completion_period": QUARTERS[n_ms - 1],
        })
    return out


def _budget(rng: random.Random, unit: Unit) -> dict:
    scale = {0: 5_000_000, 1: 500_000, 2: 20_000, 3: 3_000}[min(unit.eselon, 3)]
    lines = [{"program": "Program Dukungan Manajemen", "activity": "Belanja pegawai",
              "amount": Decimal(rng.randint(scale, scale * 4) * 1_000_000)},
             {"program": "Program Dukungan Manajemen", "activity": "Belanja barang operasional",
              "amount": Decimal(rng.randint(scale // 5, scale) * 1_000_000)},
             {"program": "Program teknis " + unit.family, "activity": "Pelaksanaan tugas teknis",
              "amount": Decimal(rng.randint(scale // 10, scale // 2) * 1_000_000)}]
    return {"total": sum((ln["amount"] for ln in lines), D0), "lines": lines}

