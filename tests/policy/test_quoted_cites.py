"""Citations and titles that quote parameters (`{iku_limits.upk_one.max}`): rendered with the
parameter values in force where a violation, an explanation or the provenance shows them; checked at
load (only parameters, unknown names with did-you-mean at file:line:col); `{{`/`}}` stay braces."""
from __future__ import annotations

import datetime
import textwrap

import pytest

import engine
from engine.policy.build import build
from engine.policy.loader import read_spec, resolve
from engine.policy.registry import DEFAULT
from engine.report import explain, provenance
from tests.conftest import contract

DRAFT = """\
policy: draft_quoted
extends: kmk_300_2022
parameters:
  iku_limits.upk_one.max:
    value: 18
    cite: Rancangan perubahan KMK 300 (hipotetis), batas IKU UPK One
    status: provisional
    note: Hypothetical draft figure.
"""
CITE = "KMK 300/KMK.01/2022; bahan sosialisasi KMK 300 (UPK One 15–{}, Two 10–20, Three 10–20)"


def upk_one(iku_count: int) -> dict:
    iku = [{"code": f"{n}a-N", "name": f"IKU {n}", "objective": "SS1", "polarity": "maximize",
            "consolidation": "average", "periods": [{"period": "Q1", "target": 90, "realization": 100}]}
           for n in range(1, iku_count + 1)]
    return contract(unit={"code": "U1", "name": "Unit uji", "eselon": 1}, iku=iku)


@pytest.fixture
def draft(tmp_path):
    path = tmp_path / "draft_quoted" / "policy.yaml"
    path.parent.mkdir()
    path.write_text(DRAFT, encoding="utf-8")
    return build(resolve(read_spec(path), DEFAULT.find))


def test_the_amended_figure_is_in_the_message_and_the_citation(draft):
    [v] = [v for v in draft.evaluate(upk_one(19)).violations if v.rule == "pk-iku-count"]
    assert (v.message, v.cite) == ("19 IKU pada upk_one; batasnya 15–18 IKU", CITE.format(18))
    assert v.title == "Jumlah IKU sesuai batas level UPK"


def test_the_parent_keeps_its_own_figure(draft):
    parent = DEFAULT.load("kmk_300_2022")
    assert [v.cite for v in parent.evaluate(upk_one(19)).violations if v.rule == "pk-iku-count"] == []
    [v] = [v for v in parent.evaluate(upk_one(21)).violations if v.rule == "pk-iku-count"]
    assert (v.message, v.cite) == ("21 IKU pada upk_one; batasnya 15–20 IKU", CITE.format(20))


def test_explain_and_provenance_render_the_quotes(draft):
    result = draft.evaluate(upk_one(19), trace=True)
    assert explain.explain_rule(draft, result, "pk-iku-count").splitlines()[1] == \
        f"  cite:     {CITE.format(18)} [secondary]"
    assert f"      cite: {CITE.format(18)}" in provenance.text(draft).splitlines()
    [rule] = [r for r in provenance.as_dict(draft)["rules"] if r["id"] == "pk-iku-count"]
    assert rule["cite"] == CITE.format(18)


POLICY = """\
policy: quoted
title: Quoted citations
effective: {from: 2023-01-01}
subject: {schema: organization_contract, as: contract}
parameters:
  limit:
    values:
      - {from: 2023-01-01, value: 20}
      - {from: 2024-01-01, value: 18}
    cite: "Pasal 1: paling banyak {limit} IKU"
    status: confirmed
  days: {value: 14, cite: "Pasal 2 {{bukan kutipan}}", status: confirmed}
values:
  n:
    expr: count(contract.iku)
    cite: "Pasal 3, batas {limit}"
rules:
  - id: count-limit
    title: Paling banyak {limit} IKU
    cite: "Pasal 1 ({limit} IKU; {days} hari)"
    require: n <= limit
    message: "{n} IKU; paling banyak {limit}, keberatan {days} hari"
"""


def quoted_policy(tmp_path, text: str = POLICY) -> engine.Policy:
    path = tmp_path / "policy.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return build(resolve(read_spec(path), lambda _id: None))


def test_quotes_render_with_the_values_in_force_on_the_date(tmp_path):
    policy = quoted_policy(tmp_path)
    data = contract(iku=contract()["iku"] * 19)
    assert policy.evaluate(data, as_of=datetime.date(2023, 6, 1)).violations == []
    [v] = policy.evaluate(data, as_of=datetime.date(2024, 6, 1), trace=True).violations
    assert (v.title, v.cite) == ("Paling banyak 18 IKU", "Pasal 1 (18 IKU; 14 hari)")
    trace = {s.name: s for s in policy.evaluate(data, as_of=datetime.date(2023, 6, 1), trace=True).trace}
    assert trace["n"].cite == "Pasal 3, batas 20"
    assert policy.text("parameters", "limit", "cite") == "Pasal 1: paling banyak 18 IKU"   # the latest
    assert policy.text("parameters", "days", "cite") == "Pasal 2 {bukan kutipan}"


def errors(tmp_path, text: str) -> list[tuple[str, int, int, str | None]]:
    with pytest.raises((engine.ErrorList, engine.PolicyError)) as info:
        quoted_policy(tmp_path, text)
    found = getattr(info.value, "errors", [info.value])
    return [(e.message, e.location.line, e.location.column, e.hint) for e in found]


def test_an_unknown_name_is_an_error_at_its_column_with_did_you_mean(tmp_path):
    text = POLICY.replace('cite: "Pasal 1 ({limit} IKU', 'cite: "Pasal 1 ({limt} IKU')
    assert errors(tmp_path, text) == [("unknown parameter 'limt' quoted in cite", 20, 22, "did you mean 'limit'?")]


def test_values_data_and_functions_cannot_be_quoted(tmp_path):
    text = POLICY.replace("title: Paling banyak {limit} IKU", "title: Paling banyak {n} IKU {count(contract.iku)}")
    text = text.replace('cite: "Pasal 3, batas {limit}"', 'cite: "Pasal 3, batas {tambah(limit)}"')
    text = text.replace("\nvalues:\n", "\nfunctions:\n  tambah: {params: [x], expr: x + 1}\nvalues:\n")
    assert errors(tmp_path, text) == [
        ("a cite may quote only parameters; 'tambah' is a policy function", 18, 28, None),
        ("a title may quote only parameters; 'n' is a value", 21, 27, None),
        ("a title may quote only parameters; 'contract' is the data", 21, 41, None)]
