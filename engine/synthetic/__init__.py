"""A synthetic but realistic corpus: the Ministry of Finance's performance data, unit by unit.

Analysts compare regulations over many contracts, benchmarks need volume, and tests need records
that break known rules. `generate()` builds a Kemenkeu-shaped organisation and, for each unit and
performance year, one `organization_contract` (and, on request, one `employee_performance` file):

- the organisation: the ministry (Kemenkeu-Wide), eleven eselon I units (Setjen, Itjen, DJA, DJP,
  DJBC, DJPb, DJKN, DJPK, DJPPR, BKF, BPPK), their head-office directorates and regional offices
  (eselon II: Kanwil DJP / DJBC / DJPb / DJKN, Pusdiklat) and service offices (eselon III: KPP,
  KPPBC, KPPN, KPKNL, BDK). Units are taken from the catalogue in a weighted round-robin over the
  families, so any `units` count gives the same mix in miniature and every office's Kanwil comes
  before it. Past the catalogue (681 units) offices are repeated with a numeric suffix — only
  useful for load tests;
- each contract: a strategy map over the four perspectives (every SS measured by 1–3 IKU, the first
  one the unit's own), IKU drawn from its family's indicator templates (maximize / minimize /
  stabilize, sum / average / last consolidation, origin N / C / CP with cascade depth, validity and
  control, last year's figures), quarterly targets and realisations around target, IIAA achievement
  reports for every period that missed its target, strategic initiatives, a budget, the head's
  behaviour assessments per semester and, for a few heads, a mid-year start;
- a chosen share of records (`violations`) break exactly one rule on purpose; the rule is named in
  the record's `notes` ("Sengaja melanggar: pk-budget"), so tests and analysts know what to expect.
  Contract breaches are KMK 300/2022 rules; employee-file breaches PermenPAN-RB 6/2022 rules. Every
  other record is clean under both (KMK 467/2014 judges the same data by its own, different rules).

Everything is deterministic: each record is drawn from its own random stream seeded by (seed, year,
unit), so the same arguments give the same bytes, and changing `units` does not change the units
both runs share. Numbers are `Decimal` built from integers (two decimals), never from floats.
`write_jsonl` writes one record per line with exact decimal numbers; `write_yaml` one file per record.
"""
from __future__ import annotations

import datetime as _dt
import json
import random
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Iterator

PERSPECTIVES = ("stakeholder", "customer", "internal_process", "learning_growth")
QUARTERS = ("Q1", "Q2", "Q3", "Q4")
D0, D100 = Decimal(0), Decimal(100)

# Rules of kmk_300_2022 (contracts) and permenpan_6_2022 (employee files) the corpus breaks on purpose.
CONTRACT_BREACHES = (
    "pk-iku-count", "pk-strategy-map", "pk-budget", "iku-trajectory", "iku-target-quantitative",
    "iku-objective-known", "cascade-depth", "cascade-accompanied", "initiative-complete",
    "iku-quality-allowed", "addendum-required", "iiaa-report-present", "iiaa-report-complete",
)
EMPLOYEE_BREACHES = (
    "skp-tepat-waktu", "skp-ditandatangani", "skp-pejabat-penilai", "skp-hasil-kerja", "indikator-aspek",
    "perilaku-nilai-dasar", "perilaku-panduan", "rating-periodik", "distribusi-paling-banyak", "keberatan-tepat-waktu", "keberatan-diputus-atasan-penilai",
)
BREACH_NOTE = "Sengaja melanggar: "


# -- the organisation ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    eselon: int
    parent: str
    family: str          # the eselon I unit it belongs to (KEMENKEU for the ministry itself)
    kind: str            # kementerian, eselon1, direktorat, kanwil, kpp, kppbc, kppn, kpknl, bdk, pusdiklat
    owns_map: bool = True
    place: str = ""      # city or province
    parent_name: str = ""


ESELON_I = [
    ("SETJEN", "Sekretariat Jenderal"), ("ITJEN", "Inspektorat Jenderal"),
    ("DJA", "Direktorat Jenderal Anggaran"), ("DJP", "Direktorat Jenderal Pajak"),
    ("DJBC", "Direktorat Jenderal Bea dan Cukai"), ("DJPB", "Direktorat Jenderal Perbendaharaan"),
    ("DJKN", "Direktorat Jenderal Kekayaan Negara"), ("DJPK", "Direktorat Jenderal Perimbangan Keuangan"),
    ("DJPPR", "Direktorat Jenderal Pengelolaan Pembiayaan dan Risiko"), ("BKF", "Badan Kebijakan Fiskal"),
    ("BPPK", "Badan Pendidikan dan Pelatihan Keuangan"),
]

HEAD_OFFICE = {
    "SETJEN": ["Biro Perencanaan dan Keuangan", "Biro Sumber Daya Manusia", "Biro Hukum", "Biro Umum",
               "Biro Komunikasi dan Layanan Informasi", "Biro Organisasi dan Ketatalaksanaan",
               "Pusat Sistem Informasi dan Teknologi Keuangan", "Pusat Pembinaan Profesi Keuangan"],
    "ITJEN": ["Sekretariat Inspektorat Jenderal", "Inspektorat I", "Inspektorat II", "Inspektorat III",
              "Inspektorat IV", "Inspektorat V", "Inspektorat VII"],
    "DJA": ["Sekretariat Direktorat Jenderal Anggaran", "Direktorat Penyusunan APBN",
            "Direktorat Anggaran Bidang Perekonomian dan Kemaritiman", "Direktorat Sistem Penganggaran",
            "Direktorat Penerimaan Negara Bukan Pajak Sumber Daya Alam dan Kekayaan Negara Dipisahkan",
            "Direktorat Harmonisasi Peraturan Penganggaran"],
    "DJP": ["Sekretariat Direktorat Jenderal Pajak", "Direktorat Peraturan Perpajakan I",
            "Direktorat Pemeriksaan dan Penagihan", "Direktorat Data dan Informasi Perpajakan",
            "Direktorat Penyuluhan, Pelayanan, dan Hubungan Masyarakat", "Direktorat Keberatan dan Banding"],
    "DJBC": ["Sekretariat Direktorat Jenderal Bea dan Cukai", "Direktorat Teknis Kepabeanan",
             "Direktorat Penindakan dan Penyidikan", "Direktorat Fasilitas Kepabeanan",
             "Direktorat Teknis dan Fasilitas Cukai", "Direktorat Audit Kepabeanan dan Cukai"],
    "DJPB": ["Sekretariat Direktorat Jenderal Perbendaharaan", "Direktorat Pelaksanaan Anggaran",
             "Direktorat Pengelolaan Kas Negara", "Direktorat Akuntansi dan Pelaporan Keuangan",
             "Direktorat Sistem Perbendaharaan", "Direktorat Pembinaan Pengelolaan Keuangan BLU"],
    "DJKN": ["Sekretariat Direktorat Jenderal Kekayaan Negara", "Direktorat Barang Milik Negara",
             "Direktorat Piutang Negara dan Kekayaan Negara Lain-lain", "Direktorat Lelang",
             "Direktorat Penilaian", "Direktorat Kekayaan Negara Dipisahkan"],
    "DJPK": ["Sekretariat Direktorat Jenderal Perimbangan Keuangan", "Direktorat Dana Transfer Umum",
             "Direktorat Dana Transfer Khusus", "Direktorat Pajak Daerah dan Retribusi Daerah",
             "Direktorat Pembiayaan dan Kapasitas Daerah"],
    "DJPPR": ["Sekretariat Direktorat Jenderal Pengelolaan Pembiayaan dan Risiko", "Direktorat Surat Utang Negara",
              "Direktorat Pembiayaan Syariah", "Direktorat Pinjaman dan Hibah", "Direktorat Strategi dan Portofolio Pembiayaan",
              "Direktorat Pengelolaan Risiko Keuangan Negara"],
    "BKF": ["Sekretariat Badan Kebijakan Fiskal", "Pusat Kebijakan APBN", "Pusat Kebijakan Pendapatan Negara",
            "Pusat Kebijakan Ekonomi Makro", "Pusat Kebijakan Sektor Keuangan", "Pusat Kebijakan Regional dan Bilateral"],
    "BPPK": ["Sekretariat Badan Pendidikan dan Pelatihan Keuangan", "Pusdiklat Pajak", "Pusdiklat Bea dan Cukai",
             "Pusdiklat Anggaran dan Perbendaharaan", "Pusdiklat Kekayaan Negara dan Perimbangan Keuangan",
             "Pusdiklat Kepemimpinan dan Manajerial", "Pusdiklat Pengembangan Sumber Daya Manusia"],
}

# Provinces and a few of their cities (seats of service offices).
PROVINCES = {
    "Aceh": ["Banda Aceh", "Lhokseumawe", "Langsa", "Meulaboh"],
    "Sumatera Utara": ["Medan Kota", "Medan Belawan", "Binjai", "Pematangsiantar", "Kisaran", "Padangsidimpuan", "Sibolga"],
    "Sumatera Barat": ["Padang", "Bukittinggi", "Solok", "Painan"],
    "Riau": ["Pekanbaru", "Dumai", "Rengat", "Bengkalis"],
    "Kepulauan Riau": ["Batam", "Tanjung Pinang", "Tanjung Balai Karimun"],
    "Jambi": ["Jambi", "Muara Bungo", "Kuala Tungkal"],
    "Sumatera Selatan": ["Palembang", "Lubuk Linggau", "Baturaja", "Prabumulih", "Lahat"],
    "Bangka Belitung": ["Pangkalpinang", "Tanjung Pandan"],
    "Bengkulu": ["Bengkulu", "Curup"],
    "Lampung": ["Bandar Lampung", "Metro", "Kotabumi", "Kalianda"],
    "DKI Jakarta": ["Jakarta Gambir", "Jakarta Menteng", "Jakarta Tanah Abang", "Jakarta Kebayoran Baru",
                    "Jakarta Cakung", "Jakarta Kelapa Gading", "Jakarta Tanjung Priok", "Jakarta Palmerah"],
    "Banten": ["Serang", "Tangerang", "Cilegon", "Rangkasbitung", "Pandeglang"],
    "Jawa Barat": ["Bandung", "Bogor", "Bekasi", "Cirebon", "Tasikmalaya", "Sukabumi", "Purwakarta", "Garut", "Karawang"],
    "Jawa Tengah": ["Semarang", "Surakarta", "Purwokerto", "Tegal", "Pekalongan", "Magelang", "Kudus", "Klaten", "Cilacap"],
    "DI Yogyakarta": ["Yogyakarta", "Wonosari", "Wates"],
    "Jawa Timur": ["Surabaya", "Malang", "Kediri", "Madiun", "Jember", "Banyuwangi", "Sidoarjo", "Probolinggo", "Pamekasan"],
    "Bali": ["Denpasar", "Singaraja", "Tabanan", "Klungkung"],
    "Nusa Tenggara Barat": ["Mataram", "Bima", "Sumbawa Besar"],
    "Nusa Tenggara Timur": ["Kupang", "Ende", "Atambua", "Waingapu", "Ruteng"],
    "Kalimantan Barat": ["Pontianak", "Singkawang", "Sintang", "Ketapang"],
    "Kalimantan Tengah": ["Palangka Raya", "Sampit", "Pangkalan Bun"],
    "Kalimantan Selatan": ["Banjarmasin", "Banjarbaru", "Kotabaru", "Barabai"],
    "Kalimantan Timur": ["Samarinda", "Balikpapan", "Bontang", "Tenggarong"],
    "Kalimantan Utara": ["Tarakan", "Tanjung Selor"],
    "Sulawesi Utara": ["Manado", "Bitung", "Kotamobagu"],
    "Gorontalo": ["Gorontalo", "Marisa"],
    "Sulawesi Tengah": ["Palu", "Luwuk", "Poso", "Tolitoli"],
    "Sulawesi Barat": ["Mamuju", "Majene"],
    "Sulawesi Selatan": ["Makassar", "Parepare", "Palopo", "Watampone", "Bulukumba", "Pinrang"],
    "Sulawesi Tenggara": ["Kendari", "Baubau", "Kolaka"],
    "Maluku": ["Ambon", "Tual", "Masohi"],
    "Maluku Utara": ["Ternate", "Tobelo"],
    "Papua Barat": ["Manokwari", "Sorong", "Fakfak"],
    "Papua": ["Jayapura", "Merauke", "Biak", "Nabire", "Timika", "Wamena"],
}
# DJBC and DJKN regional offices cover groups of provinces.
DJBC_REGIONS = {
    "Aceh": ["Aceh"], "Sumatera Utara": ["Sumatera Utara"], "Riau": ["Riau", "Jambi"],
    "Khusus Kepulauan Riau": ["Kepulauan Riau"], "Sumatera Bagian Barat": ["Sumatera Barat", "Bengkulu"],
    "Sumatera Bagian Timur": ["Sumatera Selatan", "Bangka Belitung", "Lampung"], "Banten": ["Banten"],
    "Jakarta": ["DKI Jakarta"], "Jawa Barat": ["Jawa Barat"], "Jawa Tengah dan DI Yogyakarta": ["Jawa Tengah", "DI Yogyakarta"],
    "Jawa Timur I": ["Jawa Timur"], "Bali, NTB, dan NTT": ["Bali", "Nusa Tenggara Barat", "Nusa Tenggara Timur"],
    "Kalimantan Bagian Barat": ["Kalimantan Barat", "Kalimantan Tengah"],
    "Kalimantan Bagian Timur": ["Kalimantan Selatan", "Kalimantan Timur", "Kalimantan Utara"],
    "Sulawesi Bagian Selatan": ["Sulawesi Selatan", "Sulawesi Tenggara", "Sulawesi Barat"],
    "Sulawesi Bagian Utara": ["Sulawesi Utara", "Gorontalo", "Sulawesi Tengah"],
    "Maluku": ["Maluku", "Maluku Utara"], "Papua": ["Papua", "Papua Barat"],
}
DJKN_REGIONS = {
    "Aceh": ["Aceh"], "Sumatera Utara": ["Sumatera Utara"], "Riau dan Kepulauan Riau": ["Riau", "Kepulauan Riau"],
    "Sumatera Barat dan Jambi": ["Sumatera Barat", "Jambi"],
    "Sumatera Selatan, Jambi, dan Bangka Belitung": ["Sumatera Selatan", "Bangka Belitung"],
    "Lampung dan Bengkulu": ["Lampung", "Bengkulu"], "DKI Jakarta": ["DKI Jakarta"], "Banten": ["Banten"],
    "Jawa Barat": ["Jawa Barat"], "Jawa Tengah dan DI Yogyakarta": ["Jawa Tengah", "DI Yogyakarta"],
    "Jawa Timur": ["Jawa Timur"], "Bali dan Nusa Tenggara": ["Bali", "Nusa Tenggara Barat", "Nusa Tenggara Timur"],
    "Kalimantan Barat": ["Kalimantan Barat"],
    "Kalimantan Selatan dan Tengah": ["Kalimantan Selatan", "Kalimantan Tengah"],
    "Kalimantan Timur dan Utara": ["Kalimantan Timur", "Kalimantan Utara"],
    "Sulawesi Selatan, Tenggara, dan Barat": ["Sulawesi Selatan", "Sulawesi Tenggara", "Sulawesi Barat"],
    "Sulawesi Utara, Tengah, Gorontalo, dan Maluku Utara": ["Sulawesi Utara", "Sulawesi Tengah", "Gorontalo", "Maluku Utara"],
    "Papua, Papua Barat, dan Maluku": ["Papua", "Papua Barat", "Maluku"],
}
BDK = ["Medan", "Pekanbaru", "Palembang", "Cimahi", "Yogyakarta", "Malang", "Denpasar", "Balikpapan", "Makassar", "Manado"]


def _slug(text: str) -> str:
    out = "".join(c if c.isalnum() else "-" for c in text.upper())
    while "--" in out:
        out = out.replace("--", "-")
    return out.strip("-")


def _streams() -> list[list[Unit]]:
    """The catalogue as streams (one per family and layer); each office follows its Kanwil."""
    head_office = []
    for code, _ in ESELON_I:
        for name in HEAD_OFFICE[code]:
            kind = "pusdiklat" if name.startswith("Pusdiklat") else "direktorat"
            head_office.append(Unit(f"{code}-{_slug(name)}"[:60], name, 2, code, code, kind,
                                    parent_name=dict(ESELON_I)[code]))
    djp, djbc, djpb, djkn = [], [], [], []
    for province, cities in PROVINCES.items():
        kanwil = Unit(f"KANWIL-DJP-{_slug(province)}", f"Kantor Wilayah DJP {province}", 2, "DJP", "DJP", "kanwil",
                      place=province, parent_name=dict(ESELON_I)["DJP"])
        djp.append(kanwil)
        djp.append(Unit(f"KPP-MADYA-{_slug(cities[0])}", f"Kantor Pelayanan Pajak Madya {cities[0]}", 3,
                        kanwil.code, "DJP", "kpp", place=cities[0], parent_name=kanwil.name))
        djp += [Unit(f"KPP-PRATAMA-{_slug(c)}", f"Kantor Pelayanan Pajak Pratama {c}", 3, kanwil.code, "DJP", "kpp",
                     place=c, parent_name=kanwil.name) for c in cities]
        kanwil = Unit(f"KANWIL-DJPB-{_slug(province)}", f"Kantor Wilayah DJPb Provinsi {province}", 2, "DJPB",
                      "DJPB", "kanwil", place=province, parent_name=dict(ESELON_I)["DJPB"])
        djpb.append(kanwil)
        djpb += [Unit(f"KPPN-{_slug(c)}", f"Kantor Pelayanan Perbendaharaan Negara (KPPN) {c}", 3, kanwil.code,
                      "DJPB", "kppn", place=c, parent_name=kanwil.name) for c in cities]
    for region, provinces in DJBC_REGIONS.items():
        kanwil = Unit(f"KANWIL-DJBC-{_slug(region)}", f"Kantor Wilayah DJBC {region}", 2, "DJBC", "DJBC", "kanwil",
                      place=region, parent_name=dict(ESELON_I)["DJBC"])
        djbc.append(kanwil)
        djbc += [Unit(f"KPPBC-{_slug(c)}", f"Kantor Pengawasan dan Pelayanan Bea dan Cukai {c}", 3, kanwil.code,
                      "DJBC", "kppbc", place=c, parent_name=kanwil.name) for p in provinces for c in PROVINCES[p][:3]]
    for region, provinces in DJKN_REGIONS.items():
        kanwil = Unit(f"KANWIL-DJKN-{_slug(region)}", f"Kantor Wilayah DJKN {region}", 2, "DJKN", "DJKN", "kanwil",
                      place=region, parent_name=dict(ESELON_I)["DJKN"])
        djkn.append(kanwil)
        djkn += [Unit(f"KPKNL-{_slug(c)}", f"Kantor Pelayanan Kekayaan Negara dan Lelang (KPKNL) {c}", 3, kanwil.code,
                      "DJKN", "kpknl", place=c, parent_name=kanwil.name) for p in provinces for c in PROVINCES[p][:2]]
    bdk = [Unit(f"BDK-{_slug(c)}", f"Balai Diklat Keuangan {c}", 3, "BPPK", "BPPK", "bdk", place=c,
                parent_name=dict(ESELON_I)["BPPK"]) for c in BDK]
    return [head_office, djp, djbc, djpb, djkn, bdk]


def catalogue_size() -> int:
    """Units in the catalogue: the ministry, eselon I, head offices, regional and service offices."""
    return 1 + len(ESELON_I) + sum(len(s) for s in _streams())


def organisation(units: int) -> list[Unit]:
    """`units` units: the ministry, the eselon I units, then a proportional mix of the rest."""
    top = [Unit("KEMENKEU", "Kementerian Keuangan", 0, "", "KEMENKEU", "kementerian")]
    top += [Unit(code, name, 1, "KEMENKEU", code, "eselon1", parent_name="Kementerian Keuangan")
            for code, name in ESELON_I]
    if units <= len(top):
        return top[:max(units, 0)]
    streams = _streams()
    out = list(top)
    total = sum(len(s) for s in streams)
    rounds = 0
    while len(out) < units:
        # smooth weighted round robin over the streams, weights = stream lengths
        credit = [0] * len(streams)
        pos = [0] * len(streams)
        for _ in range(total):
            for k, s in enumerate(streams):
                credit[k] += len(s)
            k = max(range(len(streams)), key=lambda j: (credit[j], -j))
            credit[k] -= total
            unit = streams[k][pos[k]]
            pos[k] += 1
            if rounds:  # past the catalogue: repeat offices with a suffix (load tests only)
                if unit.eselon != 3:
                    continue
                unit = replace(unit, code=f"{unit.code}-{rounds + 1}", name=f"{unit.name} {rounds + 1}")
            out.append(unit)
            if len(out) == units:
                return out
        rounds += 1
    return out


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

FIRST_NAMES = ["Ratna", "Bambang", "Siti", "Agus", "Dian", "Hendra", "Yuliana", "Eko", "Wahyu", "Lestari", "Rudi",
               "Nur", "Dewi", "Andi", "Rina", "Fajar", "Putri", "Joko", "Made", "Ketut", "Teguh", "Indah", "Arif",
               "Sri", "Bayu", "Maria", "Yohanes", "Fitri", "Rizky", "Ahmad", "Kartika", "Hasan", "Lina", "Gita"]
LAST_NAMES = ["Santoso", "Wijaya", "Rahmawati", "Prasetyo", "Hidayat", "Handayani", "Hartono", "Aini", "Saputra",
              "Nugroho", "Kusuma", "Siregar", "Nasution", "Harahap", "Sembiring", "Tanjung", "Simanjuntak",
              "Wibowo", "Setiawan", "Pratama", "Susanti", "Utami", "Gunawan", "Lubis", "Pohan", "Putra",
              "Manurung", "Pangaribuan", "Situmorang", "Lestari", "Sari", "Mahendra", "Suryadi", "Purba"]


def dec2(hundredths: int) -> Decimal:
    """A Decimal with two decimals from an integer number of hundredths (built from text)."""
    sign = "-" if hundredths < 0 else ""
    q, r = divmod(abs(hundredths), 100)
    return Decimal(f"{sign}{q}.{r:02d}")


def _around(rng: random.Random, value: Decimal, low_pct: int, high_pct: int) -> Decimal:
    return dec2(int(value * 100) * rng.randint(low_pct * 10, high_pct * 10) // 1000)


def _series(rng: random.Random, kind: str, big: bool, weak_share: float = 0.1
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
        real = [min(_around(rng, t, *up), cap) for _ in range(4)]
        attrs.update(polarity="maximize", consolidation=rng.choice(["average", "last"]),
                     measure={"pct": "%", "score": "nilai", "index100": "indeks", "pct_growth": "%"}[kind])
    elif kind == "index5":
        t = dec2(rng.randint(400, 460))
        targets = [t] * 4
        real = [min(_around(rng, t, up[0] + 4, up[1] - 4), Decimal(5)) for _ in range(4)]
        attrs.update(polarity="maximize", consolidation=rng.choice(["last", "average"]), measure="indeks (skala 5)")
    elif kind == "pct_max":
        targets = [D100] * 4
        real = [D100 if rng.random() < (0.4 if weak else 0.97) else dec2(rng.randint(9200, 9999)) for _ in range(4)]
        attrs.update(polarity="maximize", consolidation=rng.choice(["average", "last"]), target_kind="maximum",
                     measure="%")
    elif kind == "cumulative":
        targets = [Decimal(25), Decimal(50), Decimal(75), D100]
        real = [min(_around(rng, t, *up), D100) for t in targets]
        attrs.update(polarity="maximize", consolidation="last", measure="%")
    elif kind in ("count", "count_big"):
        per_q = rng.randint(200, 900) if kind == "count_big" or big else rng.randint(2, 6)
        targets = [Decimal(per_q)] * 4
        real = [Decimal(max(0, per_q * rng.randint(up[0], up[1] + 10) // 100)) for _ in range(4)]
        attrs.update(polarity="maximize", consolidation="sum", measure="wajib pajak" if kind == "count_big" else "dokumen")
    elif kind == "pct_low":
        t = dec2(rng.randint(100, 300))
        targets = [t] * 4
        real = [_around(rng, t, *down) for _ in range(4)]
        attrs.update(polarity="minimize", consolidation="average", measure="%")
    elif kind == "days":
        t = Decimal(rng.randint(2, 10))
        targets = [t] * 4
        real = [_around(rng, t, down[0] + 10, down[1]) for _ in range(4)]
        attrs.update(polarity="minimize", consolidation=rng.choice(["average", "last"]), measure="hari")
    elif kind == "zero":
        targets = [D0] * 4
        real = [Decimal(rng.choice([0, 1, 2]) if weak else 0) for _ in range(4)]
        attrs.update(polarity="minimize", consolidation=rng.choice(["sum", "last"]), measure="kejadian",
                     worst_tolerable=Decimal(rng.randint(4, 10)))
    else:  # "stab": stabilize around a target, e.g. budget absorption or DIPA deviation
        t = Decimal(rng.choice([5, 90, 95]))
        targets = [t] * 4
        real = [_around(rng, t, *((82, 118) if weak else (93, 107))) for _ in range(4)]
        attrs.update(polarity="stabilize", consolidation=rng.choice(["average", "last"]), measure="%")
    last_target = targets[-1] if attrs["consolidation"] != "sum" else sum(targets, D0)
    last_real = _around(rng, last_target, 90, 110) if last_target else Decimal(rng.choice([0, 1]))
    return attrs, targets, real, last_target, last_real


def _misses(attrs: dict, target: Decimal, real: Decimal) -> bool:
    """Would the period's capaian fall below 100 (so an IIAA report is due)? Errs on the side of
    reporting: an extra report breaks no rule, a missing one does."""
    polarity = attrs["polarity"]
    if attrs.get("target_kind") == "maximum" and (real <= target if polarity == "minimize" else real >= target):
        return False
    if polarity == "maximize":
        return real < target
    if polarity == "minimize":
        return real > target
    if not target:
        return True
    ratio = real / target * 100
    ca = ratio if real <= target else 200 - ratio
    return ca < 90


# -- people -------------------------------------------------------------------------------------

def _nip(rng: random.Random, born: int | None = None, female: bool | None = None) -> str:
    born = born or rng.randint(1966, 1998)
    start = max(born + 22, 1988) + rng.randint(0, 6)
    sex = (2 if female else 1) if female is not None else rng.randint(1, 2)
    return f"{born}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{min(start, 2023)}{rng.randint(1, 12):02d}{sex}{rng.randint(1, 12):03d}"


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _head_position(unit: Unit) -> str:
    if unit.kind == "kementerian":
        return "Menteri Keuangan"
    if unit.kind == "eselon1":
        if unit.name.startswith("Direktorat Jenderal"):
            return unit.name.replace("Direktorat Jenderal", "Direktur Jenderal", 1)
        return {"SETJEN": "Sekretaris Jenderal", "ITJEN": "Inspektur Jenderal"}.get(unit.code, f"Kepala {unit.name}")
    if unit.kind == "direktorat":
        return ("Sekretaris" if unit.name.startswith("Sekretariat") else "Kepala" if unit.name.startswith(("Biro", "Pusat"))
                else "Inspektur" if unit.name.startswith("Inspektorat") else "Direktur") + " " + unit.name.split(" ", 1)[1]
    return f"Kepala {unit.name}"


def _parent(unit: Unit) -> Unit:
    eselon = max(unit.eselon - 1, 0)
    kind = {0: "kementerian", 1: "eselon1"}.get(eselon, "kanwil")
    return Unit(unit.parent, unit.parent_name, eselon, "", unit.family, kind)


# -- one contract --------------------------------------------------------------------------------

def _iku_templates(unit: Unit) -> dict[str, list[tuple]]:
    family = IKU_FAMILY.get(unit.family, IKU_POLICY)
    return {"stakeholder": family.get("stakeholder", IKU_POLICY["stakeholder"]),
            "customer": IKU_GENERIC["customer"],
            "internal_process": family.get("internal_process", IKU_POLICY["internal_process"]),
            "learning_growth": IKU_GENERIC["learning_growth"]}


def contract(unit: Unit, year: int, rng: random.Random, breach: str | None = None) -> dict:
    """One unit's performance agreement for `year`; clean unless `breach` names a rule to break."""
    kk = year < 2023                                   # KMK 467 era: Kontrak Kinerja
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

    # Every SS is measured by one to three IKU; the first of each is the unit's own (origin N).
    counts = [1] * n_ss
    while sum(counts) < n_iku:
        k = rng.randrange(n_ss)
        if counts[k] < 3:
            counts[k] += 1
    weak_share = rng.choice([0.05, 0.05, 0.1, 0.1, 0.2, 0.6, 0.9])   # how often this unit's IKU fall short
    mid_year = rng.random() < 0.06
    reported = rng.choice([2, 3]) if mid_year else 4
    templates = _iku_templates(unit)
    iku, reports = [], []
    for k, (objective, count) in enumerate(zip(objectives, counts)):
        pool = list(templates[objective["perspective"]])
        rng.shuffle(pool)
        pool.sort(key=lambda t: t[2] == "activity")     # an SS is led by an exact or proxy measure
        for j in range(count):
            name, kind, validity, control = pool[j % len(pool)]
            origin = "N" if j == 0 or unit.eselon <= 1 else rng.choice(["N", "N", "C", "C", "CP"])
            attrs, targets, real, last_t, last_r = _series(rng, kind, unit.eselon <= 1, weak_share)
            code = f"{k + 1}{'abc'[j]}-{origin}"
            item: dict[str, Any] = {"code": code, "name": name if j < len(pool) else f"{name} (lanjutan)",
                                    "objective": objective["code"], "origin": origin}
            if origin != "N":
                item["cascade"] = {"source": f"{unit.parent}:{k + 1}a-N",
                                   "method": "direct" if origin == "C" else "indirect",
                                   "depth": 1 if unit.eselon == 2 or rng.random() < 0.7 else 2}
            item.update(attrs)
            if rng.random() < 0.03 and validity == "activity":
                control = "high"                        # allowed by KMK 300; KMK 467 forbids it for owners
            item["validity"], item["control"] = validity, control
            item["trajectory"] = "quarterly"
            item["annual_target"] = sum(targets, D0) if attrs["consolidation"] == "sum" else targets[-1]
            item["last_year"] = {"target": last_t, "realization": last_r}
            periods = []
            for q, (t, r) in enumerate(zip(targets, real)):
                period: dict[str, Any] = {"period": QUARTERS[q], "target": t}
                if q < reported:
                    period["realization"] = r
                    if unit.eselon >= 1 and _misses(attrs, t, r):
                        reports.append(_iiaa(rng, unit, year, code, q))
                periods.append(period)
            item["periods"] = periods
            iku.append(item)

    data: dict[str, Any] = {
        "kind": "organization_contract",
        "title": f"{'Kontrak Kinerja' if kk else 'Perjanjian Kinerja'} Tahun {year}",
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
    head = {"name": _name(rng), "nip": _nip(rng), "position": _head_position(unit), "position_kind": "structural"}
    if unit.eselon >= 1 and rng.random() < 0.05:        # the head took office during the year
        reason = rng.choice(["transfer_in", "transfer_in", "returned_from_study", "returned_from_secondment"])
        start = _dt.date(year, rng.randint(2, 9), rng.randint(1, 28))
        head.update(started_on=start.isoformat(), start_reason=reason)
        data["signed_on"] = (start + _dt.timedelta(days=rng.randint(2, 14))).isoformat()
    data["head"] = head
    if unit.eselon >= 1:
        data["superior"] = {"name": _name(rng), "nip": _nip(rng), "position": _head_position(_parent(unit))}
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
        _break_contract(data, breach, rng, unit)
        notes += f" {BREACH_NOTE}{breach}."
    data["notes"] = notes
    return data


def _behaviour(rng: random.Random, period: str) -> dict:
    base = rng.randint(78, 90)
    out: dict[str, Any] = {"period": period}
    for aspect in ("service_orientation", "integrity", "commitment", "discipline", "cooperation", "leadership"):
        out[aspect] = dec2((base + rng.randint(-5, 6)) * 100 + rng.choice([0, 0, 25, 50, 75]))
    return out


ISSUES = ["Keterlambatan data dari satker mitra kerja", "Gangguan aplikasi pada akhir triwulan",
          "Pergeseran jadwal kegiatan karena kebijakan efisiensi", "Kompleksitas kasus di atas perkiraan",
          "Keterbatasan jumlah pegawai fungsional", "Penyesuaian regulasi yang baru berlaku"]


def _iiaa(rng: random.Random, unit: Unit, year: int, code: str, quarter: int) -> dict:
    end = _dt.date(year, 3 * (quarter + 1), 30 if quarter in (1, 2) else 31)
    return {
        "iku": code, "period": QUARTERS[quarter],
        "reported_on": (end + _dt.timedelta(days=rng.randint(5, 15))).isoformat(),
        "issues": rng.choice(ISSUES),
        "implication": f"Target {QUARTERS[quarter]} IKU {code} tidak tercapai; target tahunan masih dapat dicapai",
        "accountability": f"Penanggung jawab IKU {code} pada {unit.name}",
        "action_plan": rng.choice(["Percepatan kegiatan pada triwulan berikutnya",
                                   "Koordinasi intensif dengan mitra kerja", "Penambahan sumber daya sementara"]),
        "raw_data": [f"Ekstrak data {code} {QUARTERS[quarter]} {year}"],
        "supporting_documents": [f"Nota dinas laporan capaian {QUARTERS[quarter]}"],
        "verification_documents": [f"Lembar verifikasi Unit Kepatuhan Internal {QUARTERS[quarter]}"],
    }


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


def _break_contract(data: dict, rule: str, rng: random.Random, unit: Unit) -> None:
    """Make the clean contract break exactly `rule` of kmk_300_2022."""
    iku = data["iku"]
    owned_by = {s["code"]: [i for i in iku if i["objective"] == s["code"]] for s in data["strategy_map"]["objectives"]}
    if rule == "pk-iku-count":           # too many IKU: copies of the last IKU on its SS (N, so nothing else fires)
        last = iku[-1]
        for n in range(21 - len(iku) + rng.randint(0, 2)):
            extra = json.loads(dumps(last), parse_float=Decimal, parse_int=Decimal)
            extra["code"] = f"{last['code'].split('-')[0]}{n + 2}-N"
            extra["origin"] = "N"
            extra.pop("cascade", None)
            extra["name"] = f"{last['name']} ({n + 2})"
            iku.append(extra)
            for r in [r for r in data.get("achievement_reports", []) if r["iku"] == last["code"]]:
                data["achievement_reports"].append(dict(r, iku=extra["code"]))
    elif rule == "pk-strategy-map":
        del data["strategy_map"]
    elif rule == "pk-budget":
        del data["budget"]["total"]
    elif rule == "iku-trajectory":       # realisations without targets
        item = rng.choice(iku)
        for p in item["periods"]:
            p.pop("target", None)
        data["achievement_reports"] = [r for r in data.get("achievement_reports", []) if r["iku"] != item["code"]]
    elif rule == "iku-target-quantitative":
        rng.choice(iku)["annual_target"] = "Tersusunnya laporan evaluasi yang berkualitas"
    elif rule == "iku-objective-known":  # a second IKU of an SS claims an SS that is not on the map
        candidates = [i for items in owned_by.values() for i in items[1:]] or iku
        rng.choice(candidates)["objective"] = f"SS{len(owned_by) + 1}"
    elif rule == "cascade-depth":
        item = rng.choice([i for items in owned_by.values() for i in items[1:]] or iku[1:])
        _recode(data, item, "C")
        item["cascade"] = {"source": f"{unit.parent or 'KEMENKEU'}:1a-N", "method": "direct", "depth": 3}
    elif rule == "cascade-accompanied":  # every IKU of the SS with the fewest becomes a direct cascade
        code = min(owned_by, key=lambda c: len(owned_by[c]))
        for item in owned_by[code]:
            _recode(data, item, "C")
            item["cascade"] = {"source": f"{unit.parent or 'KEMENKEU'}:1a-N", "method": "direct", "depth": 1}
    elif rule == "initiative-complete":
        del rng.choice(data["initiatives"])[rng.choice(["output", "milestones", "completion_period"])]
    elif rule == "iku-quality-allowed":
        item = rng.choice(iku)
        item["validity"], item["control"] = rng.choice([("exact", "high"), ("activity", "low")])
    elif rule == "addendum-required":    # Q2 realisation already meets the rising Q3 target
        item = rng.choice(iku)
        item.update(polarity="maximize", consolidation="last", target_kind="normal", annual_target=D100)
        item.pop("worst_tolerable", None)
        item["periods"] = [{"period": "Q1", "target": Decimal(25), "realization": Decimal(40)},
                           {"period": "Q2", "target": Decimal(50), "realization": Decimal(80)},
                           {"period": "Q3", "target": Decimal(75)}, {"period": "Q4", "target": D100}]
        data["achievement_reports"] = [r for r in data.get("achievement_reports", []) if r["iku"] != item["code"]]
    elif rule == "iiaa-report-present":
        reports = data.get("achievement_reports", [])
        if reports:
            reports.pop(rng.randrange(len(reports)))
        else:
            item = next(i for i in iku if i["polarity"] == "maximize" and i.get("target_kind") == "normal"
                        and "realization" in i["periods"][0])
            item["periods"][0]["realization"] = dec2(int(item["periods"][0]["target"] * 80))
        if not data.get("achievement_reports"):
            data.pop("achievement_reports", None)
    elif rule == "iiaa-report-complete":
        reports = data.setdefault("achievement_reports", [])
        if not reports:
            reports.append(_iiaa(rng, unit, data["year"], iku[0]["code"], 0))
        del rng.choice(reports)[rng.choice(["issues", "implication", "accountability", "action_plan",
                                            "raw_data", "supporting_documents", "verification_documents"])]
    else:
        raise ValueError(f"unknown breach '{rule}'; known: {', '.join(CONTRACT_BREACHES)}")


def _recode(data: dict, item: dict, origin: str) -> None:
    """Give an IKU another origin; its code's suffix and every reference to the code follow."""
    old, new = item["code"], item["code"].rsplit("-", 1)[0] + "-" + origin
    item["code"], item["origin"] = new, origin
    for r in data.get("achievement_reports", []):
        if r["iku"] == old:
            r["iku"] = new
    for n in data.get("initiatives", []):
        n["iku"] = [new if c == old else c for c in n.get("iku", [])]


# -- one unit's employees ------------------------------------------------------------------------

CORE_VALUES = {
    "berorientasi_pelayanan": ["Memahami dan memenuhi kebutuhan masyarakat", "Ramah, cekatan, solutif, dan dapat diandalkan",
                               "Melakukan perbaikan tiada henti"],
    "akuntabel": ["Melaksanakan tugas dengan jujur, bertanggung jawab, cermat, disiplin, dan berintegritas tinggi",
                  "Menggunakan kekayaan dan barang milik negara secara bertanggung jawab, efektif, dan efisien",
                  "Tidak menyalahgunakan kewenangan jabatan"],
    "kompeten": ["Meningkatkan kompetensi diri untuk menjawab tantangan yang selalu berubah",
                 "Membantu orang lain belajar", "Melaksanakan tugas dengan kualitas terbaik"],
    "harmonis": ["Menghargai setiap orang apa pun latar belakangnya", "Suka menolong orang lain",
                 "Membangun lingkungan kerja yang kondusif"],
    "loyal": ["Memegang teguh ideologi Pancasila dan UUD 1945", "Menjaga nama baik sesama ASN, pimpinan, instansi, dan negara",
              "Menjaga rahasia jabatan dan negara"],
    "adaptif": ["Cepat menyesuaikan diri menghadapi perubahan", "Terus berinovasi dan mengembangkan kreativitas",
                "Bertindak proaktif"],
    "kolaboratif": ["Memberi kesempatan kepada berbagai pihak untuk berkontribusi",
                    "Terbuka dalam bekerja sama untuk menghasilkan nilai tambah",
                    "Menggerakkan pemanfaatan berbagai sumber daya untuk tujuan bersama"],
}
ATAS, SESUAI, BAWAH = "Di Atas Ekspektasi", "Sesuai Ekspektasi", "Di Bawah Ekspektasi"
RATINGS = {"Sangat Baik": [(ATAS, ATAS)], "Baik": [(SESUAI, SESUAI), (SESUAI, SESUAI), (ATAS, SESUAI), (SESUAI, ATAS)],
           "Butuh Perbaikan": [(BAWAH, SESUAI), (BAWAH, ATAS)], "Kurang/Misconduct": [(SESUAI, BAWAH), (ATAS, BAWAH)],
           "Sangat Kurang": [(BAWAH, BAWAH)]}
STAFF_LEVEL = {0: "pejabat_negara", 1: "jpt_madya", 2: "jpt_pratama", 3: "administrator", 4: "pengawas"}


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
    head_level = STAFF_LEVEL[unit.eselon]
    head = {"nip": head_nip, "name": head_name, "position_level": head_level}
    above = {"nip": _nip(rng), "name": _name(rng), "position_level": STAFF_LEVEL[max(unit.eselon - 1, 0)],
             "position": "Pimpinan unit atasan"}
    above_2 = {"nip": _nip(rng), "name": _name(rng), "position_level": STAFF_LEVEL[max(unit.eselon - 2, 0)]}
    section_level = STAFF_LEVEL.get(unit.eselon + 1, "pengawas")
    sections = [{"nip": _nip(rng), "name": _name(rng), "position_level": section_level,
                 "position": f"Kepala Seksi/Bidang {k + 1} {unit.name}"} for k in range(n_sections)]
    org = rng.choices(["Istimewa", "Baik", "Butuh Perbaikan"], [3, 6, 1])[0]
    counted = n_sections + (size - n_sections - 1)
    mix = _predikat_mix(rng, org, counted)
    rng.shuffle(mix)
    people = [dict(head, position=_head_position(unit), unit_head=True, rater=above, rater_superior=above_2)]
    for k, s in enumerate(sections):
        people.append(dict(s, rater=dict(head, position=_head_position(unit)), rater_superior=above))
    for k in range(size - n_sections - 1):
        s = sections[k % n_sections]
        level = "fungsional" if rng.random() < 0.25 else "pelaksana"
        people.append({"nip": _nip(rng, rng.randint(1975, 2001)), "name": _name(rng), "position_level": level,
                       "position": "Pranata Komputer Ahli Pertama" if level == "fungsional" else "Pelaksana",
                       "rater": s, "rater_superior": dict(head, position=_head_position(unit))})
    head_predikat = rng.choice(["Baik", "Sangat Baik"])
    out = []
    for k, p in enumerate(people):
        predikat = head_predikat if k == 0 else mix[k - 1]
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
            {"name": rng.choice(["Persentase penyelesaian tugas tepat waktu", "Jumlah dokumen yang diproses",
                                 "Tingkat akurasi data", "Indeks kepuasan pengguna layanan",
                                 "Persentase rekomendasi yang ditindaklanjuti"]) + f" ({j + 1})",
             "aspect": aspect, "target": Decimal(t), "measure": measure,
             "realization": Decimal(t * rng.randint(85, 115) // 100)}
            for j, (aspect, t, measure) in enumerate(rng.sample(
                [("quantity", 120, "dokumen"), ("quality", 95, "%"), ("time", 12, "bulan"), ("cost", 100, "%"),
                 ("quantity", 48, "laporan")], rng.randint(2, 4)))]
        e["core_values"] = [{"value": v, "behaviours": list(b)} for v, b in CORE_VALUES.items()]
        e["ratings"] = [{"period": q, "result": rng.choice([result, SESUAI]), "behaviour": rng.choice([behaviour, SESUAI])}
                        for q in QUARTERS]
        e["annual_rating"] = {"result": result, "behaviour": behaviour}
        if k and rng.random() < 0.01:                # an appeal, filed and decided in time
            received = _dt.date(year + 1, 1, rng.randint(5, 20))
            e["appeal"] = {"result_received_on": received.isoformat(),
                           "filed_on": (received + _dt.timedelta(days=rng.randint(1, 14))).isoformat(),
                           "decided_by": e["rater_superior"]["nip"],
                           "decided_on": (received + _dt.timedelta(days=rng.randint(20, 40))).isoformat(),
                           "outcome": rng.choice(["accepted", "partially_accepted", "rejected"])}
        out.append(e)
    data = {"kind": "employee_performance", "title": f"Rekapitulasi Evaluasi Kinerja Pegawai Tahun {year}",
            "unit": {"code": unit.code, "name": unit.name, "eselon": unit.eselon, "organization": "Kementerian Keuangan"},
            "year": year, "organization_predikat": org, "organization_predikat_set_on": f"{year + 1}-01-15",
            "evaluation_periods": list(QUARTERS), "employees": out}
    if unit.parent:
        data["unit"]["parent"] = unit.parent
    notes = f"Data sintetis (kinerja generate), pegawai {unit.code} tahun {year}."
    if breach:
        _break_employees(data, breach, rng)
        notes += f" {BREACH_NOTE}{breach}."
    data["notes"] = notes
    return data


def _break_employees(data: dict, rule: str, rng: random.Random) -> None:
    staff = data["employees"][1:]
    e = rng.choice(staff)
    year = data["year"]
    if rule == "skp-tepat-waktu":
        e["skp"]["set_on"] = f"{year}-02-{rng.randint(1, 28):02d}"
    elif rule == "skp-ditandatangani":
        e["skp"]["signed_by_rater"] = False
    elif rule == "skp-pejabat-penilai":  # rated by a fellow executor without delegation
        other = next(x for x in staff if x["position_level"] in ("pelaksana", "fungsional") and x is not e)
        e["rater"] = {"nip": other["nip"], "name": other["name"], "position_level": "pelaksana"}
    elif rule == "skp-hasil-kerja":
        e["result_indicators"] = []
    elif rule == "indikator-aspek":
        e["result_indicators"][0]["aspect"] = "kehadiran"
    elif rule == "perilaku-nilai-dasar":
        e["core_values"] = [c for c in e["core_values"] if c["value"] != "kolaboratif"]
    elif rule == "perilaku-panduan":
        e["core_values"][0]["behaviours"] = e["core_values"][0]["behaviours"][:2]
    elif rule == "rating-periodik":
        e["ratings"] = e["ratings"][:3]
    elif rule == "distribusi-paling-banyak":  # everyone Sangat Baik under an organisation rated Baik
        data["organization_predikat"] = "Istimewa"
        for x in staff:
            x["annual_rating"] = {"result": ATAS, "behaviour": ATAS}
    elif rule == "keberatan-tepat-waktu":
        received = _dt.date(year + 1, 1, 10)
        e["appeal"] = {"result_received_on": received.isoformat(), "filed_on": (received + _dt.timedelta(days=30)).isoformat()}
    elif rule == "keberatan-diputus-atasan-penilai":
        received = _dt.date(year + 1, 1, 10)
        e["appeal"] = {"result_received_on": received.isoformat(), "filed_on": "%d-01-15" % (year + 1),
                       "decided_by": e["rater"]["nip"], "decided_on": "%d-02-10" % (year + 1), "outcome": "rejected"}
    else:
        raise ValueError(f"unknown breach '{rule}'; known: {', '.join(EMPLOYEE_BREACHES)}")


# -- the corpus -----------------------------------------------------------------------------------

def _breaching(n: int, share: float, seed: int, salt: str) -> set[int]:
    """Exactly round(share × n) record indexes, chosen by the seed."""
    k = min(n, max(0, round(share * n)))
    return set(random.Random(f"{seed}:{salt}").sample(range(n), k))


def generate(units: int = 250, years: Iterable[int] = (2024,), seed: int = 300, violations: float = 0.1,
             with_employees: bool = False) -> Iterator[dict]:
    """Contracts (and, with `with_employees`, each unit's employee file right after its contract),
    unit by unit, year by year. `violations` is the share of each kind of record that breaks one rule."""
    org = organisation(units)
    years = list(years)
    n = len(org) * len(years)
    bad_contracts = _breaching(n, violations, seed, "contracts")
    bad_staff = _breaching(n, violations, seed, "employees") if with_employees else set()
    index = 0
    for year in years:
        for unit in org:
            rng = random.Random(f"{seed}:{year}:{unit.code}")
            breach = _choose(seed, year, unit) if index in bad_contracts else None
            record = contract(unit, year, rng, breach)
            yield record
            if with_employees:
                staff_rng = random.Random(f"{seed}:{year}:{unit.code}:pegawai")
                staff_breach = (random.Random(f"{seed}:{year}:{unit.code}:pegawai:breach").choice(EMPLOYEE_BREACHES)
                                if index in bad_staff else None)
                yield employees(unit, year, staff_rng, record["head"]["name"], record["head"]["nip"], staff_breach)
            index += 1


def _choose(seed: int, year: int, unit: Unit) -> str:
    """The rule a breaching contract breaks, from its own stream (the clean part stays the same)."""
    # The ministry's own contract has no IKU limits and no IIAA duty (its head is not an official).
    options = [k for k in CONTRACT_BREACHES
               if not (unit.eselon == 0 and k in ("pk-iku-count", "iiaa-report-present", "iiaa-report-complete"))]
    return random.Random(f"{seed}:{year}:{unit.code}:breach").choice(options)


# -- writing ------------------------------------------------------------------------------------

_quote = json.encoder.c_encode_basestring or json.encoder.py_encode_basestring   # UTF-8 kept, like ensure_ascii=False


def dumps(x: Any) -> str:
    """Compact JSON with exact decimal numbers (never through a float) and UTF-8 text."""
    if isinstance(x, str):
        return _quote(x)
    if isinstance(x, dict):
        return "{" + ",".join(_quote(k) + ":" + dumps(v) for k, v in x.items()) + "}"
    if isinstance(x, list):
        return "[" + ",".join(dumps(v) for v in x) + "]"
    if isinstance(x, Decimal):
        return format(x, "f")
    if x is True or x is False or x is None:
        return "true" if x is True else "false" if x is False else "null"
    if isinstance(x, int):
        return str(x)
    raise TypeError(f"cannot write {type(x).__name__} as JSON")


def write_jsonl(records: Iterable[dict], stream) -> int:
    n = 0
    for record in records:
        stream.write(dumps(record) + "\n")
        n += 1
    return n


def _yaml_dumper():
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def decimal(dumper, value: Decimal):
        if value == value.to_integral_value():
            return dumper.represent_scalar("tag:yaml.org,2002:int", format(value.quantize(Decimal(1)), "f"))
        return dumper.represent_scalar("tag:yaml.org,2002:float", format(value, "f"))

    Dumper.add_representer(Decimal, decimal)
    Dumper.ignore_aliases = lambda self, data: True      # no &id001 anchors for shared numbers
    return Dumper


def file_name(record: dict) -> str:
    prefix = "pk" if record["kind"] == "organization_contract" else "pegawai"
    return f"{prefix}_{record['year']}_{record['unit']['code'].lower()}.yaml"


def write_yaml(records: Iterable[dict], folder: Path) -> int:
    """One YAML file per record, named pk_<year>_<unit>.yaml or pegawai_<year>_<unit>.yaml."""
    import yaml
    dumper = _yaml_dumper()
    folder.mkdir(parents=True, exist_ok=True)
    n = 0
    for record in records:
        text = yaml.dump(record, Dumper=dumper, allow_unicode=True, sort_keys=False, width=110)
        (folder / file_name(record)).write_text(text, encoding="utf-8")
        n += 1
    return n
