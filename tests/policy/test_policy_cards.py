"""Policy cards (engine/policy/card.py): `--policy auto` judges the candidates by their cards and loads
only the policy it chooses; a card answers exactly as its policy does; a card is stale exactly when
its policy is; a damaged card, or a reference date a card cannot carry, falls back to the policy."""
from __future__ import annotations

import datetime as _dt
import shutil
from pathlib import Path

import pytest

from engine import cache
from engine.errors import KinerjaError
from engine.policy import stored
from engine.policy.card import PolicyCard
from engine.policy.registry import Registry
from engine.record import read_records
from engine.search_path import ENV, SearchPath

ROOT = Path(__file__).resolve().parents[2]
PK_2024 = next(iter(read_records(ROOT / "examples" / "pk_2024_kppn_semarang_i.yaml"))).data


@pytest.fixture(autouse=True)
def cache_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.DIR_ENV, str(folder))
    monkeypatch.delenv(ENV, raising=False)
    return folder


def _year(data: dict, year) -> dict:
    return {**data, "year": year}


def test_a_warm_choice_loads_only_the_chosen_policy():
    first = Registry()
    assert first.select(PK_2024, "organization_contract").id == "kmk_300_2022"
    assert len(cache.entries(stored.CARD_KIND)) == len(first.paths())   # one card per policy, kept
    warm = Registry()   # as the next process: cards from the cache
    assert warm.select(PK_2024, "organization_contract").id == "kmk_300_2022"
    assert [key[1] for key in warm._cache] == ["kmk_300_2022"]
    assert warm.select(_year(PK_2024, 2019), "organization_contract").id == "kmk_467_2014"
    assert sorted(key[1] for key in warm._cache) == ["kmk_300_2022", "kmk_467_2014"]


@pytest.mark.parametrize("policy_id", sorted(Registry().paths()))
def test_a_card_answers_as_its_policy(policy_id):
    policy = Registry().load(policy_id)
    Registry().card(policy_id)   # keeps the card
    card = Registry().card(policy_id)   # from the cache
    assert card.portable
    assert (card.id, card.subject, card.file, card.supersedes) == (
        policy.id, policy.subject, str(policy.spec.file), policy.spec.supersedes)
    samples = [PK_2024, {}, None, "text", {"year": "2024"}, {"year": 10 ** 6}]
    samples += [_year(PK_2024, year) for year in range(2012, 2029)]
    for data in samples:
        assert card.reference_date(data) == policy.reference_date(data), data
    for day in (_dt.date(2015, 1, 1), _dt.date(2022, 7, 27), _dt.date(2022, 7, 28), _dt.date(2025, 12, 31),
                _dt.date(2026, 1, 1), _dt.date(2031, 6, 1)):
        assert card.in_force(day) == policy.in_force(day)


def test_an_edited_policy_is_judged_by_its_new_period(tmp_path):
    folder = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", folder)
    shutil.copytree(ROOT / "schemas", folder / "schemas")
    path = SearchPath.of([folder])
    assert Registry(path).select(PK_2024, "organization_contract").id == "kmk_300_2022"
    file = folder / "kmk_300_2022" / "policy.yaml"
    text = file.read_text(encoding="utf-8")
    assert "from: 2022-07-28" in text
    file.write_text(text.replace("from: 2022-07-28", "from: 2024-07-28"), encoding="utf-8")
    warm = Registry(path)
    # 2024's reference date now precedes kmk_300_2022's period, and kmk_467_2014's ended in 2022
    with pytest.raises(KinerjaError, match="^no policy is in force for this data's date"):
        warm.select(PK_2024, "organization_contract")
    assert warm.select(_year(PK_2024, 2025), "organization_contract").id == "kmk_300_2022"


def test_a_damaged_card_is_a_miss(tmp_path):
    Registry().select(PK_2024, "organization_contract")
    for entry in cache.entries(stored.CARD_KIND):
        entry.write_bytes(b"kinerja-cache\n" + entry.read_bytes()[14:-3] + b"XYZ")
    warm = Registry()
    assert warm.select(PK_2024, "organization_contract").id == "kmk_300_2022"
    assert len(warm._cache) == len(warm.paths())   # every policy loaded to choose, as before cards


def test_a_reference_date_calling_a_policy_function_has_a_card_that_is_not_kept(tmp_path):
    folder = tmp_path / "mine"
    (folder / "own_date").mkdir(parents=True)
    (folder / "own_date" / "policy.yaml").write_text(
        "policy: own_date\ntitle: T\neffective: {from: 2030-01-01}\n"
        "subject: {schema: organization_contract, as: contract}\n"
        "functions:\n  awal_tahun:\n    params: [y]\n    expr: date(y, 1, 1)\n    cite: test\n"
        "supersedes: kmk_127_2026\nreference_date: awal_tahun(contract.year)\n", encoding="utf-8")
    registry = Registry([folder])
    card = registry.card("own_date")
    assert not card.portable and card.reference_date(_year(PK_2024, 2031)) == _dt.date(2031, 1, 1)
    assert cache.entries(stored.CARD_KIND) == []
    assert Registry([folder]).select(_year(PK_2024, 2031), "organization_contract").id == "own_date"


def test_a_card_survives_pickling_without_the_policy_namespace():
    card = PolicyCard.of(Registry().load("kmk_300_2022"))
    assert set(card._reference.__globals__) <= {"s_date", "s_member"}
