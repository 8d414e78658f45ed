"""The reference date of every bundled policy is `date(<year>, tanggal_acuan.month, tanggal_acuan.day)`:
the "judge a year by the regulation in force on 1 January" choice is a cited, provisional parameter,
which an amendment can override like any other and which test coverage counts as read."""
from __future__ import annotations

import datetime as _dt

import pytest

import engine
from engine.search_path import ENV
from tests.conftest import ROOT

PK_2024 = ROOT / "examples" / "pk_2024_kppn_semarang_i.yaml"


@pytest.mark.parametrize("pid", ["kmk_467_2014", "kmk_300_2022", "kmk_300_2022_addendum", "permenpan_6_2022"])
def test_the_reference_date_reads_the_cited_provisional_tanggal_acuan(pid):
    policy = engine.load_policy(pid)
    info = policy.parameters["tanggal_acuan"]
    assert (info.status, info.value_at(None)) == ("provisional", {"month": 1, "day": 1})
    assert info.cite and info.entry.note
    assert policy.spec.reference_date.data["expr"].endswith("tanggal_acuan.month, tanggal_acuan.day)")


def test_an_amendment_overriding_tanggal_acuan_moves_the_reference_date(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV, raising=False)
    (tmp_path / "mid_year").mkdir()
    (tmp_path / "mid_year" / "policy.yaml").write_text(
        "policy: mid_year\ntitle: T\nextends: kmk_300_2022\nparameters:\n"
        "  tanggal_acuan.month: {value: 7, cite: Rancangan, status: provisional}\n", encoding="utf-8")
    [record] = engine.read_records(PK_2024)
    policy = engine.Registry([tmp_path]).load("mid_year")
    assert policy.reference_date(record.data) == _dt.date(2024, 7, 1)
    assert engine.load_policy("kmk_300_2022").reference_date(record.data) == _dt.date(2024, 1, 1)
