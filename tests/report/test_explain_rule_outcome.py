"""`kinerja explain --rule` tells "passed" from "not applicable" (its `when` false, or its for_each
collection empty), per item; `explain --value` takes any computed value, not only outputs."""
import pytest
import yaml

from engine.policy.registry import DEFAULT
from engine.record import read_records
from tests.conftest import run_cli as run

pytestmark = pytest.mark.usefixtures("at_root")

KPPN = "examples/pk_2024_kppn_semarang_i.yaml"


def outcome(*args) -> str:
    r = run("explain", *args)
    assert r.exit_code == 0, r.output
    return next(line for line in r.output.splitlines() if line.startswith("Outcome for "))


@pytest.mark.parametrize("rule, text", [
    ("pk-iku-present", "passed"),                                     # no for_each, no when
    ("pk-iku-count", "passed"),                                       # its when holds
    ("iku-trajectory", "passed for 11 items"),
    ("cascade-depth", "passed for 1 item; not applicable to 10 (its when is false)"),
    ("addendum-required", "not applicable to any of 11 items (its when is false)"),
])
def test_rule_outcome_passed_or_not_applicable(rule, text):
    assert outcome(KPPN, "--policy", "kmk_300_2022", "--rule", rule) == f"Outcome for {KPPN}: {text}."


def test_rule_not_applicable_when_its_collection_is_empty(tmp_path):
    data = yaml.safe_load(open(KPPN, encoding="utf-8"))
    data["initiatives"] = []
    path = tmp_path / "no_initiatives.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert outcome(path, "--policy", "kmk_300_2022", "--rule", "initiative-complete") == \
        f"Outcome for {path}: not applicable (no items to check)."


def test_rule_whose_when_is_false_without_for_each():
    # the corpus opens with the ministry: iku_limits has no row for its level, pk-iku-count's when is false
    corpus = "corpus/kemenkeu_2024.jsonl"
    assert outcome(corpus, "--policy", "kmk_300_2022", "--rule", "pk-iku-count") == \
        f"Outcome for {corpus}:1: not applicable (its when is false)."


def test_applicability_lists_items_with_their_paths():
    policy = DEFAULT.load("kmk_300_2022")
    record = next(iter(read_records(KPPN)))
    applies = policy.applicability(record, "cascade-depth")
    assert len(applies) == 11 and applies[:2] == [("iku[0]", False), ("iku[1]", True)]
    assert policy.applicability(record, "pk-iku-present") == [(None, True)]


def test_explain_value_takes_an_intermediate_value():
    r = run("explain", KPPN, "--policy", "kmk_300_2022", "--value", "target_tahunan")
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[0] == f"How target_tahunan is computed under kmk_300_2022 (KMK 300/KMK.01/2022) for {KPPN}"
    assert lines[2].startswith("target_tahunan for each i — Target tahunan IKU")
    assert "  [1a-N] 90" in [line.split("   ←")[0] for line in lines]


def test_explain_value_unknown_name_suggests():
    r = run("explain", KPPN, "--policy", "kmk_300_2022", "--value", "target_tahuan")
    assert r.exit_code == 2
    assert r.output.splitlines()[-1] == "Error: kmk_300_2022 has no value 'target_tahuan'; did you mean 'target_tahunan'?"
