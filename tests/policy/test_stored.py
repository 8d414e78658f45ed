"""A policy brought back from the cache (engine/policy/stored.py) behaves exactly like a freshly built
one, and any change to what it was built from (the policy, a policy it extends, a schema, which file
an id resolves to) builds it afresh."""
from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from engine import cache
from engine.policy import build as build_module
from engine.policy.registry import Registry
from engine.record import read_records
from engine.search_path import SearchPath

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(f for f in (ROOT / "examples").glob("**/*.yaml") if "invalid" not in f.parts)


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.DIR_ENV, str(folder))
    return folder


@pytest.fixture
def builds(monkeypatch) -> list[str]:
    """The ids of the policies built (not brought back from the cache) from now on."""
    built: list[str] = []
    real = build_module.build

    def counting(spec):
        built.append(spec.id)
        return real(spec)
    monkeypatch.setattr(build_module, "build", counting)
    return built


def _examples_of(policy):
    for file in EXAMPLES:
        for record in read_records(file):
            if isinstance(record.data, dict) and record.data.get("kind") == policy.subject:
                yield record


@pytest.mark.parametrize("policy_id", sorted(Registry().paths()))
def test_a_policy_from_the_cache_behaves_as_the_one_built(policy_id, cache_dir, builds):
    built = Registry().load(policy_id)
    kept = Registry().load(policy_id)
    assert builds == [policy_id] and kept is not built
    assert kept.generated_source == built.generated_source
    assert [repr(w) for w in kept.warnings] == [repr(w) for w in built.warnings]
    assert (kept.outputs, list(kept.values), [r.id for r in kept.rules]) == (
        built.outputs, list(built.values), [r.id for r in built.rules])
    records = list(_examples_of(built))
    assert records, f"no example data for {policy_id}"
    for record in records:
        assert kept.evaluate(record, trace=True).to_dict() == built.evaluate(record, trace=True).to_dict()
        for rule in built.rules:
            assert kept.applicability(record, rule.id) == built.applicability(record, rule.id)
        assert kept.reference_date(record.data) == built.reference_date(record.data)
    for rule in built.rules:
        assert kept.text("rules", rule.id, "cite") == built.text("rules", rule.id, "cite")


def _node_facts(policy):
    """The nodes the compiler knows as date fields and as lists without nulls, by place and kind."""
    compiler = policy._compiler
    return (sorted((type(n).__name__, n.pos, n.name) for n in compiler.date_nodes.values()),
            sorted((type(n).__name__, n.pos) for n in compiler.scope.present_elements.values()))


@pytest.mark.parametrize("policy_id", sorted(Registry().paths()))
def test_a_cached_policy_knows_the_same_date_fields_and_lists(policy_id, cache_dir, builds):
    # These id-keyed facts used to keep the ids of nodes that were checked and then dropped: such
    # an id could become another node's (a probe compiled with as_date on a non-date), and a table
    # holding one was stored as raw ids, which mean nothing in the process that loads it.
    built = Registry().load(policy_id)
    kept = Registry().load(policy_id)
    assert builds == [policy_id]
    assert _node_facts(kept) == _node_facts(built)
    for policy in (built, kept):
        for table in (policy._compiler.date_nodes, policy._compiler.scope.present_elements):
            assert all(key == id(node) for key, node in table.items())


def test_warnings_are_the_same_from_the_cache(cache_dir, builds):
    built = Registry().load("kmk_127_2026")
    kept = Registry().load("kmk_127_2026")
    assert builds == ["kmk_127_2026"]
    assert built.warnings and [str(w) for w in kept.warnings] == [str(w) for w in built.warnings]


BASE = """\
policy: base
title: Base
effective: {from: 2023-01-01}
subject: {schema: organization_contract, as: contract}
parameters:
  limit: {value: 20, cite: "Pasal 1", status: confirmed}
values:
  n: {expr: count(contract.iku)}
rules:
  - id: limit
    title: Paling banyak {limit}
    cite: Pasal 2
    require: n <= limit
    message: "{n} IKU, batas {limit}"
"""

CHILD = """\
policy: child
title: Child
extends: base
parameters:
  limit: {value: 15, cite: "Pasal 3", status: confirmed}
"""


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "policies"
    for name, text in (("base", BASE), ("child", CHILD)):
        (folder / name).mkdir(parents=True)
        (folder / name / "policy.yaml").write_text(text, encoding="utf-8")
    return folder


def _limit(folder, *first) -> int:
    return Registry([*first, folder]).load("child").parameters["limit"].dated[-1][1]


def test_a_changed_policy_or_extended_policy_is_built_again(tmp_path, cache_dir, builds):
    folder = _folder(tmp_path)
    assert (_limit(folder), _limit(folder)) == (15, 15) and builds == ["child"]
    child = folder / "child" / "policy.yaml"
    child.write_text(CHILD.replace("value: 15", "value: 12"), encoding="utf-8")
    assert _limit(folder) == 12 and builds == ["child", "child"]
    base = folder / "base" / "policy.yaml"
    base.write_text(BASE.replace("count(contract.iku)", "count(contract.iku) + 1"), encoding="utf-8")
    for _ in range(2):
        assert Registry([folder]).load("child").values["n"].entry.data["expr"] == "count(contract.iku) + 1"
    assert builds == ["child"] * 3


def test_an_id_that_now_resolves_elsewhere_is_built_again(tmp_path, cache_dir, builds):
    folder, drafts = _folder(tmp_path), tmp_path / "drafts"
    drafts.mkdir()
    first = Registry([drafts, folder]).load("child")
    assert first.spec.values["n"].origin.file == str(folder / "base" / "policy.yaml")
    (folder / "base").rename(drafts / "base")   # the same text, found in another folder
    moved = Registry([drafts, folder]).load("child")
    assert moved.spec.values["n"].origin.file == str(drafts / "base" / "policy.yaml")
    assert builds == ["child", "child"]


def test_a_changed_schema_builds_the_policy_again(tmp_path, cache_dir, builds):
    folder = _folder(tmp_path)
    shutil.copytree(ROOT / "schemas", folder / "schemas")
    only = SearchPath.of([folder])
    assert [Registry(only).load("child").id for _ in range(2)] == ["child"] * 2 and builds == ["child"]
    schema = folder / "schemas" / "organization_contract.schema.json"
    schema.write_text(schema.read_text(encoding="utf-8").replace('"title"', '"description"', 1), encoding="utf-8")
    assert [Registry(only).load("child").id for _ in range(2)] == ["child"] * 2 and builds == ["child"] * 2
    (folder / "schemas" / "extra.schema.json").write_text(
        '{"$id": "https://kinerja.local/schemas/extra.schema.json", "type": "object"}', encoding="utf-8")
    Registry(only).load("child")
    assert builds == ["child"] * 3


def test_a_corrupt_entry_is_built_again_silently(tmp_path, cache_dir, builds):
    folder = _folder(tmp_path)
    _limit(folder)
    entries = cache.entries("policy")
    assert len(entries) == 1
    for damage in (b"", b"garbage", entries[0].read_bytes()[:-100], entries[0].read_bytes()[:40] + b"x" * 500):
        entries[0].write_bytes(damage)
        assert _limit(folder) == 15
    assert builds == ["child"] * 5
    assert _limit(folder) == 15 and builds == ["child"] * 5   # the last build was kept again


def test_cache_off_writes_nothing(tmp_path, cache_dir, builds, monkeypatch):
    folder = _folder(tmp_path)
    monkeypatch.setenv(cache.ENV, "off")
    assert (_limit(folder), _limit(folder)) == (15, 15)
    assert builds == ["child", "child"] and not cache_dir.exists()


def test_an_unwritable_cache_folder_still_works(tmp_path, monkeypatch, builds):
    folder = _folder(tmp_path)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(cache.DIR_ENV, str(blocker / "cache"))
    assert (_limit(folder), _limit(folder)) == (15, 15) and builds == ["child", "child"]


def test_a_broken_policy_reports_the_same_errors_after_a_good_one_was_kept(tmp_path, cache_dir):
    folder = _folder(tmp_path)
    _limit(folder)
    (folder / "child" / "policy.yaml").write_text(CHILD + textwrap.dedent("""\
        values:
          m: {expr: count(contract.ikuu)}
        """), encoding="utf-8")
    with pytest.raises(Exception) as info:
        Registry([folder]).load("child")
    assert "ikuu" in str(info.value)


def test_a_changed_test_case_or_its_input_is_read_again(tmp_path, cache_dir):
    from engine.policy.cases import run_policy
    folder = _folder(tmp_path)
    (folder / "child" / "tests").mkdir()
    (folder / "child" / "data").mkdir()
    small, large = ROOT / "examples" / "pk_2024_kppn_semarang_i.yaml", ROOT / "examples" / "pk_2024_djpb_too_many_iku.yaml"
    policy = Registry([folder]).load("child")
    n_small, n_large = (policy.evaluate(next(read_records(f))).values["n"] for f in (small, large))
    assert n_small != n_large
    data, case = folder / "child" / "data" / "input.yaml", folder / "child" / "tests" / "cases.yaml"
    data.write_text(small.read_text(encoding="utf-8"), encoding="utf-8")

    def outcome(name: str, n) -> list:
        case.write_text(f"cases:\n  - name: {name}\n    input: ../data/input.yaml\n    expect: {{values: {{n: {n}}}}}\n",
                        encoding="utf-8")
        return [(r.name, len(r.diffs)) for r in run_policy(policy)]
    assert outcome("one", n_small) == outcome("one", n_small) == [("one", 0)]
    assert outcome("two", n_large) == [("two", 1)]
    data.write_text(large.read_text(encoding="utf-8"), encoding="utf-8")
    assert outcome("two", n_large) == [("two", 0)]
    assert cache.entries("yaml")


def test_generated_functions_and_modules_in_their_namespace_are_stored(cache_dir):
    import re

    from engine.policy import stored
    policy = Registry().load("kmk_300_2022")
    namespace = {"re": re, "__builtins__": {}}
    exec("def pattern_check(x):\n    return re.fullmatch('a+', x) is not None\n", namespace)  # noqa: S102
    policy.extra_check = namespace["pattern_check"]
    blob = stored._dumps(policy)
    back = stored._Unpickler(__import__("io").BytesIO(blob)).load()
    assert back.extra_check("aaa") and not back.extra_check("ab") and back.extra_check.__globals__["re"] is re


def test_a_closure_is_not_stored(cache_dir):
    from engine.policy import stored
    policy = Registry().load("kmk_300_2022")
    namespace: dict = {}
    exec("def outer(n):\n    def inner():\n        return n\n    return inner\n", namespace)  # noqa: S102
    policy.extra_check = namespace["outer"](3)
    with pytest.raises(stored.Uncacheable):
        stored._dumps(policy)


def test_the_compiler_of_a_stored_policy_comes_back_on_first_use(cache_dir):
    """Checking a contract needs neither the compiler nor the checker's scope: a stored policy brings
    them back when traces, explain or the batch path first ask, once for the policy and its copies,
    keyed by the ids of the policy's own syntax nodes."""
    built = Registry().load("kmk_300_2022")
    kept = Registry().load("kmk_300_2022")
    assert "_compiler" not in vars(kept) and "_later" in vars(kept)
    twin = kept.with_parameters({})
    assert set(kept._scope.symbols) == set(built._scope.symbols) and "_later" not in vars(kept)
    assert twin._compiler is kept._compiler and twin._scope is kept._scope
    records = [next(read_records(ROOT / "examples" / "pk_2024_kppn_semarang_i.yaml"))]
    assert kept.evaluate(records[0], trace=True).to_dict() == built.evaluate(records[0], trace=True).to_dict()
    batch_kept, batch_built = kept.evaluate_many(records), built.evaluate_many(records)
    assert [r.to_dict() for r in batch_kept] == [r.to_dict() for r in batch_built]
    assert batch_kept.vectorised == batch_built.vectorised and batch_kept.vectorised
