"""Deterministic generator of realistic `organization_contract` data for benchmarks.

`generate(n, seed)` returns n plain-Python contracts (dicts) shaped like the schema
`schemas/organization_contract.schema.json`: eselon I/II/III units of the Ministry of Finance,
6–10 Sasaran Strategis over the four Balanced Scorecard perspectives, 15–20 IKU with quarterly
targets and realisations, initiatives and a budget. Every number is a `Decimal` built from text
(two decimals for targets and realisations); no float is ever created.

A share of the contracts breaks a rule of KMK 300/2022 on purpose, so that the rule checks are
exercised too: too many IKU, a depth-3 direct cascade, a qualitative target, an IKU without
trajectory, an unknown SS, an incomplete initiative, a missing budget total or strategy map. Some
contracts are mid-year (realisations up to Q2 or Q3), some IKU miss their Q4 realisation, and a few
have no realisation at all.

    python benchmarks/generate.py --n 3 --seed 1      # print three contracts as JSON
"""
from __future__ import annotations

import argparse
import json
import random
from decimal import Decimal

PERSPECTIVES = ["stakeholder", "customer", "internal_process", "learning_growth"]
QUARTERS = ["Q1", "Q2", "Q3", "Q4"]

UNITS = {
    1: [("DJPB", "Direktorat Jenderal Perbendaharaan"), ("DJP", "Direktorat Jenderal Pajak"),
        ("DJBC", "Direktorat Jenderal Bea dan Cukai"), ("DJA", "Direktorat Jenderal Anggaran"),
        ("DJKN", "Direktorat Jenderal Kekayaan Negara"), ("DJPK", "Direktorat Jenderal Perimbangan Keuangan"),
        ("DJPPR", "Direktorat Jenderal Pengelolaan Pembiayaan dan Risiko"), ("BKF", "Badan Kebijakan Fiskal")],
    2: [("KANWIL-DJPB-{p}", "Kantor Wilayah Direktorat Jenderal Perbendaharaan Provinsi {P}"),
        ("KANWIL-DJP-{p}", "Kantor Wilayah Direktorat Jenderal Pajak {P}"),
        ("KANWIL-DJBC-{p}", "Kantor Wilayah Direktorat Jenderal Bea dan Cukai {P}"),
        ("KANWIL-DJKN-{p}", "Kantor Wilayah Direktorat Jenderal Kekayaan Negara {P}")],
    3: [("KPPN-{c}", "Kantor Pelayanan Perbendaharaan Negara (KPPN) {C}"),
        ("KPP-PRATAMA-{c}", "Kantor Pelayanan Pajak Pratama {C}"),
        ("KPPBC-{c}", "Kantor Pengawasan dan Pelayanan Bea dan Cukai {C}"),
        ("KPKNL-{c}", "Kantor Pelayanan Kekayaan Negara dan Lelang (KPKNL) {C}")],
}
PROVINCES = ["Aceh", "Sumatera Utara", "Riau", "Jawa Barat", "Jawa Tengah", "Jawa Timur", "Bali",
             "Kalimantan Timur", "Sulawesi Selatan", "Papua"]
CITIES = ["Semarang I", "Semarang II", "Surakarta", "Bandung I", "Bogor", "Malang", "Medan I", "Makassar",
          "Denpasar", "Balikpapan", "Pontianak", "Padang", "Jayapura", "Kupang", "Ambon", "Palu"]
NAMES = ["Ratna Dewi", "Bambang Setyo", "Siti Rahmawati", "Agus Santoso", "Dian Puspita", "Hendra Wijaya",
         "Yuliana Sari", "Eko Prasetyo", "Wahyu Hidayat", "Lestari Handayani", "Rudi Hartono", "Nur Aini"]

SS_NAMES = {
    "stakeholder": ["Pelaksanaan anggaran yang berkualitas", "Penerimaan negara yang optimal",
                    "Pengelolaan kekayaan negara yang optimal", "Kebijakan fiskal yang sehat"],
    "customer": ["Layanan yang prima bagi pemangku kepentingan", "Kepatuhan pengguna jasa yang tinggi",
                 "Kepuasan mitra kerja yang tinggi"],
    "internal_process": ["Proses penyelesaian tagihan yang akurat dan efisien", "Pembinaan satker yang efektif",
                         "Laporan keuangan yang akurat dan tepat waktu", "Pengawasan yang efektif",
                         "Pengelolaan risiko yang andal"],
    "learning_growth": ["SDM yang kompeten dan berintegritas", "Organisasi yang adaptif",
                        "Sistem informasi yang andal", "Pengelolaan anggaran internal yang akuntabel"],
}

# IKU templates: (name, kind) where kind selects how targets and realisations are drawn.
IKU_TEMPLATES = [
    ("Persentase penyaluran dana yang tepat waktu", "pct"),
    ("Nilai kinerja pelaksanaan anggaran (IKPA) satker mitra kerja", "score"),
    ("Indeks kepuasan pengguna layanan", "index5"),
    ("Persentase SP2D yang diretur", "pct_low"),
    ("Persentase SPM yang diselesaikan sesuai standar waktu layanan", "pct_max"),
    ("Persentase satker yang memperoleh pembinaan", "cumulative"),
    ("Persentase rekonsiliasi laporan keuangan yang tepat waktu", "pct_max"),
    ("Persentase pegawai yang memenuhi standar jam pembelajaran", "cumulative"),
    ("Persentase rekomendasi hasil pemeriksaan yang ditindaklanjuti", "pct_max"),
    ("Jumlah kajian kebijakan yang diselesaikan", "count"),
    ("Persentase realisasi penerimaan", "pct"),
    ("Rata-rata waktu penyelesaian layanan (hari)", "days"),
    ("Jumlah temuan berulang hasil pemeriksaan", "zero"),
    ("Deviasi halaman III DIPA", "stab"),
    ("Persentase penyerapan anggaran", "stab"),
    ("Indeks kesehatan organisasi", "index100"),
    ("Persentase pemanfaatan aplikasi layanan daring", "pct"),
    ("Jumlah pengaduan layanan yang tidak diselesaikan", "zero"),
    ("Persentase piutang negara yang diselesaikan", "pct"),
    ("Tingkat kepatuhan penyampaian SPT tahunan", "pct"),
    ("Indeks persepsi integritas", "index5"),
    ("Persentase kegiatan pengawasan yang tepat waktu", "pct_max"),
]


def dec2(hundredths: int) -> Decimal:
    """A Decimal with exactly two decimals from an integer number of hundredths (built from text)."""
    sign = "-" if hundredths < 0 else ""
    q, r = divmod(abs(hundredths), 100)
    return Decimal(f"{sign}{q}.{r:02d}")


def around(rng: random.Random, value: Decimal, low_pct: int, high_pct: int) -> Decimal:
    """value scaled by a random percentage in [low_pct, high_pct], as two decimals."""
    hundredths = int(value * 100)
    return dec2(hundredths * rng.randint(low_pct * 10, high_pct * 10) // 1000)


def _periods(rng: random.Random, kind: str) -> tuple[dict, list[dict]]:
    """IKU attributes for a template kind, and its quarterly targets and realisations."""
    attrs: dict = {"target_kind": "normal"}
    targets: list[Decimal]
    realizations: list[Decimal]
    if kind in ("pct", "score", "index100"):
        base = {"pct": rng.randint(70, 95), "score": rng.randint(85, 96), "index100": rng.randint(70, 85)}[kind]
        t = Decimal(base)
        targets = [t] * 4
        realizations = [min(around(rng, t, 85, 118), Decimal(100)) for _ in range(4)]
        attrs.update(polarity="maximize", consolidation=rng.choice(["average", "average", "last"]),
                     measure="%" if kind == "pct" else "nilai")
    elif kind == "index5":
        t = dec2(rng.randint(400, 460))
        targets = [t] * 4
        realizations = [min(around(rng, t, 92, 110), Decimal(5)) for _ in range(4)]
        attrs.update(polarity="maximize", consolidation=rng.choice(["last", "average"]), measure="indeks (skala 5)")
    elif kind == "pct_max":
        targets = [Decimal(100)] * 4
        realizations = [Decimal(100) if rng.random() < 0.55 else dec2(rng.randint(9500, 9999)) for _ in range(4)]
        attrs.update(polarity="maximize", consolidation=rng.choice(["average", "last"]), target_kind="maximum",
                     measure="%")
    elif kind == "cumulative":
        targets = [Decimal(25), Decimal(50), Decimal(75), Decimal(100)]
        realizations = [min(around(rng, t, 90, 125), Decimal(100)) for t in targets]
        attrs.update(polarity="maximize", consolidation="last", measure="%")
    elif kind == "count":
        per_q = rng.randint(1, 4)
        targets = [Decimal(per_q)] * 4
        realizations = [Decimal(max(0, per_q + rng.randint(-1, 2))) for _ in range(4)]
        attrs.update(polarity="maximize", consolidation="sum", measure="dokumen")
    elif kind == "pct_low":
        t = dec2(rng.randint(100, 300))
        targets = [t] * 4
        realizations = [around(rng, t, 40, 140) for _ in range(4)]
        attrs.update(polarity="minimize", consolidation="average", measure="%")
    elif kind == "days":
        t = Decimal(rng.randint(3, 10))
        targets = [t] * 4
        realizations = [around(rng, t, 60, 130) for _ in range(4)]
        attrs.update(polarity="minimize", consolidation=rng.choice(["average", "last"]), measure="hari")
    elif kind == "zero":
        targets = [Decimal(0)] * 4
        realizations = [Decimal(rng.choice([0, 0, 0, 1, 2])) for _ in range(4)]
        attrs.update(polarity="minimize", consolidation=rng.choice(["sum", "last"]), measure="kejadian",
                     worst_tolerable=Decimal(rng.randint(4, 10)))
    else:  # "stab": stabilize around a target band, e.g. budget absorption or DIPA deviation
        t = Decimal(rng.choice([5, 90, 95]))
        targets = [t] * 4
        realizations = [around(rng, t, 80, 115) for _ in range(4)]
        attrs.update(polarity="stabilize", consolidation=rng.choice(["average", "last"]), measure="%")
    periods = [{"period": q, "target": t, "realization": r} for q, t, r in zip(QUARTERS, targets, realizations)]
    return attrs, periods


def _person(rng: random.Random, position: str) -> dict:
    nip = f"19{rng.randint(65, 90)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}" \
          f"{rng.randint(1988, 2012)}{rng.randint(1, 12):02d}{rng.randint(1, 2)}{rng.randint(1, 9):03d}"
    return {"name": rng.choice(NAMES) + " " + rng.choice(["S.E.", "M.Ak.", "M.B.A.", "S.H.", "M.Sc."]),
            "nip": nip, "position": position}


def contract(rng: random.Random, index: int) -> dict:
    """One contract; `index` only makes the unit code unique."""
    eselon = rng.choice([1, 2, 2, 3, 3, 3])
    template_code, template_name = rng.choice(UNITS[eselon])
    province, city = rng.choice(PROVINCES), rng.choice(CITIES)
    code = template_code.format(p=province.upper().replace(" ", "-"), c=city.upper().replace(" ", "-"))
    code = f"{code}-{index}"
    name = template_name.format(P=province, C=city)
    parent = "KEMENKEU" if eselon == 1 else ("DJPB" if eselon == 2 else f"KANWIL-{province.upper()}")
    year = rng.choice([2023, 2024, 2025])

    # Strategy map: 6–10 SS, every perspective at least once.
    n_ss = rng.randint(6, 10)
    persp = PERSPECTIVES + [rng.choice(PERSPECTIVES) for _ in range(n_ss - 4)]
    persp.sort(key=PERSPECTIVES.index)
    objectives = [{"code": f"SS{k + 1}", "perspective": p, "name": rng.choice(SS_NAMES[p])}
                  for k, p in enumerate(persp)]

    # IKU: 15–20 main IKU (≈10 % of contracts 21–23: too many), each SS measured at least once.
    n_iku = rng.randint(21, 23) if rng.random() < 0.10 else rng.randint(15, 20)
    ss_of = [k % n_ss for k in range(n_ss)] + [rng.randrange(n_ss) for _ in range(n_iku - n_ss)]
    ss_of.sort()
    mid_year = rng.random() < 0.10                     # evaluated before the year ended
    reported = rng.choice([2, 3]) if mid_year else 4
    letters: dict[int, int] = {}
    iku = []
    for k in ss_of:
        first = k not in letters
        letter = "abcdefghij"[letters.get(k, 0)]
        letters[k] = letters.get(k, 0) + 1
        r = rng.random()
        if first:                                       # an SS is usually led by the unit's own IKU
            origin = "N" if r < 0.97 else "C"
        else:
            origin = "N" if r < 0.50 else ("C" if r < 0.85 else "CP")
        name, kind = rng.choice(IKU_TEMPLATES)
        attrs, periods = _periods(rng, kind)
        item = {"code": f"{k + 1}{letter}-{origin}", "name": name, "objective": objectives[k]["code"],
                "origin": origin}
        if origin != "N":
            depth = 3 if rng.random() < 0.01 else rng.choice([1, 1, 2])
            item["cascade"] = {"source": f"{parent}:{k + 1}{letter}-N",
                               "method": "direct" if rng.random() < 0.75 else "indirect", "depth": depth}
        item.update(attrs)
        if rng.random() < 0.05:
            del item["consolidation"]                   # policy default (average) applies
        item["validity"] = rng.choice(["exact", "exact", "proxy", "activity"])
        item["control"] = rng.choice(["low", "moderate", "high"])
        item["trajectory"] = "quarterly"
        item["annual_target"] = periods[-1]["target"] if attrs.get("consolidation") != "sum" \
            else sum((p["target"] for p in periods), Decimal(0))
        item["last_year"] = {"target": periods[-1]["target"], "realization": periods[-1]["realization"]}
        for p in periods[reported:]:
            del p["realization"]
        if rng.random() < 0.04:
            periods[-1].pop("realization", None)        # Q4 realisation not (yet) reported
        if rng.random() < 0.01:
            for p in periods:                           # nothing reported at all
                p.pop("realization", None)
        item["periods"] = periods
        iku.append(item)

    # A few rule breakers and odd cases, each in a small share of contracts.
    if rng.random() < 0.03:                             # qualitative target
        i = rng.choice(iku)
        if rng.random() < 0.5:
            i["annual_target"] = "Tersusunnya laporan evaluasi"
        else:
            i["periods"][rng.randrange(4)]["target"] = "Dokumen tersusun"
    if rng.random() < 0.02:                             # no trajectory: realisations only
        i = rng.choice(iku)
        for p in i["periods"]:
            p.pop("target", None)
    if rng.random() < 0.03:                             # measures an SS that is not on the map
        rng.choice(iku)["objective"] = f"SS{n_ss + 1}"
    if rng.random() < 0.01:                             # minimise-to-zero without a worst tolerable value
        for i in iku:
            if "worst_tolerable" in i:
                del i["worst_tolerable"]
                break
    if rng.random() < 0.08:                             # sub-IKU detailing a main IKU
        for _ in range(rng.randint(1, 2)):
            main = rng.choice(iku)
            attrs, periods = _periods(rng, "pct")
            sub = {"code": f"{main['code']}.{len(iku)}", "name": "Sub-IKU " + main["name"].lower(),
                   "objective": main["objective"], "parent_iku": main["code"], "origin": "N", **attrs,
                   "trajectory": "quarterly", "periods": periods}
            iku.append(sub)

    initiatives = []
    for k in range(rng.randint(2, 5)):
        supports = sorted({rng.choice(iku)["code"] for _ in range(rng.randint(1, 3))})
        n_ms = rng.randint(2, 4)
        init = {"name": f"Inisiatif strategis {k + 1}: " + rng.choice(
                    ["digitalisasi layanan", "klinik IKPA", "percepatan penyelesaian tagihan",
                     "penguatan manajemen risiko", "pengembangan kompetensi pegawai", "reviu proses bisnis"]),
                "output": rng.choice(["Aplikasi layanan daring", "Rencana aksi perbaikan", "Laporan evaluasi",
                                      "SOP baru yang ditetapkan", "Dashboard pemantauan"]),
                "iku": supports,
                "milestones": [{"period": QUARTERS[m], "target": rng.choice(
                    ["Penyusunan rencana", "Uji coba", "Implementasi", "Evaluasi", Decimal(25 * (m + 1))])}
                    for m in range(n_ms)],
                "completion_period": QUARTERS[n_ms - 1]}
        if rng.random() < 0.015:                        # incomplete initiative
            del init[rng.choice(["output", "milestones", "completion_period"])]
        initiatives.append(init)

    lines = [{"program": "Program Dukungan Manajemen", "activity": "Belanja pegawai",
              "amount": Decimal(rng.randint(2_000, 90_000) * 1_000_000)},
             {"program": "Program Dukungan Manajemen", "activity": "Belanja barang operasional",
              "amount": Decimal(rng.randint(300, 9_000) * 1_000_000)},
             {"program": "Program teknis", "activity": "Pelaksanaan tugas teknis",
              "amount": Decimal(rng.randint(100, 5_000) * 1_000_000)}]
    budget = {"total": sum((ln["amount"] for ln in lines), Decimal(0)), "lines": lines}
    if rng.random() < 0.02:
        del budget["total"]                             # budget lines without a total

    data = {
        "kind": "organization_contract",
        "title": f"Perjanjian Kinerja Tahun {year}",
        "unit": {"code": code, "name": name, "eselon": eselon, "parent": parent,
                 "owns_strategy_map": eselon < 3 or rng.random() < 0.5, "has_strategic_plan": eselon == 1},
        "year": year,
        "signed_on": f"{year}-01-{rng.randint(2, 31):02d}",
        "head": _person(rng, "Kepala " + name),
        "superior": _person(rng, "Atasan kepala " + name),
        "statement_of_commitment": True,
        "strategy_map": {"owner": code, "objectives": objectives},
        "iku": iku,
        "initiatives": initiatives,
        "budget": budget,
    }
    if rng.random() < 0.01:
        del data["strategy_map"]                        # no strategy map at all
    return data


def generate(n: int, seed: int = 300) -> list[dict]:
    """n contracts, the same for the same (n, seed)."""
    rng = random.Random(seed)
    return [contract(rng, k) for k in range(n)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=3)
    ap.add_argument("--seed", type=int, default=300)
    args = ap.parse_args()
    print(json.dumps(generate(args.n, args.seed), indent=1, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
