"""Label equivalences in the policy format: `equivalences: {other policy: {value: {labels, cite, status}}}`.

The bundled kmk_300_2022 declares the level renames of KMK 467/2014 (kemenkeu_one is upk_one, …), and
kmk_127_2026 inherits them through `extends`. A declaration is checked by the policy schema (its
shape, located at file:line:col) and by the `label_equivalences` check stage: the value must be a
value of the policy (did-you-mean), the other policy must not be the policy itself, and a label of
ours that the value can never produce is a warning with the closest label it does produce.
"""
from __future__ import annotations

import textwrap

import pytest

from engine.errors import ErrorList, PolicyError
from engine.policy.build import build
from engine.policy.loader import read_spec, resolve
from engine.policy.registry import DEFAULT

RENAMES = {"kemenkeu_wide": "kementerian", "kemenkeu_one": "upk_one", "kemenkeu_two": "upk_two",
           "kemenkeu_three": "upk_three"}


def load(tmp_path, equivalences: str):
    """A draft extending kmk_300_2022 whose `equivalences:` block is `equivalences` (YAML)."""
    path = tmp_path / "draft_labels" / "policy.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text("policy: draft_labels\nextends: kmk_300_2022\nequivalences:\n"
                    + textwrap.indent(textwrap.dedent(equivalences), "  "), encoding="utf-8")
    return build(resolve(read_spec(path), DEFAULT.find)), str(path)


def test_kmk_300_declares_the_level_renames_of_kmk_467_and_kmk_127_inherits_them():
    for pid in ("kmk_300_2022", "kmk_127_2026"):
        declared = DEFAULT.load(pid).spec.equivalences
        assert list(declared) == ["kmk_467_2014"]
        level = declared["kmk_467_2014"]["level"]
        assert level.data["labels"] == RENAMES
        assert level.status == "secondary"
        assert level.data["cite"].startswith("KMK 300/KMK.01/2022, level organisasi Kementerian (Kemenkeu-Wide)")
        assert level.origin.policy == "kmk_300_2022"
    assert DEFAULT.load("kmk_467_2014").spec.equivalences == {}


def test_a_child_redeclares_one_value_and_keeps_the_rest(tmp_path):
    policy, _ = load(tmp_path, """\
        kmk_467_2014:
          level:
            labels: {kemenkeu_one: upk_one}
            cite: Rancangan (hipotetis)
        permenpan_6_2022:
          predikat:
            labels: {Sangat Baik: Sangat Baik}
            cite: Rancangan (hipotetis)
        """)
    declared = policy.spec.equivalences
    assert declared["kmk_467_2014"]["level"].data["labels"] == {"kemenkeu_one": "upk_one"}
    assert declared["kmk_467_2014"]["level"].origin.policy == "draft_labels"
    assert list(declared["permenpan_6_2022"]) == ["predikat"]
    assert policy.warnings == []


def test_an_unknown_value_name_is_located_with_did_you_mean(tmp_path):
    with pytest.raises(PolicyError) as e:
        load(tmp_path, """\
            kmk_467_2014:
              levle:
                labels: {kemenkeu_one: upk_one}
                cite: KMK 300/KMK.01/2022, level organisasi
            """)
    path = str(tmp_path / "draft_labels" / "policy.yaml")
    assert str(e.value).splitlines() == [
        f"{path}:5:5: equivalences for 'levle', which is not a value of this policy",
        "        levle:",
        "        ^",
        "    hint: did you mean 'level'?"]


def test_a_declaration_without_labels_or_cite_fails_the_schema_at_its_line(tmp_path):
    with pytest.raises(ErrorList) as e:
        load(tmp_path, """\
            kmk_467_2014:
              level:
                lables: {kemenkeu_one: upk_one}
            """)
    path = str(tmp_path / "draft_labels" / "policy.yaml")
    assert [str(x).splitlines()[0] for x in e.value.errors] == [
        f"{path}:6:7: equivalences.kmk_467_2014.level: 'labels' is required",
        f"{path}:6:7: equivalences.kmk_467_2014.level: 'cite' is required",
        f"{path}:6:7: equivalences.kmk_467_2014.level: unknown field(s): 'lables' was unexpected"]


def test_the_policy_cannot_declare_equivalences_with_itself(tmp_path):
    with pytest.raises(PolicyError) as e:
        load(tmp_path, """\
            draft_labels:
              level:
                labels: {upk_one: upk_one}
                cite: x
            """)
    assert str(e.value).splitlines()[0].endswith(
        "policy.yaml:4:3: equivalences name 'draft_labels', but a policy's labels are its own")
    assert e.value.hint == "name the other policy whose labels correspond to these"


def test_a_label_the_value_never_produces_is_a_warning_with_the_closest_one(tmp_path):
    policy, path = load(tmp_path, """\
        kmk_467_2014:
          predikat:
            labels: {Baik Sekali: Sangat Bagus, Baik: Baik}
            cite: hipotetis
        """)
    assert [str(w) for w in policy.warnings] == [
        f"{path}:6:29: warning: 'Baik Sekali' of kmk_467_2014 is said to be 'Sangat Bagus', which value "
        "'predikat' never produces (did you mean 'Sangat Baik'?)"]
