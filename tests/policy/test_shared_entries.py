"""`uses: {policy: [names]}`: parameters, functions and values taken from another policy with their
origin, so one amendment reaches every policy using the figure; the exact errors at the `uses:` line."""
from __future__ import annotations

import pytest

from engine.errors import ErrorList, PolicyError
from engine.policy.registry import DEFAULT, Registry
from engine.report import provenance

BASE = """\
policy: base
title: Base
effective: {from: 2023-01-01}
subject: {schema: organization_contract, as: contract}
parameters:
  limit: {value: 20, cite: Pasal 1, status: confirmed}
functions:
  twice: {params: [x], expr: x * 2}
values:
  n: {expr: count(contract.iku)}
rules:
  - {id: base-limit, title: Batas, cite: Pasal 1, require: n <= limit}
"""

USER = """\
policy: user
title: User
effective: {from: 2023-01-01}
subject: {schema: organization_contract, as: contract}
uses:
  base: [limit, twice]
values:
  m: {expr: twice(count(contract.iku))}
rules:
  - {id: user-limit, title: "Paling banyak {limit}", cite: "Pasal 9 ({limit})", require: m <= limit}
"""

AMENDED = """\
policy: amended
extends: base
parameters:
  limit: {value: 3, cite: Perubahan Pasal 1, status: provisional, note: Hypothetical.}
"""


def registry(tmp_path, **texts) -> Registry:
    for name, text in {"base": BASE, "user": USER, "amended": AMENDED, **texts}.items():
        (tmp_path / name).mkdir(exist_ok=True)
        (tmp_path / name / "policy.yaml").write_text(text, encoding="utf-8")
    return Registry(tmp_path)


def test_used_entries_keep_their_origin(tmp_path):
    user = registry(tmp_path).load("user")
    assert user.parameters["limit"].entry.origin.policy == "base"
    assert user.spec.functions["twice"].origin.file == str(tmp_path / "base" / "policy.yaml")
    assert "      from: base" in provenance.text(user).splitlines()
    [v] = user.evaluate({"kind": "organization_contract", "unit": {"code": "U", "name": "U", "eselon": 3},
                         "year": 2024, "strategy_map": {"objectives": []}, "budget": {"total": 1},
                         "iku": [{"code": f"{n}", "name": "x", "objective": "SS1", "polarity": "maximize",
                                  "periods": []} for n in range(11)]}).violations
    assert (v.rule, v.title, v.cite) == ("user-limit", "Paling banyak 20", "Pasal 9 (20)")


def test_a_used_name_resolves_through_the_users_extends_chain(tmp_path):
    user = USER.replace("  base: [limit, twice]", "  amended: [limit, twice]")
    policy = registry(tmp_path, user=user).load("user")
    assert (policy.parameters["limit"].dated[-1][1], policy.parameters["limit"].entry.origin.policy) == (3, "amended")
    assert policy.spec.functions["twice"].origin.policy == "base"


def errors(tmp_path, user: str) -> list[tuple[str, int, str | None]]:
    with pytest.raises((ErrorList, PolicyError)) as info:
        registry(tmp_path, user=user).load("user")
    found = getattr(info.value, "errors", [info.value])
    return [(e.message, e.location.line, e.hint) for e in found]


def test_unknown_policy_and_names_are_errors_at_the_line_with_did_you_mean(tmp_path):
    assert errors(tmp_path, USER.replace("  base: [limit, twice]", "  bsae: [limit]")) == [
        ("uses unknown policy 'bsae'", 6, "did you mean 'base'?")]
    assert errors(tmp_path, USER.replace("[limit, twice]", "[limt, twice, nn]")) == [
        ("base has no parameter, function or value 'limt'", 6, "did you mean 'limit'?"),
        ("base has no parameter, function or value 'nn'", 6, "did you mean 'n'?")]


def test_a_clash_with_an_own_entry_is_an_error_at_the_uses_line(tmp_path):
    user = USER.replace("values:\n", "parameters:\n  limit: {value: 5, cite: Pasal 2, status: confirmed}\nvalues:\n")
    assert errors(tmp_path, user) == [
        ("'limit' is taken from base by `uses`, but this policy has its own parameter 'limit'", 6,
         "remove one of them")]


def test_policies_using_each_other_are_a_cycle(tmp_path):
    base = BASE.replace("parameters:\n", "uses:\n  user: [m]\nparameters:\n")
    with pytest.raises(PolicyError) as info:
        registry(tmp_path, base=base).load("user")
    assert (info.value.message, info.value.location.line) == ("policies use each other in a cycle: user → base → user", 6)


def test_the_addendum_takes_kmk_300s_limits_and_level_mapping():
    addendum, pk = DEFAULT.load("kmk_300_2022_addendum"), DEFAULT.load("kmk_300_2022")
    mine, theirs = addendum.parameters["iku_limits"].entry, pk.parameters["iku_limits"].entry
    assert (mine.origin.policy, mine.origin.location(key=True).line, mine.data) == (
        "kmk_300_2022", theirs.origin.location(key=True).line, theirs.data)
    assert addendum.spec.functions["level_of_eselon"].origin.policy == "kmk_300_2022"
