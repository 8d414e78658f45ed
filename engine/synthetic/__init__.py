"""A synthetic but realistic corpus: the Ministry of Finance's performance data, unit by unit.

Analysts compare regulations over many contracts, benchmarks need volume, and tests need records
that break known rules. `generate()` builds a Kemenkeu-shaped organisation and, for each unit and
performance year, one `organization_contract` (and, on request, one `employee_performance` file
and, from 2026, a few KMK 127/2026 `employee_score` files):

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

For benchmarks, `breaches` limits the rules breaching contracts break (say, to those an older
policy has) and `gaps` leaves some figures out on purpose (see `gaps.py`). The package imports
nothing from the rest of the engine (stdlib and pyyaml only): units.py (the organisation),
series.py (the numbers), people.py, reports.py (IIAA), contracts.py, employees.py, employee_scores.py, breaches.py,
gaps.py and writers.py, one concept each.
"""
from __future__ import annotations

import random
from typing import Iterable, Iterator

from .breaches import (BREACH_NOTE, CONTRACT_BREACHES, EMPLOYEE_BREACHES, breaching, contract_breach,
                       employee_breach)
from .contracts import PERSPECTIVES, contract
from .employee_scores import employee_scores
from .employees import employees
from .gaps import GAPS_NOTE, leave_gaps
from .series import QUARTERS, dec2
from .units import Unit, catalogue_size, organisation
from .writers import dumps, file_name, write_jsonl, write_yaml

__all__ = ["BREACH_NOTE", "CONTRACT_BREACHES", "EMPLOYEE_BREACHES", "GAPS_NOTE", "PERSPECTIVES", "QUARTERS", "Unit",
           "catalogue_size", "contract", "dec2", "dumps", "employee_scores", "employees", "file_name", "generate", "organisation",
           "write_jsonl", "write_yaml"]


def generate(units: int = 250, years: Iterable[int] = (2024,), seed: int = 300, violations: float = 0.1,
             with_employees: bool = False, breaches: Iterable[str] = CONTRACT_BREACHES,
             gaps: bool = False, with_employee_scores: bool = False) -> Iterator[dict]:
    """Contracts (and, with `with_employees`, each unit's employee file right after its contract),
    unit by unit, year by year. `violations` is the share of each kind of record that breaks one rule;
    a breaching contract breaks one of `breaches` (e.g. only the rules an older policy knows). With
    `gaps`, contracts leave some figures out on purpose (see `gaps`); the rest stays the same. With
    `with_employee_scores`, each unit's KMK 127/2026 employee scores (years from 2026) follow."""
    breaches = tuple(breaches)
    unknown = sorted(set(breaches) - set(CONTRACT_BREACHES))
    if unknown or not breaches:
        raise ValueError(f"unknown breach {', '.join(unknown) or '(none given)'}; known: {', '.join(CONTRACT_BREACHES)}")
    org = organisation(units)
    years = list(years)
    n = len(org) * len(years)
    bad_contracts = breaching(n, violations, seed, "contracts")
    bad_staff = breaching(n, violations, seed, "employees") if with_employees else set()
    index = 0
    for year in years:
        for unit in org:
            rng = random.Random(f"{seed}:{year}:{unit.code}")
            breach = contract_breach(seed, year, unit, breaches) if index in bad_contracts else None
            record = contract(unit, year, rng, breach)
            if gaps:
                leave_gaps(record, random.Random(f"{seed}:{year}:{unit.code}:gaps"))
            yield record
            if with_employees:
                staff_rng = random.Random(f"{seed}:{year}:{unit.code}:pegawai")
                staff_breach = employee_breach(seed, year, unit) if index in bad_staff else None
                yield employees(unit, year, staff_rng, record["head"]["name"], record["head"]["nip"], staff_breach)
            if with_employee_scores:
                scores_rng = random.Random(f"{seed}:{year}:{unit.code}:skor")
                yield from employee_scores(unit, year, scores_rng, record["head"]["name"], record["head"]["nip"])
            index += 1
