"""The fictional organisation: Kemenkeu's units, from the ministry down to its service offices.

The catalogue holds the ministry, its eleven eselon I units, their head-office directorates and
regional offices (eselon II: Kanwil DJP / DJBC / DJPb / DJKN, Pusdiklat) and service offices
(eselon III: KPP, KPPBC, KPPN, KPKNL, BDK). `organisation(units)` takes units from it in a smooth
weighted round-robin over the families, so any count gives the same mix in miniature and every
office comes after its Kanwil; past the catalogue offices repeat with a numeric suffix (load tests).
"""
from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Unit:
    """A generated organisation unit of the ministry: code, eselon, parent and kind."""
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

