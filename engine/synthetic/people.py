"""The civil servants in the records: names, NIPs, the posts unit heads hold, and the words they
are rated with (PermenPAN-RB 6/2022 rating scale and the BerAKHLAK core values).

Contracts name a head and a superior; employee files name every employee, their rater and the
rater's superior. All are invented from these lists, with NIPs shaped like real ones (birth date,
start of service, sex, serial number).
"""
from __future__ import annotations

import random

from .units import Unit

FIRST_NAMES = ["Ratna", "Bambang", "Siti", "Agus", "Dian", "Hendra", "Yuliana", "Eko", "Wahyu", "Lestari", "Rudi",
               "Nur", "Dewi", "Andi", "Rina", "Fajar", "Putri", "Joko", "Made", "Ketut", "Teguh", "Indah", "Arif",
               "Sri", "Bayu", "Maria", "Yohanes", "Fitri", "Rizky", "Ahmad", "Kartika", "Hasan", "Lina", "Gita"]
LAST_NAMES = ["Santoso", "Wijaya", "Rahmawati", "Prasetyo", "Hidayat", "Handayani", "Hartono", "Aini", "Saputra",
              "Nugroho", "Kusuma", "Siregar", "Nasution", "Harahap", "Sembiring", "Tanjung", "Simanjuntak",
              "Wibowo", "Setiawan", "Pratama", "Susanti", "Utami", "Gunawan", "Lubis", "Pohan", "Putra",
              "Manurung", "Pangaribuan", "Situmorang", "Lestari", "Sari", "Mahendra", "Suryadi", "Purba"]


def nip(rng: random.Random, born: int | None = None, female: bool | None = None) -> str:
    born = born or rng.randint(1966, 1998)
    start = max(born + 22, 1988) + rng.randint(0, 6)
    sex = (2 if female else 1) if female is not None else rng.randint(1, 2)
    return f"{born}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{min(start, 2023)}{rng.randint(1, 12):02d}{sex}{rng.randint(1, 12):03d}"


def full_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def head_position(unit: Unit) -> str:
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


def parent_unit(unit: Unit) -> Unit:
    eselon = max(unit.eselon - 1, 0)
    kind = {0: "kementerian", 1: "eselon1"}.get(eselon, "kanwil")
    return Unit(unit.parent, unit.parent_name, eselon, "", unit.family, kind)


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
