"""IIAA achievement reports (laporan capaian): due for every period in which an IKU missed its target.

KMK 300/2022 asks a unit below the ministry to explain each shortfall: the issues, what they imply,
who answers for it, the action plan, and the raw, supporting and verification documents.
"""
from __future__ import annotations

import datetime as _dt
import random
from decimal import Decimal

from .series import QUARTERS
from .units import Unit


def misses(attrs: dict, target: Decimal, real: Decimal) -> bool:
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


ISSUES = ["Keterlambatan data dari satker mitra kerja", "Gangguan aplikasi pada akhir triwulan",
          "Pergeseran jadwal kegiatan karena kebijakan efisiensi", "Kompleksitas kasus di atas perkiraan",
          "Keterbatasan jumlah pegawai fungsional", "Penyesuaian regulasi yang baru berlaku"]


def achievement_report(rng: random.Random, unit: Unit, year: int, code: str, quarter: int) -> dict:
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

