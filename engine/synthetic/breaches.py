"""Deliberate rule breaches: which records break a rule, which rule, and how the record is changed.

A chosen share of records break exactly one rule on purpose, KMK 300/2022 rules for contracts and
PermenPAN-RB 6/2022 rules for employee files; the rule is named in the record's `notes`
("Sengaja melanggar: pk-budget"), so tests and analysts know what to expect. Which records breach,
and which rule, come from streams of their own, so the clean part of every record stays the same.
"""
from __future__ import annotations

import datetime as _dt
import json
import random
from decimal import Decimal

from .people import ATAS
from .reports import achievement_report
from .series import D100, dec2
from .units import Unit
from .writers import dumps

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
# The ministry's own contract has no IKU limits and no IIAA duty (its head is not an official).
NOT_FOR_THE_MINISTRY = ("pk-iku-count", "iiaa-report-present", "iiaa-report-complete")


def breaching(n: int, share: float, seed: int, salt: str) -> set[int]:
    """Exactly round(share × n) record indexes, chosen by the seed."""
    k = min(n, max(0, round(share * n)))
    return set(random.Random(f"{seed}:{salt}").sample(range(n), k))


def contract_breach(seed: int, year: int, unit: Unit, rules: tuple[str, ...] = CONTRACT_BREACHES) -> str | None:
    """The rule a breaching contract breaks (one of `rules`), from its own stream; None if the unit
    cannot break any of them (the ministry and only rules it has no duty under)."""
    options = [k for k in rules if not (unit.eselon == 0 and k in NOT_FOR_THE_MINISTRY)]
    return random.Random(f"{seed}:{year}:{unit.code}:breach").choice(options) if options else None


def employee_breach(seed: int, year: int, unit: Unit) -> str:
    """The rule a breaching employee file breaks, from its own stream."""
    return random.Random(f"{seed}:{year}:{unit.code}:pegawai:breach").choice(EMPLOYEE_BREACHES)


# -- contracts ------------------------------------------------------------------------------------

def break_contract(data: dict, rule: str, rng: random.Random, unit: Unit) -> None:
    """Make the clean contract break exactly `rule` of kmk_300_2022."""
    if rule not in CONTRACT_BREACHES:
        raise ValueError(f"unknown breach '{rule}'; known: {', '.join(CONTRACT_BREACHES)}")
    iku = data["iku"]
    owned_by = {s["code"]: [i for i in iku if i["objective"] == s["code"]] for s in data["strategy_map"]["objectives"]}
    seconds = [i for items in owned_by.values() for i in items[1:]]     # IKU after the first of their SS
    source = f"{unit.parent or 'KEMENKEU'}:1a-N"
    if rule == "pk-iku-count":
        _too_many_iku(data, rng)
    elif rule == "pk-strategy-map":
        del data["strategy_map"]
    elif rule == "pk-budget":
        del data["budget"]["total"]
    elif rule == "iku-trajectory":       # realisations without targets
        item = rng.choice(iku)
        for p in item["periods"]:
            p.pop("target", None)
        _drop_reports(data, item["code"])
    elif rule == "iku-target-quantitative":
        rng.choice(iku)["annual_target"] = "Tersusunnya laporan evaluasi yang berkualitas"
    elif rule == "iku-objective-known":  # a second IKU of an SS claims an SS that is not on the map
        rng.choice(seconds or iku)["objective"] = f"SS{len(owned_by) + 1}"
    elif rule == "cascade-depth":
        item = rng.choice(seconds or iku[1:])
        _recode(data, item, "C")
        item["cascade"] = {"source": source, "method": "direct", "depth": 3}
    elif rule == "cascade-accompanied":  # every IKU of the SS with the fewest becomes a direct cascade
        for item in owned_by[min(owned_by, key=lambda c: len(owned_by[c]))]:
            _recode(data, item, "C")
            item["cascade"] = {"source": source, "method": "direct", "depth": 1}
    elif rule == "initiative-complete":
        del rng.choice(data["initiatives"])[rng.choice(["output", "milestones", "completion_period"])]
    elif rule == "iku-quality-allowed":
        item = rng.choice(iku)
        item["validity"], item["control"] = rng.choice([("exact", "high"), ("activity", "low")])
    elif rule == "addendum-required":
        _addendum_due(data, rng.choice(iku))
    elif rule == "iiaa-report-present":
        _report_missing(data, rng)
    else:                                # iiaa-report-complete
        _report_incomplete(data, rng, unit)


def _too_many_iku(data: dict, rng: random.Random) -> None:
    """Copies of the last IKU on its SS (origin N, so nothing else fires) until there are 21 to 23."""
    iku = data["iku"]
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


def _addendum_due(data: dict, item: dict) -> None:
    """The Q2 realisation already meets the rising Q3 target, and no addendum raised it."""
    item.update(polarity="maximize", consolidation="last", target_kind="normal", annual_target=D100)
    item.pop("worst_tolerable", None)
    item["periods"] = [{"period": "Q1", "target": Decimal(25), "realization": Decimal(40)},
                       {"period": "Q2", "target": Decimal(50), "realization": Decimal(80)},
                       {"period": "Q3", "target": Decimal(75)}, {"period": "Q4", "target": D100}]
    _drop_reports(data, item["code"])


def _report_missing(data: dict, rng: random.Random) -> None:
    """One IIAA report left out (or, with none due, a missed first quarter with no report)."""
    reports = data.get("achievement_reports", [])
    if reports:
        reports.pop(rng.randrange(len(reports)))
    else:
        item = next(i for i in data["iku"] if i["polarity"] == "maximize" and i.get("target_kind") == "normal"
                    and "realization" in i["periods"][0])
        item["periods"][0]["realization"] = dec2(int(item["periods"][0]["target"] * 80))
    if not data.get("achievement_reports"):
        data.pop("achievement_reports", None)


def _report_incomplete(data: dict, rng: random.Random, unit: Unit) -> None:
    """One IIAA report without one of its required parts."""
    reports = data.setdefault("achievement_reports", [])
    if not reports:
        reports.append(achievement_report(rng, unit, data["year"], data["iku"][0]["code"], 0))
    del rng.choice(reports)[rng.choice(["issues", "implication", "accountability", "action_plan",
                                        "raw_data", "supporting_documents", "verification_documents"])]


def _drop_reports(data: dict, code: str) -> None:
    data["achievement_reports"] = [r for r in data.get("achievement_reports", []) if r["iku"] != code]


def _recode(data: dict, item: dict, origin: str) -> None:
    """Give an IKU another origin; its code's suffix and every reference to the code follow."""
    old, new = item["code"], item["code"].rsplit("-", 1)[0] + "-" + origin
    item["code"], item["origin"] = new, origin
    for r in data.get("achievement_reports", []):
        if r["iku"] == old:
            r["iku"] = new
    for n in data.get("initiatives", []):
        n["iku"] = [new if c == old else c for c in n.get("iku", [])]


# -- employee files -------------------------------------------------------------------------------

def break_employees(data: dict, rule: str, rng: random.Random) -> None:
    """Make the clean employee file break exactly `rule` of permenpan_6_2022."""
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

